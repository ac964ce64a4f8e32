package output

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// Sum identifies a file's content: xxhash64 of its bytes.
type Sum uint64

// SumOf returns the Sum of data.
func SumOf(data []byte) Sum { return Sum(xxhash.Sum64(data)) }

// Reuser is a Writer that can take a file from the site it replaces:
// Reuse writes name with the content that has sum, without its bytes, and
// reports false when the previous site has no such file. Builds with a
// cache call it for pages whose inputs did not change.
type Reuser interface {
	Reuse(name string, sum Sum) (bool, error)
	// CanReuse reports whether Reuse would find the file, without
	// writing it.
	CanReuse(name string, sum Sum) bool
}

// Entry is one file of a manifest.
type Entry struct {
	Sum  Sum
	Size int64
}

// Manifest lists the files of one generation of a site by path.
type Manifest map[string]Entry

// Generations writes a site as a new generation of its destination. Beside
// the destination (the live site) it keeps the previous generation,
// .NAME.bantin-prev, and a manifest of each (path -> content hash) in
// .NAME.bantin-gen-DEV-INODE files. A build brings the previous generation
// up to date in place, writing only the files whose content differs
// (each as a new file renamed over the old one, never in place, since the
// two generations share unchanged files as hard links), and then
// exchanges it with the live one atomically. The generation being updated
// has no manifest until it is complete, so a build killed meanwhile leaves
// it marked unusable and the live site untouched; the next build starts
// that generation again from the live one.
//
// Without a usable previous generation, or where the system cannot
// exchange two folders atomically, the site is assembled in a new
// temporary folder as Disk does, taking unchanged files from the live site
// as hard links.
type Generations struct {
	dest, prevDir string
	lock          *lock
	inPlace       bool
	target        string   // the folder being written: prevDir or a temporary one
	live, prev    Manifest // nil when unknown
	// liveList and prevList are live and prev sorted by name, for the
	// commit to compare them with the new site in one pass.
	liveList, prevList []named
	liveBySum          map[Sum]string
	// oldFiles lists the live site's files when it has no manifest, to
	// name what the build removed.
	oldFiles []string

	mu   sync.Mutex
	next Manifest
	dirs map[string]*sync.Once
	tmp  atomic.Int64
	// Written counts the files written anew, and Kept those taken
	// unchanged: left in the updated generation, or linked (or copied)
	// from the live site into a new folder.
	written, kept atomic.Int64
	changed       []string
}

// genPrefix begins the names of manifest files beside dest.
func genPrefix(dest string) string { return "." + filepath.Base(dest) + ".bantin-gen-" }

// PrevName is the previous generation of dest, beside it.
func PrevName(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".bantin-prev")
}

// OpenGenerations prepares a build into dest that reuses the previous
// generation. Like NewDisk it takes dest's lock, recovers from killed
// builds and refuses a destination bantin did not write.
func OpenGenerations(dest string) (*Generations, error) {
	return openLocked(dest, openGenerations)
}

func openGenerations(dest string, lk *lock) (*Generations, error) {
	if err := recoverSwap(dest); err != nil {
		return nil, err
	}
	if err := checkReplaceable(dest); err != nil {
		return nil, err
	}
	g := &Generations{dest: dest, prevDir: PrevName(dest), lock: lk, next: Manifest{}, dirs: map[string]*sync.Once{}}
	liveID, liveOK := dirID(dest)
	prevID, prevOK := dirID(g.prevDir)
	if prevOK && !hasMarker(g.prevDir) {
		prevOK = false // not ours: never touched
	}
	// Manifests of folders that are no longer either generation go.
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), genPrefix(dest)+"*"))
	for _, f := range files {
		base := filepath.Base(f)
		if (!liveOK || base != filepath.Base(manifestName(dest, liveID))) && (!prevOK || base != filepath.Base(manifestName(dest, prevID))) {
			os.Remove(f)
		}
	}
	if liveOK {
		g.live, g.liveList = readManifest(manifestName(dest, liveID))
	}
	if prevOK {
		g.prev, g.prevList = readManifest(manifestName(dest, prevID))
	}
	if g.live == nil && liveOK && hasMarker(dest) {
		g.oldFiles = listFiles(dest)
	}
	if g.live != nil {
		g.next = make(Manifest, len(g.live)) // a rebuild names about as many files
		g.liveBySum = make(map[Sum]string, len(g.live))
		for _, f := range g.liveList { // the first name of a sum, in order
			if _, ok := g.liveBySum[f.Entry.Sum]; !ok {
				g.liveBySum[f.Entry.Sum] = f.name
			}
		}
	}
	g.inPlace = canExchange && g.live != nil && g.prev != nil
	if g.inPlace {
		// Unusable from here until its new manifest is written.
		if err := os.Remove(manifestName(dest, prevID)); err != nil {
			return nil, fmt.Errorf("update %s: %s", g.prevDir, explain(err))
		}
		g.target = g.prevDir
		g.dirs["."] = doneOnce()
		return g, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dest), tmpPrefix(dest))
	if err != nil {
		return nil, fmt.Errorf("create a temporary folder beside %s: %s", dest, explain(err))
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("write %s: %s", filepath.Join(dest, Marker), explain(err))
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("create a temporary folder beside %s: %s", dest, explain(err))
	}
	g.target = tmp
	g.dirs["."] = doneOnce()
	g.prev, g.prevList = nil, nil // a fresh folder holds nothing yet
	return g, nil
}

func doneOnce() *sync.Once {
	o := &sync.Once{}
	o.Do(func() {})
	return o
}

// InPlace reports whether the build updates the previous generation rather
// than a new folder.
func (g *Generations) InPlace() bool { return g.inPlace }

// Live returns the manifest of the site being replaced, nil when unknown.
func (g *Generations) Live() Manifest { return g.live }

// Counts returns how many files the build wrote anew, and how many it took
// unchanged from the previous generation or the live site.
func (g *Generations) Counts() (written, kept int) {
	return int(g.written.Load()), int(g.kept.Load())
}

// WriteFile records name with data, and writes it unless the generation
// being updated has it already.
func (g *Generations) WriteFile(name string, data []byte) error {
	if err := CheckName(name); err != nil {
		return err
	}
	e := Entry{Sum: SumOf(data), Size: int64(len(data))}
	if !g.record(name, e) {
		return fmt.Errorf("output file %s written twice", name)
	}
	if g.prev != nil && g.prev[name] == e {
		g.kept.Add(1)
		return nil
	}
	g.written.Add(1)
	return g.place(name, func(to string) error { return writeFile(to, data) })
}

// CanReuse reports whether the previous generation or the live site has a
// file with sum for name.
func (g *Generations) CanReuse(name string, sum Sum) bool {
	if p, ok := g.prev[name]; ok && p.Sum == sum {
		return true
	}
	_, ok := g.liveBySum[sum]
	return ok
}

// Reuse takes name from the live site's file with sum, if it has one.
func (g *Generations) Reuse(name string, sum Sum) (bool, error) {
	// A name of the previous generation was checked when it was written.
	if p, ok := g.prev[name]; ok && p.Sum == sum {
		if !g.record(name, p) {
			return false, fmt.Errorf("output file %s written twice", name)
		}
		g.kept.Add(1)
		return true, nil
	}
	if err := CheckName(name); err != nil {
		return false, err
	}
	from, ok := g.liveBySum[sum]
	if !ok {
		return false, nil
	}
	if !g.record(name, g.live[from]) {
		return false, fmt.Errorf("output file %s written twice", name)
	}
	// Taken, not written: a build that links every file wrote nothing.
	g.kept.Add(1)
	src := filepath.Join(g.dest, filepath.FromSlash(from))
	missing := false
	err := g.place(name, func(to string) error {
		if err := os.Link(src, to); err == nil {
			return nil
		}
		// Another file system, or one without hard links: copy.
		data, err := os.ReadFile(src)
		if errors.Is(err, fs.ErrNotExist) {
			missing = true
		}
		if err != nil {
			return err
		}
		if SumOf(data) != sum {
			return fmt.Errorf("%s changed since bantin wrote it; build with --no-cache", src)
		}
		return writeFile(to, data)
	})
	if missing {
		// Removed from the live site by hand: the caller makes the file
		// again, as if the last site never had it.
		g.mu.Lock()
		delete(g.next, name)
		g.mu.Unlock()
		g.kept.Add(-1)
		return false, nil
	}
	return err == nil, err
}

func (g *Generations) record(name string, e Entry) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, dup := g.next[name]; dup || name == Marker {
		return false
	}
	g.next[name] = e
	return true
}

// place creates name in the target folder with create, as a new file
// renamed over any old one when the target is a generation in use.
func (g *Generations) place(name string, create func(to string) error) error {
	dir := path.Dir(name)
	g.mu.Lock()
	once, ok := g.dirs[dir]
	if !ok {
		once = &sync.Once{}
		g.dirs[dir] = once
	}
	g.mu.Unlock()
	full := filepath.Join(g.target, filepath.FromSlash(name))
	var mkErr error
	once.Do(func() { mkErr = g.mkdirs(dir) })
	if mkErr != nil {
		return fmt.Errorf("cannot create folder %s: %s", filepath.Join(g.dest, filepath.FromSlash(dir)), explain(mkErr))
	}
	to := full
	if g.inPlace {
		to = filepath.Join(filepath.Dir(full), fmt.Sprintf(".bantin-new-%d", g.tmp.Add(1)))
	}
	if err := create(to); err != nil {
		os.Remove(to)
		return fmt.Errorf("cannot write %s: %s", filepath.Join(g.dest, filepath.FromSlash(name)), explain(err))
	}
	if !g.inPlace {
		return nil
	}
	err := os.Rename(to, full)
	if err != nil {
		// A folder of the old generation where a file goes now.
		if info, lerr := os.Lstat(full); lerr == nil && info.IsDir() {
			if err = os.RemoveAll(full); err == nil {
				err = os.Rename(to, full)
			}
		}
	}
	if err != nil {
		os.Remove(to)
		return fmt.Errorf("cannot write %s: %s", filepath.Join(g.dest, filepath.FromSlash(name)), explain(err))
	}
	return nil
}

// mkdirs makes folder dir (slash-separated, relative) in the target,
// replacing a file of the old generation that stands in its way.
func (g *Generations) mkdirs(dir string) error {
	full := filepath.Join(g.target, filepath.FromSlash(dir))
	err := os.Mkdir(full, 0o755)
	if err == nil {
		return nil // a new folder: nothing stands in the way
	}
	if errors.Is(err, fs.ErrExist) {
		if info, err := os.Stat(full); err == nil && info.IsDir() {
			return nil
		}
	}
	if !g.inPlace {
		return os.MkdirAll(full, 0o755)
	}
	// Walk down, removing files where folders go.
	cur := g.target
	for part := range strings.SplitSeq(dir, "/") {
		cur = filepath.Join(cur, part)
		info, err := os.Lstat(cur)
		if err == nil && info.IsDir() {
			continue
		}
		if err == nil {
			if err := os.Remove(cur); err != nil {
				return err
			}
		}
		if err := os.Mkdir(cur, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}

// Abort leaves the live site as it was. An updated previous generation
// stays unusable (without a manifest) until a build starts it again; a
// temporary folder is removed.
func (g *Generations) Abort() error {
	defer g.lock.release()
	if g.inPlace {
		return nil
	}
	return removeBuild(g.target)
}

// Commit completes the new generation, records its manifest, and makes it
// the live site.
func (g *Generations) Commit() error {
	defer g.lock.release()
	if err := g.commit(); err != nil {
		return fmt.Errorf("%s; %s is as it was before this build", err, g.dest)
	}
	return nil
}

func (g *Generations) commit() error {
	next := sortedEntries(g.next)
	if g.inPlace {
		if err := g.removeStale(next); err != nil {
			return fmt.Errorf("update %s: %s", g.prevDir, explain(err))
		}
	}
	g.changed = g.diff(next)
	if id, ok := dirID(g.target); ok {
		if err := writeManifest(manifestName(g.dest, id), next); err != nil {
			return fmt.Errorf("write the manifest of %s: %s", g.dest, explain(err))
		}
	}
	if _, err := os.Lstat(g.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(g.target, g.dest); err != nil {
			return fmt.Errorf("move the new site into place: %s", explain(err))
		}
		return nil
	}
	if g.inPlace {
		if err := exchange(g.target, g.dest); err != nil {
			return fmt.Errorf("move the new site into place: %s", explain(err))
		}
		return nil
	}
	// A new folder: the previous generation, unusable, goes first, and the
	// live site becomes the previous generation when its manifest is known.
	if info, err := os.Lstat(g.prevDir); err == nil && info.IsDir() && hasMarker(g.prevDir) {
		if id, ok := dirID(g.prevDir); ok {
			os.Remove(manifestName(g.dest, id))
		}
		if err := removeBuild(g.prevDir); err != nil {
			removeBuild(g.target)
			return fmt.Errorf("remove %s: %s", g.prevDir, explain(err))
		}
	}
	if err := exchange(g.target, g.dest); err == nil {
		if g.live != nil && canExchange {
			if err := os.Rename(g.target, g.prevDir); err == nil {
				return nil
			}
		}
		removeBuild(g.target)
		return nil
	}
	d := &Disk{dest: g.dest, tmp: g.target}
	return d.commit()
}

// removeStale deletes the files of the old generation the new one, next,
// has not, and the folders they leave empty.
func (g *Generations) removeStale(next []named) error {
	var dirs []string
	var err error
	merge(g.prevList, next, func(old, cur *named) {
		if old == nil || cur != nil || err != nil {
			return // not in the old generation, still in the new, or failed
		}
		name := old.name
		if rerr := os.Remove(filepath.Join(g.target, filepath.FromSlash(name))); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			// A folder now where a file was: it holds new files.
			if info, lerr := os.Lstat(filepath.Join(g.target, filepath.FromSlash(name))); lerr != nil || !info.IsDir() {
				err = rerr
				return
			}
		}
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			dirs = append(dirs, d)
		}
	})
	if err != nil {
		return err
	}
	slices.SortFunc(dirs, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	dirs = slices.Compact(dirs)
	for _, d := range dirs {
		os.Remove(filepath.Join(g.target, filepath.FromSlash(d))) // fails while not empty
	}
	return nil
}

// diff lists the paths whose content differs between the live site and
// the new one, next: added, changed and removed, sorted.
func (g *Generations) diff(next []named) []string {
	var out []string
	if g.live == nil {
		for _, f := range next {
			out = append(out, f.name)
		}
		for _, name := range g.oldFiles {
			if _, ok := g.next[name]; !ok {
				out = append(out, name)
			}
		}
		out = append(out, Marker)
		slices.Sort(out)
		return slices.Compact(out)
	}
	merge(g.liveList, next, func(old, cur *named) {
		switch {
		case old == nil:
			out = append(out, cur.name)
		case cur == nil || old.Entry != cur.Entry:
			out = append(out, old.name)
		}
	})
	return out
}

// named is a file of a manifest with its name.
type named struct {
	name string
	Entry
}

// sortedEntries returns the files of m sorted by name.
func sortedEntries(m Manifest) []named {
	out := make([]named, 0, len(m))
	for name, e := range m {
		out = append(out, named{name, e})
	}
	slices.SortFunc(out, func(a, b named) int { return strings.Compare(a.name, b.name) })
	return out
}

// merge walks two lists sorted by name together, calling f once per name
// with its file in each list, nil where the list has none.
func merge(a, b []named, f func(x, y *named)) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].name < b[j].name):
			f(&a[i], nil)
			i++
		case i == len(a) || b[j].name < a[i].name:
			f(nil, &b[j])
			j++
		default:
			f(&a[i], &b[j])
			i++
			j++
		}
	}
}

// Changed returns, after Commit, the site paths that differ from the site
// it replaced: added, changed and removed, sorted. Without a manifest of
// the replaced site every path of the new site is listed.
func (g *Generations) Changed() []string { return g.changed }

// Manifest returns the new site's files, after Commit.
func (g *Generations) Manifest() Manifest { return g.next }

// manifestName is the manifest file of the generation folder with id,
// beside dest.
func manifestName(dest string, id [2]uint64) string {
	return filepath.Join(filepath.Dir(dest), fmt.Sprintf("%s%x-%x", genPrefix(dest), id[0], id[1]))
}

const manifestMagic = "bantin manifest 1\n"

// writeManifest writes the files of a site, sorted by name, with a
// checksum, through a temporary file.
func writeManifest(name string, files []named) error {
	size := len(manifestMagic) + 32
	for _, f := range files {
		size += len(f.name) + 20
	}
	buf := make([]byte, 0, size)
	buf = append(buf, manifestMagic...)
	buf = binary.AppendUvarint(buf, uint64(len(files)))
	for _, f := range files {
		n, e := f.name, f.Entry
		buf = binary.AppendUvarint(buf, uint64(len(n)))
		buf = append(buf, n...)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(e.Sum))
		buf = binary.AppendUvarint(buf, uint64(e.Size))
	}
	buf = binary.LittleEndian.AppendUint64(buf, xxhash.Sum64(buf))
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, buf, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// readManifest reads a manifest, as a map and as a list sorted by name;
// nil when it is missing or damaged. Its names share the memory of the
// file's bytes, which nothing writes to.
func readManifest(name string) (Manifest, []named) {
	buf, err := os.ReadFile(name)
	if err != nil || len(buf) < len(manifestMagic)+8 || !bytes.HasPrefix(buf, []byte(manifestMagic)) {
		return nil, nil
	}
	body, sum := buf[:len(buf)-8], binary.LittleEndian.Uint64(buf[len(buf)-8:])
	if xxhash.Sum64(body) != sum {
		return nil, nil
	}
	r := body[len(manifestMagic):]
	n, k := binary.Uvarint(r)
	if k <= 0 || n > uint64(len(r)) {
		return nil, nil
	}
	r = r[k:]
	m := make(Manifest, n)
	list := make([]named, 0, n)
	for range n {
		l, k := binary.Uvarint(r)
		if k <= 0 || l > uint64(len(r)-k) || len(r)-k-int(l) < 8 {
			return nil, nil
		}
		name := unsafe.String(unsafe.SliceData(r[k:]), int(l))
		r = r[k+int(l):]
		s := Sum(binary.LittleEndian.Uint64(r))
		size, k2 := binary.Uvarint(r[8:])
		if k2 <= 0 {
			return nil, nil
		}
		r = r[8+k2:]
		// Written sorted, without repeats: anything else is damage.
		if len(list) > 0 && list[len(list)-1].name >= name {
			return nil, nil
		}
		e := Entry{Sum: s, Size: int64(size)}
		m[name] = e
		list = append(list, named{name, e})
	}
	if len(r) != 0 {
		return nil, nil
	}
	return m, list
}

// listFiles returns the files under dir, slash-separated and relative.
func listFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// WriteList writes names one per line to file name, through a temporary
// file beside it.
func WriteList(name string, names []string) error {
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, n := range names {
		w.WriteString(n)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, name)
}
