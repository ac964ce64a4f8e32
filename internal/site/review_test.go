package site_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/images/imagestest"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

// reviewSite is a site of n articles whose lists have older pages, whose
// articles share topics, places of one hierarchy, units, authors and two
// campaigns, so that each article page shows related articles.
func reviewSite(t *testing.T, n int) fstest.MapFS {
	fsys := sitetest.FS(`-- site.toml --
title = "Bản tin thử"
base_url = "https://example.gov.vn/"
page_size = 3

[[taxonomies]]
key = "unit"
path = "don-vi"
name = "Đơn vị"
`)
	regions := []string{"Vị Thanh", "Ngã Bảy", "Cần Thơ", "Hậu Giang"}
	for k := 1; k <= n; k++ {
		topics := "[Thi đua]"
		switch {
		case k%3 == 0:
			topics = "[Thi đua, Khen thưởng]"
		case k%5 == 0:
			topics = "[Khen thưởng]"
		}
		campaign := ""
		switch {
		case k%4 == 0:
			campaign = "slogan: Về đích sớm\nperiod: {start: 2026-01, end: 2026-11}\n"
		case k%7 == 0:
			campaign = "slogan: Chung sức\nperiod: \"2026\"\n"
		}
		fsys[fmt.Sprintf("content/tin-%02d.md", k)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: Tin số %d\ndate: 2026-%02d-%02d\nregion: %s\ntopics: %s\nunit: Sở %d\nauthor: Tác giả %d\n%s---\nĐoạn đầu của tin %d.\n\nĐoạn sau của tin %d.\n",
			k, 1+k%10, 1+k%27, regions[k%len(regions)], topics, k%3, k%2, campaign, k, k)}
	}
	// Published only once the day moves past it.
	fsys["content/sap-toi.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin sắp tới\ndate: 2026-11-30\nregion: Ngã Bảy\ntopics: [Thi đua]\nunit: Sở 1\n---\nSắp tới.\n")}
	fsys["static/images/anh.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(96, 64, 1), 80)}
	fsys["static/images/hinh.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(80, 60, 2), 80)}
	replaceAllIn(t, fsys, "content/tin-06.md", "unit: Sở 0\n", "unit: Sở 0\nimage: /images/anh.jpg\n")
	return fsys
}

// diskBuildAt builds fsys into dest on disk, with the persistent cache in
// cacheDir (none when ""), on the given day, as bantin build does.
func diskBuildAt(t *testing.T, fsys fstest.MapFS, dest, cacheDir string, opts content.Options) {
	t.Helper()
	if err := tryDiskBuildAt(t, fsys, dest, cacheDir, opts); err != nil {
		t.Fatal(err)
	}
}

// tryDiskBuildAt is diskBuildAt, returning the build's error: then, as
// bantin build does, it saves neither the cache nor the site.
func tryDiskBuildAt(t *testing.T, fsys fstest.MapFS, dest, cacheDir string, opts content.Options) error {
	t.Helper()
	cfg, err := config.Load(fsys)
	if err != nil {
		return err
	}
	out, err := output.OpenGenerations(dest)
	if err != nil {
		t.Fatal(err)
	}
	var cache *site.Cache
	if cacheDir != "" {
		var notice string
		if cache, notice = site.OpenCache(cacheDir, &cfg, "test"); cache == nil {
			t.Fatal(notice)
		}
	}
	if _, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Cache: cache,
		Content: opts,
	}, out); err != nil {
		out.Abort()
		cache.Release()
		return err
	}
	if cache != nil {
		if err := cache.Save(&cfg); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return nil
}

// memoryBuildAt builds fsys into memory with cache on the given day, as
// the preview does, and returns its files.
func memoryBuildAt(t *testing.T, fsys fstest.MapFS, cache *site.Cache, opts content.Options) (map[string][]byte, error) {
	t.Helper()
	cfg, err := config.Load(fsys)
	if err != nil {
		return nil, err
	}
	out := output.NewMemory()
	if _, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Cache: cache,
		Content: opts,
	}, out); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, n := range out.Names() {
		files[n], _ = out.File(n)
	}
	return files, nil
}

// diskTree reads every file under dir, by slash path, but the marker of
// a folder bantin writes.
func diskTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		if rel != output.Marker {
			files[filepath.ToSlash(rel)] = b
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// treeDifferences lists the files that differ between two trees.
func treeDifferences(got, want map[string][]byte) []string {
	var out []string
	for n, w := range want {
		g, ok := got[n]
		switch {
		case !ok:
			out = append(out, "missing "+n)
		case !bytes.Equal(g, w):
			out = append(out, "differs "+n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			out = append(out, "extra "+n)
		}
	}
	sort.Strings(out)
	return out
}

// TestReviewCachedRebuildsEqualCleanBuilds applies, one at a time, edits
// whose effect reaches pages other than the edited article's (related
// articles' windows, older list pages' cards, campaigns, the day) to a
// site built on disk with a persistent cache, and checks after each that
// the cached build writes byte for byte what a clean build writes, and
// that the edit changed the site (else the step tests nothing).
func TestReviewCachedRebuildsEqualCleanBuilds(t *testing.T) {
	t.Parallel()
	// On disk, as bantin build does, and in memory, as the preview does.
	// The preview shows drafts too.
	for _, mode := range []struct {
		name           string
		onDisk, drafts bool
	}{{"disk", true, false}, {"memory", false, false}, {"memory with drafts", false, true}} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			reviewCachedRebuilds(t, mode.onDisk, mode.drafts)
		})
	}
}

func reviewCachedRebuilds(t *testing.T, onDisk, drafts bool) {
	fsys := reviewSite(t, 32)
	dest, cacheDir := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "cache")
	now := sitetest.Now
	memoryCache := site.NewCache()
	// cached builds the site with the cache and returns its files.
	themeFile := func(name string) []byte {
		t.Helper()
		b, err := fs.ReadFile(bantin.Theme(), name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	override := func(name, old, new string) {
		t.Helper()
		b, ok := fsys[name]
		data := themeFile(name)
		if ok {
			data = b.Data
		}
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%s has no %q", name, old)
		}
		fsys[name] = &fstest.MapFile{Data: bytes.Replace(data, []byte(old), []byte(new), 1)}
	}
	tryCached := func() (map[string][]byte, error) {
		t.Helper()
		opts := content.Options{Now: now, Drafts: drafts}
		if onDisk {
			if err := tryDiskBuildAt(t, fsys, dest, cacheDir, opts); err != nil {
				return nil, err
			}
			return diskTree(t, dest), nil
		}
		return memoryBuildAt(t, fsys, memoryCache, opts)
	}
	cached := func() map[string][]byte {
		t.Helper()
		files, err := tryCached()
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	// failing makes an edit that fails a cached build, then undoes it.
	failing := func(name, old, new string) {
		t.Helper()
		data, ok := fsys[name]
		if ok {
			replaceAllIn(t, fsys, name, old, new)
		} else {
			override(name, old, new)
		}
		if _, err := tryCached(); err == nil {
			t.Fatalf("editing %s to %q: the build did not fail", name, new)
		}
		if ok {
			fsys[name] = data
		} else {
			delete(fsys, name)
		}
	}
	steps := []struct {
		name string
		edit func()
	}{
		{"first build", func() {}},
		{"nothing changed", func() {}},
		{"nothing changed again", func() {}},
		{"a date moved across its neighbours", func() { replaceAllIn(t, fsys, "content/tin-12.md", "date: 2026-03-13", "date: 2026-09-02") }},
		{"a topic removed", func() {
			replaceAllIn(t, fsys, "content/tin-09.md", "topics: [Thi đua, Khen thưởng]", "topics: [Khen thưởng]")
		}},
		{"a draft in the middle", func() { replaceAllIn(t, fsys, "content/tin-14.md", "author:", "draft: true\nauthor:") }},
		{"a deleted article", func() { delete(fsys, "content/tin-17.md") }},
		{"a slug", func() {
			replaceAllIn(t, fsys, "content/tin-16.md", "title: Tin số 16\n", "title: Tin số 16\nslug: tin-16-moi\n")
		}},
		{"a summary", func() { replaceAllIn(t, fsys, "content/tin-02.md", "author:", "summary: Tóm tắt mới\nauthor:") }},
		{"a first paragraph", func() {
			replaceAllIn(t, fsys, "content/tin-03.md", "Đoạn đầu của tin 3.", "Đoạn đầu đã sửa của tin 3.")
		}},
		{"an author", func() { replaceAllIn(t, fsys, "content/tin-05.md", "author: Tác giả 1", "author: Tác giả Mới") }},
		{"a period", func() { replaceAllIn(t, fsys, "content/tin-08.md", "end: 2026-11", "end: 2026-12") }},
		{"a slogan", func() {
			replaceAllIn(t, fsys, "content/tin-07.md", "slogan: Chung sức", "slogan: Chung sức đồng lòng")
		}},
		{"a lead image changed", func() { replaceAllIn(t, fsys, "content/tin-06.md", "/images/anh.jpg", "/images/hinh.jpg") }},
		{"a lead image's pixels", func() {
			fsys["static/images/hinh.jpg"] = &fstest.MapFile{Data: imagestest.JPEG(t, imagestest.Photo(80, 60, 9), 80)}
		}},
		{"the site's title", func() { replaceAllIn(t, fsys, "site.toml", `title = "Bản tin thử"`, `title = "Bản tin mới"`) }},
		{"the page size", func() { replaceAllIn(t, fsys, "site.toml", "page_size = 3", "page_size = 4") }},
		{"the base URL", func() { replaceAllIn(t, fsys, "site.toml", "https://example.gov.vn/", "https://tin.example.gov.vn/") }},
		{"the card partial", func() {
			b, ok := bantin.Theme().(fs.ReadFileFS)
			if !ok {
				t.Fatal("the theme cannot read files")
			}
			card, err := b.ReadFile("layouts/partials/card.html")
			if err != nil {
				t.Fatal(err)
			}
			fsys["layouts/partials/card.html"] = &fstest.MapFile{Data: bytes.Replace(card, []byte(`<p class="summary">`), []byte(`<p class="summary tom-tat">`), 1)}
		}},
		{"the day past a campaign's end", func() { now = now.AddDate(0, 0, 12) }},
		{"nothing changed after all that", func() {}},
		{"nothing changed once more", func() {}},
	}
	steps = append(steps, []struct {
		name string
		edit func()
	}{
		{"two articles on one day", func() { replaceAllIn(t, fsys, "content/tin-21.md", "date: 2026-02-22", "date: 2026-03-23") }},
		{"a slug that reorders a day's articles", func() {
			replaceAllIn(t, fsys, "content/tin-22.md", "title: Tin số 22\n", "title: Tin số 22\nslug: aa-tin-22\n")
		}},
		{"a renamed file", func() {
			fsys["content/tin-10-moi.md"] = fsys["content/tin-10.md"]
			delete(fsys, "content/tin-10.md")
		}},
		{"the time zone", func() { replaceAllIn(t, fsys, "site.toml", "page_size = 4\n", "page_size = 4\ntime_zone = \"UTC\"\n") }},
		{"counts on article pages", func() {
			override("layouts/article.html", "{{.Name}}</a></li>{{end}}", "{{.Name}} ({{.Count}})</a></li>{{end}}")
		}},
		{"an old article of a counted topic", func() {
			fsys["content/cu.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin cũ\ndate: 2025-06-01\nregion: Cần Thơ\ntopics: [Khen thưởng]\nunit: Sở 2\n---\nCũ.\n")}
		}},
		{"counts on cards", func() {
			override("layouts/partials/card.html", "{{range .Links}} · <a href=\"{{.URL}}\">{{.Name}}</a>", "{{range .Links}} · <a href=\"{{.URL}}\">{{.Name}} {{.Count}}</a>")
		}},
		{"another old article of a unit", func() {
			fsys["content/cu-2.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin cũ hai\ndate: 2025-05-01\nregion: Vị Thanh\ntopics: [Thi đua]\nunit: Sở 2\n---\nCũ hai.\n")}
		}},
		// Texts of every article rendered again, twice: the texts file's
		// dead records outweigh the live ones, and the save compacts it.
		{"every body", func() { replaceAllIn(t, fsys, "content/tin-", "Đoạn sau của", "Đoạn sau nữa của") }},
		{"every body again", func() { replaceAllIn(t, fsys, "content/tin-", "Đoạn sau nữa của", "Đoạn cuối của") }},
		{"one body after compaction", func() { replaceAllIn(t, fsys, "content/tin-04.md", "Đoạn cuối của", "Phần cuối của") }},
		{"a body back as it was", func() { replaceAllIn(t, fsys, "content/tin-04.md", "Phần cuối của", "Đoạn cuối của") }},
		{"two bodies alike", func() {
			fsys["content/tin-25.md"] = &fstest.MapFile{Data: bytes.Replace(fsys["content/tin-25.md"].Data, []byte("Đoạn đầu của tin 25.\n\nĐoạn cuối của tin 25."), []byte("Đoạn đầu của tin 26.\n\nĐoạn cuối của tin 26."), 1)}
		}},
		{"one of two bodies alike", func() {
			replaceAllIn(t, fsys, "content/tin-26.md", "Đoạn cuối của tin 26.", "Đoạn khác của tin 26.")
		}},
		{"an article deleted and written again", func() {
			data := fsys["content/tin-27.md"].Data
			delete(fsys, "content/tin-27.md")
			cached()
			fsys["content/tin-27.md"] = &fstest.MapFile{Data: bytes.Replace(data, []byte("Đoạn đầu"), []byte("Đoạn mở đầu"), 1)}
		}},
		{"a title of the same length", func() { replaceAllIn(t, fsys, "content/tin-11.md", "title: Tin số 11", "title: Tin số 99") }},
		// A failed build saves nothing; the next build after the fix
		// equals a clean one.
		{"a build failed by a card, then fixed", func() {
			failing("layouts/partials/card.html", "<article class=", "{{if eq .Title \"Tin số 5\"}}{{.Nope}}{{end}}<article class=")
			replaceAllIn(t, fsys, "content/tin-05.md", "Đoạn đầu của tin 5.", "Đoạn đầu mới của tin 5.")
		}},
		{"nothing changed after a failed build", func() {
			failing("layouts/partials/card.html", "<article class=", "{{if eq .Title \"Tin số 7\"}}{{.Nope}}{{end}}<article class=")
			failing("layouts/article.html", "<h1>", "{{if eq .Card.Title \"Tin số 8\"}}{{.Nope}}{{end}}<h1>")
		}},
		{"a build failed by an article, then fixed", func() {
			failing("content/tin-13.md", "title: Tin số 13\n", "title: [Tin số 13\n")
			replaceAllIn(t, fsys, "content/tin-13.md", "title: Tin số 13\n", "title: Tin số mười ba\n")
		}},
		{"a region in another province", func() { replaceAllIn(t, fsys, "content/tin-15.md", "region: Hậu Giang", "region: Sóc Trăng") }},
		{"a place of the site's own", func() {
			fsys["data/regions.toml"] = &fstest.MapFile{Data: []byte("[vung-moi]\nname = \"Vùng Mới\"\nkind = \"xã\"\nparent = \"nga-bay\"\n")}
			replaceAllIn(t, fsys, "content/tin-18.md", "region: Cần Thơ", "region: Vùng Mới")
			replaceAllIn(t, fsys, "content/tin-19.md", "region: Hậu Giang", "region: Vùng Mới")
		}},
		{"the place's parent", func() { replaceAllIn(t, fsys, "data/regions.toml", "parent = \"nga-bay\"", "parent = \"vi-thanh\"") }},
		// Texts rendered while the search is off must reach its index
		// once it is on again.
		{"search off", func() {
			replaceAllIn(t, fsys, "site.toml", "[[taxonomies]]", "[search]\nenabled = false\n\n[[taxonomies]]")
		}},
		{"a body while search is off", func() {
			replaceAllIn(t, fsys, "content/tin-23.md", "Đoạn cuối của tin 23.", "Đoạn cuối khác của tin 23.")
		}},
		{"an article while search is off", func() {
			fsys["content/khi-tat.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin khi tắt\ndate: 2026-04-10\nregion: Cần Thơ\ntopics: [Thi đua]\nunit: Sở 2\n---\nViết khi tắt tìm kiếm.\n")}
		}},
		{"search on", func() { replaceAllIn(t, fsys, "site.toml", "enabled = false", "enabled = true") }},
		{"a date that names another place", func() { replaceAllIn(t, fsys, "content/tin-01.md", "date: 2026-02-02", "date: 2023-02-02") }},
		{"feeds of whole articles", func() {
			replaceAllIn(t, fsys, "site.toml", "[[taxonomies]]", "[feeds]\nfull_content = true\n\n[[taxonomies]]")
		}},
		{"raw HTML", func() {
			replaceAllIn(t, fsys, "content/tin-24.md", "Đoạn đầu của tin 24.", "Đoạn <em>đầu</em> của tin 24.")
			replaceAllIn(t, fsys, "site.toml", "[[taxonomies]]", "[markdown]\nunsafe_html = true\n\n[[taxonomies]]")
		}},
		{"a base path", func() {
			replaceAllIn(t, fsys, "site.toml", "https://tin.example.gov.vn/", "https://example.gov.vn/ban-tin/")
		}},
		{"the articles' path and the pages'", func() {
			replaceAllIn(t, fsys, "site.toml", "[[taxonomies]]", "[paths]\narticles = \"tin\"\npage = \"p\"\n\n[[taxonomies]]")
		}},
		{"the language", func() { replaceAllIn(t, fsys, "site.toml", "page_size = 4\n", "page_size = 4\nlanguage = \"en\"\n") }},
		{"nothing changed at the end", func() {}},
	}...)
	var last map[string][]byte
	for _, s := range steps {
		s.edit()
		got := cached()
		opts := content.Options{Now: now, Drafts: drafts}
		clean := filepath.Join(t.TempDir(), "clean")
		diskBuildAt(t, fsys, clean, "", opts)
		want := diskTree(t, clean)
		if diff := treeDifferences(got, want); len(diff) > 0 {
			t.Errorf("%s: the cached build differs from a clean build:\n%s", s.name, strings.Join(diff, "\n"))
		}
		if last != nil && !strings.HasPrefix(s.name, "nothing") && len(treeDifferences(got, last)) == 0 {
			t.Errorf("%s: the site did not change: the step tests nothing", s.name)
		}
		if testing.Verbose() && last != nil {
			t.Logf("%s: changed %v", s.name, treeDifferences(got, last))
		}
		last = want
	}
}

// TestReviewCachedRebuildsAcrossAMerger moves the day of cached builds
// across 1 July 2025, when Hậu Giang went into Cần Thơ: the trails of
// places, the region pages and the article pages that show them must be
// those of a clean build on each day.
func TestReviewCachedRebuildsAcrossAMerger(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(`-- site.toml --
title = "Bản tin thử"
base_url = "https://example.gov.vn/"
page_size = 2
`)
	regions := []string{"Vị Thanh", "Ngã Bảy", "Hậu Giang", "Sóc Trăng", "Long Mỹ"}
	for k := 1; k <= 12; k++ {
		fsys[fmt.Sprintf("content/tin-%02d.md", k)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: Tin số %d\ndate: 2025-%02d-%02d\nregion: %s\ntopics: [Thi đua]\nperiod: {start: 2025-01, end: 2025-12}\n---\nTin %d.\n",
			k, 1+k%6, 1+k, regions[k%len(regions)], k)}
	}
	dest, cacheDir := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "cache")
	memoryCache := site.NewCache()
	var last map[string][]byte
	for _, day := range []time.Time{
		time.Date(2025, 6, 29, 8, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC), // 1 July in Việt Nam
		time.Date(2025, 6, 29, 8, 0, 0, 0, time.UTC),
	} {
		diskBuildAt(t, fsys, dest, cacheDir, content.Options{Now: day})
		clean := filepath.Join(t.TempDir(), "clean")
		diskBuildAt(t, fsys, clean, "", content.Options{Now: day})
		want := diskTree(t, clean)
		if diff := treeDifferences(diskTree(t, dest), want); len(diff) > 0 {
			t.Errorf("%s: the cached build on disk differs from a clean build:\n%s", day, strings.Join(diff, "\n"))
		}
		inMemory, err := memoryBuildAt(t, fsys, memoryCache, content.Options{Now: day})
		if err != nil {
			t.Fatal(err)
		}
		if diff := treeDifferences(inMemory, want); len(diff) > 0 {
			t.Errorf("%s: the cached build in memory differs from a clean build:\n%s", day, strings.Join(diff, "\n"))
		}
		if last != nil && len(treeDifferences(want, last)) == 0 {
			t.Errorf("%s: the site did not change: the step tests nothing", day)
		}
		last = want
	}
}
