package site_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/search"
	"github.com/bantin/bantin/internal/sitetest"
)

// unitSite declares two taxonomies in site.toml only: a unit with a feed
// and a search filter, and a multiple linh_vuc with neither.
const unitSite = `-- site.toml --
title = "Bản tin thử"
base_url = "https://example.gov.vn/"
page_size = 2

[[taxonomies]]
key = "unit"
name = "Đơn vị"
path = "don-vi"
multiple = false
facet = true
feed = true

[[taxonomies]]
key = "linh_vuc"
name = "Lĩnh vực"
multiple = true
-- content/a.md --
---
title: Ngã Bảy phát động thi đua
date: 2024-03-01
region: Ngã Bảy
unit: Ban Thường vụ Thành ủy Ngã Bảy
linh_vuc: [Nông nghiệp, Giáo dục]
---
Phát động.
-- content/b.md --
---
title: Ngã Bảy sơ kết
date: 2024-04-01
region: Ngã Bảy
unit: Ban Thường vụ Thành ủy Ngã Bảy
---
Sơ kết.
-- content/c.md --
+++
title = "Ngã Bảy tổng kết"
date = "2024-05-01"
region = "Ngã Bảy"
unit = "Ban Thường vụ Thành ủy Ngã Bảy"
linh_vuc = "Giáo dục"
+++
Tổng kết.
-- content/d.md --
{
  "title": "Sở Khoa học và Công nghệ tổng kết",
  "date": "2024-06-01",
  "region": "Cần Thơ",
  "unit": "Sở Khoa học và Công nghệ"
}

Khoa học.
-- content/e.md --
---
title: Tin không có đơn vị
date: 2024-07-01
region: Hậu Giang
---
Tin khác.
-- content/f.md --
---
title: Sở Khoa học và Công nghệ ở Long Mỹ
date: 2024-01-01
region: Long Mỹ
unit: Sở Khoa học và Công nghệ
---
Tin khác.
`

// TestDeclaredTaxonomyBuildsWithoutGoChanges: a taxonomy declared in
// site.toml gets its index, paginated term pages, feeds, navigation, links
// on articles and cards, a sitemap entry and a search facet.
func TestDeclaredTaxonomyBuildsWithoutGoChanges(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, unitSite)
	nga := "don-vi/ban-thuong-vu-thanh-uy-nga-bay/"

	r.Assert("don-vi/index.html", "<h1>Đơn vị</h1>",
		`<a href="/`+nga+`">Ban Thường vụ Thành ủy Ngã Bảy</a> <span class="count">3 bài viết</span>`,
		`<a href="/don-vi/so-khoa-hoc-va-cong-nghe/">Sở Khoa học và Công nghệ</a> <span class="count">2 bài viết</span>`,
		"! Tin không có đơn vị")
	// Three articles, two per page: one page (TestListPagesCountFromTheOldest
	// pages a declared taxonomy's term).
	r.Assert(nga+"index.html", "<title>Đơn vị: Ban Thường vụ Thành ủy Ngã Bảy",
		`<span class="term-kind">Đơn vị:</span> Ban Thường vụ Thành ủy Ngã Bảy`,
		"Ngã Bảy tổng kết", "Ngã Bảy sơ kết", "Ngã Bảy phát động thi đua",
		`! class="pager"`, `href="/`+nga+`atom.xml"`)
	r.Assert(nga+"atom.xml", "<title>Đơn vị: Ban Thường vụ Thành ủy Ngã Bảy – Bản tin thử</title>",
		"Ngã Bảy tổng kết", "Ngã Bảy sơ kết", "Ngã Bảy phát động thi đua", "! Sở Khoa học")
	// The navigation lists both after the built-in indexes.
	r.Assert("index.html", `<a href="/don-vi/">Đơn vị</a>`, `<a href="/linh-vuc/">Lĩnh vực</a>`)
	home := r.File("index.html")
	if strings.Index(home, `href="/nam/"`) > strings.Index(home, `href="/don-vi/"`) {
		t.Error("declared taxonomies come before the built-in ones in the navigation")
	}
	// Cards show the unit and the fields of work after the region.
	r.Assert("index.html", ` · <a href="/khu-vuc/can-tho/">Cần Thơ</a> · <a href="/don-vi/so-khoa-hoc-va-cong-nghe/">Sở Khoa học và Công nghệ</a>`)
	r.Assert("trang/2/index.html", ` · <a href="/khu-vuc/nga-bay/">Ngã Bảy</a> · <a href="/`+nga+`">Ban Thường vụ Thành ủy Ngã Bảy</a> · <a href="/linh-vuc/giao-duc/">Giáo dục</a>`)
	// The article page names each, with the plural for several values.
	r.Assert("bai-viet/a/index.html",
		`<dt>Đơn vị</dt><dd><ul class="tags"><li><a href="/`+nga+`">Ban Thường vụ Thành ủy Ngã Bảy</a></li></ul></dd>`,
		`<dt>Lĩnh vực</dt><dd><ul class="tags"><li><a href="/linh-vuc/nong-nghiep/">Nông nghiệp</a></li><li><a href="/linh-vuc/giao-duc/">Giáo dục</a></li></ul></dd>`)
	// Related articles: d shares nothing but its unit with f.
	r.Assert("bai-viet/f/index.html", "Tin liên quan", `<a href="/bai-viet/d/">Sở Khoa học và Công nghệ tổng kết</a>`)
	// linh_vuc declares no feed; its term pages exist.
	r.Assert("linh-vuc/giao-duc/index.html", "Ngã Bảy tổng kết", "Ngã Bảy phát động thi đua", "! atom.xml")
	if r.Has("linh-vuc/giao-duc/atom.xml") {
		t.Error("linh_vuc has feeds, which it does not declare")
	}
	r.Assert("sitemap.xml", "<loc>https://example.gov.vn/don-vi/</loc>", "<loc>https://example.gov.vn/"+nga+"</loc>",
		"<loc>https://example.gov.vn/linh-vuc/nong-nghiep/</loc>")

	// The search manifest describes the unit facet, not linh_vuc.
	var m search.Manifest
	if err := json.Unmarshal([]byte(r.File("tim-kiem/chi-muc/manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range m.Facets {
		keys = append(keys, f.Key)
		if f.Key == "unit" && (f.Label != "Đơn vị" || f.Multiple || strings.Join(f.Values, "|") != "Ban Thường vụ Thành ủy Ngã Bảy|Sở Khoa học và Công nghệ") {
			t.Errorf("unit facet %+v", f)
		}
	}
	if got := strings.Join(keys, " "); got != "region topic period year unit" {
		t.Errorf("facets %s", got)
	}
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

// TestBuiltinTaxonomiesCanBeRenamedMovedOrTurnedOff changes the built-in
// taxonomies from site.toml alone.
func TestBuiltinTaxonomiesCanBeRenamedMovedOrTurnedOff(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `-- site.toml --
title = "Bản tin thử"
base_url = "https://example.gov.vn/"

[[taxonomies]]
key = "region"
name = "Tỉnh, thành phố"
path = "tinh-thanh"

[[taxonomies]]
key = "slogan"
enabled = false

[[taxonomies]]
key = "year"
feed = true
facet = false
-- content/a.md --
---
title: Tin A
date: 2024-03-01
region: Ngã Bảy
period: "2024"
---
Nội dung.
`)
	r.Assert("tinh-thanh/index.html", "<h1>Tỉnh, thành phố</h1>", `<a href="/tinh-thanh/nga-bay/">Ngã Bảy</a>`)
	r.Assert("tinh-thanh/nga-bay/index.html", `<span class="term-kind">Tỉnh, thành phố:</span> Ngã Bảy`)
	r.Assert("bai-viet/a/index.html", "<dt>Tỉnh, thành phố</dt>", `<a href="/tinh-thanh/">Tỉnh, thành phố</a>`, "! khau-hieu")
	r.Assert("nam/2024/atom.xml", "<title>Năm: 2024 – Bản tin thử</title>")
	// The search page labels the region filter with its new name.
	r.Assert("tim-kiem/index.html", "facet_region&#34;:&#34;Tỉnh, thành phố&#34;")
	for _, gone := range []string{"khu-vuc/index.html", "khau-hieu/index.html"} {
		if r.Has(gone) {
			t.Errorf("%s was written", gone)
		}
	}
	m := r.File("tim-kiem/chi-muc/manifest.json")
	if strings.Contains(m, `"key":"year"`) || !strings.Contains(m, `"key":"region","label":"Tỉnh, thành phố"`) {
		t.Errorf("manifest facets: %s", m)
	}
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

// TestSiteWithoutRegions: turned off, the region is neither required nor
// shown, and an article that still gives one is an error at its line.
func TestSiteWithoutRegions(t *testing.T) {
	t.Parallel()
	site := `-- site.toml --
title = "Bản tin thử"
base_url = "https://example.gov.vn/"
[[taxonomies]]
key = "region"
enabled = false
-- content/a.md --
---
title: Tin A
date: 2024-03-01
---
Nội dung.
`
	r := sitetest.Build(t, site)
	r.Assert("bai-viet/a/index.html", "! khu-vuc", "! <dt>Khu vực</dt>")
	r.Assert("index.html", "! khu-vuc")
	_, err := sitetest.TryBuild(t, site+"-- content/b.md --\n---\ntitle: Tin B\ndate: 2024-03-02\nregion: Cần Thơ\n---\n")
	want := `content/b.md:4:1: region: the "region" taxonomy is turned off (enabled = false at site.toml:3:1); remove the field or turn the taxonomy on`
	if got := strings.Join(sitetest.Problems(err), "\n"); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestDeclaredTaxonomyNamesInEnglish: an English site shows name_en.
func TestDeclaredTaxonomyNamesInEnglish(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `-- site.toml --
title = "Bulletin"
base_url = "https://example.gov.vn/"
language = "en"
[[taxonomies]]
key = "unit"
name = "Đơn vị"
name_en = "Issuing unit"
plural_en = "Issuing units"
feed = true
-- content/a.md --
---
title: News A
date: 2024-03-01
region: Ngã Bảy
unit: Sở Y tế
---
Text.
`)
	r.Assert("unit/index.html", "<h1>Issuing units</h1>")
	r.Assert("unit/so-y-te/index.html", `<span class="term-kind">Issuing unit:</span> Sở Y tế`)
	r.Assert("unit/so-y-te/atom.xml", "<title>Issuing unit: Sở Y tế – Bulletin</title>")
	r.Assert("index.html", `<a href="/unit/">Issuing units</a>`)
}

// TestTermCollisionInDeclaredTaxonomy names both places of two units that
// would share a URL.
func TestTermCollisionInDeclaredTaxonomy(t *testing.T) {
	t.Parallel()
	_, err := sitetest.TryBuild(t, `-- site.toml --
title = "T"
base_url = "https://example.gov.vn/"
[[taxonomies]]
key = "linh_vuc"
name = "Lĩnh vực"
multiple = true
-- content/a.md --
---
title: A
date: 2024-03-01
region: X
linh_vuc: [Y tế, Giáo dục]
---
-- content/b.md --
---
title: B
date: 2024-03-02
region: X
linh_vuc:
  - Giao duc
---
`)
	want := `content/a.md:5:18: linh_vuc "Giáo dục" has the same URL /linh-vuc/giao-duc/ as "Giao duc" in content/b.md (content/b.md:6:5); write the name the same way in both`
	if got := strings.Join(sitetest.Problems(err), "\n"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestSampleSiteShowsUnits checks the repository's sample site, which
// declares a unit taxonomy.
func TestSampleSiteShowsUnits(t *testing.T) {
	t.Parallel()
	r, err := sitetest.BuildFS(t, repoSite(t))
	if err != nil {
		t.Fatal(err)
	}
	ngaBay := "don-vi/ban-thuong-vu-thanh-uy-nga-bay/"
	r.Assert("don-vi/index.html", "<h1>Đơn vị</h1>",
		fmt.Sprintf(`<a href="/%s">Ban Thường vụ Thành ủy Ngã Bảy</a> <span class="count">2 bài viết</span>`, ngaBay))
	r.Assert(ngaBay+"index.html", "Ngã Bảy phát động ba phong trào thi đua", `href="/`+ngaBay+`atom.xml"`)
	r.Assert(ngaBay+"atom.xml", "<title>Đơn vị: Ban Thường vụ Thành ủy Ngã Bảy – Bản tin Thi đua</title>")
	r.Assert("bai-viet/nga-bay-phat-dong-ba-phong-trao-thi-dua/index.html", "<dt>Đơn vị</dt>", `<a href="/`+ngaBay+`">Ban Thường vụ Thành ủy Ngã Bảy</a>`)
	r.Assert("index.html", `<a href="/don-vi/">Đơn vị</a>`, `<a href="/don-vi/ubnd-phuong-nga-bay/">UBND phường Ngã Bảy</a>`)
	r.Assert("tim-kiem/chi-muc/manifest.json", `{"key":"unit","label":"Đơn vị","multiple":false,"values":["Ban Thường vụ Thành ủy Ngã Bảy",`)
	r.Assert("sitemap.xml", "<loc>https://example.gov.vn/"+ngaBay+"</loc>")
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

// TestEveryBuiltinTaxonomyTurnedOff: a site of articles with nothing but
// titles and dates builds, with no index at all.
func TestEveryBuiltinTaxonomyTurnedOff(t *testing.T) {
	t.Parallel()
	toml := "title = \"T\"\nbase_url = \"https://example.gov.vn/\"\n"
	for _, k := range []string{"region", "topic", "slogan", "period", "year"} {
		toml += fmt.Sprintf("[[taxonomies]]\nkey = %q\nenabled = false\n", k)
	}
	r := sitetest.Build(t, "-- site.toml --\n"+toml+"-- content/a.md --\n---\ntitle: Tin A\ndate: 2024-03-01\n---\nMột.\n-- content/b.md --\n---\ntitle: Tin B\ndate: 2024-03-02\n---\nHai.\n")
	r.Assert("bai-viet/a/index.html", "<h1>Tin A</h1>", "! Tin liên quan", "! khu-vuc", "! /nam/")
	r.Assert("index.html", "Tin A", "Tin B", "! khu-vuc")
	r.Assert("tim-kiem/chi-muc/manifest.json", `"facets":[]`)
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

// TestThemesSeeEveryTaxonomyGenerically: a theme can list an article's
// terms in every taxonomy, built-in and declared, in navigation order, and
// a card's terms in the declared ones.
func TestThemesSeeEveryTaxonomyGenerically(t *testing.T) {
	t.Parallel()
	archive := unitSite + `-- layouts/article.html --
{{define "main"}}{{range .Article.Terms}}[{{.Key}}|{{.Label}}|{{.Plural}}|{{.Builtin}}:{{range .Links}} {{.Name}}={{.URL}}({{.Count}}){{end}}]{{end}}{{end}}
-- layouts/partials/card.html --
<p class="card">{{.Title}}{{range .Terms}} ({{.Key}}:{{range .Links}}{{.Name}}{{end}}){{end}}</p>
`
	r := sitetest.Build(t, archive)
	r.Assert("bai-viet/a/index.html",
		"[region|Khu vực|Khu vực|true: Ngã Bảy=/khu-vuc/nga-bay/(3)]"+
			"[year|Năm|Năm|true: 2024=/nam/2024/(6)]"+
			"[unit|Đơn vị|Đơn vị|false: Ban Thường vụ Thành ủy Ngã Bảy=/don-vi/ban-thuong-vu-thanh-uy-nga-bay/(3)]"+
			"[linh_vuc|Lĩnh vực|Lĩnh vực|false: Nông nghiệp=/linh-vuc/nong-nghiep/(1) Giáo dục=/linh-vuc/giao-duc/(2)]")
	r.Assert("index.html", `<p class="card">Sở Khoa học và Công nghệ tổng kết (unit:Sở Khoa học và Công nghệ)</p>`,
		`<p class="card">Tin không có đơn vị</p>`)
	r.Assert("trang/2/index.html", `<p class="card">Ngã Bảy tổng kết (unit:Ban Thường vụ Thành ủy Ngã Bảy) (linh_vuc:Giáo dục)</p>`)
}
