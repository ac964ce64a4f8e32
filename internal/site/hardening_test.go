package site_test

import (
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
