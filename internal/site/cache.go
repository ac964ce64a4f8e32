package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"html/template"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/render"
)

// Cache carries work from one build of a site to the next, for the preview
// server: parsed files, rendered Markdown and rendered pages. A page is
// rendered again only when a fingerprint of everything its layout can see
// (the page's data, the shared site data, the layouts and the settings)
// changed, so that saving one article rebuilds a handful of pages. Tests
// check that a build with a cache equals a build without one.
type Cache struct {
	Content *content.Cache

	mu         sync.Mutex
	seed       maphash.Seed
	docs       map[string]cachedDoc                   // by content file
	pages      map[string]cachedPage                  // by output file
	typeFields atomic.Pointer[map[reflect.Type][]int] // fingerprinted fields of each type
	images     imageMemo                              // processed images by source file
	// published are the last successful build's articles, for previews of
	// one article against the rest of the site.
	published []*content.Article
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

type cachedDoc struct {
	key uint64
	doc *render.Doc
}

type cachedPage struct {
	key  [32]byte
	html []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{Content: content.NewCache(), seed: maphash.MakeSeed(), docs: map[string]cachedDoc{}, pages: map[string]cachedPage{}}
}

// docKey identifies a Markdown rendering: the body, the renderer's settings
// and, for bodies that link to .md files, the URLs of every article.
func (c *Cache) docKey(a *content.Article, settings string, articleURLs uint64) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.Write(a.Body)
	fmt.Fprint(&h, "\x00", a.BodyLine, "\x00", settings)
	if linksToFiles(a.Body) {
		fmt.Fprint(&h, "\x00", articleURLs)
	}
	return h.Sum64()
}

// bodyKey identifies a rendered body for page fingerprints: its rendering
// key and, since an image can change under the same Markdown, the URLs of
// its pictures.
func (c *Cache) bodyKey(docKey uint64, doc *render.Doc) uint64 {
	if c == nil || len(doc.Images) == 0 {
		return docKey
	}
	var h maphash.Hash
	h.SetSeed(c.seed)
	writeUint(&h, docKey)
	for _, img := range doc.Images {
		h.WriteString(img.Set.Src + "\x00")
	}
	return h.Sum64()
}

func linksToFiles(body []byte) bool { return bytes.Contains(body, []byte(".md")) }

func (c *Cache) doc(file string, key uint64) (*render.Doc, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.docs[file]
	return d.doc, ok && d.key == key
}

func (c *Cache) storeDoc(file string, key uint64, doc *render.Doc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.docs[file] = cachedDoc{key, doc}
}

// pageKey fingerprints a page's data as its layout sees it: every exported
// field, walked by reflection (so a field added to a page type can never be
// forgotten), with shared values such as article cards hashed once per
// build. An article's body, when bodyKey identifies its rendering, counts by
// that key instead of its bytes.
func (c *Cache) pageKey(common, kind string, p *layout.Page, bodyKey uint64, memo *sync.Map) [32]byte {
	if p.Article != nil && bodyKey != 0 {
		page, article := *p, *p.Article
		article.Body = template.HTML(fmt.Sprintf("rendering %x", bodyKey))
		page.Article = &article
		p = &page
	}
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.WriteString(common)
	h.WriteString(kind)
	hashValue(&h, reflect.ValueOf(p).Elem(), c, memo)
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], h.Sum64())
	return key
}

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

func writeUint(h *maphash.Hash, v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

// hashValue writes v into h.
func hashValue(h *maphash.Hash, v reflect.Value, c *Cache, memo *sync.Map) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		if v.Type() != cardType {
			h.WriteByte(1)
			hashValue(h, v.Elem(), c, memo)
			return
		}
		if sum, ok := memo.Load(v.Pointer()); ok {
			writeUint(h, sum.(uint64))
			return
		}
		var sub maphash.Hash
		sub.SetSeed(c.seed)
		hashValue(&sub, v.Elem(), c, memo)
		sum := sub.Sum64()
		memo.Store(v.Pointer(), sum)
		writeUint(h, sum)
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			h.WriteString(t.Format(time.RFC3339Nano))
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
			h.WriteByte(1)
		} else {
			h.WriteByte(2)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeUint(h, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		writeUint(h, v.Uint())
	default:
		panic(fmt.Sprintf("page fingerprint: unsupported %s", v.Type()))
	}
}

func (c *Cache) page(name string, key [32]byte) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[name]
	return p.html, ok && p.key == key
}

func (c *Cache) storePage(name string, key [32]byte, html []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages[name] = cachedPage{key, html}
}

// commonKey fingerprints what every page shares: settings, layouts and the
// site-wide data.
func commonKey(b *builder) (string, error) {
	cfg, err := json.Marshal(b.cfg)
	if err != nil {
		return "", err
	}
	site, err := json.Marshal(b.site)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(append(append(append(cfg, 0), site...), b.layouts.Fingerprint...))
	return fmt.Sprintf("%x", sum), nil
}
