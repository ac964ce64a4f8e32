package content

import (
	"bytes"
	"context"
	"testing"
	"testing/fstest"
	"time"
)

const cachedArticle = "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\ntopics: [Thi đua]\n---\nNội dung.\n"

// saved round-trips a cache through AppendTo and DecodeCache, as builds
// do through the cache file.
func saved(t *testing.T, c *Cache) *Cache {
	t.Helper()
	cfg := unitSite(t, "")
	data := c.AppendTo(nil, cfg)
	out, err := DecodeCache(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSavedCacheKeepsTheNewStatOfAnUnchangedFile: a file whose times
// changed but not its bytes is read again once, and the cache saved after
// that build knows its new times, though its article is the saved one.
func TestSavedCacheKeepsTheNewStatOfAnUnchangedFile(t *testing.T) {
	t.Parallel()
	cfg := unitSite(t, "")
	old := time.Now().Add(-2 * time.Hour)
	site := fstest.MapFS{
		"content/a.md": {Data: []byte(cachedArticle), ModTime: old},
		"content/b.md": {Data: []byte(cachedArticle), ModTime: old},
	}
	load := func(c *Cache) (read, parsed int) {
		t.Helper()
		if _, err := Load(context.Background(), site, cfg, Options{Cache: c, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
		return c.Stats()
	}
	c := NewCache()
	if read, parsed := load(c); read != 2 || parsed != 2 {
		t.Fatalf("first load: read %d, parsed %d", read, parsed)
	}
	c = saved(t, c)
	if read, _ := load(c); read != 0 {
		t.Fatalf("unchanged files were read again: %d", read)
	}
	site["content/a.md"].ModTime = old.Add(time.Hour)
	if read, parsed := load(c); read != 1 || parsed != 0 {
		t.Fatalf("after touching a.md: read %d, parsed %d", read, parsed)
	}
	c = saved(t, c)
	if read, _ := load(c); read != 0 {
		t.Fatalf("the saved cache forgot a.md's new times: %d files read", read)
	}
}

// FuzzDecodeCache decodes arbitrary bytes as a saved content cache: it
// fails or gives a cache that saves, and decodes again, to the same bytes.
func FuzzDecodeCache(f *testing.F) {
	cfg := unitSite(f, "")
	site := fstest.MapFS{"content/a.md": {Data: []byte(cachedArticle), ModTime: time.Now().Add(-time.Hour)}}
	c := NewCache()
	if _, err := Load(context.Background(), site, cfg, Options{Cache: c, Now: time.Now()}); err != nil {
		f.Fatal(err)
	}
	f.Add(c.AppendTo(nil, cfg))
	f.Add([]byte{2, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeCache(bytes.Clone(data), cfg)
		if err != nil {
			return
		}
		once := c.AppendTo(nil, cfg)
		again, err := DecodeCache(once, cfg)
		if err != nil {
			t.Fatalf("a decoded cache saves as one that does not decode: %v", err)
		}
		if twice := again.AppendTo(nil, cfg); !bytes.Equal(once, twice) {
			t.Fatalf("saved twice, the cache differs:\n%x\n%x", once, twice)
		}
	})
}
