package site_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
)

// replaceAllIn replaces old by new in every file of fsys whose name has the
// prefix, and fails unless some file had old.
func replaceAllIn(t *testing.T, fsys fstest.MapFS, prefix, old, new string) {
	t.Helper()
	found := false
	for name, f := range fsys {
		if strings.HasPrefix(name, prefix) && bytes.Contains(f.Data, []byte(old)) {
			fsys[name] = &fstest.MapFile{Data: bytes.ReplaceAll(f.Data, []byte(old), []byte(new))}
			found = true
		}
	}
	if !found {
		t.Fatalf("no file under %s has %q", prefix, old)
	}
}

// changedHTML lists the pages whose bytes differ between two builds.
func changedHTML(before, after *output.Memory) []string {
	var out []string
	for _, n := range after.Names() {
		a, _ := before.File(n)
		b, _ := after.File(n)
		if strings.HasSuffix(n, ".html") && !bytes.Equal(a, b) {
			out = append(out, n)
		}
	}
	return out
}

// TestCachedPagesFollowWhatTheyShow edits, one at a time, what pages show
// of other articles and of the index: a card's title, a term's name, an
// article among the neighbours whose related articles it joins, a setting.
// Older list pages and article pages are taken from the cache by keys of
// what they are made of, not made and fingerprinted: after each edit the
// cached build must equal a clean build, and the pages that show the edit
// must have changed (else the step tests nothing), while, for the new
// article, the article pages it is not related to are not rendered.
func TestCachedPagesFollowWhatTheyShow(t *testing.T) {
	t.Parallel()
	fsys := pagedSite(30, 2)
	cache := site.NewCache()
	before, _ := buildWith(t, fsys, cache)
	steps := []struct {
		name string
		edit func()
		// changed must each have a page among the pages that changed;
		// most bounds the article pages rendered, when not 0.
		changed []string
		most    int
	}{
		// The same slug: only the card's title changes, on the home page's
		// oldest page, and on the article pages it is related to.
		{"a card's title", func() { replaceAllIn(t, fsys, "content/tin-01.md", "title: Tin số 1\n", "title: Tin Số 1\n") },
			[]string{"trang/1/index.html", "bai-viet/trang/1/index.html", "chu-de/thi-dua/trang/1/index.html", "bai-viet/tin-02/index.html"}, 0},
		// A declared unit's spelling, same slug: the older pages of its
		// list name it, and every card shows it.
		{"a term's name", func() { replaceAllIn(t, fsys, "content/", "unit: Sở Nội vụ", "unit: Sở nội vụ") },
			[]string{"don-vi/so-noi-vu/trang/1/index.html", "trang/3/index.html", "bai-viet/tin-30/index.html"}, 0},
		// A topic's spelling, same slug: cards show no topics, so only the
		// older pages' titles and trails (the list's shell) name it.
		{"a topic's name", func() { replaceAllIn(t, fsys, "content/", "Thi đua", "Thi Đua") },
			[]string{"chu-de/thi-dua/trang/1/index.html", "chu-de/thi-dua/trang/5/index.html"}, 0},
		// Between articles 15 and 16: the articles either side show it
		// among their related ones; those far away are not made again.
		{"an article among its neighbours", func() {
			fsys["content/chen.md"] = &fstest.MapFile{Data: []byte(
				"---\ntitle: Tin chen\ndate: 2025-01-15 12:00\nregion: Vị Thanh\ntopics: [Thi Đua]\nunit: Sở nội vụ\n---\nBài chen.\n")}
		}, []string{"bai-viet/tin-15/index.html", "bai-viet/tin-16/index.html"}, 15},
		// Every article in one campaign; then an old article, on none of
		// its list's first page's cards, names another unit: the
		// campaign's page counts the units its articles name.
		{"a campaign", func() {
			replaceAllIn(t, fsys, "content/", "unit: Sở nội vụ\n", "unit: Sở nội vụ\nperiod: {start: 2025-01, end: 2025-03}\n")
		}, []string{"dot-thi-dua/2025-01-2025-03/index.html"}, 0},
		{"a unit on the campaign's page", func() {
			replaceAllIn(t, fsys, "content/tin-01.md", "unit: Sở nội vụ", "unit: Sở Tư pháp")
			replaceAllIn(t, fsys, "content/tin-03.md", "unit: Sở nội vụ", "unit: Sở Tư pháp")
		}, []string{"dot-thi-dua/2025-01-2025-03/index.html"}, 0},
		// No new term: only the counts of the campaign's units change.
		{"a unit's count on the campaign's page", func() { replaceAllIn(t, fsys, "content/tin-03.md", "unit: Sở Tư pháp", "unit: Sở nội vụ") },
			[]string{"dot-thi-dua/2025-01-2025-03/index.html"}, 0},
		// The archive's title on its older pages, and a setting every page
		// shows.
		{"a setting", func() {
			replaceAllIn(t, fsys, "site.toml", `title = "Bản tin thử"`, `title = "Bản tin thử mới"`)
		},
			[]string{"bai-viet/trang/2/index.html", "bai-viet/tin-05/index.html"}, 0},
	}
	for _, s := range steps {
		s.edit()
		after, stats := buildWith(t, fsys, cache)
		sameSite(t, s.name, after, mustFull(t, fsys))
		changed := changedHTML(before, after)
		for _, want := range s.changed {
			if !strings.Contains("\n"+strings.Join(changed, "\n")+"\n", "\n"+want+"\n") {
				t.Errorf("%s: %s did not change; changed:\n%s", s.name, want, strings.Join(changed, "\n"))
			}
		}
		if s.most > 0 {
			articles := 0
			for _, n := range changed {
				if strings.HasPrefix(n, "bai-viet/tin-") {
					articles++
				}
			}
			lists := stats.Pages - stats.Articles
			if stats.Rendered > lists+s.most {
				t.Errorf("%s: rendered %d pages, want at most the %d list pages and %d article pages (%d changed)",
					s.name, stats.Rendered, lists, s.most, articles)
			}
		}
		before = after
	}
}

// TestSitemapFollowsItsURLs builds on disk with a cache, as bantin build
// does, a site whose sitemap is split in files of four URLs: after nothing
// changed, after a new article (a new URL, newer dates), after an
// article's date changed (its page's lastmod) and after its slug changed
// (its page's URL), the sitemap's files are those of a clean build.
func TestSitemapFollowsItsURLs(t *testing.T) {
	t.Parallel()
	fsys := pagedSite(6, 2)
	replaceAllIn(t, fsys, "site.toml", "page_size = 2\n", "page_size = 2\n\n[limits]\nsitemap_urls = 4\n")
	dest, cacheDir := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "cache")
	sitemaps := func(dir string) string {
		t.Helper()
		var b strings.Builder
		names, _ := filepath.Glob(filepath.Join(dir, "sitemap*.xml"))
		if len(names) < 3 {
			t.Fatalf("%d sitemap files in %s, want an index and parts", len(names), dir)
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s:\n%s\n", filepath.Base(n), data)
		}
		return b.String()
	}
	steps := []struct {
		name string
		edit func()
	}{
		{"first build", func() {}},
		{"nothing changed", func() {}},
		{"nothing changed again", func() {}},
		{"a new article", func() { addPagedArticle(fsys, 7) }},
		{"an article's date", func() { replaceAllIn(t, fsys, "content/tin-03.md", "date: 2025-01-03", "date: 2025-01-03 09:30") }},
		{"an article's slug", func() {
			replaceAllIn(t, fsys, "content/tin-05.md", "title: Tin số 5\n", "title: Tin số 5\nslug: tin-05-moi\n")
		}},
	}
	var last string
	for _, s := range steps {
		s.edit()
		diskBuild(t, fsys, dest, cacheDir)
		clean := filepath.Join(t.TempDir(), "clean")
		diskBuild(t, fsys, clean, "")
		got, want := sitemaps(dest), sitemaps(clean)
		if got != want {
			t.Errorf("%s: the cached build's sitemap:\n%s\nwant:\n%s", s.name, got, want)
		}
		if strings.HasPrefix(s.name, "a") && got == last {
			t.Errorf("%s: the sitemap did not change: the step tests nothing", s.name)
		}
		last = got
	}
}
