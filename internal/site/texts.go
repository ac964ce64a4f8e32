package site

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// The texts file keeps the plain text of each rendering, which the search
// index is made from, so that a build indexes an article without
// rendering its Markdown again.
//
// It is a header (the cache's magic line, storeFormat, the bantin version
// and a random number naming this file) and records, one per text: the
// rendering's key (8 bytes) and the text. Records are not framed: the
// cache file keeps, with each content file's entry, where its record is,
// its length and checksum (a textLoc), and the texts file's name and size
// (textsInfo). A build reads the texts it needs where they are.
//
// A rebuild appends the records of the texts it rendered past the size the
// cache file records, rather than write every text again; the records of
// older renderings stay, dead. Once dead records weigh more than live
// ones, the save writes the live ones to a new file, of another name, in
// its place: the file stays under twice what it holds, and a rebuild's
// save costs what it rendered. A build killed while appending leaves bytes
// past the recorded size, which the next build cuts off unread; one killed
// between writing a new texts file and the cache file leaves a cache file
// naming another texts file, whose texts are then not used. A record is
// used only if its checksum and key are the ones recorded: a damaged one
// is rendered again.
type textLoc struct {
	off int64  // of the record in the file; 0: no text kept
	n   int64  // bytes of the record, its key included
	sum uint64 // xxhash of the record
}

// textsInfo names the texts file the cache file's records point into, and
// says how much of it they may point into.
type textsInfo struct {
	id   uint64
	size int64
}

// textsHeader is the start of a texts file of version named id.
func textsHeader(version string, id uint64) []byte {
	h := append([]byte(cacheMagic), binary.AppendUvarint(nil, storeFormat)...)
	h = binary.AppendUvarint(h, uint64(len(version)))
	h = append(h, version...)
	return binary.LittleEndian.AppendUint64(h, id)
}

// textRecord returns the text of record, the bytes at loc, if they are
// whole and the record of key.
func textRecord(record []byte, loc textLoc, key uint64) ([]byte, bool) {
	if int64(len(record)) != loc.n || loc.n < 8 || xxhash.Sum64(record) != loc.sum || binary.LittleEndian.Uint64(record) != key {
		return nil, false
	}
	return record[8:], true
}

// errTextsDamaged says that the texts file is not the one the cache file
// describes, or that a record is damaged.
var errTextsDamaged = errors.New("its checksum is wrong (the file was cut short or damaged)")

// openTexts opens the texts file info names, of the cache in dir, after
// checking its header and that it is not shorter than info says.
func openTexts(dir, version string, info textsInfo) (*os.File, error) {
	if info.size == 0 {
		return nil, fs.ErrNotExist
	}
	f, err := os.Open(filepath.Join(dir, textsFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("it is missing")
		}
		return nil, errors.New(errText(err))
	}
	if err := checkTexts(f, version, info); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// checkTexts checks that f starts with the header of the texts file info
// names and is at least as long as info says.
func checkTexts(f *os.File, version string, info textsInfo) error {
	want := textsHeader(version, info.id)
	head := make([]byte, len(want))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, want) {
		if !bytes.HasPrefix(head, []byte(cacheMagic)) {
			return errors.New("it is not a bantin cache file, or it was cut short")
		}
		if !bytes.Equal(head[:len(want)-8], want[:len(want)-8]) {
			return errors.New("it was written by another version of bantin")
		}
		return errors.New("it is not the one the cache file describes")
	}
	st, err := f.Stat()
	if err != nil {
		return errors.New(errText(err))
	}
	if st.Size() < info.size {
		return errTextsDamaged
	}
	return nil
}

// textsDamaged notes that the texts file could not be used, and why; c.mu
// is held.
func (c *Cache) textsDamaged(why string) {
	c.notice = fmt.Sprintf("note: ignoring the texts of the build cache %s: %s; rendering the Markdown again", c.dir, why)
}

// findTexts reads the texts of want, by content file, and reports whether
// every document of have (which want is part of) has a text kept, so that
// the index can be built from them if it must. It reads only the texts
// wanted.
func (c *Cache) findTexts(have []textSource, want map[string]uint64) (map[string]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range have {
		if d, ok := c.docs[s.file]; !ok || d.key != s.key || d.textAt.off == 0 {
			return nil, false
		}
	}
	f, err := openTexts(c.dir, c.version, c.texts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		c.textsDamaged(err.Error())
		return nil, false
	}
	defer f.Close()
	found := make(map[string]string, len(want))
	for file, key := range want {
		d := c.docs[file]
		if d.key != key || d.textAt.off+d.textAt.n > c.texts.size {
			return nil, false
		}
		record := make([]byte, d.textAt.n)
		if _, err := f.ReadAt(record, d.textAt.off); err != nil {
			c.textsDamaged(errTextsDamaged.Error())
			return nil, false
		}
		text, ok := textRecord(record, d.textAt, key)
		if !ok {
			c.textsDamaged(errTextsDamaged.Error())
			return nil, false
		}
		found[file] = string(text)
	}
	return found, true
}

// readTexts reads the texts of every rendering this build did not make,
// once, for a search index built from every article; c.mu is held. A
// damaged record gives no text: the Markdown is rendered again where one
// is needed.
func (c *Cache) readTexts() {
	if c.textsRead || !c.persistent {
		return
	}
	c.textsRead = true
	f, err := openTexts(c.dir, c.version, c.texts)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		c.textsDamaged(err.Error())
		return
	}
	defer f.Close()
	// One read of the whole file: the texts point into it rather than
	// being copied (hundreds of megabytes at 100,000 articles).
	data := make([]byte, c.texts.size)
	if _, err := f.ReadAt(data, 0); err != nil {
		c.textsDamaged(errText(err))
		return
	}
	damaged := false
	for file, d := range c.docs {
		loc := d.textAt
		if loc.off == 0 || d.streamed || d.hasText {
			continue
		}
		if loc.off < 0 || loc.n < 0 || loc.off+loc.n > int64(len(data)) {
			damaged = true
			continue
		}
		text, ok := textRecord(data[loc.off:loc.off+loc.n], loc, d.key)
		if !ok {
			damaged = true
			continue
		}
		d.text, d.hasText = unsafe.String(unsafe.SliceData(text), len(text)), true
		c.docs[file] = d
	}
	if damaged {
		c.textsDamaged(errTextsDamaged.Error())
	}
}

// loadTexts reads the renderings' texts, for the search index.
func (c *Cache) loadTexts() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readTexts()
}

// textSink writes the texts of a build's renderings as they come: past
// the end of the cache's texts file, or, when there is none to append to,
// to a new one.
type textSink struct {
	mu sync.Mutex
	f  *os.File
	// fresh: f is a new file, written as tmp, to replace the cache's.
	fresh bool
	tmp   string
	id    uint64 // of the file written
	buf   []byte // records not yet written, which start at flushed
	// flushed is the size of the file as written, pos its size with buf.
	flushed, pos int64
	header       int64 // size of the file's header
	err          error
}

// add writes the record of a rendering's text and returns where it is.
// base is the texts file the cache file records.
func (s *textSink) add(dir, version string, base textsInfo, key uint64, text string) textLoc {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil && s.err == nil {
		s.start(dir, version, base)
	}
	return s.record(key, text)
}

// record appends a record to the file; s.mu is held and s started.
func (s *textSink) record(key uint64, text string) textLoc {
	if s.err != nil {
		return textLoc{}
	}
	start := len(s.buf)
	s.buf = binary.LittleEndian.AppendUint64(s.buf, key)
	s.buf = append(s.buf, text...)
	loc := textLoc{off: s.pos, n: int64(len(s.buf) - start), sum: xxhash.Sum64(s.buf[start:])}
	s.pos += loc.n
	if len(s.buf) >= spillBytes {
		s.flush()
	}
	return loc
}

// start opens the cache's texts file to append to it, past the size the
// cache file records, or creates a new one; s.mu is held.
func (s *textSink) start(dir, version string, base textsInfo) {
	name := filepath.Join(dir, textsFile)
	if base.size > 0 {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err == nil {
			// Bytes past the recorded size are a killed build's.
			if err = checkTexts(f, version, base); err == nil {
				err = f.Truncate(base.size)
			}
			if err == nil {
				s.f, s.fresh, s.id = f, false, base.id
				s.header = int64(len(textsHeader(version, base.id)))
				s.flushed, s.pos = base.size, base.size
				s.buf = make([]byte, 0, spillBytes+64<<10)
				return
			}
			f.Close()
		}
	}
	s.create(dir, version)
}

// create starts a new texts file, of a new name; s.mu is held.
func (s *textSink) create(dir, version string) {
	s.tmp = filepath.Join(dir, textsFile+".tmp")
	s.f, s.err = os.Create(s.tmp)
	if s.err != nil {
		s.f = nil
		return
	}
	var id [8]byte
	rand.Read(id[:])
	s.fresh, s.id = true, binary.LittleEndian.Uint64(id[:])
	s.buf = append(make([]byte, 0, spillBytes+64<<10), textsHeader(version, s.id)...)
	s.header, s.flushed, s.pos = int64(len(s.buf)), 0, int64(len(s.buf))
}

func (s *textSink) flush() {
	if s.err == nil && len(s.buf) > 0 {
		_, s.err = s.f.WriteAt(s.buf, s.flushed)
	}
	s.flushed += int64(len(s.buf))
	s.buf = s.buf[:0]
}

// close writes out what is left and closes the file, putting a new one in
// place of the cache's; it returns the file written.
func (s *textSink) close(dir string) (textsInfo, error) {
	s.flush()
	err := errors.Join(s.err, s.f.Close())
	if err == nil && s.fresh {
		err = os.Rename(s.tmp, filepath.Join(dir, textsFile))
	}
	s.f = nil
	if err != nil {
		if s.fresh {
			os.Remove(s.tmp)
		}
		return textsInfo{}, fmt.Errorf("save the build cache: %v", errText(err))
	}
	return textsInfo{id: s.id, size: s.pos}, nil
}

// discard drops an unfinished texts file: a new one is removed; records
// appended to the cache's stay past its recorded size, unused.
func (s *textSink) discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.discardLocked()
}

// saveTexts puts the texts this build rendered in the texts file, with
// the files' entries pointing at them, and writes the file anew when dead
// records weigh more than live ones; c.mu is held. files are the content
// files whose entries the cache file keeps.
func (c *Cache) saveTexts(files []string) error {
	s := &c.sink
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil && s.err == nil {
		return nil // nothing rendered: the file and the entries stay
	}
	if s.err != nil {
		err := s.err
		s.discardLocked()
		return fmt.Errorf("save the build cache: %v", errText(err))
	}
	var live int64
	for _, f := range files {
		live += c.docs[f].textAt.n
	}
	// from is the file the texts not in the sink's are read from, and
	// all says that every text is to be copied.
	var from *os.File
	all := false
	switch {
	case s.fresh:
		if f, err := openTexts(c.dir, c.version, c.texts); err == nil {
			from = f
			defer f.Close()
		}
	case s.pos-s.header-live <= live:
		info, err := s.close(c.dir)
		if err != nil {
			return err
		}
		c.texts = info
		return nil
	default: // dead records outweigh live ones
		if s.flush(); s.err != nil {
			err := s.err
			s.discardLocked()
			return fmt.Errorf("save the build cache: %v", errText(err))
		}
		from, all = s.f, true
		defer from.Close()
		s.f = nil
		if s.create(c.dir, c.version); s.err != nil {
			return fmt.Errorf("save the build cache: %v", errText(s.err))
		}
	}
	var todo []string
	for _, f := range files {
		if d := c.docs[f]; d.textAt.off > 0 && (all || !d.streamed) {
			todo = append(todo, f)
		}
	}
	// In the order they are in the file they are read from.
	slices.SortFunc(todo, func(a, b string) int { return cmp.Compare(c.docs[a].textAt.off, c.docs[b].textAt.off) })
	var record []byte
	for _, f := range todo {
		d := c.docs[f]
		var text []byte
		ok := false
		if from != nil {
			record = slices.Grow(record[:0], int(d.textAt.n))[:d.textAt.n]
			if _, err := from.ReadAt(record, d.textAt.off); err == nil {
				text, ok = textRecord(record, d.textAt, d.key)
			}
		}
		// A text that cannot be read is dropped: the next build that
		// needs it renders the Markdown.
		d.textAt = textLoc{}
		if ok {
			d.textAt = s.record(d.key, unsafe.String(unsafe.SliceData(text), len(text)))
		}
		c.docs[f] = d
	}
	info, err := s.close(c.dir)
	if err != nil {
		return err
	}
	c.texts = info
	return nil
}

// discardLocked is discard with s.mu held.
func (s *textSink) discardLocked() {
	if s.f != nil {
		s.f.Close()
		if s.fresh {
			os.Remove(s.tmp)
		}
		s.f = nil
	}
}
