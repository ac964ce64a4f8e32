package site

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/output"
)

// inputsSite is a site of a dozen articles, two of them in a campaign
// whose status depends on the day of the build.
func inputsSite() fstest.MapFS {
	fsys := fstest.MapFS{
		"site.toml": {Data: []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\npage_size = 4\n")},
	}
	for i := range 12 {
		period := ""
		if i < 2 {
			period = "period: {start: 2025-01, end: 2025-03}\nslogan: Thi đua mùa xuân\n"
		}
		fsys[fmt.Sprintf("content/a%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Tin số %d\ndate: 2024-%02d-01\nregion: Cần Thơ\ntopics: [Chủ đề %d]\n%s---\nĐoạn đầu của tin %d.\n", i, 1+i%12, i%3, period, i))}
	}
	return fsys
}

func buildOn(t *testing.T, fsys fstest.MapFS, cache *Cache, day time.Time) (*output.Memory, *Stats) {
	t.Helper()
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemory()
	stats, err := Build(context.Background(), &cfg, Options{
		Site: fsys, Theme: bantin.Theme(), Cache: cache, Content: content.Options{Now: day},
	}, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, stats
}

// TestUnchangedArticlePagesAreNotMadeAgain edits one article's body: the
// other article pages, made of the same inputs as before, are taken from
// the cache without being made and fingerprinted, and the site equals a
// build from scratch.
func TestUnchangedArticlePagesAreNotMadeAgain(t *testing.T) {
	t.Parallel()
	fsys := inputsSite()
	day := time.Date(2025, 2, 1, 8, 0, 0, 0, time.UTC)
	cache := NewCache()
	buildOn(t, fsys, cache, day)
	a := fsys["content/a05.md"]
	fsys["content/a05.md"] = &fstest.MapFile{Data: append(bytes.Clone(a.Data), "\nĐoạn cuối mới.\n"...)}
	cache.fingerprinted.Store(0)
	got, stats := buildOn(t, fsys, cache, day)
	want, _ := buildOn(t, fsys, nil, day)
	sameOutput(t, "body edit", got, want)
	lists := int64(stats.Pages - stats.Articles)
	if n := cache.fingerprinted.Load(); n > lists+1 {
		t.Errorf("fingerprinted %d pages, want at most the %d list pages and the edited article's", n, lists)
	}
}

// TestArticlePagesFollowTheDay builds on the day a campaign runs and
// again after it ended, with nothing else changed: the campaign's article
// pages show its new status, as in a build from scratch.
func TestArticlePagesFollowTheDay(t *testing.T) {
	t.Parallel()
	fsys := inputsSite()
	cache := NewCache()
	during := time.Date(2025, 2, 1, 8, 0, 0, 0, time.UTC)
	buildOn(t, fsys, cache, during)
	after := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	got, _ := buildOn(t, fsys, cache, after)
	want, _ := buildOn(t, fsys, nil, after)
	before, _ := buildOn(t, fsys, nil, during)
	page := "bai-viet/a00/index.html"
	old, ok := before.File(page)
	now, _ := want.File(page)
	if !ok || bytes.Equal(old, now) {
		t.Fatalf("%s is the same during and after the campaign: the test shows nothing", page)
	}
	sameOutput(t, "a later day", got, want)
}

// sameOutput fails unless two builds wrote the same files.
func sameOutput(t *testing.T, step string, got, want *output.Memory) {
	t.Helper()
	g, w := got.Names(), want.Names()
	if fmt.Sprint(g) != fmt.Sprint(w) {
		t.Fatalf("%s: the cached build wrote other files than a full build", step)
	}
	for _, n := range w {
		a, _ := got.File(n)
		b, _ := want.File(n)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: %s differs from a full build", step, n)
		}
	}
}
