// Package vi handles Vietnamese text: Unicode normalization, folding to
// diacritic-free ASCII for slugs and search, tone-placement variants,
// alphabetical collation and the words used in dates.
package vi

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// NFC returns s in composed form, so that text typed in decomposed Unicode
// renders, sorts and compares exactly like its composed twin.
func NFC(s string) string {
	if composedFast(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// NFCBytes is NFC for bytes: b itself when it is NFC already, as nearly
// all text is.
func NFCBytes(b []byte) []byte {
	if composedFastBytes(b) || norm.NFC.IsNormal(b) {
		return b
	}
	return norm.NFC.Bytes(b)
}

// Fold lowercases s, removes every diacritic and maps đ to d: "Đại hội Thi
// đua" becomes "dai hoi thi dua". đ/Đ need explicit mapping because Unicode
// gives them no decomposition. Characters that are not letters or digits are
// kept as they are.
func Fold(s string) string {
	if out, ok := foldFast(make([]byte, 0, len(s)), s); ok {
		return string(out)
	}
	return foldSlow(s)
}

// foldSlow is Fold through a full Unicode decomposition.
func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r):
			// tone and vowel marks: dropped
		case foldLetter(r) != 0:
			b.WriteByte(foldLetter(r))
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// MaxSlugBytes bounds every slug Slug makes. File systems refuse names
// over 255 bytes, and Vietnamese slogans of 200 characters are common; 80
// bytes keep URLs readable and leave room for the rest of a path.
const MaxSlugBytes = 80

// slugHashLen is the length of the hash that ends a shortened slug: 8 hex
// digits, so two long names that share their beginning still differ.
const slugHashLen = 8

// Slug returns the URL slug of s: folded, with every run of characters other
// than ASCII letters and digits replaced by one hyphen. "Thành phố Ngã Bảy:
// Phát động thi đua" becomes "thanh-pho-nga-bay-phat-dong-thi-dua". The slug
// is empty when s has no ASCII letter or digit after folding.
//
// A slug longer than MaxSlugBytes is cut at a hyphen and ends with a short
// hash of the whole slug ("...-thi-dua-3f9a0c1e"), so that every name gives
// a slug a file system accepts and two long names never share one. Slugs
// that fit are left as they are.
func Slug(s string) string {
	full := FullSlug(s)
	if len(full) <= MaxSlugBytes {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	suffix := hex.EncodeToString(sum[:])[:slugHashLen]
	keep := MaxSlugBytes - 1 - slugHashLen
	cut := full[:keep]
	if full[keep] != '-' {
		// Cut at the last whole word, unless that leaves too little of
		// the name (one very long word): then cut inside the word.
		if i := strings.LastIndexByte(cut, '-'); i >= keep/2 {
			cut = cut[:i]
		}
	}
	return strings.TrimSuffix(cut, "-") + "-" + suffix
}

// FullSlug is Slug without the length bound: for checking a slug an editor
// wrote, which should be reported when too long rather than changed.
func FullSlug(s string) string {
	folded := Fold(s)
	var b strings.Builder
	b.Grow(len(folded))
	pendingHyphen := false
	for i := 0; i < len(folded); i++ {
		c := folded[i]
		if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			b.WriteByte(c)
			continue
		}
		pendingHyphen = true
	}
	return b.String()
}

func isToneMark(r rune) bool { return strings.ContainsRune(ToneMarks, r) }

// NewTonePlacement rewrites old-style tone placement ("hoà", "thuỷ", "tuỵ")
// in the new style ("hòa", "thủy", "tụy"), so that both spellings of a word
// compare equal. Only open syllables ending in oa, oe or uy differ between
// the styles; "quý" keeps its mark because its u belongs to the consonant.
// The result is NFC.
func NewTonePlacement(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xC0 }) {
		return s
	}
	if norm.NFC.IsNormalString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x300 && r < 0x370 }) {
		// Composed text: only words ending in a toned a, e or y after o or
		// u can change, so most text needs no decomposition.
		changed := false
		for start := 0; start < len(s); {
			end := start
			for end < len(s) {
				r, size := utf8.DecodeRuneInString(s[end:])
				if !unicode.IsLetter(r) {
					break
				}
				end += size
			}
			if end == start {
				_, size := utf8.DecodeRuneInString(s[start:])
				start += size
				continue
			}
			changed = changed || oldToneEnd(s[start:end])
			start = end
		}
		if !changed {
			return s
		}
	}
	return newTonePlacementSlow(s)
}

// newTonePlacementSlow is NewTonePlacement through a full decomposition.
func newTonePlacementSlow(s string) string {
	d := []rune(norm.NFD.String(s))
	for start := 0; start < len(d); {
		end := start
		for end < len(d) && (unicode.IsLetter(d[end]) || unicode.Is(unicode.Mn, d[end])) {
			end++
		}
		if end == start {
			start++
			continue
		}
		moveOldTone(d[start:end])
		start = end
	}
	return norm.NFC.String(string(d))
}

// moveOldTone moves the tone mark of one decomposed syllable from the last
// vowel of a final oa/oe/uy to the first.
func moveOldTone(syl []rune) {
	// The syllable must end in base, base, tone with no vowel modifier.
	n := len(syl)
	if n < 3 || !isToneMark(syl[n-1]) {
		return
	}
	first, last := unicode.ToLower(syl[n-3]), unicode.ToLower(syl[n-2])
	i := slices.IndexFunc(oldToneEndings[:], func(e OldToneEnding) bool { return e.First == first && e.Last == last })
	if i < 0 || n >= 4 && oldToneEndings[i].KeepAfter != 0 && unicode.ToLower(syl[n-4]) == oldToneEndings[i].KeepAfter {
		return
	}
	tone := syl[n-1]
	syl[n-1] = syl[n-2]
	syl[n-2] = tone
}

// Collator orders strings in Vietnamese alphabetical order (a ă â b c d đ e
// ê ...). It is not safe for concurrent use; make one per goroutine.
type Collator struct{ c *collate.Collator }

// NewCollator returns a Vietnamese collator.
func NewCollator() *Collator {
	return &Collator{c: collate.New(language.Vietnamese)}
}

// Compare returns -1, 0 or 1 as a sorts before, with or after b.
func (c *Collator) Compare(a, b string) int { return c.c.CompareString(a, b) }

// Language is a UI language of the generated site.
type Language string

// The languages the default theme is translated into.
const (
	Vietnamese Language = "vi"
	English    Language = "en"
)
