package cli_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// BenchmarkServeSaveToServed measures the time from saving one article to
// the preview serving its rebuilt page, on the first 1,000 and 10,000
// articles of a corpus made by ../shared/bench/gencorpus.go:
//
//	go run ../shared/bench/gencorpus.go -n 10000 -seed 1 -out /tmp/corpus-10000
//	BANTIN_BENCH_CORPUS=/tmp/corpus-10000 go test ./internal/cli -run '^$' -bench ServeSaveToServed -benchtime 20x
//
// It includes the 50 ms the server waits for a burst of saves to end.
func BenchmarkServeSaveToServed(b *testing.B) {
	corpus := os.Getenv("BANTIN_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set BANTIN_BENCH_CORPUS to a folder of corpus articles (see the doc comment)")
	}
	entries, err := os.ReadDir(corpus)
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range []int{1000, 10000} {
		if n > len(names) {
			continue
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir()
			os.MkdirAll(filepath.Join(dir, "content"), 0o755)
			os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n"), 0o644)
			for _, name := range names[:n] {
				data, err := os.ReadFile(filepath.Join(corpus, name))
				if err != nil {
					b.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, "content", name), data, 0o644)
			}
			base, _ := startServe(b, dir)
			target := filepath.Join(dir, "content", names[n/2])
			page := base + "bai-viet/" + strings.TrimSuffix(names[n/2], ".md") + "/"
			original, _ := os.ReadFile(target)
			b.ResetTimer()
			var total time.Duration
			for i := range b.N {
				token := fmt.Sprintf("dautoken%dx", i)
				start := time.Now()
				os.WriteFile(target, append(append([]byte(nil), original...), "\n\nĐoạn mới "+token+".\n"...), 0o644)
				for {
					resp, err := http.Get(page)
					if err == nil {
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if strings.Contains(string(body), token) {
							break
						}
					}
					if time.Since(start) > 30*time.Second {
						b.Fatalf("page never showed the edit")
					}
					time.Sleep(2 * time.Millisecond)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/save")
		})
	}
}
