package cli_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/images/imagestest"
)

// TestBuildWithImagesIsReproducible builds a site with photos three times
// with the same --now: with a cold image cache, again after deleting the
// cache (every image encoded anew), and from the cache. The three outputs
// are the same files, byte for byte: encoders run in parallel, and WebP
// goes through WebAssembly, but nothing depends on timing or the machine.
func TestBuildWithImagesIsReproducible(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md": "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\nimage: /anh/doc.jpg\n---\nMở đầu.\n\n![Biểu trưng](logo.png)\n*Chú thích.*\n\n![Ảnh](/anh/ngang.jpg)\n",
		"content/b.md": "---\ntitle: Tin B\ndate: 2024-01-02\nregion: Cần Thơ\nimage: /anh/ngang.jpg\n---\nChữ.\n",
	})
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A portrait photo whose camera stored it sideways, with a GPS tag.
	write("static/anh/doc.jpg", imagestest.WithExif(imagestest.JPEG(t, imagestest.Photo(1300, 900, 40), 88), imagestest.ExifTIFF(6)))
	write("static/anh/ngang.jpg", imagestest.JPEG(t, imagestest.Photo(1000, 640, 0), 85))
	write("content/logo.png", imagestest.TransparentPNG(t, 700, 500))

	build := func(dest string) map[string][]byte {
		t.Helper()
		if code, _, errOut := run("build", "--source", dir, "--dest", dest, now); code != 0 {
			t.Fatalf("build: exit %d: %s", code, errOut)
		}
		files := map[string][]byte{}
		err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dest, p)
			files[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	out := t.TempDir()
	cold := build(filepath.Join(out, "cold"))
	if err := os.RemoveAll(filepath.Join(dir, ".bantin")); err != nil {
		t.Fatal(err)
	}
	again := build(filepath.Join(out, "again"))
	cached := build(filepath.Join(out, "cached"))

	var webps []string
	for name := range cold {
		if strings.HasSuffix(name, ".webp") {
			webps = append(webps, name)
		}
	}
	if len(webps) < 6 {
		t.Fatalf("the build published only %d WebP files", len(webps))
	}
	for step, files := range map[string]map[string][]byte{"encoded again": again, "from the cache": cached} {
		if !slices.Equal(sortedKeys(files), sortedKeys(cold)) {
			t.Errorf("%s: other files than the first build:\n%v\n%v", step, sortedKeys(files), sortedKeys(cold))
			continue
		}
		for name, data := range cold {
			if !bytes.Equal(files[name], data) {
				t.Errorf("%s: %s differs", step, name)
			}
		}
	}
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
