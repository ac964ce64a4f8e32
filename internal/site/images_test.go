package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	"image/png"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/images"
	"github.com/bantin/bantin/internal/images/imagestest"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

const imageArticle = `---
title: Lễ phát động thi đua
date: 2024-03-01
region: Hậu Giang
image: /images/camera.jpg
---
Toàn cảnh buổi lễ.

![Biểu trưng "thi đua"](logo.png)

Đại biểu dự lễ ![Ảnh nhỏ](/images/small.jpg) và ![ngoài](https://cdn.example.vn/x.jpg).
`

// imageSite is a site whose article uses a 4000×3000 camera photo (EXIF
// orientation 6, GPS position) as its lead image, a transparent PNG with
// text chunks beside it, and a small photo from static/.
func cameraSite(t testing.TB) fstest.MapFS {
	fsys := sitetest.FS("-- content/2024/a.md --\n" + imageArticle)
	add := func(name string, data []byte) { fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644} }
	add("static/images/camera.jpg", imagestest.CameraJPEG())
	add("content/2024/logo.png", imagestest.TransparentPNG(t, 1200, 800))
	add("static/images/small.jpg", imagestest.JPEG(t, imagestest.Photo(300, 200, 0), 90))
	add("static/images/unused.jpg", imagestest.JPEG(t, imagestest.Photo(64, 64, 0), 90))
	return fsys
}

var pictureRE = regexp.MustCompile(`<picture>.*?</picture>`)

// TestArticleImagesArePublishedResponsiveAndClean is not parallel:
// processing the 4000×3000 photo keeps every core busy for seconds, and
// browser tests running meanwhile would run out of time.
func TestArticleImagesArePublishedResponsiveAndClean(t *testing.T) {
	fsys := cameraSite(t)
	cache := t.TempDir()
	r, err := sitetest.BuildFS(t, fsys, sitetest.Options{ImageCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.ImagesDecoded != 3 {
		t.Errorf("%d images decoded, want 3", r.Stats.ImagesDecoded)
	}
	page := r.File("bai-viet/a/index.html")
	pictures := pictureRE.FindAllString(page, -1)
	if len(pictures) != 3 {
		t.Fatalf("%d pictures on the page, want 3 (lead, logo, small):\n%s", len(pictures), page)
	}
	for i, p := range pictures {
		for _, want := range []string{`<source type="image/webp" srcset="/_img/`, ` sizes="`, ` width="`, ` height="`, ` srcset="/_img/`} {
			if !strings.Contains(p, want) {
				t.Errorf("picture %d lacks %s: %s", i, want, p)
			}
		}
		// The lead image shows first: it loads at once, the others lazily.
		if lazy := strings.Contains(p, `loading="lazy"`); lazy != (i > 0) {
			t.Errorf("picture %d lazy=%v: %s", i, lazy, p)
		}
	}
	if !strings.Contains(pictures[0], `class="lead-image"`) || !strings.Contains(pictures[0], `width="960" height="1280"`) {
		t.Errorf("lead picture: %s", pictures[0])
	}
	if !strings.Contains(pictures[1], `alt="Biểu trưng &#34;thi đua&#34;"`) || !strings.Contains(pictures[1], `.png 480w`) {
		t.Errorf("logo picture: %s", pictures[1])
	}
	if !strings.Contains(page, `<img src="https://cdn.example.vn/x.jpg" alt="ngoài">`) {
		t.Error("another site's image was not left alone")
	}
	og := regexp.MustCompile(`<meta property="og:image" content="https://example.gov.vn/_img/[0-9a-f]{16}/og-1200.jpg">`)
	if !og.MatchString(page) || !strings.Contains(page, `<meta property="og:image:width" content="1200">`) ||
		!strings.Contains(page, `<meta property="og:image:height" content="1600">`) {
		t.Error("og:image is not the 1200-px JPEG")
	}

	// Every published image: no metadata, none wider than its source.
	var published []string
	for _, name := range r.Out.Names() {
		if !strings.HasPrefix(name, "_img/") {
			continue
		}
		published = append(published, name[strings.LastIndex(name, "/")+1:])
		data, _ := r.Out.File(name)
		if l := imagestest.Leaks(data); len(l) > 0 {
			t.Errorf("%s carries metadata: %v", name, l)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Width > 3000 {
			t.Errorf("%s is %d px wide, wider than any source", name, cfg.Width)
		}
	}
	want := "1600.jpg 1600.webp 480.jpg 480.webp 960.jpg 960.webp og-1200.jpg " + // camera, upright 3000 px
		"1200.png 1200.webp 480.png 480.webp 960.png 960.webp og-1200.jpg " + // logo, 1200 px
		"300.jpg 300.webp" // small
	if got := strings.Join(published, " "); len(published) != 16 || !sameWords(got, want) {
		t.Errorf("published %v, want %s", published, want)
	}
	// Originals (with their GPS position) are not published; a static
	// image no article uses is copied as it is.
	for _, name := range []string{"images/camera.jpg", "images/small.jpg", "2024/logo.png"} {
		if r.Has(name) {
			t.Errorf("the original %s was published", name)
		}
	}
	if !r.Has("images/unused.jpg") {
		t.Error("a static image no article uses was not copied")
	}
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links: %v", broken)
	}

	// A rebuild with the images unchanged decodes none and writes the same.
	again, err := sitetest.BuildFS(t, fsys, sitetest.Options{ImageCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if again.Stats.ImagesDecoded != 0 {
		t.Errorf("the rebuild decoded %d images, want 0", again.Stats.ImagesDecoded)
	}
	for _, name := range r.Out.Names() {
		a, _ := r.Out.File(name)
		b, ok := again.Out.File(name)
		if !ok || !bytes.Equal(a, b) {
			t.Errorf("%s differs after a cached rebuild", name)
		}
	}
}

func sameWords(a, b string) bool {
	count := map[string]int{}
	for _, w := range strings.Fields(a) {
		count[w]++
	}
	for _, w := range strings.Fields(b) {
		count[w]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// TestBrokenImagesAreErrorsAtTheirPositions is not parallel: it bounds
// what the whole process allocates while the build meets a PNG bomb.
func TestBrokenImagesAreErrorsAtTheirPositions(t *testing.T) {
	photo := imagestest.JPEG(t, imagestest.Photo(400, 300, 0), 85)
	fsys := sitetest.FS(`-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
image: /images/khong-co.jpg
---
Mở đầu.

![cắt](/images/cut.jpg)

Bom: ![bom](bomb.png)
![chữ](/images/text.jpg)
-- content/b.md --
---
title: Tin B
date: 2024-01-02
region: Cần Thơ
---
![mất](mat.webp)
-- static/images/text.jpg --
<!doctype html><p>không phải ảnh</p>
`)
	fsys["static/images/cut.jpg"] = &fstest.MapFile{Data: photo[:len(photo)/2]}
	fsys["content/bomb.png"] = &fstest.MapFile{Data: imagestest.PNGBomb(100000, 100000)}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := sitetest.BuildFS(t, fsys)
	runtime.ReadMemStats(&after)
	got := strings.Join(sitetest.Problems(err), "\n")
	want := strings.Join([]string{
		"content/a.md:5:8: image /images/khong-co.jpg not found: put the file at static/images/khong-co.jpg",
		"content/a.md:9:1: image /images/cut.jpg (static/images/cut.jpg): truncated or corrupt JPEG: the file ends too early; export it again from the original",
		"content/a.md:11:6: image bomb.png (content/bomb.png): image too large: it declares 100000×100000 pixels (10000.0 megapixels), over the limit of 50.0 ([images] max_pixels); scale it down before publishing",
		"content/a.md:12:1: image /images/text.jpg (static/images/text.jpg): not a JPEG, PNG, GIF or WebP image; save it in one of those formats",
		"content/b.md:6:1: image mat.webp not found: no file content/mat.webp beside the article",
	}, "\n")
	if got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("the build with a PNG bomb allocated %d MB", alloc>>20)
	}
}

func TestHeavyArticlesAreWarnedAbout(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`-- site.toml --
title = "T"
base_url = "https://example.gov.vn/"
[images]
budget_kb = 2
widths = [200]
formats = ["jpeg"]
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
Mở đầu.

![ảnh](/a.jpg)
-- content/b.md --
---
title: Tin B
date: 2024-01-01
region: Cần Thơ
---
Nhẹ: ![ảnh](/b.jpg)
`)
	fsys["static/a.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(600, 400, 0), 90)}
	fsys["static/b.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(16, 16, 0), 90)}
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Stats.Warnings) != 1 || !regexp.MustCompile(`^content/a.md:8:1: the article's images weigh \d+ KB at their largest, over the budget of 2 KB \(\[images\] budget_kb\)`).MatchString(r.Stats.Warnings[0].Error()) {
		t.Errorf("warnings %v", r.Stats.Warnings)
	}
	r.Assert("bai-viet/a/index.html", "! image/webp", `200.jpg 200w`)
}

func TestImagesOffLeavesImagesAsTheyAre(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`-- site.toml --
title = "T"
base_url = "https://example.gov.vn/"
[images]
enabled = false
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
![ảnh](/a.jpg)
-- static/a.jpg --
not even a photo
`)
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	r.Assert("bai-viet/a/index.html", `<img src="/a.jpg" alt="ảnh">`, "! <picture>")
	if !r.Has("a.jpg") || r.Stats.ImagesDecoded != 0 {
		t.Error("with images off, the file is not copied as it is")
	}
}

// TestPreviewRebuildsFollowImageEdits rebuilds with the preview's cache:
// an unchanged image is neither read again nor rerendered, an edited one
// (same name, new bytes) gets new URLs, and every build equals a full one.
func TestPreviewRebuildsFollowImageEdits(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
![ảnh](/a.jpg)
-- content/b.md --
---
title: Tin B
date: 2024-01-02
region: Cần Thơ
---
Chữ.
`)
	stamp := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fsys["static/a.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(600, 400, 0), 90), ModTime: stamp}
	cache := site.NewCache()
	first, stats := buildWith(t, fsys, cache)
	sameSite(t, "first build", first, mustFull(t, fsys))
	if stats.ImagesDecoded != 1 {
		t.Fatalf("%d decodes", stats.ImagesDecoded)
	}

	appendTo(fsys, "content/b.md", "Thêm.\n")
	second, stats := buildWith(t, fsys, cache)
	sameSite(t, "unchanged image", second, mustFull(t, fsys))
	if stats.ImagesDecoded != 0 || stats.Rendered > 6 {
		t.Errorf("unchanged image: %d decodes, %d pages rendered", stats.ImagesDecoded, stats.Rendered)
	}

	fsys["static/a.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(500, 400, 0), 90), ModTime: stamp.Add(time.Second)}
	third, stats := buildWith(t, fsys, cache)
	sameSite(t, "edited image", third, mustFull(t, fsys))
	if stats.ImagesDecoded != 1 {
		t.Errorf("edited image: %d decodes", stats.ImagesDecoded)
	}
	before, _ := second.File("bai-viet/a/index.html")
	after, _ := third.File("bai-viet/a/index.html")
	if bytes.Equal(before, after) || !strings.Contains(string(after), `width="500" height="400"`) {
		t.Errorf("the page does not show the edited image:\n%s", after)
	}
}

// TestProcessedFiguresThumbnailsAndShareImage is the pipeline's version of
// TestImagesFiguresThumbnailsAndShareImage: a captioned photo becomes a
// figure holding its picture (an image from another site stays an <img>
// in its figure), cards show the smallest variant covering the thumbnail
// box, and pages without an image of their own share site.toml's image as
// a 1200-px JPEG. No original is published.
func TestProcessedFiguresThumbnailsAndShareImage(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`
-- site.toml --
title = "Bản tin"
base_url = "https://example.gov.vn/ban-tin/"
image = "/anh/chia-se.png"
-- content/a.md --
---
title: Hội nghị phát động
date: 2024-01-03
region: Cần Thơ
image: /anh/hoi-nghi.jpg
---
Đoạn đầu.

![Hội trường phông đỏ sao vàng](/anh/hoi-nghi.jpg)
*Quang cảnh Hội nghị.*

![Ảnh nhỏ](/anh/nho.jpg "Đại biểu dự lễ")

![Ảnh ngoài](https://cdn.example.vn/x.jpg)

*Ảnh của báo bạn.*
-- content/b.md --
---
title: Tin ảnh nhỏ
date: 2024-01-02
region: Cần Thơ
image: /anh/nho.jpg
---
Chữ.
-- content/c.md --
---
title: Tin không ảnh
date: 2024-01-01
region: Cần Thơ
---
Chữ.
`)
	fsys["static/anh/hoi-nghi.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(1600, 1200, 0), 85)}
	fsys["static/anh/nho.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(200, 150, 0), 85)}
	var share bytes.Buffer
	if err := png.Encode(&share, imagestest.Photo(1400, 735, 0)); err != nil {
		t.Fatal(err)
	}
	fsys["static/anh/chia-se.png"] = &fstest.MapFile{Data: share.Bytes()}
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	const h = `/ban-tin/_img/[0-9a-f]{16}/`
	sizes := regexp.QuoteMeta(images.DefaultSizes)
	page := r.File("bai-viet/a/index.html")
	for _, want := range []string{
		// Below the lead picture, the body's load lazily.
		"<figure>\n<picture><source type=\"image/webp\" srcset=\"" + h + `480.webp 480w, ` + h + `960.webp 960w, ` + h + `1600.webp 1600w" sizes="` + sizes + `">` +
			`<img src="` + h + `960.jpg" srcset="[^"]+" sizes="` + sizes + `" width="960" height="720" alt="Hội trường phông đỏ sao vàng" loading="lazy" decoding="async"></picture>` +
			"\n<figcaption>Quang cảnh Hội nghị.</figcaption>\n</figure>",
		// A title becomes the caption, not a title attribute.
		"<figure>\n<picture><source type=\"image/webp\" srcset=\"" + h + `200.webp 200w" sizes="` + sizes + `"><img src="` + h + `200.jpg" srcset="` + h + `200.jpg 200w" sizes="` + sizes + `" width="200" height="150" alt="Ảnh nhỏ" loading="lazy" decoding="async"></picture>` +
			"\n<figcaption>Đại biểu dự lễ</figcaption>\n</figure>",
		"<figure>\n<img src=\"https://cdn.example.vn/x.jpg\" alt=\"Ảnh ngoài\">\n<figcaption>Ảnh của báo bạn.</figcaption>\n</figure>",
		`<meta property="og:image" content="https://example.gov.vn` + h + `og-1200.jpg">`,
	} {
		if !regexp.MustCompile(want).MatchString(page) {
			t.Errorf("the article lacks %s:\n%s", want, page)
		}
	}
	if strings.Contains(page, `title="Đại biểu dự lễ"`) {
		t.Error("the caption is repeated as a title")
	}
	// Thumbnails: the 480-px variant covers 120×80 at twice its size; the
	// 200-px photo has nothing larger.
	home := r.File("index.html")
	for _, want := range []string{
		`<article class="card has-thumb">(?s:.*?)<picture><source type="image/webp" srcset="` + h + `480.webp"><img src="` + h + `480.jpg" width="120" height="80" alt="" class="thumb" loading="lazy" decoding="async"></picture>`,
		`<picture><source type="image/webp" srcset="` + h + `200.webp"><img src="` + h + `200.jpg" width="120" height="80" alt="" class="thumb" loading="lazy" decoding="async"></picture>`,
		`<meta property="og:image" content="https://example.gov.vn` + h + `og-1200.jpg">\n<meta property="og:image:width" content="1200">\n<meta property="og:image:height" content="630">`,
	} {
		if !regexp.MustCompile(want).MatchString(home) {
			t.Errorf("the home page lacks %s:\n%s", want, home)
		}
	}
	r.Assert("bai-viet/c/index.html", `<meta property="og:image:height" content="630">`)
	// Of the share image, only the JPEG for link previews is published.
	shareDir := regexp.MustCompile(`_img/[0-9a-f]{16}/og-1200.jpg`).FindString(home)
	for _, name := range r.Out.Names() {
		if strings.HasPrefix(name, path.Dir(shareDir)+"/") && name != shareDir {
			t.Errorf("published %s, which no page shows", name)
		}
	}
	for _, name := range []string{"anh/hoi-nghi.jpg", "anh/nho.jpg", "anh/chia-se.png"} {
		if r.Has(name) {
			t.Errorf("the original %s was published", name)
		}
	}
	if broken := r.BrokenLinks(); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
	// check finds the share image published, though not as written.
	cfg, _ := config.Load(fsys)
	if _, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now}, CheckLinks: true,
	}, output.NewMemory()); err != nil {
		t.Errorf("check: %v", err)
	}
}

// TestImagesAreReadBounded: images are read like every source file,
// through internal/input: one over max_bytes is refused at its use without
// being read whole. (Pipes and devices never get this far: the walks of
// static/ and content/ refuse them.)
func TestImagesAreReadBounded(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`-- site.toml --
title = "T"
base_url = "https://example.gov.vn/"
[images]
max_bytes = 2000
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
image: /anh/lon.jpg
---
Nhỏ: ![nhỏ](/anh/nho.jpg)
`)
	fsys["static/anh/lon.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(300, 200, 0), 90)}
	fsys["static/anh/nho.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(8, 8, 0), 90)}
	_, err := sitetest.BuildFS(t, fsys)
	want := []string{fmt.Sprintf("content/a.md:5:8: image /anh/lon.jpg (static/anh/lon.jpg) is %d bytes, over the limit of 2000 bytes ([images] max_bytes); scale it down or export it smaller", len(fsys["static/anh/lon.jpg"].Data))}
	if got := sitetest.Problems(err); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLayoutImagesArePublishedAsTheyAre: a raster a layout shows is copied
// as it is, but not when an article shows it too (only its processed files
// are published then), and check says so at the layouts.
func TestLayoutImagesArePublishedAsTheyAre(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
![Biểu trưng](/anh/chung.jpg)
-- layouts/404.html --
{{define "main"}}<img src="{{url "anh/rieng.jpg"}}" alt=""><img src="{{url "anh/chung.jpg"}}" alt="">{{end}}
`)
	photo := imagestest.JPEG(t, imagestest.Photo(64, 48, 0), 90)
	fsys["static/anh/rieng.jpg"] = &fstest.MapFile{Data: photo}
	fsys["static/anh/chung.jpg"] = &fstest.MapFile{Data: photo}
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := r.Out.File("anh/rieng.jpg"); !bytes.Equal(data, photo) || r.Has("anh/chung.jpg") {
		t.Errorf("published anh/rieng.jpg: %v, anh/chung.jpg: %v; want the layout's own only", r.Has("anh/rieng.jpg"), r.Has("anh/chung.jpg"))
	}
	cfg, _ := config.Load(fsys)
	_, err = site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now}, CheckLinks: true,
	}, output.NewMemory())
	want := []string{"layouts: link /anh/chung.jpg (first on /404.html) leads to /anh/chung.jpg, which the site does not have"}
	if got := sitetest.Problems(err); !slices.Equal(got, want) {
		t.Errorf("check:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
