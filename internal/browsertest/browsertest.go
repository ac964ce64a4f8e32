// Package browsertest runs headless Chromium (through chromedp) against a
// built site served on 127.0.0.1. Tests skip with a clear message when no
// Chromium is installed, unless BANTIN_REQUIRE_BROWSER is set (as in CI),
// where a missing browser fails them.
package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/output"
)

// findChromium returns the path of a Chromium binary, or "".
func findChromium() string {
	if p := os.Getenv("BANTIN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser starts headless Chromium for the test and returns a chromedp
// context bounded to two minutes.
func Browser(t testing.TB) context.Context {
	t.Helper()
	bin := findChromium()
	if bin == "" {
		if os.Getenv("BANTIN_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium found, and BANTIN_REQUIRE_BROWSER is set: install chromium (apt-get install chromium) or set BANTIN_CHROMIUM")
		}
		t.Skip("skipping browser test: no Chromium found (apt-get install chromium, or set BANTIN_CHROMIUM)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	// Generous: a loaded CI machine runs the longest page walks in minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	return browserCtx
}

// Serve serves an in-memory site on 127.0.0.1 under prefix ("/" or
// "/ban-tin/"), the way a plain static server would: directories answer
// with their index.html, unknown paths with 404.html and status 404.
func Serve(t testing.TB, site *output.Memory, prefix string) *httptest.Server {
	t.Helper()
	return ServeWith(t, site, prefix, nil)
}

// ServeWith is Serve with some files replaced, to test broken output.
func ServeWith(t testing.TB, site *output.Memory, prefix string, replace map[string][]byte) *httptest.Server {
	t.Helper()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := cutPrefix(r.URL.Path, prefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if rel == "" || rel[len(rel)-1] == '/' {
			rel += "index.html"
		}
		data, found := site.File(rel)
		if r, ok := replace[rel]; ok {
			data = r
		}
		status := http.StatusOK
		if !found {
			if data, found = site.File(rel + "/index.html"); found {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			data, _ = site.File("404.html")
			rel, status = "404.html", http.StatusNotFound
		}
		w.Header().Set("Content-Type", contentType(rel))
		w.WriteHeader(status)
		w.Write(data)
	})
	srv := httptest.NewServer(handler) // binds 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

func cutPrefix(p, prefix string) (string, bool) {
	if len(p) < len(prefix) || p[:len(prefix)] != prefix {
		return "", false
	}
	return p[len(prefix):], true
}

func contentType(name string) string {
	if strings.HasSuffix(name, ".xml") {
		return "application/xml; charset=utf-8"
	}
	switch ext := name[max(0, len(name)-5):]; {
	case ext == ".html":
		return "text/html; charset=utf-8"
	case ext[1:] == ".css":
		return "text/css; charset=utf-8"
	case ext[2:] == ".js":
		return "text/javascript; charset=utf-8"
	case ext == ".json":
		return "application/json"
	case ext[1:] == ".jpg":
		return "image/jpeg"
	case ext[1:] == ".png":
		return "image/png"
	case ext == ".webp":
		return "image/webp"
	}
	return "application/octet-stream"
}
