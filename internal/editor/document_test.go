package editor

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/fields"
)

var testSpecs = formFields(&config.Site{})

func mustDoc(t *testing.T, src string) *document {
	t.Helper()
	d, err := parseDocument("content/a.md", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	return d
}

const commented = `---
# Bài mẫu
title: "Tin cũ"   # tiêu đề
date: 2023-02-16 06:26
region: Ngã Bảy

# chủ đề
topics:
  - Thi đua khen thưởng
  - Chuyển đổi số
summary: |
  Dòng một.

  Dòng ba.
draft: true
---

Nội dung **cũ**.
`

// A form submitted unchanged writes the file byte for byte as it was, in
// every front-matter format, and for every article of the sample site.
func TestDocumentUnchangedFormKeepsBytes(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"commented.md": commented,
		"toml.md":      "+++\ntitle = \"Tin\"\ndate = 2024-01-05\nregion = \"Hậu Giang\"\n[period]\nstart = \"2022-01\"\nend = \"2023-12\"\n+++\nThân bài.\n",
		"json.md":      "{\n  \"title\": \"Tin\",\n  \"date\": \"2026-03-05\",\n  \"region\": \"Hậu Giang\",\n  \"topics\": [\"A\"]\n}\nThân bài.\n",
		"crlf.md":      "\uFEFF---\r\ntitle: Tin\r\ndate: 2024-01-05\r\nregion: Huế\r\n---\r\nThân\r\n",
		"nfd.md":       "---\ntitle: \"Thi đua\u0300\"\ndate: 2024-01-05\nregion: Huế\n---\nThân\n",
	}
	root := filepath.Join("..", "..", "content")
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".md") {
			data, _ := os.ReadFile(p)
			files[p] = string(data)
		}
		return nil
	})
	if len(files) < 10 {
		t.Fatalf("only %d files found", len(files))
	}
	for name, src := range files {
		d := mustDoc(t, src)
		body := d.body
		got := d.render(testSpecs, d.values(testSpecs), &body)
		if string(got) != src {
			t.Errorf("%s: unchanged form rewrote the file:\n--- got\n%s\n--- want\n%s", name, got, src)
		}
	}
}

// Changing one field rewrites that field's lines only: comments, quoting
// and the other fields stay as written.
func TestDocumentChangesOnlyEditedFields(t *testing.T) {
	t.Parallel()
	d := mustDoc(t, commented)
	got := string(d.render(testSpecs, Values{"region": "Thành phố Vị Thanh", "topics": []string{"Chuyển đổi số"}, "draft": false}, nil))
	want := strings.NewReplacer(
		"region: Ngã Bảy\n", "region: Thành phố Vị Thanh\n",
		"topics:\n  - Thi đua khen thưởng\n  - Chuyển đổi số\n", "topics: [Chuyển đổi số]\n",
		"draft: true\n", "draft: false\n",
	).Replace(commented)
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// New fields are written where the form orders them; emptied optional
// fields disappear; the body can change alone.
func TestDocumentAddsAndRemovesFields(t *testing.T) {
	t.Parallel()
	d := mustDoc(t, commented)
	body := "Nội dung mới."
	got := string(d.render(testSpecs, Values{"slogan": "Đoàn kết, sáng tạo", "summary": "", "author": "Lê Văn A", "period": "2024-07/2025-06"}, &body))
	want := "---\n# Bài mẫu\ntitle: \"Tin cũ\"   # tiêu đề\ndate: 2023-02-16 06:26\nregion: Ngã Bảy\n" +
		"slogan: \"Đoàn kết, sáng tạo\"\nperiod:\n  start: 2024-07\n  end: 2025-06\n" +
		"\n# chủ đề\ntopics:\n  - Thi đua khen thưởng\n  - Chuyển đổi số\nauthor: Lê Văn A\ndraft: true\n---\n\nNội dung mới.\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	a, err := content.Parse("content/a.md", []byte(got), ptr(config.Default()))
	if err != nil {
		t.Fatal(err)
	}
	if a.Slogan != "Đoàn kết, sáng tạo" || a.Period.Label() != "07/2024–06/2025" || a.Summary != "" {
		t.Errorf("parsed back as %+v", a)
	}
}

// TOML and JSON front matter become YAML when changed, with every value.
func TestDocumentConvertsOtherFormatsWhenChanged(t *testing.T) {
	t.Parallel()
	d := mustDoc(t, "+++\ntitle = \"Tin\"\ndate = 2024-01-05\nregion = \"Hậu Giang\"\ntopics = [\"A\", \"B\"]\n[period]\nstart = \"2022-01\"\nend = \"2023-12\"\n+++\nThân bài.\n")
	got := string(d.render(testSpecs, Values{"title": "Tin mới"}, nil))
	want := "---\ntitle: Tin mới\ndate: 2024-01-05\nregion: Hậu Giang\ntopics: [A, B]\nperiod:\n  start: \"2022-01\"\n  end: \"2023-12\"\n---\nThân bài.\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A new article is written in the form's order with required fields
// present even when empty, so that the build's errors point at them.
func TestDocumentNewArticle(t *testing.T) {
	t.Parallel()
	body := "Đoạn đầu.\n\nĐoạn hai."
	got := string((&document{}).render(testSpecs, Values{"title": "", "date": "2024-13-45", "region": "Huế", "draft": true, "topics": []string{" A ", ""}}, &body))
	want := "---\ntitle: \"\"\ndate: 2024-13-45\nregion: Huế\ntopics: [A]\ndraft: true\n---\n\nĐoạn đầu.\n\nĐoạn hai.\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func ptr[T any](v T) *T { return &v }

// Every string the editor writes reads back exactly, alone and in a list.
func FuzzYAMLString(f *testing.F) {
	for _, s := range []string{"Ngã Bảy", "true", "no", "a: b", "#x", "- x", "[x]", "x, y", "  x", "x\n", "\"q\"", "\\", "\x00\x7f\u00a0\u2028", "'", "2024", "1e3", "@x", "`x", "~", "Null", "x #y", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		for _, src := range []string{"k: " + yamlString(s) + "\n", "k: " + yamlFlowList([]string{s, "x"}) + "\n"} {
			n, err := fields.DecodeYAML([]byte(src), fields.Origin{File: "a.md", Line: 1})
			if err != nil {
				t.Fatalf("%q: %v", src, err)
			}
			v := n.Get("k")
			if v.Kind == fields.List {
				v = v.Items[0]
			}
			if v.Kind != fields.String || v.Text != s {
				t.Fatalf("%q read back as %v %q, want string %q", src, v.Kind, v.Text, s)
			}
		}
	})
}

// Any file the editor can take apart is written back byte for byte when
// the form is unchanged, and a changed title reads back as typed with the
// other fields as they were.
func FuzzDocument(f *testing.F) {
	f.Add(commented)
	f.Add("---\ntitle: x\n---\nbody")
	f.Add("+++\ntitle = \"x\"\n[period]\nstart = \"2024-01\"\nend = \"2024-02\"\n+++\n")
	f.Add("{\"title\": \"x\", \"topics\": [\"a\"]}\nbody\n")
	f.Add("---\n# c\ntitle: |\n  a\n\n  b\nregion: [a, b]\n---\n\n\nx")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := parseDocument("content/a.md", []byte(src))
		if err != nil {
			return
		}
		body := d.body
		vals := d.values(testSpecs)
		if got := d.render(testSpecs, vals, &body); string(got) != src {
			t.Fatalf("unchanged form rewrote\n%q\nas\n%q", src, got)
		}
		// Keys the form does not know make the build refuse the file
		// anyway; odd YAML around them (a bare tag) may swallow the next
		// line.
		for _, k := range d.root.Keys {
			if _, ok := field(testSpecs, k); !ok {
				return
			}
		}
		out := d.render(testSpecs, Values{"title": "Tiêu đề mới"}, nil)
		d2, err := parseDocument("content/a.md", out)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v\n%q\nfrom\n%q", err, out, src)
		}
		v2 := d2.values(testSpecs)
		if v2["title"] != "Tiêu đề mới" {
			t.Fatalf("title reads back as %q from\n%q", v2["title"], out)
		}
		for k, v := range vals {
			if k != "title" && !sameValue(v, v2[k]) {
				t.Fatalf("%s changed from %#v to %#v:\n%q\n->\n%q", k, v, v2[k], src, out)
			}
		}
		if d2.body != d.body {
			t.Fatalf("body changed from %q to %q", d.body, d2.body)
		}
	})
}
