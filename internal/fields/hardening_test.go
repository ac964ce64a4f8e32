package fields

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

func indented(levels int) string {
	var b strings.Builder
	for i := range levels {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// TestDeepNestingFailsFastInBoundedMemory: every format rejects nesting
// past 32 levels at the opener that goes past, before its parser builds
// anything. Before, "topics: " and 100,000 "[" took minutes and 15 GB of
// allocations, and TOML's 4,000 "{a=" 12 s.
func TestDeepNestingFailsFastInBoundedMemory(t *testing.T) {
	o := Origin{File: "content/a.md", Line: 2}
	cases := []struct {
		name, src string
		decode    func([]byte, Origin) (*Node, error)
		want      string
	}{
		{"YAML flow lists x100,000", "topics: " + strings.Repeat("[", 100000), DecodeYAML, "content/a.md:2:40"},
		{"YAML flow lists, 32 KB", "title: a\ntopics: " + strings.Repeat("[", 32<<10), DecodeYAML, "content/a.md:3:40"},
		{"YAML flow maps", "period: " + strings.Repeat("{a: ", 1000), DecodeYAML, "content/a.md:2:133"},
		{"YAML nested items", strings.Repeat("- ", 10000), DecodeYAML, "content/a.md:2:65"},
		{"YAML block indentation", indented(2000), DecodeYAML, "content/a.md:34:33"},
		{"TOML inline tables x4,000", "period = " + strings.Repeat("{a=", 4000), DecodeTOML, "content/a.md:2:103"},
		{"TOML arrays", "topics = " + strings.Repeat("[", 100000), DecodeTOML, "content/a.md:2:41"},
		{"TOML dotted keys", strings.Repeat("a.", 10000) + "b = 1", DecodeTOML, "content/a.md:2:1"},
		{"TOML table header", "[" + strings.Repeat("a.", 10000) + "b]", DecodeTOML, "content/a.md:2:1"},
		{"JSON arrays", "{\n\"topics\": " + strings.Repeat("[", 100000), DecodeJSON, "content/a.md:3:42"},
		{"JSON objects", "{" + strings.Repeat(`"a":{`, 50000), DecodeJSON, "content/a.md:2:161"},
	}
	for _, c := range cases {
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := cpuTime()
		_, err := c.decode([]byte(c.src), o)
		took := cpuTime() - start
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if err == nil || !strings.HasPrefix(err.Error(), c.want+": values nested more than 32 levels deep") {
			t.Errorf("%s: %v, want %s: values nested more than 32 levels deep", c.name, err, c.want)
		}
		if took > time.Second {
			t.Errorf("%s: took %v of processor time", c.name, took)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: allocated %d MB", c.name, alloc>>20)
		}
	}
}

// TestNestingUpToTheLimitDecodes: 32 levels, root included, are accepted
// in every format, and block scalars, quotes and comments are not nesting.
func TestNestingUpToTheLimitDecodes(t *testing.T) {
	t.Parallel()
	o := Origin{File: "content/a.md", Line: 2}
	for name, c := range map[string]struct {
		src    string
		decode func([]byte, Origin) (*Node, error)
	}{
		"YAML flow":  {"topics: " + strings.Repeat("[", 31) + "a" + strings.Repeat("]", 31), DecodeYAML},
		"YAML block": {indented(31) + strings.Repeat(" ", 31) + "b: 1\n", DecodeYAML},
		"YAML items": {"topics:\n  " + strings.Repeat("- ", 31) + "a\n", DecodeYAML},
		"YAML text": {"summary: |\n" + strings.ReplaceAll(indented(60), "a:", "  a:") + "title: \"" + strings.Repeat("[", 100) + "\"\n" +
			"slogan: '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\nauthor: a # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nsource: a[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n", DecodeYAML},
		"TOML": {"topics = " + strings.Repeat("[", 31) + "1" + strings.Repeat("]", 31) +
			"\nsummary = \"\"\"\n" + strings.Repeat("[", 100) + "\n\"\"\"\n", DecodeTOML},
		"JSON": {"{\"topics\": " + strings.Repeat("[", 31) + "1" + strings.Repeat("]", 31) + "}", DecodeJSON},
	} {
		if _, err := c.decode([]byte(c.src), o); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestYAMLMistakesNamedWhereMade: the five mistakes editors make most are
// reported at the character where they were made, in the site's language.
func TestYAMLMistakesNamedWhereMade(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src string
		vi, en    string
	}{
		{"unclosed quote that swallows the next fields", "title: \"Hội nghị\ndate: 2024-01-01\nregion: \"Ngã Bảy\"\n",
			`content/a.md:2:8: chuỗi mở bằng dấu " ở dòng 2 chưa được đóng; thêm dấu " vào cuối giá trị`,
			`content/a.md:2:8: the string opened with " on line 2 is never closed; add a closing " at the end of the value`},
		{"unclosed quote at the end", "title: Hội nghị\nregion: 'Ngã Bảy\n",
			`content/a.md:3:9: chuỗi mở bằng dấu ' ở dòng 3 chưa được đóng; thêm dấu ' vào cuối giá trị`,
			`content/a.md:3:9: the string opened with ' on line 3 is never closed; add a closing ' at the end of the value`},
		{"tab indentation", "title: Tin\ntopics:\n  - a\n\t- b\n",
			"content/a.md:5:1: dòng 5 được thụt lề bằng phím Tab; YAML chỉ cho phép dấu cách: thay Tab bằng dấu cách",
			"content/a.md:5:1: line 5 is indented with a tab; YAML allows only spaces: replace the tab with spaces"},
		{"missing space after the colon", "title: Tin\nregion:Hậu Giang\ndate: 2024-01-01\n",
			"content/a.md:3:8: thiếu dấu cách sau dấu hai chấm; viết: region: Hậu Giang",
			"content/a.md:3:8: missing space after the colon; write: region: Hậu Giang"},
		{"missing space, alone", `title:"Hội nghị"` + "\n",
			`content/a.md:2:7: thiếu dấu cách sau dấu hai chấm; viết: title: "Hội nghị"`,
			`content/a.md:2:7: missing space after the colon; write: title: "Hội nghị"`},
		{"unquoted colon", "date: 2024-01-01\ntitle: Hậu Giang: phát động\n",
			`content/a.md:3:17: giá trị của title có dấu hai chấm (":") nên YAML hiểu nhầm; đặt cả giá trị trong dấu ngoặc kép: title: "Hậu Giang: phát động"`,
			`content/a.md:3:17: the value of title holds a colon (":"), which YAML misreads; put the whole value in double quotes: title: "Hậu Giang: phát động"`},
		{"list without dash", "title: Tin\ntopics:\nThi đua\nKhen thưởng\n",
			`content/a.md:4:1: các mục của danh sách topics phải bắt đầu bằng "- ": viết "- Thi đua"`,
			`content/a.md:4:1: each item of the list topics must start with "- ": write "- Thi đua"`},
		{"list item without dash", "topics:\n  - Thi đua\n  Khen thưởng\ntitle: Tin\n",
			`content/a.md:4:3: các mục của danh sách topics phải bắt đầu bằng "- ": viết "- Khen thưởng"`,
			`content/a.md:4:3: each item of the list topics must start with "- ": write "- Khen thưởng"`},
	}
	for _, c := range cases {
		for lang, want := range map[vi.Language]string{vi.Vietnamese: c.vi, vi.English: c.en} {
			_, err := DecodeYAML([]byte(c.src), Origin{File: "content/a.md", Line: 2, Lang: lang})
			if err == nil || err.Error() != want {
				t.Errorf("%s (%s):\n got %v\nwant %s", c.name, lang, err, want)
			}
		}
	}
	// What YAML reads well is left alone.
	for _, ok := range []string{
		"title: Giờ khai mạc 10:30 sáng\nsource: https://a.vn/x\n",
		"title: \"Hội nghị\n  tổng kết\"\nregion: a\n",
		"summary: |\n  Ghi chú:\ta\ntitle: x\n",
		"title: a # chú thích: b\n",
		"topics:\n  - Thi đua\n  - Khen thưởng\n",
	} {
		if _, err := DecodeYAML([]byte(ok), Origin{File: "content/a.md", Line: 2, Lang: vi.Vietnamese}); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

// TestIndentedListWithoutDashIsExplained: items indented under the key
// without "- " are one string to YAML; the list reader says what to do.
func TestIndentedListWithoutDashIsExplained(t *testing.T) {
	t.Parallel()
	root, err := DecodeYAML([]byte("title: Tin\ntopics:\n  Thi đua\n  Khen thưởng\n"), Origin{File: "content/a.md", Line: 2})
	if err != nil {
		t.Fatal(err)
	}
	var errs diag.List
	r := &Reader{Map: root, Errs: &errs, Lang: vi.Vietnamese}
	r.StringList("topics")
	want := `content/a.md:4:3: các mục của danh sách topics phải bắt đầu bằng "- ": viết mỗi mục trên một dòng riêng, sau "- "`
	if got := errs.Err(); got == nil || got.Error() != want {
		t.Errorf("got %v\nwant %s", got, want)
	}
}

// TestTOMLPositionsFollowTheSource: keys and array items written over
// several lines, and text inside multi-line strings that looks like keys
// or tables, do not move positions.
func TestTOMLPositionsFollowTheSource(t *testing.T) {
	t.Parallel()
	src := "summary = \"\"\"\n[period]\nregion = 5\n\"\"\"\ntitle = \"Hậu Giang\"\nperiod = {\n  start = \"2024-01\",\n  end = \"2024-06\",\n}\ntopics = [\n  \"Thi đua\",\n  # chú thích\n  \"Khen thưởng\",\n]\nregion = \"Cần Thơ\"\n"
	root, err := DecodeTOML([]byte(src), Origin{File: "content/a.md", Line: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		{"region key", root.Get("region").KeyPos.String(), "content/a.md:16:1"},
		{"region value", root.Get("region").Pos.String(), "content/a.md:16:10"},
		{"period end key", root.Get("period").Get("end").KeyPos.String(), "content/a.md:9:3"},
		{"period end value", root.Get("period").Get("end").Pos.String(), "content/a.md:9:9"},
		{"second topic", root.Get("topics").Items[1].Pos.String(), "content/a.md:14:3"},
		{"title value", root.Get("title").Pos.String(), "content/a.md:6:9"},
	} {
		if c.got != c.want {
			t.Errorf("%s at %s, want %s", c.name, c.got, c.want)
		}
	}
	// Syntax errors are placed by their byte offset, in characters.
	for src, want := range map[string]string{
		"title = \"Hậu Giang\" x\n":                   "content/a.md:2:20: invalid TOML",
		"title = \"A\"\n\n\n[x\n":                     "content/a.md:5:3: invalid TOML",
		"period = {start = \"2024-01\",\n  end = }\n": "content/a.md:3:9: invalid TOML",
	} {
		if _, err := DecodeTOML([]byte(src), Origin{File: "content/a.md", Line: 2}); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %s…", src, err, want)
		}
	}
}
