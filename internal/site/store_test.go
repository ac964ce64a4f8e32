package site_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

// TestCacheOfAnotherVersionIsIgnored saves a cache as one version of
// bantin and opens it as another: the second starts empty and says why,
// and a third build of the first version finds the second's cache.
func TestCacheOfAnotherVersionIsIgnored(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(threeFormats)
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	build := func(version string) string {
		t.Helper()
		cache, notice := site.OpenCache(dir, &cfg, version)
		if cache == nil {
			t.Fatalf("no cache: %s", notice)
		}
		if _, err := site.Build(context.Background(), &cfg, site.Options{
			Site: fsys, Theme: bantin.Theme(), Cache: cache, Content: content.Options{Now: sitetest.Now},
		}, output.NewMemory()); err != nil {
			t.Fatal(err)
		}
		if err := cache.Save(&cfg); err != nil {
			t.Fatal(err)
		}
		return notice
	}
	if notice := build("1.0"); notice != "" {
		t.Fatalf("first build: %s", notice)
	}
	if notice := build("1.0"); notice != "" {
		t.Fatalf("same version: %s", notice)
	}
	notice := build("1.1")
	if !strings.Contains(notice, "ignoring the build cache") || !strings.Contains(notice, "it was written by bantin 1.0, not 1.1") || strings.Contains(notice, "\n") {
		t.Fatalf("another version: %q", notice)
	}
	if info, err := os.Stat(filepath.Join(dir, "build.bin")); err != nil || info.Size() == 0 {
		t.Fatalf("the cache of 1.1 was not saved: %v", err)
	}
}

// TestHeldCacheIsNotOpened checks that a second build does not use a
// cache folder another holds, and says so.
func TestHeldCacheIsNotOpened(t *testing.T) {
	t.Parallel()
	fsys := sitetest.FS(threeFormats)
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first, notice := site.OpenCache(dir, &cfg, "1.0")
	if first == nil {
		t.Fatal(notice)
	}
	second, notice := site.OpenCache(dir, &cfg, "1.0")
	if second != nil || !strings.Contains(notice, "is in use by another build") {
		t.Fatalf("second opening: %v, %q", second, notice)
	}
	first.Release()
	third, notice := site.OpenCache(dir, &cfg, "1.0")
	if third == nil {
		t.Fatalf("after release: %q", notice)
	}
	third.Release()
}
