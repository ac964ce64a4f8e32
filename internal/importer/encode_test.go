package importer

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Encoders for the legacy encodings, used to make test inputs from NFC
// text. TCVN3 is the decoder's table inverted; VNI is built by decoding
// every base letter with every modifier byte, so a wrong table entry shows
// up as a published vector that fails to decode, not as a silent round
// trip.

func encodeTCVN3(t testing.TB, s string) []byte {
	t.Helper()
	inv := map[rune]byte{}
	for b, r := range tcvn3High {
		inv[r] = b
	}
	var out []byte
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case inv[r] != 0:
			out = append(out, inv[r])
		case cp1252Byte(r) != 0:
			out = append(out, cp1252Byte(r))
		default:
			t.Fatalf("TCVN3 has no code for %q (uppercase toned letters live in separate fonts)", r)
		}
	}
	return out
}

func encodeVNI(t testing.TB, s string) []byte {
	t.Helper()
	inv := map[rune][]byte{}
	var bases [][]byte
	for c := byte('A'); c <= 'z'; c++ {
		bases = append(bases, []byte{c})
	}
	for b := range vniHigh {
		bases = append(bases, []byte{b})
	}
	for _, base := range bases {
		seqs := [][]byte{base}
		for m := range vniHigh {
			seqs = append(seqs, append(append([]byte{}, base...), m))
		}
		for _, seq := range seqs {
			d := decodeVNI(seq)
			if utf8.RuneCountInString(d) != 1 {
				continue
			}
			r, _ := utf8.DecodeRuneInString(d)
			if r < utf8.RuneSelf {
				continue
			}
			if old, ok := inv[r]; !ok || len(seq) < len(old) {
				inv[r] = seq
			}
		}
	}
	var out []byte
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case inv[r] != nil:
			out = append(out, inv[r]...)
		case cp1252Byte(r) != 0:
			out = append(out, cp1252Byte(r))
		default:
			t.Fatalf("VNI has no code for %q", r)
		}
	}
	return out
}

// encode1258 writes Windows-1258 as Vietnamese software does: letters with
// their vowel marks precomposed where the code page has them, tone marks
// as combining bytes after them.
func encode1258(t testing.TB, s string) []byte {
	t.Helper()
	enc := charmap.Windows1258.NewEncoder()
	var out []byte
	for _, r := range s {
		if b, err := enc.String(string(r)); err == nil {
			out = append(out, b...)
			continue
		}
		d := norm.NFD.String(string(r))
		var tone string
		var rest strings.Builder
		for _, m := range d {
			if isTone(m) {
				tone = string(m)
			} else {
				rest.WriteRune(m)
			}
		}
		b, err := enc.String(norm.NFC.String(rest.String()) + tone)
		if err != nil {
			t.Fatalf("Windows-1258 cannot encode %q: %v", r, err)
		}
		out = append(out, b...)
	}
	return out
}

func encodeUTF16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func encodeUTF16BE(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// encodeAs makes the bytes of an input in a named encoding.
func encodeAs(t testing.TB, enc, s string) []byte {
	t.Helper()
	switch enc {
	case "", "utf-8":
		return []byte(s)
	case "utf-8-bom":
		return append([]byte("\uFEFF"), s...)
	case "nfd":
		return []byte(norm.NFD.String(s))
	case "utf-16le":
		return encodeUTF16LE(s)
	case "utf-16be":
		return encodeUTF16BE(s)
	case "windows-1258":
		return encode1258(t, s)
	case "tcvn3":
		return encodeTCVN3(t, s)
	case "vni":
		return encodeVNI(t, s)
	}
	t.Fatalf("unknown test encoding %q", enc)
	return nil
}

// cp1252Byte is the Windows-1252 byte of the punctuation legacy fonts keep
// in 0x80-0x9F (curly quotes, dashes), or 0.
func cp1252Byte(r rune) byte {
	for i, c := range cp1252High {
		if c == r {
			return byte(0x80 + i)
		}
	}
	return 0
}
