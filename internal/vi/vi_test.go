package vi

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestSlug(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Thành phố Ngã Bảy: Phát động thi đua":    "thanh-pho-nga-bay-phat-dong-thi-dua",
		"Đại hội Đảng bộ tỉnh lần thứ XIV":        "dai-hoi-dang-bo-tinh-lan-thu-xiv",
		"  Hậu Giang -- 2022–2023  ":              "hau-giang-2022-2023",
		"Khánh Hoà":                               "khanh-hoa",
		"Ủy ban nhân dân":                         "uy-ban-nhan-dan",
		"“Cam kết mạnh mẽ, hành động quyết liệt”": "cam-ket-manh-me-hanh-dong-quyet-liet",
		"中文":   "",
		"!!!":  "",
		"OCOP": "ocop",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
		if got := Slug(norm.NFD.String(in)); got != want {
			t.Errorf("Slug(NFD %q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugCapsLongNamesAtAWordWithAHash(t *testing.T) {
	t.Parallel()
	// 400 characters of a slogan: the slug is cut at a word and ends with
	// a hash of the whole, within MaxSlugBytes.
	slogan := strings.Repeat("Đoàn kết, sáng tạo, thi đua vượt khó, ", 11)[:400]
	got := Slug(slogan)
	if len(got) > MaxSlugBytes || len(got) < MaxSlugBytes-20 {
		t.Errorf("Slug of 400 characters is %d bytes: %q", len(got), got)
	}
	full := FullSlug(slogan)
	prefix, hash, _ := strings.Cut(got[len(got)-slugHashLen-1:], "-")
	if prefix != "" || len(hash) != slugHashLen {
		t.Errorf("Slug %q does not end with -<%d hex digits>", got, slugHashLen)
	}
	head := got[:len(got)-slugHashLen-1]
	if !strings.HasPrefix(full, head+"-") {
		t.Errorf("Slug %q is not cut at a word of %q", got, full)
	}
	if Slug(slogan) != got || Slug(norm.NFD.String(slogan)) != got {
		t.Errorf("Slug of a long name is not stable")
	}
	// Two names sharing their first 200 characters get two slugs.
	a, b := slogan[:200]+" Hậu Giang", slogan[:200]+" Cần Thơ"
	if Slug(a) == Slug(b) {
		t.Errorf("two long names share the slug %q", Slug(a))
	}
	// One very long word is cut inside the word.
	word := strings.Repeat("x", 300)
	if got := Slug(word); len(got) != MaxSlugBytes || !strings.HasPrefix(got, strings.Repeat("x", 71)+"-") {
		t.Errorf("Slug of one 300-letter word = %q", got)
	}
	// Slugs that fit stay as they were: existing URLs do not move.
	exact := strings.Repeat("ab-", 26) + "cd" // 80 bytes
	if Slug(exact) != exact {
		t.Errorf("Slug of an 80-byte slug changed it to %q", Slug(exact))
	}
	if Slug(exact+"e") == exact+"e" {
		t.Errorf("an 81-byte slug was not shortened")
	}
}

func TestFoldMapsDStrokeAndDropsMarks(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Thi đua":     "thi dua",
		"ĐẠI HỘI":     "dai hoi",
		"Ngã Bảy":     "nga bay",
		"thuỷ / thủy": "thuy / thuy",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewTonePlacement(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"hoà":       "hòa",
		"Khánh Hoà": "Khánh Hòa",
		"thuỷ lợi":  "thủy lợi",
		"tuỵ":       "tụy",
		"khoẻ":      "khỏe",
		"HOÀ":       "HÒA",
		"quý":       "quý",   // u belongs to qu
		"hoàng":     "hoàng", // closed syllable: same in both styles
		"thuyền":    "thuyền",
		"hòa":       "hòa",
		"Thi đua":   "Thi đua",
	} {
		if got := NewTonePlacement(in); got != want {
			t.Errorf("NewTonePlacement(%q) = %q, want %q", in, got, want)
		}
		if got := NewTonePlacement(norm.NFD.String(in)); got != want {
			t.Errorf("NewTonePlacement(NFD %q) = %q, want %q", in, got, want)
		}
	}
}

func TestCollatorSortsVietnameseAlphabet(t *testing.T) {
	t.Parallel()
	names := []string{"Đà Nẵng", "Cần Thơ", "Hà Nội", "Ân Thi", "An Giang", "Ăn Uống", "Dầu Tiếng", "Huế", "Bạc Liêu", "Ô Môn", "Ơ Ri", "Ong"}
	c := NewCollator()
	slices.SortFunc(names, c.Compare)
	want := []string{"An Giang", "Ăn Uống", "Ân Thi", "Bạc Liêu", "Cần Thơ", "Dầu Tiếng", "Đà Nẵng", "Hà Nội", "Huế", "Ong", "Ô Môn", "Ơ Ri"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted:\n%v\nwant\n%v", names, want)
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Thành phố Ngã Bảy", "Đua", "a--b", "", "\xff\xfe", "Hoà", "KHOẺ thuỷ", "quý hoàng"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IsPlainNFC([]byte(s)) && (!utf8.ValidString(s) || !norm.NFC.IsNormalString(s)) {
			t.Fatalf("IsPlainNFC(%q) but it is not valid NFC text", s)
		}
		slug := Slug(s)
		for i := 0; i < len(slug); i++ {
			c := slug[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				t.Fatalf("Slug(%q) = %q has byte %q", s, slug, c)
			}
		}
		if strings.HasPrefix(slug, "-") || strings.HasSuffix(slug, "-") || strings.Contains(slug, "--") {
			t.Fatalf("Slug(%q) = %q has stray hyphens", s, slug)
		}
		if len(slug) > MaxSlugBytes {
			t.Fatalf("Slug(%q) = %q is longer than %d bytes", s, slug, MaxSlugBytes)
		}
		if Slug(slug) != slug {
			t.Fatalf("Slug is not idempotent on %q", slug)
		}
		if utf8.ValidString(s) && Slug(norm.NFD.String(s)) != slug {
			t.Fatalf("NFD and NFC slugs differ for %q", s)
		}
		if utf8.ValidString(s) && Fold(NewTonePlacement(s)) != Fold(s) {
			t.Fatalf("tone placement changed the folded text of %q", s)
		}
		if utf8.ValidString(s) && NewTonePlacement(s) != newTonePlacementSlow(s) {
			t.Fatalf("fast tone placement %q differs from the full one %q", NewTonePlacement(s), newTonePlacementSlow(s))
		}
		if want := NFC(strings.ToLower(NFC(s))); utf8.ValidString(s) && LowerWord(s) != want {
			t.Fatalf("LowerWord(%q) = %q, want %q", s, LowerWord(s), want)
		}
		for _, r := range s {
			if IsWordRune(r) != (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
				t.Fatalf("IsWordRune(%q) is wrong", r)
			}
		}
		if utf8.ValidString(s) && Fold(s) != foldSlow(s) {
			t.Fatalf("fast fold %q differs from the full one %q for %q", Fold(s), foldSlow(s), s)
		}
	})
}
