package site

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/binfmt"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/output"
)

// CacheDir is the default folder of the build cache, inside the site.
const CacheDir = ".bantin/cache"

// cacheFile is the cache's one data file in its folder, and cacheLock the
// file a build holds a lock on while it uses the folder.
const (
	cacheFile  = "build.bin"
	textsFile  = "texts.bin"  // the renderings' plain texts, for search
	searchFile = "search.bin" // the search index's State, for updating it
	cacheLock  = "lock"
	cacheMagic = "bantin build cache\n"
	// storeFormat numbers the layout of cacheFile.
	storeFormat = 5
)

// OpenCache opens the build cache in dir for a build of the site cfg
// describes, made by bantin version. It takes the folder's lock for the
// whole build: Save releases it.
//
// A cache that cannot be used never fails a build: a damaged file (cut
// short, a wrong checksum, an unknown format), one written by another
// version of bantin, or a folder another build holds gives an empty cache,
// or none, and a one-line notice saying why; the build then renders
// everything. A nil cache with an empty notice is never returned.
func OpenCache(dir string, cfg *config.Site, version string) (c *Cache, notice string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Sprintf("note: cannot use the build cache %s (%v); building without it", dir, errText(err))
	}
	lock, err := output.TryLock(filepath.Join(dir, cacheLock))
	if err != nil {
		return nil, fmt.Sprintf("note: the build cache %s is in use by another build (%v); building without it", dir, errText(err))
	}
	c = NewCache()
	c.persistent = true
	c.dir, c.version, c.lock = dir, version, lock
	data, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if errors.Is(err, fs.ErrNotExist) {
		return c, ""
	}
	if err == nil {
		err = c.decode(data, cfg, version)
		c.savedBytes = int64(len(data))
		if info, err := os.Stat(filepath.Join(dir, searchFile)); err == nil {
			c.savedBytes += info.Size()
		}
	}
	if err != nil {
		fresh := NewCache()
		fresh.persistent = true
		fresh.dir, fresh.version, fresh.lock = dir, version, lock
		return fresh, fmt.Sprintf("note: ignoring the build cache %s: %v; building from scratch", dir, err)
	}
	return c, ""
}

// SavedBytes returns the size of the cache files OpenCache found in use
// (the build data and the search state; not the texts, which a build
// streams), or 0 when it found no earlier build's work: a rebuild's live
// heap is mostly what those files decode to, a few times their size.
func (c *Cache) SavedBytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) == 0 {
		return 0
	}
	return c.savedBytes
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// decode fills an empty cache from data, which must be a whole cache file
// of this version of bantin.
func (c *Cache) decode(data []byte, cfg *config.Site, version string) error {
	if !bytes.HasPrefix(data, []byte(cacheMagic)) || len(data) < len(cacheMagic)+8 {
		return errors.New("it is not a bantin cache file, or it was cut short")
	}
	body, sum := data[:len(data)-8], binary.LittleEndian.Uint64(data[len(data)-8:])
	if xxhash.Sum64(body) != sum {
		return errors.New("its checksum is wrong (the file was cut short or damaged)")
	}
	r := binfmt.NewReader(body[len(cacheMagic):], errDamagedCache)
	if f := r.Uint(); f != storeFormat {
		return fmt.Errorf("it has format %d, not %d", f, storeFormat)
	}
	if v := r.String(); v != version {
		return fmt.Errorf("it was written by bantin %s, not %s", v, version)
	}
	c.texts = textsInfo{id: r.Uint64(), size: int64(r.Uint())}
	contentData := r.Bytes()
	if r.Err != nil {
		return r.Err
	}
	cc, err := content.DecodeCache(contentData, cfg)
	if err != nil {
		return fmt.Errorf("its articles cannot be read: %w", err)
	}
	c.Content = cc
	for n := r.Uint(); n > 0 && r.Err == nil; n-- {
		file := r.Alias()
		d := cachedDoc{key: r.Uint64(), summary: r.Alias()}
		if off := r.Uint(); off > 0 && off <= uint64(c.texts.size) {
			d.textAt = textLoc{off: int64(off), n: int64(r.Uint()), sum: r.Uint64()}
		} else if off > 0 {
			r.Fail()
		}
		if n := r.Uint(); n > 0 && n <= uint64(len(r.Buf)) {
			d.images = make([]cachedImage, n)
			for i := range d.images {
				d.images[i] = cachedImage{dest: r.Alias(), src: r.Alias()}
			}
			d.imagePos = diag.Pos{File: r.Alias(), Line: int(r.Uint()), Col: int(r.Uint())}
		} else if n > 0 {
			r.Fail()
		}
		c.docs[file] = d
	}
	c.searchKey = r.Uint64()
	c.searchStateSum = r.Uint64()
	for n := r.Uint(); n > 0 && r.Err == nil; n-- {
		c.searchFiles = append(c.searchFiles, cachedFile{name: r.Alias(), sum: output.Sum(r.Uint64())})
	}
	for n := r.Uint(); n > 0 && r.Err == nil; n-- {
		name := r.Alias()
		p := cachedPage{key: r.Uint64(), sum: output.Sum(r.Uint64()), inputs: r.Uint64()}
		c.pages[name] = p
	}
	if r.Err != nil || len(r.Buf) != 0 {
		return errors.New("its contents are damaged")
	}
	return nil
}

// Save writes the cache back into its folder, without the entries of
// files and pages the last build no longer had, and releases the folder.
// A cache not made by OpenCache has nothing to save.
func (c *Cache) Save(cfg *config.Site) error {
	if c == nil || c.lock == nil {
		return nil
	}
	defer c.Release()
	c.mu.Lock()
	defer c.mu.Unlock()
	files := keys(c.docs, c.usedDocs)
	if err := c.saveTexts(files); err != nil {
		return err
	}
	if err := c.saveSearchState(); err != nil {
		return err
	}
	_, err := writeChecked(filepath.Join(c.dir, cacheFile), func(w *writer) {
		w.uint(storeFormat)
		w.str(c.version)
		w.uint64(c.texts.id)
		w.uint(uint64(c.texts.size))
		w.bytes(c.Content.AppendTo(nil, cfg))
		w.uint(uint64(len(files)))
		for _, f := range files {
			d := c.docs[f]
			w.str(f)
			w.uint64(d.key)
			w.str(d.summary)
			w.uint(uint64(d.textAt.off))
			if d.textAt.off > 0 {
				w.uint(uint64(d.textAt.n))
				w.uint64(d.textAt.sum)
			}
			w.uint(uint64(len(d.images)))
			for _, img := range d.images {
				w.str(img.dest)
				w.str(img.src)
			}
			if len(d.images) > 0 {
				w.str(d.imagePos.File)
				w.uint(uint64(d.imagePos.Line))
				w.uint(uint64(d.imagePos.Col))
			}
			w.spill()
		}
		w.uint64(c.searchKey)
		w.uint64(c.searchStateSum)
		w.uint(uint64(len(c.searchFiles)))
		for _, f := range c.searchFiles {
			w.str(f.name)
			w.uint64(uint64(f.sum))
			w.spill()
		}
		names := keys(c.pages, c.usedPages)
		w.uint(uint64(len(names)))
		for _, n := range names {
			p := c.pages[n]
			w.str(n)
			w.uint64(p.key)
			w.uint64(uint64(p.sum))
			w.uint64(p.inputs)
			w.spill()
		}
	})
	return err
}

// writeChecked writes a cache file through a temporary file: the magic
// line, what fill writes, and a checksum of both, which it returns.
func writeChecked(name string, fill func(w *writer)) (uint64, error) {
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, fmt.Errorf("save the build cache: %v", errText(err))
	}
	w := &writer{buf: make([]byte, 0, spillBytes+64<<10), file: f}
	w.digest.Reset()
	w.buf = append(w.buf, cacheMagic...)
	fill(w)
	w.flush()
	sum := w.digest.Sum64()
	if w.err == nil {
		_, w.err = f.Write(binary.LittleEndian.AppendUint64(nil, sum))
	}
	if err := errors.Join(w.err, f.Close()); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("save the build cache: %v", errText(err))
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("save the build cache: %v", errText(err))
	}
	return sum, nil
}

// spillBytes is how much a cache writer gathers before writing it out.
const spillBytes = 256 << 10

// Notice returns a one-line note about a part of the cache the last build
// could not use, or "".
func (c *Cache) Notice() string {
	if c == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notice
}

// Release lets other builds use the cache's folder, without saving.
func (c *Cache) Release() {
	if c != nil && c.lock != nil {
		c.sink.discard()
		c.lock.Release()
		c.lock = nil
	}
}

// keys returns the sorted keys of m that used marks, or all of them when
// used is nil.
func keys[V any](m map[string]V, used map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if used == nil || used[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// errDamagedCache is what a cache file that does not decode gives.
var errDamagedCache = errors.New("its contents are damaged")

// writer encodes a cache file, writing it out as it goes when it has a
// file, with a running checksum of what it wrote.
type writer struct {
	buf    []byte
	file   *os.File
	digest xxhash.Digest
	err    error
}

// spill writes out what the writer gathered once it is large.
func (w *writer) spill() {
	if w.file != nil && len(w.buf) >= spillBytes {
		w.flush()
	}
}

func (w *writer) flush() {
	w.digest.Write(w.buf)
	if w.err == nil && w.file != nil {
		_, w.err = w.file.Write(w.buf)
	}
	w.buf = w.buf[:0]
}

// Write appends p, for encoders that write to an io.Writer.
func (w *writer) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	w.spill()
	return len(p), nil
}

func (w *writer) uint(v uint64)   { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *writer) uint64(v uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, v) }
func (w *writer) str(s string) {
	w.uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}
func (w *writer) bytes(b []byte) {
	w.uint(uint64(len(b)))
	if w.file != nil && len(b) >= spillBytes {
		// Written out as it is, not copied into the buffer first.
		w.flush()
		w.digest.Write(b)
		if w.err == nil {
			_, w.err = w.file.Write(b)
		}
		return
	}
	w.buf = append(w.buf, b...)
}
