package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unsafe"

	"github.com/bantin/bantin/internal/binfmt"
)

// State is what an index is updated from, rather than built again: what
// encoding its lists needs beyond the lists as encoded (each syllable's
// spellings with the number of documents that write them, each
// document's length, title and taxonomy words), and the encoded shards and
// lists themselves, compressed as they were written. An Update reads and
// rewrites only the shards and lists the changed documents are in.
type State struct {
	facets  []byte // the facets, as the manifest lists them
	docs    []stateDoc
	shards  []stored
	own     map[string]*ownList // the lists in files of their own, by term
	blocked []string            // terms whose list is as large, whose file another term has
	total   int                 // bytes of every list, which shardCount counts shards from
	// syllables holds each syllable's documents and spellings.
	syllables map[string]*syllable
}

type stateDoc struct {
	key      uint64 // the caller's, to tell a changed document
	length   uint32
	title    string
	meta     []string
	fragment uint64 // xxhash of its fragment file
	facets   []byte // its row of the facet table
}

// stored is a file of the index as written, and its xxhash.
type stored struct {
	data []byte
	sum  uint64
}

type ownList struct {
	stored
	df uint32
}

type syllable struct {
	df        uint32
	spellings []spelling // sorted
}

// spelling is a way a syllable is written, and how many documents do.
type spelling struct {
	word string
	docs uint32
}

// KeepState makes the builder keep what FinishState needs; call it before
// adding documents.
func (b *Builder) KeepState() { b.keepState = true }

// Needs reports whether document id must be added: always, to a Builder.
func (b *Builder) Needs(id int) bool { return true }

// stateFormat numbers the layout AppendTo writes.
const stateFormat = 1

// Docs returns the number of documents of the index.
func (s *State) Docs() int { return len(s.docs) }

// AppendTo appends the state's encoding to dst.
func (s *State) AppendTo(dst []byte) []byte {
	w := stateWriter{buf: dst}
	s.encode(&w)
	return w.buf
}

// WriteTo writes the state's encoding to out, a part at a time.
func (s *State) WriteTo(out io.Writer) (int64, error) {
	w := stateWriter{buf: make([]byte, 0, stateChunk+64<<10), out: out}
	s.encode(&w)
	w.flush()
	return w.written, w.err
}

// stateChunk is how much WriteTo gathers before writing it out.
const stateChunk = 256 << 10

func (s *State) encode(w *stateWriter) {
	w.uint(stateFormat)
	w.uint(FormatVersion)
	w.bytes(s.facets)
	w.uint(uint64(s.total))
	w.uint(uint64(len(s.docs)))
	for _, d := range s.docs {
		w.uint64(d.key)
		w.uint(uint64(d.length))
		w.str(d.title)
		w.uint(uint64(len(d.meta)))
		for _, m := range d.meta {
			w.str(m)
		}
		w.uint64(d.fragment)
		w.bytes(d.facets)
		w.spill()
	}
	w.uint(uint64(len(s.shards)))
	for _, sh := range s.shards {
		w.bytes(sh.data)
		w.uint64(sh.sum)
		w.spill()
	}
	own := make([]string, 0, len(s.own))
	for k := range s.own {
		own = append(own, k)
	}
	slices.Sort(own)
	w.uint(uint64(len(own)))
	for _, k := range own {
		o := s.own[k]
		w.str(k)
		w.uint(uint64(o.df))
		w.bytes(o.data)
		w.uint64(o.sum)
		w.spill()
	}
	w.uint(uint64(len(s.blocked)))
	for _, k := range s.blocked {
		w.str(k)
	}
	syllables := make([]string, 0, len(s.syllables))
	for k := range s.syllables {
		syllables = append(syllables, k)
	}
	slices.Sort(syllables)
	w.uint(uint64(len(syllables)))
	for _, k := range syllables {
		syl := s.syllables[k]
		w.str(k)
		w.uint(uint64(syl.df))
		w.uint(uint64(len(syl.spellings)))
		for _, sp := range syl.spellings {
			w.str(sp.word)
			w.uint(uint64(sp.docs))
		}
		w.spill()
	}
}

// DecodeState reads a state AppendTo wrote. The compressed files it holds
// point into data, which must not change while the state is in use.
func DecodeState(data []byte) (*State, error) {
	r := binfmt.NewReader(data, errStateDamaged)
	if f, v := r.Uint(), r.Uint(); r.Err == nil && (f != stateFormat || v != FormatVersion) {
		return nil, fmt.Errorf("search state of format %d.%d, not %d.%d", f, v, stateFormat, FormatVersion)
	}
	// Strings point into data rather than being copied: a state holds
	// every document's title and words.
	view := func() string {
		b := r.Bytes()
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	s := &State{facets: r.Bytes(), total: int(r.Uint())}
	s.docs = make([]stateDoc, r.Count())
	for i := range s.docs {
		d := &s.docs[i]
		d.key, d.length, d.title = r.Uint64(), uint32(r.Uint()), view()
		d.meta = make([]string, r.Count())
		for j := range d.meta {
			d.meta[j] = view()
		}
		d.fragment, d.facets = r.Uint64(), r.Bytes()
	}
	s.shards = make([]stored, r.Count())
	for i := range s.shards {
		s.shards[i] = stored{data: r.Bytes(), sum: r.Uint64()}
	}
	n := r.Count()
	s.own = make(map[string]*ownList, n)
	for range n {
		k := view()
		df := uint32(r.Uint())
		s.own[k] = &ownList{df: df, stored: stored{data: r.Bytes(), sum: r.Uint64()}}
	}
	s.blocked = make([]string, r.Count())
	for i := range s.blocked {
		s.blocked[i] = view()
	}
	n = r.Count()
	s.syllables = make(map[string]*syllable, n)
	for range n {
		k := view()
		syl := &syllable{df: uint32(r.Uint())}
		syl.spellings = make([]spelling, r.Count())
		for i := range syl.spellings {
			syl.spellings[i] = spelling{word: view(), docs: uint32(r.Uint())}
		}
		s.syllables[k] = syl
	}
	if r.Err != nil || len(r.Buf) != 0 {
		return nil, errStateDamaged
	}
	if len(s.shards) == 0 {
		return nil, errors.New("search state without shards")
	}
	return s, nil
}

// errStateDamaged is what a malformed state gives.
var errStateDamaged = errors.New("search state damaged")

// stateWriter encodes a state into buf, written out to out, when set, a
// chunk at a time.
type stateWriter struct {
	buf     []byte
	out     io.Writer
	written int64
	err     error
}

func (w *stateWriter) spill() {
	if w.out != nil && len(w.buf) >= stateChunk {
		w.flush()
	}
}

func (w *stateWriter) flush() {
	if w.err == nil {
		var n int
		n, w.err = w.out.Write(w.buf)
		w.written += int64(n)
	}
	w.buf = w.buf[:0]
}

func (w *stateWriter) uint(v uint64)   { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *stateWriter) uint64(v uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, v) }
func (w *stateWriter) bytes(b []byte) {
	w.uint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}
func (w *stateWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// words lists the spellings of syl some document writes, in order.
func (syl *syllable) words() []string {
	var out []string
	for _, sp := range syl.spellings {
		if sp.docs > 0 {
			out = append(out, sp.word)
		}
	}
	return out
}

// count adds delta documents to spelling word.
func (syl *syllable) count(word string, delta int) {
	i, found := slices.BinarySearchFunc(syl.spellings, word, func(sp spelling, w string) int { return strings.Compare(sp.word, w) })
	if !found {
		syl.spellings = slices.Insert(syl.spellings, i, spelling{word: word})
	}
	syl.spellings[i].docs = uint32(int(syl.spellings[i].docs) + delta)
}
