package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/bantin/bantin/internal/vi"
)

// Encoding names a byte encoding of an input file.
type Encoding string

// The encodings import reads. Auto picks among them by how much of the
// text each makes into Vietnamese words.
const (
	EncodingAuto        Encoding = "auto"
	EncodingUTF8        Encoding = "utf-8"
	EncodingUTF16       Encoding = "utf-16"
	EncodingWindows1258 Encoding = "windows-1258"
	EncodingTCVN3       Encoding = "tcvn3"
	EncodingVNI         Encoding = "vni"
)

// ParseEncoding reads an --encoding value.
func ParseEncoding(s string) (Encoding, error) {
	switch e := Encoding(strings.ToLower(strings.TrimSpace(s))); e {
	case EncodingAuto, EncodingUTF8, EncodingUTF16, EncodingWindows1258, EncodingTCVN3, EncodingVNI:
		return e, nil
	case "", "detect":
		return EncodingAuto, nil
	case "utf8":
		return EncodingUTF8, nil
	case "cp1258", "1258":
		return EncodingWindows1258, nil
	case "abc", "tcvn", "tcvn-3":
		return EncodingTCVN3, nil
	}
	return "", fmt.Errorf("unknown encoding %q; use auto, utf-8, utf-16, windows-1258, tcvn3 or vni", s)
}

// errBinary is returned for input that is no text in any encoding.
var errBinary = errors.New("a binary file, not text")

// minVietScore is the share of valid Vietnamese words below which no
// decoding is trusted.
const minVietScore = 0.6

// decoded is an input's text and how it was read.
type decoded struct {
	text     string
	encoding Encoding
	// unsure says why the encoding is a guess ("" when it is not).
	unsure string
}

// decodeText turns an input file's bytes into NFC text with LF line ends,
// in the encoding forced or, with EncodingAuto, the one that reads best.
func decodeText(src []byte, forced Encoding) (decoded, error) {
	var d decoded
	switch {
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		if forced != EncodingAuto && forced != EncodingUTF16 {
			return d, fmt.Errorf("the file starts with a UTF-16 byte order mark, not %s text", forced)
		}
		text, err := decodeUTF16(src)
		if err != nil {
			return d, err
		}
		d = decoded{text: text, encoding: EncodingUTF16}
	case forced == EncodingUTF16:
		return d, errors.New("not UTF-16: the file has no byte order mark (FF FE or FE FF)")
	default:
		src = bytes.TrimPrefix(src, []byte("\uFEFF"))
		if looksBinary(src) {
			return d, errBinary
		}
		var err error
		if d, err = decodeBytes(src, forced); err != nil {
			return d, err
		}
	}
	if looksBinary([]byte(d.text)) {
		return d, errBinary
	}
	d.text = cleanText(d.text)
	return d, nil
}

func decodeUTF16(src []byte) (string, error) {
	big := src[0] == 0xFE
	src = src[2:]
	if len(src)%2 != 0 {
		return "", errors.New("UTF-16 text with an odd number of bytes; is the file cut short?")
	}
	units := make([]uint16, len(src)/2)
	for i := range units {
		if big {
			units[i] = uint16(src[2*i])<<8 | uint16(src[2*i+1])
		} else {
			units[i] = uint16(src[2*i+1])<<8 | uint16(src[2*i])
		}
	}
	return string(utf16.Decode(units)), nil
}

// decodeBytes reads 8-bit or UTF-8 text.
func decodeBytes(src []byte, forced Encoding) (decoded, error) {
	if forced != EncodingAuto {
		text, err := decodeAs(src, forced)
		return decoded{text: text, encoding: forced}, err
	}
	validUTF8 := utf8.Valid(src)
	if validUTF8 && isASCII(src) {
		return decoded{text: string(src), encoding: EncodingUTF8}, nil
	}
	type candidate struct {
		enc   Encoding
		text  string
		score float64
	}
	var best candidate
	words := 0
	// The first 64 KB tell the encoding as well as the whole file.
	sample := src
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
		for len(sample) > 0 && sample[len(sample)-1] >= 0x80 {
			sample = sample[:len(sample)-1] // do not cut a character
		}
	}
	for _, enc := range []Encoding{EncodingUTF8, EncodingWindows1258, EncodingTCVN3, EncodingVNI} {
		if enc == EncodingUTF8 && !validUTF8 {
			continue
		}
		text, err := decodeAs(sample, enc)
		if err != nil {
			continue
		}
		score, n := vietScore(vi.NFC(text))
		// Valid UTF-8 with letters beyond ASCII is almost never an accident
		// of another encoding: it wins ties and near-ties.
		if enc == EncodingUTF8 {
			score += 0.05
		}
		if best.enc == "" || score > best.score {
			best, words = candidate{enc, text, score}, n
		}
	}
	if best.enc == "" {
		return decoded{}, errors.New("cannot decode the text")
	}
	if best.score < minVietScore && words >= 5 {
		return decoded{}, fmt.Errorf("cannot tell the encoding: the best reading (%s) makes only %.0f%% of the words Vietnamese; name it with --encoding utf-8, windows-1258, tcvn3 or vni", best.enc, 100*min(best.score, 1))
	}
	text, err := decodeAs(src, best.enc)
	if err != nil {
		return decoded{}, err
	}
	d := decoded{text: text, encoding: best.enc}
	if best.enc != EncodingUTF8 && words < 5 {
		d.unsure = fmt.Sprintf("read as %s from only %d words", best.enc, words)
	}
	return d, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decodeAs decodes src in one named encoding.
func decodeAs(src []byte, enc Encoding) (string, error) {
	switch enc {
	case EncodingUTF8:
		if !utf8.Valid(src) {
			off := 0
			for off < len(src) {
				r, size := utf8.DecodeRune(src[off:])
				if r == utf8.RuneError && size <= 1 {
					break
				}
				off += size
			}
			return "", fmt.Errorf("invalid UTF-8 at byte %d (0x%02X); try --encoding auto, or the file's real encoding", off, src[off])
		}
		return string(src), nil
	case EncodingWindows1258:
		out, err := charmap.Windows1258.NewDecoder().Bytes(src)
		if err != nil {
			return "", fmt.Errorf("decode windows-1258: %w", err)
		}
		return string(out), nil
	case EncodingTCVN3:
		return decodeTCVN3(src), nil
	case EncodingVNI:
		return decodeVNI(src), nil
	}
	return "", fmt.Errorf("cannot decode %s here", enc)
}

// looksBinary reports bytes that are no text: NUL bytes, or many control
// characters.
func looksBinary(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	control := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f':
			control++
		}
	}
	return control > len(b)/50+2
}

// cleanText makes decoded text NFC with LF line ends, the look-alike Ð/ð
// (Icelandic eth, typed for Đ/đ by old keyboards) replaced, and invisible
// characters dropped.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = vi.NFC(s)
	return strings.Map(func(r rune) rune {
		switch r {
		case 'Ð':
			return 'Đ'
		case 'ð':
			return 'đ'
		case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u00AD', '\u2060':
			return -1
		case '\u00A0', '\u2002', '\u2003', '\u2009', '\u202F':
			return ' '
		case '\f', '\v':
			return '\n'
		}
		if r < 0x20 && r != '\n' && r != '\t' {
			return -1
		}
		if unicode.Is(unicode.Co, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}
