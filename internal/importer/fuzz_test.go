package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
)

// FuzzImportText feeds arbitrary bytes to the text importer: decoding,
// paragraphs, fields and body. It must never panic, and every article it
// finds must be valid front matter that bantin parses back with the same
// title.
func FuzzImportText(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/seeds/*.txt")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Tiêu đề\n\n16/02/2023 | 06:26 GMT+7\n\n(HG) - “a” “b ” \"c\" từ tháng 7-2024 đến hết ngày 30-6-2025.\n\nNGUYỄN LÊ"))
	f.Add(encodeVNI(f, "Thi đua yêu nước “Đoàn kết” năm 2022-2023"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0})
	cfg := config.Default()
	e := &env{loc: cfg.TimeZone, tags: sourceTags{"HG": "Hậu Giang"}, unit: true, fileTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8<<10 {
			return
		}
		dec, err := decodeText(data, EncodingAuto)
		if err != nil {
			return
		}
		if !utf8.ValidString(dec.text) {
			t.Fatalf("decoded text is not UTF-8: %q", dec.text)
		}
		a, err := extract(&document{blocks: readText(dec.text)}, e)
		if err != nil {
			return
		}
		body := renderBody(a.body, func(string) string { return "" })
		text := frontMatter(a, false, true) + "\n" + body
		got, err := content.Parse("content/2024/a.md", []byte(text), &cfg)
		if err != nil {
			t.Fatalf("the article found does not parse: %v\n%s", err, text)
		}
		if got.Title != strings.TrimSpace(a.title) {
			t.Fatalf("title %q came back as %q", a.title, got.Title)
		}
	})
}

// Hostile text (256 KB of quotes, separators, dates and capitals)
// imports in time linear in its size: a guard against quadratic paths,
// not a benchmark.
func TestLargeHostileTextImportsQuickly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("Tiêu đề bài viết thử nghiệm\n\n16/02/2023\n\n")
	for b.Len() < 256<<10 {
		b.WriteString("“a “b” - c - d | e” (HG) - từ 1/1/2023 đến 2/2/2023 năm 2022-2023 NGUYỄN LÊ. Tin liên quan\n")
	}
	cfg := config.Default()
	e := &env{loc: cfg.TimeZone, tags: sourceTags{"HG": "Hậu Giang"}, unit: true}
	start := time.Now()
	dec, err := decodeText([]byte(b.String()), EncodingAuto)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := extract(&document{blocks: readText(dec.text)}, e); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("a 256 KB text took %v", d)
	}
}
