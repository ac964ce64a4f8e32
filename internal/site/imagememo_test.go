package site

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/images/imagestest"
	"github.com/bantin/bantin/internal/output"
)

// TestDiskCacheKeepsNoImagesInMemory: a build with a cache on disk lets
// each processed image's bytes go once written, as a build without a cache
// does; only the preview's cache keeps them for its next build.
func TestDiskCacheKeepsNoImagesInMemory(t *testing.T) {
	t.Parallel()
	photo := imagestest.JPEG(t, imagestest.Photo(96, 64, 3), 80)
	fsys := fstest.MapFS{
		"site.toml":           {Data: []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n")},
		"content/a.md":        {Data: []byte("---\ntitle: Tin có ảnh\ndate: 2024-05-01\nregion: Cần Thơ\nimage: /images/a.jpg\n---\nĐoạn đầu.\n\n![Ảnh](/images/b.jpg)\n"), ModTime: time.Unix(1e9, 0)},
		"static/images/a.jpg": {Data: photo, ModTime: time.Unix(1e9, 0)},
		"static/images/b.jpg": {Data: photo, ModTime: time.Unix(1e9, 0)},
	}
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	build := func(cache *Cache) int {
		t.Helper()
		if _, err := Build(context.Background(), &cfg, Options{
			Site: fsys, Theme: bantin.Theme(), Cache: cache,
			Content: content.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
		}, output.NewMemory()); err != nil {
			t.Fatal(err)
		}
		cache.images.mu.Lock()
		defer cache.images.mu.Unlock()
		return len(cache.images.entries)
	}
	if n := build(NewCache()); n != 2 {
		t.Fatalf("the preview's cache remembers %d images, want 2", n)
	}
	disk, notice := OpenCache(t.TempDir(), &cfg, "test")
	if disk == nil {
		t.Fatal(notice)
	}
	defer disk.Release()
	if n := build(disk); n != 0 {
		t.Errorf("a cache on disk keeps %d processed images in memory, want none", n)
	}
}
