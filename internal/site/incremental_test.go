package site_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
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
		// 70: the archive of all articles (/bai-viet/) shows the card too,
		// and so do the pages of Hậu Giang and Cần Thơ, which list the
		// articles of every place inside them.
		{"region change", func() { replaceIn(fsys, "content/extra/x05.md", "region: Vị Thanh", "region: Ngã Bảy") }, 70},
		{"new article", func() {
			fsys["content/extra/moi.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin mới\ndate: 2026-11-01\nregion: Cần Thơ\n---\nMới.\n")}
		}, 61},
		{"deleted article", func() { delete(fsys, "content/extra/x07.md") }, 75},
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

// TestCachedRebuildFollowsTaxonomyDeclarations edits the taxonomies in
// site.toml as a preview session would: a field the site does not declare
// yet fails the build, declaring it fixes the build with the file
// unchanged, and every rebuild equals a build from scratch.
func TestCachedRebuildFollowsTaxonomyDeclarations(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(threeFormats)
	fsys["content/unit.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin đơn vị\ndate: 2024-02-01\nregion: Cần Thơ\nunit: Sở Y tế\n---\nNội dung.\n")}
	cache := site.NewCache()
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	_, err = site.Build(context.Background(), &cfg, site.Options{Site: fsys, Theme: bantin.Theme(), Cache: cache, Content: content.Options{Now: sitetest.Now}}, output.NewMemory())
	if got := strings.Join(sitetest.Problems(err), "\n"); !strings.HasPrefix(got, `content/unit.md:5:1: unknown field "unit"`) {
		t.Fatalf("undeclared unit: %s", got)
	}
	for _, s := range []struct {
		name string
		edit func()
		want string // a file the rebuild must write
	}{
		{"declare unit", func() {
			appendTo(fsys, "site.toml", "\n[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\npath = \"don-vi\"\nfeed = true\n")
		}, "don-vi/so-y-te/atom.xml"},
		{"move unit", func() { replaceIn(fsys, "site.toml", `path = "don-vi"`, `path = "co-quan"`) }, "co-quan/so-y-te/index.html"},
		{"turn the region off", func() {
			appendTo(fsys, "site.toml", "\n[[taxonomies]]\nkey = \"region\"\nenabled = false\n")
			for name, f := range fsys {
				if strings.HasPrefix(name, "content/") {
					fsys[name] = &fstest.MapFile{Data: []byte(regionLine.ReplaceAllString(string(f.Data), ""))}
				}
			}
		}, "co-quan/index.html"},
	} {
		s.edit()
		got, _ := buildWith(t, fsys, cache)
		sameSite(t, s.name, got, mustFull(t, fsys))
		if _, ok := got.File(s.want); !ok {
			t.Errorf("%s: no %s", s.name, s.want)
		}
	}
}

var regionLine = regexp.MustCompile(`(?m)^\s*"?region"?\s*[:=].*\n`)
