package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/config"
)

// The sitemap as encoding/xml writes it, which encodeSitemap must match.
type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

func encodeXML(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

func locs(cfg *config.Site, urls []URL) []sitemapURL {
	var out []sitemapURL
	for _, u := range urls {
		s := sitemapURL{Loc: cfg.BaseURL + u.Path}
		if !u.LastMod.IsZero() {
			s.LastMod = u.LastMod.Format(time.RFC3339)
		}
		out = append(out, s)
	}
	return out
}

// TestSitemapMatchesEncodingXML writes sitemaps of awkward URLs (markup
// characters, quotes, accents, no date) with and without an index, and
// compares every file with encoding/xml's indented encoding of the same
// URLs.
func TestSitemapMatchesEncodingXML(t *testing.T) {
	for _, base := range []string{"https://example.gov.vn/", `https://example.gov.vn/a&b<c>"d'/`, "https://ví-dụ.vn/\xe1"} {
		checkSitemap(t, &config.Site{BaseURL: base})
	}
}

func checkSitemap(t *testing.T, cfg *config.Site) {
	t.Helper()
	zone := time.FixedZone("ICT", 7*3600)
	urls := []URL{
		{Path: ""},
		{Path: "bai-viet/tin-số-1/", LastMod: time.Date(2025, 2, 3, 8, 30, 0, 0, zone)},
		{Path: "khu-vuc/cần-thơ/?a=1&b=2", LastMod: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)},
		{Path: "x\ty\n\r]]>z\xff", LastMod: time.Date(2023, 1, 1, 0, 0, 0, 0, zone)},
		{Path: "trang/2/"},
		{Path: "\xbb-nua-ky-tu/", LastMod: time.Date(2023, 1, 2, 0, 0, 0, 0, zone)},
	}
	for _, limit := range []int{10, 2, 1} {
		files, err := Sitemap(cfg, urls, limit)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]byte
		var names []string
		if len(urls) <= limit {
			want, names = [][]byte{encodeXML(t, urlSet{URLs: locs(cfg, urls)})}, []string{"sitemap.xml"}
		} else {
			var index []URL
			for part := 0; part*limit < len(urls); part++ {
				chunk := urls[part*limit : min(len(urls), (part+1)*limit)]
				var newest time.Time
				for _, u := range chunk {
					if u.LastMod.After(newest) {
						newest = u.LastMod
					}
				}
				name := fmt.Sprintf("sitemap-%d.xml", part+1)
				want, names = append(want, encodeXML(t, urlSet{URLs: locs(cfg, chunk)})), append(names, name)
				index = append(index, URL{Path: name, LastMod: newest})
			}
			want, names = append(want, encodeXML(t, sitemapIndex{Sitemaps: locs(cfg, index)})), append(names, "sitemap.xml")
		}
		if len(files) != len(want) {
			t.Fatalf("limit %d: %d files, want %d", limit, len(files), len(want))
		}
		if got := SitemapFiles(len(files)); fmt.Sprint(got) != fmt.Sprint(names) {
			t.Errorf("limit %d: SitemapFiles(%d) = %v, want %v", limit, len(files), got, names)
		}
		for i, f := range files {
			if f.Name != names[i] || !bytes.Equal(f.Data, want[i]) {
				t.Errorf("limit %d: %s:\n%s\nwant %s:\n%s", limit, f.Name, f.Data, names[i], want[i])
			}
		}
	}
	empty, _ := Sitemap(cfg, nil, 10)
	if want := encodeXML(t, urlSet{}); !bytes.Equal(empty[0].Data, want) {
		t.Errorf("empty sitemap:\n%s\nwant:\n%s", empty[0].Data, want)
	}
}
