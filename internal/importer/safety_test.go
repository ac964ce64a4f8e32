package importer

import (
	"html"
	"os"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/bantin/bantin/internal/render"
)

// Script-injection payloads in an imported page, as its text and as its
// markup, never reach the article as HTML: the body is escaped Markdown,
// and it stays inert even on a site that lets raw HTML through.
func TestImportedBodiesCarryNoMarkup(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../site/testdata/xss-payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := render.New(render.Options{BasePath: "/", UnsafeHTML: true})
	for _, payload := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		for i, page := range []string{
			// the payload shown as text on the page
			"<html><body><h1>Tin thi đua có ký tự lạ</h1><p>16/02/2023</p><p>Nội dung bài viết về phong trào thi đua của tỉnh: " + html.EscapeString(payload) + " và các đơn vị, địa phương trong toàn tỉnh, với nhiều việc làm thiết thực hướng về cơ sở.</p></body></html>",
			// the payload as the page's own markup
			"<html><body><h1>Tin thi đua có ký tự lạ</h1><p>16/02/2023</p><p>Nội dung bài viết về phong trào thi đua của tỉnh: " + payload + " và các đơn vị, địa phương trong toàn tỉnh, với nhiều việc làm thiết thực hướng về cơ sở.</p></body></html>",
		} {
			doc, err := readHTML(page, "", t.TempDir(), hcm)
			var a *article
			if err == nil {
				a, err = extract(doc, &env{loc: hcm})
			}
			if err == errNoText && i == 1 {
				continue // markup that swallows the page's text
			}
			if err != nil {
				t.Fatalf("%q: %v", payload, err)
			}
			md := renderBody(a.body, func(src string) string {
				if isRemote(src) {
					return src
				}
				return ""
			})
			out, err := r.Render("content/a.md", 1, []byte(md))
			if err != nil {
				t.Fatalf("%q: %v", payload, err)
			}
			if bad := activeMarkup(string(out.HTML)); bad != "" {
				t.Errorf("payload %q left %s in\n%s", payload, bad, out.HTML)
			}
		}
	}
}

// activeMarkup names the first element or attribute of doc that could run
// script, or returns "".
func activeMarkup(doc string) string {
	z := xhtml.NewTokenizer(strings.NewReader(doc))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "p", "a", "img", "em", "strong", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "code":
			default:
				return "<" + tok.Data + ">"
			}
			for _, at := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(at.Val))
				if strings.HasPrefix(at.Key, "on") || strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:text") {
					return at.Key + "=" + at.Val
				}
			}
		}
	}
}
