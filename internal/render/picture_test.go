package render

import (
	"errors"
	"html"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bantin/bantin/internal/images"
)

func newPictureTestRenderer(t *testing.T) *Renderer {
	t.Helper()
	return New(Options{BasePath: "/", Image: func(file, dest string) (*images.Set, error) {
		switch {
		case strings.HasPrefix(dest, "http"):
			return nil, nil
		case strings.Contains(dest, "missing"):
			return nil, errors.New("not found: put it in static/")
		}
		if file != "content/a.md" {
			t.Errorf("callback got file %q", file)
		}
		return &images.Set{Src: "/_img/h/" + dest, Width: 960, Height: 540, FallbackSrcset: "/_img/h/" + dest + " 960w"}, nil
	}})
}

func TestBodyImagesBecomePicturesLazyAfterTheFirst(t *testing.T) {
	t.Parallel()
	md := newPictureTestRenderer(t)
	body := "Mở đầu.\n\n![Lễ *phát động*](a.jpg \"Ảnh\") giữa dòng.\n\n![b](b.jpg) ![ngoài](https://x.vn/c.jpg)\n"
	doc, err := md.Render("content/a.md", 5, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc.HTML)
	first := `<picture><img src="/_img/h/a.jpg" srcset="/_img/h/a.jpg 960w" sizes="` + images.DefaultSizes + `" width="960" height="540" alt="Lễ phát động" title="Ảnh" decoding="async"></picture>`
	second := `<picture><img src="/_img/h/b.jpg" srcset="/_img/h/b.jpg 960w" sizes="` + images.DefaultSizes + `" width="960" height="540" alt="b" loading="lazy" decoding="async"></picture>`
	for _, want := range []string{first, second, `<img src="https://x.vn/c.jpg" alt="ngoài">`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if len(doc.Images) != 2 || doc.Images[0].Dest != "a.jpg" || doc.Images[1].Dest != "b.jpg" {
		t.Errorf("doc images %+v", doc.Images)
	}

	// Below a lead image, even the first body image waits.
	doc, err = md.RenderArticle("content/a.md", 5, []byte(body), true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(doc.HTML), `loading="lazy"`) != 2 {
		t.Errorf("with a lead image, want both body pictures lazy:\n%s", doc.HTML)
	}
}

func TestBrokenBodyImageIsAnErrorAtItsPosition(t *testing.T) {
	t.Parallel()
	_, err := newPictureTestRenderer(t).Render("content/a.md", 5, []byte("Mở đầu.\n\nXem   ![ảnh](missing.jpg)\n"))
	if err == nil || err.Error() != "content/a.md:7:7: not found: put it in static/" {
		t.Fatalf("error %v, want it at content/a.md:7:7", err)
	}
}

// TestCaptionedPicturesBecomeFigures renders every case of the figures
// file with processed images: each comes out as it does without them,
// with the <img> replaced by its <picture>, in a figure where the image
// had one. The search text does not change either.
func TestCaptionedPicturesBecomeFigures(t *testing.T) {
	t.Parallel()
	a, err := txtar.ParseFile("testdata/figures.txtar")
	if err != nil {
		t.Fatal(err)
	}
	plain := New(Options{BasePath: "/"})
	pictures := New(Options{BasePath: "/", Image: func(file, dest string) (*images.Set, error) {
		return &images.Set{Src: "/_img/h" + dest, Width: 960, Height: 540, FallbackSrcset: "/_img/h" + dest + " 960w"}, nil
	}})
	imgRE := regexp.MustCompile(`<img src="([^"]*)" alt="([^"]*)"( title="([^"]*)")?>`)
	figures := 0
	for _, f := range a.Files {
		name, ok := strings.CutSuffix(f.Name, ".md")
		if !ok {
			continue
		}
		want, err := plain.Render("content/a.md", 1, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pictures.Render("content/a.md", 1, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		lazy := false
		wantHTML := imgRE.ReplaceAllStringFunc(string(want.HTML), func(img string) string {
			m := imgRE.FindStringSubmatch(img)
			set := &images.Set{Src: "/_img/h" + m[1], Width: 960, Height: 540, FallbackSrcset: "/_img/h" + m[1] + " 960w"}
			pic := set.Picture(images.Attrs{Alt: html.UnescapeString(m[2]), Title: html.UnescapeString(m[4]), Lazy: lazy})
			lazy = true
			return string(pic)
		})
		if string(got.HTML) != wantHTML {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got.HTML, wantHTML)
		}
		if got.Text != want.Text || got.Lead != want.Lead {
			t.Errorf("%s: text %q, lead %q; without pictures %q, %q", name, got.Text, got.Lead, want.Text, want.Lead)
		}
		if strings.Contains(string(got.HTML), "<figure>\n<picture>") {
			figures++
		}
	}
	if figures < 5 {
		t.Errorf("only %d cases made a figure of a picture", figures)
	}
}
