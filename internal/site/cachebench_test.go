package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	n := 10000
	dir, names := sitetest.CorpusSite(b, n)
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
