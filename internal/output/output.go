// Package output writes a built site: to disk through a temporary folder
// that replaces the destination only when the whole build succeeded, or to
// memory for the preview server and tests.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Writer receives the files of a built site. Names are slash-separated and
// relative to the site's root; it is safe for concurrent use.
type Writer interface {
	WriteFile(name string, data []byte) error
}

// CheckName rejects names that could escape the output folder or are not
// plain relative paths.
func CheckName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, "\\") {
		return fmt.Errorf("output path %q is not a plain relative path inside the site", name)
	}
	return nil
}

// Memory keeps a built site in memory.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemory returns an empty in-memory site.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// WriteFile stores data under name. The builder never reuses a buffer it
// wrote, so data is kept as is rather than copied: a preview rebuild that
// reuses ten thousand cached pages copies none of them.
func (m *Memory) WriteFile(name string, data []byte) error {
	if err := CheckName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.files[name]; dup {
		return fmt.Errorf("output file %s written twice", name)
	}
	m.files[name] = data
	return nil
}

// With returns a copy of m with files added or replaced; file contents are
// shared, not copied.
func (m *Memory) With(files map[string][]byte) *Memory {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := &Memory{files: make(map[string][]byte, len(m.files)+len(files))}
	for k, v := range m.files {
		out.files[k] = v
	}
	for k, v := range files {
		out.files[k] = v
	}
	return out
}

// File returns the contents of name and whether it exists.
func (m *Memory) File(name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[name]
	return b, ok
}

// Names returns every file name, sorted.
func (m *Memory) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.files))
	for n := range m.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Disk writes a site into a temporary folder beside its destination and
// swaps it in on Commit, so readers and failed builds never see a partial
// site and no stale file survives.
type Disk struct {
	dest string
	tmp  string
	mu   sync.Mutex
	dirs map[string]*sync.Once // each folder is created once, before any write into it
	seen map[string]bool
}

// NewDisk prepares a build into dest. It recovers a destination left
// half-swapped by a build killed during a previous swap.
func NewDisk(dest string) (*Disk, error) {
	dest = filepath.Clean(dest)
	if err := recoverSwap(dest); err != nil {
		return nil, err
	}
	if info, err := os.Lstat(dest); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("destination %s exists and is not a folder", dest)
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("create temporary output folder: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Disk{dest: dest, tmp: tmp, dirs: map[string]*sync.Once{}, seen: map[string]bool{}}, nil
}

// WriteFile writes name into the temporary folder.
func (d *Disk) WriteFile(name string, data []byte) error {
	if err := CheckName(name); err != nil {
		return err
	}
	dir := path.Dir(name)
	d.mu.Lock()
	if d.seen[name] {
		d.mu.Unlock()
		return fmt.Errorf("output file %s written twice", name)
	}
	d.seen[name] = true
	once, ok := d.dirs[dir]
	if !ok {
		once = &sync.Once{}
		d.dirs[dir] = once
	}
	d.mu.Unlock()
	full := filepath.Join(d.tmp, filepath.FromSlash(name))
	var mkdirErr error
	once.Do(func() { mkdirErr = mkdir(filepath.Dir(full)) })
	if mkdirErr != nil {
		return mkdirErr
	}
	return os.WriteFile(full, data, 0o644)
}

// mkdir makes folder dir. Its parent nearly always exists already, so one
// Mkdir is tried before MkdirAll, which stats every folder on the way and
// cost a fifth of the build's file system time.
func mkdir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	return os.MkdirAll(dir, 0o755)
}

// Abort removes the temporary folder, leaving the destination untouched.
func (d *Disk) Abort() error { return os.RemoveAll(d.tmp) }

// Commit makes the new site the destination. Where the OS can exchange two
// folders atomically the destination is never missing; elsewhere it is
// missing only between two renames, and NewDisk recovers from a kill there.
func (d *Disk) Commit() error {
	_, err := os.Lstat(d.dest)
	if errors.Is(err, fs.ErrNotExist) {
		return os.Rename(d.tmp, d.dest)
	}
	if err := exchange(d.tmp, d.dest); err == nil {
		return os.RemoveAll(d.tmp) // now holds the previous site
	}
	old := oldName(d.dest)
	if err := os.Rename(d.dest, old); err != nil {
		d.Abort()
		return fmt.Errorf("move the previous site aside: %w", err)
	}
	if err := os.Rename(d.tmp, d.dest); err != nil {
		os.Rename(old, d.dest)
		d.Abort()
		return fmt.Errorf("move the new site into place: %w", err)
	}
	return os.RemoveAll(old)
}

func oldName(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".old")
}

// recoverSwap restores the previous site if a build was killed between the
// two renames of a non-atomic swap, and removes leftovers of killed builds.
func recoverSwap(dest string) error {
	old := oldName(dest)
	if _, err := os.Lstat(old); err == nil {
		if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(old, dest); err != nil {
				return fmt.Errorf("restore the previous site from %s: %w", old, err)
			}
		} else {
			os.RemoveAll(old)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*"))
	for _, l := range leftovers {
		os.RemoveAll(l)
	}
	return nil
}
