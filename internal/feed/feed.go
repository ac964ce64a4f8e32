// Package feed writes what makes bulletins travel beyond the site: Atom
// feeds for the site and each term, sitemap.xml (split into a sitemap index
// past the protocol's limit) and robots.txt.
package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
)

// Entry is one article in a feed.
type Entry struct {
	Article *content.Article
	// HTML is the article's body, used when site.toml asks for full content.
	HTML template.HTML
	// Summary is the article's summary or first paragraph.
	Summary string
}

// atom is an Atom 1.0 document (RFC 4287).
type atom struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Authors    []atomPerson   `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category,omitempty"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// maxTopicCategories bounds the topics an entry lists as categories: an
// article appears in the feed of each of its topics, so listing every
// topic in each would grow the feeds with the square of its topics.
const maxTopicCategories = 10

// Feed describes one feed: the site's or a term's.
type Feed struct {
	Title string
	Path  string // site path of the page the feed belongs to, "" for home
}

// Atom renders a feed of entries, newest first, already cut to the limit.
// Ids are tag URIs built from the site's host, each article's date and its
// path, so they stay the same from build to build.
func Atom(cfg *config.Site, f Feed, entries []Entry, full bool) ([]byte, error) {
	host := hostOf(cfg.BaseURL)
	doc := atom{
		Lang:  string(cfg.Language),
		ID:    fmt.Sprintf("tag:%s,2000:%s%s", host, cfg.BasePath, f.Path),
		Title: f.Title,
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: cfg.BaseURL + f.Path},
			{Rel: "self", Type: "application/atom+xml", Href: cfg.BaseURL + f.Path + FileName},
		},
		Author: atomPerson{Name: cfg.Title},
		Gen:    "bantin",
	}
	// With no entries, a fixed date keeps the feed valid and stable.
	doc.Updated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	for i, e := range entries {
		a := e.Article
		stamp := a.Date.Format(time.RFC3339)
		if i == 0 {
			doc.Updated = stamp
		}
		entry := atomEntry{
			ID:        fmt.Sprintf("tag:%s,%s:%s%s", host, a.Date.Format("2006-01-02"), cfg.BasePath, a.Path),
			Title:     a.Title,
			Updated:   stamp,
			Published: stamp,
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: cfg.BaseURL + a.Path}},
		}
		if a.Author != "" {
			entry.Authors = []atomPerson{{Name: a.Author}}
		}
		entry.Categories = append(entry.Categories, atomCategory{Term: a.Region})
		for _, t := range a.Topics[:min(len(a.Topics), maxTopicCategories)] {
			entry.Categories = append(entry.Categories, atomCategory{Term: t})
		}
		if e.Summary != "" {
			entry.Summary = &atomText{Type: "text", Body: e.Summary}
		}
		if full {
			entry.Content = &atomText{Type: "html", Body: string(e.HTML)}
		}
		doc.Entries = append(doc.Entries, entry)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feed %s: %w", f.Path, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// FileName is the feed's file in its page's folder.
const FileName = "atom.xml"

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}

// URL is one page in the sitemap.
type URL struct {
	Path    string // site path
	LastMod time.Time
}

// File is an output file.
type File struct {
	Name string
	Data []byte
}

// Sitemap writes sitemap.xml, or, past limit URLs, sitemap.xml as an index
// of sitemap-1.xml, sitemap-2.xml ... of at most limit URLs each.
func Sitemap(cfg *config.Site, urls []URL, limit int) ([]File, error) {
	if len(urls) <= limit {
		return []File{{Name: "sitemap.xml", Data: encodeSitemap(cfg, "urlset", "url", urls)}}, nil
	}
	var files []File
	var index []URL
	for part := 0; part*limit < len(urls); part++ {
		chunk := urls[part*limit : min(len(urls), (part+1)*limit)]
		var newest time.Time
		for _, u := range chunk {
			if u.LastMod.After(newest) {
				newest = u.LastMod
			}
		}
		name := fmt.Sprintf("sitemap-%d.xml", part+1)
		files = append(files, File{Name: name, Data: encodeSitemap(cfg, "urlset", "url", chunk)})
		index = append(index, URL{Path: name, LastMod: newest})
	}
	return append(files, File{Name: "sitemap.xml", Data: encodeSitemap(cfg, "sitemapindex", "sitemap", index)}), nil
}

// encodeSitemap writes a sitemap or sitemap index of urls, each an item
// element, as encoding/xml would indent it (the sitemap's tests compare
// the two), without its reflection: a site of 100,000 pages spent most of
// its sitemap's time there.
func encodeSitemap(cfg *config.Site, root, item string, urls []URL) []byte {
	var buf bytes.Buffer
	buf.Grow(len(xml.Header) + 128 + len(urls)*(80+len(cfg.BaseURL)))
	buf.WriteString(xml.Header)
	buf.WriteString("<" + root + ` xmlns="` + sitemapNS + `">`)
	for _, u := range urls {
		buf.WriteString("\n  <" + item + ">\n    <loc>")
		if plain(cfg.BaseURL) && plain(u.Path) {
			buf.WriteString(cfg.BaseURL)
			buf.WriteString(u.Path)
		} else {
			xml.EscapeText(&buf, []byte(cfg.BaseURL+u.Path))
		}
		buf.WriteString("</loc>")
		if !u.LastMod.IsZero() {
			buf.WriteString("\n    <lastmod>")
			xml.EscapeText(&buf, u.LastMod.AppendFormat(nil, time.RFC3339))
			buf.WriteString("</lastmod>")
		}
		buf.WriteString("\n  </" + item + ">")
	}
	if len(urls) > 0 {
		buf.WriteString("\n")
	}
	buf.WriteString("</" + root + ">\n")
	return buf.Bytes()
}

// plain reports whether s is XML character data as it is: printable
// ASCII without markup characters, as URLs mostly are.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			return false
		}
	}
	return true
}

// sitemapNS is the sitemap protocol's namespace.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// SitemapFiles returns the names of the files Sitemap writes when it
// writes count files, in its order.
func SitemapFiles(count int) []string {
	if count <= 1 {
		return []string{"sitemap.xml"}
	}
	names := make([]string, 0, count)
	for part := 1; part < count; part++ {
		names = append(names, fmt.Sprintf("sitemap-%d.xml", part))
	}
	return append(names, "sitemap.xml")
}

// Robots allows everything and points to the sitemap.
func Robots(cfg *config.Site) []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n\n")
	fmt.Fprintf(&b, "Sitemap: %ssitemap.xml\n", cfg.BaseURL)
	return []byte(b.String())
}
