package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"html/template"
	"reflect"
	"sync"
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

	mu    sync.Mutex
	seed  maphash.Seed
	docs  map[string]cachedDoc  // by content file
	pages map[string]cachedPage // by output file
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

func linksToFiles(body []byte) bool {
	for i := 0; i+3 <= len(body); i++ {
		if body[i] == '.' && body[i+1] == 'm' && body[i+2] == 'd' {
			return true
		}
	}
	return false
}

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
	hashValue(&h, reflect.ValueOf(p).Elem(), c.seed, memo)
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], h.Sum64())
	return key
}

// cardType is remembered by address in a build's memo: cards live for the
// whole build and one card appears on many pages. Other pointers may be
// short-lived copies whose address is reused, so they are never memoized.
var cardType = reflect.TypeFor[*layout.Card]()

// hashValue writes v into h.
func hashValue(h *maphash.Hash, v reflect.Value, seed maphash.Seed, memo *sync.Map) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		if v.Type() != cardType {
			h.WriteByte(1)
			hashValue(h, v.Elem(), seed, memo)
			return
		}
		if sum, ok := memo.Load(v.Pointer()); ok {
			binary.Write(h, binary.LittleEndian, sum.(uint64))
			return
		}
		var sub maphash.Hash
		sub.SetSeed(seed)
		hashValue(&sub, v.Elem(), seed, memo)
		sum := sub.Sum64()
		memo.Store(v.Pointer(), sum)
		binary.Write(h, binary.LittleEndian, sum)
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			h.WriteString(t.Format(time.RFC3339Nano))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Type().Field(i).Tag.Get("json") != "-" {
				hashValue(h, v.Field(i), seed, memo)
			}
		}
	case reflect.Slice, reflect.Array:
		binary.Write(h, binary.LittleEndian, int64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i), seed, memo)
		}
	case reflect.String:
		binary.Write(h, binary.LittleEndian, int64(v.Len()))
		h.WriteString(v.String())
	case reflect.Bool:
		if v.Bool() {
			h.WriteByte(1)
		} else {
			h.WriteByte(2)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		binary.Write(h, binary.LittleEndian, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		binary.Write(h, binary.LittleEndian, v.Uint())
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
