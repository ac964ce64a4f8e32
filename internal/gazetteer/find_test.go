package gazetteer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// mentions renders Find's result as "text=id|id" items.
func mentions(ms []Mention) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Text+"="+strings.Join(ids(m.Places), "|"))
	}
	return strings.Join(parts, "; ")
}

// seedLead returns a seed's text up to the end of its first paragraph of
// body text: its headline, date line and lead.
func seedLead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/work/shared/seeds", name))
	if err != nil {
		t.Skipf("seed bulletins not available: %v", err)
	}
	paras := strings.Split(string(b), "\n\n")
	var lead []string
	for _, p := range paras {
		lead = append(lead, p)
		if len([]rune(strings.TrimSpace(p))) > 200 { // the first real paragraph
			break
		}
	}
	return strings.Join(lead, "\n\n")
}

func TestFindInSeedHeadlinesAndLeads(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct{ seed, want string }{
		{"000_210af27f32719a38.txt", "Thành phố Ngã Bảy=nga-bay; tỉnh Hậu Giang=hau-giang; Ngã Bảy=nga-bay|phuong-nga-bay"},
		{"001_5be87f2476ea8e79.txt", ""},
		{"002_6b6d3b070183c063.txt", "Hậu Giang=hau-giang; tỉnh Hậu Giang=hau-giang"},
		{"003_957e5ca7d7cdd4ef.txt", "Hậu Giang=hau-giang"},
		{"004_af93200ff5164a5c.txt", "TP Cần Thơ=can-tho; TP Cần Thơ=can-tho; TP Cần Thơ=can-tho"},
	} {
		text := seedLead(t, tc.seed)
		found := g.Find(text)
		if got := mentions(found); got != tc.want {
			t.Errorf("%s: Find =\n%s\nwant\n%s", tc.seed, got, tc.want)
		}
		for _, m := range found {
			if text[m.Start:m.End] != m.Text {
				t.Errorf("%s: offsets %d:%d give %q, not %q", tc.seed, m.Start, m.End, text[m.Start:m.End], m.Text)
			}
		}
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct{ text, want string }{
		// The bare name of Hồ Chí Minh City is also the president's.
		{"Học tập và làm theo tư tưởng Hồ Chí Minh tại TP Hồ Chí Minh",
			"TP Hồ Chí Minh=tp-ho-chi-minh"},
		{"TP.HCM, TPHCM và Sài Gòn", "TP.HCM=tp-ho-chi-minh; TPHCM=tp-ho-chi-minh; Sài Gòn=tp-ho-chi-minh"},
		// Longest match: the province, not its city of Bà Rịa.
		{"Bà Rịa - Vũng Tàu và Bà Rịa", "Bà Rịa - Vũng Tàu=ba-ria-vung-tau; Bà Rịa=ba-ria"},
		{"Bà Rịa–Vũng Tàu", "Bà Rịa–Vũng Tàu=ba-ria-vung-tau"},
		// Names are capitalized; the words "hòa bình" are not a place.
		{"vì hòa bình, Hòa Bình", "Hòa Bình=hoa-binh|thanh-pho-hoa-binh"},
		{"HẬU GIANG PHÁT ĐỘNG THI ĐUA", "HẬU GIANG=hau-giang"},
		{"Tp.Cần Thơ; tp can tho; Hau Giang", "Tp.Cần Thơ=can-tho; Hau Giang=hau-giang"},
		// A comma, bracket or line break ends a name.
		{"Cần, Thơ; Cần\nThơ", ""},
		{"ở tỉnh,\nHậu Giang và huyện, Cờ Đỏ", "Hậu Giang=hau-giang"},
		{"Ngã Bảy (Cần Thơ)", "Ngã Bảy=nga-bay|phuong-nga-bay; Cần Thơ=can-tho"},
		{"phường Ngã Bảy và thị xã Long Mỹ, huyện Long Mỹ", "phường Ngã Bảy=phuong-nga-bay; thị xã Long Mỹ=thi-xa-long-my; huyện Long Mỹ=huyen-long-my"},
		// Whole words only.
		{"Cần Thơm, XCần Thơ", ""},
		// Wrong diacritics are no name; a missing kind word leaves the name.
		{"Hâu Giang", ""},
		{"kế sách, Kế Sách, huyện Kế Sách", "huyện Kế Sách=ke-sach"},
		{"thành phố Vinh và anh Vinh", "thành phố Vinh=vinh"},
		{"Phường Long Phú 1 và xã Long Phú", "Phường Long Phú 1=phuong-long-phu-1; xã Long Phú=xa-long-phu"},
		{"Ðà Nẵng", "Ðà Nẵng=da-nang"},
		{"", ""},
	} {
		if got := mentions(g.Find(tc.text)); got != tc.want {
			t.Errorf("Find(%q) =\n%s\nwant\n%s", tc.text, got, tc.want)
		}
	}
}

func TestFindReportsOffsetsInTheGivenText(t *testing.T) {
	t.Parallel()
	g := Default()
	text := norm.NFD.String("Về thành phố Ngã Bảy.")
	found := g.Find(text)
	if len(found) != 1 || found[0].Text != text[found[0].Start:found[0].End] || !strings.HasSuffix(text[:found[0].End], norm.NFD.String("Bảy")) {
		t.Fatalf("Find(NFD) = %+v", found)
	}
	if found[0].Start != len(norm.NFD.String("Về ")) {
		t.Errorf("start = %d", found[0].Start)
	}
}

// A guard against quadratic behaviour, not a speed test: 500 kB of text
// takes tens of milliseconds.
func TestFindTimeIsLinear(t *testing.T) {
	t.Parallel()
	g := Default()
	text := strings.Repeat("Thành phố Thành phố Cần Thơ Hậu Giang Bà Rịa - Vũng Tàu tư tưởng Hồ Chí Minh. ", 6000)
	start := time.Now()
	found := g.Find(text)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Find over %d bytes took %v", len(text), d)
	}
	if len(found) != 3*6000 {
		t.Errorf("found %d names, want %d", len(found), 3*6000)
	}
}

func BenchmarkFind(b *testing.B) {
	g := Default()
	var text strings.Builder
	files, _ := filepath.Glob("/work/shared/seeds/*.txt")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		text.Write(data)
	}
	if text.Len() == 0 {
		text.WriteString(strings.Repeat("Ban Thường vụ Thành ủy Ngã Bảy phát động thi đua xây dựng tỉnh Hậu Giang. ", 200))
	}
	b.SetBytes(int64(text.Len()))
	for b.Loop() {
		g.Find(text.String())
	}
}

func BenchmarkLookup(b *testing.B) {
	g := Default()
	names := []string{"Hậu Giang", "thành phố Ngã Bảy", "tp can tho", "TP.HCM", "Bà Rịa - Vũng Tàu", "Hâu Giang"}
	for b.Loop() {
		for _, n := range names {
			g.Lookup(n)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	g := Default()
	at := time.Date(2023, 2, 16, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, err := g.Resolve("thành phố Ngã Bảy", at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDefaultParse(b *testing.B) {
	for b.Loop() {
		specs, err := parseSpecs(builtinData, builtinFile)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := build(specs); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add("Thành phố Ngã Bảy: phát động thi đua")
	f.Add("TP.HCM, Bà Rịa–Vũng Tàu (tỉnh Hậu Giang)")
	f.Add(norm.NFD.String("HẬU GIANG và Tp.Cần Thơ"))
	f.Add("\xff Cần Thơ \u0301")
	g := Default()
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		for _, m := range g.Find(text) {
			if m.Start < last || m.End <= m.Start || m.End > len(text) || text[m.Start:m.End] != m.Text {
				t.Fatalf("bad mention %+v after %d in %q", m, last, text)
			}
			if len(m.Places) == 0 {
				t.Fatalf("mention %q names no place", m.Text)
			}
			last = m.End
		}
	})
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"Hậu Giang", "tp can tho", "thị xã Long Mỹ", "Hâu Giang", "TP.HCM", "tỉnh", "can-tho", "Ð"} {
		f.Add(s, int64(1676505600))
	}
	g := Default()
	f.Fuzz(func(t *testing.T, name string, unix int64) {
		at := time.Unix(unix%(1<<40), 0).UTC()
		found := g.Lookup(name)
		p, err := g.Resolve(name, at)
		switch {
		case err == nil && (p == nil || !containsPlace(found, p)):
			t.Fatalf("Resolve(%q) = %v, not among Lookup's %v", name, p, ids(found))
		case err != nil && len(found) > 0:
			if _, ok := err.(*AmbiguousError); !ok {
				t.Fatalf("Resolve(%q) = %v although Lookup found %v", name, err, ids(found))
			}
		case err != nil && len(found) == 0:
			if _, ok := err.(*UnknownError); !ok {
				t.Fatalf("Resolve(%q) = %v, want *UnknownError", name, err)
			}
		}
		if s := g.Suggest(name, 3); len(s) > 3 {
			t.Fatalf("Suggest(%q, 3) = %v", name, s)
		}
		_ = fmt.Sprint(err)
	})
}

func containsPlace(list []*Place, p *Place) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}
