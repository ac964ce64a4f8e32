package site_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
	"github.com/bantin/bantin/internal/vi"
)

// longSlogan is 400 characters of a Vietnamese slogan: its slug is longer
// than any file system allows a file name to be.
var longSlogan = runes(strings.Repeat("Đoàn kết, sáng tạo, thi đua vượt khó, hoàn thành nhiệm vụ chính trị ", 7), 400)

// runes returns the first n characters of s.
func runes(s string, n int) string { return string([]rune(s)[:n]) }

// TestLongNamesGetShortStableSlugs builds, onto a real disk, articles whose
// slogan, topic, region, title and file name make slugs of hundreds of
// bytes: every page exists at a path of at most vi.MaxSlugBytes per
// segment, and two slogans sharing their first 200 characters get two
// pages.
func TestLongNamesGetShortStableSlugs(t *testing.T) {
	t.Parallel()
	other := runes(longSlogan, 200) + " vì Cần Thơ phát triển"
	longFile := strings.Repeat("tin-dai-", 40) + "het"
	archive := `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: "` + runes(longSlogan, 300) + `"
slogan: "` + longSlogan + `"
topics: ["` + runes(longSlogan, 250) + `"]
---
Nội dung.
-- content/b.md --
---
title: Tin B
date: 2024-01-02
region: Cần Thơ
slogan: "` + other + `"
---
Nội dung.
-- content/` + longFile + `.md --
---
title: Tin C
date: 2024-01-03
region: Cần Thơ
---
Nội dung.
`
	fsys := sitetest.FS(archive)
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	disk, err := output.NewDisk(dest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now},
	}, disk); err != nil {
		disk.Abort()
		t.Fatalf("build failed: %v", err)
	}
	if err := disk.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"khau-hieu/" + vi.Slug(longSlogan),
		"khau-hieu/" + vi.Slug(other),
		"khu-vuc/" + vi.Slug(runes(longSlogan, 300)),
		"chu-de/" + vi.Slug(runes(longSlogan, 250)),
		"bai-viet/" + vi.Slug(longFile),
	} {
		seg := p[strings.IndexByte(p, '/')+1:]
		if len(seg) > vi.MaxSlugBytes {
			t.Errorf("%s: segment of %d bytes", p, len(seg))
		}
		if _, err := os.Stat(filepath.Join(dest, p, "index.html")); err != nil {
			t.Errorf("no page at the shortened path: %v", err)
		}
	}
	if vi.Slug(longSlogan) == vi.Slug(other) {
		t.Fatalf("two slogans sharing 200 characters share the slug %s", vi.Slug(other))
	}
	slogan, err := os.ReadFile(filepath.Join(dest, "khau-hieu", vi.Slug(other), "index.html"))
	if err != nil || !strings.Contains(string(slogan), "Tin B") || strings.Contains(string(slogan), "Tin A") {
		t.Errorf("the second slogan's page does not list only its own article (%v)", err)
	}
	// Short slugs do not move.
	if _, err := os.Stat(filepath.Join(dest, "khu-vuc", "can-tho", "index.html")); err != nil {
		t.Errorf("short slug changed: %v", err)
	}
}

// TestTooLongSlugFieldIsReportedAtItsPosition: a slug an editor wrote is
// not shortened behind their back; check and build both name its line.
func TestTooLongSlugFieldIsReportedAtItsPosition(t *testing.T) {
	t.Parallel()
	archive := `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
slug: ` + strings.Repeat("a", 300) + `
---
`
	want := []string{"content/a.md:5:7: slug is 300 characters long as a URL, over the limit of 80; shorten it, or remove it and let the file name give the URL"}
	_, err := sitetest.TryBuild(t, archive)
	if got := sitetest.Problems(err); !slices.Equal(got, want) {
		t.Errorf("build problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// check builds with CheckLinks: the same problem, nothing else.
	fsys := sitetest.FS(archive)
	cfg, _ := config.Load(fsys)
	_, err = site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now}, CheckLinks: true,
	}, output.NewMemory())
	if got := sitetest.Problems(err); !slices.Equal(got, want) {
		t.Errorf("check problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// 80 bytes is accepted as written.
	r := sitetest.Build(t, strings.Replace(archive, strings.Repeat("a", 300), strings.Repeat("a", 80), 1))
	if !r.Has("bai-viet/" + strings.Repeat("a", 80) + "/index.html") {
		t.Errorf("an 80-byte slug was not used as written")
	}
}

// TestFeedLinkIsTranslated: the feed link of list pages reads in the
// site's language, not as its key.
func TestFeedLinkIsTranslated(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, threeFormats)
	r.Assert("index.html", `type="application/atom+xml">Theo dõi tin mới qua Atom</a>`, `! >feed</a>`)
	r.Assert("khu-vuc/hau-giang/index.html", `>Theo dõi tin mới qua Atom</a>`)
	en := sitetest.Build(t, strings.Replace(threeFormats, "page_size = 2", "page_size = 2\nlanguage = \"en\"", 1))
	en.Assert("index.html", `>Follow new articles (Atom feed)</a>`)
}

// TestArticlesPathIsThePaginatedArchive: /bai-viet/ lists every article,
// newest first, page by page, is in the sitemap, and the home page links
// to it. An older home page's title names the site once.
func TestArticlesPathIsThePaginatedArchive(t *testing.T) {
	t.Parallel()
	// One a page, three articles: the first page and pages 2 and 1.
	r := sitetest.Build(t, strings.Replace(threeFormats, "page_size = 2", "page_size = 1", 1))
	r.Assert("bai-viet/index.html",
		"<title>Tất cả bài viết – Bản tin Hậu Giang</title>", "<h1>Tất cả bài viết</h1>", "3 bài viết",
		"Đợt thi đua 2026 đang diễn ra", "! Hậu Giang tổng kết", "! Thành phố Ngã Bảy: Phát động",
		`rel="next" href="/bai-viet/trang/2/"`, `<link rel="canonical" href="https://example.gov.vn/bai-viet/">`)
	r.Assert("bai-viet/trang/1/index.html",
		"<title>Tất cả bài viết – Trang 1 – Bản tin Hậu Giang</title>", "Thành phố Ngã Bảy: Phát động",
		`<a href="/bai-viet/">Tất cả bài viết</a>`, `<link rel="canonical" href="https://example.gov.vn/bai-viet/trang/1/">`,
		"! 3 bài viết", "! Hậu Giang tổng kết")
	r.Assert("sitemap.xml", "<loc>https://example.gov.vn/bai-viet/</loc>", "<loc>https://example.gov.vn/bai-viet/trang/1/</loc>",
		"<loc>https://example.gov.vn/bai-viet/trang/2/</loc>")
	r.Assert("trang/1/index.html", "<title>Trang 1 – Bản tin Hậu Giang</title>")
	r.Assert("index.html", `<a href="/bai-viet/">Tất cả bài viết →</a>`)
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
}

// TestImagesFiguresThumbnailsAndShareImage: a captioned photo in an
// article becomes a figure keeping its alt text; cards show the article's
// image as a fixed-size lazy thumbnail; pages without an image of their own
// share site.toml's image, under the base path. The images are published
// as they are ([images] enabled = false; TestProcessedFiguresThumbnailsAndShareImage
// has the pipeline's version).
func TestImagesFiguresThumbnailsAndShareImage(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, `
-- site.toml --
title = "Bản tin"
base_url = "https://example.gov.vn/ban-tin/"
image = "/anh/chia-se.png"
[images]
enabled = false
-- static/anh/chia-se.png --
png
-- static/anh/hoi-nghi.jpg --
jpg
-- content/a.md --
---
title: Hội nghị phát động
date: 2024-01-02
region: Cần Thơ
image: /anh/hoi-nghi.jpg
---
Đoạn đầu.

![Hội trường phông đỏ sao vàng](/anh/hoi-nghi.jpg)
*Quang cảnh Hội nghị.*
-- content/b.md --
---
title: Tin không ảnh
date: 2024-01-01
region: Cần Thơ
---
Chữ.
`)
	r.Assert("bai-viet/a/index.html",
		"<figure>\n<img src=\"/ban-tin/anh/hoi-nghi.jpg\" alt=\"Hội trường phông đỏ sao vàng\">\n<figcaption>Quang cảnh Hội nghị.</figcaption>\n</figure>",
		`<meta property="og:image" content="https://example.gov.vn/ban-tin/anh/hoi-nghi.jpg">`,
		`"image":["https://example.gov.vn/ban-tin/anh/hoi-nghi.jpg"]`)
	thumb := `<img class="thumb" src="/ban-tin/anh/hoi-nghi.jpg" alt="" width="120" height="80" loading="lazy" decoding="async">`
	r.Assert("index.html", `<article class="card has-thumb">`, thumb, `<article class="card">`,
		`<meta property="og:image" content="https://example.gov.vn/ban-tin/anh/chia-se.png">`)
	r.Assert("khu-vuc/can-tho/index.html", thumb)
	r.Assert("bai-viet/b/index.html", `<meta property="og:image" content="https://example.gov.vn/ban-tin/anh/chia-se.png">`)
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
	// The theme's sample photos (static/_anh/) stay out of the binary.
	if _, err := fs.Stat(bantin.Theme(), "static/_anh"); err == nil {
		t.Errorf("the embedded theme carries the sample site's photos")
	}
}

// TestMissingShareImageIsReportedByCheck: the share image is only named
// in meta tags; check still finds it missing, at its line in site.toml.
// With the image pipeline, which publishes it, the build does too.
func TestMissingShareImageIsReportedByCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		images string
		want   string
	}{
		{"", "site.toml:3:9: image /anh/khong-co.png not found: put the file at static/anh/khong-co.png"},
		{"[images]\nenabled = false\n", "site.toml:3:9: image /anh/khong-co.png is not a file of the site; put it in static/anh/khong-co.png"},
	} {
		fsys := sitetest.FS(`
-- site.toml --
title = "Bản tin"
base_url = "https://example.gov.vn/"
image = "/anh/khong-co.png"
` + c.images + `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
`)
		cfg, err := config.Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		_, err = site.Build(context.Background(), &cfg, site.Options{
			Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now}, CheckLinks: true,
		}, output.NewMemory())
		if got := sitetest.Problems(err); !slices.Equal(got, []string{c.want}) {
			t.Errorf("%q: problems:\n%s\nwant:\n%s", c.images, strings.Join(got, "\n"), c.want)
		}
	}
}
