package site_test

import (
	"bytes"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/sitetest"
	"golang.org/x/text/unicode/norm"
)

const threeFormats = `
-- site.toml --
title = "Bản tin Hậu Giang"
base_url = "https://example.gov.vn/"
page_size = 2
-- content/2023/nga-bay.md --
---
title: "Thành phố Ngã Bảy: Phát động thi đua"
date: 2023-02-16T06:26:00+07:00
region: Ngã Bảy
slogan: "Cam kết mạnh mẽ, hành động quyết liệt"
period: "2022-2023"
topics: [Thi đua khen thưởng, Học tập và làm theo Bác]
author: Nguyễn Lê
source: https://baohaugiang.com.vn/tin/1
---
Ban Thường vụ Thành ủy **Ngã Bảy** phát động ba phong trào.

## Kết quả đạt được

| Đơn vị | Sáng kiến |
|---|---|
| Phường Lái Hiếu | 7 |

Xem [bài tổng kết](../2024/tong-ket.md#ket-qua) và [khu vực](/khu-vuc/).[^1]

[^1]: Theo báo cáo của Thành ủy.
-- content/2024/tong-ket.md --
+++
title = "Hậu Giang tổng kết chuyên đề năm 2022-2023"
date = "2024-01-05 09:30"
region = "Hậu Giang"
slogan = "Cam kết mạnh mẽ, hành động quyết liệt"
topics = ["Thi đua khen thưởng"]

[period]
start = "2022-01"
end = "2023-12"
+++
Hội nghị tổng kết được tổ chức tại thành phố Vị Thanh.
-- content/2026/dang-dien-ra.md --
{
  "title": "Đợt thi đua 2026 đang diễn ra",
  "date": "2026-03-05",
  "region": "Hậu Giang",
  "period": "2026",
  "topics": ["Chuyển đổi số"]
}

Các đơn vị tiếp tục thi đua chuyển đổi số.
`

func TestBuildWritesEveryPageKind(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, threeFormats)
	if r.Stats.Articles != 3 {
		t.Fatalf("built %d articles, want 3", r.Stats.Articles)
	}
	r.Assert("bai-viet/nga-bay/index.html",
		"<h1>Thành phố Ngã Bảy: Phát động thi đua</h1>",
		"Thứ Năm, 16/02/2023 06:26 (GMT+7)",
		`<a href="/khu-vuc/nga-bay/">Ngã Bảy</a>`,
		`<a href="/khau-hieu/cam-ket-manh-me-hanh-dong-quyet-liet/">“Cam kết mạnh mẽ, hành động quyết liệt”</a>`,
		`<a href="/dot-thi-dua/2022-2023/">2022–2023</a>`,
		`<a href="/chu-de/thi-dua-khen-thuong/">Thi đua khen thưởng</a>`,
		"Nguyễn Lê", `href="https://baohaugiang.com.vn/tin/1"`,
		`<h2 id="h-ket-qua-dat-duoc">Kết quả đạt được</h2>`,
		"<table>", "Phường Lái Hiếu",
		`href="/bai-viet/tong-ket/#h-ket-qua"`,
		`class="footnotes"`,
		// related: shares slogan, period and a topic
		"Hậu Giang tổng kết chuyên đề năm 2022-2023",
		`<a class="skip-link" href="#noi-dung">`, `<main id="noi-dung"`, `<nav class="breadcrumbs"`,
	)
	// A bare date shows no clock time; {start, end} of whole years is the
	// same period as "2022-2023".
	r.Assert("bai-viet/tong-ket/index.html",
		"Thứ Sáu, 05/01/2024 09:30 (GMT+7)", `<a href="/dot-thi-dua/2022-2023/">2022–2023</a>`)
	r.Assert("bai-viet/dang-dien-ra/index.html", "Thứ Năm, 05/03/2026</time>", "Đang diễn ra")

	// Home: newest first, ongoing campaigns listed; three articles, two a
	// page, are one page (TestListPagesCountFromTheOldest has more).
	r.Assert("index.html", "Phong trào thi đua", `href="/dot-thi-dua/2026/"`,
		"Đợt thi đua 2026 đang diễn ra", "Hậu Giang tổng kết", "Thành phố Ngã Bảy: Phát động", `! class="pager"`)
	home := r.File("index.html")
	if strings.Index(home, "Đợt thi đua 2026") > strings.Index(home, "Hậu Giang tổng kết chuyên đề") ||
		strings.Index(home, "Hậu Giang tổng kết chuyên đề") > strings.Index(home, "Thành phố Ngã Bảy: Phát động") {
		t.Errorf("home page is not newest first")
	}
	if r.Has("trang/1/index.html") || r.Has("trang/2/index.html") {
		t.Errorf("a list of fewer than two pages' articles has pages of its own")
	}

	// Indexes with counts, in Vietnamese alphabetical order; regions by
	// the province they are in today, with the bulletins of the places
	// inside them.
	r.Assert("khu-vuc/index.html", `<h2><a href="/khu-vuc/can-tho/">Cần Thơ</a> <span class="count">3 bài viết</span></h2>`,
		`<a href="/khu-vuc/hau-giang/">Hậu Giang</a> <span class="count">3 bài viết</span> <span class="note">(sáp nhập vào Cần Thơ từ 01/07/2025)</span>`)
	regions := r.File("khu-vuc/index.html")
	if strings.Index(regions, "Hậu Giang") > strings.Index(regions, "Ngã Bảy") {
		t.Errorf("regions not in alphabetical order")
	}
	r.Assert("khu-vuc/hau-giang/index.html", "Đợt thi đua 2026 đang diễn ra", "Hậu Giang tổng kết")
	r.Assert("chu-de/thi-dua-khen-thuong/index.html", "2 bài viết")
	r.Assert("khau-hieu/index.html", "Cam kết mạnh mẽ, hành động quyết liệt")
	r.Assert("dot-thi-dua/index.html", `href="/dot-thi-dua/2022-2023/"`, `href="/dot-thi-dua/2026/"`)
	r.Assert("nam/index.html", `href="/nam/2023/"`, `href="/nam/2024/"`, `href="/nam/2026/"`)
	r.Assert("nam/2024/index.html", "Hậu Giang tổng kết")
	r.Assert("404.html", "Không tìm thấy trang")
	r.Assert("css/bantin.css", "--brand")
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

func TestEnglishUIStrings(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- site.toml --
title = "Bulletins"
base_url = "https://example.org/"
language = "en"
-- content/a.md --
---
title: Ngã Bảy phát động thi đua
date: 2023-02-16 06:26
region: Ngã Bảy
---
Body.
`)
	r.Assert("bai-viet/a/index.html", `<html lang="en">`, "Thursday, 16 February 2023 06:26 (GMT+7)", "Skip to main content", "! Trang chủ")
}

// In English a count of one is singular: "1 article", not "1 articles",
// on index and list pages and in the search page's words; Vietnamese has
// one form.
func TestEnglishCountsOfOneAreSingular(t *testing.T) {
	t.Parallel()
	archive := `
-- site.toml --
title = "Bulletins"
base_url = "https://example.org/"
language = "en"
-- content/a.md --
---
title: Hà Nội phát động thi đua
date: 2023-02-16
region: Hà Nội
---
Body.
-- content/b.md --
---
title: Cần Thơ phát động thi đua
date: 2024-02-16
region: Cần Thơ
---
Body.
-- content/c.md --
---
title: Cần Thơ tổng kết
date: 2024-12-16
region: Cần Thơ
---
Body.
`
	r := sitetest.Build(t, archive)
	r.Assert("khu-vuc/index.html", `<span class="count">1 article</span>`, `<span class="count">2 articles</span>`, "! 1 articles")
	r.Assert("khu-vuc/ha-noi/index.html", `<h2 class="list-heading">1 article</h2>`)
	r.Assert("khu-vuc/can-tho/index.html", `<h2 class="list-heading">2 articles</h2>`)
	r.Assert("tim-kiem/index.html", `search_found_one&#34;:&#34;%d result found.`, `search_found&#34;:&#34;%d results found.`)
	vi := sitetest.Build(t, strings.Replace(archive, `language = "en"`, `language = "vi"`, 1))
	vi.Assert("khu-vuc/index.html", `<span class="count">1 bài viết</span>`)
	vi.Assert("tim-kiem/index.html", "! search_found_one")
}

func TestSubPathLinksAllResolve(t *testing.T) {
	t.Parallel()
	archive := strings.Replace(threeFormats, `base_url = "https://example.gov.vn/"`, `base_url = "https://example.gov.vn/ban-tin/"`, 1)
	r := sitetest.Build(t, archive)
	r.Assert("index.html", `href="/ban-tin/css/bantin.css"`, `href="/ban-tin/khu-vuc/"`, `<link rel="canonical" href="https://example.gov.vn/ban-tin/">`)
	// Root-relative links written in Markdown follow the site to its sub-path.
	r.Assert("bai-viet/nga-bay/index.html", `href="/ban-tin/khu-vuc/"`, `href="/ban-tin/bai-viet/tong-ket/#h-ket-qua"`)
	for _, name := range r.Out.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		body := r.File(name)
		for _, bad := range []string{`href="/khu-vuc`, `href="/bai-viet`, `href="/"`, `href="/trang`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s has a link outside the sub-path: %s", name, bad)
			}
		}
	}
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

func TestDraftsAndFutureArticlesNeedFlags(t *testing.T) {
	t.Parallel()
	archive := `
-- content/draft.md --
---
title: Bản nháp
date: 2024-01-01
region: Cần Thơ
draft: true
---
-- content/future.md --
---
title: Tin tương lai
date: 2027-01-01
region: Cần Thơ
---
-- content/now.md --
---
title: Tin hiện tại
date: 2025-01-01
region: Cần Thơ
---
`
	r := sitetest.Build(t, archive)
	if r.Has("bai-viet/draft/index.html") || r.Has("bai-viet/future/index.html") {
		t.Errorf("draft or future article published without flags")
	}
	if r.Stats.Skipped != 2 {
		t.Errorf("skipped %d, want 2", r.Stats.Skipped)
	}
	r.Assert("khu-vuc/can-tho/index.html", "1 bài viết")
	all := sitetest.Build(t, archive, sitetest.Options{Drafts: true, Future: true})
	all.Assert("bai-viet/draft/index.html", "Bản nháp")
	all.Assert("bai-viet/future/index.html", "Tin tương lai")
	all.Assert("khu-vuc/can-tho/index.html", "3 bài viết")
}

func TestDecomposedArticleMatchesComposedTwin(t *testing.T) {
	t.Parallel()
	article := `---
title: "Hậu Giang: Hội nghị tổng kết thi đua"
date: 2023-12-06
region: Hậu Giang
slogan: "Sáng kiến, đổi mới, sáng tạo"
topics: [Chuyển đổi số]
---
Đại hội thi đua yêu nước của tỉnh Hậu Giang.
`
	nfc := sitetest.Build(t, "-- content/a.md --\n"+article)
	nfd := sitetest.Build(t, "-- content/a.md --\n"+norm.NFD.String(article))
	if norm.NFD.String(article) == article {
		t.Fatal("fixture is not decomposable")
	}
	names := nfc.Out.Names()
	if got := nfd.Out.Names(); strings.Join(got, "\n") != strings.Join(names, "\n") {
		t.Fatalf("NFD build wrote other files:\n%v\nwant\n%v", got, names)
	}
	for _, n := range names {
		a, _ := nfc.Out.File(n)
		b, _ := nfd.Out.File(n)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the NFC and NFD builds", n)
		}
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	t.Parallel()
	a := sitetest.Build(t, threeFormats)
	b := sitetest.Build(t, threeFormats)
	for _, n := range a.Out.Names() {
		x, _ := a.Out.File(n)
		y, ok := b.Out.File(n)
		if !ok || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same input", n)
		}
	}
	if len(a.Out.Names()) != len(b.Out.Names()) {
		t.Errorf("builds wrote %d and %d files", len(a.Out.Names()), len(b.Out.Names()))
	}
}

func TestSiteLayoutOverridesThemeFile(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
Nội dung.
-- layouts/article.html --
{{define "main"}}<p class="custom">{{.Article.Title}} @ {{.Article.Region.Name}}</p>{{end}}
-- static/css/bantin.css --
body { color: red }
-- static/robots.txt --
User-agent: *
`)
	r.Assert("bai-viet/a/index.html", `<p class="custom">Tin A @ Cần Thơ</p>`, `class="site-header"`)
	r.Assert("css/bantin.css", "color: red", "! --brand")
	r.Assert("robots.txt", "User-agent")
}

func TestHomeOfEmptySiteBuilds(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, "-- content/.keep --\n")
	r.Assert("index.html", "Chưa có bài viết nào.")
	r.Assert("khu-vuc/index.html", "Chưa có bài viết nào.")
}

func TestRawHTMLIsOffUnlessEnabled(t *testing.T) {
	t.Parallel()
	body := "-- content/a.md --\n---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n---\n<div class=\"raw\">x</div>\n\n<script>alert(1)</script>\n\n[bấm](javascript:alert(1))\n"
	off := sitetest.Build(t, body)
	off.Assert("bai-viet/a/index.html", "! <script>alert", `! class="raw"`, "! javascript:alert")
	on := sitetest.Build(t, "-- site.toml --\ntitle = \"T\"\nbase_url = \"https://e.vn/\"\n[markdown]\nunsafe_html = true\n"+body)
	on.Assert("bai-viet/a/index.html", `<div class="raw">x</div>`)
}

func TestRelatedArticlesAreTheFiveNearestInDate(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 1; i <= 8; i++ {
		b.WriteString("-- content/a" + string(rune('0'+i)) + ".md --\n---\ntitle: Tin số " + string(rune('0'+i)) + "\ndate: 2024-01-0" + string(rune('0'+i)) + "\nregion: Cần Thơ\n---\nx\n")
	}
	b.WriteString("-- content/other.md --\n---\ntitle: Tin khác\ndate: 2024-01-05\nregion: Huế\n---\nx\n")
	r := sitetest.Build(t, b.String())
	for _, c := range []struct{ page, want string }{
		// The oldest: the five after it.
		{"a1", "65432"},
		// In the middle: 4 and 6, 3 and 7, then of 2 and 8 the newer.
		{"a5", "87643"},
		{"a8", "76543"},
	} {
		page := r.File("bai-viet/" + c.page + "/index.html")
		related := page[strings.Index(page, "Tin liên quan"):]
		var got strings.Builder
		for _, part := range strings.Split(related, "Tin số ")[1:] {
			got.WriteByte(part[0])
		}
		if got.String() != c.want || strings.Contains(related, "Tin khác") {
			t.Errorf("%s: related articles %s, want %s (nearest in date sharing a term, newest first)", c.page, got.String(), c.want)
		}
	}
}

// Header, footer and cards are rendered once and reused (partialCached):
// each page must still get its own section marked and the same card HTML.
func TestCachedPartialsKeepPerPageDetails(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/a.md --
---
title: Tin A
date: 2024-01-02
region: Cần Thơ
topics: [Nông thôn mới]
---
Thân bài A.
-- content/b.md --
---
title: Tin B
date: 2024-01-01
region: Hậu Giang
---
Thân bài B.
`)
	current := func(page, label string) {
		t.Helper()
		html := r.File(page)
		if got := strings.Count(html, `aria-current="page">`+label+`</a>`); got != 1 {
			t.Errorf("%s: nav entry %q marked current %d times", page, label, got)
		}
		if got := strings.Count(html, `aria-current="page">`); got < 1 {
			t.Errorf("%s: no current entry", page)
		}
	}
	current("index.html", "Trang chủ")
	current("khu-vuc/index.html", "Khu vực")
	current("khu-vuc/can-tho/index.html", "Khu vực")
	current("chu-de/nong-thon-moi/index.html", "Chủ đề")
	r.Assert("bai-viet/a/index.html", `! aria-current="page">Trang chủ</a>`, `class="site-search"`)
	r.Assert("tim-kiem/index.html", `! class="site-search"`)

	card := func(page string) string {
		html := r.File(page)
		start := strings.Index(html, `<article class="card">`)
		if start < 0 {
			t.Fatalf("%s: no card", page)
		}
		end := strings.Index(html[start:], "</article>")
		return html[start : start+end]
	}
	if home, term := card("index.html"), card("khu-vuc/can-tho/index.html"); home != term || !strings.Contains(home, "Tin A") {
		t.Errorf("card differs between lists:\n%s\n%s", home, term)
	}
}

// A large site keeps no bodies in memory between loading and rendering; the
// bodies read again must give the very same site, CRLF and NFD files too.
func TestReleasedBodiesBuildTheSameSite(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(threeFormats)
	fsys["content/crlf-nfd.md"] = &fstest.MapFile{Data: []byte(norm.NFD.String(
		"---\r\ntitle: Hòa nhập\r\ndate: 2024-03-01\r\nregion: Hậu Giang\r\n---\r\nĐoạn một **đậm**.\r\n\r\nĐoạn hai.\r\n"))}
	kept, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	released, err := sitetest.BuildFS(t, fsys, sitetest.Options{ReleaseBodiesOver: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range kept.Out.Names() {
		x, _ := kept.Out.File(n)
		if y, ok := released.Out.File(n); !ok || !bytes.Equal(x, y) {
			t.Errorf("%s differs when bodies are read again", n)
		}
	}
	released.Assert("bai-viet/crlf-nfd/index.html", "<strong>đậm</strong>", "Đoạn hai.")
}

// changingFS serves a file's second read with other bytes, as when an
// editor saves while a large site builds.
type changingFS struct {
	fstest.MapFS
	name  string
	reads int
}

// Open gives the file of c.name changed from its second opening on.
func (c *changingFS) Open(name string) (fs.File, error) {
	if name == c.name {
		if c.reads++; c.reads > 1 {
			data := bytes.Replace(c.MapFS[name].Data, []byte("Nội dung"), []byte("Nội dung mới"), 1)
			return fstest.MapFS{name: {Data: data}}.Open(name)
		}
	}
	return c.MapFS.Open(name)
}

func TestBodyChangedBeforeRenderingFailsTheBuild(t *testing.T) {
	t.Parallel()
	fsys := &changingFS{MapFS: sitetest.FS(`
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
Nội dung.
-- content/b.md --
---
title: Tin B
date: 2024-01-02
region: Cần Thơ
---
Khác.
`), name: "content/a.md"}
	_, err := sitetest.BuildDir(t, fsys, sitetest.Options{ReleaseBodiesOver: 1})
	want := []string{"content/a.md: changed while the site was building; build again"}
	if got := sitetest.Problems(err); !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
}
