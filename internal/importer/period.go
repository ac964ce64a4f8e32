package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/vi"
)

// span is a campaign period found in the text, with the precision each end
// was written in (a month or a day), so that the front matter says what
// the text said.
type span struct {
	start, end           content.Day
	startMonth, endMonth bool // written as a month ("từ tháng 7-2024")
	years                bool // whole years ("2022-2023", "năm 2024")
	// fromNow: the start was "từ nay" (from now), taken as the article's
	// date.
	fromNow bool
}

// frontMatter spells the period for the period field: "2024",
// "2022-2023", or a map with start and end.
func (p span) frontMatter() (text string, isMap bool) {
	if p.years {
		if p.start.Year == p.end.Year {
			return fmt.Sprint(p.start.Year), false
		}
		return fmt.Sprintf("%d-%d", p.start.Year, p.end.Year), false
	}
	return fmt.Sprintf("{start: %q, end: %q}", p.bound(p.start, p.startMonth), p.bound(p.end, p.endMonth)), true
}

func (p span) bound(d content.Day, month bool) string {
	if month {
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return d.String()
}

// Label is the period as a reader writes it, for review lines.
func (p span) label() string {
	t, _ := p.frontMatter()
	return t
}

func (p span) valid() bool {
	return p.start.Year >= 1900 && p.end.Year <= 2200 && !p.end.Before(p.start) && p.end.Year-p.start.Year <= 50 &&
		p.start.Month >= 1 && p.start.Month <= 12 && p.end.Month >= 1 && p.end.Month <= 12 &&
		validDay(p.start) && validDay(p.end)
}

func validDay(d content.Day) bool {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day
}

func lastDayOf(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func yearSpan(y1, y2 int) span {
	return span{start: content.Day{Year: y1, Month: 1, Day: 1}, end: content.Day{Year: y2, Month: 12, Day: 31}, years: true}
}

// Shapes of periods. Every pattern runs on text whose dashes are "-".
const (
	pDMY   = `(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})`
	pMY    = `(\d{1,2})\s?[/.-]\s?(\d{4})`
	pTo    = `\s*(?:đến|tới|-)\s*(?:hết\s+|cuối\s+)?`
	pYear  = `((?:19|20|21)\d{2})`
	pStart = `(?:từ\s+)`
	// a year that is not part of a date or a longer number
	pYearEnd = `(?:[^\d/.-]|[.-](?:\s|$)|$)`
)

type periodShape struct {
	re *regexp.Regexp
	// read turns a match's groups into a span; explicit shapes name both
	// ends with "từ ... đến".
	read     func(g []int) (span, bool)
	explicit bool
}

var periodShapes = []periodShape{
	// từ ngày 15/5/2023 đến ngày 30/9/2023; (2/1/2004-2/1/2024)
	{regexp.MustCompile(`(?i)(?:từ\s+)?(?:ngày\s+)?` + pDMY + pTo + `(?:ngày\s+)?` + pDMY), func(g []int) (span, bool) {
		return span{start: day(g[2], g[1], g[0]), end: day(g[5], g[4], g[3])}, true
	}, true},
	// từ ngày 15/5 đến ngày 30/9/2023
	{regexp.MustCompile(`(?i)từ\s+(?:ngày\s+)?(\d{1,2})\s?[/.-]\s?(\d{1,2})` + pTo + `(?:ngày\s+)?` + pDMY), func(g []int) (span, bool) {
		return span{start: day(g[4], g[1], g[0]), end: day(g[4], g[3], g[2])}, true
	}, true},
	// từ tháng 7-2024 đến hết ngày 30-6-2025
	{regexp.MustCompile(`(?i)` + pStart + `tháng\s+` + pMY + pTo + `(?:ngày\s+)` + pDMY), func(g []int) (span, bool) {
		return span{start: day(g[1], g[0], 1), startMonth: true, end: day(g[4], g[3], g[2])}, true
	}, true},
	// từ tháng 7-2024 đến tháng 6-2025
	{regexp.MustCompile(`(?i)` + pStart + `tháng\s+` + pMY + pTo + `(?:tháng\s+)?` + pMY), func(g []int) (span, bool) {
		return monthSpan(g[1], g[0], g[3], g[2]), true
	}, true},
	// từ ngày 15/5/2023 đến hết tháng 9/2023
	{regexp.MustCompile(`(?i)` + pStart + `(?:ngày\s+)?` + pDMY + pTo + `tháng\s+` + pMY), func(g []int) (span, bool) {
		s := monthSpan(g[2], g[1], g[4], g[3])
		s.start, s.startMonth = day(g[2], g[1], g[0]), false
		return s, true
	}, true},
	// từ tháng 3 đến tháng 9 năm 2024; từ tháng 3 đến hết tháng 9/2024
	{regexp.MustCompile(`(?i)` + pStart + `tháng\s+(\d{1,2})` + pTo + `tháng\s+(\d{1,2})\s*(?:năm\s+|/|-)\s*` + pYear), func(g []int) (span, bool) {
		return monthSpan(g[2], g[0], g[2], g[1]), true
	}, true},
	// từ năm 2021 đến năm 2025; từ 2021 đến 2025
	{regexp.MustCompile(`(?i)` + pStart + `(?:năm\s+)?` + pYear + `\s*(?:đến|tới)\s*(?:hết\s+|cuối\s+)?(?:năm\s+)?` + pYear), func(g []int) (span, bool) {
		return yearSpan(g[0], g[1]), true
	}, true},
	// 2022-2023 after năm, giai đoạn, chuyên đề, nhiệm kỳ, or in brackets
	{regexp.MustCompile(`(?i)(?:^|[^\d/.-])` + pYear + `\s?-\s?` + pYear + pYearEnd), func(g []int) (span, bool) {
		return yearSpan(g[0], g[1]), true
	}, false},
	// năm 2024
	{regexp.MustCompile(`(?i)(?:năm|chuyên đề|giai đoạn)\s+` + pYear + pYearEnd), func(g []int) (span, bool) {
		return yearSpan(g[0], g[0]), true
	}, false},
}

// fromNowShapes end a period that starts "now", the article's date.
var fromNowShapes = []periodShape{
	// từ nay đến hết ngày 30-11-2023; đến hết ngày 30-11-2023
	{regexp.MustCompile(`(?i)(?:từ\s+(?:nay|bây giờ|ngày phát động)\s+)?(?:đến|tới)\s+(?:hết\s+)?ngày\s+` + pDMY), func(g []int) (span, bool) {
		return span{end: day(g[2], g[1], g[0])}, true
	}, true},
	// từ nay đến hết tháng 11-2023
	{regexp.MustCompile(`(?i)từ\s+(?:nay|bây giờ)\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?tháng\s+` + pMY), func(g []int) (span, bool) {
		return span{end: day(g[1], g[0], lastDayOf(g[1], time.Month(g[0]))), endMonth: true}, true
	}, true},
	// từ nay đến hết năm 2025
	{regexp.MustCompile(`(?i)từ\s+(?:nay|bây giờ)\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?năm\s+` + pYear), func(g []int) (span, bool) {
		return span{end: content.Day{Year: g[0], Month: 12, Day: 31}}, true
	}, true},
}

func day(y, m, d int) content.Day { return content.Day{Year: y, Month: time.Month(m), Day: d} }

func monthSpan(y1, m1, y2, m2 int) span {
	if m2 < 1 || m2 > 12 {
		return span{}
	}
	return span{start: day(y1, m1, 1), end: day(y2, m2, lastDayOf(y2, time.Month(m2))), startMonth: true, endMonth: true}
}

// periodCandidate is a period found in one place of the article.
type periodCandidate struct {
	span  span
	score float64
	where string
}

// Context words before a period, folded (no diacritics), with how much
// they say it is the campaign's own period.
var periodCues = []cue{
	{"thoi gian thi dua", 10}, {"thoi gian thuc hien", 10}, {"thoi gian phat dong", 10}, {"thoi gian trien khai", 10},
	{"thoi gian to chuc", 8}, {"thoi gian:", 8}, {"duoc thuc hien", 9}, {"thuc hien tu", 8}, {"dien ra", 8},
	{"trien khai tu", 8}, {"keo dai", 8}, {"phat dong tu", 8}, {"ap dung tu", 6},
	{"chuyen de", 4}, {"phong trao", 4}, {"thi dua", 4}, {"dot ", 3}, {"cuoc van dong", 4}, {"hung ung", 3},
	{"ke hoach", 3}, {"chuong trinh", 3}, {"giai doan", 2}, {"nam hoc", 2},
	{"nhiem ky", -9}, {"khoa ", -6}, {"ky niem", -7}, {"thanh lap", -7}, {"truc thuoc trung uong", -6},
	{"kinh te - xa hoi", -3}, {"5 nam", -3}, {"nam nam", -3}, {"tu nam", 0},
	{"den", -3}, {"den het", -3}, {"muc tieu", -2}, // a deadline: "mục tiêu đến năm 2025"
}

// findPeriods lists every period stated in text, scored by its context.
// published is the article's date, the start of a "từ nay" period.
func findPeriods(text string, published content.Day) []periodCandidate {
	norm := strings.NewReplacer("–", "-", "—", "-", "‑", "-").Replace(text)
	var out []periodCandidate
	taken := make([]bool, len(norm)+1)
	add := func(sh periodShape, m []int, sp span) {
		for i := m[0]; i < m[1]; i++ {
			if taken[i] {
				return
			}
		}
		for i := m[0]; i < m[1]; i++ {
			taken[i] = true
		}
		before := contextBefore(norm, m[0], 70)
		ctx := vi.Fold(before)
		score := 1.0
		if sh.explicit {
			score += 3
		}
		// The nearest cue counts most: "thời gian thi đua" right before a
		// span outweighs "nhiệm kỳ" further back.
		score += cueScore(ctx, periodCues, 70)
		if strings.HasSuffix(strings.TrimSpace(before), "(") || norm[m[0]] == '(' {
			score -= 2 // an aside: "20 năm (2004-2024)"
		}
		out = append(out, periodCandidate{span: sp, score: score})
	}
	// Spans named at both ends first, then those that run from now, then
	// bare years, so that a longer reading wins its text.
	for _, sh := range periodShapes {
		if !sh.explicit {
			continue
		}
		for _, m := range sh.re.FindAllStringSubmatchIndex(norm, 50) {
			sp, ok := sh.read(groupsOf(norm, m))
			if ok && sp.valid() {
				add(sh, m, sp)
			}
		}
	}
	for _, sh := range fromNowShapes {
		for _, m := range sh.re.FindAllStringSubmatchIndex(norm, 20) {
			sp, ok := sh.read(groupsOf(norm, m))
			if !ok {
				continue
			}
			sp.start, sp.fromNow = published, true
			if sp.valid() {
				add(sh, m, sp)
			}
		}
	}
	for _, sh := range periodShapes {
		if sh.explicit {
			continue
		}
		for _, m := range sh.re.FindAllStringSubmatchIndex(norm, 50) {
			sp, ok := sh.read(groupsOf(norm, m))
			if ok && sp.valid() {
				add(sh, m, sp)
			}
		}
	}
	return out
}

// groupsOf returns a match's numeric groups as ints (0 when absent).
func groupsOf(s string, m []int) []int {
	g := make([]int, 0, len(m)/2)
	for i := 1; 2*i < len(m); i++ {
		g = append(g, atoi(s, m, i))
	}
	return g
}

// contextBefore returns about n bytes of s before i, with quoted phrases
// left out, so that a cue before a long quoted name still counts: in
// "phong trào “...” giai đoạn 2021-2025" the span is the phong trào's.
func contextBefore(s string, i, n int) string {
	var parts []string
	size := 0
	end := i
	for end > 0 && size < n {
		q := strings.LastIndex(s[:end], "”")
		start := max(0, end-(n-size))
		if q < 0 || q < start {
			parts = append(parts, s[start:end])
			break
		}
		open := strings.LastIndex(s[:q], "“")
		if open < 0 {
			parts = append(parts, s[start:end])
			break
		}
		tail := s[q+len("”") : end]
		parts = append(parts, tail, "“”")
		size += len(tail) + 2
		end = open
	}
	var b strings.Builder
	for k := len(parts) - 1; k >= 0; k-- {
		b.WriteString(parts[k])
	}
	// Keep whole characters.
	out := b.String()
	for len(out) > 0 && !utf8.RuneStart(out[0]) {
		out = out[1:]
	}
	return out
}
