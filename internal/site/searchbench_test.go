package site_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
)

// benchQueries are what readers type: names, campaign words, the most
// common syllables, no diacritics, phrases and a half-typed word.
var benchQueries = []string{
	"Ngã Bảy", "nga bay", "thi đua", "thi dua", "chuyển đổi số", "chuyen doi so", "của", "và", "các",
	"của và các thi đua", `"thi đua yêu nước"`, "đợt thi đ", "Hậu Giang", "dai hoi dang bo", "nông thôn mới",
}

// countingHandler serves a folder like a plain static server, without
// compression, and counts the bytes of every response body it sends.
type countingHandler struct {
	files http.Handler
	bytes atomic.Int64
	reqs  atomic.Int64
}

type countingWriter struct {
	http.ResponseWriter
	h *countingHandler
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.h.bytes.Add(int64(n))
	return n, err
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.reqs.Add(1)
	w.Header().Set("Cache-Control", "no-store")
	h.files.ServeHTTP(countingWriter{w, h}, r)
}

// BenchmarkSearchPayload measures, on a built site, the bytes a fresh page
// load transfers for its first query, the bytes of any later query, and the
// time a query takes once its files are loaded. It runs on a site you build:
//
//	BANTIN_BENCH_SITE=/tmp/site-20000/public go test ./internal/site -run '^$' -bench SearchPayload -benchtime 1x
//
// (bench/search-payload.sh builds the 20,000-article corpus and runs it).
func BenchmarkSearchPayload(b *testing.B) {
	dir := os.Getenv("BANTIN_BENCH_SITE")
	if dir == "" {
		b.Skip("set BANTIN_BENCH_SITE to a built site's folder; bench/search-payload.sh does it")
	}
	ctx := browsertest.Browser(b)
	h := &countingHandler{files: http.FileServer(http.Dir(dir))}
	srv := httptest.NewServer(h)
	defer srv.Close()

	type row struct {
		query               string
		firstBytes, laterKB float64
		firstReqs           int64
		firstMS, warmMS     float64
		total               int
	}
	var rows []row
	for range b.N {
		rows = rows[:0]
		for _, q := range benchQueries {
			// A fresh tab with an empty cache: everything counts.
			tab, cancel := chromedp.NewContext(ctx)
			if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/tim-kiem/")); err != nil {
				b.Fatal(err)
			}
			before, reqs := h.bytes.Load(), h.reqs.Load()
			qj, _ := json.Marshal(q)
			type timed struct {
				Total int     `json:"total"`
				MS    float64 `json:"ms"`
			}
			run := fmt.Sprintf(`(async () => { const t = performance.now(); const r = await window.bantin.search(%s, {facets: false}); return {total: r.total, ms: performance.now() - t}; })()`, qj)
			first, err := chromedp.Run(tab, chromedp.Evaluate[timed](run, chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			firstBytes, firstReqs := h.bytes.Load()-before, h.reqs.Load()-reqs
			// Once loaded, the same query again measures computing alone.
			warm, err := chromedp.Run(tab, chromedp.Evaluate[timed](run, chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatal(err)
			}
			// A later query on the same page: what it adds.
			mid := h.bytes.Load()
			other, _ := json.Marshal(q + " ubnd")
			if _, err := chromedp.Run(tab, chromedp.Evaluate[timed](fmt.Sprintf(`window.bantin.search(%s, {facets: false}).then(r => ({total: r.total}))`, other), chromedp.EvalAwaitPromise)); err != nil {
				b.Fatal(err)
			}
			rows = append(rows, row{q, float64(firstBytes), float64(h.bytes.Load()-mid) / 1024, firstReqs, first.MS, warm.MS, first.Total})
			cancel()
		}
	}
	// The script itself, fetched by the page before the first query.
	script, _ := os.ReadFile(dir + "/js/bantin-search.js")
	page, _ := os.ReadFile(dir + "/tim-kiem/index.html")
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].firstBytes > rows[j].firstBytes })
	var report strings.Builder
	fmt.Fprintf(&report, "search page HTML %.1f KB, script %.1f KB (loaded with the page)\n", float64(len(page))/1024, float64(len(script))/1024)
	fmt.Fprintf(&report, "%-24s %8s %14s %6s %10s %9s %9s\n", "query", "results", "first KB+js", "reqs", "next KB", "first ms", "warm ms")
	var worst float64
	for _, r := range rows {
		first := (r.firstBytes + float64(len(script))) / 1024
		worst = max(worst, first)
		fmt.Fprintf(&report, "%-24s %8d %14.1f %6d %10.1f %9.1f %9.1f\n", r.query, r.total, first, r.firstReqs, r.laterKB, r.firstMS, r.warmMS)
	}
	b.ReportMetric(worst, "KB/worst-first-query")
	b.Log("\n" + report.String())
}
