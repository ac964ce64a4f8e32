package vi

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestComposedFastAgreesWithNorm(t *testing.T) {
	stable := 0
	for r := rune(0); r < nfcStableSize; r++ {
		if !nfcStable[r] {
			continue
		}
		stable++
		// A stable rune next to any other stable rune, or alone, stays NFC.
		for _, s := range []string{string(r), "a" + string(r), string(r) + "ơ", "ư" + string(r) + "ạ"} {
			if !norm.NFC.IsNormalString(s) {
				t.Fatalf("%U marked stable but %q is not NFC", r, s)
			}
		}
	}
	// Any sequence of stable runes is NFC: every pair, over a stride that
	// crosses every block of the table.
	var runes []rune
	for r := rune(0); r < nfcStableSize; r++ {
		if nfcStable[r] {
			runes = append(runes, r)
		}
	}
	for i := 0; i < len(runes); i += 7 {
		for j := 0; j < len(runes); j += 13 {
			if s := string(runes[i]) + string(runes[j]); !norm.NFC.IsNormalString(s) {
				t.Fatalf("%q of stable runes is not NFC", s)
			}
		}
	}
	if stable < 1000 || !nfcStable['ệ'] || !nfcStable['đ'] || !nfcStable['“'] {
		t.Fatalf("table too small (%d runes) or missing Vietnamese letters", stable)
	}
	for _, b := range []string{"thi \xff", "đ\xc4", "\xed\xa0\x80", "a\xe1\xbb"} {
		if IsPlainNFC([]byte(b)) {
			t.Errorf("IsPlainNFC(%q): invalid UTF-8 taken as plain text", b)
		}
	}
	for _, r := range []rune{0x0301, 0x0323, 0x0340, 0x2000, 0x212B} {
		if r < nfcStableSize && nfcStable[r] {
			t.Errorf("%U must take the slow path", r)
		}
	}
	for _, s := range []string{"Thi đua yêu nước", "hoà thuỷ – “Ngã Bảy”…", "Tho\u0301", "\u212B", "Ä\u0301"} {
		if composedFast(s) && !norm.NFC.IsNormalString(s) {
			t.Errorf("composedFast(%q) but it is not NFC", s)
		}
		if got, want := NFC(s), norm.NFC.String(s); got != want {
			t.Errorf("NFC(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(NFCBytes([]byte(s))), norm.NFC.String(s); got != want {
			t.Errorf("NFCBytes(%q) = %q, want %q", s, got, want)
		}
		if IsPlainNFC([]byte(s)) && !norm.NFC.IsNormalString(s) {
			t.Errorf("IsPlainNFC(%q) but it is not NFC", s)
		}
		if composedFastBytes([]byte(s)) != composedFast(s) {
			t.Errorf("composedFastBytes(%q) disagrees with composedFast", s)
		}
	}
}
