package fields

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// simpleYAMLSeeds are front matter as editors write it, which the fast
// decoder must take, and near misses it must leave to the full parser or
// decode exactly as the full parser does.
var simpleYAMLSeeds = []string{
	"title: \"Đồng bào – Hà Nội: Thu hẹp khoảng cách\"\ndate: 2025-09-20T14:30:00+07:00\nregion: \"Hà Nội\"\nslogan: \"Sáng tạo – không để ai bị bỏ lại phía sau\"\nperiod:\n  start: 2024-09-05\n  end: 2025-05-31\ntopics: [\"Nông thôn mới\", \"Bảo vệ môi trường\"]\nauthor: \"Phan Hồng Mai\"\n",
	"title: Tin A\ndate: 2024-07-15\nregion: Hậu Giang\ntopics:\n  - Thi đua\n  - \"Nông thôn mới\"\ndraft: true\n",
	"title: 'Ngã Bảy'\nperiod: 2022\ntopics: [a, b]\n\nauthor: Lê Văn A\n",
	"title:   \"x\"   \ndate: 2024-07\nweight: 12\nslug: ten-bai\n",
	"period:\n    from: 2024-01\n    to: 2024-12\ntitle: Yên Bái",
	"topics: []\ntitle: x\n",
	"\n\ntitle: x\n",
	// Near misses: the fast decoder must refuse these or agree exactly.
	"title: x # comment\n", "title: \"a\\\"b\"\n", "title: 'it''s'\n", "title: abc\n  def\n",
	"title:\n", "title: ~\n", "title: null\n", "title: Yes\n", "title: NULL\n", "t: 007\n", "t: 1.5\n",
	"t: 2024-07-15 08:30:00\n", "t: [a, [b]]\n", "t: [a,]\n", "t: {a: 1}\n", "t: &x a\n", "t: *x\n",
	"t: a: b\n", "t: -x\n", "t: x\nt: y\n", "p:\n  a: 1\n\n  b: 2\n", "p:\n  - a\n  b: 1\n", "- a\n",
	"t: \"a\tb\"\n", "t: \u00a0x\n", "t: x\u2028y\n", "t: \"\u0085\"\n", "1: x\n", "t:x\n", "t: \"a\" b\n",
	"p:\n  - a\n    b\n", "p:\n  a: x\n   b: y\n", "t: 99999999999999999999\n", "t: True\n", "t: x]\n",
	"p:\n- a\n- b\n", "t: 2024-13-45\n", "t: 2024-07-15T08:30:00Z\n", "t: \"\"\n", "t: ''\n",
}

func FuzzSimpleYAML(f *testing.F) {
	for _, s := range simpleYAMLSeeds {
		f.Add(s)
	}
	o := Origin{File: "content/a.md", Line: 2}
	f.Fuzz(func(t *testing.T, src string) {
		fast, ok := decodeSimpleYAML([]byte(src), o)
		if !ok {
			return
		}
		full, err := decodeFullYAML([]byte(src), o)
		if err != nil {
			t.Fatalf("fast decoder took %q, the full parser rejects it: %v", src, err)
		}
		if !reflect.DeepEqual(fast, full) {
			t.Fatalf("decoders disagree on %q\nfast: %s\nfull: %s", src, dumpNode(fast), dumpNode(full))
		}
	})
}

func TestSimpleYAMLTakesTypicalFrontMatter(t *testing.T) {
	t.Parallel()
	o := Origin{File: "content/a.md", Line: 2}
	for _, src := range simpleYAMLSeeds[:7] {
		fast, ok := decodeSimpleYAML([]byte(src), o)
		if !ok {
			t.Errorf("fast decoder refused typical front matter %q", src)
			continue
		}
		full, err := decodeFullYAML([]byte(src), o)
		if err != nil || !reflect.DeepEqual(fast, full) {
			t.Errorf("decoders disagree on %q (%v)\nfast: %s\nfull: %s", src, err, dumpNode(fast), dumpNode(full))
		}
	}
}

func dumpNode(n *Node) string {
	if n == nil {
		return "nil"
	}
	var b strings.Builder
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		pad := strings.Repeat("  ", depth)
		b.WriteString(pad + n.Kind.String() + " " + n.Pos.String() + " key@" + n.KeyPos.String() + " " + strconv.Quote(n.Text) + "\n")
		for i, v := range n.Values {
			b.WriteString(pad + " " + n.Keys[i] + ":\n")
			walk(v, depth+1)
		}
		for _, it := range n.Items {
			walk(it, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}
