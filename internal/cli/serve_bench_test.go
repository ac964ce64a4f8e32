package cli_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/sitetest"
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
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir, names := sitetest.CorpusSite(b, n)
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
