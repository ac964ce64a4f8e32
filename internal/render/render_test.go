package render

import (
	"strings"
	"testing"
)

func TestRepeatedHeadingsGetUniqueIDs(t *testing.T) {
	t.Parallel()
	md := New(Options{BasePath: "/", SummaryWords: 60})
	src := "## Kết quả\n\n## Kết quả 1\n\n## Kết quả\n\n" + strings.Repeat("## Kết quả\n\n", 10000)
	doc, err := md.Render("content/a.md", 1, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, h := range doc.Headings {
		if seen[h.ID] {
			t.Fatalf("id %q given twice", h.ID)
		}
		seen[h.ID] = true
	}
	want := []string{"h-ket-qua", "h-ket-qua-1", "h-ket-qua-2", "h-ket-qua-3"}
	for i, id := range want {
		if doc.Headings[i].ID != id {
			t.Errorf("heading %d: id %q, want %q", i, doc.Headings[i].ID, id)
		}
	}
	if last := doc.Headings[len(doc.Headings)-1].ID; last != "h-ket-qua-10002" {
		t.Errorf("last id %q, want h-ket-qua-10002", last)
	}
}

// TestLinkPositionsAcrossLongLines: positions are counted in characters,
// on every line, whatever the order the document tree gives the links in.
func TestLinkPositionsAcrossLongLines(t *testing.T) {
	t.Parallel()
	md := New(Options{BasePath: "/", SummaryWords: 60, ResolveArticle: func(string) (string, bool) { return "", false }})
	src := "Đầu [a](x.md) và [b](y.md)[^1]\n\n[^1]: Chú [c](z.md)\n\nCuối " + strings.Repeat("ư ", 3) + "[d](w.md)\n"
	_, err := md.Render("content/a.md", 7, []byte(src))
	if err == nil {
		t.Fatal("links to missing articles rendered")
	}
	want := []string{
		"content/a.md:7:5: link to content/x.md",
		"content/a.md:7:18: link to content/y.md",
		"content/a.md:9:11: link to content/z.md",
		"content/a.md:11:12: link to content/w.md",
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Fatalf("errors:\n%v", err)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("got %s\nwant %s…", got[i], want[i])
		}
	}
}

// excerptByFields is Excerpt as it was written first, on a slice of all
// the words: the reference the one-pass Excerpt must equal.
func excerptByFields(text string, words int) string {
	fields := strings.Fields(text)
	if len(fields) <= words {
		return strings.Join(fields, " ")
	}
	cut := strings.Join(fields[:words], " ")
	cut = strings.TrimRightFunc(cut, func(r rune) bool { return strings.ContainsRune(",;:–-", r) })
	return cut + "…"
}

var excerptSamples = []string{
	"", " ", "một", "  Thi đua   yêu\tnước,\n  toàn dân – đoàn kết; ",
	"a b c d e f g h i j k l m n o p q r s t u v w x y z",
	"Phong trào thi đua: ", "x,- y;: z–", "\u00a0a\u2003b\u0085c\u3000 d",
	"ở Cần Thơ, Hà Nội và Đà Nẵng - các tỉnh:",
}

// TestExcerptLikeFields holds Excerpt equal to its first, slice-based
// version on spaces of every kind, punctuation at the cut and all counts.
func TestExcerptLikeFields(t *testing.T) {
	t.Parallel()
	for _, text := range excerptSamples {
		for words := range 30 {
			if got, want := Excerpt(text, words), excerptByFields(text, words); got != want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", text, words, got, want)
			}
		}
	}
}

// FuzzExcerpt is TestExcerptLikeFields on any text.
func FuzzExcerpt(f *testing.F) {
	for _, text := range excerptSamples {
		f.Add(text, 3)
	}
	f.Fuzz(func(t *testing.T, text string, words int) {
		words = max(0, words%64)
		if got, want := Excerpt(text, words), excerptByFields(text, words); got != want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", text, words, got, want)
		}
	})
}
