package gazetteer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// oldTone rewrites s with the old tone placement (hoà, thuỷ), the inverse
// of vi.NewTonePlacement, so that tests can write what some writers do.
func oldTone(s string) string {
	d := []rune(norm.NFD.String(s))
	for i := 0; i+2 < len(d); i++ {
		first, tone, last := unicode.ToLower(d[i]), d[i+1], unicode.ToLower(d[i+2])
		end := i+3 == len(d) || !unicode.IsLetter(d[i+3])
		isTone := strings.ContainsRune("\u0300\u0301\u0303\u0309\u0323", tone)
		pair := first == 'o' && (last == 'a' || last == 'e') ||
			first == 'u' && last == 'y' && (i == 0 || unicode.ToLower(d[i-1]) != 'q')
		if end && isTone && pair {
			d[i+1], d[i+2] = d[i+2], d[i+1]
		}
	}
	return norm.NFC.String(string(d))
}

func TestOldTone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Hòa Bình": "Hoà Bình", "Vị Thủy": "Vị Thuỷ", "Quý": "Quý", "Khánh Hòa": "Khánh Hoà"} {
		if got := oldTone(in); got != want {
			t.Errorf("oldTone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEverySpellingResolvesToItsPlace(t *testing.T) {
	t.Parallel()
	g := Default()
	n := 0
	for _, p := range g.Places() {
		spellings := g.spellings(p)
		if len(spellings) < 6 {
			t.Errorf("%s: only %d spellings: %q", p.ID, len(spellings), spellings)
		}
		for _, s := range append(spellings, oldTone(p.Name), norm.NFD.String(p.Name), p.ID) {
			n++
			if got := g.Lookup(s); !slices.Contains(got, p) {
				t.Errorf("Lookup(%q) = %v, want it to include %s", s, ids(got), p.ID)
			}
		}
	}
	if n < 3000 {
		t.Errorf("only %d spellings checked", n)
	}
}

func TestIssueSpellingsResolve(t *testing.T) {
	t.Parallel()
	g := Default()
	at := day("2023-02-16")
	for name, want := range map[string]string{
		"Hậu Giang":             "hau-giang",
		"tỉnh Hậu Giang":        "hau-giang",
		"Tỉnh Hậu Giang":        "hau-giang",
		"TP Cần Thơ":            "can-tho",
		"TP. Cần Thơ":           "can-tho",
		"Tp.Cần Thơ":            "can-tho",
		"thành phố Cần Thơ":     "can-tho",
		"Ngã Bảy":               "nga-bay",
		"thành phố Ngã Bảy":     "nga-bay",
		"huyện Phụng Hiệp":      "phung-hiep",
		"H. Phụng Hiệp":         "phung-hiep",
		"Hau Giang":             "hau-giang",
		"tp can tho":            "can-tho",
		"TX Long Mỹ":            "thi-xa-long-my",
		"thị xã Long Mỹ":        "thi-xa-long-my",
		"huyện Long Mỹ":         "huyen-long-my",
		"Q. Ninh Kiều":          "ninh-kieu",
		"quận Ninh Kiều":        "ninh-kieu",
		"Vị Thuỷ":               "vi-thuy",
		"TPHCM":                 "tp-ho-chi-minh",
		"TP.HCM":                "tp-ho-chi-minh",
		"TP HCM":                "tp-ho-chi-minh",
		"HCM":                   "tp-ho-chi-minh",
		"Sài Gòn":               "tp-ho-chi-minh",
		"Thành phố Hồ Chí Minh": "tp-ho-chi-minh",
		"Hồ Chí Minh":           "tp-ho-chi-minh",
		"Huế":                   "hue",
		"Thừa Thiên Huế":        "thua-thien-hue",
		"Thừa Thiên - Huế":      "thua-thien-hue",
		"Bà Rịa - Vũng Tàu":     "ba-ria-vung-tau",
		"Bà Rịa–Vũng Tàu":       "ba-ria-vung-tau",
		"Bà Rịa — Vũng Tàu":     "ba-ria-vung-tau",
		"BR-VT":                 "ba-ria-vung-tau",
		"Khánh Hoà":             "khanh-hoa",
		"KHÁNH HÒA":             "khanh-hoa",
		"Đắc Lắc":               "dak-lak",
		"Ðà Nẵng":               "da-nang", // Icelandic eth for Đ
		"  Đà   Nẵng ":          "da-nang",
		"thi-xa-long-my":        "thi-xa-long-my",
	} {
		p, err := g.Resolve(name, at)
		if err != nil || p.ID != want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", name, p, err, want)
		}
	}
}

func TestSampleContentRegionsResolve(t *testing.T) {
	t.Parallel()
	g := Default()
	// The region and date of each article of the sample site.
	for _, tc := range []struct{ name, date, want string }{
		{"Hậu Giang", "2020-06-23", "hau-giang"},
		{"Vị Thanh", "2020-09-01", "vi-thanh"},
		{"Khánh Hòa", "2022-05-19", "khanh-hoa"},
		{"Hậu Giang", "2023-08-01", "hau-giang"},
		{"Ngã Bảy", "2023-02-16", "nga-bay"},
		{"Cần Thơ", "2023-01-18", "can-tho"},
		{"Hậu Giang", "2024-07-10", "hau-giang"},
		{"Phụng Hiệp", "2024-03-01", "phung-hiep"},
		{"Vị Thanh", "2025-06-12", "vi-thanh"},
		{"Cần Thơ", "2025-08-14", "can-tho"},
		{"Đà Nẵng", "2026-10-28", "da-nang"},
		{"Ngã Bảy", "2026-03-05", "phuong-nga-bay"},
	} {
		p, err := g.Resolve(tc.name, day(tc.date))
		if err != nil || p.ID != tc.want {
			t.Errorf("Resolve(%q, %s) = %v, %v; want %s", tc.name, tc.date, p, err, tc.want)
		}
	}
}

func TestResolvePrefersThePlaceOfTheDay(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct{ name, date, want string }{
		{"Ngã Bảy", "2025-06-30", "nga-bay"},
		{"Ngã Bảy", "2025-07-01", "phuong-nga-bay"},
		{"phường Ngã Bảy", "2023-01-01", "phuong-nga-bay"}, // the kind word decides
		{"thành phố Ngã Bảy", "2026-01-01", "nga-bay"},
		{"Long Mỹ", "2026-01-01", "phuong-long-my"},
		// Only one Hậu Giang: it is found after it ceased to exist.
		{"Hậu Giang", "2026-01-01", "hau-giang"},
		// A province over its namesake capital and a ward elsewhere.
		{"Sóc Trăng", "2024-01-01", "soc-trang"},
		{"Khánh Hòa", "2026-01-01", "khanh-hoa"},
		{"thành phố Sóc Trăng", "2024-01-01", "thanh-pho-soc-trang"},
		// Before the data's horizon, the unit nearest in time.
		{"Phú Xuân", "2024-01-01", ""},
		{"Trường Sa", "2024-01-01", "truong-sa"},
		{"Trường Sa", "2026-01-01", "dac-khu-truong-sa"},
	} {
		p, err := g.Resolve(tc.name, day(tc.date))
		got := ""
		if p != nil {
			got = p.ID
		}
		if got != tc.want || (tc.want != "" && err != nil) {
			t.Errorf("Resolve(%q, %s) = %q, %v; want %q", tc.name, tc.date, got, err, tc.want)
		}
	}
}

func TestResolveReportsAmbiguityWithCandidates(t *testing.T) {
	t.Parallel()
	g := Default()
	_, err := g.Resolve("Long Mỹ", day("2021-03-08"))
	var amb *AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("Resolve(Long Mỹ, 2021) error = %v, want *AmbiguousError", err)
	}
	if got := ids(amb.Candidates); !slices.Equal(got, []string{"huyen-long-my", "thi-xa-long-my"}) {
		t.Errorf("candidates = %v", got)
	}
	want := `region "Long Mỹ" may be huyện Long Mỹ (Hậu Giang; id huyen-long-my) or thị xã Long Mỹ (Hậu Giang; id thi-xa-long-my); write the kind, as in "huyện Long Mỹ", or the id`
	if err.Error() != want {
		t.Errorf("error =\n%s\nwant\n%s", err, want)
	}
	// Without a date every Ngã Bảy is possible; the city is the higher level.
	if p, err := g.Resolve("Ngã Bảy", time.Time{}); err != nil || p.ID != "nga-bay" {
		t.Errorf("Resolve(Ngã Bảy, no date) = %v, %v", p, err)
	}
	// Châu Thành: two districts in 2023; the site's province decides.
	_, err = g.Resolve("Châu Thành", day("2023-01-01"))
	want = `region "Châu Thành" may be huyện Châu Thành (Hậu Giang; id chau-thanh-hau-giang) or huyện Châu Thành (Sóc Trăng; id chau-thanh-soc-trang); write the id, or list the name as an alias of the right one in the site's regions file`
	if !errors.As(err, &amb) || err.Error() != want {
		t.Errorf("Resolve(Châu Thành, 2023) = %v, want\n%s", err, want)
	}
	for _, tc := range []struct{ name, date, near, want string }{
		{"Châu Thành", "2023-01-01", "hau-giang", "chau-thanh-hau-giang"},
		{"Châu Thành", "2023-01-01", "soc-trang", "chau-thanh-soc-trang"},
		// Cần Thơ's ward, since Hậu Giang lies in Cần Thơ from 2025-07-01.
		{"Khánh Hòa", "2026-01-01", "hau-giang", "phuong-khanh-hoa"},
		{"Khánh Hòa", "2026-01-01", "can-tho", "phuong-khanh-hoa"},
		{"Khánh Hòa", "2026-01-01", "da-nang", "khanh-hoa"},
	} {
		p, err := g.ResolveNear(tc.name, day(tc.date), tc.near)
		if err != nil || p.ID != tc.want {
			t.Errorf("ResolveNear(%q, %s, %s) = %v, %v; want %s", tc.name, tc.date, tc.near, p, err, tc.want)
		}
	}
}

func TestResolveUnknownSuggests(t *testing.T) {
	t.Parallel()
	g := Default()
	_, err := g.Resolve("Hâu Giang", day("2023-01-01"))
	var unk *UnknownError
	if !errors.As(err, &unk) {
		t.Fatalf("Resolve(Hâu Giang) error = %v, want *UnknownError", err)
	}
	if err.Error() != `unknown region "Hâu Giang"; did you mean "Hậu Giang" or "Hà Giang"?` {
		t.Errorf("error = %s", err)
	}
	if _, err := g.Resolve("Xóm Chài Ven Sông", day("2023-01-01")); err == nil || err.Error() != `unknown region "Xóm Chài Ven Sông"` {
		t.Errorf("error = %v", err)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		{"Hâu Giang", 1, []string{"Hậu Giang"}},
		{"tỉnh Hâu Giang", 1, []string{"Hậu Giang"}},
		{"Ngả Bảy", 1, []string{"Ngã Bảy"}},
		{"Can Thoo", 1, []string{"Cần Thơ"}},
		{"Phụng Hiêp", 1, []string{"Phụng Hiệp"}},
		{"Cần Thơ", 1, []string{"Cần Thơ"}},
		{"Huê", 1, []string{"Huế"}},
		{"Xóm Chài Ven Sông", 3, nil},
		{"Hậu Giang", 0, nil},
		{strings.Repeat("Hậu Giang ", 20), 3, nil},
	} {
		if got := g.Suggest(tc.in, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("Suggest(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	if got := g.Suggest("Long My", 5); len(got) != 1 || got[0] != "Long Mỹ" {
		t.Errorf("Suggest(Long My) = %q: namesakes must give one name", got)
	}
}

// breadcrumb renders Ancestors the way a region page will.
func breadcrumb(g *Gazetteer, p *Place, at time.Time) string {
	parts := []string{p.Name}
	for _, s := range g.Ancestors(p, at) {
		part := s.Place.Name
		if s.Since != "" && s.Later {
			d := day(s.Since)
			part += fmt.Sprintf(" (từ %02d/%02d/%d)", d.Day(), d.Month(), d.Year())
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " › ")
}

func TestAncestorsFollowParentsThenMergers(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct{ id, date, want string }{
		{"nga-bay", "2023-02-16", "Ngã Bảy › Hậu Giang › Cần Thơ (từ 01/07/2025)"},
		{"nga-bay", "2026-03-05", "Ngã Bảy › Hậu Giang › Cần Thơ"},
		{"nga-bay", "", "Ngã Bảy › Hậu Giang › Cần Thơ (từ 01/07/2025)"},
		{"phuong-nga-bay", "2026-03-05", "Ngã Bảy › Cần Thơ"},
		{"hau-giang", "2023-01-01", "Hậu Giang › Cần Thơ (từ 01/07/2025)"},
		{"can-tho", "2023-01-01", "Cần Thơ"},
		{"thua-thien-hue", "2024-01-01", "Thừa Thiên Huế › Huế (từ 01/01/2025)"},
		{"vung-tau", "2024-01-01", "Vũng Tàu › Bà Rịa - Vũng Tàu › TP Hồ Chí Minh (từ 01/07/2025)"},
		// Trường Sa district is followed to its province, not to the zone.
		{"truong-sa", "2024-01-01", "Trường Sa › Khánh Hòa"},
	} {
		at := time.Time{}
		if tc.date != "" {
			at = day(tc.date)
		}
		if got := breadcrumb(g, g.Place(tc.id), at); got != tc.want {
			t.Errorf("breadcrumb of %s at %q = %q, want %q", tc.id, tc.date, got, tc.want)
		}
	}
	steps := g.Ancestors(g.Place("nga-bay"), day("2023-02-16"))
	want := []Step{{Place: g.Place("hau-giang")}, {Place: g.Place("can-tho"), Since: "2025-07-01", Later: true}}
	if !slices.Equal(steps, want) {
		t.Errorf("Ancestors(nga-bay, 2023) = %+v", steps)
	}
}

func TestProvince(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct{ id, date, want string }{
		{"nga-bay", "2023-01-01", "hau-giang"},
		{"nga-bay", "2026-01-01", "can-tho"},
		{"nga-bay", "", "hau-giang"},
		{"phuong-nga-bay", "2026-01-01", "can-tho"},
		{"thua-thien-hue", "2026-01-01", "hue"},
		{"vinh-chau", "2026-01-01", "can-tho"},
	} {
		at := time.Time{}
		if tc.date != "" {
			at = day(tc.date)
		}
		if got := g.Province(g.Place(tc.id), at); got.ID != tc.want {
			t.Errorf("Province(%s, %q) = %s, want %s", tc.id, tc.date, got.ID, tc.want)
		}
	}
}

func TestDescendantsIncludeMergedUnitsAndTheirChildren(t *testing.T) {
	t.Parallel()
	g := Default()
	got := ids(g.Descendants(g.Place("can-tho")))
	for _, id := range []string{"hau-giang", "soc-trang", "nga-bay", "vi-thanh", "phung-hiep", "thi-xa-long-my",
		"thanh-pho-soc-trang", "ninh-kieu", "phuong-nga-bay", "xa-phung-hiep"} {
		if !slices.Contains(got, id) {
			t.Errorf("Descendants(can-tho) lacks %s", id)
		}
	}
	if slices.Contains(got, "khanh-hoa") || slices.Contains(got, "can-tho") {
		t.Errorf("Descendants(can-tho) has an outsider or itself: %v", got)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
		t.Errorf("Descendants(can-tho) repeats places: %v", got)
	}
	// Nearer places first: Hậu Giang before its city of Ngã Bảy.
	if slices.Index(got, "hau-giang") > slices.Index(got, "nga-bay") {
		t.Errorf("Hậu Giang comes after Ngã Bảy in %v", got)
	}
	children := ids(g.Children(g.Place("can-tho")))
	if !slices.Contains(children, "hau-giang") || !slices.Contains(children, "ninh-kieu") || slices.Contains(children, "nga-bay") {
		t.Errorf("Children(can-tho) = %v", children)
	}
	if d := g.Descendants(g.Place("phuong-nga-bay")); len(d) != 0 {
		t.Errorf("a ward has descendants %v", ids(d))
	}
	// Khánh Hòa: Trường Sa district, and the special zone that succeeded it, once each.
	kh := ids(g.Descendants(g.Place("khanh-hoa")))
	if !slices.Contains(kh, "truong-sa") || !slices.Contains(kh, "dac-khu-truong-sa") || !slices.Contains(kh, "ninh-thuan") {
		t.Errorf("Descendants(khanh-hoa) = %v", kh)
	}
}

func TestProvincesAreInVietnameseOrder(t *testing.T) {
	t.Parallel()
	g := Default()
	var names []string
	for _, p := range g.Provinces(day("2026-01-01")) {
		names = append(names, p.Name)
	}
	want := "An Giang, Bắc Ninh, Cà Mau, Cao Bằng, Cần Thơ, Đà Nẵng, Đắk Lắk, Điện Biên, Đồng Nai, Đồng Tháp, " +
		"Gia Lai, Hà Nội, Hà Tĩnh, Hải Phòng, TP Hồ Chí Minh, Huế, Hưng Yên, Khánh Hòa, Lai Châu, Lạng Sơn, " +
		"Lào Cai, Lâm Đồng, Nghệ An, Ninh Bình, Phú Thọ, Quảng Ngãi, Quảng Ninh, Quảng Trị, Sơn La, Tây Ninh, " +
		"Thái Nguyên, Thanh Hóa, Tuyên Quang, Vĩnh Long"
	if got := strings.Join(names, ", "); got != want {
		t.Errorf("Provinces(2026) =\n%s\nwant\n%s", got, want)
	}
}

func TestFullName(t *testing.T) {
	t.Parallel()
	g := Default()
	for id, want := range map[string]string{
		"hau-giang": "tỉnh Hậu Giang", "can-tho": "thành phố Cần Thơ", "thi-xa-long-my": "thị xã Long Mỹ",
		"tp-ho-chi-minh": "TP Hồ Chí Minh", "phuong-nga-bay": "phường Ngã Bảy", "dac-khu-hoang-sa": "đặc khu Hoàng Sa",
	} {
		if got := g.Place(id).FullName(); got != want {
			t.Errorf("FullName(%s) = %q, want %q", id, got, want)
		}
	}
}

func TestLookupIsStrictAboutWrittenDiacritics(t *testing.T) {
	t.Parallel()
	g := Default()
	for name, want := range map[string][]string{
		"Hâu Giang":          nil,
		"Hau Giang":          {"hau-giang"},
		"Can Thơ":            {"can-tho"}, // a word without marks matches any
		"Cân Thơ":            nil,
		"Ngã Bảy":            {"nga-bay", "phuong-nga-bay"},
		"tỉnh":               nil,
		"":                   nil,
		"tính Huế":           nil,     // "tính" is no kind word
		"tỉnh Huế":           {"hue"}, // a wrong kind word still finds the place
		"Cần Thơ, Hậu Giang": nil,
	} {
		if got := ids(g.Lookup(name)); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("Lookup(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestContainersAreTheInverseOfDescendants: for every place of the data, q
// is among p's containers exactly when p is among q's descendants; the
// city of Ngã Bảy lies in Hậu Giang, then Cần Thơ.
func TestContainersAreTheInverseOfDescendants(t *testing.T) {
	t.Parallel()
	g := Default()
	if got := ids(g.Containers(g.Place("nga-bay"))); !slices.Equal(got, []string{"hau-giang", "can-tho"}) {
		t.Errorf("Containers(nga-bay) = %v", got)
	}
	if got := g.Containers(g.Place("khanh-hoa")); len(got) != 0 {
		t.Errorf("a province that went into none lies in %v", ids(got))
	}
	within := map[*Place]map[*Place]bool{}
	for _, q := range g.Places() {
		for _, p := range g.Descendants(q) {
			if within[p] == nil {
				within[p] = map[*Place]bool{}
			}
			within[p][q] = true
		}
	}
	for _, p := range g.Places() {
		got := g.Containers(p)
		if len(got) != len(within[p]) {
			t.Errorf("Containers(%s) = %v, but %d places have it among their descendants", p.ID, ids(got), len(within[p]))
			continue
		}
		for _, q := range got {
			if !within[p][q] {
				t.Errorf("Containers(%s) has %s, whose descendants lack it", p.ID, q.ID)
			}
		}
	}
}
