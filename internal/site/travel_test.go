package site_test

import (
	"encoding/json"
	"encoding/xml"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/sitetest"
)

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func parseAtom(t *testing.T, r *sitetest.Result, name string) atomFeed {
	t.Helper()
	var f atomFeed
	if err := xml.Unmarshal([]byte(r.File(name)), &f); err != nil {
		t.Fatalf("%s is not Atom: %v", name, err)
	}
	// RFC 4287: a feed has id, title and updated, and an author unless
	// every entry has one; every entry has id, title, updated, and a link
	// or content.
	if f.ID == "" || f.Title == "" || f.Updated == "" || f.Author.Name == "" {
		t.Errorf("%s lacks a required feed element: %+v", name, f)
	}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" || len(e.Links) == 0 {
			t.Errorf("%s: entry lacks a required element: %+v", name, e)
		}
	}
	return f
}

const travelSite = `
-- site.toml --
title = "Bản tin Hậu Giang"
base_url = "https://example.gov.vn/ban-tin/"
description = "Tin thi đua"
[feeds]
limit = 2
# The pipeline would refuse the placeholder photo below.
[images]
enabled = false
-- content/a.md --
---
title: "Tin A </script><script>alert(1)</script>"
date: 2024-01-01 08:00
region: Hậu Giang
topics: [Chuyển đổi số]
slogan: "Cam kết mạnh mẽ"
period: "2024"
author: Nguyễn Lê
image: /anh/a.jpg
---
Đoạn đầu của tin A.
-- content/b.md --
---
title: Tin B
date: 2024-02-01
region: Hậu Giang
---
Đoạn đầu của tin B.
-- content/c.md --
---
title: Tin C
date: 2024-03-01
region: Hậu Giang
image: https://cdn.example.gov.vn/c.png
---
Đoạn đầu của tin C.
-- static/anh/a.jpg --
jpg
`

func TestFeedsAreAtomNewestFirstWithStableIDs(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, travelSite)
	home := parseAtom(t, r, "atom.xml")
	if len(home.Entries) != 2 || home.Entries[0].Title != "Tin C" || home.Entries[1].Title != "Tin B" {
		t.Errorf("home feed: newest two expected, got %+v", home.Entries)
	}
	if home.Updated != "2024-03-01T00:00:00+07:00" {
		t.Errorf("feed updated %q is not its newest entry's date", home.Updated)
	}
	if got := home.Entries[0].Links[0].Href; got != "https://example.gov.vn/ban-tin/bai-viet/c/" {
		t.Errorf("entry link %q is not absolute under the sub-path", got)
	}
	if !strings.HasPrefix(home.Entries[0].ID, "tag:example.gov.vn,2024-03-01:/ban-tin/bai-viet/c/") || home.Entries[0].Summary != "Đoạn đầu của tin C." {
		t.Errorf("entry %+v", home.Entries[0])
	}
	// Every region, topic, slogan and period has a feed; years do not.
	for _, name := range []string{"khu-vuc/hau-giang/atom.xml", "chu-de/chuyen-doi-so/atom.xml", "khau-hieu/cam-ket-manh-me/atom.xml", "dot-thi-dua/2024/atom.xml"} {
		parseAtom(t, r, name)
	}
	if r.Has("nam/2024/atom.xml") {
		t.Error("a year has a feed")
	}
	// Linked from its page, in the head and visibly.
	r.Assert("khu-vuc/hau-giang/index.html",
		`<link rel="alternate" type="application/atom+xml" title="Khu vực: Hậu Giang" href="/ban-tin/khu-vuc/hau-giang/atom.xml">`,
		`<a href="/ban-tin/khu-vuc/hau-giang/atom.xml" type="application/atom+xml">`)
	r.Assert("index.html", `href="/ban-tin/atom.xml"`)
	// Ids do not change between builds, nor when another article is added.
	again := sitetest.Build(t, travelSite+"-- content/d.md --\n---\ntitle: Tin D\ndate: 2023-01-01\nregion: Cần Thơ\n---\nD.\n")
	if parseAtom(t, again, "atom.xml").Entries[0].ID != home.Entries[0].ID {
		t.Error("entry id changed between builds")
	}
	// Full content when site.toml asks for it.
	full := sitetest.Build(t, strings.Replace(travelSite, "limit = 2", "limit = 2\nfull_content = true", 1))
	f := parseAtom(t, full, "atom.xml")
	if f.Entries[0].Content.Type != "html" || !strings.Contains(f.Entries[0].Content.Body, "<p>Đoạn đầu của tin C.</p>") {
		t.Errorf("full content: %+v", f.Entries[0].Content)
	}
}

func TestSitemapListsEveryPageAndSplitsPastItsLimit(t *testing.T) {
	t.Parallel()
	type urlset struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	r := sitetest.Build(t, travelSite)
	var set urlset
	if err := xml.Unmarshal([]byte(r.File("sitemap.xml")), &set); err != nil {
		t.Fatal(err)
	}
	var pages, listed []string
	for _, n := range r.Out.Names() {
		if strings.HasSuffix(n, "index.html") {
			pages = append(pages, "https://example.gov.vn/ban-tin/"+strings.TrimSuffix(n, "index.html"))
		}
	}
	for _, u := range set.URLs {
		listed = append(listed, u.Loc)
		if u.Loc == "https://example.gov.vn/ban-tin/bai-viet/a/" && u.LastMod != "2024-01-01T08:00:00+07:00" {
			t.Errorf("article lastmod %q", u.LastMod)
		}
	}
	slices.Sort(pages)
	slices.Sort(listed)
	if !slices.Equal(pages, listed) {
		t.Errorf("sitemap lists\n%v\npages are\n%v", listed, pages)
	}
	r.Assert("robots.txt", "Sitemap: https://example.gov.vn/ban-tin/sitemap.xml")

	// Past the limit: an index of parts.
	split := sitetest.Build(t, strings.Replace(travelSite, "[feeds]", "[limits]\nsitemap_urls = 5\n[feeds]", 1))
	type index struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	var idx index
	if err := xml.Unmarshal([]byte(split.File("sitemap.xml")), &idx); err != nil {
		t.Fatalf("split sitemap.xml is not a sitemap index: %v", err)
	}
	var all []string
	for i, s := range idx.Sitemaps {
		name := strings.TrimPrefix(s.Loc, "https://example.gov.vn/ban-tin/")
		if name != "sitemap-"+string(rune('1'+i))+".xml" {
			t.Errorf("part %d is %s", i, s.Loc)
		}
		var part urlset
		if err := xml.Unmarshal([]byte(split.File(name)), &part); err != nil {
			t.Fatal(err)
		}
		if len(part.URLs) > 5 {
			t.Errorf("%s lists %d URLs, over the limit of 5", name, len(part.URLs))
		}
		for _, u := range part.URLs {
			all = append(all, u.Loc)
		}
	}
	slices.Sort(all)
	if !slices.Equal(all, listed) || len(idx.Sitemaps) < 2 {
		t.Errorf("split sitemaps list %d URLs in %d parts, want the %d of the whole", len(all), len(idx.Sitemaps), len(listed))
	}
}

var jsonLDScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestPagesCarrySharingTagsAndNewsArticleData(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, travelSite)
	r.Assert("bai-viet/a/index.html",
		`<link rel="canonical" href="https://example.gov.vn/ban-tin/bai-viet/a/">`,
		`<meta name="description" content="Đoạn đầu của tin A.">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:url" content="https://example.gov.vn/ban-tin/bai-viet/a/">`,
		`<meta property="og:image" content="https://example.gov.vn/ban-tin/anh/a.jpg">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta property="og:locale" content="vi_VN">`,
		// The hostile title stays text in every context.
		"! <script>alert(1)</script>",
	)
	r.Assert("bai-viet/c/index.html", `<meta property="og:image" content="https://cdn.example.gov.vn/c.png">`)
	r.Assert("bai-viet/b/index.html", `<meta name="twitter:card" content="summary">`, "! og:image")
	r.Assert("index.html", `<meta property="og:type" content="website">`, `<meta name="description" content="Tin thi đua">`)

	page := r.File("bai-viet/a/index.html")
	m := jsonLDScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	author, _ := ld["author"].(map[string]any)
	place, _ := ld["contentLocation"].(map[string]any)
	publisher, _ := ld["publisher"].(map[string]any)
	if ld["@type"] != "NewsArticle" || ld["headline"] != "Tin A </script><script>alert(1)</script>" ||
		ld["datePublished"] != "2024-01-01T08:00:00+07:00" || author["name"] != "Nguyễn Lê" ||
		place["name"] != "Hậu Giang" || publisher["name"] != "Bản tin Hậu Giang" {
		t.Errorf("JSON-LD %v", ld)
	}
	r.Assert("404.html", `href="/ban-tin/khu-vuc/"`, `href="/ban-tin/tim-kiem/"`, "! rel=\"canonical\"")
}

func TestSlugsFromContentStayInsideTheSite(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: "../../etc"
slug: "../../etc/passwd"
topics: ["/etc/shadow", "..\\..\\windows"]
---
-- content/../../thoat.md --
---
title: Thoát
date: 2024-01-01
region: Cần Thơ
---
`)
	for _, n := range r.Out.Names() {
		if strings.Contains(n, "..") || strings.HasPrefix(n, "/") || strings.Contains(n, "\\") {
			t.Errorf("output file %q escapes the site", n)
		}
	}
	r.Assert("bai-viet/etc-passwd/index.html", "Tin A")
	r.Assert("khu-vuc/etc/index.html", "../../etc")
	r.Assert("chu-de/etc-shadow/index.html", "/etc/shadow")
}
