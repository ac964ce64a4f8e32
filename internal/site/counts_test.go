package site_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

// countsSite is thirty articles of one region, a month apart, with a
// topic each of three.
func countsSite() fstest.MapFS {
	fsys := sitetest.FS("-- site.toml --\ntitle = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n")
	for i := range 30 {
		fsys[fmt.Sprintf("content/tin-%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Tin số %d\ndate: %d-%02d-10\nregion: Vị Thanh\ntopics: [Chủ đề %d]\n---\nĐoạn %d.\n", i, 2021+i/12, 1+i%12, i%3, i))}
	}
	return fsys
}

// newCountsArticle is a newer article in the region of countsSite.
const newCountsArticle = "---\ntitle: Tin mới\ndate: 2024-06-01\nregion: Vị Thanh\ntopics: [Chủ đề 0]\n---\nMới.\n"

// changedPages lists the HTML pages of after that before has not, or has
// with other bytes.
func changedPages(before, after *output.Memory) []string {
	var out []string
	for _, n := range after.Names() {
		if !strings.HasSuffix(n, ".html") {
			continue
		}
		a, _ := after.File(n)
		if b, ok := before.File(n); !ok || !bytes.Equal(a, b) {
			out = append(out, n)
		}
	}
	return out
}

// TestNewArticleRendersOnlyChangedPagesWithDefaultLayouts adds an article
// to a region: the default layouts show no counts on article pages, so
// the region's older articles, whose HTML stays the same, are not
// rendered again although their region's count grew.
func TestNewArticleRendersOnlyChangedPagesWithDefaultLayouts(t *testing.T) {
	t.Parallel()
	fsys := countsSite()
	cache := site.NewCache()
	before, _ := buildWith(t, fsys, cache)
	fsys["content/tin-moi.md"] = &fstest.MapFile{Data: []byte(newCountsArticle)}
	after, stats := buildWith(t, fsys, cache)
	sameSite(t, "new article", after, mustFull(t, fsys))
	changed := changedPages(before, after)
	if stats.Rendered != len(changed) {
		t.Errorf("rendered %d pages again for %d changed pages:\n%s", stats.Rendered, len(changed), strings.Join(changed, "\n"))
	}
	// The new article and the few whose related articles it joins.
	var articles int
	for _, n := range changed {
		if strings.HasPrefix(n, "bai-viet/") && n != "bai-viet/index.html" && !strings.Contains(n, "/trang/") {
			articles++
		}
	}
	if articles == 0 || articles > 6 {
		t.Errorf("%d article pages changed, want the new one and at most five it is related to:\n%s", articles, strings.Join(changed, "\n"))
	}
}

// TestNewArticleUpdatesCountsLayoutsShow shows the region's count on
// article pages: a new article in the region changes the count on every
// other article's page, also in a rebuild from the cache.
func TestNewArticleUpdatesCountsLayoutsShow(t *testing.T) {
	t.Parallel()
	fsys := countsSite()
	fsys["layouts/article.html"] = &fstest.MapFile{Data: []byte(
		`{{define "main"}}<p class="region">{{.Article.Region.Name}} ({{.Article.Region.Count}} bài)</p>{{end}}`)}
	cache := site.NewCache()
	before, _ := buildWith(t, fsys, cache)
	const page = "bai-viet/tin-03/index.html"
	if html, _ := before.File(page); !bytes.Contains(html, []byte("Vị Thanh (30 bài)")) {
		t.Fatalf("%s does not show the region's count:\n%s", page, html)
	}
	fsys["content/tin-moi.md"] = &fstest.MapFile{Data: []byte(newCountsArticle)}
	after, _ := buildWith(t, fsys, cache)
	sameSite(t, "new article", after, mustFull(t, fsys))
	if html, _ := after.File(page); !bytes.Contains(html, []byte("Vị Thanh (31 bài)")) {
		t.Errorf("%s does not show the region's new count:\n%s", page, html)
	}
}
