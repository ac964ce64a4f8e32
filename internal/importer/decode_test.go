package importer

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Published legacy spellings: converter documentation shows "Xin chào các
// bạn" in VNI as "Xin chaøo caùc baïn" (Latin-1 view of its bytes), and
// Vietnamese place names in TCVN3 as "Ninh B×nh", "B¶o Th¾ng".
func TestLegacyDecodersReadPublishedSpellings(t *testing.T) {
	t.Parallel()
	latin1 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b
	}
	for _, c := range []struct {
		enc  Encoding
		in   string
		want string
	}{
		{EncodingVNI, "Xin chaøo caùc baïn", "Xin chào các bạn"},
		{EncodingVNI, "Vieät Nam", "Việt Nam"},
		{EncodingVNI, "thi ñua yeâu nöôùc", "thi đua yêu nước"},
		{EncodingVNI, "ÑAÛNG", "ĐẢNG"},
		{EncodingTCVN3, "Ninh B×nh", "Ninh Bình"},
		{EncodingTCVN3, "B¶o Th¾ng", "Bảo Thắng"},
		{EncodingTCVN3, "§µo t¹o", "Đào tạo"},
	} {
		got, err := decodeAs(latin1(c.in), c.enc)
		if err != nil || got != c.want {
			t.Errorf("%s %q = %q, %v; want %q", c.enc, c.in, got, err, c.want)
		}
	}
}

const sampleVietnamese = "Đợt thi đua đặc biệt được thực hiện từ tháng 7-2024 đến hết ngày 30-6-2025. Ủy ban nhân dân tỉnh sẽ tổng kết, trao thưởng cho tập thể và cá nhân có thành tích xuất sắc; người dân hưởng ứng phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”."

// tcvn3Sample has no uppercase toned letter, which TCVN3 cannot encode.
const tcvn3Sample = "Đợt thi đua đặc biệt được thực hiện từ tháng 7-2024 đến hết ngày 30-6-2025. UBND tỉnh sẽ tổng kết, trao thưởng cho tập thể và cá nhân có thành tích xuất sắc; người dân hưởng ứng phong trào thi đua yêu nước."

func TestAutoDetectionReadsEveryEncoding(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		enc  string
		text string
		want Encoding
	}{
		{"utf-8", sampleVietnamese, EncodingUTF8},
		{"utf-8-bom", sampleVietnamese, EncodingUTF8},
		{"nfd", sampleVietnamese, EncodingUTF8},
		{"utf-16le", sampleVietnamese, EncodingUTF16},
		{"utf-16be", sampleVietnamese, EncodingUTF16},
		{"windows-1258", sampleVietnamese, EncodingWindows1258},
		{"vni", sampleVietnamese, EncodingVNI},
		{"tcvn3", tcvn3Sample, EncodingTCVN3},
	} {
		d, err := decodeText(encodeAs(t, c.enc, c.text), EncodingAuto)
		if err != nil {
			t.Errorf("%s: %v", c.enc, err)
			continue
		}
		if d.text != c.text || d.encoding != c.want {
			t.Errorf("%s: read as %s: %q", c.enc, d.encoding, d.text)
		}
	}
}

func TestForcedEncodingIsUsed(t *testing.T) {
	t.Parallel()
	d, err := decodeText(encodeVNI(t, "thi đua"), EncodingVNI)
	if err != nil || d.text != "thi đua" {
		t.Fatalf("got %q, %v", d.text, err)
	}
	if _, err := decodeText([]byte("a\xffb"), EncodingUTF8); err == nil || !strings.Contains(err.Error(), "invalid UTF-8 at byte 1") {
		t.Fatalf("forced UTF-8 on bad bytes: %v", err)
	}
	if _, err := decodeText([]byte("plain"), EncodingUTF16); err == nil || !strings.Contains(err.Error(), "no byte order mark") {
		t.Fatalf("forced UTF-16 without BOM: %v", err)
	}
}

func TestEthLookalikesBecomeDWithStroke(t *testing.T) {
	t.Parallel()
	d, err := decodeText([]byte("Ðảng bộ và ðoàn viên"), EncodingAuto)
	if err != nil || d.text != "Đảng bộ và đoàn viên" {
		t.Fatalf("got %q, %v", d.text, err)
	}
}

func TestBinaryAndUndecodableInputsAreRefused(t *testing.T) {
	t.Parallel()
	if _, err := decodeText([]byte("GIF89a\x00\x01\x02\x03binary"), EncodingAuto); err != errBinary {
		t.Errorf("binary: %v", err)
	}
	// Cyrillic in KOI8-R: no Vietnamese table reads it as words.
	koi := []byte("\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2 \xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2 \xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2 \xf0\xd2\xc9\xd7\xc5\xd4")
	if _, err := decodeText(koi, EncodingAuto); err == nil || !strings.Contains(err.Error(), "cannot tell the encoding") {
		t.Errorf("undecodable: %v", err)
	}
}

func TestValidSyllables(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"nghiệp", "người", "được", "quốc", "gì", "giữ", "khuya", "thuở", "Việt", "ĐẢNG", "xoong", "quyết", "oanh", "bộ", "Ðảng",
		norm.NFD.String("nghiệp"), norm.NFD.String("Người")} {
		if !validSyllable(w) {
			t.Errorf("%q should be a syllable", w)
		}
	}
	for _, w := range []string{"Vieät", "ViÖt", "thµnh", "àá", "việtt", "tàc", "fish", "bb"} {
		if validSyllable(w) {
			t.Errorf("%q should not be a syllable", w)
		}
	}
}
