package server

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Sources are the parts of a site folder that a change in triggers a
// rebuild; data/ holds regions.toml, the site's places.
var sourceDirs = []string{"content", "layouts", "static", "data"}

const configFile = "site.toml"

// relevant reports whether a changed path, relative to the site root,
// feeds the build.
func relevant(rel string) bool {
	rel = filepath.ToSlash(rel)
	if rel == configFile {
		return true
	}
	for _, d := range sourceDirs {
		if rel == d || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// Watcher notices changes to a site's sources.
type Watcher struct {
	root    string
	poll    time.Duration
	events  *fsnotify.Watcher
	initial uint64 // fingerprint when polling
}

// NewWatcher starts watching the sources of the site at root; changes made
// after it returns are seen. With poll > 0 it scans the sources every poll
// instead of relying on file events, which some network file systems and
// containers never deliver.
func NewWatcher(root string, poll time.Duration) (*Watcher, error) {
	w := &Watcher{root: root, poll: poll}
	if poll > 0 {
		w.initial = fingerprint(root)
		return w, nil
	}
	events, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w (try --poll 1s)", root, err)
	}
	if err := events.Add(root); err != nil {
		events.Close()
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	for _, d := range sourceDirs {
		addTree(events, filepath.Join(root, d))
	}
	w.events = events
	return w, nil
}

// Run calls onChange once per burst of changes, after debounce of quiet,
// until ctx ends.
func (w *Watcher) Run(ctx context.Context, debounce time.Duration, onChange func()) error {
	changed := make(chan struct{}, 1)
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	var errc chan error
	if w.events == nil {
		go pollSources(ctx, w.root, w.poll, w.initial, notify)
	} else {
		defer w.events.Close()
		errc = make(chan error, 1)
		go func() { errc <- forwardEvents(ctx, w.events, w.root, notify) }()
	}
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return err
		case <-changed:
			timer = time.After(debounce)
		case <-timer:
			timer = nil
			onChange()
		}
	}
}

// addTree watches dir and every folder below it: fsnotify is not recursive.
func addTree(w *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			w.Add(p)
		}
		return nil
	})
}

func forwardEvents(ctx context.Context, w *fsnotify.Watcher, root string, notify func()) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			rel, err := filepath.Rel(root, ev.Name)
			if err != nil || !relevant(rel) {
				continue
			}
			// Editors save by writing a temporary file and renaming it over
			// the old one, and new folders arrive with files already in
			// them: watch every new folder, then rebuild.
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					addTree(w, ev.Name)
				}
			}
			notify()
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				notify() // events were lost: rebuild to be safe
				continue
			}
			return fmt.Errorf("watch: %w", err)
		}
	}
}

// pollSources compares a fingerprint of the sources (names, sizes, times)
// every interval.
func pollSources(ctx context.Context, root string, every time.Duration, last uint64, notify func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if now := fingerprint(root); now != last {
				last = now
				notify()
			}
		}
	}
}

func fingerprint(root string) uint64 {
	h := fnv.New64a()
	var lines []string
	add := func(p string, info fs.FileInfo) {
		rel, _ := filepath.Rel(root, p)
		lines = append(lines, fmt.Sprintf("%s\x00%d\x00%d\x00%v", rel, info.Size(), info.ModTime().UnixNano(), info.IsDir()))
	}
	if info, err := os.Stat(filepath.Join(root, configFile)); err == nil {
		add(filepath.Join(root, configFile), info)
	}
	for _, d := range sourceDirs {
		filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if info, err := e.Info(); err == nil {
				add(p, info)
			}
			return nil
		})
	}
	sort.Strings(lines)
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return h.Sum64()
}
