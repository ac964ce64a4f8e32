package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/feed"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/output"
)

// feedArticles marks, by position in the site's articles, those some feed
// shows, whose bodies a full-content feed needs after their pages are
// written. Taxonomies with Feed set give each term a feed.
func (b *builder) feedArticles() []bool {
	out := make([]bool, len(b.ix.Articles))
	if !b.cfg.FeedFullContent {
		return out
	}
	add := func(list []*content.Article) {
		for _, a := range list[:min(len(list), b.cfg.FeedLimit)] {
			out[b.ix.Position(a)] = true
		}
	}
	add(b.ix.Articles)
	for _, t := range b.ix.Taxonomies {
		if t.Config.Feed {
			for _, term := range t.Terms {
				add(term.Articles)
			}
		}
	}
	return out
}

// writeFeeds writes the site's Atom feed and one per term of every
// taxonomy with Feed set. cards and feedHTML are the article stage's,
// indexed like the site's articles.
func (b *builder) writeFeeds(cards []*layout.Card, feedHTML []template.HTML) error {
	type job struct {
		f        feed.Feed
		articles []*content.Article
	}
	jobs := []job{{feed.Feed{Title: b.cfg.Title}, b.ix.Articles}}
	for _, t := range b.ix.Taxonomies {
		if !t.Config.Feed {
			continue
		}
		label, _ := layout.Labels(b.cfg, &t.Config)
		for _, term := range t.Terms {
			jobs = append(jobs, job{feed.Feed{Title: label + ": " + term.Name + " – " + b.cfg.Title, Path: term.Path}, term.Articles})
		}
	}
	return b.parallel(len(jobs), func(i int) error {
		j := jobs[i]
		list := j.articles[:min(len(j.articles), b.cfg.FeedLimit)]
		entries := make([]feed.Entry, len(list))
		for k, a := range list {
			pos := b.ix.Position(a)
			entries[k] = feed.Entry{Article: a, Summary: cards[pos].Summary, HTML: feedHTML[pos]}
		}
		name := j.f.Path + feed.FileName
		key := b.feedKey(j.f, entries)
		if b.cache != nil {
			if cached, ok := b.cache.page("\x00"+name, key); ok {
				if reused, err := b.reuse(name, cached, ""); reused || err != nil {
					return err
				}
			}
		}
		data, err := feed.Atom(b.cfg, j.f, entries, b.cfg.FeedFullContent)
		if err != nil {
			return err
		}
		if b.cache != nil {
			b.cache.storePage("\x00"+name, key, data)
		}
		return b.out.write(name, data, "")
	})
}

// writeSitemap writes the sitemap of urls, every page of the site, and
// robots.txt.
func (b *builder) writeSitemap(urls []feed.URL) error {
	slices.SortFunc(urls, func(x, y feed.URL) int { return cmp.Compare(x.Path, y.Path) })
	var files []feed.File
	key := b.sitemapKey(urls)
	reused, err := b.reuseSitemap(key)
	if err != nil {
		return err
	}
	if !reused {
		if cached, ok := b.cachedSitemap(key); ok {
			files = cached
		} else {
			if files, err = feed.Sitemap(b.cfg, urls, b.cfg.SitemapURLs); err != nil {
				return err
			}
			b.storeSitemap(key, files)
		}
	}
	for _, f := range files {
		if err := b.out.write(f.Name, f.Data, ""); err != nil {
			return err
		}
	}
	// A site's own static/robots.txt wins.
	if !b.out.has("robots.txt") {
		return b.out.write("robots.txt", feed.Robots(b.cfg), "")
	}
	return nil
}

// sitemapURL is a page's sitemap entry, dated by the newest article it
// shows.
func sitemapURL(p *layout.Page) feed.URL {
	var last time.Time
	if p.Article != nil {
		last = p.Article.Date
	}
	for _, c := range p.Cards {
		if c.Date.After(last) {
			last = c.Date
		}
	}
	return feed.URL{Path: p.Path, LastMod: last}
}

// absoluteImage is an article's image as an absolute URL, for previews.
func (b *builder) absoluteImage(a *content.Article) string {
	if a.Image == "" {
		return ""
	}
	page, err := url.Parse(b.cfg.BaseURL + a.Path)
	if err != nil {
		return ""
	}
	img := a.Image
	if strings.HasPrefix(img, "/") && !strings.HasPrefix(img, "//") {
		img = b.cfg.BasePath + strings.TrimPrefix(img, "/")
	}
	ref, err := url.Parse(img)
	if err != nil {
		return ""
	}
	return page.ResolveReference(ref).String()
}

// jsonLD is an article's schema.org NewsArticle. encoding/json escapes <, >
// and &, so no value can close the script element it is written in.
// newsArticle is schema.org's NewsArticle, its fields in alphabetical
// order as a map would marshal them.
type newsArticle struct {
	Context          string   `json:"@context"`
	Type             string   `json:"@type"`
	About            string   `json:"about,omitempty"`
	Author           ldThing  `json:"author"`
	ContentLocation  ldThing  `json:"contentLocation"`
	DateModified     string   `json:"dateModified"`
	DatePublished    string   `json:"datePublished"`
	Description      string   `json:"description,omitempty"`
	Headline         string   `json:"headline"`
	Image            []string `json:"image,omitempty"`
	InLanguage       string   `json:"inLanguage"`
	Keywords         string   `json:"keywords,omitempty"`
	MainEntityOfPage ldThing  `json:"mainEntityOfPage"`
	Publisher        ldThing  `json:"publisher"`
	URL              string   `json:"url"`
}

// ldThing is a schema.org thing: a place, a person, an organization.
type ldThing struct {
	ID   string `json:"@id,omitempty"`
	Type string `json:"@type"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

func (b *builder) jsonLD(a *content.Article, summary, image string) (template.JS, error) {
	permalink := b.cfg.BaseURL + a.Path
	date := a.Date.Format(time.RFC3339)
	data := newsArticle{
		Context: "https://schema.org", Type: "NewsArticle",
		About:           a.Slogan,
		Author:          ldThing{Type: "Organization", Name: b.cfg.Title},
		ContentLocation: ldThing{Type: "Place", Name: a.Region},
		DateModified:    date, DatePublished: date,
		Description:      summary,
		Headline:         a.Title,
		InLanguage:       string(b.cfg.Language),
		Keywords:         strings.Join(a.Topics, ", "),
		MainEntityOfPage: ldThing{Type: "WebPage", ID: permalink},
		Publisher:        ldThing{Type: "Organization", Name: b.cfg.Title, URL: b.cfg.BaseURL},
		URL:              permalink,
	}
	if a.Author != "" {
		data.Author = ldThing{Type: "Person", Name: a.Author}
	}
	if image != "" {
		data.Image = []string{image}
	}
	out, err := json.Marshal(data)
	if err != nil {
		return "", err
	}
	return template.JS(out), nil
}

// feedKey fingerprints what a feed shows, for the preview's cache.
func (b *builder) feedKey(f feed.Feed, entries []feed.Entry) uint64 {
	if b.cache == nil {
		return 0
	}
	var h xxhash.Digest
	h.Reset()
	h.WriteString(b.settings + "\x00")
	writeString(&h, f.Title)
	writeString(&h, f.Path)
	writeUint(&h, uint64(len(entries)))
	for _, e := range entries {
		a := e.Article
		for _, s := range [...]string{a.File, a.Path, a.Title, a.Author, a.Region, e.Summary, string(e.HTML)} {
			writeString(&h, s)
		}
		writeTime(&h, a.Date)
		writeUint(&h, uint64(len(a.Topics)))
		for _, t := range a.Topics {
			writeString(&h, t)
		}
	}
	return h.Sum64()
}

// sitemapKey fingerprints the sitemap's URLs.
func (b *builder) sitemapKey(urls []feed.URL) uint64 {
	if b.cache == nil {
		return 0
	}
	var h xxhash.Digest
	h.Reset()
	h.WriteString(b.settings + "\x00")
	writeUint(&h, uint64(b.cfg.SitemapURLs))
	writeUint(&h, uint64(len(urls)))
	for _, u := range urls {
		writeString(&h, u.Path)
		writeTime(&h, u.LastMod)
	}
	return h.Sum64()
}

// writeString writes s into h, after its length.
func writeString(h *xxhash.Digest, s string) {
	writeUint(h, uint64(len(s)))
	h.WriteString(s)
}

// writeTime writes t into h as an instant and a zone, as it prints.
func writeTime(h *xxhash.Digest, t time.Time) {
	writeUint(h, uint64(t.UnixNano()))
	name, offset := t.Zone()
	writeUint(h, uint64(offset))
	writeString(h, name)
}

// sitemapEntry is the cache's entry of the sitemap: its key, and in
// inputs how many files it has; each file has an entry of its own, named
// after it, with the same key and the file's hash.
const sitemapEntry = "\x00sitemap"

// storeSitemap keeps the sitemap's files under key: their bytes in an
// in-memory cache, their hashes in a persistent one.
func (b *builder) storeSitemap(key uint64, files []feed.File) {
	switch {
	case b.cache == nil:
	case !b.cache.persistent:
		b.cache.storePage("\x00sitemap files", key, encodeFiles(files))
	default:
		for _, f := range files {
			b.cache.storePage(sitemapEntry+"\x00"+f.Name, key, f.Data)
		}
		b.cache.storePage(sitemapEntry, key, nil)
		b.cache.setInputs(sitemapEntry, uint64(len(files)))
	}
}

// reuseSitemap takes the sitemap's files from the previous site when a
// persistent cache says they were made of the same URLs and settings, and
// the output has every one of them.
func (b *builder) reuseSitemap(key uint64) (bool, error) {
	if b.cache == nil || !b.cache.persistent {
		return false, nil
	}
	head, ok := b.cache.page(sitemapEntry, key)
	if !ok || head.inputs == 0 {
		return false, nil
	}
	r, ok := b.out.w.(output.Reuser)
	if !ok {
		return false, nil
	}
	names := feed.SitemapFiles(int(head.inputs))
	sums := make([]output.Sum, len(names))
	for i, name := range names {
		f, ok := b.cache.page(sitemapEntry+"\x00"+name, key)
		if !ok || !r.CanReuse(name, f.sum) {
			return false, nil
		}
		sums[i] = f.sum
	}
	for i, name := range names {
		reused, err := b.out.reuse(name, sums[i], "")
		if err != nil {
			return false, err
		}
		if !reused {
			return false, fmt.Errorf("sitemap: %s is gone from the previous site; build again", name)
		}
	}
	return true, nil
}

// cachedSitemap returns the sitemap's files from an in-memory cache.
func (b *builder) cachedSitemap(key uint64) ([]feed.File, bool) {
	if b.cache == nil || b.cache.persistent {
		return nil, false
	}
	cached, ok := b.cache.page("\x00sitemap files", key)
	if !ok {
		return nil, false
	}
	return decodeFiles(cached.html), true
}

// encodeFiles packs files into one cache entry: name, NUL, length, NUL, data.
func encodeFiles(files []feed.File) []byte {
	var out []byte
	for _, f := range files {
		out = fmt.Appendf(out, "%s\x00%d\x00", f.Name, len(f.Data))
		out = append(out, f.Data...)
	}
	return out
}

func decodeFiles(data []byte) []feed.File {
	var files []feed.File
	for len(data) > 0 {
		name, rest, _ := bytes.Cut(data, []byte{0})
		size, rest, _ := bytes.Cut(rest, []byte{0})
		n, _ := strconv.Atoi(string(size))
		files = append(files, feed.File{Name: string(name), Data: rest[:n]})
		data = rest[n:]
	}
	return files
}
