package site_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// diskBuild builds fsys into dest as bantin build does, with the cache in
// cacheDir (none when empty), and returns the stats and the cache's notice.
func diskBuild(t *testing.T, fsys fstest.MapFS, dest, cacheDir string) (*site.Stats, string) {
	t.Helper()
	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.OpenGenerations(dest)
	if err != nil {
		t.Fatal(err)
	}
	var cache *site.Cache
	var notice string
	if cacheDir != "" {
		if cache, notice = site.OpenCache(cacheDir, &cfg, "test"); cache == nil {
			t.Fatal(notice)
		}
	}
	stats, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Cache: cache,
		Content: content.Options{Now: sitetest.Now},
	}, out)
	if err != nil {
		out.Abort()
		cache.Release()
		t.Fatal(err)
	}
	if cache != nil {
		notice += cache.Notice()
		if err := cache.Save(&cfg); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return stats, notice
}

// searchTree reads the search index's files under dest.
func searchTree(t *testing.T, dest string) map[string][]byte {
	t.Helper()
	root := filepath.Join(dest, "tim-kiem", "chi-muc")
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameSearch(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
		if !bytes.Equal(got[n], want[n]) {
			t.Errorf("%s: %s differs from a clean build's", step, n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: %s is not in a clean build", step, n)
		}
	}
	if len(names) < 10 {
		t.Fatalf("%s: the index has only %d files", step, len(names))
	}
}

// wordySite is a site of n articles, dated a day apart, with words
// enough for a search index of several shards.
func wordySite(n int) fstest.MapFS {
	fsys := sitetest.FS(`-- site.toml --
title = "Bản tin"
base_url = "https://example.gov.vn/"
`)
	words := strings.Fields("thi đua yêu nước phong trào hòa hóa họa khen thưởng tập thể cá nhân xuất sắc lao động sản xuất học tập")
	for i := range n {
		var body strings.Builder
		for j := range 150 + i%30 {
			body.WriteString(words[(i*7+j*j)%len(words)] + " ")
			fmt.Fprintf(&body, "mã%d ", (i*131+j*17)%9973)
		}
		fsys[fmt.Sprintf("content/tin-%03d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: Tin số %d về thi đua\ndate: %d-%02d-%02d\nregion: Vùng %d\ntopics: [Chủ đề %d]\n---\n%s\n",
			i, 2020+i/336, 1+i/28%12, 1+i%28, i%3, i%4, body.String())}
	}
	return fsys
}

// TestSearchIndexUpdatesEqualCleanBuilds changes a site the ways editors
// do and checks after each change that the search index of a cached build
// is byte for byte a clean build's, and that the changes an update can
// make were made by updating the index: only the changed documents
// tokenized, few of its files encoded.
func TestSearchIndexUpdatesEqualCleanBuilds(t *testing.T) {
	t.Parallel()
	fsys := wordySite(150)
	dir := t.TempDir()
	dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	first, _ := diskBuild(t, fsys, dest, cacheDir)
	if first.SearchIndexed != 150 {
		t.Fatalf("the first build indexed %d documents", first.SearchIndexed)
	}
	total := first.SearchEncoded
	if total < 8 {
		t.Fatalf("the index has %d shards and lists: too few to tell", total)
	}
	diskBuild(t, fsys, dest, cacheDir) // both generations of the output

	steps := []struct {
		name string
		edit func()
		// indexed is how many documents an update tokenizes, or -1 when
		// the build indexes every article. An update encodes fewer than
		// all shards and lists; an edit of one article fewer than half.
		indexed int
	}{
		{"body edit", func() { appendTo(fsys, "content/tin-050.md", "\nThêm một câu về khen thưởng.\n") }, 2},
		{"title edit", func() {
			replaceIn(fsys, "content/tin-051.md", "title: Tin số 51", "title: Bản tin năm mươi mốt")
		}, 2},
		{"new newest article", func() {
			fsys["content/moi.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin mới nhất\ndate: 2020-12-30\nregion: Vùng 1\ntopics: [Chủ đề 1]\n---\nTin mới về thi đua.\n")}
		}, 1},
		// Numbered before the newest, which takes the next number: both
		// are indexed, and the newest's old postings taken out.
		{"article dated before the newest", func() {
			fsys["content/gan.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin gần đây\ndate: 2020-12-29\nregion: Vùng 0\ntopics: [Chủ đề 3]\n---\nTin gần đây về khen thưởng.\n")}
		}, 3},
		{"back-dated article", func() {
			fsys["content/cu.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin cũ\ndate: 2020-01-01\nregion: Vùng 2\ntopics: [Chủ đề 2]\n---\nTin cũ về thi đua.\n")}
		}, -1},
		{"newest article deleted", func() { delete(fsys, "content/moi.md") }, 1},
		{"article deleted", func() { delete(fsys, "content/tin-010.md") }, -1},
		{"region renamed", func() {
			for _, f := range []string{"content/tin-030.md", "content/tin-033.md"} {
				replaceIn(fsys, f, "region: Vùng 0", "region: Vùng Không")
			}
		}, 4},
		{"nothing changed", func() {}, 0},
	}
	for _, s := range steps {
		s.edit()
		stats, notice := diskBuild(t, fsys, dest, cacheDir)
		if notice != "" {
			t.Errorf("%s: %s", s.name, notice)
		}
		clean := filepath.Join(t.TempDir(), "clean")
		diskBuild(t, fsys, clean, "")
		sameSearch(t, s.name, searchTree(t, dest), searchTree(t, clean))
		t.Logf("%s: indexed %d, encoded %d of %d", s.name, stats.SearchIndexed, stats.SearchEncoded, total)
		switch {
		case s.indexed < 0:
			if stats.SearchIndexed != stats.Articles {
				t.Errorf("%s: indexed %d of %d articles", s.name, stats.SearchIndexed, stats.Articles)
			}
		case stats.SearchIndexed != s.indexed:
			t.Errorf("%s: indexed %d documents, want %d", s.name, stats.SearchIndexed, s.indexed)
		case s.indexed > 0 && stats.SearchEncoded >= total:
			t.Errorf("%s: encoded all %d shards and lists", s.name, total)
		case s.indexed == 2 && stats.SearchEncoded*2 >= total:
			t.Errorf("%s: encoded %d of %d shards and lists, want fewer than half", s.name, stats.SearchEncoded, total)
		}
	}
}

// TestSearchUpdateCrossingAStepRebuilds: on a tiny site one edit moves the
// average length of documents to another step, which changes every
// impact: the build indexes every article and still equals a clean build.
func TestSearchUpdateCrossingAStepRebuilds(t *testing.T) {
	t.Parallel()
	fsys := wordySite(3)
	dir := t.TempDir()
	dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	diskBuild(t, fsys, dest, cacheDir)
	diskBuild(t, fsys, dest, cacheDir)
	appendTo(fsys, "content/tin-001.md", strings.Repeat("\nthi đua yêu nước khen thưởng", 60))
	stats, _ := diskBuild(t, fsys, dest, cacheDir)
	if stats.SearchIndexed != 3 {
		t.Errorf("indexed %d documents, want all 3", stats.SearchIndexed)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	diskBuild(t, fsys, clean, "")
	sameSearch(t, "crossing a step", searchTree(t, dest), searchTree(t, clean))
	// And the next edit updates the index again.
	appendTo(fsys, "content/tin-001.md", "\nthi đua")
	if stats, _ = diskBuild(t, fsys, dest, cacheDir); stats.SearchIndexed != 2 {
		t.Errorf("after the rebuild, an edit indexed %d documents, want 2", stats.SearchIndexed)
	}
}

// TestDamagedSearchStateIsIgnored damages the search part of the cache:
// the build says so in one line, indexes every article, and writes the
// index a clean build writes.
func TestDamagedSearchStateIsIgnored(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		// damage damages the state file name; first is the state of the
		// first build, before the one damaged.
		damage func(name string, first []byte)
		notice string
	}{
		{"flipped byte", func(name string, _ []byte) {
			b, _ := os.ReadFile(name)
			b[len(b)/2] ^= 0x40
			os.WriteFile(name, b, 0o644)
		}, "its checksum is wrong"},
		{"cut short", func(name string, _ []byte) {
			b, _ := os.ReadFile(name)
			os.WriteFile(name, b[:len(b)-50], 0o644)
		}, "its checksum is wrong"},
		{"removed", func(name string, _ []byte) { os.Remove(name) }, "no such file"},
		// A state file that is whole but not the last build's.
		{"stale", func(name string, first []byte) { os.WriteFile(name, first, 0o644) }, "it is not the one of the last build"},
	} {
		fsys := wordySite(30)
		dir := t.TempDir()
		dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
		diskBuild(t, fsys, dest, cacheDir)
		state := filepath.Join(cacheDir, "search.bin")
		first, err := os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		appendTo(fsys, "content/tin-004.md", "\nMột câu.\n")
		diskBuild(t, fsys, dest, cacheDir)
		c.damage(state, first)
		appendTo(fsys, "content/tin-005.md", "\nMột câu mới.\n")
		stats, notice := diskBuild(t, fsys, dest, cacheDir)
		if !strings.Contains(notice, "ignoring the search index of the build cache") || !strings.Contains(notice, c.notice) || strings.Contains(notice, "\n") {
			t.Errorf("%s: notice %q", c.name, notice)
		}
		if stats.SearchIndexed != 30 {
			t.Errorf("%s: indexed %d documents, want all 30", c.name, stats.SearchIndexed)
		}
		clean := filepath.Join(t.TempDir(), "clean")
		diskBuild(t, fsys, clean, "")
		sameSearch(t, c.name, searchTree(t, dest), searchTree(t, clean))
		// The build saved a new state: the next edit updates it.
		appendTo(fsys, "content/tin-006.md", "\nMột câu khác.\n")
		if stats, notice = diskBuild(t, fsys, dest, cacheDir); stats.SearchIndexed != 2 || notice != "" {
			t.Errorf("%s: the next edit indexed %d documents (%q)", c.name, stats.SearchIndexed, notice)
		}
	}
}
