package render

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// linkifySeeds mix prose with everything linkify turns into links.
var linkifySeeds = []string{
	"Xem https://hau-giang.gov.vn/tin và www.ngabay.vn, hoặc gửi thư tới vp@ubnd.gov.vn.",
	"(http://a.vn) *www.b.vn* _c@d.vn_ ~ftp://e.vn~ thi đua yêu nước",
	"Liên hệ: ban.thi-dua+tin@cantho.gov.vn; không phải @ten hay a@b",
	"hạn chót 20/9 — h f w hw www wwwx.vn http: https:// ftp:x",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.vn b",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.vn b",
	"[www.x.vn](https://y.vn) `http://z.vn` <http://w.vn>",
}

// FuzzQuickLinkify holds the filtered linkify to goldmark's own: the same
// Markdown renders to the same HTML.
func FuzzQuickLinkify(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	ours := goldmark.New(syntax()...)
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	f.Fuzz(func(t *testing.T, src string) {
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(src), &a); err != nil {
			t.Fatal(err)
		}
		if err := gfm.Convert([]byte(src), &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("%q\nours: %s\nGFM:  %s", src, a.Bytes(), b.Bytes())
		}
	})
}

func TestQuickLinkifyStillLinks(t *testing.T) {
	t.Parallel()
	doc, err := New(Options{SummaryWords: 60}).Render("content/a.md", 5, []byte(linkifySeeds[0]))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="https://hau-giang.gov.vn/tin">`,
		`<a href="http://www.ngabay.vn">www.ngabay.vn</a>`,
		`<a href="mailto:vp@ubnd.gov.vn">vp@ubnd.gov.vn</a>`,
	} {
		if !bytes.Contains(doc.HTML, []byte(want)) {
			t.Errorf("missing %s in %s", want, doc.HTML)
		}
	}
}
