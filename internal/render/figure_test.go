package render

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

func TestCaptionedImagesBecomeFigures(t *testing.T) {
	t.Parallel()
	a, err := txtar.ParseFile("testdata/figures.txtar")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, f := range a.Files {
		if name, ok := strings.CutSuffix(f.Name, ".html"); ok {
			want[name] = string(f.Data)
		}
	}
	r := New(Options{BasePath: "/"})
	cases := 0
	for _, f := range a.Files {
		name, ok := strings.CutSuffix(f.Name, ".md")
		if !ok {
			continue
		}
		cases++
		doc, err := r.Render("content/a.md", 1, f.Data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := string(doc.HTML); got != want[name] {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, want[name])
		}
	}
	if cases < 10 {
		t.Fatalf("only %d cases", cases)
	}
}

// TestFigureTextKeepsAltAndCaptionApart: search and summaries read the
// alt text and the caption as words of their own, and a captioned photo
// at the top is not taken for the article's first paragraph.
func TestFigureTextKeepsAltAndCaptionApart(t *testing.T) {
	t.Parallel()
	doc, err := New(Options{BasePath: "/"}).Render("content/a.md", 1, []byte("![Hội trường](/a.jpg)\n*Quang cảnh Hội nghị.*\n\nĐoạn đầu tiên.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Text != "Hội trường Quang cảnh Hội nghị.\nĐoạn đầu tiên." || doc.Lead != "Đoạn đầu tiên." {
		t.Errorf("text %q, lead %q", doc.Text, doc.Lead)
	}
	if len(doc.Links) != 1 || !doc.Links[0].Image || doc.Links[0].Pos.Line != 1 || doc.Links[0].Pos.Col != 1 {
		t.Errorf("image link %+v", doc.Links)
	}
}
