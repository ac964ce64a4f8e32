package site

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/render"
)

// FuzzTextsFile puts arbitrary bytes in place of a cache's texts file: a
// build reading the texts (all of them, or those of a few files), and one
// saving a new text after them, gets each text as it was written or none,
// never another, and never panics.
func FuzzTextsFile(f *testing.F) {
	var cfg config.Site
	dir := f.TempDir()
	want := map[string]string{}
	var have []textSource
	c, notice := OpenCache(dir, &cfg, "test")
	if c == nil {
		f.Fatal(notice)
	}
	c.startBuild()
	for i := range 6 {
		file := fmt.Sprintf("content/%d.md", i)
		want[file] = fmt.Sprintf("Văn bản %d về phong trào thi đua.", i)
		c.storeDoc(file, uint64(100+i), &render.Doc{Text: want[file]})
		have = append(have, textSource{file: file, key: uint64(100 + i)})
	}
	if err := c.Save(&cfg); err != nil {
		f.Fatal(err)
	}
	cacheData, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if err != nil {
		f.Fatal(err)
	}
	texts, err := os.ReadFile(filepath.Join(dir, textsFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(texts)
	f.Add(texts[:len(texts)/2])
	f.Add(append(texts[:len(texts):len(texts)], "more"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, cacheFile), cacheData, 0o644)
		os.WriteFile(filepath.Join(dir, textsFile), data, 0o644)
		open := func() *Cache {
			c, notice := OpenCache(dir, &cfg, "test")
			if c == nil || notice != "" {
				t.Fatalf("the cache file does not open: %s", notice)
			}
			return c
		}
		check := func(step string, c *Cache, want map[string]string) {
			c.loadTexts()
			for file, d := range c.docs {
				if d.hasText && d.text != want[file] {
					t.Fatalf("%s: text of %s is %q, want %q", step, file, d.text, want[file])
				}
			}
		}
		c := open()
		check("all texts", c, want)
		c.Release()

		c = open()
		found, _ := c.findTexts(have, map[string]uint64{"content/1.md": 101, "content/4.md": 104})
		for file, text := range found {
			if text != want[file] {
				t.Fatalf("text of %s found as %q, want %q", file, text, want[file])
			}
		}
		// A build that renders one article saves the others' texts after
		// it, from the file as it is.
		c.startBuild()
		for file := range want {
			c.doc(file, 0)
		}
		c.storeDoc("content/6.md", 106, &render.Doc{Text: "Một bài mới."})
		if err := c.Save(&cfg); err != nil {
			t.Fatal(err)
		}
		after := maps.Clone(want)
		after["content/6.md"] = "Một bài mới."
		check("after a save", open(), after)
	})
}
