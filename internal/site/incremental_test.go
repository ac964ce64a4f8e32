package site_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

func buildWith(t *testing.T, fsys fstest.MapFS, cache *site.Cache) (*output.Memory, *site.Stats) {
	t.Helper()
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemory()
	stats, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Cache: cache,
		Content: content.Options{Now: sitetest.Now},
	}, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, stats
}

func sameSite(t *testing.T, step string, got, want *output.Memory) {
	t.Helper()
	g, w := got.Names(), want.Names()
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Fatalf("%s: cached build wrote other files than a full build:\n%v\n%v", step, g, w)
	}
	for _, n := range w {
		a, _ := got.File(n)
		b, _ := want.File(n)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: %s differs from a full build", step, n)
		}
	}
}

// TestCachedRebuildsEqualFullBuilds edits a site the ways an editor does
// and checks, after every edit, that a rebuild reusing the cache writes
// exactly what a build from scratch writes, and that it rerendered few pages.
func TestCachedRebuildsEqualFullBuilds(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(threeFormats)
	for i := range 12 {
		fsys[fmt.Sprintf("content/extra/x%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Tin thêm %d\ndate: 2022-0%d-01\nregion: Vị Thanh\ntopics: [Chủ đề %d]\n---\nĐoạn %d.\n", i, 1+i%9, i%3, i))}
	}
	cache := site.NewCache()
	first, stats := buildWith(t, fsys, cache)
	sameSite(t, "first build", first, mustFull(t, fsys))
	if stats.Rendered != stats.Pages {
		t.Fatalf("first build reused %d pages from an empty cache", stats.Pages-stats.Rendered)
	}

	steps := []struct {
		name string
		edit func()
		// most is the most pages the rebuild may render again.
		most int
	}{
		{"nothing changed", func() {}, 0},
		{"body edit", func() { appendTo(fsys, "content/extra/x03.md", "\nThêm một câu.\n") }, 3},
		{"title edit", func() { replaceIn(fsys, "content/extra/x04.md", "Tin thêm 4", "Tin thêm bốn") }, 20},
		// 55: the archive of all articles (/bai-viet/) shows the card too.
		{"region change", func() { replaceIn(fsys, "content/extra/x05.md", "region: Vị Thanh", "region: Ngã Bảy") }, 55},
		{"new article", func() {
			fsys["content/extra/moi.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin mới\ndate: 2026-11-01\nregion: Cần Thơ\n---\nMới.\n")}
		}, 61},
		{"deleted article", func() { delete(fsys, "content/extra/x07.md") }, 60},
		{"link to another file", func() { appendTo(fsys, "content/extra/x08.md", "\n[xem](x09.md)\n") }, 3},
		{"renamed target", func() {
			fsys["content/extra/x09b.md"] = fsys["content/extra/x09.md"]
			delete(fsys, "content/extra/x09.md")
			replaceIn(fsys, "content/extra/x08.md", "(x09.md)", "(x09b.md)")
		}, 60},
		{"layout change", func() {
			fsys["layouts/partials/footer.html"] = &fstest.MapFile{Data: []byte(`<footer>Chân trang mới</footer>`)}
		}, 1000},
		{"site.toml change", func() { replaceIn(fsys, "site.toml", "page_size = 2", "page_size = 3") }, 1000},
	}
	for _, s := range steps {
		s.edit()
		got, stats := buildWith(t, fsys, cache)
		sameSite(t, s.name, got, mustFull(t, fsys))
		if stats.Rendered > s.most {
			t.Errorf("%s: rendered %d of %d pages again, want at most %d", s.name, stats.Rendered, stats.Pages, s.most)
		}
	}
}

func mustFull(t *testing.T, fsys fstest.MapFS) *output.Memory {
	t.Helper()
	out, _ := buildWith(t, fsys, nil)
	return out
}

func appendTo(fsys fstest.MapFS, name, text string) {
	fsys[name] = &fstest.MapFile{Data: append(bytes.Clone(fsys[name].Data), text...)}
}

func replaceIn(fsys fstest.MapFS, name, old, new string) {
	fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys[name].Data), old, new, 1))}
}
