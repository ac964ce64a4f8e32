package site_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/sitetest"
)

// TestPhoneDownloadsSmallWebPs opens the photo article at 360×800 and
// scrolls through it: the browser must pick the 480-px WebPs and download
// under 15% of the originals' bytes. (The article's image from another
// site is left out: the test has no network.) Not parallel, for the reason
// TestArticleImagesArePublishedResponsiveAndClean gives.
func TestPhoneDownloadsSmallWebPs(t *testing.T) {
	ctx := browsertest.Browser(t)
	fsys := cameraSite(t)
	originals := 0
	for _, name := range []string{"static/images/camera.jpg", "content/2024/logo.png", "static/images/small.jpg"} {
		originals += len(fsys[name].Data)
	}
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, r.Out, "/")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800), chromedp.Navigate(srv.URL+"/bai-viet/a/")); err != nil {
		t.Fatal(err)
	}
	type download struct {
		Name      string `json:"name"`
		Bytes     int    `json:"bytes"`
		Initiator string `json:"initiator"`
	}
	type facts struct {
		Current   []string   `json:"current"`
		Downloads []download `json:"downloads"`
	}
	// Scroll to the end so lazy images load, then wait for every image.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[facts](`new Promise(resolve => {
		window.scrollTo(0, document.body.scrollHeight);
		const started = Date.now();
		const done = () => {
			const imgs = [...document.querySelectorAll('picture img')];
			if (imgs.some(i => !i.complete || !i.currentSrc) && Date.now() - started < 20000) return setTimeout(done, 50);
			resolve({
				current: imgs.map(i => new URL(i.currentSrc).pathname),
				downloads: performance.getEntriesByType('resource')
					.filter(e => e.initiatorType === 'img' && new URL(e.name).origin === location.origin)
					.map(e => ({name: new URL(e.name).pathname, bytes: e.encodedBodySize, initiator: e.initiatorType})),
			});
		};
		done();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Current) != 3 {
		t.Fatalf("the page shows %d pictures: %v", len(got.Current), got.Current)
	}
	// The camera photo and the logo are wide enough for a 480-px variant;
	// the small photo has only its own 300 px.
	for i, want := range []string{"/480.webp", "/480.webp", "/300.webp"} {
		if !strings.HasSuffix(got.Current[i], want) {
			t.Errorf("picture %d shows %s, want its %s", i, got.Current[i], want)
		}
	}
	total := 0
	var names []string
	for _, d := range got.Downloads {
		total += d.Bytes
		names = append(names, fmt.Sprintf("%s (%d B)", d.Name, d.Bytes))
		if !strings.HasSuffix(d.Name, ".webp") {
			t.Errorf("downloaded %s, not a WebP", d.Name)
		}
	}
	t.Logf("downloaded %s: %d bytes, %.1f%% of the originals' %d", strings.Join(names, ", "), total, 100*float64(total)/float64(originals), originals)
	if len(got.Downloads) != 3 || total == 0 || total*100 >= originals*15 {
		t.Errorf("downloaded %d images, %d bytes: want 3 WebPs under 15%% of %d", len(got.Downloads), total, originals)
	}
}
