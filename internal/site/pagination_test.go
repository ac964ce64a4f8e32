package site_test

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

// pagedSite is a site of n articles "Tin số 1" (oldest) to "Tin số n",
// page_size articles a page, each in Vị Thanh (inside Hậu Giang, inside
// Cần Thơ today), of the topic "Thi đua" and of the declared unit "Sở Nội
// vụ"; the odd ones also of the topic "Khác".
func pagedSite(n, pageSize int) fstest.MapFS {
	fsys := sitetest.FS(fmt.Sprintf(`-- site.toml --
title = "Bản tin thử"
base_url = "https://example.gov.vn/"
page_size = %d

[[taxonomies]]
key = "unit"
path = "don-vi"
name = "Đơn vị"
`, pageSize))
	for k := 1; k <= n; k++ {
		addPagedArticle(fsys, k)
	}
	return fsys
}

func addPagedArticle(fsys fstest.MapFS, k int) {
	topics := "[Thi đua]"
	if k%2 == 1 {
		topics = "[Thi đua, Khác]"
	}
	fsys[fmt.Sprintf("content/tin-%02d.md", k)] = &fstest.MapFile{Data: fmt.Appendf(nil,
		"---\ntitle: Tin số %d\ndate: 2025-01-%02d\nregion: Vị Thanh\ntopics: %s\nunit: Sở Nội vụ\n---\nBài %d.\n", k, k, topics, k)}
}

// pagedLists are the lists of every article of pagedSite.
var pagedLists = []string{"", "bai-viet/", "chu-de/thi-dua/", "khu-vuc/vi-thanh/", "khu-vuc/hau-giang/",
	"khu-vuc/can-tho/", "nam/2025/", "don-vi/so-noi-vu/"}

var (
	cardTitle = regexp.MustCompile(`<h3 class="card-title"><a href="[^"]*">Tin số (\d+)</a>`)
	nextLink  = regexp.MustCompile(`<a rel="next" href="/([^"]*)">`)
	prevLink  = regexp.MustCompile(`<a rel="prev" href="/([^"]*)">`)
)

// listChain follows a list from its first page by its "older" links and
// returns the numbers of the articles of each page, checking that each page
// leads back to the one before it.
func listChain(t *testing.T, out *output.Memory, base string) (paths []string, pages [][]int) {
	t.Helper()
	path := base
	for len(paths) < 100 {
		b, ok := out.File(path + "index.html")
		if !ok {
			t.Fatalf("%s: no page %s", base, path)
		}
		html := string(b)
		var items []int
		for _, m := range cardTitle.FindAllStringSubmatch(html, -1) {
			n, _ := strconv.Atoi(m[1])
			items = append(items, n)
		}
		prev := prevLink.FindStringSubmatch(html)
		switch {
		case len(paths) == 0 && prev != nil:
			t.Errorf("%s: the first page links to a newer page %s", base, prev[1])
		case len(paths) > 0 && (prev == nil || prev[1] != paths[len(paths)-1]):
			t.Errorf("%s: the newer page of %s is %v, want %s", base, path, prev, paths[len(paths)-1])
		}
		paths, pages = append(paths, path), append(pages, items)
		next := nextLink.FindStringSubmatch(html)
		if next == nil {
			return paths, pages
		}
		path = next[1]
	}
	t.Fatalf("%s: the older links run in a circle: %v", base, paths)
	return nil, nil
}

// wantPages are the articles of each page, newest first, as the pages
// read from the first: k down to 1 are the numbers of the articles.
func wantPages(n int, sizes ...int) [][]int {
	var out [][]int
	for _, size := range sizes {
		var page []int
		for range size {
			page = append(page, n)
			n--
		}
		out = append(out, page)
	}
	return out
}

// TestListPagesCountFromTheOldest: every list shows its newest articles on
// its first page, then full pages counted from the oldest, so that the
// older links lead through every article once, newest to oldest, and no
// older page names the list's length.
func TestListPagesCountFromTheOldest(t *testing.T) {
	t.Parallel()
	r, err := sitetest.BuildFS(t, pagedSite(7, 2))
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range pagedLists {
		paths, pages := listChain(t, r.Out, base)
		// 7 = 3 full pages and 1: the first page holds the newest 1 and the
		// newest full page.
		wantPaths := []string{base, base + "trang/2/", base + "trang/1/"}
		if !slices.Equal(paths, wantPaths) {
			t.Errorf("%q: pages %q, want %q", base, paths, wantPaths)
		}
		if want := wantPages(7, 3, 2, 2); fmt.Sprint(pages) != fmt.Sprint(want) {
			t.Errorf("%q: pages hold %v, want %v", base, pages, want)
		}
		if r.Has(base + "trang/3/index.html") {
			t.Errorf("%q: the newest full page has a page of its own besides the first page", base)
		}
	}
	// The odd articles only: 4 = 2 full pages.
	paths, pages := listChain(t, r.Out, "chu-de/khac/")
	if want := []string{"chu-de/khac/", "chu-de/khac/trang/1/"}; !slices.Equal(paths, want) {
		t.Errorf("chu-de/khac/: pages %q, want %q", paths, want)
	}
	if want := [][]int{{7, 5}, {3, 1}}; fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("chu-de/khac/: pages hold %v, want %v", pages, want)
	}

	// The first page shows the count; older pages a stable number and no
	// count, in their title, crumbs and heading too.
	r.Assert("bai-viet/index.html", "7 bài viết", `rel="next" href="/bai-viet/trang/2/"`, `href="/bai-viet/trang/1/"`)
	r.Assert("bai-viet/trang/2/index.html", "<title>Tất cả bài viết – Trang 2 – Bản tin thử</title>",
		`<h2 class="list-heading">Trang 2 · 03/01/2025 – 04/01/2025</h2>`, `<span aria-current="page">2</span>`,
		`<p class="pager-status">Trang 2 · 03/01/2025 – 04/01/2025</p>`,
		`<a rel="prev" href="/bai-viet/">← Mới hơn</a>`, `<a rel="next" href="/bai-viet/trang/1/">Cũ hơn →</a>`,
		`<link rel="canonical" href="https://example.gov.vn/bai-viet/trang/2/">`, "! 7 bài viết", "! Trang 2 /")
	r.Assert("khu-vuc/can-tho/trang/1/index.html", "<title>Khu vực: Cần Thơ – Trang 1 – Bản tin thử</title>",
		`<h2 class="list-heading">Trang 1 · 01/01/2025 – 02/01/2025</h2>`, `<a href="/khu-vuc/can-tho/">Cần Thơ</a>`, "! 7 bài viết")
	r.Assert("trang/1/index.html", "<title>Trang 1 – Bản tin thử</title>", `<h2 id="tin-moi">Trang 1 · 01/01/2025 – 02/01/2025</h2>`)
	// The pager reads newest first, as the list does.
	front := r.File("bai-viet/index.html")
	if strings.Index(front, `href="/bai-viet/trang/2/">2</a>`) > strings.Index(front, `href="/bai-viet/trang/1/">1</a>`) {
		t.Errorf("the pager numbers pages oldest first:\n%s", front)
	}
	r.Assert("sitemap.xml", "<loc>https://example.gov.vn/trang/1/</loc>", "<loc>https://example.gov.vn/trang/2/</loc>",
		"<loc>https://example.gov.vn/khu-vuc/can-tho/trang/2/</loc>", "! trang/3/")
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}

	en := pagedSite(7, 2)
	replaceIn(en, "site.toml", "page_size = 2", "page_size = 2\nlanguage = \"en\"")
	e, err := sitetest.BuildFS(t, en)
	if err != nil {
		t.Fatal(err)
	}
	e.Assert("bai-viet/trang/2/index.html", `<p class="pager-status">Page 2 · 3 Jan 2025 – 4 Jan 2025</p>`, "← Newer</a>", "Older →</a>")
}

// TestListPagesAtTheEdges: lists of no article, fewer than a page, a page,
// one short of two pages and two pages.
func TestListPagesAtTheEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n     int
		paths []string // after the list's own path
		sizes []int
	}{
		{0, nil, []int{0}},
		{1, nil, []int{1}},
		{2, nil, []int{2}},
		{3, nil, []int{3}},
		{4, []string{"trang/1/"}, []int{2, 2}},
		{5, []string{"trang/1/"}, []int{3, 2}},
		{6, []string{"trang/2/", "trang/1/"}, []int{2, 2, 2}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			t.Parallel()
			r, err := sitetest.BuildFS(t, pagedSite(tt.n, 2))
			if err != nil {
				t.Fatal(err)
			}
			lists := []string{"", "bai-viet/"}
			if tt.n > 0 {
				lists = pagedLists
			}
			for _, base := range lists {
				paths, pages := listChain(t, r.Out, base)
				want := []string{base}
				for _, p := range tt.paths {
					want = append(want, base+p)
				}
				if !slices.Equal(paths, want) {
					t.Errorf("%q: pages %q, want %q", base, paths, want)
				}
				if w := wantPages(tt.n, tt.sizes...); fmt.Sprint(pages) != fmt.Sprint(w) {
					t.Errorf("%q: pages hold %v, want %v", base, pages, w)
				}
				var archive []string
				for _, name := range r.Out.Names() {
					if rest, ok := strings.CutPrefix(name, base+"trang/"); ok && !strings.Contains(strings.TrimSuffix(rest, "/index.html"), "/") {
						archive = append(archive, name)
					}
				}
				if len(archive) != len(tt.paths) {
					t.Errorf("%q: %d pages of its own, want %d: %v", base, len(archive), len(tt.paths), archive)
				}
				if len(tt.paths) == 0 {
					r.Assert(base+"index.html", `! class="pager"`)
				}
			}
			r.Assert("bai-viet/index.html", fmt.Sprintf(">%d bài viết<", tt.n))
		})
	}
	// A page a page: each article but the newest has a page of its own.
	r, err := sitetest.BuildFS(t, pagedSite(2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if paths, pages := listChain(t, r.Out, ""); !slices.Equal(paths, []string{"", "trang/1/"}) || fmt.Sprint(pages) != "[[2] [1]]" {
		t.Errorf("page size 1: pages %q hold %v", paths, pages)
	}
	r.Assert("trang/1/index.html", `<p class="pager-status">Trang 1 · 01/01/2025</p>`)
}

// listFile matches the pages of the lists of pagedSite.
var listFile = regexp.MustCompile(`^((bai-viet|chu-de/[^/]+|khu-vuc/[^/]+|nam/[^/]+|don-vi/[^/]+)/)?(trang/\d+/)?index\.html$`)

// changedLists returns the list pages that differ between two builds:
// added, changed or removed.
func changedLists(before, after *output.Memory) []string {
	var out []string
	for _, name := range append(before.Names(), after.Names()...) {
		if !listFile.MatchString(name) || slices.Contains(out, name) || strings.HasPrefix(name, "bai-viet/tin-") {
			continue
		}
		a, okA := before.File(name)
		b, okB := after.File(name)
		if okA != okB || !bytes.Equal(a, b) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TestNewArticleChangesFewListPages adds articles to a site of eleven,
// two a page, and checks which list pages change: the first page of each
// list the article is in, and, when a full page is born, that page and the
// two before it, whose links reach it; never the oldest pages, nor the
// lists the article is not in. A rebuild with the cache renders no other
// list page and writes what a clean build writes.
func TestNewArticleChangesFewListPages(t *testing.T) {
	t.Parallel()
	fsys := pagedSite(11, 2)
	cache := site.NewCache()
	before, _ := buildWith(t, fsys, cache)
	steps := []struct {
		name string
		k    int      // the new article's number
		more []string // the pages that change besides each list's first
	}{
		// 12 = 6 full pages: the first page's older full page gets page 5.
		{"a full page is born", 12, []string{"trang/5/", "trang/4/", "trang/3/"}},
		// 13 = 6 full pages and 1: the first page alone.
		{"one more", 13, nil},
	}
	for _, s := range steps {
		addPagedArticle(fsys, s.k)
		after, stats := buildWith(t, fsys, cache)
		sameSite(t, s.name, after, mustFull(t, fsys))
		var want []string
		for _, base := range pagedLists {
			want = append(want, base+"index.html")
			for _, p := range s.more {
				want = append(want, base+p+"index.html")
			}
		}
		// Article 12 is not in "Khác"; 13 is: its list's first page changes.
		if s.k%2 == 1 {
			want = append(want, "chu-de/khac/index.html")
		}
		slices.Sort(want)
		if got := changedLists(before, after); !slices.Equal(got, want) {
			t.Errorf("%s: list pages changed:\n%s\nwant:\n%s", s.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Rendered again: those list pages, the four index pages (their
		// counts) and the articles' pages (they share every term, whose
		// counts they carry); the unchanged list pages are reused, as the
		// cards on them carry no counts.
		if most := len(want) + 4 + s.k; stats.Rendered > most {
			t.Errorf("%s: rendered %d of %d pages again, want at most %d", s.name, stats.Rendered, stats.Pages, most)
		}
		before = after
	}
}
