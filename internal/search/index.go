package search

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/bantin/bantin/internal/vi"
)

// Doc is one article as the search index sees it. Docs are numbered by
// their position in the slice given to Build, which must be newest first:
// equal scores, and queries made only of filters, list results in that order.
type Doc struct {
	URL    string // path as linked on the site, with the base path
	Title  string
	Date   string // as displayed in results
	Year   int
	Region string
	Slogan string
	Topics []string
	Period string // label, empty when none
	Body   string // plain text
}

// Facets are the values a result list can be narrowed by, in display order.
type Facets struct {
	Regions []string
	Topics  []string
	Periods []string
}

// Field weights of the BM25F-style ranking: the title counts three times a
// body word, slogan, region and topics twice.
const (
	titleWeight = 3
	metaWeight  = 2
	bodyWeight  = 1
	bm25K1      = 1.2
	bm25B       = 0.75
	// maxImpact is the top of the 4-bit scale a term's weight in a document
	// is stored on.
	maxImpact = 15
	// excerptChars bounds the text kept per result for excerpts.
	excerptChars = 2400
)

// Key spaces of the term dictionary: a folded syllable as is ("duong"), an
// exact spelling when it differs ("đường"), and a pair of adjacent folded
// syllables behind "~" ("~thi dua").
const bigramPrefix = "~"

// postings of one term while indexing.
type postings struct {
	docs []uint32
	tf   []uint16 // weighted term frequency, for folded syllables only
}

// Builder accumulates documents; Add is safe for concurrent use.
type Builder struct {
	mu      sync.RWMutex
	ids     map[string]uint32 // term -> index into terms
	keys    []string
	terms   []*postings
	lengths []uint32
	docs    []docMeta
	facets  Facets
	facetID facetIDs
	scratch sync.Pool // *docTerms, reused across documents
}

type docMeta struct {
	fragment []byte
	region   int
	period   int // 0 for none, else 1 + index
	topics   []int
	year     int
}

type facetIDs struct {
	region, topic, period map[string]int
}

func positions(values []string) map[string]int {
	m := make(map[string]int, len(values))
	for i, v := range values {
		m[v] = i
	}
	return m
}

// NewBuilder starts an index of n documents with the given facet values.
func NewBuilder(n int, facets Facets) *Builder {
	b := &Builder{
		ids:     make(map[string]uint32, 1<<16),
		lengths: make([]uint32, n),
		docs:    make([]docMeta, n),
		facets:  facets,
		facetID: facetIDs{positions(facets.Regions), positions(facets.Topics), positions(facets.Periods)},
	}
	b.scratch.New = func() any { return &docTerms{slot: map[uint64]int32{}} }
	return b
}

// docTerms collects one document's distinct terms before they join the
// index, so that the shared dictionary is locked once per document rather
// than once per word.
type docTerms struct {
	slot  map[uint64]int32 // hash of a term -> index into terms
	terms []docTerm
	arena []byte // the terms' bytes
	buf   []byte
	pair  []byte
}

type docTerm struct {
	start, end int32
	tf         uint16 // weighted frequency; 0 for presence-only terms
}

func (d *docTerms) reset() {
	clear(d.slot)
	d.terms, d.arena = d.terms[:0], d.arena[:0]
}

// add counts term with weight (0 for presence-only terms).
func (d *docTerms) add(term []byte, weight uint16) {
	h := hash64(term)
	for {
		i, ok := d.slot[h]
		if !ok {
			start := int32(len(d.arena))
			d.arena = append(d.arena, term...)
			d.slot[h] = int32(len(d.terms))
			d.terms = append(d.terms, docTerm{start: start, end: int32(len(d.arena)), tf: weight})
			return
		}
		t := &d.terms[i]
		if string(d.arena[t.start:t.end]) == string(term) {
			t.tf += weight
			return
		}
		h++ // a hash collision: probe the next slot
	}
}

func hash64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func (b *Builder) addField(d *docTerms, text string, weight uint16) int {
	n := 0
	d.pair = d.pair[:0]
	d.buf = scan(text, d.buf, func(exact string, folded []byte) {
		n++
		d.add(folded, weight)
		if exact != string(folded) {
			d.add([]byte(exact), 0)
		}
		if len(d.pair) > 0 {
			d.pair = append(append(d.pair, ' '), folded...)
			d.add(d.pair, 0)
		}
		d.pair = append(append(d.pair[:0], bigramPrefix...), folded...)
	})
	return n
}

// resolve returns the dictionary id of every term of d, adding new terms.
func (b *Builder) resolve(d *docTerms) []uint32 {
	ids := make([]uint32, len(d.terms))
	var missing []int
	b.mu.RLock()
	for i, t := range d.terms {
		id, ok := b.ids[string(d.arena[t.start:t.end])]
		if !ok {
			missing = append(missing, i)
		}
		ids[i] = id
	}
	b.mu.RUnlock()
	if len(missing) == 0 {
		return ids
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, i := range missing {
		t := d.terms[i]
		key := string(d.arena[t.start:t.end])
		id, ok := b.ids[key]
		if !ok {
			id = uint32(len(b.keys))
			b.ids[key] = id
			b.keys = append(b.keys, key)
			p := &postings{}
			if key[0] != bigramPrefix[0] && vi.Fold(key) == key {
				p.tf = []uint16{} // a folded syllable: ranked by frequency
			}
			b.terms = append(b.terms, p)
		}
		ids[i] = id
	}
	return ids
}

// Add indexes document id.
func (b *Builder) Add(id int, doc Doc) error {
	d := b.scratch.Get().(*docTerms)
	d.reset()
	defer b.scratch.Put(d)
	length := b.addField(d, doc.Title, titleWeight)
	length += b.addField(d, doc.Slogan, metaWeight)
	length += b.addField(d, doc.Region, metaWeight)
	for _, t := range doc.Topics {
		length += b.addField(d, t, metaWeight)
	}
	length += b.addField(d, doc.Body, bodyWeight)

	body := doc.Body
	if len(body) > excerptChars {
		cut := excerptChars
		for cut > 0 && body[cut]&0xC0 == 0x80 { // keep whole characters
			cut--
		}
		body = body[:cut]
	}
	frag, err := json.Marshal(map[string]string{"u": doc.URL, "t": doc.Title, "d": doc.Date, "r": doc.Region, "x": body})
	if err != nil {
		return err
	}
	meta := docMeta{fragment: deflate(frag), region: b.facetID.region[doc.Region], year: doc.Year}
	if doc.Period != "" {
		meta.period = 1 + b.facetID.period[doc.Period]
	}
	for _, t := range doc.Topics {
		meta.topics = append(meta.topics, b.facetID.topic[t])
	}

	ids := b.resolve(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lengths[id] = uint32(length)
	b.docs[id] = meta
	for i, term := range ids {
		p := b.terms[term]
		p.docs = append(p.docs, uint32(id))
		if p.tf != nil {
			p.tf = append(p.tf, d.terms[i].tf)
		}
	}
	return nil
}

// File is one output file of the index, relative to the index folder.
type File struct {
	Name string
	Data []byte
}

// Manifest is the index's entry point, fetched first by the client.
type Manifest struct {
	Version   string      `json:"v"`
	Docs      int         `json:"n"`
	Shards    int         `json:"s"`
	Base      string      `json:"b"` // folder of the versioned files, relative to the manifest
	Regions   []string    `json:"region"`
	Topics    []string    `json:"topic"`
	Periods   []string    `json:"period"`
	Years     []yearRange `json:"year"`
	AvgImpact int         `json:"ai"`
}

type yearRange struct {
	Year int `json:"y"`
	From int `json:"f"` // first doc id
	To   int `json:"t"` // last doc id
}

type completion struct {
	Prefix string   `json:"p"`
	Terms  []string `json:"t"`
}

// targetShardBytes is the compressed size a hash shard aims at; lists that
// are larger go to a file of their own.
const (
	targetShardBytes = 6 << 10
	ownFileBytes     = 1 << 10
)

// Finish encodes the index into files: manifest.json, and under a folder
// named by the content's hash, the shards, large posting lists, the facet
// table, completion lists and one fragment per document.
func (b *Builder) Finish() ([]File, error) {
	n := len(b.docs)
	keys := slices.Clone(b.keys)
	slices.Sort(keys)

	// Documents were added concurrently: restore doc-id order.
	var avgLen float64
	for _, l := range b.lengths {
		avgLen += float64(l)
	}
	avgLen = math.Max(1, avgLen/math.Max(1, float64(n)))
	encoded := make(map[string][]byte, len(keys))
	var total int
	for _, k := range keys {
		p := b.terms[b.ids[k]]
		sortPostings(p)
		encoded[k] = b.encodePostings(p, avgLen)
		total += len(encoded[k])
	}

	shards := max(1, total/(targetShardBytes*3)) // postings compress about 3:1
	var files []File
	shardEntries := make([][]string, shards)
	for _, k := range keys {
		s := int(fnv32(k) % uint32(shards))
		shardEntries[s] = append(shardEntries[s], k)
	}
	own := 0
	for s, entries := range shardEntries {
		var buf bytes.Buffer
		putUvarint(&buf, uint64(len(entries)))
		for _, k := range entries {
			putUvarint(&buf, uint64(len(k)))
			buf.WriteString(k)
			block := encoded[k]
			if len(block) > ownFileBytes {
				// Large lists live alone, so a lookup of a rare term in the
				// same shard does not download them.
				putUvarint(&buf, 0)
				putUvarint(&buf, uint64(own))
				files = append(files, File{Name: fmt.Sprintf("t/%d.bin", own), Data: deflate(block)})
				own++
				continue
			}
			putUvarint(&buf, uint64(len(block)))
			buf.Write(block)
		}
		files = append(files, File{Name: fmt.Sprintf("s/%d.bin", s), Data: deflate(buf.Bytes())})
	}

	files = append(files, File{Name: "facets.bin", Data: deflate(b.encodeFacets())})
	for id, d := range b.docs {
		files = append(files, File{Name: fmt.Sprintf("f/%d.bin", id), Data: d.fragment})
	}

	// Completion lists: the most frequent folded syllables per first
	// letter, so that typing "đ" can expand to a few likely words without
	// downloading every word that starts with d.
	files = append(files, b.completions(keys)...)

	// Version the data folder by content, so caches never mix two builds.
	h := sha256.New()
	for _, f := range files {
		h.Write([]byte(f.Name))
		h.Write(f.Data)
	}
	version := hex.EncodeToString(h.Sum(nil))[:12]
	for i := range files {
		files[i].Name = version + "/" + files[i].Name
	}
	m := Manifest{
		Version: version, Docs: n, Shards: shards, Base: version + "/",
		Regions: nonNil(b.facets.Regions), Topics: nonNil(b.facets.Topics), Periods: nonNil(b.facets.Periods),
		Years: b.yearRanges(), AvgImpact: maxImpact / 2,
	}
	manifest, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return append(files, File{Name: "manifest.json", Data: manifest}), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sortPostings(p *postings) {
	if slices.IsSorted(p.docs) {
		return
	}
	idx := make([]int, len(p.docs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p.docs[idx[a]] < p.docs[idx[b]] })
	docs := make([]uint32, len(p.docs))
	for i, j := range idx {
		docs[i] = p.docs[j]
	}
	if p.tf != nil {
		tf := make([]uint16, len(p.tf))
		for i, j := range idx {
			tf[i] = p.tf[j]
		}
		p.tf = tf
	}
	p.docs = docs
}

// Posting block flags.
const (
	flagBitmap   = 1 // documents as a bitmap of n bits, else as delta varints
	flagImpacts  = 2 // one 4-bit impact per document follows
	flagImpacts2 = 4 // one 2-bit impact per document follows (0..3, times 5)
)

// commonDocs is the document count above which a term in most documents
// stores coarse 2-bit impacts: its weight barely moves ranks, and it is
// the list every query of common words downloads.
const commonDocs = 64

// encodePostings writes a list's documents in whichever of a bitmap or delta
// varints is smaller, then, for folded syllables, each document's impact:
// the term's BM25F weight there on a 1..15 scale, or on a 1..3 scale for
// terms in most documents of a large site.
func (b *Builder) encodePostings(p *postings, avgLen float64) []byte {
	n := len(b.docs)
	var deltas bytes.Buffer
	prev := -1
	for _, d := range p.docs {
		putUvarint(&deltas, uint64(int(d)-prev-1))
		prev = int(d)
	}
	var out bytes.Buffer
	flags := byte(0)
	bitmapLen := (n + 7) / 8
	if bitmapLen < deltas.Len() {
		flags |= flagBitmap
	}
	coarse := len(p.docs)*2 > n && len(p.docs) > commonDocs
	if p.tf != nil {
		if coarse {
			flags |= flagImpacts2
		} else {
			flags |= flagImpacts
		}
	}
	out.WriteByte(flags)
	putUvarint(&out, uint64(len(p.docs)))
	if flags&flagBitmap != 0 {
		bitmap := make([]byte, bitmapLen)
		for _, d := range p.docs {
			bitmap[d/8] |= 1 << (d % 8)
		}
		out.Write(bitmap)
	} else {
		out.Write(deltas.Bytes())
	}
	if p.tf != nil {
		perByte := 2
		if coarse {
			perByte = 4
		}
		bits := 8 / perByte
		packed := make([]byte, (len(p.docs)+perByte-1)/perByte)
		for i, d := range p.docs {
			tf := float64(p.tf[i])
			norm := bm25K1 * (1 - bm25B + bm25B*float64(b.lengths[d])/avgLen)
			w := tf * (bm25K1 + 1) / (tf + norm) / (bm25K1 + 1) // 0..1
			levels := float64(int(1)<<bits - 1)
			q := byte(max(1, min(levels, math.Round(w*levels))))
			packed[i/perByte] |= q << (bits * (i % perByte))
		}
		out.Write(packed)
	}
	return out.Bytes()
}

// encodeFacets writes, per document: region, period (0 for none) and
// topics as a count then ids, all as varints.
func (b *Builder) encodeFacets() []byte {
	var buf bytes.Buffer
	for _, d := range b.docs {
		putUvarint(&buf, uint64(d.region))
		putUvarint(&buf, uint64(d.period))
		putUvarint(&buf, uint64(len(d.topics)))
		for _, t := range d.topics {
			putUvarint(&buf, uint64(t))
		}
	}
	return buf.Bytes()
}

// yearRanges exploits the newest-first numbering: each year is a run of ids.
func (b *Builder) yearRanges() []yearRange {
	out := []yearRange{}
	for id, d := range b.docs {
		if n := len(out); n > 0 && out[n-1].Year == d.year {
			out[n-1].To = id
			continue
		}
		out = append(out, yearRange{Year: d.year, From: id, To: id})
	}
	return out
}

// completionsPerLetter is how many words one letter of a prefix expands to.
const completionsPerLetter = 200

func (b *Builder) completions(keys []string) []File {
	byLetter := map[string][]string{}
	for _, k := range keys {
		if strings.HasPrefix(k, bigramPrefix) || !isASCII(k) {
			continue
		}
		first := k[:1]
		byLetter[first] = append(byLetter[first], k)
	}
	var files []File
	for letter, words := range byLetter {
		// Most frequent first; the client keeps those with the typed prefix.
		slices.SortStableFunc(words, func(x, y string) int { return len(b.terms[b.ids[y]].docs) - len(b.terms[b.ids[x]].docs) })
		if len(words) > completionsPerLetter {
			words = words[:completionsPerLetter]
		}
		files = append(files, File{Name: "c/" + letter + ".bin", Data: deflate([]byte(strings.Join(words, "\n")))})
	}
	slices.SortFunc(files, func(x, y File) int { return strings.Compare(x.Name, y.Name) })
	return files
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// fnv32 is 32-bit FNV-1a over the key's UTF-8 bytes; the client computes
// the same to find a term's shard.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func putUvarint(buf *bytes.Buffer, v uint64) {
	var tmp [binary.MaxVarintLen64]byte
	buf.Write(tmp[:binary.PutUvarint(tmp[:], v)])
}

// deflate compresses with raw DEFLATE, which browsers inflate natively
// (DecompressionStream "deflate-raw"), so that plain static servers send
// small files without being configured to compress.
func deflate(data []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(data)/2 + 64)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(data)
	w.Close()
	deflaters.Put(w)
	return buf.Bytes()
}

// deflaters reuses compressors: each holds hundreds of kilobytes of state.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestCompression)
	return w
}}
