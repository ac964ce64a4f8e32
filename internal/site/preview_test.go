package site_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

const previewSite = `
-- content/2023/nga-bay.md --
---
title: "Thành phố Ngã Bảy: Phát động thi đua"
date: 2023-02-16 06:26
region: Ngã Bảy
slogan: "Cam kết mạnh mẽ, hành động quyết liệt"
topics: [Thi đua khen thưởng]
image: /images/anh.jpg
---
Ban Thường vụ **Ngã Bảy** phát động thi đua. Xem [bài kia](tong-ket.md).
-- content/2023/tong-ket.md --
---
title: "Hậu Giang tổng kết thi đua"
date: 2023-01-05
region: Hậu Giang
slogan: "Cam kết mạnh mẽ, hành động quyết liệt"
topics: [Thi đua khen thưởng]
---
Hội nghị tổng kết.
`

func previewOptions(fsys fstest.MapFS, cache *site.Cache) site.Options {
	return site.Options{Site: fsys, Theme: bantin.Theme(), Cache: cache, Content: content.Options{Now: sitetest.Now}}
}

// The preview of an unchanged article is byte for byte its built page:
// same renderer, layouts, term links, related articles and JSON-LD.
func TestPreviewArticleEqualsBuiltPage(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(previewSite)
	built := sitetest.Build(t, previewSite)
	want := built.File("bai-viet/nga-bay/index.html")
	for _, withCache := range []bool{false, true} {
		var cache *site.Cache
		if withCache {
			cache = site.NewCache()
			buildWith(t, fsys, cache)
		}
		cfg, _ := config.Load(fsys)
		got, err := site.PreviewArticle(context.Background(), &cfg, previewOptions(fsys, cache), "content/2023/nga-bay.md", fsys["content/2023/nga-bay.md"].Data)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("cache %v: preview differs from the built page:\n--- preview\n%s\n--- built\n%s", withCache, got, want)
		}
	}
}

// An edited draft previews with the edit, its new term, and the rest of the
// site around it; the build's other pages are not involved.
func TestPreviewArticleShowsDraftEdits(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(previewSite)
	cache := site.NewCache()
	buildWith(t, fsys, cache)
	cfg, _ := config.Load(fsys)
	src := "---\ntitle: \"Bản nháp về Vị Thanh\"\ndate: 2027-01-01 08:00\nregion: Vị Thanh\ntopics: [Thi đua khen thưởng]\ndraft: true\n---\nNội dung *mới*.\n"
	got, err := site.PreviewArticle(context.Background(), &cfg, previewOptions(fsys, cache), "content/2027/nhap.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bản nháp về Vị Thanh", "Nội dung <em>mới</em>", `href="/khu-vuc/vi-thanh/"`, "Thành phố Ngã Bảy: Phát động thi đua"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("preview lacks %q:\n%s", want, got)
		}
	}
}

// Problems are those of the build, positioned in the previewed file.
func TestPreviewArticleReportsBuildProblems(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(previewSite)
	cfg, _ := config.Load(fsys)
	src := "---\ntitle: \"\"\ndate: 2024-13-45\nregion: Vị Thanh\n---\nXem [bài](khong-co.md).\n"
	_, err := site.PreviewArticle(context.Background(), &cfg, previewOptions(fsys, nil), "content/2024/x.md", []byte(src))
	got := strings.Join(sitetest.Problems(err), "\n")
	for _, want := range []string{"content/2024/x.md:2:8: title must not be empty", `content/2024/x.md:3:7: date "2024-13-45" is not a date`} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	src = "---\ntitle: Tin\ndate: 2024-01-02\nregion: Vị Thanh\n---\nXem [bài](khong-co.md).\n"
	_, err = site.PreviewArticle(context.Background(), &cfg, previewOptions(fsys, nil), "content/2024/x.md", []byte(src))
	if got := strings.Join(sitetest.Problems(err), "\n"); !strings.Contains(got, "content/2024/x.md:6:5: link to content/2024/khong-co.md, which is not a published article") {
		t.Errorf("a broken link is not reported at its place:\n%s", got)
	}
}
