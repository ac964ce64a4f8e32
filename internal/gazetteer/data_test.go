package gazetteer

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/bantin/bantin/internal/vi"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ids(places []*Place) []string {
	out := make([]string, len(places))
	for i, p := range places {
		out[i] = p.ID
	}
	return out
}

func countKinds(places []*Place) map[Kind]int {
	out := map[Kind]int{}
	for _, p := range places {
		out[p.Kind]++
	}
	return out
}

func TestProvinceCountsBeforeAndAfterTheMerger(t *testing.T) {
	t.Parallel()
	g := Default()
	for _, tc := range []struct {
		day             string
		total, province int
		central         int
	}{
		{"2020-06-23", 63, 58, 5},
		{"2024-12-31", 63, 58, 5},
		// Thừa Thiên Huế became the centrally-run city of Huế.
		{"2025-01-01", 63, 57, 6},
		{"2025-06-30", 63, 57, 6},
		{"2025-07-01", 34, 28, 6},
		{"2026-03-05", 34, 28, 6},
	} {
		got := g.Provinces(day(tc.day))
		kinds := countKinds(got)
		if len(got) != tc.total || kinds[Province] != tc.province || kinds[CentralCity] != tc.central {
			t.Errorf("%s: %d units (%d tỉnh, %d thành phố trực thuộc trung ương), want %d (%d, %d)",
				tc.day, len(got), kinds[Province], kinds[CentralCity], tc.total, tc.province, tc.central)
		}
	}
	var central []string
	for _, p := range g.Provinces(day("2025-07-01")) {
		if p.Kind == CentralCity {
			central = append(central, p.Name)
		}
	}
	want := []string{"Cần Thơ", "Đà Nẵng", "Hà Nội", "Hải Phòng", "TP Hồ Chí Minh", "Huế"}
	if !slices.Equal(central, want) {
		t.Errorf("centrally-run cities after the merger = %v, want %v", central, want)
	}
}

// merger is Resolution 202/2025/QH15: each unit from 2025-07-01 and the
// units of before that went into it (itself included when it kept its name).
var merger = map[string][]string{
	"ha-noi":         {"ha-noi"},
	"hue":            {"hue"},
	"lai-chau":       {"lai-chau"},
	"dien-bien":      {"dien-bien"},
	"son-la":         {"son-la"},
	"lang-son":       {"lang-son"},
	"quang-ninh":     {"quang-ninh"},
	"thanh-hoa":      {"thanh-hoa"},
	"nghe-an":        {"nghe-an"},
	"ha-tinh":        {"ha-tinh"},
	"cao-bang":       {"cao-bang"},
	"tuyen-quang":    {"tuyen-quang", "ha-giang"},
	"lao-cai":        {"lao-cai", "yen-bai"},
	"thai-nguyen":    {"thai-nguyen", "bac-kan"},
	"phu-tho":        {"phu-tho", "vinh-phuc", "hoa-binh"},
	"bac-ninh":       {"bac-ninh", "bac-giang"},
	"hung-yen":       {"hung-yen", "thai-binh"},
	"hai-phong":      {"hai-phong", "hai-duong"},
	"ninh-binh":      {"ninh-binh", "ha-nam", "nam-dinh"},
	"quang-tri":      {"quang-tri", "quang-binh"},
	"da-nang":        {"da-nang", "quang-nam"},
	"quang-ngai":     {"quang-ngai", "kon-tum"},
	"gia-lai":        {"gia-lai", "binh-dinh"},
	"khanh-hoa":      {"khanh-hoa", "ninh-thuan"},
	"lam-dong":       {"lam-dong", "dak-nong", "binh-thuan"},
	"dak-lak":        {"dak-lak", "phu-yen"},
	"tp-ho-chi-minh": {"tp-ho-chi-minh", "binh-duong", "ba-ria-vung-tau"},
	"dong-nai":       {"dong-nai", "binh-phuoc"},
	"tay-ninh":       {"tay-ninh", "long-an"},
	"can-tho":        {"can-tho", "soc-trang", "hau-giang"},
	"vinh-long":      {"vinh-long", "ben-tre", "tra-vinh"},
	"dong-thap":      {"dong-thap", "tien-giang"},
	"ca-mau":         {"ca-mau", "bac-lieu"},
	"an-giang":       {"an-giang", "kien-giang"},
}

func TestEveryOldProvinceGoesIntoExactlyOneNewOne(t *testing.T) {
	t.Parallel()
	g := Default()
	if len(merger) != 34 {
		t.Fatalf("the table has %d new units", len(merger))
	}
	want := map[string]string{}
	for newID, olds := range merger {
		for _, old := range olds {
			want[old] = newID
		}
	}
	got := map[string]string{}
	for _, p := range g.Provinces(day("2025-06-30")) {
		next := g.Province(p, day("2025-07-01"))
		if next.Kind.Level() != 1 || !next.ValidAt(day("2025-07-01")) {
			t.Errorf("%s goes into %s, which is no provincial unit of 2025-07-01", p.ID, next.ID)
		}
		got[p.ID] = next.ID
	}
	// Thừa Thiên Huế, of the map before 2025-01-01, went into Huế.
	got["thua-thien-hue"] = g.Province(g.Place("thua-thien-hue"), day("2025-07-01")).ID
	want["thua-thien-hue"] = "hue"
	if len(got) != 64 {
		t.Errorf("%d old units checked, want 63 and Thừa Thiên Huế", len(got))
	}
	for old, newID := range want {
		if got[old] != newID {
			t.Errorf("%s goes into %q, want %q", old, got[old], newID)
		}
	}
	for old := range got {
		if _, ok := want[old]; !ok {
			t.Errorf("%s is not in the merger table", old)
		}
	}
}

var idForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestDataIsConsistent(t *testing.T) {
	t.Parallel()
	g := Default()
	seen := map[string]bool{}
	for _, p := range g.Places() {
		if seen[p.ID] || !idForm.MatchString(p.ID) {
			t.Errorf("id %q is repeated or not slug-like", p.ID)
		}
		seen[p.ID] = true
		if p.Parent != "" && g.Place(p.Parent) == nil {
			t.Errorf("%s: dangling parent %q", p.ID, p.Parent)
		}
		for _, s := range p.Successors {
			if g.Place(s) == nil {
				t.Errorf("%s: dangling successor %q", p.ID, s)
			}
			if next := g.Place(s); next != nil && next.ValidFrom != "" && next.ValidFrom != dayAfter(p.ValidTo) {
				t.Errorf("%s ends %s but its successor %s begins %s", p.ID, p.ValidTo, s, next.ValidFrom)
			}
		}
		if p.Kind.Level() == 0 || p.Kind == Area {
			t.Errorf("%s: kind %q", p.ID, p.Kind)
		}
		if !norm.NFC.IsNormalString(p.Name) || vi.NewTonePlacement(p.Name) != p.Name {
			t.Errorf("%s: name %q is not NFC with the new tone placement", p.ID, p.Name)
		}
		if r := []rune(p.Name)[0]; !unicode.IsUpper(r) {
			t.Errorf("%s: name %q does not start with a capital", p.ID, p.Name)
		}
		// The id is the name's slug, or carries a kind or province to tell
		// namesakes apart.
		if slug := vi.Slug(g.sortName(p.Name)); !strings.Contains(p.ID, slug) {
			t.Errorf("%s: id does not contain the slug %q of its name", p.ID, slug)
		}
		if p.Kind.Level() == 2 && p.ValidTo != "2025-06-30" {
			t.Errorf("%s: a district-level unit must end on 2025-06-30, not %q", p.ID, p.ValidTo)
		}
		if p.Kind.Level() == 3 && p.ValidFrom != "2025-07-01" {
			t.Errorf("%s: a commune-level unit of the data begins on 2025-07-01, not %q", p.ID, p.ValidFrom)
		}
	}
}

// The districts the issue names, before 2025.
func TestDistrictsOfHauGiangCanThoAndSocTrang(t *testing.T) {
	t.Parallel()
	g := Default()
	want := map[string][]string{
		"hau-giang": {"Châu Thành", "Châu Thành A", "Long Mỹ", "Long Mỹ", "Ngã Bảy", "Phụng Hiệp", "Vị Thanh", "Vị Thủy"},
		"can-tho":   {"Bình Thủy", "Cái Răng", "Cờ Đỏ", "Ninh Kiều", "Ô Môn", "Phong Điền", "Thốt Nốt", "Thới Lai", "Vĩnh Thạnh"},
		"soc-trang": {"Châu Thành", "Cù Lao Dung", "Kế Sách", "Long Phú", "Mỹ Tú", "Mỹ Xuyên", "Ngã Năm", "Sóc Trăng", "Thạnh Trị", "Trần Đề", "Vĩnh Châu"},
	}
	for province, names := range want {
		var got []string
		for _, c := range g.Children(g.Place(province)) {
			if c.Kind.Level() == 2 && c.ValidAt(day("2024-06-01")) {
				got = append(got, c.Name)
			}
		}
		sort.Strings(got)
		sort.Strings(names)
		if !slices.Equal(got, names) {
			t.Errorf("district-level units of %s in 2024 = %v, want %v", province, got, names)
		}
	}
}
