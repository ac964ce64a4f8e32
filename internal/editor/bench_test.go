package editor_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/corpus"
	"github.com/bantin/bantin/internal/editor"
)

// corpusEditor opens an editor on a generated site of n articles.
func corpusEditor(b *testing.B, n int) *editor.Editor {
	b.Helper()
	dir := b.TempDir()
	for name, data := range corpus.Site(1, n) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ed, err := editor.New(editor.Options{Source: dir, Theme: bantin.Theme(), Addr: fakeAddr("127.0.0.1:1313")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ed.Close() })
	return ed
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

// requestBudget is the most one list request may take at 10,000 articles.
const requestBudget = 200 * time.Millisecond

// BenchmarkList times the article list's requests on a 10,000-article
// site: the first page, a search typed without diacritics, a search with
// filters, and a deep page. It fails when a request averages over 200 ms.
func BenchmarkList(b *testing.B) {
	ed := corpusEditor(b, 10000)
	for _, q := range []string{"", "q=thi+dua", "q=nga+bay+tuyen+duong&status=published&year=2024", "region=C%E1%BA%A7n+Th%C6%A1&page=5", "page=400&per_page=25", "q=khong+co+tu+nay"} {
		b.Run(fmt.Sprintf("%q", q), func(b *testing.B) {
			req := httptest.NewRequest("GET", editor.Prefix+"api/articles?"+q, nil)
			req.Host = "127.0.0.1:1313"
			var total int
			start := time.Now()
			for b.Loop() {
				rec := httptest.NewRecorder()
				ed.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				var page editor.ListPage
				json.Unmarshal(rec.Body.Bytes(), &page)
				total = page.Total
			}
			per := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(float64(total), "matches")
			if per > requestBudget {
				b.Fatalf("%s per request, over the budget of %s", per, requestBudget)
			}
		})
	}
}

// BenchmarkRefresh times the list's refresh after a rebuild when nothing
// changed, at 10,000 articles: what each save costs the editor.
func BenchmarkRefresh(b *testing.B) {
	ed := corpusEditor(b, 10000)
	for b.Loop() {
		if err := ed.Refresh(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
