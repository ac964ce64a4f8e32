package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

// BenchmarkCachedRebuild measures the preview's rebuild after one article's
// body changed, with the search index deferred as the server does it.
//
//	BANTIN_BENCH_CORPUS=/tmp/corpus-10000 go test ./internal/site -run '^$' -bench CachedRebuild
func BenchmarkCachedRebuild(b *testing.B) {
	corpus := os.Getenv("BANTIN_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set BANTIN_BENCH_CORPUS to a folder of corpus articles")
	}
	entries, _ := os.ReadDir(corpus)
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	n := min(10000, len(names))
	dir := b.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n"), 0o644)
	for _, name := range names[:n] {
		data, _ := os.ReadFile(filepath.Join(corpus, name))
		os.WriteFile(filepath.Join(dir, "content", name), data, 0o644)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	cache := site.NewCache()
	build := func() *site.Stats {
		cfg, err := config.Load(root.FS())
		if err != nil {
			b.Fatal(err)
		}
		stats, err := site.Build(context.Background(), &cfg, site.Options{
			Site: root.FS(), Theme: bantin.Theme(), Cache: cache, DeferSearch: true,
			Content: content.Options{Now: sitetest.Now},
		}, output.NewMemory())
		if err != nil {
			b.Fatal(err)
		}
		return stats
	}
	build()
	target := filepath.Join(dir, "content", names[n/2])
	original, _ := os.ReadFile(target)
	b.ResetTimer()
	rendered := 0
	for i := range b.N {
		os.WriteFile(target, append(append([]byte(nil), original...), fmt.Sprintf("\n\nĐoạn %d.\n", i)...), 0o644)
		rendered += build().Rendered
	}
	b.ReportMetric(float64(rendered)/float64(b.N), "pages-rendered/op")
}
