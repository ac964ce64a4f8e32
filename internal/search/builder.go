package search

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/vi"
)

// Doc is one article as the search index sees it. Docs are numbered oldest
// first, so that a new article takes the next number: equal scores, and
// queries made only of filters, list results newest (highest number)
// first.
// Text must be NFC, as content is after loading.
type Doc struct {
	URL    string // path as linked on the site, with the base path
	Title  string
	Date   string // as displayed in results
	Region string // shown with the result
	// Meta are the article's taxonomy values to find it by, such as its
	// region, slogan and topics: they weigh less than the title and more
	// than the body.
	Meta []string
	// Facets holds the document's values of each facet of the builder, in
	// the builder's order; values a facet does not list are left out.
	Facets [][]string
	Body   string // plain text
}

// Facet is a filter results can be narrowed by: a taxonomy with its
// values. The manifest lists the facets as given, for the browser script.
type Facet struct {
	Key      string   `json:"key"`      // the filter's option and URL parameter: "region", "unit"
	Label    string   `json:"label"`    // its name in the site's language
	Multiple bool     `json:"multiple"` // a document may have several values
	Values   []string `json:"values"`   // in the order the filter lists them
}

// Field weights of the BM25F-style ranking: the title counts three times a
// body word, slogan, region and topics twice.
const (
	titleWeight = 3
	metaWeight  = 2
	bodyWeight  = 1
	// excerptChars bounds the text kept per result for excerpts.
	excerptChars = 1500
)

// Term keys: a folded syllable as is ("duong"), and a pair of adjacent
// folded syllables behind "~" ("~thi dua"). Spellings with diacritics are
// not terms of their own but variants recorded in the syllable's postings.
const bigramPrefix = "~"

// Variant numbers of a spelling within its syllable's postings.
const (
	maxVariants  = 14 // spellings beyond this share the last number
	variantMixed = 15 // the document has several spellings of the syllable
)

// list is one term's postings. Documents are logged as they are indexed
// (see postingLog); a part's lists are filled from the log, encoded and
// emptied when the index is encoded. df outlives them.
type list struct {
	ranked   bool   // a syllable, whose lists keep frequencies and spellings
	syllable uint32 // the number of a syllable among syllables
	df       uint32
	docs     []uint32
	tf       []uint16 // weighted term frequency, for syllables
	variant  []uint8  // spelling per document, for syllables
}

// appendFragment appends what a result shows of a document, as the JSON
// object {"u":url,"t":title,"d":date,"r":region,"x":text}. Fragments are
// served as they are: compressing ten thousand small files cost more build
// time than the few kilobytes a result page saves.
func appendFragment(dst []byte, doc Doc, text string) []byte {
	dst = append(dst, `{"u":`...)
	dst = appendJSONString(dst, doc.URL)
	dst = append(dst, `,"t":`...)
	dst = appendJSONString(dst, doc.Title)
	dst = append(dst, `,"d":`...)
	dst = appendJSONString(dst, doc.Date)
	dst = append(dst, `,"r":`...)
	dst = appendJSONString(dst, doc.Region)
	dst = append(dst, `,"x":`...)
	dst = appendJSONString(dst, text)
	return append(dst, '}')
}

// appendJSONString appends s as a JSON string. Text other than quotes,
// backslashes and control characters is copied as UTF-8; invalid UTF-8
// becomes U+FFFD, as encoding/json does.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	orig := len(dst)
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Validate as we go: two-byte and most three-byte runes inline
			// (E1..EC lead bytes have no overlong or surrogate forms), the
			// rest decoded.
			if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				i += 2
				continue
			}
			if c >= 0xE1 && c < 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				i += 3
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return appendJSONString(dst[:orig], strings.ToValidUTF8(s, "\uFFFD"))
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// wordInfo is what the builder knows of a written word.
type wordInfo struct {
	id       uint32 // the folded syllable's term id
	syllable uint32 // its number among syllables, which are counted densely
	variant  uint8  // this spelling's number among the syllable's spellings
	// spelling numbers the spelling among every syllable's, for the
	// count of documents that write it (see State).
	spelling uint32
}

// Builder accumulates documents; Add is safe for concurrent use.
type Builder struct {
	dict          sync.RWMutex
	ids           map[string]uint32 // term -> index into keys and lists
	keys          []string
	lists         []*list
	words         map[string]wordInfo // by word as written
	pairs         map[uint64]uint32   // syllable ids of a pair -> its term id
	spellings     map[uint32][]string // syllable id -> spellings, in the order met
	spellingIDs   map[uint32][]uint32 // syllable id -> the spellings' numbers, in that order
	spellingCount uint32
	syllableCount uint32

	lengths []uint32
	docs    []docMeta
	facets  []Facet
	facetID []map[string]int // per facet, value -> its position
	scratch sync.Pool        // *docTerms, reused across documents
	records sync.Pool        // *docRecord

	// Documents are tokenized concurrently but committed in id order, in
	// batches: one core then appends a run of documents to the lists while
	// their memory is in its cache, and the other goes on indexing.
	order      sync.Mutex
	pending    map[int]*docRecord
	next       int  // the first document not committed
	committing bool // a goroutine is committing a batch
	logs       [logParts]postingLog
	byPart     []int32  // the committer's scratch: a document's terms by part
	df         []uint32 // documents per term id, counted by the committer
	// spellingDocs counts the documents of each spelling, by its number;
	// the committer counts them.
	spellingDocs []uint32
	// keepState keeps what a State needs of each document.
	keepState bool

	// Added documents wait in queue until addBatch of them have come, and
	// are then indexed one after the other by the goroutine that added the
	// last. Interleaving indexing with rendering, document by document,
	// made each evict the other's tables from the core's cache.
	queueMu sync.Mutex
	queue   []queuedDoc
}

// addBatch is how many added documents are indexed in one run.
const addBatch = 128

type queuedDoc struct {
	id  int
	doc Doc
}

// Committed postings are not appended to their lists at once, which would
// touch a cache line of a different list for nearly every posting while
// pages render on the same cores. They are logged instead, in logParts
// logs by term id, and Finish replays one log at a time into its lists:
// a part's lists then fit in cache.
const logParts = 64

// postingLog holds, per document in order, the document's postings of
// terms in one part: uvarint gap from the log's previous document, count,
// then per term uvarint(id / logParts), and for syllables uvarint(weighted
// frequency) and the spelling byte.
type postingLog struct {
	buf  []byte
	last int32
}

// commitBatch is how many documents, ready in order, make a batch.
const commitBatch = 32

// docRecord is what a document adds to the lists, kept from indexing it
// until its turn to be committed.
type docRecord struct {
	terms []uint32   // syllables, then pairs
	stats []termStat // of the syllables, in the order of terms
	// spellings are the numbers of the distinct spellings the document
	// writes.
	spellings []uint32
	length    int
	meta      docMeta
}

type docMeta struct {
	fragment []byte
	facets   []byte // the document's row of the facet table (encodeFacets)
	// title and meta are kept for a State (see KeepState).
	title string
	meta  []string
}

// NewBuilder starts an index of n documents with the given facets.
func NewBuilder(n int, facets []Facet) *Builder {
	b := &Builder{
		ids:         make(map[string]uint32, 1<<16),
		words:       make(map[string]wordInfo, 1<<12),
		pairs:       make(map[uint64]uint32, 1<<16),
		spellings:   map[uint32][]string{},
		spellingIDs: map[uint32][]uint32{},
		lengths:     make([]uint32, n),
		docs:        make([]docMeta, n),
		facets:      facets,
		pending:     map[int]*docRecord{},
		facetID:     facetIndex(facets),
	}
	for p := range b.logs {
		b.logs[p].last = -1
	}
	b.scratch.New = func() any { return newDocTerms() }
	b.records.New = func() any { return new(docRecord) }
	return b
}

// termStat is a term's weight and spelling in one document.
type termStat struct {
	tf      uint16
	variant uint8
}

// docTerms gathers one document's terms. Words are counted as written
// (lowercase, with diacritics), each distinct word is then looked up once in
// the builder's word cache, which knows its fold.
type docTerms struct {
	words table   // distinct written words with weighted counts
	seq   []int32 // word index per token; -1 between fields
	// The document's syllables, by syllable number: stats[n] is valid
	// when gen[n] is the current generation, so a reset clears nothing.
	stats   []termStat
	gen     []uint32
	cur     uint32
	touched []uint32 // term ids in the document: syllables, then pairs
	// syllables holds the numbers of the syllables in touched, in order.
	syllables []uint32
	pairs     pairTable
	// spellingGen[n] is cur when the document's spellings list
	// spelling n.
	spellingGen []uint32
	spellings   []uint32
	// Scratch space of derive.
	missing  []int32
	newPairs []uint64
	pairIDs  []uint32
	length   int
}

func newDocTerms() *docTerms { return &docTerms{} }

func (d *docTerms) reset() {
	d.words.startDocument()
	d.cur++
	d.touched = d.touched[:0]
	d.syllables = d.syllables[:0]
	d.spellings = d.spellings[:0]
	d.seq = d.seq[:0]
	d.length = 0
}

// count adds a term's weight and spelling to the document.
func (d *docTerms) count(w wordInfo, tf uint16) {
	syl, variant := w.syllable, w.variant
	if int(syl) >= len(d.gen) {
		grow := max(int(syl)+1, 2*len(d.gen), 1024)
		d.gen = append(d.gen, make([]uint32, grow-len(d.gen))...)
		d.stats = append(d.stats, make([]termStat, grow-len(d.stats))...)
	}
	if d.gen[syl] != d.cur {
		d.gen[syl] = d.cur
		d.stats[syl] = termStat{tf: tf, variant: variant}
		d.touched = append(d.touched, w.id)
		d.syllables = append(d.syllables, syl)
		return
	}
	st := &d.stats[syl]
	st.tf += tf
	if st.variant != variant {
		st.variant = variantMixed
	}
}

// addField counts the words of a field as written; derive normalizes each
// distinct word once, instead of every occurrence.
func (d *docTerms) addField(text string, weight uint16) {
	d.seq = append(d.seq, -1)
	splitWords(text, func(word string, prefix uint64, hash uint32) {
		d.length++
		d.seq = append(d.seq, d.words.add(word, prefix, hash, weight))
	})
}

// Add indexes document id, now or with the next documents added. Every id
// from 0 to n-1 must be added once.
func (b *Builder) Add(id int, doc Doc) error {
	if id < 0 || id >= len(b.docs) {
		return fmt.Errorf("document %d out of range", id)
	}
	b.queueMu.Lock()
	b.queue = append(b.queue, queuedDoc{id, doc})
	if len(b.queue) < addBatch {
		b.queueMu.Unlock()
		return nil
	}
	batch := b.queue
	b.queue = make([]queuedDoc, 0, addBatch)
	b.queueMu.Unlock()
	for _, q := range batch {
		b.index(q.id, q.doc)
	}
	return nil
}

// drain indexes the documents still queued; Finish calls it.
func (b *Builder) drain() {
	b.queueMu.Lock()
	batch := b.queue
	b.queue = nil
	b.queueMu.Unlock()
	for _, q := range batch {
		b.index(q.id, q.doc)
	}
}

// index tokenizes document id, and commits it and the documents before it
// that are ready.
func (b *Builder) index(id int, doc Doc) {
	d := b.scratch.Get().(*docTerms)
	d.reset()
	d.addField(doc.Title, titleWeight)
	for _, m := range doc.Meta {
		d.addField(m, metaWeight)
	}
	d.addField(doc.Body, bodyWeight)
	b.derive(d)

	// Keep what the lists need, and give the scratch space back at once,
	// to be reused on this core while it is in cache.
	rec := b.records.Get().(*docRecord)
	rec.length = d.length
	rec.terms = append(rec.terms[:0], d.touched...)
	rec.stats = rec.stats[:0]
	for _, syl := range d.syllables {
		rec.stats = append(rec.stats, d.stats[syl])
	}
	rec.spellings = append(rec.spellings[:0], d.spellings...)
	b.scratch.Put(d)

	rec.meta = docMeta{fragment: fragmentOf(doc), facets: facetRow(b.facets, b.facetID, doc)}
	if b.keepState {
		rec.meta.title, rec.meta.meta = doc.Title, doc.Meta
	}

	b.order.Lock()
	b.pending[id] = rec
	b.commitReady(commitBatch)
}

// fragmentOf is what a result shows of doc: its fields and the start of
// its text.
func fragmentOf(doc Doc) []byte {
	body := doc.Body
	if len(body) > excerptChars {
		cut := excerptChars
		for cut > 0 && body[cut]&0xC0 == 0x80 { // keep whole characters
			cut--
		}
		body = body[:cut]
	}
	return appendFragment(make([]byte, 0, len(body)+len(doc.Title)+len(doc.URL)+64), doc, body)
}

// facetIndex maps each facet's values to their positions.
func facetIndex(facets []Facet) []map[string]int {
	var out []map[string]int
	for _, f := range facets {
		ids := make(map[string]int, len(f.Values))
		for i, v := range f.Values {
			ids[v] = i
		}
		out = append(out, ids)
	}
	return out
}

// facetRow encodes a document's values of each facet, as a row of the
// facet table: for a facet of one value, 0 for none or 1 + the value's
// position; for a multiple one, the count of values, then their
// positions; all as uvarints. facetID is facetIndex(facets).
func facetRow(facets []Facet, facetID []map[string]int, doc Doc) []byte {
	row := make([]byte, 0, 2*len(facets)+4)
	for i, f := range facets {
		var values []string
		if i < len(doc.Facets) {
			values = doc.Facets[i]
		}
		if !f.Multiple {
			id := 0
			for _, v := range values {
				if pos, ok := facetID[i][v]; ok {
					id = 1 + pos
					break
				}
			}
			row = binary.AppendUvarint(row, uint64(id))
			continue
		}
		var buf [16]uint64
		ids := buf[:0]
		for _, v := range values {
			if pos, ok := facetID[i][v]; ok {
				ids = append(ids, uint64(pos))
			}
		}
		row = binary.AppendUvarint(row, uint64(len(ids)))
		for _, id := range ids {
			row = binary.AppendUvarint(row, id)
		}
	}
	return row
}

// commitReady commits the documents ready in order, when at least atLeast of
// them are and no other goroutine is committing. It is called with the
// order lock held and returns with it released. Commits run outside the
// lock, so that indexing on other cores never waits for them.
func (b *Builder) commitReady(atLeast int) {
	var batch []*docRecord
	for !b.committing {
		batch = batch[:0]
		for id := b.next; len(batch) < 4*commitBatch; id++ {
			rec, ok := b.pending[id]
			if !ok {
				break
			}
			batch = append(batch, rec)
		}
		if len(batch) == 0 || len(batch) < atLeast {
			break
		}
		first := b.next
		for i := range batch {
			delete(b.pending, first+i)
		}
		b.next += len(batch)
		b.committing = true
		b.order.Unlock()
		for i, rec := range batch {
			b.commit(first+i, rec)
			b.records.Put(rec)
		}
		b.order.Lock()
		b.committing = false
	}
	b.order.Unlock()
}

// flush commits the documents still waiting; Finish calls it once every
// document is added.
func (b *Builder) flush() {
	b.order.Lock()
	b.commitReady(1)
}

// derive turns a document's words into index terms: folded syllables with
// summed weights and their spelling, and folded adjacent pairs. The shared
// dictionary is read under one lock per pass and written under one lock
// per document: with every core indexing, locking per word costs more than
// the lookups.
func (b *Builder) derive(d *docTerms) {
	words := &d.words
	missing := d.missing[:0]
	b.dict.RLock()
	for _, i := range words.inDoc {
		e := &words.entries[i]
		if !e.known {
			if info, ok := b.words[string(words.key(e))]; ok {
				e.info, e.known = info, true
			} else {
				missing = append(missing, i)
			}
		}
	}
	b.dict.RUnlock()
	for _, i := range missing {
		e := &words.entries[i]
		e.info, e.known = b.learnWord(string(words.key(e))), true
	}
	d.missing = missing
	for _, i := range words.inDoc {
		e := &words.entries[i]
		d.count(e.info, e.tf)
		// Words as written that differ only in case are one spelling.
		sp := e.info.spelling
		if int(sp) >= len(d.spellingGen) {
			grow := max(int(sp)+1, 2*len(d.spellingGen), 1024)
			d.spellingGen = append(d.spellingGen, make([]uint32, grow-len(d.spellingGen))...)
		}
		if d.spellingGen[sp] != d.cur {
			d.spellingGen[sp] = d.cur
			d.spellings = append(d.spellings, sp)
		}
	}

	// Adjacent pairs, within a field, by their syllables' ids. A document
	// repeats most of its pairs, and a core meets the same pairs again and
	// again, so the shared dictionary is asked only about pairs new to
	// this core's table.
	pairs := &d.pairs
	pairs.startDocument()
	pairs.reserve(len(d.seq))
	for k := 1; k < len(d.seq); k++ {
		a, c := d.seq[k-1], d.seq[k]
		if a >= 0 && c >= 0 {
			pairs.add(uint64(words.entries[a].info.id)<<32 | uint64(words.entries[c].info.id))
		}
	}
	unknown := d.newPairs[:0]
	for _, i := range pairs.inDoc {
		if id := pairs.slots[i].id; id != unknownPair {
			d.touched = append(d.touched, id)
		} else {
			unknown = append(unknown, pairs.slots[i].key)
		}
	}
	d.newPairs = unknown
	if len(unknown) == 0 {
		return
	}
	ids := b.pairIDs(d.pairIDs[:0], unknown)
	d.pairIDs = ids
	for _, i := range pairs.inDoc {
		if slot := &pairs.slots[i]; slot.id == unknownPair {
			slot.id, ids = ids[0], ids[1:]
			d.touched = append(d.touched, slot.id)
		}
	}
}

// pairTable maps pairs of syllable ids to their term ids on one core, and
// gathers the distinct pairs of the current document. Like table, it
// outlives documents, so a pair is looked up in the shared dictionary once
// per core.
type pairTable struct {
	slots []pairSlot // length is a power of two
	used  int
	gen   uint32
	inDoc []int32 // slots of the pairs met in the current document
}

// pairSlot is empty while gen is 0; id is unknownPair until the
// dictionary has said.
type pairSlot struct {
	key uint64
	id  uint32
	gen uint32 // the last document the pair was met in
}

const (
	unknownPair   = ^uint32(0)
	maxTablePairs = 1 << 18 // bounds a table's memory, as maxTableWords does
)

// startDocument starts gathering a new document's pairs.
func (t *pairTable) startDocument() {
	t.gen++
	t.inDoc = t.inDoc[:0]
	if t.used > maxTablePairs {
		clear(t.slots)
		t.used = 0
	}
}

// reserve makes room for n more pairs, before a document's pairs are
// added: add never grows the table, so inDoc's slot numbers stay valid.
func (t *pairTable) reserve(n int) {
	if size := len(t.slots); 2*(t.used+n) > size {
		for 2*(t.used+n) > size {
			size = max(1024, 2*size)
		}
		t.grow(size)
	}
}

func (t *pairTable) add(key uint64) {
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> 32 & mask; ; i = (i + 1) & mask {
		slot := &t.slots[i]
		if slot.gen == 0 {
			*slot = pairSlot{key: key, id: unknownPair, gen: t.gen}
			t.used++
			t.inDoc = append(t.inDoc, int32(i))
			return
		}
		if slot.key == key {
			if slot.gen != t.gen {
				slot.gen = t.gen
				t.inDoc = append(t.inDoc, int32(i))
			}
			return
		}
	}
}

// grow rehashes into size slots.
func (t *pairTable) grow(size int) {
	old := t.slots
	t.slots = make([]pairSlot, size)
	mask := uint64(size - 1)
	for _, slot := range old {
		if slot.gen == 0 {
			continue
		}
		i := (slot.key * 0x9E3779B97F4A7C15) >> 32 & mask
		for t.slots[i].gen != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = slot
	}
}

// learnWord adds a word as written ("Đua", "đua") to the dictionary: its
// token ("đua"), that token's syllable and spelling number.
func (b *Builder) learnWord(written string) wordInfo {
	word := normalizeWord(written)
	folded := vi.Fold(word)
	id := b.termID(folded, true)
	b.dict.Lock()
	defer b.dict.Unlock()
	if info, ok := b.words[written]; ok {
		return info
	}
	variants := b.spellings[id]
	v := slices.Index(variants, word)
	if v < 0 {
		v = len(variants)
		b.spellings[id] = append(variants, word)
		b.spellingIDs[id] = append(b.spellingIDs[id], b.spellingCount)
		b.spellingCount++
	}
	info := wordInfo{id: id, syllable: b.lists[id].syllable, variant: uint8(min(v, maxVariants-1)), spelling: b.spellingIDs[id][v]}
	b.words[written] = info
	return info
}

// pairIDs appends the term ids of pairs of syllable ids to ids, adding the
// pairs the dictionary does not know yet under one lock.
func (b *Builder) pairIDs(ids []uint32, pairs []uint64) []uint32 {
	var missing bool
	b.dict.RLock()
	for _, pair := range pairs {
		id, ok := b.pairs[pair]
		if !ok {
			id, missing = unknownPair, true
		}
		ids = append(ids, id)
	}
	b.dict.RUnlock()
	if !missing {
		return ids
	}
	b.dict.Lock()
	defer b.dict.Unlock()
	for i, pair := range pairs {
		if ids[len(ids)-len(pairs)+i] != unknownPair {
			continue
		}
		id, ok := b.pairs[pair]
		if !ok {
			id = b.newTerm(bigramPrefix+b.keys[pair>>32]+" "+b.keys[uint32(pair)], false)
			b.pairs[pair] = id
		}
		ids[len(ids)-len(pairs)+i] = id
	}
	return ids
}

// termID returns the id of an index term, adding it when new. ranked marks
// syllables, whose lists keep frequencies and spellings.
func (b *Builder) termID(term string, ranked bool) uint32 {
	b.dict.RLock()
	id, ok := b.ids[term]
	b.dict.RUnlock()
	if ok {
		return id
	}
	b.dict.Lock()
	defer b.dict.Unlock()
	if id, ok := b.ids[term]; ok {
		return id
	}
	return b.newTerm(term, ranked)
}

// newTerm adds a term to the dictionary, whose lock the caller holds.
func (b *Builder) newTerm(term string, ranked bool) uint32 {
	id := uint32(len(b.keys))
	b.ids[term] = id
	b.keys = append(b.keys, term)
	l := &list{ranked: ranked}
	if ranked {
		l.syllable = b.syllableCount
		b.syllableCount++
	}
	b.lists = append(b.lists, l)
	return id
}

// commit logs document id's postings; it runs in id order, on one
// goroutine at a time.
func (b *Builder) commit(id int, rec *docRecord) {
	b.lengths[id] = uint32(rec.length)
	b.docs[id] = rec.meta
	rec.meta = docMeta{}
	for _, sp := range rec.spellings {
		if int(sp) >= len(b.spellingDocs) {
			b.spellingDocs = append(b.spellingDocs, make([]uint32, int(sp)+1-len(b.spellingDocs)+len(b.spellingDocs)/2)...)
		}
		b.spellingDocs[sp]++
	}
	// Order the document's terms by part, by counting.
	var start [logParts + 1]int32
	for _, term := range rec.terms {
		start[term%logParts+1]++
	}
	for p := 1; p <= logParts; p++ {
		start[p] += start[p-1]
	}
	b.byPart = slices.Grow(b.byPart[:0], len(rec.terms))[:len(rec.terms)]
	fill := start
	for i, term := range rec.terms {
		if int(term) >= len(b.df) {
			b.df = append(b.df, make([]uint32, int(term)+1-len(b.df)+len(b.df)/2)...)
		}
		b.df[term]++
		p := term % logParts
		b.byPart[fill[p]] = int32(i)
		fill[p]++
	}
	for p := range logParts {
		terms := b.byPart[start[p]:start[p+1]]
		if len(terms) == 0 {
			continue
		}
		log := &b.logs[p]
		if need := binary.MaxVarintLen64 * (2 + 3*len(terms)); cap(log.buf)-len(log.buf) < need {
			// Grow to the size the documents so far predict for the whole
			// log, and an eighth more: append's growth by a quarter at a
			// time copied each log about five times over.
			size := len(log.buf) + need
			if id > 0 {
				size = max(size, int(int64(len(log.buf))*int64(len(b.lengths))/int64(id)*9/8))
			}
			log.buf = slices.Grow(log.buf, size-len(log.buf))
		}
		log.buf = binary.AppendUvarint(log.buf, uint64(int32(id)-log.last))
		log.buf = binary.AppendUvarint(log.buf, uint64(len(terms)))
		log.last = int32(id)
		for _, i := range terms {
			log.buf = binary.AppendUvarint(log.buf, uint64(rec.terms[i]/logParts))
			if int(i) < len(rec.stats) {
				st := rec.stats[i]
				log.buf = binary.AppendUvarint(log.buf, uint64(st.tf))
				log.buf = append(log.buf, st.variant)
			}
		}
	}
}

// replay fills the lists of log part p, in document order, and frees the
// log. The committer counted each list's documents, so each list is cut
// to size from one allocation for the part.
func (b *Builder) replay(p int) {
	var docs, ranked int
	for id := p; id < len(b.lists); id += logParts {
		l := b.lists[id]
		if id < len(b.df) {
			l.df = b.df[id]
		}
		docs += int(l.df)
		if l.ranked {
			ranked += int(l.df)
		}
	}
	docArena := make([]uint32, 0, docs)
	tfArena := make([]uint16, 0, ranked)
	variantArena := make([]uint8, 0, ranked)
	for id := p; id < len(b.lists); id += logParts {
		l := b.lists[id]
		n := int(l.df)
		l.docs, docArena = docArena[:0:n], docArena[n:n]
		if l.ranked {
			l.tf, tfArena = tfArena[:0:n], tfArena[n:n]
			l.variant, variantArena = variantArena[:0:n], variantArena[n:n]
		}
	}

	log := b.logs[p].buf
	b.logs[p].buf = nil
	doc := int32(-1)
	next := func() uint64 {
		v, n := binary.Uvarint(log)
		if n <= 0 {
			panic("search: corrupt posting log") // written by commit just before
		}
		log = log[n:]
		return v
	}
	for len(log) > 0 {
		doc += int32(next())
		for range next() {
			l := b.lists[int(next())*logParts+p]
			l.docs = append(l.docs, uint32(doc))
			if l.ranked {
				l.tf = append(l.tf, uint16(next()))
				l.variant = append(l.variant, log[0])
				log = log[1:]
			}
		}
	}
}

// table is an open-addressing hash table of words as written, in an arena.
// It outlives documents: the words a core has met keep what the shared
// dictionary said of them, so each is looked up there once per core, not
// once per document. Counts are per document, reset by a generation.
type table struct {
	slots   []int32 // entry index + 1; 0 is empty. Length is a power of two.
	entries []entry
	arena   []byte
	gen     uint32
	inDoc   []int32 // entries met in the current document
}

type entry struct {
	prefix     uint64 // the word's first eight bytes (see wordHash)
	start, end int32
	hash       uint32
	gen        uint32 // the document tf counts in
	tf         uint16
	known      bool // info is the dictionary's
	info       wordInfo
}

// maxTableWords bounds a table's memory; a site with more distinct words
// than this starts its tables afresh now and then.
const maxTableWords = 1 << 16

// startDocument starts counting a new document's words.
func (t *table) startDocument() {
	t.gen++
	t.inDoc = t.inDoc[:0]
	if len(t.entries) > maxTableWords {
		clear(t.slots)
		t.entries, t.arena = t.entries[:0], t.arena[:0]
	}
}

func (t *table) key(e *entry) []byte { return t.arena[e.start:e.end] }

// add counts key, whose wordHash is prefix and h, with weight and returns
// its index.
func (t *table) add(key string, prefix uint64, h uint32, weight uint16) int32 {
	if 2*(len(t.entries)+1) > len(t.slots) {
		t.rehash(max(1024, 2*len(t.slots)))
	}
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			start := int32(len(t.arena))
			t.arena = append(t.arena, key...)
			t.entries = append(t.entries, entry{prefix: prefix, start: start, end: int32(len(t.arena)), hash: h, gen: t.gen, tf: weight})
			n := int32(len(t.entries))
			t.slots[i] = n
			t.inDoc = append(t.inDoc, n-1)
			return n - 1
		}
		if e := &t.entries[s-1]; e.prefix == prefix && int(e.end-e.start) == len(key) &&
			(len(key) <= 8 || string(t.key(e)) == key) {
			if e.gen != t.gen {
				e.gen, e.tf = t.gen, 0
				t.inDoc = append(t.inDoc, s-1)
			}
			e.tf += weight
			return s - 1
		}
	}
}

func (t *table) rehash(size int) {
	t.slots = make([]int32, size)
	mask := uint32(size - 1)
	for n, e := range t.entries {
		i := e.hash & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = int32(n + 1)
	}
}
