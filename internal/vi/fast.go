package vi

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldTableSize covers Latin-1, Latin Extended-A and -B, the combining
// diacritical marks and Latin Extended Additional, where Vietnamese lives.
const foldTableSize = 0x1F00

// Values of foldTable besides an ASCII letter.
const (
	foldUnknown = 0    // not covered: take the slow path
	foldDrop    = 0xFF // a combining mark: dropped
)

// foldTable maps a rune to the lowercase ASCII letter it folds to. It is
// computed once from Unicode decompositions and never written after, so
// Fold of Vietnamese text needs no normalization pass.
var foldTable = buildFoldTable()

func buildFoldTable() *[foldTableSize]byte {
	var t [foldTableSize]byte
	for r := rune(0x80); r < foldTableSize; r++ {
		if unicode.Is(unicode.Mn, r) {
			t[r] = foldDrop
			continue
		}
		if l := foldLetter(r); l != 0 {
			t[r] = l
			continue
		}
		d := norm.NFD.String(string(r))
		base, size := utf8.DecodeRuneInString(d)
		if base >= utf8.RuneSelf || !unicode.IsLetter(base) {
			continue
		}
		allMarks := true
		for _, m := range d[size:] {
			allMarks = allMarks && unicode.Is(unicode.Mn, m)
		}
		if allMarks && len(d) > size {
			t[r] = byte(unicode.ToLower(base))
		}
	}
	return &t
}

// nfcStableSize covers the scripts of foldTable and the general
// punctuation Vietnamese prose uses (dashes, quotes, ellipsis).
const nfcStableSize = 0x2070

// nfcStable marks the runes that are NFC on their own and never combine
// with the rune before them: a string made only of them is NFC, since only
// such a combining rune could change it. Computed once from
// the Unicode tables, never written after.
var nfcStable = buildNFCStable()

func buildNFCStable() *[nfcStableSize]bool {
	var t [nfcStableSize]bool
	for r := rune(0); r < nfcStableSize; r++ {
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		t[r] = utf8.ValidRune(r) && p.BoundaryBefore() && norm.NFC.IsNormalString(s)
	}
	return &t
}

// composedFast reports whether s is certainly NFC by a table lookup per
// rune, several times faster than the general check on Vietnamese text;
// false means "check the slow way", not "not NFC".
func composedFast(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= nfcStableSize || !nfcStable[r] {
			return false
		}
		i += size
	}
	return true
}

// IsPlainNFC reports whether b is valid UTF-8 made only of ASCII and of
// runes that are NFC on their own, as nearly all Vietnamese text is: such
// text needs neither a UTF-8 check nor normalization. False says nothing.
func IsPlainNFC(b []byte) bool { return composedFastBytes(b) }

// composedFastBytes is composedFast for bytes. Invalid UTF-8 decodes as
// U+FFFD, which is outside the table, so true also means valid UTF-8.
func composedFastBytes(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r >= nfcStableSize || !nfcStable[r] {
			return false
		}
		i += size
	}
	return true
}

// foldFast folds s when every rune is in the table; ok is false otherwise.
func foldFast(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= foldTableSize || foldTable[r] == foldUnknown {
			return dst, false
		}
		if f := foldTable[r]; f != foldDrop {
			dst = append(dst, f)
		}
		i += size
	}
	return dst, true
}

// AppendFold appends Fold(s) to dst, without allocating for the letters
// Vietnamese uses.
func AppendFold(dst []byte, s string) []byte {
	start := len(dst)
	if out, ok := foldFast(dst, s); ok {
		return out
	}
	return append(dst[:start], foldSlow(s)...)
}

// MayHaveOldTone reports whether NewTonePlacement could change a composed
// word: only words ending in a toned a, e or y after o or u (oà, oé, uỷ).
func MayHaveOldTone(word string) bool { return oldToneEnd(word) }

// oldToneEnd reports whether a lowercase NFC word may end in an old-style
// tone placement (oà, oé, uỷ ...), the only case NewTonePlacement changes.
func oldToneEnd(word string) bool {
	last, size := utf8.DecodeLastRuneInString(word)
	if last < 0xC0 || len(word) <= size {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(word[:len(word)-size])
	if prev != 'o' && prev != 'u' && prev != 'O' && prev != 'U' {
		return false
	}
	return last < foldTableSize && (foldTable[last] == 'a' || foldTable[last] == 'e' || foldTable[last] == 'y')
}

// lowerTable maps runes below foldTableSize to their lowercase form, or 0
// when lowercasing leaves them as they are. Computed once, never written.
var lowerTable = buildLowerTable()

func buildLowerTable() *[foldTableSize]rune {
	var t [foldTableSize]rune
	for r := rune(0); r < foldTableSize; r++ {
		if l := unicode.ToLower(r); l != r {
			t[r] = l
		}
	}
	return &t
}

// LowerWord returns word in NFC and lowercased, as norm.NFC then
// strings.ToLower would, without either's cost for the precomposed Latin letters
// of Vietnamese: such words are already NFC and need at most a table
// lookup per letter.
func LowerWord(word string) string {
	changes := false
	for i := 0; i < len(word); {
		c := word[i]
		if c < utf8.RuneSelf {
			changes = changes || ('A' <= c && c <= 'Z')
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(word[i:])
		if r >= foldTableSize || foldTable[r] == foldUnknown || foldTable[r] == foldDrop {
			// Other scripts, or combining marks that NFC may compose.
			// Compose first: lowercasing "I" + U+0307 and "İ" differs.
			return NFC(strings.ToLower(NFC(word)))
		}
		changes = changes || lowerTable[r] != 0
		i += size
	}
	if !changes {
		return word
	}
	b := make([]byte, 0, len(word))
	for _, r := range word {
		if r < foldTableSize && lowerTable[r] != 0 {
			r = lowerTable[r]
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// IsWordRune reports whether r belongs in a word: a letter, a digit or a
// combining mark. Latin letters, Vietnamese ones included, are answered from
// a table.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r < foldTableSize && foldTable[r] != foldUnknown {
		return true // a Latin letter with diacritics, or a combining mark
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
