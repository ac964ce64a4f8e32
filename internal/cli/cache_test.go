package cli_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/images/imagestest"
	"github.com/bantin/bantin/internal/output"
)

// readTree returns every file under dir by slash path, with its bytes.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// treeDiff lists the paths that differ between two trees: added, changed
// and removed, sorted.
func treeDiff(before, after map[string][]byte) []string {
	var out []string
	for name, b := range after {
		if old, ok := before[name]; !ok || !bytes.Equal(old, b) {
			out = append(out, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// notes returns the lines of a build's standard error other than its
// warnings about the site (the cache site's regions are no real places).
func notes(stderr string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.HasPrefix(l, "warning: ") {
			out = append(out, l)
		}
	}
	return out
}

func sameTree(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	if diff := treeDiff(want, got); len(diff) > 0 {
		t.Fatalf("%s: the cached build differs from a clean build in %d files: %.400q", step, len(diff), diff)
	}
}

func cacheSite() map[string]string {
	files := map[string]string{
		"site.toml": "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\npage_size = 3\n",
	}
	for i := range 20 {
		files[fmt.Sprintf("content/a%02d.md", i)] = fmt.Sprintf("---\ntitle: Tin số %d\ndate: 2024-0%d-%02d\nregion: Vùng %d\ntopics: [Chủ đề %d]\n---\nĐoạn văn của tin số %d, về phong trào thi đua.\n\n[Tin trước](a%02d.md)\n",
			i, 1+i%9, 1+i, i%4, i%3, i, (i+19)%20)
	}
	return files
}

// TestCachedBuildsEqualCleanBuilds edits a site on disk the ways editors
// and maintainers do and checks after each edit that a build with the
// cache writes exactly the tree a clean build writes, that --changed lists
// exactly the paths that differ from the previous tree, and that little is
// rendered again.
func TestCachedBuildsEqualCleanBuilds(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, cacheSite())
	public := filepath.Join(dir, "public")
	changed := filepath.Join(t.TempDir(), "changed.txt")
	build := func(step string) (rendered, pages int) {
		t.Helper()
		before := map[string][]byte{}
		if _, err := os.Stat(public); err == nil {
			before = readTree(t, public)
		}
		code, out, errOut := run("build", "--source", dir, "--changed", changed, now)
		if code != 0 {
			t.Fatalf("%s: cached build failed: %s", step, errOut)
		}
		if _, err := fmt.Sscanf(out[strings.Index(out, ", ")+2:], "%d pages (%d rendered)", &pages, &rendered); err != nil {
			t.Fatalf("%s: %v in %q", step, err, out)
		}
		clean := filepath.Join(t.TempDir(), "clean")
		if code, _, errOut := run("build", "--source", dir, "--dest", clean, "--no-cache", now); code != 0 {
			t.Fatalf("%s: clean build failed: %s", step, errOut)
		}
		got := readTree(t, public)
		sameTree(t, step, got, readTree(t, clean))
		list, err := os.ReadFile(changed)
		if err != nil {
			t.Fatal(err)
		}
		want := treeDiff(before, got)
		if strings.Join(want, "\n") != strings.TrimSuffix(string(list), "\n") {
			t.Fatalf("%s: --changed wrote\n%s\nwant\n%s", step, list, strings.Join(want, "\n"))
		}
		return rendered, pages
	}
	edit := func(name, old, new string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q", name, old)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if rendered, pages := build("first build"); rendered != pages {
		t.Fatalf("first build rendered %d of %d pages", rendered, pages)
	}
	build("second build, nothing changed")
	// Both generations exist now.
	if rendered, _ := build("third build, nothing changed"); rendered != 0 {
		t.Fatalf("a build with nothing changed rendered %d pages", rendered)
	}
	// most bounds what each kind of edit may render again, as a number of
	// pages, or, when negative, as all pages but that many.
	steps := []struct {
		name string
		edit func()
		most int
	}{
		// The first paragraph is the summary its cards show.
		{"body edit", func() { edit("content/a07.md", "thi đua.", "thi đua yêu nước.") }, 6},
		{"body edit after the summary", func() {
			b, _ := os.ReadFile(filepath.Join(dir, "content", "a08.md"))
			write("content/a08.md", string(b)+"\nĐoạn cuối mới.\n")
		}, 1},
		{"article edit", func() { edit("content/a07.md", "Đoạn văn", "Một đoạn văn mới") }, 30},
		{"new article", func() {
			write("content/moi.md", "---\ntitle: Tin mới nhất\ndate: 2025-06-01\nregion: Vùng 1\ntopics: [Chủ đề 2]\n---\nTin mới.\n")
		}, 55}, // lists are paginated newest first: every page of its lists moves
		{"deleted article", func() {
			os.Remove(filepath.Join(dir, "content", "a03.md"))
			edit("content/a04.md", "(a03.md)", "(a05.md)")
		}, 50},
		{"renamed region", func() {
			for _, f := range []string{"a01.md", "a05.md", "a09.md"} {
				edit("content/"+f, "region: Vùng 1", "region: Vùng Một")
			}
		}, 40},
		{"layout edit", func() {
			write("layouts/partials/footer.html", "<footer>Chân trang riêng</footer>\n")
		}, -0},
		// A new page size changes the lists, not the 20 article pages.
		{"config edit", func() { edit("site.toml", "page_size = 3", "page_size = 4") }, -20},
		{"title edit", func() { edit("content/a11.md", "title: Tin số 11", "title: Tin số mười một") }, 40},
		// Regions are places of the gazetteer: the region pages, their
		// hierarchy and redirects follow the articles and data/regions.toml.
		{"region set to a place", func() { edit("content/a02.md", "region: Vùng 2", "region: TX Ngã Bảy") }, 40},
		{"regions file added", func() {
			write("data/regions.toml", "[vung-0]\nname = \"Vùng 0\"\nkind = \"xã\"\nparent = \"nga-bay\"\naliases = [\"Vùng Không\"]\n")
		}, 30},
		{"regions file edited", func() { edit("data/regions.toml", "parent = \"nga-bay\"", "parent = \"hau-giang\"") }, 30},
		{"region_near set", func() { write("site.toml", readFile(t, dir, "site.toml")+"region_near = \"Hậu Giang\"\n") }, 60},
		// Processed images: a lead image and a body image, then the same
		// file name with other pixels.
		{"new images", func() {
			write("static/images/anh.jpg", string(imagestest.JPEG(t, imagestest.Photo(96, 64, 1), 80)))
			write("static/images/hinh.jpg", string(imagestest.JPEG(t, imagestest.Photo(80, 60, 2), 80)))
			edit("content/a06.md", "region: Vùng 2", "region: Vùng 2\nimage: /images/anh.jpg")
			edit("content/a09.md", "về phong trào", "về phong trào\n\n![Ảnh hội nghị](/images/hinh.jpg)\n\nTiếp theo,")
		}, 40},
		{"lead image replaced under the same name", func() {
			write("static/images/anh.jpg", string(imagestest.JPEG(t, imagestest.Photo(96, 64, 7), 80)))
		}, 40},
		{"body image replaced under the same name", func() {
			write("static/images/hinh.jpg", string(imagestest.JPEG(t, imagestest.Photo(80, 60, 9), 80)))
		}, 40},
		{"body image removed", func() { edit("content/a09.md", "![Ảnh hội nghị](/images/hinh.jpg)", "Không ảnh.") }, 40},
	}
	for _, s := range steps {
		s.edit()
		rendered, pages := build(s.name)
		t.Logf("%s: rendered %d of %d pages", s.name, rendered, pages)
		if most := s.most; most < 0 || most == 0 && s.name == "layout edit" {
			if most == 0 && rendered != pages || most < 0 && rendered > pages+most {
				t.Errorf("%s: rendered %d of %d pages, want all but %d", s.name, rendered, pages, -most)
			}
		} else if rendered > most {
			t.Errorf("%s: rendered %d of %d pages, want at most %d", s.name, rendered, pages, most)
		}
	}
}

// TestDamagedCachesAreIgnored damages the cache the ways a disk or a
// killed process can and checks that each build says so in one line and
// still writes the site a clean build writes.
func TestDamagedCachesAreIgnored(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, cacheSite())
	cacheFile := filepath.Join(dir, ".bantin", "cache", "build.bin")
	clean := filepath.Join(t.TempDir(), "clean")
	if code, _, errOut := run("build", "--source", dir, "--dest", clean, "--no-cache", now); code != 0 {
		t.Fatal(errOut)
	}
	want := readTree(t, clean)
	for _, c := range []struct {
		name   string
		damage func()
		notice string
	}{
		{"truncated", func() {
			b, _ := os.ReadFile(cacheFile)
			os.WriteFile(cacheFile, b[:len(b)/2], 0o644)
		}, "its checksum is wrong"},
		{"flipped bytes", func() {
			b, _ := os.ReadFile(cacheFile)
			b[len(b)/3] ^= 0x5a
			b[len(b)/2] ^= 0xa5
			os.WriteFile(cacheFile, b, 0o644)
		}, "its checksum is wrong"},
		{"not a cache", func() { os.WriteFile(cacheFile, []byte("hello"), 0o644) }, "it is not a bantin cache file"},
		{"texts cut short", func() {
			name := filepath.Join(filepath.Dir(cacheFile), "texts.bin")
			b, _ := os.ReadFile(name)
			os.WriteFile(name, b[:len(b)-100], 0o644)
		}, "its checksum is wrong"},
		{"search state cut short", func() {
			name := filepath.Join(filepath.Dir(cacheFile), "search.bin")
			b, _ := os.ReadFile(name)
			os.WriteFile(name, b[:len(b)-100], 0o644)
		}, "its checksum is wrong"},
	} {
		// A good cache first, then the damage.
		if code, _, errOut := run("build", "--source", dir, now); code != 0 {
			t.Fatal(errOut)
		}
		c.damage()
		// The site changes too, so that a cache wrongly believed would
		// show in the output.
		p := filepath.Join(dir, "content", "a02.md")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, append(b, "\nThêm.\n"...), 0o644)
		clean := filepath.Join(t.TempDir(), "clean")
		if code, _, errOut := run("build", "--source", dir, "--dest", clean, "--no-cache", now); code != 0 {
			t.Fatal(errOut)
		}
		want = readTree(t, clean)
		code, out, errOut := run("build", "--source", dir, now)
		if code != 0 {
			t.Fatalf("%s: %s", c.name, errOut)
		}
		lines := notes(errOut)
		if len(lines) != 1 || !strings.Contains(lines[0], "ignoring the") || !strings.Contains(lines[0], c.notice) {
			t.Errorf("%s: notice %q, want one line with %q", c.name, errOut, c.notice)
		}
		if !strings.Contains(out, "built 20 articles") {
			t.Errorf("%s: %s", c.name, out)
		}
		sameTree(t, c.name, readTree(t, filepath.Join(dir, "public")), want)
	}

	// A cache folder another build holds is left alone.
	lock, err := output.TryLock(filepath.Join(dir, ".bantin", "cache", "lock"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(cacheFile)
	code, _, errOut := run("build", "--source", dir, now)
	lock.Release()
	if code != 0 || !strings.Contains(errOut, "is in use by another build") || len(notes(errOut)) != 1 {
		t.Fatalf("held lock: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(cacheFile); !bytes.Equal(before, after) {
		t.Error("a build wrote a cache another build holds")
	}
	sameTree(t, "held lock", readTree(t, filepath.Join(dir, "public")), want)
}

// TestRewriteKeepingSizeAndTimeIsNoticed rewrites an article with text of
// the same length and puts its modification time back, as some tools do:
// the cache, which skips reading files whose size and times are unchanged,
// must still see it (by the change time, which programs cannot set).
func TestRewriteKeepingSizeAndTimeIsNoticed(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, cacheSite())
	// Files changed within two seconds of a build are always read again:
	// let them age so that the build trusts their times.
	time.Sleep(2100 * time.Millisecond)
	if code, _, errOut := run("build", "--source", dir, now); code != 0 {
		t.Fatal(errOut)
	}
	name := filepath.Join(dir, "content", "a05.md")
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(name)
	edited := bytes.Replace(b, []byte("Tin số 5"), []byte("Tin số 6"), 1)
	if len(edited) != len(b) || bytes.Equal(edited, b) {
		t.Fatal("the edit must keep the size")
	}
	if err := os.WriteFile(name, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run("build", "--source", dir, now); code != 0 {
		t.Fatal(errOut)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public", "bai-viet", "a05", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<h1>Tin số 6</h1>")) {
		t.Errorf("the rewritten article was not read again:\n%.600s", page)
	}
}

// TestCacheInsideTheOutputIsRefused keeps the cache out of the folder
// every build replaces.
func TestCacheInsideTheOutputIsRefused(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, cacheSite())
	code, _, errOut := run("build", "--source", dir, "--cache", filepath.Join(dir, "public", "cache"), now)
	if code != 1 || !strings.Contains(errOut, "is inside the output folder") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if code, _, errOut := run("build", "--source", dir, "--cache", "x", "--no-cache", now); code != 2 || !strings.Contains(errOut, "exclude each other") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// TestRebuildCollectsSooner: a build that finds an earlier build's cache
// sets a soft memory limit below a cold build's, from the cache's size.
// Not parallel: the setting is the process's.
func TestRebuildCollectsSooner(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set, and wins over the build's setting")
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	dir := writeSite(t, map[string]string{"content/a.md": good})
	dest := filepath.Join(t.TempDir(), "public")
	// A one-article site's cache files take a few KB: the limit is the
	// heap's fixed part and a little more.
	for i, want := range [][2]int64{{1792 << 20, 1792 << 20}, {96 << 20, 97 << 20}} {
		if code, _, errOut := run("build", "--source", dir, "--dest", dest, now); code != 0 {
			t.Fatalf("build %d: exit %d: %s", i+1, code, errOut)
		}
		if got := debug.SetMemoryLimit(-1); got < want[0] || got > want[1] {
			t.Errorf("build %d: memory limit %d MiB, want %d to %d MiB", i+1, got>>20, want[0]>>20, want[1]>>20)
		}
	}
}
