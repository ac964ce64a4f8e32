package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/images"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/render"
)

// Cache carries work from one build of a site to the next: parsed files,
// rendered Markdown and rendered pages. A page is rendered again only when a
// fingerprint of everything its layout can see (the page's data, the shared
// site data, the layouts and the settings) changed, so that saving one
// article rebuilds a handful of pages. Tests check that a build with a cache
// equals a build without one.
//
// The preview server keeps a cache in memory, with the pages' HTML. A cache
// made by OpenCache lives on disk between builds and keeps, instead of each
// page's HTML, the hash of the file the page was written as: the output
// (see output.Reuser) takes that file from the site it replaces.
type Cache struct {
	Content *content.Cache

	mu         sync.Mutex
	docs       map[string]cachedDoc                   // by content file
	pages      map[string]cachedPage                  // by output file
	typeFields atomic.Pointer[map[reflect.Type][]int] // fingerprinted fields of each type
	// persistent caches keep hashes of output files, not their bytes, and
	// of each rendering what pages and the search index need.
	persistent bool
	// used marks the entries this build looked up, so that entries of
	// deleted pages are not saved again.
	usedDocs, usedPages map[string]bool
	// dir, version and lock are those of a cache opened by OpenCache.
	dir, version string
	lock         *output.FileLock
	savedBytes   int64 // see SavedBytes
	// textsRead says whether the renderings' texts were read from their
	// file; sink takes those of this build's renderings; texts is the
	// texts file the entries point into (see textLoc).
	textsRead bool
	sink      textSink
	texts     textsInfo
	notice    string // what the build could not use of the cache
	// searchKey identifies what the last search index was made of, and
	// searchFiles are its files, so that a build whose articles gave the
	// index nothing new takes it whole from the previous site.
	searchKey   uint64
	searchFiles []cachedFile
	// searchStateSum is the checksum of the search state file that goes
	// with that index (0: none); a build that made a new state leaves it
	// in searchSave, for Save, or sets searchDrop when it made none.
	searchStateSum uint64
	searchSave     *searchSnapshot
	searchDrop     bool
	images         imageMemo // processed images by source file
	// published are the last successful build's articles, for previews of
	// one article against the rest of the site.
	published []*content.Article
	// fingerprinted counts the pages fingerprinted, for tests.
	fingerprinted atomic.Int64
}

// remember keeps the articles a build published, newest first.
func (c *Cache) remember(articles []*content.Article) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.published = articles
}

// lastPublished returns the articles of the last successful build, or
// false before the first one.
func (c *Cache) lastPublished() ([]*content.Article, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.published, c.published != nil
}

// startBuild prepares the cache for a build: a persistent cache notes the
// entries the build uses, and saves only those.
func (c *Cache) startBuild() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.persistent {
		// Sized for a rebuild, which uses nearly every entry again: a
		// map grown from empty rehashes its way to 30,000 pages.
		c.usedDocs, c.usedPages = make(map[string]bool, len(c.docs)), make(map[string]bool, len(c.pages))
	}
}

// pageCount is the number of pages the cache knows, to size the maps of
// a build that will name about as many.
func (c *Cache) pageCount() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pages)
}

type cachedDoc struct {
	key uint64
	doc *render.Doc // the whole rendering; in a persistent cache only when rendered by this process
	// summary and text are what a persistent cache keeps of a rendering:
	// the first paragraph, for cards, and the plain text, for search,
	// which is read from disk only when the search index is built
	// (hasText).
	summary, text string
	hasText       bool
	// streamed: this build wrote the text to the texts file, at textAt
	// (see textLoc) like the text of an entry read from the cache file.
	streamed bool
	textAt   textLoc
	// images are the rendering's processed images, which a rendering
	// taken from the cache must publish again and find unchanged, and
	// imagePos where the first is written, for the budget's warning.
	images   []cachedImage
	imagePos diag.Pos
}

// cachedImage is a processed image of a rendering: as written, and the
// URL it was published at.
type cachedImage struct{ dest, src string }

// imagesOf returns what a cache keeps of doc's processed images.
func imagesOf(doc *render.Doc) ([]cachedImage, diag.Pos) {
	if len(doc.Images) == 0 {
		return nil, diag.Pos{}
	}
	out := make([]cachedImage, len(doc.Images))
	for i, img := range doc.Images {
		out[i] = cachedImage{img.Dest, img.Set.Src}
	}
	var pos diag.Pos
	for _, l := range doc.Links {
		if l.Image && l.Dest == doc.Images[0].Dest {
			pos = l.Pos
			break
		}
	}
	return out, pos
}

type cachedPage struct {
	key  uint64
	html []byte     // in memory
	sum  output.Sum // in a persistent cache
	// inputs, when not zero, identifies what an article page was made
	// of without making the page (see articleKeys).
	inputs uint64
	// files are the several files of one entry (the sitemap's).
	files []cachedFile
}

type cachedFile struct {
	name string
	sum  output.Sum
	html []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{Content: content.NewCache(), docs: map[string]cachedDoc{}, pages: map[string]cachedPage{}}
}

// docKey identifies a Markdown rendering: the body, the renderer's settings
// and, for bodies that link to .md files, the URLs of every article.
func docKey(a *content.Article, settings string, articleURLs uint64) uint64 {
	var h xxhash.Digest
	h.Reset()
	writeUint(&h, a.BodySum())
	writeUint(&h, uint64(a.BodyLine))
	h.WriteString(settings)
	if a.MentionsMarkdown {
		writeUint(&h, articleURLs)
	}
	return h.Sum64()
}

// bodyKey identifies a rendered body for an article page's fingerprint:
// its rendering key, the URLs of its pictures (an image can change under
// the same Markdown), and the fields JSON-LD takes from the article as
// written (a region in the old tone placement has the term's name in the
// page's data).
func (c *Cache) bodyKey(docKey uint64, doc *render.Doc, a *content.Article) uint64 {
	if c == nil {
		return docKey
	}
	var h xxhash.Digest
	h.Reset()
	writeUint(&h, docKey)
	for _, img := range doc.Images {
		h.WriteString(img.Set.Src + "\x00")
	}
	h.WriteString("\x01")
	writeString(&h, a.Region)
	writeString(&h, a.Slogan)
	writeUint(&h, uint64(len(a.Topics)))
	for _, t := range a.Topics {
		writeString(&h, t)
	}
	return h.Sum64()
}

func (c *Cache) doc(file string, key uint64) (cachedDoc, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.usedDocs != nil {
		c.usedDocs[file] = true
	}
	d, ok := c.docs[file]
	return d, ok && d.key == key && (d.doc != nil || c.persistent)
}

func (c *Cache) storeDoc(file string, key uint64, doc *render.Doc) {
	d := cachedDoc{key: key, doc: doc, summary: doc.Summary, text: doc.Text, hasText: true}
	d.images, d.imagePos = imagesOf(doc)
	if c.persistent {
		// Pages that need more render it again; the text goes to disk at
		// once rather than staying in memory until the cache is saved.
		c.mu.Lock()
		texts := c.texts
		c.mu.Unlock()
		d.doc, d.text, d.hasText, d.streamed = nil, "", false, true
		d.textAt = c.sink.add(c.dir, c.version, texts, key, doc.Text)
	}
	c.mu.Lock()
	c.docs[file] = d
	if c.usedDocs != nil {
		c.usedDocs[file] = true
	}
	c.mu.Unlock()
}

// pageKey fingerprints a page's data as its layout sees it: every exported
// field, walked by reflection (so a field added to a page type can never be
// forgotten), with shared values such as article cards hashed once per
// build. An article's body, when bodyKey identifies its rendering, counts by
// that key instead of its bytes.
func (c *Cache) pageKey(common, kind string, p *layout.Page, bodyKey uint64, memo *sync.Map) uint64 {
	if p.Article != nil && bodyKey != 0 {
		page, article := *p, *p.Article
		article.Body = template.HTML(fmt.Sprintf("rendering %x", bodyKey))
		article.Headings = nil // derived from the body
		page.Article = &article
		p = &page
	}
	c.fingerprinted.Add(1)
	var h xxhash.Digest
	h.Reset()
	h.WriteString(common)
	h.WriteString(kind)
	hashValue(&h, reflect.ValueOf(p).Elem(), c, memo)
	return h.Sum64()
}

// timeType is hashed as an instant and a zone.
var timeType = reflect.TypeFor[time.Time]()

// cardType is remembered by address in a build's memo: cards live for the
// whole build and one card appears on many pages. Other pointers may be
// short-lived copies whose address is reused, so they are never memoized.
var cardType = reflect.TypeFor[*layout.Card]()

// fields returns the indexes of a struct type's fingerprinted fields. The
// table is copied on write: reads, one per struct hashed, take no lock.
func (c *Cache) fields(t reflect.Type) []int {
	if m := c.typeFields.Load(); m != nil {
		if f, ok := (*m)[t]; ok {
			return f
		}
	}
	var idx []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
			idx = append(idx, i)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	next := map[reflect.Type][]int{t: idx}
	if m := c.typeFields.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	c.typeFields.Store(&next)
	return idx
}

func writeUint(h *xxhash.Digest, v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

// hashValue writes v into h.
func hashValue(h *xxhash.Digest, v reflect.Value, c *Cache, memo *sync.Map) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			h.Write([]byte{0})
			return
		}
		if v.Type() != cardType {
			h.Write([]byte{1})
			hashValue(h, v.Elem(), c, memo)
			return
		}
		writeUint(h, cardSum(v, c, memo))
	case reflect.Struct:
		if v.Type() == timeType {
			var t time.Time
			if v.CanAddr() {
				t = *(*time.Time)(v.Addr().UnsafePointer()) // no copy to the heap
			} else {
				t = v.Interface().(time.Time)
			}
			writeUint(h, uint64(t.UnixNano()))
			name, offset := t.Zone()
			writeUint(h, uint64(offset))
			h.WriteString(name)
			return
		}
		for _, i := range c.fields(v.Type()) {
			hashValue(h, v.Field(i), c, memo)
		}
	case reflect.Slice, reflect.Array:
		writeUint(h, uint64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i), c, memo)
		}
	case reflect.String:
		writeUint(h, uint64(v.Len()))
		h.WriteString(v.String())
	case reflect.Bool:
		if v.Bool() {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{2})
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeUint(h, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		writeUint(h, v.Uint())
	default:
		panic(fmt.Sprintf("page fingerprint: unsupported %s", v.Type()))
	}
}

// cardSum fingerprints the card v points to, once per build.
func cardSum(v reflect.Value, c *Cache, memo *sync.Map) uint64 {
	if sum, ok := memo.Load(v.Pointer()); ok {
		return sum.(uint64)
	}
	var sub xxhash.Digest
	sub.Reset()
	hashValue(&sub, v.Elem(), c, memo)
	sum := sub.Sum64()
	memo.Store(v.Pointer(), sum)
	return sum
}

// cardKey fingerprints a card as pageKey counts it.
func (c *Cache) cardKey(card *layout.Card, memo *sync.Map) uint64 {
	return cardSum(reflect.ValueOf(card), c, memo)
}

func (c *Cache) page(name string, key uint64) (cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.usedPages != nil {
		c.usedPages[name] = true
	}
	p, ok := c.pages[name]
	return p, ok && p.key == key
}

// pageByInputs returns the page written as name from the same inputs.
func (c *Cache) pageByInputs(name string, inputs uint64) (cachedPage, bool) {
	if c == nil || inputs == 0 {
		return cachedPage{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.usedPages != nil {
		c.usedPages[name] = true
	}
	p, ok := c.pages[name]
	return p, ok && inputs != 0 && p.inputs == inputs
}

// setInputs records what the page written as name was made of.
func (c *Cache) setInputs(name string, inputs uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pages[name]; ok {
		p.inputs = inputs
		c.pages[name] = p
	}
}

// storePage remembers the page written as name, by its HTML in memory or
// by the hash of its file in a persistent cache.
func (c *Cache) storePage(name string, key uint64, html []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := cachedPage{key: key, html: html}
	if c.persistent {
		p.html, p.sum = nil, output.SumOf(html)
	}
	c.pages[name] = p
	if c.usedPages != nil {
		c.usedPages[name] = true
	}
}

// storeFiles remembers the several files of one entry.
func (c *Cache) storeFiles(name string, key uint64, files []cachedFile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := cachedPage{key: key, files: files}
	if c.persistent {
		for i := range p.files {
			p.files[i].sum, p.files[i].html = output.SumOf(p.files[i].html), nil
		}
	}
	c.pages[name] = p
	if c.usedPages != nil {
		c.usedPages[name] = true
	}
}

// commonKey fingerprints what every page shares: the layouts, the
// site-wide data, and the settings the layouts' functions read (links,
// dates, UI strings, params). Settings that reach a page only through its
// data (page size, paths) are in that data, and those that reach no page
// (feed sizes, the sitemap's) are left out, so changing them re-renders
// only the pages they change.
func commonKey(b *builder) (string, error) {
	c := b.cfg
	shared, err := json.Marshal(struct {
		Site                                        *layout.Site
		Layouts                                     string
		Title, Description, BaseURL, BasePath, Zone string
		Language                                    any
		Params                                      map[string]string
		Taxonomies                                  any
		Paths                                       any
		Image                                       string
		Search                                      bool
	}{b.site, b.layouts.Fingerprint, c.Title, c.Description, c.BaseURL, c.BasePath, c.TimeZoneName,
		c.Language, c.Params, c.Taxonomies, c.Paths, c.Image, c.Search})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(shared)
	return fmt.Sprintf("%x", sum), nil
}

// settingsKey fingerprints every setting, for files made from settings
// other than those of pages (feeds, the sitemap).
func settingsKey(b *builder) (string, error) {
	cfg, err := json.Marshal(b.cfg)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(append(cfg, b.common...))
	return fmt.Sprintf("%x", sum), nil
}

// articleKeys identifies, for each article, everything its page is made
// of but its own body, without making the page: every setting and the
// layouts, the day, the site's additions to the gazetteer, how bodies
// render, the article as parsed but for its body, with its lead image, and
// what it shows of the others. That is, from the index: the name and page
// (and count, where layouts show counts) of every term whose list the
// article is in, which are the terms its links show, places it lies in
// included; every term of the place-valued taxonomies, whose pages the
// trail of places links to; and its related articles (index.Related),
// which are found among the articles a few places either side of it in
// the lists of its terms: for each term list it is in, the articles of
// that window, each by what its card is made of (its fields, lead image
// and terms). Between two builds with the same key, an article page
// changes only if its body's rendering does (bodyKey): the page is then
// taken from the previous site without being made and fingerprinted. A
// new article thus changes the keys of its neighbours in its terms' lists
// and of the articles of its terms, unless it makes a new place or counts
// show. It returns nil, which matches nothing, when there is no cache or
// the gazetteer's file cannot be read. ids are, for each article, what its
// card is made of but the settings and the day: its fields, lead image
// and the names and pages of its terms.
func (b *builder) articleKeys(articles []*content.Article, leads []*images.Set, renderSettings string) (keys, ids []uint64) {
	if b.cache == nil {
		return nil, nil
	}
	var h xxhash.Digest
	h.Reset()
	h.WriteString(b.common + "\x00" + b.settings + "\x00" + renderSettings + "\x00")
	writeUint(&h, uint64(b.today.Year)<<16|uint64(b.today.Month)<<8|uint64(b.today.Day))
	places, err := input.ReadFile(b.src, gazetteer.SiteFile, 64<<20)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		h.WriteString("no places file\x00")
	case err != nil:
		return nil, nil
	default:
		writeUint(&h, xxhash.Sum64(places))
	}
	counted := b.layouts.ArticleCounts()
	termKey := func(d *xxhash.Digest, term *index.Term) {
		writeString(d, term.Name)
		writeString(d, term.Path)
		if counted {
			writeUint(d, uint64(len(term.Articles)))
		}
	}
	for _, t := range b.ix.Taxonomies {
		writeString(&h, string(t.Kind))
		if t.Config.Values != config.PlaceValues {
			continue
		}
		writeUint(&h, uint64(len(t.Terms)))
		for _, term := range t.Terms {
			termKey(&h, term)
		}
	}
	common := h.Sum64()
	// What each article's card is made of, and its own key so far.
	ids = make([]uint64, len(articles))
	keys = make([]uint64, len(articles))
	const chunk = 512
	b.parallel((len(articles)+chunk-1)/chunk, func(j int) error {
		var buf []byte
		var d xxhash.Digest
		for i := j * chunk; i < min(len(articles), (j+1)*chunk); i++ {
			var sum uint64
			sum, buf = articles[i].MetaSum(buf)
			d.Reset()
			writeUint(&d, sum)
			hashValue(&d, reflect.ValueOf(leads[i]), b.cache, &b.memo)
			ids[i] = d.Sum64()
			d.Reset()
			writeUint(&d, common)
			writeUint(&d, ids[i])
			keys[i] = d.Sum64()
		}
		return nil
	})
	// Each article's terms join what its card is made of; then the
	// windows of every term list, in the index's order, are each added to
	// the key of the article they are around.
	lists := make([][]int, 0, 64)
	var d xxhash.Digest
	for _, t := range b.ix.Taxonomies {
		for _, term := range t.Terms {
			d.Reset()
			termKey(&d, term)
			sum := d.Sum64()
			positions := make([]int, len(term.Articles))
			for k, a := range term.Articles {
				pos := b.ix.Position(a)
				positions[k] = pos
				d.Reset()
				writeUint(&d, ids[pos])
				writeUint(&d, sum)
				ids[pos] = d.Sum64()
			}
			lists = append(lists, positions)
		}
	}
	for i := range keys {
		d.Reset()
		writeUint(&d, keys[i])
		writeUint(&d, ids[i])
		keys[i] = d.Sum64()
	}
	n := 0
	for _, t := range b.ix.Taxonomies {
		for _, term := range t.Terms {
			positions := lists[n]
			n++
			for k, pos := range positions {
				d.Reset()
				writeUint(&d, keys[pos])
				writeString(&d, term.Path)
				for _, other := range positions[max(0, k-relatedCount):min(len(positions), k+relatedCount+1)] {
					writeUint(&d, ids[other])
				}
				keys[pos] = d.Sum64()
			}
		}
	}
	return keys, ids
}

// pageInputs identifies an article page by its articleKeys and its body's
// key.
func pageInputs(articleKey, bodyKey uint64) uint64 {
	if articleKey == 0 {
		return 0
	}
	var h xxhash.Digest
	h.Reset()
	writeUint(&h, articleKey)
	writeUint(&h, bodyKey)
	return h.Sum64()
}
