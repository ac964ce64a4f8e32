package site_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/sitetest"
)

// sampleSite loads the repository's sample site (content, static files and
// site.toml) as a site folder; layouts come from the embedded theme.
func sampleSite(t *testing.T, baseURL string) fstest.MapFS {
	t.Helper()
	root := filepath.Join("..", "..")
	fsys := fstest.MapFS{}
	for _, dir := range []string{"content", "static", "data"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(root, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfgText := string(cfg)
	if baseURL != "" {
		lines := strings.Split(cfgText, "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "base_url") {
				lines[i] = `base_url = "` + baseURL + `"`
			}
		}
		cfgText = strings.Join(lines, "\n")
	}
	fsys["site.toml"] = &fstest.MapFile{Data: []byte(cfgText)}
	return fsys
}

func TestSampleSiteInBrowserAtPhoneWidthUnderSubPath(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	fsys := sampleSite(t, "http://127.0.0.1/ban-tin/")
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, r.Out, "/ban-tin/")

	// Record every request: the theme must load nothing from other hosts.
	var mu sync.Mutex
	var requested []string
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	article := ""
	for _, n := range r.Out.Names() {
		if strings.HasPrefix(n, "bai-viet/") {
			article = n
			break
		}
	}
	pages := []string{"", "khu-vuc/", "khu-vuc/nga-bay/", strings.TrimSuffix(article, "index.html"), "khong-co-trang-nay/"}
	if err := networkOn(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	type pageFacts struct {
		Overflow   bool   `json:"overflow"`
		Title      string `json:"title"`
		SkipTarget string `json:"skip"`
		H1         string `json:"h1"`
		Header     string `json:"header"`
	}
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ban-tin/"+p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		f, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](`({
			overflow: document.documentElement.scrollWidth > window.innerWidth,
			title: document.title,
			skip: document.querySelector('a.skip-link').getAttribute('href'),
			h1: (document.querySelector('h1')||{}).textContent||'',
			header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
		})`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		overflow, title, skipTarget, h1, cssApplied := f.Overflow, f.Title, f.SkipTarget, f.H1, f.Header
		if overflow {
			t.Errorf("/%s scrolls sideways at 360 px", p)
		}
		if skipTarget != "#noi-dung" || h1 == "" || !strings.Contains(title, "Bản tin Thi đua") {
			t.Errorf("/%s: skip link %q, h1 %q, title %q", p, skipTarget, h1, title)
		}
		if cssApplied != "rgb(155, 28, 28)" {
			t.Errorf("/%s: stylesheet not applied under the sub-path (header background %q)", p, cssApplied)
		}
	}
	// Keyboard: the first Tab lands on the skip link.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ban-tin/"), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if err != nil {
		t.Fatal(err)
	}
	if focused != "skip-link" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requested {
		if !strings.HasPrefix(u, srv.URL+"/ban-tin/") {
			t.Errorf("page requested %s, outside the site", u)
		}
	}
	if len(requested) < len(pages) {
		t.Errorf("recorded only %d requests", len(requested))
	}
}

// TestPagesReadWithoutJavaScript opens an article with JavaScript disabled.
func TestPagesReadWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r := sitetest.Build(t, threeFormats)
	srv := browsertest.Serve(t, r.Out, "/")
	if err := scriptsOff(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bai-viet/nga-bay/")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Thành phố Ngã Bảy: Phát động thi đua", "Kết quả đạt được", "Phường Lái Hiếu"} {
		if !strings.Contains(text, want) {
			t.Errorf("without JavaScript the article lacks %q", want)
		}
	}
}

// TestArticlePrintsWithoutNavigation renders an article for print, as a
// browser would for A4, and checks that only the article remains.
func TestArticlePrintsWithoutNavigation(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	r := sitetest.Build(t, threeFormats)
	srv := browsertest.Serve(t, r.Out, "/")
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bai-viet/nga-bay/")); err != nil {
		t.Fatal(err)
	}
	if err := printMedia(ctx); err != nil {
		t.Fatal(err)
	}
	type shown struct {
		Header, Nav, Footer, Crumbs, Related, Article string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](`(() => {
		const d = (s) => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : 'missing'; };
		return {Header: d('.site-header'), Nav: d('.site-nav'), Footer: d('.site-footer'), Crumbs: d('.breadcrumbs'), Related: d('.related'), Article: d('article.article')};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Header != "none" || got.Nav != "none" || got.Footer != "none" || got.Crumbs != "none" || got.Related != "none" || got.Article == "none" {
		t.Errorf("printed page shows %+v", got)
	}
	// @page asks for A4: 595 × 842 points.
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
		prefer := true
		p.PreferCSSPageSize = &prefer
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`/MediaBox \[0 0 59[4-6](\.\d+)? 84[12](\.\d+)?\]`).Match(pdf) {
		t.Errorf("printed page is not A4: %s", regexp.MustCompile(`/MediaBox \[[^\]]*\]`).Find(pdf))
	}
}
