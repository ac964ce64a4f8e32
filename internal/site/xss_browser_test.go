package site_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/sitetest"
)

func xssPayloads(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/xss-payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// xssSite puts every payload into every text field and the body of its
// own article, written as JSON front matter so that any byte survives.
func xssSite(t *testing.T, payloads []string) fstest.MapFS {
	t.Helper()
	fsys := sitetest.FS("")
	for i, p := range payloads {
		fm := map[string]any{
			"title":   fmt.Sprintf("Tin %d %s", i, p),
			"date":    fmt.Sprintf("2024-01-01 %02d:%02d", i/60, i%60),
			"region":  fmt.Sprintf("Vùng %d %s", i, p),
			"slogan":  fmt.Sprintf("Khẩu hiệu %d %s", i, p),
			"topics":  []string{fmt.Sprintf("Chủ đề %d %s", i, p)},
			"author":  fmt.Sprintf("Tác giả %d %s", i, p),
			"summary": fmt.Sprintf("Tóm tắt %d %s", i, p),
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.Encode(fm)
		body := fmt.Sprintf("\nĐoạn %d: %s\n\n[liên kết %d](%s)\n\n![ảnh %d](%s)\n\n%s\n\n<%s>\n", i, p, i, p, i, p, p, p)
		fsys[fmt.Sprintf("content/p%02d.md", i)] = &fstest.MapFile{Data: append(buf.Bytes(), body...)}
	}
	return fsys
}

// TestHostileContentIsInertInBrowser builds a site whose every text field
// and body holds script-injection payloads, opens every page that shows
// them in Chromium, and checks that nothing runs, nothing is injected, and
// the text reads as the editor typed it.
func TestHostileContentIsInertInBrowser(t *testing.T) {
	t.Parallel()
	payloads := xssPayloads(t)
	if len(payloads) < 50 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	ctx := browsertest.Browser(t)
	r, err := sitetest.BuildFS(t, xssSite(t, payloads))
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	srv := browsertest.Serve(t, r.Out, "/")

	var mu sync.Mutex
	var dialogs []string
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			mu.Lock()
			dialogs = append(dialogs, e.Message)
			mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}

	var pages []string
	for _, n := range r.Out.Names() {
		switch {
		case strings.HasSuffix(n, "index.html") && !strings.HasPrefix(n, "tim-kiem/"):
			pages = append(pages, "/"+strings.TrimSuffix(n, "index.html"))
		case n == "atom.xml" || (strings.HasPrefix(n, "khu-vuc/") && strings.HasSuffix(n, "atom.xml") && len(pages)%5 == 0):
			pages = append(pages, "/"+n)
		}
	}
	// Search results for the payloads' words, and for whole payloads.
	for _, q := range []string{"script xss", "onerror", "Tin 28", payloads[0], payloads[28], payloads[36]} {
		pages = append(pages, "/tim-kiem/?q="+url.QueryEscape(q))
	}
	const probe = `(() => ({
		xss: window.__xss || window.parent.__xss || 0,
		injected: document.querySelectorAll('[data-xss], #xss, iframe, object, embed, marquee, math, video, details[ontoggle], [onerror], [onload], [onclick], [onfocus], [onmouseover], base').length,
		h1: (document.querySelector('h1') || {}).textContent || '',
		results: document.querySelectorAll('.search-results li').length,
	}))()`
	type probed struct {
		XSS      any    `json:"xss"`
		Injected int    `json:"injected"`
		H1       string `json:"h1"`
		Results  int    `json:"results"`
	}
	checked := 0
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if strings.HasPrefix(p, "/tim-kiem/") {
			// Let the search run and render its results.
			chromedp.Run(ctx, chromedp.Poll[bool](`(s => s.length > 0 && s !== 'Đang tìm…')(document.querySelector('.search-status').textContent)`, chromedp.WithPollingTimeout(10*time.Second)))
		} else {
			time.Sleep(20 * time.Millisecond) // let any injected handler fire
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[probed](probe))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		checked++
		if got.XSS != float64(0) || got.Injected != 0 {
			t.Errorf("%s: script ran (%v) or markup was injected (%d elements)", p, got.XSS, got.Injected)
		}
		if strings.HasPrefix(p, "/bai-viet/p") {
			var i int
			fmt.Sscanf(strings.TrimPrefix(p, "/bai-viet/p"), "%d", &i)
			if want := fmt.Sprintf("Tin %d %s", i, payloads[i]); got.H1 != want {
				t.Errorf("%s: heading reads %q, want %q", p, got.H1, want)
			}
		}
		if p == "/tim-kiem/?q=onerror" && got.Results == 0 {
			t.Errorf("searching a payload's word found nothing")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("dialogs opened: %q", dialogs)
	}
	t.Logf("%d payloads, %d pages checked in the browser", len(payloads), checked)
}

// TestHostileURLsAndPeriodsAreRejected: a source or image that could run
// code, or a period that is not one, stops the build with a clear error.
func TestHostileURLsAndPeriodsAreRejected(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`source: "javascript:alert(1)"`:                       `source "javascript:alert(1)" uses the javascript: scheme; only http and https links are allowed`,
		`source: " JaVaScRiPt:alert(1)"`:                      `source "JaVaScRiPt:alert(1)" uses the javascript: scheme; only http and https links are allowed`,
		`image: "javascript:alert(1)"`:                        `image "javascript:alert(1)" uses the javascript: scheme; only http and https links are allowed`,
		`image: "data:image/svg+xml;base64,PHN2Zz4="`:         `image "data:image/svg+xml;base64,PHN2Zz4=" uses the data: scheme; only http and https links are allowed`,
		`image: "vbscript:msgbox(1)"`:                         `image "vbscript:msgbox(1)" uses the vbscript: scheme; only http and https links are allowed`,
		`source: "https://x.vn/\"><script>alert(1)</script>"`: `must not contain spaces, quotes or angle brackets`,
		`image: "https://x.vn/a.jpg\" onerror=\"alert(1)"`:    `must not contain spaces, quotes or angle brackets`,
		`image: "//evil.example/a.jpg"`:                       `must be an http(s) URL or a path on this site`,
		`period: "<script>alert(1)</script>"`:                 `is not a period`,
	}
	for field, want := range cases {
		archive := "-- content/a.md --\n---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n" + field + "\n---\n"
		_, err := sitetest.TryBuild(t, archive)
		got := strings.Join(sitetest.Problems(err), "\n")
		if !strings.Contains(got, "content/a.md:5:") || !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want content/a.md:5:… %s", field, got, want)
		}
	}
}
