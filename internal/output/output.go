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

// Transient reports whether w is done with the bytes WriteFile is given
// once it returns, so that the caller may reuse them: a Disk and
// Generations are; a Memory keeps them.
func Transient(w Writer) bool {
	switch w.(type) {
	case *Disk, *Generations:
		return true
	}
	return false
}

// MaxNameBytes is the longest name of one file or folder that a build
// writes: what ext4, XFS, btrfs, APFS and NTFS all allow (NAME_MAX).
const MaxNameBytes = 255

// MaxPathBytes bounds a whole output path, which leaves room for the
// destination's own path within Linux's 4,096 bytes (PATH_MAX).
const MaxPathBytes = 2048

// CheckName rejects names that could escape the output folder, are not
// plain relative paths, or are too long to be written on common disks;
// both writers check alike, so a check in memory finds what a build to
// disk would.
func CheckName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\\\x00") {
		return fmt.Errorf("output path %q is not a plain relative path inside the site", name)
	}
	if len(name) > MaxPathBytes {
		return fmt.Errorf("output path %.60s… is %d bytes long, over the limit of %d; shorten the names that make it", name, len(name), MaxPathBytes)
	}
	for part := range strings.SplitSeq(name, "/") {
		if len(part) > MaxNameBytes {
			return fmt.Errorf("output path %s has a part of %d bytes, over the limit of %d bytes that disks allow; shorten the slug or file name that makes it", name, len(part), MaxNameBytes)
		}
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

// Marker is the file every disk build writes at the top of its output.
// A build replaces only a destination that is empty or holds it, so that
// a mistyped --dest never deletes a folder bantin did not write. Web
// servers may serve it: it says nothing but that.
const Marker = ".bantin-output"

// markerText is the whole content of Marker: the same in every build, so
// that builds stay byte-identical, and nothing in it is secret.
const markerText = "This folder was written by bantin, a static site generator.\n" +
	"Every build replaces it whole: keep nothing else in it.\n"

// Disk writes a site into a temporary folder beside its destination and
// swaps it in on Commit, so readers and failed builds never see a partial
// site and no stale file survives. One Disk at a time writes a
// destination: NewDisk takes a lock that Commit and Abort release.
type Disk struct {
	dest string
	tmp  string
	lock *lock
	mu   sync.Mutex
	dirs map[string]*sync.Once // each folder is created once, before any write into it
	seen map[string]bool
}

// NewDisk prepares a build into dest. It fails with a *BusyError while
// another build writes dest; it refuses a dest that is not a folder, or a
// folder with files that bantin did not write (see Marker). It recovers a
// destination left half-swapped by a build killed during a previous swap,
// and removes the temporary folders of killed builds.
func NewDisk(dest string) (*Disk, error) {
	return openLocked(dest, newDisk)
}

// openLocked creates dest's parent folder, takes dest's build lock and
// opens a writer with it; the lock is released when opening fails.
func openLocked[W any](dest string, open func(dest string, lk *lock) (W, error)) (W, error) {
	var none W
	dest = filepath.Clean(dest)
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return none, fmt.Errorf("create the folder of %s: %s", dest, explain(err))
	}
	lk, err := acquire(dest)
	if err != nil {
		return none, err
	}
	w, err := open(dest, lk)
	if err != nil {
		lk.release()
		return none, err
	}
	return w, nil
}

// newDisk is NewDisk once the lock is held: no other build writes dest.
func newDisk(dest string, lk *lock) (*Disk, error) {
	parent := filepath.Dir(dest)
	if err := recoverSwap(dest); err != nil {
		return nil, err
	}
	if err := checkReplaceable(dest); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, tmpPrefix(dest))
	if err != nil {
		return nil, fmt.Errorf("create a temporary folder beside %s: %s", dest, explain(err))
	}
	// The marker first: it is also what proves the folder is a build's,
	// should this build be killed and its folder left behind.
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("write %s: %s", filepath.Join(dest, Marker), explain(err))
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("create a temporary folder beside %s: %s", dest, explain(err))
	}
	return &Disk{dest: dest, tmp: tmp, lock: lk, dirs: map[string]*sync.Once{}, seen: map[string]bool{Marker: true}}, nil
}

// checkReplaceable refuses to let a build replace dest unless it is
// missing, an empty folder, or a folder with bantin's marker.
func checkReplaceable(dest string) error {
	info, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("destination %s: %s", dest, explain(err))
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("destination %s is a symbolic link; a build replaces it with a folder, so give the folder it points to as --dest instead", dest)
	}
	if !info.IsDir() {
		return fmt.Errorf("destination %s exists and is not a folder; move it away or choose another --dest", dest)
	}
	f, err := os.Open(dest)
	if err != nil {
		return fmt.Errorf("destination %s: %s", dest, explain(err))
	}
	names, _ := f.Readdirnames(1)
	f.Close()
	if len(names) == 0 {
		return nil
	}
	if hasMarker(dest) {
		return nil
	}
	for _, page := range []string{"index.html", "404.html"} {
		if _, err := os.Lstat(filepath.Join(dest, page)); err == nil {
			return fmt.Errorf("destination %s holds %s but no %s file, so it is not known to be bantin's output (builds of older versions are not marked). "+
				"A build replaces its destination whole: if %s holds nothing but an earlier build, delete it once (rm -r %s) and build again; otherwise choose another --dest",
				dest, page, Marker, dest, dest)
		}
	}
	return fmt.Errorf("destination %s is not empty and was not written by bantin (it has no %s file); a build replaces its destination whole, so empty it or choose another --dest", dest, Marker)
}

// removeBuild removes a folder a build wrote, its marker last: a build
// killed while removing it leaves a folder that the next build still
// knows to be bantin's, and removes.
func removeBuild(dir string) error {
	entries, err := os.ReadDir(dir)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, e := range entries {
		if e.Name() != Marker {
			errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// markerOnly reports whether dir holds nothing, or nothing but a marker
// cut short: a build killed just after creating its temporary folder.
func markerOnly(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) > 1 {
		return false
	}
	if len(entries) == 0 {
		return true
	}
	if entries[0].Name() != Marker || !entries[0].Type().IsRegular() {
		return false
	}
	b, err := os.ReadFile(filepath.Join(dir, Marker))
	return err == nil && len(b) <= len(markerText) && markerText[:len(b)] == string(b)
}

// hasMarker reports whether dir holds bantin's marker as a regular file.
func hasMarker(dir string) bool {
	name := filepath.Join(dir, Marker)
	info, err := os.Lstat(name)
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(markerText)) {
		return false
	}
	b, err := os.ReadFile(name)
	return err == nil && string(b) == markerText
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
		return fmt.Errorf("cannot create folder %s: %s", filepath.Join(d.dest, filepath.FromSlash(dir)), explain(mkdirErr))
	}
	if err := writeFile(full, data); err != nil {
		return fmt.Errorf("cannot write %s: %s", filepath.Join(d.dest, filepath.FromSlash(name)), explain(err))
	}
	return nil
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

// Abort removes the temporary folder, leaving the destination untouched,
// and lets other builds write it.
func (d *Disk) Abort() error {
	defer d.lock.release()
	return removeBuild(d.tmp)
}

// Commit makes the new site the destination. Where the OS can exchange two
// folders atomically the destination is never missing; elsewhere it is
// missing only between two renames, and NewDisk recovers from a kill there.
func (d *Disk) Commit() error {
	defer d.lock.release()
	if err := d.commit(); err != nil {
		return fmt.Errorf("%s; %s is as it was before this build", err, d.dest)
	}
	return nil
}

func (d *Disk) commit() error {
	_, err := os.Lstat(d.dest)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			removeBuild(d.tmp)
			return fmt.Errorf("move the new site into place: %s", explain(err))
		}
		return nil
	}
	if err := exchange(d.tmp, d.dest); err == nil {
		// tmp now holds the previous site; if it cannot be removed now, the
		// next build removes it (it carries the marker).
		removeBuild(d.tmp)
		return nil
	}
	old := oldName(d.dest)
	if err := os.Rename(d.dest, old); err != nil {
		removeBuild(d.tmp)
		return fmt.Errorf("move the previous site aside: %s", explain(err))
	}
	if err := os.Rename(d.tmp, d.dest); err != nil {
		os.Rename(old, d.dest)
		removeBuild(d.tmp)
		return fmt.Errorf("move the new site into place: %s", explain(err))
	}
	removeBuild(old) // or the next build does
	return nil
}

func oldName(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".old")
}

// tmpPrefix begins the name of a build's temporary folder beside dest.
func tmpPrefix(dest string) string { return "." + filepath.Base(dest) + ".tmp-" }

// recoverSwap restores the previous site if a build was killed between the
// two renames of a non-atomic swap, and removes what killed builds left.
// Its caller holds the lock, so no build is running: a temporary folder
// is abandoned, and it is removed only if it carries bantin's marker, or
// holds nothing but the start of one (killed while writing it).
func recoverSwap(dest string) error {
	old := oldName(dest)
	if info, err := os.Lstat(old); err == nil && info.IsDir() {
		if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(old, dest); err != nil {
				return fmt.Errorf("restore the previous site from %s: %s", old, explain(err))
			}
		} else if hasMarker(old) {
			removeBuild(old)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), tmpPrefix(dest)+"*"))
	for _, l := range leftovers {
		info, err := os.Lstat(l)
		if err != nil || !info.IsDir() {
			continue
		}
		if hasMarker(l) || markerOnly(l) {
			removeBuild(l)
		}
	}
	return nil
}
