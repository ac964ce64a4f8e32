package site_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/render"
	"github.com/bantin/bantin/internal/sitetest"
)

var idAttr = regexp.MustCompile(`\sid="([^"]*)"`)

// duplicateIDs returns the ids that appear more than once in a page.
func duplicateIDs(page string) []string {
	seen := map[string]int{}
	var dups []string
	for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
		if seen[m[1]]++; seen[m[1]] == 2 {
			dups = append(dups, m[1])
		}
	}
	return dups
}

func TestArticleHeadingIDsStayOutOfThemeIDs(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/2024/a.md --
---
title: Hội nghị
date: 2024-03-01
region: Ngã Bảy
---
Xem [kết quả thứ hai](#ket-qua-1), [nội dung](#noi-dung), [chú thích](#fn:1) và [bài khác](b.md#ket-qua).[^1]

## Nội dung

## Tin liên quan

## Đang diễn ra

## Tin mới

## Kết quả

## Kết quả

## Kết quả

[^1]: Ghi chú.
-- content/2024/b.md --
---
title: Bài khác
date: 2024-03-02
region: Ngã Bảy
---
## Kết quả
`)
	page := r.File("bai-viet/a/index.html")
	r.Assert("bai-viet/a/index.html",
		`<main id="noi-dung"`, `<h2 id="h-noi-dung">Nội dung</h2>`, `<h2 id="h-tin-lien-quan">Tin liên quan</h2>`,
		`<h2 id="h-ket-qua">`, `<h2 id="h-ket-qua-1">`, `<h2 id="h-ket-qua-2">`,
		// In-page anchors written to a heading's plain slug follow it.
		`href="#h-ket-qua-1"`, `href="#h-noi-dung"`, `href="#fn:1"`, `href="/bai-viet/b/#h-ket-qua"`)
	for name, html := range map[string]string{"bai-viet/a/index.html": page, "bai-viet/b/index.html": r.File("bai-viet/b/index.html")} {
		if dups := duplicateIDs(html); len(dups) > 0 {
			t.Errorf("%s has duplicate ids %q", name, dups)
		}
	}
	if !strings.Contains(r.File("bai-viet/b/index.html"), `<h2 id="h-ket-qua">`) {
		t.Errorf("the linked article lacks the heading id the link names")
	}
}

// TestThemeIDsNeverTakeTheHeadingPrefix: article heading ids are kept
// apart from the theme's by their prefix, which no theme id may start
// with.
func TestThemeIDsNeverTakeTheHeadingPrefix(t *testing.T) {
	t.Parallel()
	err := fs.WalkDir(bantin.Theme(), "layouts", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(bantin.Theme(), name)
		if err != nil {
			return err
		}
		for _, m := range idAttr.FindAllStringSubmatch(string(b), -1) {
			if strings.HasPrefix(m[1], render.HeadingIDPrefix) {
				t.Errorf("%s: id %q starts with the article heading prefix %q", name, m[1], render.HeadingIDPrefix)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// topicsArticle is an article with n topics.
func topicsArticle(n int) string {
	var b strings.Builder
	b.WriteString("-- content/a.md --\n---\ntitle: Nhiều chủ đề\ndate: 2024-03-01\nregion: Ngã Bảy\ntopics:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - Chủ đề số %d\n", i)
	}
	b.WriteString("---\nNội dung.\n")
	return b.String()
}

func outputBytes(r *sitetest.Result) int {
	total := 0
	for _, name := range r.Out.Names() {
		total += len(r.File(name))
	}
	return total
}

// TestTopicsPerArticleAreBounded: past [limits] max_terms, the article is
// an error at the first topic too many; with the limit raised, the site
// grows in proportion to the topics, not with their square (5,000 topics
// made 979 MB in 55 s: each topic's feed listed every topic).
func TestTopicsPerArticleAreBounded(t *testing.T) {
	t.Parallel()
	_, err := sitetest.TryBuild(t, topicsArticle(5000))
	want := "content/a.md:56:5: an article has at most 50 topics, and this is topic 51 of 5000; keep the few that matter most (or raise [limits] max_terms in site.toml)"
	if got := sitetest.Problems(err); len(got) != 1 || got[0] != want {
		t.Errorf("problems %q\nwant %q", got, want)
	}
	raised := "-- site.toml --\ntitle = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n[limits]\nmax_terms = 10000\n"
	small := outputBytes(sitetest.Build(t, raised+topicsArticle(400)))
	large := outputBytes(sitetest.Build(t, raised+topicsArticle(800)))
	if ratio := float64(large) / float64(small); ratio > 2.3 {
		t.Errorf("doubling the topics (400 -> 800) multiplied the output by %.2f (%d -> %d bytes)", ratio, small, large)
	}
}

// TestDeclaredListTaxonomiesAreBoundedToo: max_terms bounds every
// list-valued taxonomy, not only topics.
func TestDeclaredListTaxonomiesAreBoundedToo(t *testing.T) {
	t.Parallel()
	fields := make([]string, 6)
	for i := range fields {
		fields[i] = fmt.Sprintf("Lĩnh vực %d", i)
	}
	_, err := sitetest.TryBuild(t, "-- site.toml --\ntitle = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n[limits]\nmax_terms = 5\n"+
		"[[taxonomies]]\nkey = \"linh_vuc\"\nname = \"Lĩnh vực\"\nmultiple = true\n"+
		"-- content/a.md --\n---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\nlinh_vuc:\n  - "+strings.Join(fields, "\n  - ")+"\n---\nNội dung.\n")
	want := "content/a.md:11:5: an article has at most 5 values of linh_vuc, and this is value 6 of 6; keep the few that matter most (or raise [limits] max_terms in site.toml)"
	if got := sitetest.Problems(err); len(got) != 1 || got[0] != want {
		t.Errorf("problems %q\nwant %q", got, want)
	}
}

// TestInvisibleCharactersAreStripped: zero-width spaces and soft hyphens
// inside visible text are removed, so that equal-looking names are equal.
func TestInvisibleCharactersAreStripped(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, "-- content/a.md --\n---\ntitle: \"Hội\u200b nghị\u00ad tổng kết\"\ndate: 2024-03-01\nregion: \"Ngã\u2060 Bảy\"\ntopics: [\"Thi\u200b đua\", \"Thi đua\"]\n---\nNội dung.\n")
	r.Assert("bai-viet/a/index.html", "<h1>Hội nghị tổng kết</h1>", ">Ngã Bảy</a>", "! \u200b", "! \u00ad", "! \u2060")
	r.Assert("chu-de/index.html", `href="/chu-de/thi-dua/"`)
	if got := strings.Count(r.File("chu-de/index.html"), `href="/chu-de/thi-dua`); got != 1 {
		t.Errorf("the topic is listed %d times, want once", got)
	}
}

// TestJSONFrontMatterEndsWhereTheObjectEnds: a nested object may close on
// a line of its own, and the body may follow the closing "}" directly.
func TestJSONFrontMatterEndsWhereTheObjectEnds(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- content/a.md --
{
  "title": "Tin A",
  "date": "2024-01-01",
  "region": "Cần Thơ",
  "period": {
    "start": "2024-01",
    "end": "2024-06"
  }
}
Nội dung ngay sau dấu ngoặc.
-- content/b.md --
{"title": "Tin B", "date": "2024-01-02", "region": "Cần Thơ"}
Nội dung của tin B.
`)
	r.Assert("bai-viet/a/index.html", "<p>Nội dung ngay sau dấu ngoặc.</p>", `href="/dot-thi-dua/`)
	r.Assert("bai-viet/b/index.html", "<p>Nội dung của tin B.</p>")
}
