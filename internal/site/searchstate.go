package site

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/binfmt"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/render"
	"github.com/bantin/bantin/internal/search"
)

// searchSnapshot is what the cache keeps of the last search index for the
// next build to update it rather than index every article again: the
// index's State, and where each document's text is in the texts file.
type searchSnapshot struct {
	state   *search.State
	sources []textSource // by document id
}

// textSource is where a document's text is kept: the texts file's entry
// of a content file under a rendering's key.
type textSource struct {
	file string
	key  uint64
}

// saveSearchState writes the search state a build made, or removes the
// old one when the build made none; c.mu is held.
func (c *Cache) saveSearchState() error {
	name := filepath.Join(c.dir, searchFile)
	switch {
	case c.searchSave != nil:
		snap := c.searchSave
		sum, err := writeChecked(name, func(w *writer) {
			w.uint(storeFormat)
			w.str(c.version)
			w.uint(uint64(len(snap.sources)))
			for _, s := range snap.sources {
				w.str(s.file)
				w.uint64(s.key)
				w.spill()
			}
			snap.state.WriteTo(w) // the rest of the file
		})
		if err != nil {
			return err
		}
		c.searchStateSum, c.searchSave = sum, nil
	case c.searchDrop:
		c.searchStateSum, c.searchDrop = 0, false
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("save the build cache: %v", errText(err))
		}
	}
	return nil
}

// loadSearchState reads the search state that goes with the last search
// index, or returns nil: none, or one damaged (said in the notice).
func (c *Cache) loadSearchState() *searchSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.persistent || c.searchStateSum == 0 {
		return nil
	}
	damaged := func(why string) *searchSnapshot {
		c.notice = fmt.Sprintf("note: ignoring the search index of the build cache %s: %s; indexing every article again", c.dir, why)
		return nil
	}
	data, err := os.ReadFile(filepath.Join(c.dir, searchFile))
	if err != nil {
		return damaged(errText(err))
	}
	if !bytes.HasPrefix(data, []byte(cacheMagic)) || len(data) < len(cacheMagic)+8 {
		return damaged("it is not a bantin cache file, or it was cut short")
	}
	body, sum := data[:len(data)-8], binary.LittleEndian.Uint64(data[len(data)-8:])
	if xxhash.Sum64(body) != sum {
		return damaged("its checksum is wrong (the file was cut short or damaged)")
	}
	if sum != c.searchStateSum {
		return damaged("it is not the one of the last build")
	}
	r := binfmt.NewReader(body[len(cacheMagic):], errDamagedCache)
	if r.Uint() != storeFormat || r.String() != c.version {
		return damaged("it was written by another version of bantin")
	}
	snap := &searchSnapshot{}
	for n := r.Uint(); n > 0 && r.Err == nil; n-- {
		snap.sources = append(snap.sources, textSource{file: r.String(), key: r.Uint64()})
	}
	state := r.Buf
	if r.Err != nil {
		return damaged("its contents are damaged")
	}
	if snap.state, err = search.DecodeState(state); err != nil {
		return damaged(err.Error())
	}
	if snap.state.Docs() != len(snap.sources) {
		return damaged("its contents are damaged")
	}
	return snap
}

// searchAdder takes the articles' documents for the search index as they
// render: a search.Builder every one, a search.Update those it Needs.
type searchAdder interface {
	Add(id int, doc search.Doc) error
	Needs(id int) bool
}

// searchPlan is how a build with a cache on disk makes its search index.
type searchPlan struct {
	key    uint64   // of everything the index is made of
	keys   []uint64 // of each document, by id (oldest first)
	files  []string // each document's content file, by id
	facets []search.Facet
	// update, when set, changes the last index rather than build it anew.
	update *search.Update
}

// planSearch decides how the search index of articles is made: taken
// whole from the previous site when nothing it is made of changed (the
// caller checks), updated from the cache's State when a few documents
// changed and the State, the texts of their old versions and the last
// index's files are all there, otherwise built from every article.
func (b *builder) planSearch(articles []*content.Article, facets []search.Facet, imgs *imageStage) *searchPlan {
	p := &searchPlan{facets: facets, keys: make([]uint64, len(articles)), files: make([]string, len(articles))}
	var h xxhash.Digest
	h.Reset()
	described, _ := json.Marshal(facets)
	h.Write(described)
	h.WriteString("\x00" + b.cfg.BasePath + "\x00")
	settings, urls := b.renderInputs(articles, imgs)
	regions := b.ix.Taxonomy(index.Region)
	empty := &render.Doc{}
	// A document's key: its Markdown rendering and the document as the
	// index sees it (its region and places as the gazetteer resolves
	// them). Keys are computed a run of articles at a time, on every core.
	const run = 512
	err := b.parallel((len(articles)+run-1)/run, func(r int) error {
		var buf [16]*index.Term
		for id := r * run; id < min(len(articles), (r+1)*run); id++ {
			a := articles[len(articles)-1-id] // documents are numbered oldest first
			var d xxhash.Digest
			d.Reset()
			writeUint(&d, docKey(a, settings, urls))
			var card layout.Card
			if regions != nil {
				if terms := regions.AppendTermsOf(buf[:0], a); len(terms) > 0 {
					card.Region.Name = terms[0].Name
				}
			}
			doc := b.searchDoc(a, &card, empty)
			for _, v := range [...]string{doc.URL, doc.Title, doc.Date, doc.Region} {
				d.WriteString(v)
				d.WriteString("\x00")
			}
			for _, v := range doc.Meta {
				d.WriteString(v)
				d.WriteString("\x00")
			}
			for _, values := range doc.Facets {
				d.WriteString("\x01")
				for _, v := range values {
					d.WriteString(v)
					d.WriteString("\x00")
				}
			}
			p.keys[id], p.files[id] = d.Sum64(), a.File
		}
		return nil
	})
	if err != nil {
		return p // canceled: the build stops at its next stage
	}
	for _, k := range p.keys {
		writeUint(&h, k)
	}
	p.key = h.Sum64()
	if b.cache.searchKey == p.key && b.canReuseSearch() {
		return p
	}
	snap := b.cache.loadSearchState()
	if snap == nil || !b.canReuseSearch() {
		return p
	}
	u := snap.state.Plan(facets, p.keys)
	if u == nil {
		return p
	}
	want := map[string]uint64{}
	for _, id := range u.Removed() {
		want[snap.sources[id].file] = snap.sources[id].key
	}
	texts, ok := b.cache.findTexts(snap.sources, want)
	if !ok {
		return p
	}
	for _, id := range u.Removed() {
		u.SetOldBody(id, texts[snap.sources[id].file])
	}
	p.update = u
	return p
}

// updateSearch updates the last search index for the articles that
// changed: it writes the files whose bytes changed and takes the others
// from the previous site. When the change reaches what every list is
// encoded with, it indexes every article instead.
func (b *builder) updateSearch(p *searchPlan, articles []*content.Article, rendered *renderedArticles, stats *Stats) error {
	write, keep, state, err := p.update.Finish()
	if errors.Is(err, search.ErrNeedsRebuild) {
		return b.rebuildSearch(p, articles, rendered, stats)
	}
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	stats.SearchIndexed, stats.SearchEncoded = p.update.Counts()
	dir := layout.SearchIndexDir(b.cfg)
	recorded := make([]cachedFile, len(write)+len(keep))
	err = b.parallel(len(recorded), func(i int) error {
		if i < len(write) {
			f := write[i]
			recorded[i] = cachedFile{name: dir + f.Name, sum: output.SumOf(f.Data)}
			return b.out.write(dir+f.Name, f.Data, searchOrigin)
		}
		k := keep[i-len(write)]
		recorded[i] = cachedFile{name: dir + k.Name, sum: output.Sum(k.Sum)}
		ok, err := b.out.reuse(dir+k.Name, output.Sum(k.Sum), searchOrigin)
		if err == nil && !ok {
			err = fmt.Errorf("search index: %s is gone from the previous site; build again", dir+k.Name)
		}
		return err
	})
	if err != nil {
		return err
	}
	b.recordSearch(p, recorded, state, rendered)
	return nil
}

// rebuildSearch indexes every article, for an update that cannot be: the
// texts come from the update (the articles rendered by this build) and
// from the cache.
func (b *builder) rebuildSearch(p *searchPlan, articles []*content.Article, rendered *renderedArticles, stats *Stats) error {
	b.cache.loadTexts()
	sb := search.NewBuilder(len(articles), p.facets)
	sb.KeepState()
	for id := range articles {
		doc, ok := p.update.Doc(id)
		if !ok {
			i := len(articles) - 1 - id
			text, found := b.cache.text(articles[i].File, rendered.textKeys[i])
			if !found {
				// The next build indexes every article, rendering what
				// has no text, rather than fail here again.
				b.cache.dropSearchState()
				return fmt.Errorf("search index: the cache lost the text of %s; build again", articles[i].File)
			}
			doc = b.searchDoc(articles[i], rendered.cards[i], &render.Doc{Text: text})
		}
		if err := sb.Add(id, doc); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return b.writeSearch(sb, p, rendered, stats)
}

// recordSearch keeps in the cache the files of the index the build wrote
// and its State, for the next build.
func (b *builder) recordSearch(p *searchPlan, files []cachedFile, state *search.State, rendered *renderedArticles) {
	n := len(p.keys)
	sources := make([]textSource, n)
	for id := range sources {
		sources[id] = textSource{file: p.files[id], key: rendered.textKeys[n-1-id]}
	}
	b.cache.mu.Lock()
	defer b.cache.mu.Unlock()
	b.cache.searchKey, b.cache.searchFiles = p.key, files
	b.cache.searchSave, b.cache.searchDrop = nil, state == nil
	if state != nil {
		b.cache.searchSave = &searchSnapshot{state: state, sources: sources}
	}
}

// dropSearchState removes the search state from the cache's folder at
// once, for a build that fails.
func (c *Cache) dropSearchState() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.persistent {
		os.Remove(filepath.Join(c.dir, searchFile))
	}
}

// text returns the cached text of a rendering of file.
func (c *Cache) text(file string, key uint64) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.docs[file]
	return d.text, ok && d.key == key && d.hasText
}
