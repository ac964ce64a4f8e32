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

// Sources are the parts of a site folder that a change in triggers a rebuild.
var sourceDirs = []string{"content", "layouts", "static"}

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

// Watch calls onChange once per burst of changes to the site's sources,
// after debounce of quiet, until ctx ends. With poll > 0 it scans the
// sources every poll instead of relying on file events, which some network
// file systems and containers never deliver.
func Watch(ctx context.Context, root string, poll, debounce time.Duration, onChange func()) error {
	changed := make(chan struct{}, 1)
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	var errc chan error
	if poll > 0 {
		go pollSources(ctx, root, poll, notify)
	} else {
		w, err := fsnotify.NewWatcher()
		if err != nil {
			return fmt.Errorf("watch %s: %w (try --poll 1s)", root, err)
		}
		defer w.Close()
		if err := w.Add(root); err != nil {
			return fmt.Errorf("watch %s: %w", root, err)
		}
		for _, d := range sourceDirs {
			addTree(w, filepath.Join(root, d))
		}
		errc = make(chan error, 1)
		go func() { errc <- forwardEvents(ctx, w, root, notify) }()
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
func pollSources(ctx context.Context, root string, every time.Duration, notify func()) {
	last := fingerprint(root)
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
