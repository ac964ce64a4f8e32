package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/search"
	"github.com/bantin/bantin/internal/sitetest"
)

// searchSite covers what Vietnamese readers type: no diacritics, NFD text,
// old and new tone placement, adjacent and scattered words, and markup in
// titles that must stay text.
var searchSite = `
-- site.toml --
title = "Bản tin"
base_url = "http://127.0.0.1/ban-tin/"
-- content/a1.md --
---
title: "Đại hội thi đua yêu nước tỉnh Hậu Giang"
date: 2025-05-01
region: Hậu Giang
period: "2025"
topics: [Thi đua khen thưởng]
---
Phong trào thi đua lan tỏa khắp các xã. Nhiều con đường làng được mở rộng.
-- content/a2.md --
` + norm.NFD.String(`---
title: "Ngã Bảy phát động phong trào mới"
date: 2024-03-01
region: Ngã Bảy
topics: [Dân vận khéo]
---
Các đội thi công tham gia đua thuyền truyền thống, xóm làng hoà thuận.
`) + `
-- content/a3.md --
---
title: "Hàng dương ven biển"
date: 2024-06-01
region: Cần Thơ
---
Trồng thêm dương liễu ven biển.
-- content/a4.md --
---
title: "Đường giao thông nông thôn"
date: 2023-01-01
region: Cần Thơ
topics: [Nông thôn mới]
---
Làm mới con đường liên xã.
-- content/a5.md --
---
title: "Khánh Hòa phát triển thủy sản <b>bền vững</b>"
date: 2022-08-08
region: Khánh Hòa
---
Ngư dân Khánh Hòa vươn khơi.
`

type apiResult struct {
	Total   int  `json:"total"`
	NoWords bool `json:"noWords"`
	Results []struct {
		URL     string `json:"url"`
		Title   string `json:"title"`
		Date    string `json:"date"`
		Region  string `json:"region"`
		Excerpt string `json:"excerpt"`
	} `json:"results"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func (r apiResult) titles() []string {
	var out []string
	for _, x := range r.Results {
		out = append(out, x.Title)
	}
	return out
}

func (r apiResult) facet(kind, value string) int {
	for _, f := range r.Facets[kind] {
		if f.Value == value {
			return f.Count
		}
	}
	return 0
}

// searchPage opens the search page of a built site and returns a function
// that calls window.bantin.search there.
func searchPage(t *testing.T, archive string) (context.Context, string, func(q string, opts map[string]any) apiResult) {
	t.Helper()
	ctx := browsertest.Browser(t)
	r := sitetest.Build(t, archive)
	srv := browsertest.Serve(t, r.Out, "/ban-tin/")
	base := srv.URL + "/ban-tin/"
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"tim-kiem/")); err != nil {
		t.Fatal(err)
	}
	call := func(q string, opts map[string]any) apiResult {
		t.Helper()
		qj, _ := json.Marshal(q)
		oj, _ := json.Marshal(opts)
		res, err := chromedp.Run(ctx, chromedp.Evaluate[apiResult](fmt.Sprintf("window.bantin.search(%s, %s)", qj, oj), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("search(%q, %s): %v", q, oj, err)
		}
		return res
	}
	return ctx, base, call
}

func TestSearchAPIInBrowser(t *testing.T) {
	t.Parallel()
	_, _, search := searchPage(t, searchSite)
	const a1, a2, a3, a4, a5 = "Đại hội thi đua yêu nước tỉnh Hậu Giang", "Ngã Bảy phát động phong trào mới", "Hàng dương ven biển", "Đường giao thông nông thôn", "Khánh Hòa phát triển thủy sản <b>bền vững</b>"

	for _, tc := range []struct {
		query string
		opts  map[string]any
		want  []string // in order
	}{
		// Without diacritics; adjacent words rank above scattered ones.
		{"thi dua", nil, []string{a1, a2}},
		{"nga bay", nil, []string{a2}},
		{"dai hoi", nil, []string{a1}},
		{"NGÃ BẢY", nil, []string{a2}},
		// NFD text and old/new tone placement match each other.
		{"hòa thuận", nil, []string{a2}},
		{"khanh hoà", nil, []string{a5}},
		{"thuỷ sản", nil, []string{a5}},
		// Exact diacritics first: "đường" above "dương".
		{"đường", nil, []string{a4, a1, a3}},
		{"dương", nil, []string{a3, a4, a1}},
		// A quoted phrase needs its words adjacent and in order.
		{`"thi đua"`, nil, []string{a1}},
		{`"đua thi"`, nil, nil},
		// The last word matches as a prefix while typing.
		{"thi đ", nil, []string{a1, a2}},
		{"ngã b", nil, []string{a2}},
		// Every word must match.
		{"thi dua khong-co-tu-nay", nil, nil},
		// Filters combine with the query and with each other; a query of
		// only filters lists newest first. A place's filter finds the
		// places inside it: Hậu Giang and its Ngã Bảy lie in Cần Thơ.
		{"", map[string]any{"region": "Cần Thơ"}, []string{a1, a3, a2, a4}},
		{"", map[string]any{"region": "Hậu Giang"}, []string{a1, a2}},
		{"duong", map[string]any{"region": "Cần Thơ"}, []string{a3, a4, a1}},
		{"duong", map[string]any{"region": "Cần Thơ", "year": 2023}, []string{a4}},
		{"", map[string]any{"topic": "Nông thôn mới"}, []string{a4}},
		{"", map[string]any{"period": "2025"}, []string{a1}},
		{"", map[string]any{"region": "Không có"}, nil},
	} {
		got := search(tc.query, tc.opts)
		if !slices.Equal(got.titles(), tc.want) || got.Total != len(tc.want) {
			t.Errorf("search(%q, %v) = %d %q, want %q", tc.query, tc.opts, got.Total, got.titles(), tc.want)
		}
	}

	// Facets count the current query's results.
	res := search("thi dua", nil)
	if res.facet("region", "Hậu Giang") != 2 || res.facet("region", "Ngã Bảy") != 1 || res.facet("region", "Cần Thơ") != 2 ||
		res.facet("year", "2025") != 1 || res.facet("topic", "Thi đua khen thưởng") != 1 || res.facet("period", "2025") != 1 {
		t.Errorf("facets of %q: %+v", "thi dua", res.Facets)
	}
	// Without facets, nothing is counted, and filters still apply.
	if res := search("thi dua", map[string]any{"facets": false}); res.Facets != nil || res.Total != 2 {
		t.Errorf("facets: false gave %d results and facets %v", res.Total, res.Facets)
	}
	if res := search("", map[string]any{"facets": false, "region": "Ngã Bảy"}); res.Total != 1 || res.Results[0].Title != a2 {
		t.Errorf("facets: false with a filter: %+v", res)
	}
	// A chosen region still shows the other regions' counts.
	res = search("duong", map[string]any{"region": "Cần Thơ"})
	if res.facet("region", "Hậu Giang") != 1 || res.facet("region", "Cần Thơ") != 3 {
		t.Errorf("facets with a region chosen: %+v", res.Facets["region"])
	}
	// Results carry the article's URL as linked on the site, its date and
	// region, and an excerpt with the matched words marked.
	res = search("nga bay", nil)
	r := res.Results[0]
	if r.URL != "/ban-tin/bai-viet/a2/" || r.Date != "01/03/2024" || r.Region != "Ngã Bảy" {
		t.Errorf("result %+v", r)
	}
	res = search("hoa thuan", nil)
	if !strings.Contains(res.Results[0].Excerpt, "<mark>hoà</mark> <mark>thuận</mark>") {
		t.Errorf("excerpt %q lacks the marked words", res.Results[0].Excerpt)
	}
	res = search("ben vung", nil)
	if len(res.Results) != 1 || !strings.Contains(res.Results[0].Excerpt, "Ngư dân") {
		t.Errorf("title-only match: %+v", res.Results)
	}
	// Limits and offsets page through results.
	if res := search("", map[string]any{"region": "Cần Thơ", "limit": 1, "offset": 1}); res.Total != 4 || len(res.Results) != 1 || res.Results[0].Title != a3 {
		t.Errorf("offset page: %+v", res)
	}
}

func TestSearchTokenizerMatchesGo(t *testing.T) {
	t.Parallel()
	ctx, _, _ := searchPage(t, searchSite)
	samples := []string{
		"Thành phố Ngã Bảy: Phát động thi đua", norm.NFD.String("Đại hội Đảng bộ, hoà thuận"),
		"KHÁNH HOÀ, thuỷ lợi, tuỵ, quý, hoàng", "2022–2023 97/KH-UBND", "e‑mail x_y ½ ² Ⅻ ﬁ",
		"ΑΒΓ Привет 中文 😀 a\u0301b", strings.Repeat("dài", 30) + " ngắn", "ÐĐđ İstanbul ǅ", "I\u0307stanbul",
	}
	for _, s := range samples {
		sj, _ := json.Marshal(s)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]map[string]any](fmt.Sprintf("window.bantin.tokenize(%s)", sj)))
		if err != nil {
			t.Fatal(err)
		}
		want := search.Tokenize(s)
		var g, w []string
		for _, tok := range got {
			g = append(g, fmt.Sprint(tok["e"], "/", tok["f"]))
		}
		for _, tok := range want {
			w = append(w, tok.Exact+"/"+tok.Folded)
		}
		if !slices.Equal(g, w) {
			t.Errorf("tokenize(%q):\n JS %q\n Go %q", s, g, w)
		}
	}
}

func TestSearchPageStateAndHostileQueries(t *testing.T) {
	t.Parallel()
	ctx, base, _ := searchPage(t, searchSite)
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *page.EventJavascriptDialogOpening:
			problems = append(problems, "dialog: "+e.Message)
		}
	}); err != nil {
		t.Fatal(err)
	}
	waitStatus := func(want string) string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Poll[string](
			fmt.Sprintf(`(() => { const s = document.querySelector('.search-status').textContent; return s.includes(%q) ? s : null })()`, want),
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.search-status').textContent`))
			t.Fatalf("status never said %q; it says %q (%v)", want, status, err)
		}
		return got
	}

	// State comes from the query string. At phone width the filter panel
	// starts closed (wide screens open it).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800), chromedp.Navigate(base+"tim-kiem/?q=thi%20dua%20")); err != nil {
		t.Fatal(err)
	}
	waitStatus("Tìm thấy 2 kết quả")
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.search-results a')].map(a => a.getAttribute('href'))`))
	if err != nil || !slices.Equal(links, []string{"/ban-tin/bai-viet/a1/", "/ban-tin/bai-viet/a2/"}) {
		t.Errorf("result links %v %v", links, err)
	}
	marks, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.search-results mark').length`))
	if marks < 2 {
		t.Errorf("%d highlighted words", marks)
	}
	live, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.search-status').getAttribute('aria-live')`))
	if live != "polite" {
		t.Errorf("status is not announced: aria-live %q", live)
	}

	// Typing searches and writes the query back to the URL; a facet too.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#q').value = ''`), chromedp.SendKeys(chromedp.CSS("#q"), "duong")); err != nil {
		t.Fatal(err)
	}
	waitStatus("Tìm thấy 3 kết quả")
	// Facets load when the filter panel opens.
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#facet-region').length`)); n != 0 {
		t.Errorf("facets rendered before the filter panel was opened")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".search-filters summary"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#facet-region option').length > 1`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("facets never appeared: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#facet-region'); s.value = 'Hậu Giang'; s.dispatchEvent(new Event('change')); })()`)); err != nil {
		t.Fatal(err)
	}
	waitStatus("Tìm thấy 1 kết quả")
	loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if q, _ := url.ParseQuery(strings.TrimPrefix(loc, "?")); q.Get("q") != "duong" || q.Get("region") != "Hậu Giang" {
		t.Errorf("URL state %q", loc)
	}
	// Reloading the bookmarked URL restores the state.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitStatus("Tìm thấy 1 kết quả")
	selected, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#facet-region').value + '|' + document.querySelector('#q').value`))
	if selected != "Hậu Giang|duong" {
		t.Errorf("restored state %q", selected)
	}

	// Hostile queries are text, never markup, and never break the page.
	hostile := []string{
		`"><img src=x onerror="window.__pwned=1;alert(1)">`,
		`<script>window.__pwned=1</script>`, `</title><svg onload=alert(1)>`,
		`"thi "đua" "`, `😀💥 ̀ ́`, strings.Repeat("thi đua ", 1300), `\u0000 %00 ${alert(1)} {{.}}`,
	}
	for _, q := range hostile {
		qj, _ := json.Marshal(q)
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"tim-kiem/?q="+url.QueryEscape(q))); err != nil {
			t.Fatal(err)
		}
		waitStatus(".")
		injected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(window.__pwned || document.querySelector('main img, main svg, main script:not([src])'))`))
		if err != nil || injected {
			t.Errorf("query %s injected markup (%v)", qj, err)
		}
		// The API survives it too.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[apiResult](fmt.Sprintf("window.bantin.search(%s)", qj), chromedp.EvalAwaitPromise)); err != nil {
			t.Errorf("search(%s): %v", qj, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("page problems: %v", problems)
	}
}

func TestSearchPageReportsBrokenIndex(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r := sitetest.Build(t, searchSite)
	broken := r.Out
	// Serve a site whose manifest is corrupt, and one whose shard is.
	for _, corrupt := range []string{"manifest", "shard"} {
		name := ""
		for _, n := range broken.Names() {
			if (corrupt == "manifest" && strings.HasSuffix(n, "manifest.json")) || (corrupt == "shard" && strings.Contains(n, "/s/0.bin")) {
				name = n
			}
		}
		srv := browsertest.ServeWith(t, broken, "/ban-tin/", map[string][]byte{name: []byte("{garbage")})
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ban-tin/tim-kiem/?q=thi+dua")); err != nil {
			t.Fatal(err)
		}
		msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const s = document.querySelector('.search-status').textContent; return s.includes('Không tải được') ? s : null })()`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Errorf("%s corrupt: no message (%v)", corrupt, err)
		} else if !strings.Contains(msg, "tải lại trang") {
			t.Errorf("%s corrupt: message %q", corrupt, msg)
		}
	}
}

// TestSearchQueryParserFuzz feeds the page's query parser and search
// thousands of generated queries, from a fixed seed: quotes in any number,
// HTML, emoji, combining marks, control characters and very long input.
// Each must resolve to a well-formed result, never throw.
func TestSearchQueryParserFuzz(t *testing.T) {
	t.Parallel()
	ctx, _, _ := searchPage(t, searchSite)
	type report struct {
		Runs     int      `json:"runs"`
		Failures []string `json:"failures"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[report](`(async () => {
		let seed = 12345;
		const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
		const pieces = ['thi', 'đua', 'Ngã', 'Bảy', '"', '""', ' ', '  ', 'hoà', 'a\u0301', '\u0300', '<img src=x onerror=alert(1)>',
			'</script>', '😀', '\u0000', '\n', '\t', 'đ', 'Đ', '%', '&amp;', "'", '\\', '~', '·', 'İ', 'ﬁ', '١٢٣', '中文', 'x'.repeat(80)];
		const failures = [];
		let runs = 0;
		for (let i = 0; i < 400; i++) {
			let q = '';
			const parts = rand(12);
			for (let k = 0; k < parts; k++) q += pieces[rand(pieces.length)];
			if (i % 50 === 0) q = q.repeat(200);
			try {
				const words = window.bantin.parse(q);
				if (!Array.isArray(words) || words.length > 12) throw new Error('parse gave ' + words.length + ' words');
				for (const w of words) if (typeof w.f !== 'string' || /[\s"<>]/.test(w.f)) throw new Error('bad word ' + JSON.stringify(w));
				const opts = { limit: 1 + rand(20), offset: rand(3), facets: rand(2) === 0 };
				const r = await window.bantin.search(q, opts);
				if (typeof r.total !== 'number' || r.total < 0 || r.results.length > opts.limit) throw new Error('bad result ' + JSON.stringify(r).slice(0, 200));
				for (const x of r.results) if (/<(?!\/?mark>)/.test(x.excerpt)) throw new Error('unescaped excerpt ' + x.excerpt);
				runs++;
			} catch (e) {
				failures.push(JSON.stringify(q).slice(0, 120) + ': ' + e.message);
			}
		}
		return { runs, failures: failures.slice(0, 10) };
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Failures) > 0 || got.Runs != 400 {
		t.Errorf("%d of 400 queries ran; failures:\n%s", got.Runs, strings.Join(got.Failures, "\n"))
	}
}

func TestSearchPageWithoutJavaScriptSaysSo(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r := sitetest.Build(t, searchSite)
	srv := browsertest.Serve(t, r.Out, "/ban-tin/")
	if err := scriptsOff(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ban-tin/tim-kiem/?q=thi+dua")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Trang tìm kiếm cần JavaScript") {
		t.Errorf("no message without JavaScript; main reads:\n%s", text)
	}
}

// TestSearchFiltersByDeclaredTaxonomyInBrowser: a taxonomy declared in
// site.toml is a filter of window.bantin.search and of the search page,
// with counts, labelled with its name, and its values are searchable.
func TestSearchFiltersByDeclaredTaxonomyInBrowser(t *testing.T) {
	t.Parallel()
	archive := strings.Replace(unitSite, `base_url = "https://example.gov.vn/"`, `base_url = "http://127.0.0.1/ban-tin/"`, 1)
	ctx, base, find := searchPage(t, archive)
	const nga, khcn = "Ban Thường vụ Thành ủy Ngã Bảy", "Sở Khoa học và Công nghệ"

	if res := find("", map[string]any{"unit": nga}); res.Total != 3 || res.facet("unit", nga) != 3 || res.facet("unit", khcn) != 2 {
		t.Errorf("filter by unit: %d results, facets %+v", res.Total, res.Facets["unit"])
	}
	if res := find("tong ket", map[string]any{"unit": khcn}); !slices.Equal(res.titles(), []string{"Sở Khoa học và Công nghệ tổng kết"}) {
		t.Errorf("words and unit: %q", res.titles())
	}
	if res := find("", map[string]any{"unit": "Không có"}); res.Total != 0 {
		t.Errorf("unknown unit matched %d", res.Total)
	}
	// The unit's words find its articles, though no title has them.
	if res := find("thanh uy", nil); res.Total != 3 {
		t.Errorf("thanh uy: %q", res.titles())
	}
	// Other filters combine with it, and the old ones still work.
	if res := find("", map[string]any{"unit": khcn, "region": "Hậu Giang"}); res.Total != 0 {
		t.Errorf("unit and another region: %d", res.Total)
	}
	// Hậu Giang's own article and the three of Ngã Bảy, which lies in it.
	if res := find("", map[string]any{"region": "Hậu Giang", "year": 2024}); res.Total != 4 {
		t.Errorf("region and year: %d", res.Total)
	}
	facets, err := chromedp.Run(ctx, chromedp.Evaluate[[]search.Facet](`window.bantin.facets()`, chromedp.EvalAwaitPromise))
	if err != nil || len(facets) != 5 || facets[4].Key != "unit" || facets[4].Label != "Đơn vị" {
		t.Errorf("facets() = %+v (%v)", facets, err)
	}

	// The page: a unit in the URL opens the filters, with the unit's.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"tim-kiem/?unit="+url.QueryEscape(khcn))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#facet-unit option').length > 1`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.search-status').textContent`))
		t.Fatalf("the unit filter never appeared (status %q): %v", status, err)
	}
	got, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
		document.querySelector('.search-status').textContent,
		document.querySelector('label[for=facet-unit]').textContent,
		document.querySelector('#facet-unit').value,
		[...document.querySelectorAll('#facet-unit option')].map(o => o.textContent).join('|'),
	]`))
	want := []string{"Tìm thấy 2 kết quả.", "Đơn vị", khcn, "Tất cả|" + nga + " (3)|" + khcn + " (2)"}
	if !slices.Equal(got, want) {
		t.Errorf("page state\n got  %q\n want %q", got, want)
	}
	// Choosing another unit searches again and writes it to the URL.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector('#facet-unit'); s.value = %q; s.dispatchEvent(new Event('change')); })()`, nga))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('.search-status').textContent.includes('3 kết quả')`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("choosing a unit: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if q, _ := url.ParseQuery(strings.TrimPrefix(loc, "?")); q.Get("unit") != nga {
		t.Errorf("URL state %q", loc)
	}
}

// A result's excerpt is the passage where the query's words meet, not the
// first place one of them appears: "thi dua" shows "phong trào thi đua",
// not the earlier "nhằm đưa" that "dua" also matches without diacritics.
func TestSearchExcerptShowsWhereTheWordsMeet(t *testing.T) {
	t.Parallel()
	_, _, search := searchPage(t, `
-- site.toml --
title = "Bản tin"
base_url = "http://127.0.0.1/ban-tin/"
-- content/a.md --
---
title: "Ngã Bảy phát động ba phong trào"
date: 2023-02-16
region: Ngã Bảy
---
Buổi lễ ngắn gọn sáng nay khởi động ba hoạt động lớn nhằm đưa chuyên đề năm 2022-2023 về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh vào cuộc sống của mỗi cán bộ.

Chuyên đề năm nay nhấn mạnh việc phát huy nội lực, nắm bắt thời cơ và vượt qua khó khăn của địa phương.

Cuối buổi lễ, các đơn vị ký giao ước phong trào thi đua yêu nước năm 2023.

## Kết quả ở các phường

Khen thưởng mười tập thể.
`)
	for _, tc := range []struct{ query, want string }{
		// A heading and its paragraph stay apart; sentences run on.
		{"ket qua", "<mark>Kết</mark> <mark>quả</mark> ở các phường · Khen thưởng"},
		{"chuyen de nam nay", "cán bộ. <mark>Chuyên</mark> <mark>đề</mark>"},
		{"thi dua", "phong trào <mark>thi</mark> <mark>đua</mark> yêu nước"},
		{"thi đua", "phong trào <mark>thi</mark> <mark>đua</mark> yêu nước"},
		// One word: its first place, as before.
		{"dua", "nhằm <mark>đưa</mark> chuyên đề"},
	} {
		res := search(tc.query, nil)
		if len(res.Results) != 1 || !strings.Contains(res.Results[0].Excerpt, tc.want) {
			t.Errorf("search(%q): %+v; want an excerpt with %q", tc.query, res.Results, tc.want)
		}
	}
}

// The English search page says "1 result found." for one result.
func TestSearchPageSaysOneResultInEnglish(t *testing.T) {
	t.Parallel()
	ctx, base, _ := searchPage(t, strings.Replace(searchSite, "title = \"Bản tin\"\n", "title = \"Bản tin\"\nlanguage = \"en\"\n", 1))
	for q, want := range map[string]string{"nga bay": "1 result found.", "duong": "3 results found."} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"tim-kiem/?q="+url.QueryEscape(q))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Poll[string](
			`(() => { const s = document.querySelector('.search-status').textContent; return /found/.test(s) ? s : null })()`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || got != want {
			t.Errorf("search %q: status %q (%v), want %q", q, got, err, want)
		}
	}
}
