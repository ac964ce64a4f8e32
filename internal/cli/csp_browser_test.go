package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
)

// TestPreviewPolicyLetsItsOwnScriptsRun opens the preview's pages in
// Chromium under its Content-Security-Policy and wants no violation: the
// theme's search, the live reload and the problem overlay all work. An
// inline script, which the policy forbids, is the control.
func TestPreviewPolicyLetsItsOwnScriptsRun(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	dir := writeSite(t, map[string]string{
		"content/a.md":        "---\ntitle: Thi đua yêu nước\ndate: 2024-01-01\nregion: Cần Thơ\ntopics: [Thi đua]\nperiod: \"2024\"\n---\nPhong trào thi đua.\n\n![ảnh](/anh/logo.svg)\n",
		"content/b.md":        article("Thi đua khen thưởng"),
		"static/anh/logo.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`,
	})
	base, _ := startServe(t, dir)

	// Violations are collected by the page itself, from before its first
	// script, and from the browser's log.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, struct{}{}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *log.EventEntryAdded:
			if strings.HasSuffix(e.Entry.URL, "/khong-co/") && strings.Contains(e.Entry.Text, "status of 404") {
				return // the 404 page, on purpose
			}
			if e.Entry.Level == log.EntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
				problems = append(problems, "log: "+e.Entry.Text)
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		}
	}); err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(violations) > 0 || len(problems) > 0 {
			t.Errorf("%s: violations %q, console %q", what, violations, problems)
		}
		problems = nil
	}
	waitJS := func(what, expr string) {
		t.Helper()
		eventually(t, what, func() bool {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			return err == nil && ok
		})
	}
	for _, p := range []string{"", "bai-viet/a/", "khu-vuc/can-tho/", "dot-thi-dua/", "khong-co/"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		waitJS(p+" loaded", `document.readyState === 'complete'`)
		check("/" + p)
	}
	// The campaign status script of the pages that show a status loads
	// under the policy too.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"dot-thi-dua/")); err != nil {
		t.Fatal(err)
	}
	waitJS("the status script", `document.readyState === 'complete' && performance.getEntriesByType('resource').some((e) => e.name.endsWith('/js/bantin-status.js'))`)
	check("/dot-thi-dua/ with its status script")
	// The search page runs the theme's script: fetch, inflate, render.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"tim-kiem/?q=thi+dua")); err != nil {
		t.Fatal(err)
	}
	waitJS("search results", `document.querySelectorAll('.search-results a').length === 2`)
	check("/tim-kiem/?q=thi+dua")
	// The live reload and its overlay, on the article page.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"bai-viet/a/")); err != nil {
		t.Fatal(err)
	}
	waitJS("the page", `document.readyState === 'complete'`)
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	waitJS("the problem overlay", `!!document.querySelector('#bantin-problems') && getComputedStyle(document.querySelector('#bantin-problems')).position === 'fixed'`)
	check("the problem overlay")
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte(article("Thi đua khen thưởng")), 0o644)
	waitJS("the reload after the fix", `!document.querySelector('#bantin-problems') && document.readyState === 'complete'`)
	check("the reload")

	// The control: an inline script is refused, and seen to be.
	ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); return !!window.__ran })()`))
	if err != nil || ran {
		t.Fatalf("an inline script ran under the policy (%v)", err)
	}
	waitJS("the violation to be reported", `window.__csp.some(v => v.startsWith('script-src'))`)
}
