package search

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/vi"
	"golang.org/x/text/unicode/norm"
)

func TestTokenizeFoldsAndKeepsExactSpelling(t *testing.T) {
	t.Parallel()
	got := Tokenize("Đại hội THI ĐUA: Ngã Bảy, hoà-thuỷ 2023!")
	var exact, folded []string
	for _, tok := range got {
		exact = append(exact, tok.Exact)
		folded = append(folded, tok.Folded)
	}
	if want := []string{"đại", "hội", "thi", "đua", "ngã", "bảy", "hòa", "thủy", "2023"}; !slices.Equal(exact, want) {
		t.Errorf("exact %q, want %q", exact, want)
	}
	if want := []string{"dai", "hoi", "thi", "dua", "nga", "bay", "hoa", "thuy", "2023"}; !slices.Equal(folded, want) {
		t.Errorf("folded %q, want %q", folded, want)
	}
	nfd := Tokenize(norm.NFD.String("Đại hội Ngã Bảy hoà"))
	nfc := Tokenize("Đại hội Ngã Bảy hòa")
	if !slices.Equal(nfd, nfc) {
		t.Errorf("NFD/old-tone tokens %v differ from %v", nfd, nfc)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Thi đua", "hoà thuỷ tuỵ", "\"thi đua\" <script>", "😀 a\u0301", "\xff\xfe"} {
		f.Add(s)
	}
	for _, s := range []string{"“Ngã Bảy” – ờ…", "\xe1\xba", "a\xe2\x80", "\xe1\xbb\x9d\xe2\x80\x9c", "\xed\xa0\x80 \xe0\x80\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok.Exact == "" || len(tok.Exact) > maxTokenBytes || !utf8.ValidString(tok.Folded) {
				t.Fatalf("bad token %+v from %q", tok, s)
			}
			if strings.ContainsAny(tok.Folded, " \t\n\"<>&") {
				t.Fatalf("token %q holds a separator", tok.Folded)
			}
		}
		if (CheckQuery(s) == "") != (len(Tokenize(s)) > 0) {
			t.Fatalf("CheckQuery(%q) = %q, but %d tokens", s, CheckQuery(s), len(Tokenize(s)))
		}
		if utf8.ValidString(s) && !slices.Equal(Tokenize(s), Tokenize(norm.NFD.String(s))) {
			t.Fatalf("NFC and NFD tokens differ for %q", s)
		}
		// splitWords classifies runes inline: it must split as decoding
		// rune by rune does, and hash a word alike wherever it stands.
		var got []string
		splitWords(s, func(w string, prefix uint64, h uint32) {
			if p, alone := wordHash(w, 0, len(w)); h != alone || prefix != p {
				t.Fatalf("hash of %q depends on the text around it", w)
			}
			got = append(got, w)
		})
		if want := splitByRune(s); !slices.Equal(got, want) {
			t.Fatalf("splitWords(%q) = %q, rune by rune %q", s, got, want)
		}
		var back string
		if err := json.Unmarshal(appendJSONString(nil, s), &back); err != nil || back != strings.ToValidUTF8(s, "\uFFFD") {
			t.Fatalf("JSON string of %q read back as %q (%v)", s, back, err)
		}
	})
}

// splitByRune is splitWords written plainly.
func splitByRune(s string) []string {
	var words []string
	start := -1
	for i, r := range s {
		if vi.IsWordRune(r) { // invalid UTF-8 decodes as U+FFFD, not a letter
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start <= maxTokenBytes {
			words = append(words, s[start:i])
		}
		start = -1
	}
	if start >= 0 && len(s)-start <= maxTokenBytes {
		words = append(words, s[start:])
	}
	return words
}

// index is a decoded index, read back the way the browser client reads it.
type decoded struct {
	manifest Manifest
	files    map[string][]byte
}

func build(t *testing.T, docs []Doc, facets []Facet) *decoded {
	t.Helper()
	b := NewBuilder(len(docs), facets)
	for i, d := range docs {
		if err := b.Add(i, d); err != nil {
			t.Fatal(err)
		}
	}
	files, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	d := &decoded{files: map[string][]byte{}}
	for _, f := range files {
		d.files[f.Name] = f.Data
	}
	if err := json.Unmarshal(d.files["manifest.json"], &d.manifest); err != nil {
		t.Fatal(err)
	}
	return d
}

func inflate(t *testing.T, data []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// lookup returns the documents of term and their impacts (nil when none).
func (d *decoded) lookup(t *testing.T, term string) ([]int, []int) {
	docs, impacts, _, _ := d.lookupAll(t, term)
	return docs, impacts
}

// lookupAll also returns the term's spellings and each document's spelling.
func (d *decoded) lookupAll(t *testing.T, term string) ([]int, []int, []string, []int) {
	t.Helper()
	m := d.manifest
	shard := inflate(t, d.files[fmt.Sprintf("%ss/%d.bin", m.Base, fnv32(term)%uint32(m.Shards))])
	r := bytes.NewReader(shard)
	count, _ := binary.ReadUvarint(r)
	for range count {
		kl, _ := binary.ReadUvarint(r)
		key := make([]byte, kl)
		io.ReadFull(r, key)
		bl, _ := binary.ReadUvarint(r)
		var block []byte
		if bl == 0 {
			own, _ := binary.ReadUvarint(r)
			block = inflate(t, d.files[fmt.Sprintf("%st/%d.bin", m.Base, own)])
		} else {
			block = make([]byte, bl)
			io.ReadFull(r, block)
		}
		if string(key) == term {
			return decodeBlock(block, m.Docs)
		}
	}
	return nil, nil, nil, nil
}

func unpackTest(r *bytes.Reader, count, bits int) []int {
	per := 8 / bits
	raw := make([]byte, (count+per-1)/per)
	io.ReadFull(r, raw)
	out := make([]int, count)
	for i := range out {
		out[i] = int(raw[i/per]>>(bits*(i%per))) & (1<<bits - 1)
	}
	return out
}

func decodeBlock(block []byte, n int) ([]int, []int, []string, []int) {
	r := bytes.NewReader(block)
	flags, _ := r.ReadByte()
	df, _ := binary.ReadUvarint(r)
	var spellings []string
	if flags&flagVariants != 0 {
		count, _ := binary.ReadUvarint(r)
		for range count {
			l, _ := binary.ReadUvarint(r)
			s := make([]byte, l)
			io.ReadFull(r, s)
			spellings = append(spellings, string(s))
		}
	}
	var docs []int
	if flags&flagBitmap != 0 {
		bitmap := make([]byte, (n+7)/8)
		io.ReadFull(r, bitmap)
		for i := range n {
			if bitmap[i/8]&(1<<(i%8)) != 0 {
				docs = append(docs, i)
			}
		}
	} else {
		prev := -1
		for range df {
			delta, _ := binary.ReadUvarint(r)
			prev += int(delta) + 1
			docs = append(docs, prev)
		}
	}
	var impacts, variants []int
	if flags&flagImpacts != 0 {
		impacts = unpackTest(r, int(df), 4)
	}
	if flags&flagImpacts2 != 0 {
		for _, q := range unpackTest(r, int(df), 2) {
			impacts = append(impacts, q*5)
		}
	}
	if flags&flagVariants != 0 {
		variants = unpackTest(r, int(df), 4)
	}
	return docs, impacts, spellings, variants
}

// sampleFacets are a region, topics, a period and the year, as a site
// with the built-in taxonomies has them.
var sampleFacets = []Facet{
	{Key: "region", Label: "Khu vực", Values: []string{"Cần Thơ", "Hậu Giang", "Ngã Bảy"}},
	{Key: "topic", Label: "Chủ đề", Multiple: true, Values: []string{"Nông thôn mới", "Thi đua"}},
	{Key: "period", Label: "Đợt thi đua", Values: []string{"2025"}},
	{Key: "year", Label: "Năm", Values: []string{"2025", "2024", "2023"}},
}

// sampleDoc makes a document with a region, topics, a period and a year.
func sampleDoc(url, title, region string, topics []string, period, year, body string) Doc {
	d := Doc{URL: url, Title: title, Region: region, Body: body, Meta: append([]string{region}, topics...)}
	d.Facets = [][]string{{region}, topics, nil, {year}}
	if period != "" {
		d.Facets[2] = []string{period}
	}
	return d
}

func sampleDocs() ([]Doc, []Facet) {
	docs := []Doc{
		sampleDoc("/a/", "Đại hội thi đua yêu nước", "Hậu Giang", []string{"Thi đua"}, "2025", "2025", "Đường làng được mở rộng."),
		sampleDoc("/b/", "Ngã Bảy khởi công", "Ngã Bảy", nil, "", "2024", norm.NFD.String("Dương thi công, hoà thuận; thi và đua.")),
		sampleDoc("/c/", "Tin khác", "Hậu Giang", []string{"Thi đua", "Nông thôn mới"}, "", "2024", "Nông thôn mới."),
	}
	for i := 3; i < 12; i++ {
		docs = append(docs, sampleDoc(fmt.Sprintf("/x%d/", i), "Tin thường", "Cần Thơ", nil, "", "2023", "nội dung của và các"))
	}
	return docs, sampleFacets
}

func TestIndexFindsFoldedExactAndAdjacentTerms(t *testing.T) {
	t.Parallel()
	docs, facets := sampleDocs()
	d := build(t, docs, facets)
	if d.manifest.Docs != len(docs) || d.manifest.Shards < 1 {
		t.Fatalf("manifest %+v", d.manifest)
	}
	cases := map[string][]int{
		"dai":      {0},    // folded: "Đại"
		"duong":    {0, 1}, // "Đường" and "Dương" (NFD)
		"~thi dua": {0, 2}, // title of 0, topic of 2; doc 1 has "thi và đua"
		"~nga bay": {1},
		"cua":      {3, 4, 5, 6, 7, 8, 9, 10, 11},
	}
	for term, want := range cases {
		got, _ := d.lookup(t, term)
		if !slices.Equal(got, want) {
			t.Errorf("%q: docs %v, want %v", term, got, want)
		}
	}
	// Spellings: "Đường" in doc 0, "Dương" (from NFD text) in doc 1.
	if docs, _, spellings, variants := d.lookupAll(t, "duong"); !slices.Equal(spellings, []string{"dương", "đường"}) || !slices.Equal(docs, []int{0, 1}) || !slices.Equal(variants, []int{1, 0}) {
		t.Errorf("duong: spellings %q, docs %v, variants %v", spellings, docs, variants)
	}
	// Old-style "hoà" is indexed in the new style, as the only spelling.
	if docs, _, spellings, _ := d.lookupAll(t, "hoa"); !slices.Equal(docs, []int{1}) || spellings != nil {
		t.Errorf("hoa: docs %v spellings %q", docs, spellings)
	}
	if got, _ := d.lookup(t, "khong-co"); got != nil {
		t.Errorf("missing term found: %v", got)
	}
	// A title word outweighs the same word in a body.
	docsDai, impacts := d.lookup(t, "thi")
	if len(impacts) != len(docsDai) {
		t.Fatalf("thi: %d impacts for %d docs", len(impacts), len(docsDai))
	}
	if !(impacts[0] > impacts[1]) {
		t.Errorf("impact of a title word %d not above a body word %d", impacts[0], impacts[1])
	}
	if _, imp := d.lookup(t, "cua"); len(imp) != 9 {
		t.Errorf("common term of a small site: impacts %v", imp)
	}
}

func TestCommonTermsOfLargeSitesKeepCoarseImpacts(t *testing.T) {
	t.Parallel()
	docs := []Doc{{Title: "Trách nhiệm của cán bộ", Body: "nội dung"}}
	for range 199 {
		docs = append(docs, Doc{Title: "Tin", Body: "việc của dân, do dân, vì dân"})
	}
	d := build(t, docs, nil)
	got, imp := d.lookup(t, "cua")
	if len(got) != 200 || len(imp) != 200 {
		t.Fatalf("cua: %d docs, %d impacts", len(got), len(imp))
	}
	for _, q := range imp {
		if q%5 != 0 || q == 0 {
			t.Fatalf("impact %d is not on the coarse 1..3 scale", q)
		}
	}
	if imp[0] <= imp[1] {
		t.Errorf("title match %d not above body match %d", imp[0], imp[1])
	}
}

func TestManifestDescribesFacetsAndTableFollowsThem(t *testing.T) {
	t.Parallel()
	docs, facets := sampleDocs()
	// A facet of a declared taxonomy, which one document lacks and one
	// names twice, with a value the facet does not list.
	facets = append(slices.Clone(facets), Facet{Key: "unit", Label: "Đơn vị", Values: []string{"Sở Y tế", "UBND tỉnh"}})
	for i := range docs {
		docs[i].Facets = append(docs[i].Facets, []string{"UBND tỉnh"})
	}
	docs[1].Facets[4] = nil
	docs[2].Facets[4] = []string{"Không có", "Sở Y tế"}
	d := build(t, docs, facets)
	m := d.manifest
	if m.Format != FormatVersion || FormatVersion != 2 || m.Docs != len(docs) {
		t.Errorf("manifest format %d, docs %d", m.Format, m.Docs)
	}
	if len(m.Facets) != 5 || m.Facets[1].Key != "topic" || !m.Facets[1].Multiple || m.Facets[4].Label != "Đơn vị" || !slices.Equal(m.Facets[3].Values, []string{"2025", "2024", "2023"}) {
		t.Errorf("facets %+v", m.Facets)
	}
	// Format 1 scripts check these fields and must fail on format 2.
	var raw map[string]any
	json.Unmarshal(d.files["manifest.json"], &raw)
	for _, old := range []string{"n", "s", "b", "v", "region"} {
		if _, ok := raw[old]; ok {
			t.Errorf("manifest has the format 1 field %q", old)
		}
	}
	table := bytes.NewReader(inflate(t, d.files[m.Base+"facets.bin"]))
	read := func() int { v, _ := binary.ReadUvarint(table); return int(v) }
	// Per document: region 1+i, topics count and ids, period 1+i or 0,
	// year 1+i, unit 1+i or 0.
	want := [][]int{
		{2, 1, 1, 1, 1, 2},    // Hậu Giang, [Thi đua], 2025, 2025, UBND tỉnh
		{3, 0, 0, 2, 0},       // Ngã Bảy, [], none, 2024, none
		{2, 2, 1, 0, 0, 2, 1}, // Hậu Giang, [Thi đua, Nông thôn mới], none, 2024, Sở Y tế
		{1, 0, 0, 3, 2},       // Cần Thơ, [], none, 2023, UBND tỉnh
	}
	for doc, row := range want {
		var got []int
		for range row {
			got = append(got, read())
		}
		if !slices.Equal(got, row) {
			t.Errorf("facet row of doc %d: %v, want %v", doc, got, row)
		}
	}
	var frag map[string]string
	if err := json.Unmarshal(d.files[m.Base+"f/1.json"], &frag); err != nil || frag["u"] != "/b/" || frag["t"] != "Ngã Bảy khởi công" || frag["r"] != "Ngã Bảy" {
		t.Errorf("fragment 1: %v %v", frag, err)
	}
}

func TestIndexIsDeterministic(t *testing.T) {
	t.Parallel()
	docs, facets := sampleDocs()
	a, b := build(t, docs, facets), build(t, docs, facets)
	if len(a.files) != len(b.files) {
		t.Fatal("file counts differ")
	}
	for name, data := range a.files {
		if !bytes.Equal(data, b.files[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func TestAppendJSONStringRoundTrips(t *testing.T) {
	for _, s := range []string{"", "Thi đua “yêu nước”", `a"b\c`, "tab\tnew\nline\r\x00\x1f", "</script><b>&amp;", "\u2028\u2029", "bad \xff\xfe utf-8", "emoji 🇻🇳"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	}
}

func TestSplitWordsHashesEachWord(t *testing.T) {
	var words []string
	hashes := map[uint32]string{}
	text := "Thi đua “Ngã Bảy” – hoà thuỷ, 2025! x\xffy nghiêng Nghiêng chuyểnđổisốtoàndiện " +
		strings.Repeat("a", maxTokenBytes+1) + " z"
	splitWords(text, func(w string, prefix uint64, h uint32) {
		// A word's hash depends on its bytes only, not on the text around
		// it, which the eight-byte loads may read.
		if p, alone := wordHash(w, 0, len(w)); h != alone || prefix != p {
			t.Errorf("hash of %q in text %d, alone %d", w, h, alone)
		}
		if other, seen := hashes[h]; seen && other != w {
			t.Errorf("%q and %q hash alike", w, other)
		}
		hashes[h] = w
		words = append(words, w)
	})
	want := []string{"Thi", "đua", "Ngã", "Bảy", "hoà", "thuỷ", "2025", "x", "y", "nghiêng", "Nghiêng", "chuyểnđổisốtoàndiện", "z"}
	if !slices.Equal(words, want) {
		t.Errorf("words %q, want %q", words, want)
	}
}

// TestQueryVectors holds Tokenize and CheckQuery to the cases the browser
// client is tested on too: a query with no word the index can hold finds
// nothing, and says why.
func TestQueryVectors(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/query-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Query   string
		Tokens  []string
		Problem string
	}
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors {
		var got []string
		for _, tok := range Tokenize(v.Query) {
			got = append(got, tok.Exact+"/"+tok.Folded)
		}
		if !slices.Equal(got, v.Tokens) && len(got)+len(v.Tokens) > 0 {
			t.Errorf("Tokenize(%q) = %q, want %q", v.Query, got, v.Tokens)
		}
		if p := CheckQuery(v.Query); p != v.Problem {
			t.Errorf("CheckQuery(%q) = %q, want %q", v.Query, p, v.Problem)
		}
		if (len(got) == 0) != (v.Problem != "") {
			t.Errorf("%q: %d tokens but problem %q", v.Query, len(got), v.Problem)
		}
	}
}
