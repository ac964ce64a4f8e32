package site_test

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/sitetest"
)

// spellingsSite names Cần Thơ and Hậu Giang the ways bulletins write them,
// and Ngã Bảy, which lay in Hậu Giang, which went into Cần Thơ on 1 July
// 2025.
const spellingsSite = `
-- content/a.md --
---
title: Hậu Giang phát động thi đua
date: 2023-03-01
region: Hậu Giang
---
Nội dung.
-- content/b.md --
---
title: Tỉnh Hậu Giang tổng kết
date: 2023-12-01
region: tỉnh Hậu Giang
---
Nội dung.
-- content/c.md --
---
title: TP Cần Thơ khen thưởng
date: 2024-01-10
region: TP Cần Thơ
---
Nội dung.
-- content/d.md --
---
title: Thành phố Cần Thơ sơ kết
date: 2024-06-10
region: thành phố Cần Thơ
---
Nội dung.
-- content/e.md --
---
title: Ngã Bảy tuyên dương
date: 2023-09-21
region: Ngã Bảy
---
Nội dung.
`

// regionPages returns the folders under khu-vuc/ that hold a page, and
// which of them are redirects.
func regionPages(r *sitetest.Result) (pages, redirects []string) {
	for _, name := range r.Out.Names() {
		rest, ok := strings.CutPrefix(name, "khu-vuc/")
		if !ok || strings.Count(rest, "/") != 1 || !strings.HasSuffix(rest, "/index.html") {
			continue
		}
		slug := strings.TrimSuffix(rest, "/index.html")
		if strings.Contains(r.File(name), `http-equiv="refresh"`) {
			redirects = append(redirects, slug)
		} else {
			pages = append(pages, slug)
		}
	}
	return pages, redirects
}

// cardLinks returns the article links of a list page's cards, in order.
func cardLinks(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<h3 class="card-title"><a href="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestRegionSpellingsLandOnCanonicalPages: every spelling of a place lands
// on the place's one page, named and slugged by the gazetteer; the old
// pages of the other spellings lead there and are not in the sitemap;
// Cần Thơ's page lists the bulletins of everything inside it, newest first,
// and links the places inside it that have bulletins, with counts.
func TestRegionSpellingsLandOnCanonicalPages(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, spellingsSite)
	pages, redirects := regionPages(r)
	if want := []string{"can-tho", "hau-giang", "nga-bay"}; !slices.Equal(pages, want) {
		t.Errorf("region pages %v, want %v", pages, want)
	}
	if want := []string{"thanh-pho-can-tho", "tinh-hau-giang", "tp-can-tho"}; !slices.Equal(redirects, want) {
		t.Errorf("redirects %v, want %v", redirects, want)
	}
	r.Assert("khu-vuc/tp-can-tho/index.html",
		`<meta http-equiv="refresh" content="0; url=/khu-vuc/can-tho/">`,
		`<link rel="canonical" href="https://example.gov.vn/khu-vuc/can-tho/">`,
		`<meta name="robots" content="noindex">`,
		`<a href="/khu-vuc/can-tho/">Cần Thơ</a>`)
	r.Assert("sitemap.xml", "/khu-vuc/can-tho/</loc>", "! tp-can-tho", "! tinh-hau-giang", "! thanh-pho-can-tho")

	all := []string{"/bai-viet/d/", "/bai-viet/c/", "/bai-viet/b/", "/bai-viet/e/", "/bai-viet/a/"}
	if got := cardLinks(r.File("khu-vuc/can-tho/index.html")); !slices.Equal(got, all) {
		t.Errorf("Cần Thơ lists %v, want %v", got, all)
	}
	if got := cardLinks(r.File("khu-vuc/hau-giang/index.html")); !slices.Equal(got, []string{"/bai-viet/b/", "/bai-viet/e/", "/bai-viet/a/"}) {
		t.Errorf("Hậu Giang lists %v", got)
	}
	r.Assert("khu-vuc/can-tho/index.html", "<h2 class=\"list-heading\">5 bài viết</h2>",
		`<h2 id="noi-truc-thuoc" class="list-heading">Khu vực trực thuộc</h2>`,
		`<li><a href="/khu-vuc/hau-giang/">Hậu Giang</a> <span class="count">3 bài viết</span></li>`)
	r.Assert("khu-vuc/hau-giang/index.html", `<li><a href="/khu-vuc/nga-bay/">Ngã Bảy</a> <span class="count">1 bài viết</span></li>`)
	// Cards name the place, not the spelling.
	r.Assert("bai-viet/c/index.html", `<a href="/khu-vuc/can-tho/">Cần Thơ</a>`, "! tp-can-tho")
	if r.Stats.Warnings != nil {
		t.Errorf("warnings: %v", r.Stats.Warnings)
	}
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

// TestRegionHierarchyFollowsTheArticleDate: a place named before 1 July
// 2025 shows the province it lay in and the one that province went into
// since; the same name after that date is the new unit, in its new
// province. Region pages show their hierarchy as of the build, in the
// breadcrumb (top down) and under the title (bottom up, with the merger's
// date).
func TestRegionHierarchyFollowsTheArticleDate(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/truoc.md --
---
title: Ngã Bảy năm 2023
date: 2023-02-16
region: Ngã Bảy
---
Nội dung.
-- content/sau.md --
---
title: Ngã Bảy năm 2026
date: 2026-03-05
region: Ngã Bảy
---
Nội dung.
-- content/tinh.md --
---
title: Hậu Giang tháng 8 năm 2025
date: 2025-08-01
region: Hậu Giang
---
Nội dung.
`)
	r.Assert("bai-viet/truoc/index.html", `<dd class="place-path"><a href="/khu-vuc/nga-bay/">thành phố Ngã Bảy</a> › <a href="/khu-vuc/hau-giang/">Hậu Giang</a> › <a href="/khu-vuc/can-tho/">Cần Thơ</a> (từ 01/07/2025)</dd>`)
	r.Assert("bai-viet/sau/index.html", `<dd class="place-path"><a href="/khu-vuc/phuong-nga-bay/">phường Ngã Bảy</a> › <a href="/khu-vuc/can-tho/">Cần Thơ</a></dd>`)
	// The province is no more; its bulletins still lie in Cần Thơ.
	r.Assert("bai-viet/tinh/index.html", `<a href="/khu-vuc/hau-giang/">Hậu Giang</a> › <a href="/khu-vuc/can-tho/">Cần Thơ</a> (từ 01/07/2025)</dd>`)
	r.Assert("khu-vuc/nga-bay/index.html",
		`<p class="place-path"><span class="visually-hidden">Thuộc: </span>thành phố Ngã Bảy (đến 30/06/2025) › <a href="/khu-vuc/hau-giang/">Hậu Giang</a> › <a href="/khu-vuc/can-tho/">Cần Thơ</a> (từ 01/07/2025)</p>`)
	trail := regexp.MustCompile(`(?s)<nav class="breadcrumbs".*?</nav>`).FindString(r.File("khu-vuc/nga-bay/index.html"))
	if got := regexp.MustCompile(`<li>(?:<a href="[^"]*">|<span aria-current="page">)([^<]*)`).FindAllStringSubmatch(trail, -1); len(got) != 5 ||
		got[2][1] != "Cần Thơ" || got[3][1] != "Hậu Giang" || got[4][1] != "thành phố Ngã Bảy" {
		t.Errorf("breadcrumb of Ngã Bảy: %s", trail)
	}
	r.Assert("khu-vuc/phuong-nga-bay/index.html", "phường Ngã Bảy (từ 01/07/2025) › <a href=\"/khu-vuc/can-tho/\">Cần Thơ</a></p>")
	// Cần Thơ lists all three; the city and the ward of one name are told
	// apart by their kind.
	if got := cardLinks(r.File("khu-vuc/can-tho/index.html")); !slices.Equal(got, []string{"/bai-viet/sau/", "/bai-viet/tinh/", "/bai-viet/truoc/"}) {
		t.Errorf("Cần Thơ lists %v", got)
	}
}

// TestRegionsIndexGroupsByProvince: the regions index has a group per
// province as of today, headed by it with its count; units merged away
// are in the group of the one they went into, with a note; names that
// are no place come last.
func TestRegionsIndexGroupsByProvince(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, spellingsSite+`
-- content/f.md --
---
title: Đà Nẵng
date: 2024-01-01
region: Đà Nẵng
---
-- content/g.md --
---
title: Khu công nghiệp
date: 2024-01-02
region: Khu công nghiệp Tân Phú Thạnh
---
`)
	page := r.File("khu-vuc/index.html")
	want := []string{
		`<h2><a href="/khu-vuc/can-tho/">Cần Thơ</a> <span class="count">5 bài viết</span></h2>`,
		`<li><a href="/khu-vuc/hau-giang/">Hậu Giang</a> <span class="count">3 bài viết</span> <span class="note">(sáp nhập vào Cần Thơ từ 01/07/2025)</span></li>`,
		`<li><a href="/khu-vuc/nga-bay/">Ngã Bảy</a> <span class="count">1 bài viết</span> <span class="note">(đến 30/06/2025)</span></li>`,
		`<h2><a href="/khu-vuc/da-nang/">Đà Nẵng</a> <span class="count">1 bài viết</span></h2>`,
		`<h2>Khác</h2>`,
		`<li><a href="/khu-vuc/khu-cong-nghiep-tan-phu-thanh/">Khu công nghiệp Tân Phú Thạnh</a> <span class="count">1 bài viết</span></li>`,
	}
	last := -1
	for _, w := range want {
		i := strings.Index(page, w)
		if i < 0 {
			t.Errorf("regions index lacks %s", w)
			continue
		}
		if i < last {
			t.Errorf("regions index has %s out of order", w)
		}
		last = i
	}
	if strings.Count(page, `<section class="place-group">`) != 3 {
		t.Errorf("want 3 groups:\n%s", page)
	}
}

// TestRegionWarningsSuggestAndExplain: a name the gazetteer does not know
// still builds as its own region, with a warning that suggests near
// misses; a name it cannot settle ("Long Mỹ" in 2021: the town or the
// district) warns with its candidates and how to settle it.
func TestRegionWarningsSuggestAndExplain(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/a.md --
---
title: Sai chính tả
date: 2024-01-01
region: Hâu Giang
---
-- content/b.md --
---
title: Long Mỹ
date: 2021-03-08
region: Long Mỹ
---
`)
	var got []string
	for _, w := range r.Stats.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		`content/a.md:4:9: unknown region "Hâu Giang"; did you mean "Hậu Giang" or "Hà Giang"? It gets a page of its own; if it is a real place, add it to data/regions.toml`,
		`content/b.md:4:9: region "Long Mỹ" may be huyện Long Mỹ (Hậu Giang; id huyen-long-my) or thị xã Long Mỹ (Hậu Giang; id thi-xa-long-my); write the kind, as in "huyện Long Mỹ", or the id, or settle it for the whole site in data/regions.toml: [huyen-long-my] aliases = ["Long Mỹ"]. Until then it gets a page of its own`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	pages, redirects := regionPages(r)
	if !slices.Equal(pages, []string{"hau-giang", "long-my"}) || redirects != nil {
		t.Errorf("pages %v, redirects %v", pages, redirects)
	}
	r.Assert("khu-vuc/hau-giang/index.html", "Khu vực:</span> Hâu Giang</h1>", "! place-path")
}

// TestSiteRegionsFileAddsAndSettlesPlaces: data/regions.toml settles an
// ambiguous name for the whole site and adds a commune, which gets its
// page with its hierarchy; Ngã Bảy's page exists because a place inside
// it has bulletins.
func TestSiteRegionsFileAddsAndSettlesPlaces(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- data/regions.toml --
[thi-xa-long-my]
aliases = ["Long Mỹ"]

[xa-dai-thanh]
name = "Đại Thành"
kind = "xã"
parent = "nga-bay"
valid_to = 2025-06-30
-- content/a.md --
---
title: Long Mỹ
date: 2021-03-08
region: Long Mỹ
---
-- content/b.md --
---
title: Đại Thành
date: 2023-05-01
region: xã Đại Thành
---
`)
	if r.Stats.Warnings != nil {
		t.Errorf("warnings: %v", r.Stats.Warnings)
	}
	pages, redirects := regionPages(r)
	if want := []string{"can-tho", "hau-giang", "nga-bay", "thi-xa-long-my", "xa-dai-thanh"}; !slices.Equal(pages, want) {
		t.Errorf("pages %v, want %v", pages, want)
	}
	if want := []string{"long-my"}; !slices.Equal(redirects, want) {
		t.Errorf("redirects %v, want %v", redirects, want)
	}
	r.Assert("bai-viet/b/index.html", `<a href="/khu-vuc/xa-dai-thanh/">Đại Thành</a> › <a href="/khu-vuc/nga-bay/">Ngã Bảy</a> › <a href="/khu-vuc/hau-giang/">Hậu Giang</a> › <a href="/khu-vuc/can-tho/">Cần Thơ</a> (từ 01/07/2025)`)
	r.Assert("khu-vuc/nga-bay/index.html", "/bai-viet/b/", `<a href="/khu-vuc/xa-dai-thanh/">Đại Thành</a> <span class="count">1 bài viết</span>`)
}

// TestRegionNearSettlesAmbiguousNames: a name several provinces share
// ("Châu Thành") is settled by site.toml's region_near; without it, by the
// province most of the site's bulletins name; with neither it warns.
func TestRegionNearSettlesAmbiguousNames(t *testing.T) {
	t.Parallel()
	article := func(name, region string) string {
		return "-- content/" + name + ".md --\n---\ntitle: " + name + "\ndate: 2023-05-01\nregion: " + region + "\n---\n"
	}
	chauThanh := article("chau-thanh", "Châu Thành")
	for _, c := range []struct {
		name, site, want string
		warns            bool
	}{
		{"set in site.toml", "-- site.toml --\ntitle = \"T\"\nbase_url = \"https://example.gov.vn/\"\nregion_near = \"Sóc Trăng\"\n" + chauThanh + article("hg", "Hậu Giang") + article("vt", "Vị Thanh"), "chau-thanh-soc-trang", false},
		{"inferred from the bulletins", chauThanh + article("hg", "Hậu Giang") + article("vt", "Vị Thanh") + article("st", "Sóc Trăng"), "chau-thanh-hau-giang", false},
		{"neither", chauThanh, "chau-thanh", true},
	} {
		r := sitetest.Build(t, c.site)
		if !r.Has("khu-vuc/" + c.want + "/index.html") {
			t.Errorf("%s: no page khu-vuc/%s/; region pages: %v", c.name, c.want, r.Out.Names())
		}
		if (r.Stats.Warnings != nil) != c.warns {
			t.Errorf("%s: warnings %v", c.name, r.Stats.Warnings)
		}
	}
}

// TestRegionsAsTextKeepTheOldBehaviour: a site that declares its region
// with values = "text" gets a page per spelling, as before the gazetteer,
// and no warning; a declared place-valued taxonomy resolves its values.
func TestRegionsAsTextKeepTheOldBehaviour(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- site.toml --
title = "T"
base_url = "https://example.gov.vn/"
[[taxonomies]]
key = "region"
values = "text"
[[taxonomies]]
key = "dia_ban"
name = "Địa bàn"
values = "place"
multiple = true
facet = true
-- content/a.md --
---
title: A
date: 2024-01-01
region: TP Cần Thơ
dia_ban: [TP Cần Thơ, Ngã Bảy, Khu công nghiệp Tân Phú Thạnh]
---
`)
	pages, redirects := regionPages(r)
	if !slices.Equal(pages, []string{"tp-can-tho"}) || redirects != nil {
		t.Errorf("region pages %v, redirects %v", pages, redirects)
	}
	for _, p := range []string{"dia-ban/can-tho/index.html", "dia-ban/nga-bay/index.html", "dia-ban/hau-giang/index.html", "dia-ban/khu-cong-nghiep-tan-phu-thanh/index.html", "dia-ban/tp-can-tho/index.html"} {
		if !r.Has(p) {
			t.Errorf("no %s", p)
		}
	}
	r.Assert("dia-ban/tp-can-tho/index.html", `http-equiv="refresh"`)
	r.Assert("tim-kiem/chi-muc/manifest.json", `{"key":"dia_ban","label":"Địa bàn","multiple":true,"values":["Cần Thơ","Hậu Giang","Khu công nghiệp Tân Phú Thạnh","Ngã Bảy"]}`)
	if len(r.Stats.Warnings) != 1 || !strings.HasPrefix(r.Stats.Warnings[0].Error(), `content/a.md:5:32: unknown dia_ban "Khu công nghiệp Tân Phú Thạnh"; it gets a page`) {
		t.Errorf("warnings %v", r.Stats.Warnings)
	}
}

// searchFacet reads the built search index the way the search script does
// and returns the URLs of the articles whose values of facet key include
// value, in index order.
func searchFacet(t *testing.T, r *sitetest.Result, key, value string) []string {
	t.Helper()
	var m struct {
		Docs   int    `json:"docs"`
		Base   string `json:"base"`
		Facets []struct {
			Key      string   `json:"key"`
			Multiple bool     `json:"multiple"`
			Values   []string `json:"values"`
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(r.File("tim-kiem/chi-muc/manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	dir := "tim-kiem/chi-muc/" + m.Base
	table, err := io.ReadAll(flate.NewReader(strings.NewReader(r.File(dir + "facets.bin"))))
	if err != nil {
		t.Fatal(err)
	}
	rd := bytes.NewReader(table)
	next := func() int { v, _ := binary.ReadUvarint(rd); return int(v) }
	var out []string
	for doc := range m.Docs {
		match := false
		for _, f := range m.Facets {
			var values []int
			if f.Multiple {
				for range next() {
					values = append(values, next())
				}
			} else if v := next(); v > 0 {
				values = append(values, v-1)
			}
			for _, v := range values {
				if f.Key == key && f.Values[v] == value {
					match = true
				}
			}
		}
		if match {
			var frag struct {
				U string `json:"u"`
			}
			json.Unmarshal([]byte(r.File(dir+"f/"+itoa(doc)+".json")), &frag)
			out = append(out, frag.U)
		}
	}
	return out
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// TestSearchRegionFilterMatchesPlacesInside: in the search index the
// region filter is multi-valued, each article carrying its place and every
// place that lies above it, so "Cần Thơ" finds the bulletins of Hậu Giang
// and Ngã Bảy too, and the filter lists each place once, by its name.
func TestSearchRegionFilterMatchesPlacesInside(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, spellingsSite)
	all := []string{"/bai-viet/d/", "/bai-viet/c/", "/bai-viet/b/", "/bai-viet/e/", "/bai-viet/a/"}
	if got := searchFacet(t, r, "region", "Cần Thơ"); !slices.Equal(got, all) {
		t.Errorf("region Cần Thơ finds %v, want %v", got, all)
	}
	if got := searchFacet(t, r, "region", "Hậu Giang"); !slices.Equal(got, []string{"/bai-viet/b/", "/bai-viet/e/", "/bai-viet/a/"}) {
		t.Errorf("region Hậu Giang finds %v", got)
	}
	r.Assert("tim-kiem/chi-muc/manifest.json", `{"key":"region","label":"Khu vực","multiple":true,"values":["Cần Thơ","Hậu Giang","Ngã Bảy"]}`)
	// Results name the place, not the spelling.
	base := regexp.MustCompile(`"base":"([^"]+)"`).FindStringSubmatch(r.File("tim-kiem/chi-muc/manifest.json"))[1]
	r.Assert("tim-kiem/chi-muc/"+base+"f/1.json", `"r":"Cần Thơ"`)
}
