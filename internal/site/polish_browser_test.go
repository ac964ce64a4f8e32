package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/sitetest"
)

// screens are the two sizes the theme is checked at: a common phone, and a
// laptop.
var screens = []struct {
	name          string
	width, height int64
}{{"phone", 360, 800}, {"desktop", 1280, 900}}

// watchPage makes every page the browser opens from now on record its
// layout shifts (window.__shift, the sum a CLS score adds up) and every text
// its search status line shows (window.__said), from before the page's own
// scripts run.
func watchPage(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
window.__shift = 0;
window.__said = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
}).observe({type: 'layout-shift', buffered: true});
// Watch the whole document: the page's deferred script writes the status
// before DOMContentLoaded.
let last = '';
new MutationObserver(() => {
  const s = document.querySelector('.search-status');
  if (s && s.textContent !== last) window.__said.push(last = s.textContent);
}).observe(document, {childList: true, characterData: true, subtree: true});`})
	if err != nil {
		t.Fatal(err)
	}
}

// eval runs a JavaScript expression and fails the test on error.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// settle waits for the page's images and a few frames, so that late
// layout shifts are counted.
func settle(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(async () => {
		// Lazy images below the screen never load: wait only for the others.
		const shown = [...document.images].filter((i) => i.loading !== 'lazy' || i.getBoundingClientRect().top < innerHeight);
		await Promise.race([Promise.all(shown.map((i) => i.decode().catch(() => null))), new Promise((r) => setTimeout(r, 5000))]);
		for (let k = 0; k < 10; k++) await new Promise((r) => requestAnimationFrame(r));
		return true;
	})()`)
}

func navigate(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}

// TestFirstScreenShowsNewsOnPhones: at 360×800 the header is compact
// enough that the home page's first headline and an article's first
// paragraph start on the first screen (y < 600), also for an article with
// a long title and a lead photo; at 1280×900, where the article's facts and
// photo come before its text, the header stays in proportion and the first
// headline and the article's title start high on the screen.
func TestFirstScreenShowsNewsOnPhones(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r, err := sitetest.BuildFS(t, sampleSite(t, "http://127.0.0.1/"))
	if err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, r.Out, "/")
	articles := []string{
		"bai-viet/da-nang-cong-chuc-thi-dua-cai-cach-hanh-chinh/", // long title, lead photo
		"bai-viet/can-tho-phat-dong-thi-dua-chinh-quyen-hai-cap/", // long title, every fact
	}
	type box struct {
		Header, First, Overflow float64
	}
	for _, s := range screens {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, s.height)); err != nil {
			t.Fatal(err)
		}
		for _, p := range append([]string{""}, articles...) {
			navigate(t, ctx, srv.URL+"/"+p)
			first, limit := ".card-title", 600.0
			switch {
			case p != "" && s.name == "phone":
				first = ".article .body p"
			case p != "":
				first, limit = ".article h1", 400
			case s.name == "desktop":
				limit = 400
			}
			settle(t, ctx)
			b := eval[box](t, ctx, fmt.Sprintf(`({
				header: document.querySelector('.site-header').getBoundingClientRect().height,
				first: document.querySelector(%q).getBoundingClientRect().top,
				overflow: document.documentElement.scrollWidth - window.innerWidth,
			})`, first))
			if b.First >= limit {
				t.Errorf("%s /%s: %s starts at y=%.0f, want < %.0f", s.name, p, first, b.First, limit)
			}
			if b.Overflow > 0 {
				t.Errorf("%s /%s: the page scrolls sideways by %.0f px", s.name, p, b.Overflow)
			}
			if s.name == "phone" && b.Header > 160 || b.Header > 260 {
				t.Errorf("%s /%s: header is %.0f px tall", s.name, p, b.Header)
			}
		}
	}
}

// TestSearchPageHoldsStillAnnouncesAndKeepsHistory: at both sizes the
// search page does not move while the index loads and results arrive
// (layout shift <= 0.02), says "Đang tìm…" then "Tìm thấy N kết quả",
// shows its filters open only on wide screens, and the Back button brings
// back the previous search with its input and results.
func TestSearchPageHoldsStillAnnouncesAndKeepsHistory(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r := sitetest.Build(t, searchSite)
	srv := browsertest.Serve(t, r.Out, "/ban-tin/")
	base := srv.URL + "/ban-tin/tim-kiem/"
	watchPage(t, ctx)
	waitStatus := func(want string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('.search-status').textContent.includes(%q)`, want),
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("status never said %q; it says %q", want, eval[string](t, ctx, `document.querySelector('.search-status').textContent`))
		}
	}
	resultLinks := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll('.search-results a')].map((a) => a.getAttribute('href')).join(' ')`)
	}
	for _, s := range screens {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, s.height)); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, base+"?q=thi+dua")
		waitStatus("Tìm thấy 2 kết quả")
		settle(t, ctx)
		if shift := eval[float64](t, ctx, `window.__shift`); shift > 0.02 {
			t.Errorf("%s: the search page moved by %.3f (layout shift) while results loaded", s.name, shift)
		}
		said := eval[[]string](t, ctx, `window.__said`)
		if len(said) < 2 || said[0] != "Đang tìm…" || said[len(said)-1] != "Tìm thấy 2 kết quả." {
			t.Errorf("%s: the status said %q, want \"Đang tìm…\" then \"Tìm thấy 2 kết quả.\"", s.name, said)
		}
		open := eval[bool](t, ctx, `document.querySelector('.search-filters').open`)
		if open != (s.width >= 1024) {
			t.Errorf("%s: filters open = %v", s.name, open)
		}

		// A second search is a new history entry; Back restores the first.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#q').value = ''`), chromedp.SendKeys(chromedp.CSS("#q"), "duong")); err != nil {
			t.Fatal(err)
		}
		waitStatus("Tìm thấy 3 kết quả")
		// "duo", typed on the way, finds the same three: wait for the
		// search of the whole word before reading the results.
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`new URLSearchParams(location.search).get('q') === 'duong' && !document.querySelector('.search-status').textContent.includes('Đang tìm')`,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Errorf("%s: URL query %q after typing", s.name, eval[string](t, ctx, `new URLSearchParams(location.search).get('q')`))
		}
		first := resultLinks()
		eval[bool](t, ctx, `history.back(), true`)
		waitStatus("Tìm thấy 2 kết quả")
		if v := eval[string](t, ctx, `document.querySelector('#q').value + '|' + new URLSearchParams(location.search).get('q')`); v != "thi dua|thi dua" {
			t.Errorf("%s: after Back, input|URL = %q", s.name, v)
		}
		if got := resultLinks(); got != "/ban-tin/bai-viet/a1/ /ban-tin/bai-viet/a2/" {
			t.Errorf("%s: after Back, results %q", s.name, got)
		}
		eval[bool](t, ctx, `history.forward(), true`)
		waitStatus("Tìm thấy 3 kết quả")
		if got := resultLinks(); got != first {
			t.Errorf("%s: after Forward, results %q, want %q", s.name, got, first)
		}
	}
}

// TestSearchWithoutAWordFindsNothingAndSaysWhy: punctuation only, or a
// single word longer than the index keeps (64 bytes), is not an empty
// query: the page lists nothing and says why, and the API finds nothing.
func TestSearchWithoutAWordFindsNothingAndSaysWhy(t *testing.T) {
	t.Parallel()
	ctx, base, search := searchPage(t, searchSite)
	long := strings.Repeat("đua", 16) + "x" // 65 bytes: one more than a word may have
	for _, q := range []string{"!!!", "“” – …", long, `""`} {
		if res := search(q, nil); res.Total != 0 || len(res.Results) != 0 {
			t.Errorf("search(%q) found %d articles", q, res.Total)
		}
		navigate(t, ctx, base+"tim-kiem/?q="+url.QueryEscape(q))
		msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const s = document.querySelector('.search-status').textContent; return s.includes('không có từ nào') ? s : null })()`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Errorf("?q=%s: the page does not say why nothing is found; it says %q", q, eval[string](t, ctx, `document.querySelector('.search-status').textContent`))
		} else if !strings.Contains(msg, "hãy nhập chữ hoặc số") {
			t.Errorf("?q=%s: message %q", q, msg)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('.search-results li').length`); n != 0 {
			t.Errorf("?q=%s lists %d results", q, n)
		}
	}
	// One byte shorter is a word like any other.
	if res := search(strings.Repeat("đua", 16), nil); res.Total != 0 || res.NoWords {
		t.Errorf("a 64-byte word that no article has: %+v", res)
	}
	if res := search("thi dua !!!", nil); res.Total != 2 {
		t.Errorf("punctuation beside words changed the results: %d", res.Total)
	}
	// A query of only filters still lists their articles (Cần Thơ's, and
	// those of Hậu Giang and Ngã Bảy, which lie in it).
	if res := search("", map[string]any{"region": "Cần Thơ"}); res.Total != 4 {
		t.Errorf("filters alone found %d", res.Total)
	}
}

// imageSite has an article with a captioned photo and a lead image, so its
// card has a thumbnail, and a draft.
const imageSite = `
-- site.toml --
title = "Bản tin"
base_url = "http://127.0.0.1/"
-- content/a.md --
---
title: "Hội nghị phát động thi đua năm 2026 của thành phố"
date: 2026-01-02
region: Cần Thơ
image: /anh/hoi-nghi.jpg
---
Đoạn mở đầu của bài.

![Hội trường phông đỏ sao vàng](/anh/hoi-nghi.jpg)
*Quang cảnh Hội nghị.*

Đoạn tiếp theo.
-- content/b.md --
---
title: Bài nháp chưa xuất bản
date: 2026-01-03
region: Cần Thơ
draft: true
---
Nội dung nháp.
`

// TestFiguresThumbnailsAndDraftBannerInBrowser: at both sizes the photo
// shows as a figure with its caption, the card's thumbnail keeps the box
// its width and height give it (so the list does not move when it loads),
// and a draft shows its banner above the title.
func TestFiguresThumbnailsAndDraftBannerInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	fsys := sitetest.FS(imageSite)
	fsys["static/anh/hoi-nghi.jpg"] = &fstest.MapFile{Data: samplePhoto(t)}
	r, err := sitetest.BuildFS(t, fsys, sitetest.Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, r.Out, "/")
	watchPage(t, ctx)
	for _, s := range screens {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, s.height)); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, srv.URL+"/bai-viet/a/")
		settle(t, ctx)
		type figureFacts struct {
			Caption string
			Alt     string
			Width   float64
		}
		f := eval[figureFacts](t, ctx, `(() => {
			const fig = document.querySelector('.body figure');
			if (!fig) return {};
			const img = fig.querySelector('img');
			return {caption: fig.querySelector('figcaption').textContent, alt: img.alt, width: img.getBoundingClientRect().width};
		})()`)
		if f.Caption != "Quang cảnh Hội nghị." || f.Alt != "Hội trường phông đỏ sao vàng" || f.Width <= 0 {
			t.Errorf("%s: figure %+v", s.name, f)
		}

		navigate(t, ctx, srv.URL+"/")
		settle(t, ctx)
		type thumb struct {
			Attrs         string
			Width, Height float64
			Shift         float64
		}
		th := eval[thumb](t, ctx, `(() => {
			const i = document.querySelector('.card .thumb');
			const b = i.getBoundingClientRect();
			return {attrs: [i.getAttribute('width'), i.getAttribute('height'), i.getAttribute('loading')].join(' '),
				width: b.width, height: b.height, shift: window.__shift};
		})()`)
		wantW, wantH := 120.0, 80.0
		if s.width < 480 {
			wantW, wantH = 96, 64
		}
		if th.Attrs != "120 80 lazy" || th.Width != wantW || th.Height != wantH {
			t.Errorf("%s: thumbnail %+v, want %vx%v", s.name, th, wantW, wantH)
		}
		if th.Shift > 0.02 {
			t.Errorf("%s: the home page moved by %.3f while its thumbnail loaded", s.name, th.Shift)
		}

		navigate(t, ctx, srv.URL+"/bai-viet/b/")
		type banner struct {
			Text           string
			Top, H1, Width float64
		}
		b := eval[banner](t, ctx, `(() => {
			const e = document.querySelector('.draft-banner');
			if (!e) return {};
			const r = e.getBoundingClientRect();
			return {text: e.textContent, top: r.top, h1: document.querySelector('h1').getBoundingClientRect().top, width: r.width};
		})()`)
		if !strings.HasPrefix(b.Text, "Bản nháp") || b.Top >= b.H1 || b.Top > float64(s.height) || b.Width < 200 {
			t.Errorf("%s: draft banner %+v is not shown above the title", s.name, b)
		}
	}
}

// samplePhoto is the sample site's photo, a real JPEG the browser decodes.
func samplePhoto(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../static/_anh/hoi-nghi.jpg")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// axeScript returns axe-core's browser script: $BANTIN_AXE, or where
// .ci/run installs it. Without it the test skips, unless
// BANTIN_REQUIRE_BROWSER is set.
func axeScript(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("BANTIN_AXE"), "/tmp/bantin-axe/node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	if os.Getenv("BANTIN_REQUIRE_BROWSER") != "" {
		t.Fatal("axe-core not found, and BANTIN_REQUIRE_BROWSER is set: npm install --prefix /tmp/bantin-axe axe-core, or set BANTIN_AXE to axe.min.js")
	}
	t.Skip("skipping accessibility check: axe-core not found (npm install --prefix /tmp/bantin-axe axe-core, or set BANTIN_AXE to axe.min.js)")
	return ""
}

// TestEveryPageKindPassesAxe runs axe-core on every kind of page of the
// sample site (plus a draft and a captioned photo, and the region, period
// and index pages with hierarchies, statuses, the timeline and the year
// chart) at both sizes: no violation of any rule axe runs by default.
func TestEveryPageKindPassesAxe(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	axe := axeScript(t)
	fsys := sampleSite(t, "http://127.0.0.1/")
	// Three a page, so that the lists have older pages with their pager.
	replaceIn(fsys, "site.toml", "page_size = 10", "page_size = 3")
	r, err := sitetest.BuildFS(t, fsys, sitetest.Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Has("bai-viet/trang/2/index.html") {
		t.Fatal("the sample site at three a page has no page 2")
	}
	srv := browsertest.Serve(t, r.Out, "/")
	pages := []string{
		"", "trang/1/", "trang/2/", "bai-viet/", "bai-viet/trang/1/", "bai-viet/trang/2/",
		"bai-viet/can-tho-phat-dong-thi-dua-chinh-quyen-hai-cap/", // a figure
		"bai-viet/da-nang-cong-chuc-thi-dua-cai-cach-hanh-chinh/", // a lead photo
		"bai-viet/vi-thanh-so-ket-dot-thi-dua-chao-mung-dai-hoi/", // a draft
		"khu-vuc/", "khu-vuc/nga-bay/", "chu-de/", "khau-hieu/", "dot-thi-dua/", "nam/", "nam/2023/",
		// A province with the places inside it, one merged away, an ongoing
		// and an upcoming campaign, an article of each.
		"khu-vuc/can-tho/", "khu-vuc/hau-giang/", "dot-thi-dua/2025-07-2027-06/", "dot-thi-dua/2027/",
		"bai-viet/tp-can-tho-ke-hoach-thi-dua-nam-2027/", "bai-viet/soc-trang-tang-toc-thi-dua-truoc-hop-nhat/",
		"tim-kiem/", "tim-kiem/?q=thi+dua", "tim-kiem/?q=!!!", "khong-co-trang-nay/",
	}
	for _, s := range screens {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, s.height)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			navigate(t, ctx, srv.URL+"/"+p)
			if strings.HasPrefix(p, "tim-kiem/?") {
				if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`/Tìm thấy|không có từ/.test(document.querySelector('.search-status').textContent)`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Fatalf("/%s: no results: %v", p, err)
				}
			}
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
				t.Fatalf("load axe-core: %v", err)
			}
			out := eval[string](t, ctx, `axe.run(document, {resultTypes: ['violations']}).then((r) =>
				JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))))`)
			var violations []struct {
				ID, Impact string
				Nodes      []string
			}
			if err := json.Unmarshal([]byte(out), &violations); err != nil {
				t.Fatal(err)
			}
			for _, v := range violations {
				t.Errorf("%s /%s: axe %s (%s) on %v", s.name, p, v.ID, v.Impact, v.Nodes)
			}
		}
	}
}
