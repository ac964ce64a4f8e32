package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/sitetest"
)

// atClock opens a tab whose pages see the given instant as now (Date, and
// so Intl, which formats Dates), with the browser in zone; with noScript,
// pages run no JavaScript at all.
func atClock(t *testing.T, browser context.Context, now time.Time, zone string, noScript bool) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	fake := fmt.Sprintf(`(() => {
  const fixed = %d;
  const Real = Date;
  class Fake extends Real {
    constructor(...args) { if (args.length === 0) super(fixed); else super(...args); }
    static now() { return fixed; }
  }
  window.Date = Fake;
})();`, now.UnixMilli())
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fake}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: noScript}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// badges returns the label and data-status of every status badge of the
// page at u, once the status script has had its turn.
func badges(t *testing.T, ctx context.Context, u string) []string {
	t.Helper()
	navigate(t, ctx, u)
	// The script is deferred: it has run by the load event.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal(err)
	}
	return eval[[]string](t, ctx, `[...document.querySelectorAll('.status')].map((b) => b.textContent + ' ' + b.dataset.status)`)
}

// TestCampaignBadgesFollowTheReadersClock: the status script turns every
// badge to the status of the reader's day in Vietnam, whatever the
// browser's zone: past a period's end it reads "Đã kết thúc", before its
// start "Sắp diễn ra", though the page was built when it was ongoing;
// without JavaScript the status of the build shows. The site lives under a
// sub-path.
func TestCampaignBadgesFollowTheReadersClock(t *testing.T) {
	t.Parallel()
	browser := browsertest.Browser(t)
	r := sitetest.Build(t, strings.Replace(campaignsSite, "https://example.gov.vn/ban-tin/", "http://127.0.0.1/ban-tin/", 1))
	srv := browsertest.Serve(t, r.Out, "/ban-tin/")
	base := srv.URL + "/ban-tin/"
	ict := time.FixedZone("ICT", 7*3600)

	// 00:30 on 1 January 2027 in Vietnam is still 31 December 2026 in Los
	// Angeles: the campaign of 2026 has ended, the one of 2027 begun.
	newYear := atClock(t, browser, time.Date(2027, 1, 1, 0, 30, 0, 0, ict), "America/Los_Angeles", false)
	if got := badges(t, newYear, base+"bai-viet/c/"); len(got) == 0 || got[0] != "Đã kết thúc ended" || !slices.Contains(got, "Đang diễn ra ongoing") {
		t.Errorf("article of 2026 on 1 January 2027: %q", got)
	}
	if got := badges(t, newYear, base+"bai-viet/d/"); len(got) == 0 || got[0] != "Đang diễn ra ongoing" {
		t.Errorf("article of 2027 on 1 January 2027: %q", got)
	}
	// Before the campaigns of 2026 started, in March 2025 in Tokyo.
	before := atClock(t, browser, time.Date(2025, 3, 1, 9, 0, 0, 0, ict), "Asia/Tokyo", false)
	if got := badges(t, before, base+"bai-viet/c/"); len(got) == 0 || got[0] != "Sắp diễn ra upcoming" {
		t.Errorf("article of 2026 in March 2025: %q", got)
	}
	// The timeline's bars and their labels follow too.
	navigate(t, before, base+"dot-thi-dua/")
	bars := eval[[]string](t, before, `[...document.querySelectorAll('.timeline-chart .bar')].map((a) => a.dataset.status + ' ' + a.querySelector('.status').textContent)`)
	if want := []string{"upcoming Sắp diễn ra", "upcoming Sắp diễn ra", "upcoming Sắp diễn ra", "ended Đã kết thúc"}; !slices.Equal(bars, want) {
		t.Errorf("timeline in March 2025: %q, want %q", bars, want)
	}
	// Without JavaScript, the page says what it said when it was built.
	noJS := atClock(t, browser, time.Date(2027, 1, 1, 0, 30, 0, 0, ict), "America/Los_Angeles", true)
	if got := badges(t, noJS, base+"bai-viet/c/"); len(got) == 0 || got[0] != "Đang diễn ra ongoing" {
		t.Errorf("article of 2026 without JavaScript: %q", got)
	}
}

// TestTimelineChartInBrowser: on a phone the periods index shows one bar
// per period, each a link with an accessible name that leads to its
// period's page; the chart scrolls inside its own box and the page does
// not scroll sideways. The year chart's bars are named by their numbers.
func TestTimelineChartInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r, err := sitetest.BuildFS(t, sampleSite(t, "http://127.0.0.1/ban-tin/"))
	if err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, r.Out, "/ban-tin/")
	base := srv.URL + "/ban-tin/"
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, base+"dot-thi-dua/")
	settle(t, ctx)
	type facts struct {
		Bars, Periods        int
		Hrefs                []string
		Overflow             float64
		BoxWidth, ChartWidth float64
		ScrolledTo           float64
		Statuses             []string
		Texts                []string
	}
	f := eval[facts](t, ctx, `(() => {
		const box = document.querySelector('.chart');
		const bars = [...document.querySelectorAll('.timeline-chart a.bar')];
		box.scrollLeft = 120;
		return {
			bars: bars.length,
			periods: document.querySelectorAll('ul.terms > li').length,
			hrefs: bars.map((a) => a.getAttribute('href')),
			overflow: document.documentElement.scrollWidth - window.innerWidth,
			boxWidth: box.clientWidth,
			chartWidth: box.scrollWidth,
			scrolledTo: box.scrollLeft,
			statuses: bars.map((a) => a.dataset.status),
			texts: bars.map((a) => a.textContent.replace(/\s+/g, ' ').trim()),
		};
	})()`)
	if f.Bars == 0 || f.Bars != f.Periods {
		t.Errorf("%d bars for %d periods", f.Bars, f.Periods)
	}
	if f.Overflow > 0 {
		t.Errorf("the periods index scrolls sideways by %.0f px at 360 px", f.Overflow)
	}
	if f.ChartWidth <= f.BoxWidth || f.BoxWidth > 360 || f.ScrolledTo != 120 {
		t.Errorf("the timeline does not scroll in its box: box %.0f px, chart %.0f px, scrolled to %.0f", f.BoxWidth, f.ChartWidth, f.ScrolledTo)
	}
	if !slices.Contains(f.Statuses, "ongoing") || !slices.Contains(f.Statuses, "ended") {
		t.Errorf("statuses %v: the sample has ongoing and ended campaigns", f.Statuses)
	}
	// Every bar's link leads to a page; clicking one opens it.
	for _, h := range f.Hrefs {
		status := eval[int](t, ctx, fmt.Sprintf(`fetch(%q).then((r) => r.status)`, h))
		if status != 200 || !strings.HasPrefix(h, "/ban-tin/dot-thi-dua/") {
			t.Errorf("bar link %s: %d", h, status)
		}
	}
	// Each bar's link is named by its period and status, as it reads.
	names := axLinkNames(t, ctx)
	for _, text := range f.Texts {
		if !strings.Contains(text, " · ") || !slices.Contains(names, text) {
			t.Errorf("no link is named %q; link names: %q", text, names)
		}
	}
	// A real click, in the middle of the first bar.
	eval[bool](t, ctx, `(document.querySelector('.chart').scrollLeft = 0, true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".timeline-chart a.bar rect"))); err != nil {
		t.Fatal(err)
	}
	// The page navigates away under the check: ask again until it has.
	opened := ""
	for range 100 {
		if p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.pathname : ''`)); err == nil && p != "" && p != "/ban-tin/dot-thi-dua/" {
			opened = p
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if opened != f.Hrefs[0] {
		t.Errorf("clicking the first bar opens %q, want %s", opened, f.Hrefs[0])
	}

	navigate(t, ctx, base+"nam/")
	overflow := eval[float64](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`)
	if overflow > 0 {
		t.Errorf("the years index scrolls sideways by %.0f px at 360 px", overflow)
	}
	names = axLinkNames(t, ctx)
	if !slices.Contains(names, "2023: 4 bài viết") {
		t.Errorf("the year chart's bars are not named by their numbers: %q", names)
	}
}

// axLinkNames returns the accessible names of the page's links, as
// Chromium gives them to screen readers.
func axLinkNames(t *testing.T, ctx context.Context) []string {
	t.Helper()
	tree, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range tree.Nodes {
		if n.Role == nil || n.Name == nil || n.Role.Value == nil || n.Name.Value == nil {
			continue
		}
		var role, name string
		if json.Unmarshal([]byte(n.Role.Value), &role) != nil || json.Unmarshal([]byte(n.Name.Value), &name) != nil {
			continue
		}
		if role == "link" {
			out = append(out, name)
		}
	}
	return out
}

// TestSearchRegionFilterInBrowser: window.bantin.search with the filter
// "Cần Thơ" finds every bulletin of Cần Thơ, however it was spelt, and of
// Hậu Giang and Ngã Bảy, which lie in it.
func TestSearchRegionFilterInBrowser(t *testing.T) {
	t.Parallel()
	_, _, search := searchPage(t, strings.Replace(spellingsSite, "-- content/a.md --", "-- site.toml --\ntitle = \"T\"\nbase_url = \"http://127.0.0.1/ban-tin/\"\n-- content/a.md --", 1))
	res := search("", map[string]any{"region": "Cần Thơ"})
	want := []string{"Thành phố Cần Thơ sơ kết", "TP Cần Thơ khen thưởng", "Tỉnh Hậu Giang tổng kết", "Ngã Bảy tuyên dương", "Hậu Giang phát động thi đua"}
	if !slices.Equal(res.titles(), want) || res.Total != 5 {
		t.Errorf("region Cần Thơ: %d %q, want %q", res.Total, res.titles(), want)
	}
	if res.facet("region", "Cần Thơ") != 5 || res.facet("region", "Hậu Giang") != 3 || res.facet("region", "Ngã Bảy") != 1 {
		t.Errorf("region counts %+v", res.Facets["region"])
	}
	if res := search("khen thuong", map[string]any{"region": "Cần Thơ"}); len(res.Results) != 1 || res.Results[0].Region != "Cần Thơ" {
		t.Errorf("a result names the place, not the spelling: %+v", res.Results)
	}
}
