package content

import (
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/config"
)

func TestParsePeriodSpellingsOfOneSpanAreEqual(t *testing.T) {
	t.Parallel()
	years, err := ParsePeriodText("2022 – 2023")
	if err != nil {
		t.Fatal(err)
	}
	start, _ := ParsePeriodBound("2022-01", false)
	end, _ := ParsePeriodBound("2023-12", true)
	if years != (Period{start, end}) {
		t.Errorf("%v != %v", years, Period{start, end})
	}
	if years.Slug() != "2022-2023" || years.Label() != "2022–2023" {
		t.Errorf("slug %q label %q", years.Slug(), years.Label())
	}
	months := Period{Day{2025, 7, 1}, Day{2027, 6, 30}}
	if months.Slug() != "2025-07-2027-06" || months.Label() != "07/2025–06/2027" {
		t.Errorf("slug %q label %q", months.Slug(), months.Label())
	}
	if !months.Contains(Day{2026, 11, 21}) || months.Contains(Day{2027, 7, 1}) {
		t.Error("Contains is wrong at the edges")
	}
	feb, _ := ParsePeriodBound("2024-02", true)
	if feb != (Day{2024, 2, 29}) {
		t.Errorf("end of February 2024 = %v", feb)
	}
}

func TestParseDateForms(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("ICT", 7*3600)
	for in, want := range map[string]string{
		"2023-02-16":                "2023-02-16T00:00:00+07:00",
		"2023-02-16 06:26":          "2023-02-16T06:26:00+07:00",
		"2023-02-16T06:26:00+07:00": "2023-02-16T06:26:00+07:00",
		"2023-02-16T06:26:00Z":      "2023-02-16T06:26:00Z",
	} {
		got, _, err := ParseDate(in, loc)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, hasTime, _ := ParseDate("2023-02-16", loc); hasTime {
		t.Error("a bare date has a time")
	}
}

func TestParseAcceptsBOMAndCRLF(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	src := "\uFEFF---\r\ntitle: Tin A\r\ndate: 2024-01-01\r\nregion: Cần Thơ\r\n---\r\nDòng một.\r\n"
	a, err := Parse("content/a.md", []byte(src), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Tin A" || a.BodyLine != 6 || strings.Contains(string(a.Body), "\r") {
		t.Errorf("title %q, body line %d, body %q", a.Title, a.BodyLine, a.Body)
	}
}

// FuzzParse feeds arbitrary files to the front-matter splitter, the three
// decoders and the validator: they may reject input, never crash, and every
// rejection names a position in the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\ndate: 2024-01-01\nregion: B\n---\nbody",
		"+++\ntitle = \"A\"\ndate = 2024-01-01\nregion = \"B\"\n[period]\nstart = \"2024-01\"\nend = \"2024-02\"\n+++\n",
		"{\n\"title\": \"A\", \"date\": \"2024-01-01\", \"region\": \"B\", \"topics\": [\"x\"]\n}\n\nbody",
		"---\nperiod: {start: 2024-07, end: 2023-01}\ntopics: [a, [b]]\n---\n",
		"---\na: &x [1]\nb: *x\n---\n", "---\n", "", "\xff", "---\n- a\n---\n",
	} {
		f.Add(s)
	}
	cfg := config.Default()
	f.Fuzz(func(t *testing.T, src string) {
		type result struct {
			a   *Article
			err error
		}
		done := make(chan result, 1)
		go func() {
			a, err := Parse("content/f.md", []byte(src), &cfg)
			done <- result{a, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Parse hangs on %q", src)
		}
		a, err := r.a, r.err
		if err != nil {
			if !strings.HasPrefix(err.Error(), "content/f.md") {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		if a.Title == "" || a.Region == "" || a.Slug == "" || a.Date.IsZero() {
			t.Fatalf("accepted an article without required fields: %+v", a)
		}
	})
}

func FuzzPeriod(f *testing.F) {
	for _, s := range []string{"2024", "2022-2023", "2022 – 2023", "x", "9999-0000", "2024-13"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParsePeriodText(s); err == nil {
			if p.End.Before(p.Start) {
				t.Fatalf("%q: end before start accepted", s)
			}
			if again, err := ParsePeriodText(p.Slug()); err == nil && again != p {
				t.Fatalf("%q: slug %q reads back as another period", s, p.Slug())
			}
		}
		for _, isEnd := range []bool{false, true} {
			if d, err := ParsePeriodBound(s, isEnd); err == nil && (d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31) {
				t.Fatalf("%q: impossible day %v", s, d)
			}
		}
		if tm, _, err := ParseDate(s, time.UTC); err == nil && tm.IsZero() {
			t.Fatalf("%q: zero date accepted", s)
		}
	})
}

func TestPeriodStatusOnADay(t *testing.T) {
	t.Parallel()
	p := Period{Day{2024, 7, 1}, Day{2025, 6, 30}}
	for _, c := range []struct {
		day  Day
		want string
	}{
		{Day{2024, 6, 30}, "upcoming"}, {Day{2024, 7, 1}, "ongoing"}, {Day{2025, 6, 30}, "ongoing"},
		{Day{2025, 7, 1}, "ended"}, {Day{2023, 12, 31}, "upcoming"}, {Day{2026, 1, 1}, "ended"},
	} {
		if got := p.Status(c.day).String(); got != c.want {
			t.Errorf("status on %v = %s, want %s", c.day, got, c.want)
		}
	}
}

// TestParsedBodyHoldsNoReadBuffer: the body is the tail of the file's own
// bytes, not of adrg/frontmatter's read buffer, which is several times
// the file's size and would stay in memory with every article.
func TestParsedBodyHoldsNoReadBuffer(t *testing.T) {
	cfg := config.Default()
	for _, src := range []string{
		"---\ntitle: Một\ndate: 2025-07-01\nregion: Cần Thơ\n---\nThân bài về thi đua.\n",
		"+++\ntitle = \"Hai\"\ndate = 2025-07-01\nregion = \"Cần Thơ\"\n+++\nThân bài thứ hai.\n",
	} {
		data := []byte(src)
		a, err := Parse("a.md", data, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Body) == 0 || &a.Body[0] != &data[len(data)-len(a.Body)] || cap(a.Body) != cap(data)-(len(data)-len(a.Body)) {
			t.Errorf("%q: the body does not end the file's bytes (len %d, cap %d)", src, len(a.Body), cap(a.Body))
		}
	}
}
