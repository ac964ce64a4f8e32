package site_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/images/imagestest"
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

![Hội trường](/images/anh.jpg)
*Quang cảnh lễ phát động.*
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

// previewFS is previewSite with its photo, which the image pipeline
// publishes (as a lead picture, a figure, and the thumbnail of related
// cards).
func previewFS(t testing.TB) fstest.MapFS {
	fsys := sitetest.FS(previewSite)
	fsys["static/images/anh.jpg"] = &fstest.MapFile{
		Data:    imagestest.JPEG(t, imagestest.Photo(640, 480, 0), 85),
		ModTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	return fsys
}

func previewOptions(fsys fstest.MapFS, cache *site.Cache) site.Options {
	return site.Options{Site: fsys, Theme: bantin.Theme(), Cache: cache, Content: content.Options{Now: sitetest.Now}}
}

// The preview of an unchanged article is byte for byte its built page:
// same renderer, layouts, term links, related articles, JSON-LD and
// pictures. Without the preview's cache, no build published the images:
// the preview shows them as written, as a build with images off does.
func TestPreviewArticleEqualsBuiltPage(t *testing.T) {
	t.Parallel()
	fsys := previewFS(t)
	built, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	withPictures := built.File("bai-viet/nga-bay/index.html")
	if !strings.Contains(withPictures, `<figure>
<picture>`) || !strings.Contains(withPictures, `class="lead-image"`) {
		t.Fatalf("the built page has no pictures:\n%s", withPictures)
	}
	off := maps.Clone(fsys)
	off["site.toml"] = &fstest.MapFile{Data: []byte(sitetest.DefaultConfig + "[images]\nenabled = false\n")}
	builtOff, err := sitetest.BuildFS(t, off)
	if err != nil {
		t.Fatal(err)
	}
	// The other article shows the photo as its related card's thumbnail.
	if !strings.Contains(built.File("bai-viet/tong-ket/index.html"), `class="thumb"`) {
		t.Fatal("the related card has no thumbnail")
	}
	for _, withCache := range []bool{false, true} {
		var cache *site.Cache
		if withCache {
			cache = site.NewCache()
			buildWith(t, fsys, cache)
		}
		for _, slug := range []string{"nga-bay", "tong-ket"} {
			want := builtOff.File("bai-viet/" + slug + "/index.html")
			if withCache {
				want = built.File("bai-viet/" + slug + "/index.html")
			}
			cfg, _ := config.Load(fsys)
			file := "content/2023/" + slug + ".md"
			got, err := site.PreviewArticle(context.Background(), &cfg, previewOptions(fsys, cache), file, fsys[file].Data)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Errorf("%s, cache %v: preview differs from the built page:\n--- preview\n%s\n--- built\n%s", slug, withCache, got, want)
			}
		}
	}
}

// An edited draft previews with the edit, its new term (in 2027 "Vị Thanh"
// is the ward of Cần Thơ), and the rest of the
// site around it; the build's other pages are not involved.
func TestPreviewArticleShowsDraftEdits(t *testing.T) {
	t.Parallel()
	fsys := previewFS(t)
	cache := site.NewCache()
	buildWith(t, fsys, cache)
	cfg, _ := config.Load(fsys)
	src := "---\ntitle: \"Bản nháp về Vị Thanh\"\ndate: 2027-01-01 08:00\nregion: Vị Thanh\ntopics: [Thi đua khen thưởng]\ndraft: true\n---\nNội dung *mới*.\n"
	got, err := site.PreviewArticle(context.Background(), &cfg, previewOptions(fsys, cache), "content/2027/nhap.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bản nháp về Vị Thanh", "Nội dung <em>mới</em>", `href="/khu-vuc/phuong-vi-thanh/"`, "Thành phố Ngã Bảy: Phát động thi đua"} {
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
