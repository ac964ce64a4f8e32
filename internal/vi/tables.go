package vi

// The tables in this file are the facts of Vietnamese spelling that the
// search script (static/js/bantin-search.js) must share with Go: the
// search package writes them into the script (go generate), and a test
// fails when the script's copy is stale.

// ToneMarks are the five Vietnamese tone marks as combining characters:
// huyền, sắc, ngã, hỏi and nặng.
const ToneMarks = "\u0300\u0301\u0303\u0309\u0323"

// OldToneEnding is the end of an open syllable whose tone mark the old
// style puts on the last vowel ("hoà", "thuỷ") and the new style on the
// first ("hòa", "thủy").
type OldToneEnding struct {
	First, Last rune
	// KeepAfter, when set, is the letter that makes First part of the
	// consonant when it comes just before it: the u of "quý" carries no
	// tone, so the mark stays.
	KeepAfter rune
}

// oldToneEndings are the endings NewTonePlacement rewrites; never written.
var oldToneEndings = [...]OldToneEnding{{'o', 'a', 0}, {'o', 'e', 0}, {'u', 'y', 'q'}}

// OldToneEndings returns the endings NewTonePlacement rewrites.
func OldToneEndings() []OldToneEnding { return append([]OldToneEnding(nil), oldToneEndings[:]...) }

// foldLetters are the letters Fold maps besides removing diacritics: đ and
// Đ, which Unicode does not decompose. Never written.
var foldLetters = [...]struct {
	from rune
	to   byte
}{{'đ', 'd'}, {'Đ', 'd'}}

// foldLetter returns the ASCII letter r folds to when it is one of
// foldLetters, else 0.
func foldLetter(r rune) byte {
	for _, l := range foldLetters {
		if l.from == r {
			return l.to
		}
	}
	return 0
}

// FoldLetters returns the letters Fold maps besides removing diacritics,
// with the ASCII letter each becomes.
func FoldLetters() map[rune]byte {
	m := make(map[rune]byte, len(foldLetters))
	for _, l := range foldLetters {
		m[l.from] = l.to
	}
	return m
}
