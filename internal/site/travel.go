package site

import (
	"cmp"
	"encoding/json"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/feed"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/layout"
)

// hasFeed reports whether terms of kind get their own Atom feed: regions,
// topics, slogans and periods do; years are archives, not subscriptions.
func hasFeed(k index.Kind) bool { return k != index.Year }

// feedArticles are the articles some feed shows, whose bodies a
// full-content feed needs after their pages are written.
func (b *builder) feedArticles() map[*content.Article]bool {
	out := map[*content.Article]bool{}
	if !b.cfg.FeedFullContent {
		return out
	}
	add := func(list []*content.Article) {
		for _, a := range list[:min(len(list), b.cfg.FeedLimit)] {
			out[a] = true
		}
	}
	add(b.ix.Articles)
	for _, t := range b.ix.Taxonomies {
		if hasFeed(t.Kind) {
			for _, term := range t.Terms {
				add(term.Articles)
			}
		}
	}
	return out
}

// writeFeeds writes the Atom feeds, the sitemap and robots.txt.
func (b *builder) writeFeeds() error {
	tr := layout.T(b.cfg)
	type job struct {
		f        feed.Feed
		articles []*content.Article
	}
	jobs := []job{{feed.Feed{Title: b.cfg.Title}, b.ix.Articles}}
	for _, t := range b.ix.Taxonomies {
		if !hasFeed(t.Kind) {
			continue
		}
		for _, term := range t.Terms {
			jobs = append(jobs, job{feed.Feed{Title: tr(string(t.Kind)) + ": " + term.Name + " – " + b.cfg.Title, Path: term.Path}, term.Articles})
		}
	}
	err := b.parallel(len(jobs), func(i int) error {
		j := jobs[i]
		list := j.articles[:min(len(j.articles), b.cfg.FeedLimit)]
		entries := make([]feed.Entry, len(list))
		for k, a := range list {
			entries[k] = feed.Entry{Article: a, Summary: b.cards[a].Summary, HTML: b.feedHTML[a]}
		}
		data, err := feed.Atom(b.cfg, j.f, entries, b.cfg.FeedFullContent)
		if err != nil {
			return err
		}
		return b.out.write(j.f.Path+feed.FileName, data, "")
	})
	if err != nil {
		return err
	}

	slices.SortFunc(b.sitemap, func(x, y feed.URL) int { return cmp.Compare(x.Path, y.Path) })
	files, err := feed.Sitemap(b.cfg, b.sitemap, b.cfg.SitemapURLs)
	if err != nil {
		return err
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

// addToSitemap records a page with the date of the newest article it shows.
func (b *builder) addToSitemap(p *layout.Page) {
	var last time.Time
	if p.Article != nil {
		last = p.Article.Date
	}
	for _, c := range p.Cards {
		if c.Date.After(last) {
			last = c.Date
		}
	}
	b.mu.Lock()
	b.sitemap = append(b.sitemap, feed.URL{Path: p.Path, LastMod: last})
	b.mu.Unlock()
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
func (b *builder) jsonLD(a *content.Article, summary, image string) (template.JS, error) {
	permalink := b.cfg.BaseURL + a.Path
	data := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"datePublished":    a.Date.Format(time.RFC3339),
		"dateModified":     a.Date.Format(time.RFC3339),
		"url":              permalink,
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": permalink},
		"inLanguage":       string(b.cfg.Language),
		"publisher":        map[string]any{"@type": "Organization", "name": b.cfg.Title, "url": b.cfg.BaseURL},
		"contentLocation":  map[string]any{"@type": "Place", "name": a.Region},
	}
	if a.Author != "" {
		data["author"] = map[string]any{"@type": "Person", "name": a.Author}
	} else {
		data["author"] = map[string]any{"@type": "Organization", "name": b.cfg.Title}
	}
	if summary != "" {
		data["description"] = summary
	}
	if image != "" {
		data["image"] = []string{image}
	}
	if len(a.Topics) > 0 {
		data["keywords"] = strings.Join(a.Topics, ", ")
	}
	if a.Slogan != "" {
		data["about"] = a.Slogan
	}
	out, err := json.Marshal(data)
	if err != nil {
		return "", err
	}
	return template.JS(out), nil
}
