package importer

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The two Vietnamese font encodings of the 1990s and 2000s that x/text
// does not carry. Both are byte encodings over ASCII: a file typed in
// .VnTime (TCVN3) or VNI-Times shows as Latin-1 garbage in any other font.
//
// Sources: the published code charts of TCVN 5712:1993 "VN3" (the ABC
// fonts' table, as reproduced on vietunicode.sourceforge.net/charset/ and in
// converter tools such as Unikey), and the VNI-Windows chart of VNI
// Software (same site). The decoder tests check both against strings whose
// legacy spelling is published in converter documentation ("Xin chaøo caùc
// baïn" in VNI, "Ninh B×nh" in TCVN3).

// tcvn3High maps TCVN3 bytes to letters. Of the uppercase letters TCVN3
// has codes only for Ă Â Ê Ô Ơ Ư Đ: uppercase toned letters live in
// separate fonts (.VnTimeH) that reuse the lowercase codes.
var tcvn3High = map[byte]rune{
	0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư', 0xA7: 'Đ',
	0xA8: 'ă', 0xA9: 'â', 0xAA: 'ê', 0xAB: 'ô', 0xAC: 'ơ', 0xAD: 'ư', 0xAE: 'đ',
	0xB5: 'à', 0xB6: 'ả', 0xB7: 'ã', 0xB8: 'á', 0xB9: 'ạ',
	0xBB: 'ằ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xBE: 'ắ', 0xC6: 'ặ',
	0xC7: 'ầ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCA: 'ấ', 0xCB: 'ậ',
	0xCC: 'è', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD0: 'é', 0xD1: 'ẹ',
	0xD2: 'ề', 0xD3: 'ể', 0xD4: 'ễ', 0xD5: 'ế', 0xD6: 'ệ',
	0xD7: 'ì', 0xD8: 'ỉ', 0xDC: 'ĩ', 0xDD: 'í', 0xDE: 'ị',
	0xDF: 'ò', 0xE1: 'ỏ', 0xE2: 'õ', 0xE3: 'ó', 0xE4: 'ọ',
	0xE5: 'ồ', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE8: 'ố', 0xE9: 'ộ',
	0xEA: 'ờ', 0xEB: 'ở', 0xEC: 'ỡ', 0xED: 'ớ', 0xEE: 'ợ',
	0xEF: 'ù', 0xF1: 'ủ', 0xF2: 'ũ', 0xF3: 'ú', 0xF4: 'ụ',
	0xF5: 'ừ', 0xF6: 'ử', 0xF7: 'ữ', 0xF8: 'ứ', 0xF9: 'ự',
	0xFA: 'ỳ', 0xFB: 'ỷ', 0xFC: 'ỹ', 0xFD: 'ý', 0xFE: 'ỵ',
}

// vniHigh maps VNI-Windows bytes to text. VNI writes a toned vowel as its
// ASCII base letter followed by one byte for the vowel modifier and tone
// together, so most bytes here are combining marks that NFC then composes
// with the letter before; ơ, ư, đ, the toned i and ỵ have bytes of their
// own. Upper and lower case use different bytes for the same marks.
var vniHigh = map[byte]string{
	// tone marks: sắc, huyền, hỏi, ngã, nặng
	0xF9: "\u0301", 0xF8: "\u0300", 0xFB: "\u0309", 0xF5: "\u0303", 0xEF: "\u0323",
	0xD9: "\u0301", 0xD8: "\u0300", 0xDB: "\u0309", 0xD5: "\u0303", 0xCF: "\u0323",
	// circumflex (â ê ô), alone and with each tone
	0xE2: "\u0302", 0xE1: "\u0302\u0301", 0xE0: "\u0302\u0300", 0xE5: "\u0302\u0309", 0xE3: "\u0302\u0303", 0xE4: "\u0302\u0323",
	0xC2: "\u0302", 0xC1: "\u0302\u0301", 0xC0: "\u0302\u0300", 0xC5: "\u0302\u0309", 0xC3: "\u0302\u0303", 0xC4: "\u0302\u0323",
	// breve (ă), alone and with each tone
	0xEA: "\u0306", 0xE9: "\u0306\u0301", 0xE8: "\u0306\u0300", 0xFA: "\u0306\u0309", 0xFC: "\u0306\u0303", 0xEB: "\u0306\u0323",
	0xCA: "\u0306", 0xC9: "\u0306\u0301", 0xC8: "\u0306\u0300", 0xDA: "\u0306\u0309", 0xDC: "\u0306\u0303", 0xCB: "\u0306\u0323",
	// letters with bytes of their own
	0xF4: "ơ", 0xF6: "ư", 0xF1: "đ", 0xED: "í", 0xEC: "ì", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị", 0xEE: "ỵ",
	0xD4: "Ơ", 0xD6: "Ư", 0xD1: "Đ", 0xCD: "Í", 0xCC: "Ì", 0xC6: "Ỉ", 0xD3: "Ĩ", 0xD2: "Ị", 0xCE: "Ỵ",
}

// cp1252High is Windows-1252 for 0x80-0x9F, the bytes legacy files carry
// for curly quotes and dashes; 0xA0-0xFF are Latin-1.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func latin1(b byte) rune {
	if b >= 0x80 && b < 0xA0 {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

// decodeTCVN3 decodes TCVN3 (ABC) bytes; bytes outside its table read as
// Windows-1252.
func decodeTCVN3(src []byte) string {
	var b strings.Builder
	b.Grow(len(src) + len(src)/4)
	for _, c := range src {
		if c < utf8.RuneSelf {
			b.WriteByte(c)
		} else if r, ok := tcvn3High[c]; ok {
			b.WriteRune(r)
		} else {
			b.WriteRune(latin1(c))
		}
	}
	return b.String()
}

// decodeVNI decodes VNI-Windows bytes into NFC text.
func decodeVNI(src []byte) string {
	var b strings.Builder
	b.Grow(len(src) + len(src)/4)
	for _, c := range src {
		if c < utf8.RuneSelf {
			b.WriteByte(c)
		} else if s, ok := vniHigh[c]; ok {
			b.WriteString(s)
		} else {
			b.WriteRune(latin1(c))
		}
	}
	return norm.NFC.String(b.String())
}
