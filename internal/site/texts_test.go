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

// textsBuild builds fsys with the cache in cacheDir and checks that the
// search index equals a clean build's; it returns the articles indexed
// and the notice.
func textsBuild(t *testing.T, step string, fsys fstest.MapFS, dest, cacheDir string) (indexed int, notice string) {
	t.Helper()
	stats, notice := diskBuild(t, fsys, dest, cacheDir)
	clean := filepath.Join(t.TempDir(), "clean")
	diskBuild(t, fsys, clean, "")
	sameSearch(t, step, searchTree(t, dest), searchTree(t, clean))
	return stats.SearchIndexed, notice
}

// TestTextsFileGrowsByWhatARebuildRendered edits one article at a time,
// many times: each rebuild appends the text it rendered to the texts file
// (the same file, longer by about that text), takes the old text of the
// article from it, and once dead texts outweigh live ones writes the file
// anew; the file never reaches twice what it holds, and every build's
// search index is a clean build's.
func TestTextsFileGrowsByWhatARebuildRendered(t *testing.T) {
	t.Parallel()
	fsys := wordySite(30)
	dir := t.TempDir()
	dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	texts := filepath.Join(cacheDir, "texts.bin")
	diskBuild(t, fsys, dest, cacheDir)
	diskBuild(t, fsys, dest, cacheDir)
	before, err := os.Stat(texts)
	if err != nil {
		t.Fatal(err)
	}
	appended, rewritten, updates := 0, 0, 0
	for i := range 50 {
		name := fmt.Sprintf("content/tin-%03d.md", i*7%30)
		sentence := fmt.Sprintf("\nCâu thêm số %d về phong trào thi đua yêu nước, khen thưởng tập thể xuất sắc.\n", i)
		appendTo(fsys, name, sentence)
		step := fmt.Sprintf("edit %d", i)
		stats, notice := diskBuild(t, fsys, dest, cacheDir)
		indexed := stats.SearchIndexed
		// An update tokenizes the old text, read from the cache, and the
		// new; now and then the articles' growth moves the average
		// length a step, and the index is made from every text.
		if notice != "" || indexed != 2 && indexed != 30 {
			t.Fatalf("%s: indexed %d documents, notice %q", step, indexed, notice)
		}
		if indexed == 2 {
			updates++
		}
		after, err := os.Stat(texts)
		if err != nil {
			t.Fatal(err)
		}
		// The texts the cache holds: about the articles' bodies.
		var live int64
		for n, f := range fsys {
			if strings.HasPrefix(n, "content/") {
				live += int64(len(f.Data)) + 8
			}
		}
		switch {
		case after.Size() > 2*live+200:
			t.Fatalf("%s: texts file of %d bytes for %d bytes of articles", step, after.Size(), live)
		case os.SameFile(before, after):
			// Appended: the edited article's text, not every text.
			grown := after.Size() - before.Size()
			if grown <= 0 || grown > int64(len(fsys[name].Data))+8 {
				t.Fatalf("%s: the texts file grew by %d bytes for an article of %d", step, grown, len(fsys[name].Data))
			}
			appended++
		default:
			rewritten++
		}
		// A clean build to compare with, now and then (they cost).
		if i%6 == 0 || !os.SameFile(before, after) {
			clean := filepath.Join(t.TempDir(), "clean")
			diskBuild(t, fsys, clean, "")
			sameSearch(t, step, searchTree(t, dest), searchTree(t, clean))
		}
		before = after
	}
	// A new article: its text only is added.
	fsys["content/moi.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Tin mới nhất\ndate: 2030-12-30\nregion: Vùng 1\ntopics: [Chủ đề 1]\n---\nTin mới về thi đua.\n")}
	if _, notice := textsBuild(t, "new article", fsys, dest, cacheDir); notice != "" {
		t.Fatal(notice)
	}
	after, err := os.Stat(texts)
	if err != nil {
		t.Fatal(err)
	}
	if grown := after.Size() - before.Size(); os.SameFile(before, after) && grown > 64 {
		t.Errorf("a new article of a few words made the texts file grow by %d bytes", grown)
	}
	if appended < 30 || rewritten == 0 || updates < 40 {
		t.Errorf("of 50 edits, %d updated the index, %d appended to the texts file and %d wrote it anew", updates, appended, rewritten)
	}
	t.Logf("%d updates, %d appended, %d written anew", updates, appended, rewritten)
}

// TestDamagedTextsAreNoticed damages the texts file the ways a disk or a
// killed build can: a build that reads a damaged text says so in one line
// and renders the Markdown instead, and the index is a clean build's. A
// killed build's bytes appended past what the cache file records are cut
// off unread.
func TestDamagedTextsAreNoticed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		// damage damages the texts file name, whose live text of
		// content/tin-004.md holds marker.
		damage func(t *testing.T, name, marker string)
		notice string // "" for none
	}{
		{"flipped byte in the text read", func(t *testing.T, name, marker string) {
			b := readFile(t, name)
			at := bytes.LastIndex(b, []byte(marker))
			b[at+2] ^= 0x20
			os.WriteFile(name, b, 0o644)
		}, "its checksum is wrong"},
		{"cut short", func(t *testing.T, name, _ string) {
			b := readFile(t, name)
			os.WriteFile(name, b[:len(b)-40], 0o644)
		}, "its checksum is wrong"},
		{"bytes of a killed build past the end", func(t *testing.T, name, _ string) {
			f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("bytes of a killed build")
			f.Close()
		}, ""},
		// A build killed after writing a new texts file, before the
		// cache file that points into it.
		{"another texts file", func(t *testing.T, name, _ string) {
			other := t.TempDir()
			diskBuild(t, wordySite(3), filepath.Join(other, "public"), filepath.Join(other, "cache"))
			os.WriteFile(name, readFile(t, filepath.Join(other, "cache", "texts.bin")), 0o644)
		}, "it is not the one the cache file describes"},
		{"removed", func(t *testing.T, name, _ string) { os.Remove(name) }, "it is missing"},
	} {
		fsys := wordySite(30)
		dir := t.TempDir()
		dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
		texts := filepath.Join(cacheDir, "texts.bin")
		marker := "Dấu riêng của bài bốn"
		appendTo(fsys, "content/tin-004.md", "\n"+marker+".\n")
		diskBuild(t, fsys, dest, cacheDir)
		appendTo(fsys, "content/tin-009.md", "\nMột câu.\n")
		diskBuild(t, fsys, dest, cacheDir)
		c.damage(t, texts, marker)
		// The edit needs the old text of tin-004.
		appendTo(fsys, "content/tin-004.md", "\nMột câu mới.\n")
		indexed, notice := textsBuild(t, c.name, fsys, dest, cacheDir)
		switch {
		case c.notice == "" && (notice != "" || indexed != 2):
			t.Errorf("%s: indexed %d documents, notice %q; want an update without notice", c.name, indexed, notice)
		case c.notice != "" && (!strings.Contains(notice, "ignoring the texts of the build cache") || !strings.Contains(notice, c.notice) || strings.Contains(notice, "\n")):
			t.Errorf("%s: notice %q, want one line with %q", c.name, notice, c.notice)
		case c.notice != "" && indexed != 30:
			t.Errorf("%s: indexed %d documents, want all 30", c.name, indexed)
		}
		if c.notice == "" && bytes.Contains(readFile(t, texts), []byte("killed build")) {
			t.Errorf("%s: the bytes past the end stayed in the texts file", c.name)
		}
		// The texts are whole again: the next edit updates the index.
		appendTo(fsys, "content/tin-004.md", "\nCâu sau cùng.\n")
		if indexed, notice = textsBuild(t, c.name+", next edit", fsys, dest, cacheDir); notice != "" || indexed != 2 {
			t.Errorf("%s: the next edit indexed %d documents, notice %q", c.name, indexed, notice)
		}
	}
}

// TestDamagedTextOfAnUnchangedArticle damages the text of an article no
// edit touches: the build that indexes every article (here, its search
// state gone) finds it, says so, and renders that article's Markdown.
func TestDamagedTextOfAnUnchangedArticle(t *testing.T) {
	t.Parallel()
	fsys := wordySite(30)
	dir := t.TempDir()
	dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	marker := "Dấu riêng của bài mười hai"
	appendTo(fsys, "content/tin-012.md", "\n"+marker+".\n")
	diskBuild(t, fsys, dest, cacheDir)
	diskBuild(t, fsys, dest, cacheDir)
	texts := filepath.Join(cacheDir, "texts.bin")
	b := readFile(t, texts)
	b[bytes.LastIndex(b, []byte(marker))+3] ^= 0x01
	os.WriteFile(texts, b, 0o644)
	os.Remove(filepath.Join(cacheDir, "search.bin"))
	appendTo(fsys, "content/tin-020.md", "\nMột câu.\n")
	indexed, notice := textsBuild(t, "damaged text", fsys, dest, cacheDir)
	if indexed != 30 || !strings.Contains(notice, "ignoring the texts of the build cache") {
		t.Errorf("indexed %d documents, notice %q; want all 30 and a notice about the texts", indexed, notice)
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLostTextFailsOnceThenRenders damages the text of an unchanged
// article, then makes an edit the index cannot be updated for (the
// average length moves a step): the build, which finds the text gone only
// then, fails saying to build again, and the next build indexes every
// article, rendering that one's Markdown, as a clean build does.
func TestLostTextFailsOnceThenRenders(t *testing.T) {
	t.Parallel()
	fsys := wordySite(3)
	marker := "Dấu riêng của bài hai"
	appendTo(fsys, "content/tin-002.md", "\n"+marker+".\n")
	dir := t.TempDir()
	dest, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	diskBuild(t, fsys, dest, cacheDir)
	diskBuild(t, fsys, dest, cacheDir)
	texts := filepath.Join(cacheDir, "texts.bin")
	b := readFile(t, texts)
	b[bytes.LastIndex(b, []byte(marker))+3] ^= 0x01
	os.WriteFile(texts, b, 0o644)
	appendTo(fsys, "content/tin-001.md", strings.Repeat("\nthi đua yêu nước khen thưởng", 60))

	cfg, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.OpenGenerations(dest)
	if err != nil {
		t.Fatal(err)
	}
	cache, _ := site.OpenCache(cacheDir, &cfg, "test")
	_, err = site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(), Cache: cache,
		Content: content.Options{Now: sitetest.Now},
	}, out)
	out.Abort()
	cache.Release()
	if err == nil || !strings.Contains(err.Error(), "lost the text of content/tin-002.md; build again") {
		t.Fatalf("got %v, want the text of tin-002 lost", err)
	}
	indexed, notice := textsBuild(t, "after the lost text", fsys, dest, cacheDir)
	// The search state is gone, and the damaged text is noticed when
	// every text is read.
	if indexed != 3 || !strings.Contains(notice, "ignoring the texts of the build cache") {
		t.Errorf("indexed %d documents, notice %q; want all 3, the damaged text noticed", indexed, notice)
	}
	if _, err := os.Stat(filepath.Join(cacheDir, "search.bin")); err != nil {
		t.Errorf("the build after did not save a search state: %v", err)
	}
}
