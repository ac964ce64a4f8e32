package search

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/binfmt"
	"github.com/bantin/bantin/internal/vi"
)

// ErrNeedsRebuild says that an Update reaches something every list of the
// index is encoded with (the documents' average length, the shard count,
// whether a list is among the common ones, a syllable's spellings no list
// recorded): the index must be built again from every document.
var ErrNeedsRebuild = errors.New("search index: the change needs every document indexed again")

// maxChangedShare bounds the documents an Update changes, as a share of
// the index (1/maxChangedShare): beyond, indexing every document again costs
// less than updating list by list.
const maxChangedShare = 16

// Update changes an index, from its State, for documents that changed,
// were added at the end or removed from the end: it tokenizes only those,
// and encodes only the shards and lists they are in. Documents keep their
// numbers; a change that renumbers them (a document inserted or removed
// before others) changes so many documents that Plan declines it.
type Update struct {
	state  *State
	facets []Facet
	// oldFacets are the index's facets when their values changed.
	oldFacets []Facet
	keys      []uint64
	changed   []bool // by new id: the document's content changed, or it is new
	removed   []int  // old ids whose postings go: changed or deleted
	nAdded    int

	mu        sync.Mutex
	docs      map[int]Doc    // new documents, by id
	oldBodies map[int]string // old bodies of removed documents, by old id

	tokenized, encoded int
	// read counts the shards and lists the update decoded, for tests.
	read atomic.Int64
}

// Plan returns the Update that turns the index s describes into the index
// of documents whose keys are given, in id order, under facets; or nil
// when the index must be built from every document: other facets, a
// document count whose coarse statistics differ, or more changed
// documents than an update is worth.
func (s *State) Plan(facets []Facet, keys []uint64) *Update {
	// Facets may gain or lose values (a new year, a new topic): the rows
	// of the facet table are then numbered anew, nothing else changes.
	var oldFacets []Facet
	if !bytes.Equal(facetsJSON(facets), s.facets) {
		if json.Unmarshal(s.facets, &oldFacets) != nil || len(oldFacets) != len(facets) {
			return nil
		}
		for i, f := range facets {
			if o := oldFacets[i]; o.Key != f.Key || o.Label != f.Label || o.Multiple != f.Multiple {
				return nil
			}
		}
	}
	n, old := len(keys), len(s.docs)
	if n == 0 || coarseCount(n) != coarseCount(old) {
		return nil
	}
	u := &Update{state: s, facets: facets, oldFacets: oldFacets, keys: keys, changed: make([]bool, n), docs: map[int]Doc{}, oldBodies: map[int]string{}}
	for id := range max(n, old) {
		switch {
		case id >= n:
			u.removed = append(u.removed, id)
		case id >= old:
			u.changed[id] = true
			u.nAdded++
		case keys[id] != s.docs[id].key:
			u.changed[id] = true
			u.removed = append(u.removed, id)
			u.nAdded++
		}
	}
	if max(u.nAdded, len(u.removed)) > max(8, n/maxChangedShare) {
		return nil
	}
	return u
}

// Needs reports whether document id must be added: it is new or changed.
func (u *Update) Needs(id int) bool { return id >= 0 && id < len(u.changed) && u.changed[id] }

// Add gives the content of document id: every one Needs reports must be
// added; others may be, for Doc to return. It is safe for concurrent use.
func (u *Update) Add(id int, doc Doc) error {
	if id < 0 || id >= len(u.changed) {
		return fmt.Errorf("document %d out of range", id)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.docs[id] = doc
	return nil
}

// Doc returns the document Add gave for id.
func (u *Update) Doc(id int) (Doc, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	d, ok := u.docs[id]
	return d, ok
}

// Removed returns the old ids of the documents whose old content goes from
// the index: each needs its old body, given with SetOldBody.
func (u *Update) Removed() []int { return u.removed }

// SetOldBody gives the body old document id was indexed with (its title
// and taxonomy words are in the State).
func (u *Update) SetOldBody(id int, body string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.oldBodies[id] = body
}

// Counts returns how many documents the update tokenized (old and new
// content of each changed one) and how many files it encoded anew.
func (u *Update) Counts() (tokenized, encoded int) { return u.tokenized, u.encoded }

// Kept is a file of the previous index that the updated one keeps as it
// is: its name and xxhash.
type Kept struct {
	Name string
	Sum  uint64
}

// docTokens is what one document adds to the lists: its length and its
// terms, with, for syllables, weighted frequency and spellings.
type docTokens struct {
	length int
	terms  map[string]*tokenStat
}

type tokenStat struct {
	tf        uint16
	spellings []string // distinct, in the order met
}

// tokenize derives a document's terms as Builder.index does.
func tokenize(doc Doc) docTokens {
	t := docTokens{terms: map[string]*tokenStat{}}
	field := func(text string, weight uint16) {
		prev := ""
		splitWords(text, func(word string, _ uint64, _ uint32) {
			t.length++
			sp := normalizeWord(word)
			folded := vi.Fold(sp)
			st := t.terms[folded]
			if st == nil {
				st = &tokenStat{}
				t.terms[folded] = st
			}
			st.tf += weight
			if !slices.Contains(st.spellings, sp) {
				st.spellings = append(st.spellings, sp)
			}
			if prev != "" {
				pair := bigramPrefix + prev + " " + folded
				if t.terms[pair] == nil {
					t.terms[pair] = &tokenStat{}
				}
			}
			prev = folded
		})
	}
	field(doc.Title, titleWeight)
	for _, m := range doc.Meta {
		field(m, metaWeight)
	}
	field(doc.Body, bodyWeight)
	return t
}

// addition is a new document's posting in a term.
type addition struct {
	doc       uint32
	tf        uint16
	spellings []string
}

// termChange is what an update does to one term's list.
type termChange struct {
	key    string
	ranked bool
	adds   []addition
	// drops are the postings of the removed documents that had the term,
	// as they were added (their weighted frequency and spellings).
	drops []addition
	// oldWords are the syllable's spellings before the update.
	oldWords []string
}

// unchanged reports whether the update leaves the term's list as it is:
// the documents that lose the term are those that gain it, each with the
// posting it had (the same impact, under the new document length, and the
// same spelling), and the syllable keeps its spellings. Such a list is not
// decoded, nor its shard: an edit keeps most terms of the article edited.
func (c *termChange) unchanged(syl *syllable, count int, oldNorm, norm func(uint32) float64) bool {
	if len(c.adds) != len(c.drops) {
		return false
	}
	slices.SortFunc(c.adds, func(x, y addition) int { return int(x.doc) - int(y.doc) })
	slices.SortFunc(c.drops, func(x, y addition) int { return int(x.doc) - int(y.doc) })
	for i, a := range c.adds {
		if c.drops[i].doc != a.doc {
			return false
		}
	}
	if !c.ranked {
		return true
	}
	if syl == nil || !slices.Equal(syl.words(), c.oldWords) {
		return false
	}
	variants := hasVariants(len(c.oldWords))
	bits := impactBits(isCoarse(int(syl.df), count))
	for i, a := range c.adds {
		d := c.drops[i]
		if impactOf(a.tf, norm(a.doc), bits) != impactOf(d.tf, oldNorm(d.doc), bits) {
			return false
		}
		if variants && variantOf(a.spellings) != variantOf(d.spellings) {
			return false
		}
	}
	return true
}

// variantOf names what a posting records of a document's spellings: its
// one spelling, or "" for several.
func variantOf(spellings []string) string {
	if len(spellings) == 1 {
		return spellings[0]
	}
	return ""
}

// termResult is a term's list after the update.
type termResult struct {
	key            string
	block          []byte // nil when no document has the term any more
	oldLen, newLen int
	wasOwn, isOwn  bool
	same           bool // the block is the one before
	df             uint32
}

// Finish applies the update and returns the files to write, the files
// of the previous index to keep, and the state of the new index. It
// returns ErrNeedsRebuild when the change reaches what every list is
// encoded with. s is changed either way: use only the State returned.
func (u *Update) Finish() (write []File, keep []Kept, next *State, err error) {
	s := u.state
	n := len(u.keys)
	for id, c := range u.changed {
		if _, ok := u.docs[id]; c && !ok {
			return nil, nil, nil, fmt.Errorf("search index: document %d was never added", id)
		}
	}
	for _, id := range u.removed {
		if _, ok := u.oldBodies[id]; !ok {
			return nil, nil, nil, fmt.Errorf("search index: no old body of document %d", id)
		}
	}
	// Tokenize the old and the new content of every changed document.
	type tokJob struct {
		id  int
		old bool
	}
	var jobs []tokJob
	for _, id := range u.removed {
		jobs = append(jobs, tokJob{id, true})
	}
	for id, c := range u.changed {
		if c {
			jobs = append(jobs, tokJob{id, false})
		}
	}
	toks := make([]docTokens, len(jobs))
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		if j.old {
			d := s.docs[j.id]
			toks[i] = tokenize(Doc{Title: d.title, Meta: d.meta, Body: u.oldBodies[j.id]})
		} else {
			toks[i] = tokenize(u.docs[j.id])
		}
	})
	u.tokenized = len(jobs)

	oldLengths := make([]uint32, len(s.docs))
	for i, d := range s.docs {
		oldLengths[i] = d.length
	}
	lengths := make([]uint32, n)
	copy(lengths, oldLengths)
	for i, j := range jobs {
		if !j.old {
			lengths[j.id] = uint32(toks[i].length)
		}
	}
	avgLen := coarseAverage(averageLength(lengths))
	if avgLen != coarseAverage(averageLength(oldLengths)) {
		return nil, nil, nil, ErrNeedsRebuild
	}

	// The terms the update touches, and the syllables' counts.
	changes := map[string]*termChange{}
	touch := func(k string) *termChange {
		c := changes[k]
		if c == nil {
			c = &termChange{key: k, ranked: !strings.HasPrefix(k, bigramPrefix)}
			if syl := s.syllables[k]; c.ranked && syl != nil {
				c.oldWords = syl.words()
			}
			changes[k] = c
		}
		return c
	}
	for i, j := range jobs {
		for k, st := range toks[i].terms {
			c := touch(k)
			if !c.ranked {
				if j.old {
					c.drops = append(c.drops, addition{doc: uint32(j.id)})
				} else {
					c.adds = append(c.adds, addition{doc: uint32(j.id)})
				}
				continue
			}
			syl := s.syllables[k]
			if syl == nil {
				syl = &syllable{}
				s.syllables[k] = syl
			}
			delta := 1
			if j.old {
				delta = -1
				c.drops = append(c.drops, addition{doc: uint32(j.id), tf: st.tf, spellings: st.spellings})
			} else {
				c.adds = append(c.adds, addition{doc: uint32(j.id), tf: st.tf, spellings: st.spellings})
			}
			syl.df = uint32(int(syl.df) + delta)
			for _, w := range st.spellings {
				syl.count(w, delta)
			}
		}
	}
	for k := range changes {
		syl := s.syllables[k]
		if syl == nil {
			continue
		}
		if syl.df == 0 {
			delete(s.syllables, k)
			continue
		}
		syl.spellings = slices.DeleteFunc(syl.spellings, func(sp spelling) bool { return sp.docs == 0 })
	}
	gone := make([]bool, max(n, len(s.docs)))
	for _, id := range u.removed {
		gone[id] = true
	}
	count := coarseCount(n)
	norm := func(doc uint32) float64 {
		return bm25K1 * (1 - bm25B + bm25B*float64(lengths[doc])/avgLen)
	}
	oldNorm := func(doc uint32) float64 {
		return bm25K1 * (1 - bm25B + bm25B*float64(oldLengths[doc])/avgLen)
	}

	// Shard by shard, the touched lists, then the shard.
	shards := len(s.shards)
	byShard := map[int][]*termChange{}
	for _, c := range changes {
		if c.unchanged(s.syllables[c.key], count, oldNorm, norm) {
			continue
		}
		i := int(fnv32(c.key) % uint32(shards))
		byShard[i] = append(byShard[i], c)
	}
	ownNames, blockedNames := map[uint32]string{}, map[uint32]bool{}
	for k := range s.own {
		ownNames[fnv32(k)] = k
	}
	for _, k := range s.blocked {
		blockedNames[fnv32(k)] = true
	}
	blocked := map[string]bool{}
	for _, k := range s.blocked {
		blocked[k] = true
	}
	touched := make([]int, 0, len(byShard))
	for i := range byShard {
		touched = append(touched, i)
	}
	slices.Sort(touched)
	type shardResult struct {
		data    []byte // nil: unchanged
		results []termResult
		err     error
	}
	results := make([]shardResult, len(touched))
	parallel(len(touched), func(t int) {
		i := touched[t]
		r := &results[t]
		raw, err := inflateData(s.shards[i].data)
		if err != nil {
			r.err = err
			return
		}
		u.read.Add(1)
		entries, err := parseShard(raw)
		if err != nil {
			r.err = err
			return
		}
		terms := byShard[i]
		slices.SortFunc(terms, func(x, y *termChange) int { return strings.Compare(x.key, y.key) })
		for _, c := range terms {
			res := termResult{key: c.key, wasOwn: s.own[c.key] != nil}
			var old []byte
			if res.wasOwn {
				if old, err = inflateData(s.own[c.key].data); err != nil {
					r.err = err
					return
				}
			} else if e, ok := entries[c.key]; ok {
				old = e
			}
			res.oldLen = len(old)
			u.read.Add(1)
			res.block, res.df, err = u.apply(c, old, gone, count, norm)
			if err != nil {
				r.err = err
				return
			}
			res.newLen = len(res.block)
			res.same = bytes.Equal(old, res.block)
			wantOwn := res.newLen > ownFileBytes
			switch {
			case res.wasOwn && !wantOwn && blockedNames[fnv32(c.key)]:
				r.err = ErrNeedsRebuild // another list would take the file
				return
			case !res.wasOwn && wantOwn && !blocked[c.key]:
				if _, taken := ownNames[fnv32(c.key)]; taken || blockedNames[fnv32(c.key)] {
					r.err = ErrNeedsRebuild
					return
				}
				res.isOwn = true
			default:
				res.isOwn = res.wasOwn && wantOwn
			}
			r.results = append(r.results, res)
		}
		// The shard anew, in key order, if a list in it changed.
		keys := make([]string, 0, len(entries)+len(terms))
		for k := range entries {
			keys = append(keys, k)
		}
		for _, res := range r.results {
			if _, ok := entries[res.key]; !ok && res.block != nil {
				keys = append(keys, res.key)
			}
		}
		slices.Sort(keys)
		byKey := make(map[string]*termResult, len(r.results))
		for j := range r.results {
			byKey[r.results[j].key] = &r.results[j]
		}
		var buf bytes.Buffer
		putUvarint(&buf, 0) // the count, set below
		written := 0
		for _, k := range keys {
			block, isOwn := entries[k], s.own[k] != nil
			if res := byKey[k]; res != nil {
				if res.block == nil {
					continue
				}
				block, isOwn = res.block, res.isOwn
			}
			written++
			putUvarint(&buf, uint64(len(k)))
			buf.WriteString(k)
			if isOwn {
				putUvarint(&buf, 0)
				continue
			}
			putUvarint(&buf, uint64(len(block)))
			buf.Write(block)
		}
		out := binary.AppendUvarint(nil, uint64(written))
		out = append(out, buf.Bytes()[1:]...)
		if !bytes.Equal(out, raw) {
			r.data = deflate(out)
		}
	})
	for _, r := range results {
		if r.err != nil {
			return nil, nil, nil, r.err
		}
	}

	// Everything global: the shard count, the lists of their own.
	total := s.total
	rewritten := map[string]bool{}
	for _, r := range results {
		for _, res := range r.results {
			total += res.newLen - res.oldLen
			switch {
			case res.isOwn && res.wasOwn && res.same:
			case res.isOwn:
				data := deflate(res.block)
				s.own[res.key] = &ownList{df: res.df, stored: stored{data: data, sum: xxhash.Sum64(data)}}
				rewritten[res.key] = true
				u.encoded++
			case res.wasOwn:
				delete(s.own, res.key)
			}
			if blocked[res.key] && res.newLen <= ownFileBytes {
				s.blocked = slices.DeleteFunc(s.blocked, func(k string) bool { return k == res.key })
			}
		}
	}
	if shardCount(total) != shards {
		return nil, nil, nil, ErrNeedsRebuild
	}
	s.total = total
	for t, r := range results {
		if r.data != nil {
			s.shards[touched[t]] = stored{data: r.data, sum: xxhash.Sum64(r.data)}
			u.encoded++
		}
	}
	changedShard := make([]bool, shards)
	for t, r := range results {
		changedShard[touched[t]] = r.data != nil
	}

	// The documents' rows, fragments and lengths.
	facetIDs := facetIndex(u.facets)
	if u.oldFacets != nil {
		for id := range min(n, len(s.docs)) {
			if !u.changed[id] {
				values, err := facetValues(u.oldFacets, s.docs[id].facets)
				if err != nil {
					return nil, nil, nil, err
				}
				s.docs[id].facets = facetRow(u.facets, facetIDs, Doc{Facets: values})
			}
		}
		s.facets = facetsJSON(u.facets)
	}
	if n < len(s.docs) {
		s.docs = s.docs[:n]
	}
	for len(s.docs) < n {
		s.docs = append(s.docs, stateDoc{})
	}
	fragments := map[int][]byte{}
	for id, c := range u.changed {
		if !c {
			continue
		}
		doc := u.docs[id]
		frag := fragmentOf(doc)
		fragments[id] = frag
		s.docs[id] = stateDoc{
			key: u.keys[id], length: lengths[id], title: doc.Title, meta: doc.Meta,
			fragment: xxhash.Sum64(frag), facets: facetRow(u.facets, facetIDs, doc),
		}
	}

	// The files, in the order Finish names them for the version.
	var files []File
	var sums []uint64
	add := func(name string, data []byte, sum uint64, changed bool) {
		files = append(files, File{Name: name, Data: data})
		sums = append(sums, sum)
		if changed {
			write = append(write, File{Name: name, Data: data})
		} else {
			keep = append(keep, Kept{Name: name, Sum: sum})
		}
	}
	for i, sh := range s.shards {
		add(shardFile(i), nil, sh.sum, changedShard[i])
		if changedShard[i] {
			write[len(write)-1].Data = sh.data
		}
	}
	ownKeys := make([]string, 0, len(s.own))
	for k := range s.own {
		ownKeys = append(ownKeys, k)
	}
	slices.Sort(ownKeys)
	for _, k := range ownKeys {
		o := s.own[k]
		c := rewritten[k]
		var data []byte
		if c {
			data = o.data
		}
		add(ownFile(k), data, o.sum, c)
	}
	var table bytes.Buffer
	for _, d := range s.docs {
		table.Write(d.facets)
	}
	facetsData := deflate(table.Bytes())
	add("facets.bin", facetsData, xxhash.Sum64(facetsData), true)
	for id, d := range s.docs {
		frag, c := fragments[id]
		add(fragmentFile(id), frag, d.fragment, c)
	}
	syllables := make([]string, 0, len(s.syllables))
	for k := range s.syllables {
		syllables = append(syllables, k)
	}
	slices.Sort(syllables)
	for _, f := range completions(syllables, func(k string) int { return int(s.syllables[k].df) }) {
		add(f.Name, f.Data, xxhash.Sum64(f.Data), true)
	}
	manifest, err := manifestFile(files, sums, n, shards, u.facets, hotOf(ownKeys, func(k string) int { return int(s.own[k].df) }))
	if err != nil {
		return nil, nil, nil, err
	}
	write = append(write, manifest)
	return write, keep, s, nil
}

// apply returns a term's list after the update, from its list before
// (nil for a new term), and its document count.
func (u *Update) apply(c *termChange, old []byte, gone []bool, count int, norm func(uint32) float64) ([]byte, uint32, error) {
	if old != nil && len(c.drops) == 0 {
		// Only documents added: at the end, most often.
		var words []string
		if syl := u.state.syllables[c.key]; c.ranked && syl != nil {
			words = syl.words()
		}
		if block, df, ok := appendBlock(old, c.ranked, c.adds, words, count, norm); ok {
			return block, df, nil
		}
	}
	var p postings
	if old != nil {
		var err error
		if p, err = decodeList(old, c.ranked); err != nil {
			return nil, 0, err
		}
	}
	p.ranked = c.ranked
	oldCoarse, oldSpellings := p.coarse, p.spellings
	// Keep the postings of documents that stay.
	keep := 0
	for i, d := range p.docs {
		if int(d) < len(gone) && gone[d] {
			continue
		}
		p.docs[keep] = d
		if c.ranked {
			p.impacts[keep] = p.impacts[i]
			if p.variants != nil {
				p.variants[keep] = p.variants[i]
			}
		}
		keep++
	}
	p.docs = p.docs[:keep]
	if c.ranked {
		p.impacts = p.impacts[:keep]
		if p.variants != nil {
			p.variants = p.variants[:keep]
		}
	}
	df := keep + len(c.adds)
	if df == 0 {
		return nil, 0, nil
	}
	if !c.ranked {
		for _, a := range c.adds {
			p.docs = insertDoc(p.docs, a.doc)
		}
		return encodeBlock(&p), uint32(df), nil
	}
	p.coarse = isCoarse(df, count)
	if keep > 0 && p.coarse != oldCoarse {
		return nil, 0, ErrNeedsRebuild // every impact changes scale
	}
	var words []string
	if syl := u.state.syllables[c.key]; syl != nil {
		words = syl.words()
	}
	p.nSpellings, p.spellings = len(words), nil
	var variants []byte
	if hasVariants(len(words)) {
		p.spellings = words
		index := func(w string) byte {
			i, _ := slices.BinarySearch(words, w)
			return byte(i)
		}
		variants = make([]byte, keep, df)
		switch {
		case p.variants != nil:
			for i, v := range p.variants {
				if v != variantMixed {
					if int(v) >= len(oldSpellings) {
						return nil, 0, errors.New("search state: damaged list")
					}
					v = index(oldSpellings[v])
				}
				variants[i] = v
			}
		case len(c.oldWords) == 1:
			for i := range variants {
				variants[i] = index(c.oldWords[0])
			}
		case keep > 0:
			return nil, 0, ErrNeedsRebuild // the spellings of its documents were not recorded
		}
	}
	p.variants = variants
	bits := impactBits(p.coarse)
	for _, a := range c.adds {
		i, _ := slices.BinarySearch(p.docs, a.doc)
		p.docs = slices.Insert(p.docs, i, a.doc)
		p.impacts = slices.Insert(p.impacts, i, impactOf(a.tf, norm(a.doc), bits))
		if p.variants != nil {
			v := byte(variantMixed)
			if len(a.spellings) == 1 {
				j, _ := slices.BinarySearch(words, a.spellings[0])
				v = byte(j)
			}
			p.variants = slices.Insert(p.variants, i, v)
		}
	}
	return encodeBlock(&p), uint32(df), nil
}

func insertDoc(docs []uint32, d uint32) []uint32 {
	i, _ := slices.BinarySearch(docs, d)
	return slices.Insert(docs, i, d)
}

// facetValues reads a row of the facet table facetRow wrote.
func facetValues(facets []Facet, row []byte) ([][]string, error) {
	r := binfmt.NewReader(row, errStateDamaged)
	values := make([][]string, len(facets))
	value := func(f Facet, pos uint64) string {
		if pos >= uint64(len(f.Values)) {
			r.Fail()
			return ""
		}
		return f.Values[pos]
	}
	for i, f := range facets {
		if !f.Multiple {
			if id := r.Uint(); id > 0 {
				values[i] = []string{value(f, id-1)}
			}
			continue
		}
		for n := r.Count(); n > 0; n-- {
			values[i] = append(values[i], value(f, r.Uint()))
		}
	}
	if r.Err != nil || len(r.Buf) != 0 {
		return nil, errors.New("search state: damaged facet row")
	}
	return values, nil
}

// decodeList reads a list encodeBlock wrote.
func decodeList(block []byte, ranked bool) (postings, error) {
	r := binfmt.NewReader(block, errStateDamaged)
	var p postings
	if len(block) == 0 {
		return p, errors.New("search state: empty list")
	}
	flags := block[0]
	r.Buf = block[1:]
	df := int(r.Uint())
	if df > 8*len(block)+8 {
		return p, errors.New("search state: damaged list")
	}
	p.ranked, p.coarse = ranked, flags&flagImpacts2 != 0
	if flags&flagVariants != 0 {
		p.spellings = make([]string, r.Count())
		for i := range p.spellings {
			p.spellings[i] = r.String()
		}
		p.nSpellings = len(p.spellings)
	}
	p.docs = make([]uint32, 0, df)
	if flags&flagBitmap != 0 {
		bitmap := r.Bytes()
		for i, b := range bitmap {
			for ; b != 0; b &= b - 1 {
				p.docs = append(p.docs, uint32(i*8+trailingZeros(b)))
			}
		}
	} else {
		prev := int64(-1)
		for range df {
			prev += int64(r.Uint()) + 1
			p.docs = append(p.docs, uint32(prev))
		}
	}
	if len(p.docs) != df {
		return p, errors.New("search state: damaged list")
	}
	if ranked {
		bits := impactBits(p.coarse)
		per := 8 / bits
		packed := take(&r, (df+per-1)/per)
		p.impacts = unpack(packed, bits, df)
		if flags&flagVariants != 0 {
			p.variants = unpack(take(&r, (df+1)/2), 4, df)
		}
	}
	if r.Err != nil || len(r.Buf) != 0 {
		return p, errors.New("search state: damaged list")
	}
	return p, nil
}

func trailingZeros(b byte) int {
	n := 0
	for b&1 == 0 {
		b >>= 1
		n++
	}
	return n
}

// take reads n bytes, or n zero bytes once r is damaged (r.Err says so),
// so that unpacking them never reads past the end.
func take(r *binfmt.Reader, n int) []byte {
	if b := r.Take(n); r.Err == nil {
		return b
	}
	return make([]byte, n)
}

// unpack reverses pack for n values.
func unpack(packed []byte, bits, n int) []byte {
	per := 8 / bits
	mask := byte(1)<<bits - 1
	out := make([]byte, n)
	for i := range out {
		out[i] = packed[i/per] >> (bits * (i % per)) & mask
	}
	return out
}

// parseShard reads a shard's lists by term; own lists have empty blocks.
func parseShard(raw []byte) (map[string][]byte, error) {
	r := binfmt.NewReader(raw, errStateDamaged)
	n := r.Count()
	out := make(map[string][]byte, n)
	for range n {
		k := r.String()
		out[k] = r.Bytes()
	}
	if r.Err != nil || len(r.Buf) != 0 {
		return nil, errors.New("search state: damaged shard")
	}
	return out, nil
}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(nil) }}

func inflateData(data []byte) ([]byte, error) {
	rd := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(rd)
	if err := rd.(flate.Resetter).Reset(bytes.NewReader(data), nil); err != nil {
		return nil, err
	}
	out, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("search state: %w", err)
	}
	return out, nil
}
