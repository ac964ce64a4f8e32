package render

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/corpus"
	"github.com/bantin/bantin/internal/diag"
)

// repeatTo repeats gen(i) until the text holds n items.
func repeatTo(n int, gen func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(gen(i))
	}
	return b.String()
}

// adversarialMarkdown are inputs on which goldmark alone, or bantin's own
// passes before, took time quadratic in their size: each took seconds to
// minutes. Each must now render quickly or be rejected at a position.
var adversarialMarkdown = []struct {
	name, src string
	reject    bool
}{
	{"unclosed link destinations [a]( x20,000", strings.Repeat("[a](", 20000), true},
	{"unclosed link destinations [a]( x100,000", strings.Repeat("[a](", 100000), true},
	{"unclosed angle destinations [a](<) x20,000", strings.Repeat("[a](<)", 20000), true},
	{"unclosed link titles [a](b ( x10,000", strings.Repeat("[a](b (", 10000), true},
	{"balanced parentheses in destinations [a](() x20,000", strings.Repeat("[a](()", 20000), true},
	{"nested lists * x100,000", strings.Repeat("* ", 100000) + "a", true},
	{"nested lists - x100,000", strings.Repeat("- ", 100000) + "a", true},
	{"nested ordered lists 1. x30,000", strings.Repeat("1. ", 30000) + "a", true},
	{"nested quotes > x100,000", strings.Repeat(">", 100000), true},
	{"quotes and lists > - x30,000", strings.Repeat("> - ", 30000) + "a", true},
	{"indented lists 2,000 deep", repeatTo(2000, func(i int) string { return strings.Repeat("  ", i) + "- a\n" }), true},
	{"nested footnotes [^a]: x10,000", strings.Repeat("[^a]: ", 10000), true},
	{"nested brackets [ x50,000 ] x50,000", strings.Repeat("[", 50000) + strings.Repeat("]", 50000), true},
	{"nested images ![ x20,000", strings.Repeat("![", 20000) + "a" + strings.Repeat("](b)", 20000), true},
	{"open emphasis a*_ x30,000", strings.Repeat("a*_", 30000), true},
	{"nested emphasis *a _b x10,000", strings.Repeat("*a _b ", 10000) + strings.Repeat("b_ a* ", 10000), true},
	{"unclosed code spans of every length", repeatTo(3000, func(i int) string { return strings.Repeat("`", i+1) + "a" }), true},
	{"5,000 footnotes", repeatTo(5000, func(i int) string { return fmt.Sprintf("x[^%d]\n\n[^%d]: y\n\n", i, i) }), true},
	{"1,000 link definitions in a row", repeatTo(1000, func(i int) string { return fmt.Sprintf("[a%d]:\n/u\n", i) }), true},
	{"short rows under a 200-column header", "|" + strings.Repeat("a|", 200) + "\n|" + strings.Repeat("-|", 200) + "\n" + strings.Repeat("|x\n", 20000), true},
	{"intraword underscores a_ x300,000", strings.Repeat("a_", 300000), true},
	{"autolinks x200,000", strings.Repeat("www.a.vn ", 200000), true},
	{"entities &# x300,000", strings.Repeat("&#", 300000), true},
	{"40,000 links", strings.Repeat("[a](b) ", 40000), false},
	{"40,000 links, one per line", strings.Repeat("Xem [bài](../2023/a.html).\n", 40000), false},
	{"10,000 repeated headings", strings.Repeat("## Kết quả\n\n", 10000), false},
	{"emphasis runs", repeatTo(30000, func(i int) string { return strings.Repeat("*", i%7+1) + "a " }), false},
	{"< runs", strings.Repeat("<", 200000), true},
	{"< a runs", strings.Repeat("<a ", 20000), false},
	{"backtick runs", strings.Repeat("`", 500000), false},
	{"unclosed brackets [ x50,000", strings.Repeat("[", 50000), false},
	{"a long table", "| Đơn vị | Sáng kiến |\n|---|---|\n" + strings.Repeat("| Phường Lái Hiếu | 7 |\n", 20000), false},
	{"5 MB of prose", strings.Repeat("Ban Thường vụ Thành ủy phát động ba phong trào thi đua. ", 5<<20/60), false},
}

// TestAdversarialMarkdownRendersFastOrIsRejected holds every input of the
// table to a generous bound that guards against quadratic time; without
// the limits, several take a minute or more.
func TestAdversarialMarkdownRendersFastOrIsRejected(t *testing.T) {
	md := New(Options{BasePath: "/", SummaryWords: 60})
	for _, c := range adversarialMarkdown {
		// Processor time, not wall time: the bound must hold on a machine
		// busy with other work. Not parallel: the process renders alone.
		start := processCPU()
		_, err := md.Render("content/a.md", 5, []byte(c.src))
		if took := processCPU() - start; took > 2*time.Second {
			t.Errorf("%s (%d bytes): took %v of processor time", c.name, len(c.src), took)
		}
		var de *diag.Error
		switch {
		case c.reject && err == nil:
			t.Errorf("%s: rendered; want it rejected", c.name)
		case !c.reject && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case err != nil && (!errors.As(err, &de) || de.Pos.File != "content/a.md" || de.Pos.Line < 5 || de.Pos.Col < 1):
			t.Errorf("%s: error %v has no position in the file", c.name, err)
		}
	}
}

// TestMarkdownLimitsRejectAtPosition checks each limit's message and
// position, one past the limit, and that the limit itself is accepted.
func TestMarkdownLimitsRejectAtPosition(t *testing.T) {
	t.Parallel()
	md := New(Options{BasePath: "/", SummaryWords: 60, MaxNesting: 8})
	cases := []struct {
		name, ok, bad, want string
	}{
		{"quotes", strings.Repeat(">", 8) + " a", "x\n\n" + strings.Repeat(">", 9) + " a",
			"content/a.md:12:9: block quotes, lists and footnotes nested more than 8 levels deep"},
		{"lists", repeatTo(8, func(i int) string { return strings.Repeat("  ", i) + "- a\n" }),
			repeatTo(9, func(i int) string { return strings.Repeat("  ", i) + "- a\n" }),
			"content/a.md:18:17: block quotes, lists and footnotes nested more than 8 levels deep"},
		{"lists on one line", strings.Repeat("- ", 8) + "a", "Mở đầu.\n\n" + strings.Repeat("- ", 9) + "a",
			"content/a.md:12:17: block quotes, lists and footnotes nested more than 8 levels deep"},
		{"links", strings.Repeat("[", 8) + "a" + strings.Repeat("]", 8), "Xem " + strings.Repeat("[", 9) + "a" + strings.Repeat("]", 9),
			"content/a.md:10:5: links or brackets [ ] nested more than 8 levels deep"},
		{"emphasis open", strings.Repeat("a*_", 9), "Câu " + strings.Repeat("a*_", 10),
			"content/a.md:10:33: more than 8 emphasis markers (*, _ or ~) stand open before this one"},
		{"emphasis nested", strings.Repeat("*a _b ", 4) + strings.Repeat("b_ a* ", 4), strings.Repeat("*a _b ", 5) + strings.Repeat("b_ a* ", 5),
			"content/a.md:10:56: emphasis (*, _ or ~) nested more than 8 levels deep"},
		{"footnotes", repeatTo(maxFootnotes, func(i int) string { return fmt.Sprintf("x[^%d]\n\n[^%d]: y\n\n", i, i) }),
			repeatTo(maxFootnotes+1, func(i int) string { return fmt.Sprintf("x[^%d]\n\n[^%d]: y\n\n", i, i) }),
			"content/a.md:412:1: more than 100 footnotes"},
		{"link definitions", strings.Repeat("[a]: /u\n", maxDefinitionsInRow), strings.Repeat("[a]: /u\n", maxDefinitionsInRow+1),
			"content/a.md:266:1: more than 256 link definitions ([label]: url) in a row; separate them with blank lines"},
		{"unclosed links", "[a](b) " + strings.Repeat("x ", 1000), "Đầu.\n\nChữ [a](" + strings.Repeat("[a](", 3000),
			"content/a.md:12:9: too many unclosed links in this paragraph"},
		{"unclosed code spans", "`a` b ``c``", "Đầu.\n\n" + repeatTo(2000, func(i int) string { return strings.Repeat("`", i+1) + "a" }),
			"content/a.md:12:1: too many unclosed code spans in this paragraph"},
	}
	for _, c := range cases {
		if _, err := md.Render("content/a.md", 10, []byte(c.ok)); err != nil {
			t.Errorf("%s at the limit: %v", c.name, err)
		}
		_, err := md.Render("content/a.md", 10, []byte(c.bad))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s past the limit:\n got %v\nwant %s…", c.name, err, c.want)
		}
	}
}

// TestMarkdownLimitsKeepCodeAndOrdinaryArticles: code blocks may hold
// anything, and a corpus of ordinary articles passes with room to spare.
func TestMarkdownLimitsKeepCodeAndOrdinaryArticles(t *testing.T) {
	t.Parallel()
	code := "```\n" + strings.Repeat(">", 100) + " " + strings.Repeat("[", 100) + strings.Repeat("a*_", 100) + "\n```\n\n" +
		"    " + strings.Repeat("- ", 100) + "\n\n" +
		"~~~\n" + strings.Repeat("* ", 100) + "\n~~~\n\n" +
		"Giá * 3 * 4, a_b_c, *nhấn mạnh*, **đậm**, [liên kết](https://vi.wikipedia.org/wiki/A_(B)) và `mã`.\n\n" +
		"* * *\n\n" + strings.Repeat("- ", 8) + "a\n"
	if e := checkLimits([]byte(code), 8); e != nil {
		t.Errorf("code and ordinary Markdown rejected at byte %d: %s", e.offset, e.msg)
	}
	for i := range 500 {
		_, src := corpus.Article(1, i)
		body := src[strings.Index(string(src[3:]), "\n---\n")+8:]
		if e := checkLimits(body, 4); e != nil {
			t.Fatalf("corpus article %d rejected with max_nesting 4 at byte %d: %s", i, e.offset, e.msg)
		}
	}
}

// FuzzRender renders any Markdown, as written and repeated to 64 KB (which
// turns a pattern the parser is slow on into a long run of it): each must
// render or be rejected at a position, within a second of processor time.
func FuzzRender(f *testing.F) {
	for _, c := range adversarialMarkdown {
		f.Add(c.src[:min(len(c.src), 40)])
	}
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	md := New(Options{BasePath: "/", SummaryWords: 60})
	f.Fuzz(func(t *testing.T, src string) {
		if src == "" {
			return
		}
		for _, body := range []string{src, strings.Repeat(src, max(1, 64<<10/len(src)))} {
			start := processCPU()
			_, err := md.Render("content/a.md", 3, []byte(body))
			if took := processCPU() - start; took > time.Second {
				t.Fatalf("%d bytes took %v of processor time: %q", len(body), took, body[:min(len(body), 200)])
			}
			var de *diag.Error
			if err != nil && (!errors.As(err, &de) || de.Pos.Line < 3 || de.Pos.Col < 1) {
				t.Fatalf("error without a position: %v", err)
			}
		}
	})
}

// TestCodeBlocksCountNoElements: lines of code are cheap for goldmark, and
// a long listing is not an article packed with elements.
func TestCodeBlocksCountNoElements(t *testing.T) {
	t.Parallel()
	fenced := "```\n" + strings.Repeat("[a](b) *c* `d` <e>\n", maxElements+10) + "```\n"
	indented := "Mã:\n\n" + strings.Repeat("    x = [a](b)\n", maxElements+10)
	for name, src := range map[string]string{"fenced": fenced, "indented": indented} {
		if e := checkLimits([]byte(src), 0); e != nil {
			t.Errorf("%s code rejected: %s", name, e.msg)
		}
	}
	if e := checkLimits([]byte(strings.Repeat("a\n\n", maxElements+1)), 0); e == nil || !strings.HasPrefix(e.msg, "more than 100000 Markdown elements") {
		t.Errorf("%d paragraphs accepted", maxElements+1)
	}
}

// sameScan fails unless the limit scan of src ends the same with plain
// text skipped as byte by byte.
func sameScan(t *testing.T, src []byte, maxNesting int) {
	t.Helper()
	fast, slow := scanLimits(src, maxNesting, false), scanLimits(src, maxNesting, true)
	type summary struct {
		fail                           string
		work                           int64
		elements, refs, footnotes, pos int
	}
	sum := func(s *limitScan) summary {
		out := summary{work: s.work, elements: s.elements, refs: s.refs, footnotes: s.footnotes, pos: s.refPos}
		if s.fail != nil {
			out.fail = fmt.Sprint(s.fail.offset, s.fail.msg)
		}
		return out
	}
	if f, s := sum(fast), sum(slow); f != s {
		t.Errorf("skipping plain text changes the scan of %q:\nskipping:     %+v\nbyte by byte: %+v", src[:min(len(src), 120)], f, s)
	}
}

// TestLimitScanSkipsPlainTextAlike: the scan skips runs of plain text
// whole; it must count and reject exactly as it does byte by byte.
func TestLimitScanSkipsPlainTextAlike(t *testing.T) {
	t.Parallel()
	for _, c := range adversarialMarkdown {
		sameScan(t, []byte(c.src), 0)
		sameScan(t, []byte(c.src), 4)
	}
	for _, s := range linkifySeeds {
		sameScan(t, []byte(s), 0)
	}
	for _, s := range []string{
		"Tỉnh www.example.vn và http://a.vn, hôm nay*đẹp*_trời_ ~~xóa~~ ~a~",
		"ađ*b* é_c_ ư~d~ (httpx) [x](y \"t\") <z> a@b.vn &amp; `m` \\*",
		"Đoàn*kết* ở (www.x.vn) và *www.y.vn*",
		"[a](b c d) [e](f\tg \"h\" i) x](y z) hội\tfoo www.a.vn\thttp://b.vn ftp://c",
		"a (b c) d) e ( f [g] (h i j",
		"thi đua  \t yêu nước ",
	} {
		sameScan(t, []byte(s), 0)
	}
	for _, data := range corpus.Site(1, 40) {
		sameScan(t, data, 0)
	}
}

// FuzzLimitScanSkipsPlainTextAlike is TestLimitScanSkipsPlainTextAlike on
// any text.
func FuzzLimitScanSkipsPlainTextAlike(f *testing.F) {
	for _, c := range adversarialMarkdown {
		f.Add(c.src[:min(len(c.src), 40)])
	}
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sameScan(t, []byte(src), 0)
		sameScan(t, []byte(src), 3)
	})
}

// TestPlainByteIsItsList holds plainByte's bit sets to the bytes inline
// looks at.
func TestPlainByteIsItsList(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		want := !strings.ContainsRune(" \t\n\"'()\\<>@&`*_~[]", rune(c))
		if got := plainByte(byte(c)); got != want {
			t.Errorf("plainByte(%q) = %v, want %v", byte(c), got, want)
		}
	}
}

// BenchmarkLimitScan scans 200 articles of the corpus, skipping plain text
// and byte by byte.
func BenchmarkLimitScan(b *testing.B) {
	var bodies [][]byte
	for _, data := range corpus.Site(1, 200) {
		bodies = append(bodies, data)
	}
	for _, mode := range []struct {
		name       string
		byteByByte bool
	}{{"skip", false}, {"byte-by-byte", true}} {
		b.Run(mode.name, func(b *testing.B) {
			for range b.N {
				for _, body := range bodies {
					scanLimits(body, 0, mode.byteByByte)
				}
			}
		})
	}
}
