package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// stamp is a date found in an input, as precise as the input was.
type stamp struct {
	t       time.Time
	hasTime bool
	// zoned: the input gave the zone (GMT+7, +07:00); otherwise t is in
	// the site's zone.
	zoned bool
}

// frontMatter spells the date for the date field: with its zone when the
// input gave one, in the site's zone when it gave a time only, and as a
// bare day otherwise.
func (s stamp) frontMatter() string {
	switch {
	case s.zoned:
		return s.t.Format(time.RFC3339)
	case s.hasTime:
		return s.t.Format("2006-01-02 15:04")
	}
	return s.t.Format("2006-01-02")
}

var (
	reISO = regexp.MustCompile(`(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?`)
	reDMY = regexp.MustCompile(`(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4})`)
	// "ngày 16 tháng 2 năm 2023"
	reWordsDMY = regexp.MustCompile(`(?i)(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm|,|/|-)\s*(\d{4})`)
	// "06:26", "06h26", "6 giờ 26", "06:26:45 AM"
	reClock = regexp.MustCompile(`(?i)(\d{1,2})\s?(?::|h|giờ)\s?(\d{2})(?:\s?(?::|phút)\s?(\d{2}))?(?:\s?(am|pm|sa|ch)\b)?`)
	// a place and a comma before a date: "Cần Thơ, "
	rePlacePrefix = regexp.MustCompile(`^\s*[\p{Lu}][\p{L}\p{Mn}]*(?:\s+[\p{Lu}][\p{L}\p{Mn}]*){0,3}\s*,\s*`)
	// a byline before a date, or a byline or a view counter after it
	reNameBefore         = regexp.MustCompile(`^\s*(?:[\p{Lu}][\p{L}\p{Mn}.]*\s+){0,4}[\p{Lu}][\p{L}\p{Mn}.]*\s*[-|–]\s*`)
	reNameOrCounterAfter = regexp.MustCompile(`\s*[-|–]\s*(?:(?:[\p{Lu}][\p{Lu}\p{Mn}.]*\s*){1,5}|(?i:lượt xem|lượt đọc|số lượt xem|views?)\s*:?\s*[\d.,]+\s*)$`)
	// "GMT+7", "(GMT+07:00)", "UTC +7", "+07:00" after a clock time
	reZone = regexp.MustCompile(`(?i)(?:gmt|utc)\s?([+-])\s?(\d{1,2})(?::?(\d{2}))?|([+-])(\d{2}):?(\d{2})\b`)
)

// dateLabelWords may stand beside a date on a line of its own: labels,
// weekdays and the words of clock times.
var dateLabelWords = map[string]bool{
	"ngày": true, "đăng": true, "cập": true, "nhật": true, "lúc": true, "thứ": true, "hai": true, "ba": true,
	"tư": true, "năm": true, "sáu": true, "bảy": true, "chủ": true, "cn": true, "giờ": true, "phút": true,
	"xuất": true, "bản": true, "gmt": true, "utc": true, "tháng": true, "thời": true, "gian": true,
	"lần": true, "cuối": true, "sửa": true, "đổi": true, "viết": true, "vào": true, "tin": true, "bài": true,
	"posted": true, "updated": true, "update": true, "published": true, "on": true, "at": true, "date": true,
	"am": true, "pm": true, "sa": true, "ch": true, "sáng": true, "chiều": true, "tối": true, "t": true,
	"ngay": true, "cap": true, "nhat": true, "dang": true,
}

// parseStamp finds the first date in s, with the clock time and zone
// that follow or precede it. ok is false when s has no valid date.
func parseStamp(s string, loc *time.Location) (st stamp, start, end int, ok bool) {
	type found struct {
		y, m, d    int
		start, end int
		clock      []int // hour, minute, second; nil when none
		zone       *time.Location
	}
	var best *found
	consider := func(f found) {
		if f.m < 1 || f.m > 12 || f.d < 1 || f.d > 31 || f.y < 1900 || f.y > 2200 {
			return
		}
		if best == nil || f.start < best.start {
			best = &f
		}
	}
	for _, m := range reISO.FindAllStringSubmatchIndex(s, 3) {
		f := found{y: atoi(s, m, 1), m: atoi(s, m, 2), d: atoi(s, m, 3), start: m[0], end: m[1]}
		if m[8] >= 0 {
			f.clock = []int{atoi(s, m, 4), atoi(s, m, 5), atoi(s, m, 6)}
			if m[14] >= 0 {
				f.zone = offsetZone(s[m[14]:m[15]])
			}
		}
		consider(f)
	}
	for _, m := range reDMY.FindAllStringSubmatchIndex(s, 3) {
		consider(found{y: atoi(s, m, 3), m: atoi(s, m, 2), d: atoi(s, m, 1), start: m[0], end: m[1]})
	}
	for _, m := range reWordsDMY.FindAllStringSubmatchIndex(s, 3) {
		consider(found{y: atoi(s, m, 3), m: atoi(s, m, 2), d: atoi(s, m, 1), start: m[0], end: m[1]})
	}
	if best == nil {
		return stamp{}, 0, 0, false
	}
	start, end = best.start, best.end
	if best.clock == nil {
		// A clock time just after the date ("16/02/2023 | 06:26") or just
		// before it ("06:26 | 16/02/2023", "Cập nhật lúc 06:26, Thứ Năm,
		// 16/02/2023").
		if c, _, ce, ok := clockNear(s[end:], false); ok {
			best.clock, end = c, end+ce
		} else if c, cs, _, ok := clockNear(s[:start], true); ok {
			best.clock, start = c, cs
		}
	}
	if best.zone == nil {
		if m := reZone.FindStringSubmatchIndex(s[end:]); m != nil && m[0] < 12 {
			if m[2] >= 0 {
				h, _ := strconv.Atoi(s[end+m[4] : end+m[5]])
				mins := 0
				if m[6] >= 0 {
					mins, _ = strconv.Atoi(s[end+m[6] : end+m[7]])
				}
				off := h*3600 + mins*60
				if s[end+m[2]:end+m[3]] == "-" {
					off = -off
				}
				if h <= 14 {
					best.zone = time.FixedZone("", off)
				}
			} else if best.clock != nil {
				best.zone = offsetZone(s[end+m[8] : end+m[13]])
			}
			if best.zone != nil {
				end += m[1]
				if end < len(s) && s[end] == ')' {
					end++
				}
			}
		}
	}
	at := loc
	if best.zone != nil {
		at = best.zone
	}
	h, mi, sec := 0, 0, 0
	if best.clock != nil {
		h, mi, sec = best.clock[0], best.clock[1], best.clock[2]
	}
	t := time.Date(best.y, time.Month(best.m), best.d, h, mi, sec, 0, at)
	if t.Day() != best.d {
		return stamp{}, 0, 0, false // 31/02
	}
	return stamp{t: t, hasTime: best.clock != nil, zoned: best.zone != nil}, start, end, true
}

// clockNear finds a clock time in part that is separated from the date
// (which follows part when before is true, and precedes it otherwise) only
// by punctuation, labels and weekdays.
func clockNear(part string, before bool) (clock []int, start, end int, ok bool) {
	for _, m := range reClock.FindAllStringSubmatchIndex(part, 4) {
		h, mi := atoi(part, m, 1), atoi(part, m, 2)
		sec := 0
		if m[6] >= 0 {
			sec = atoi(part, m, 3)
		}
		if m[8] >= 0 {
			switch strings.ToLower(part[m[8]:m[9]]) {
			case "pm", "ch":
				if h < 12 {
					h += 12
				}
			case "am", "sa":
				if h == 12 {
					h = 0
				}
			}
		}
		if h > 23 || mi > 59 || sec > 59 {
			continue
		}
		between := part[:m[0]]
		if before {
			between = part[m[1]:]
		}
		if len(between) > 40 || !onlyLabels(between) {
			continue
		}
		return []int{h, mi, sec}, m[0], m[1], true
	}
	return nil, 0, 0, false
}

// onlyLabels reports whether s holds only punctuation and date labels.
func onlyLabels(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}) {
		if !dateLabelWords[w] && !isSmallNumber(w) {
			return false
		}
	}
	return true
}

func isSmallNumber(w string) bool {
	n, err := strconv.Atoi(w)
	return err == nil && n >= 2 && n <= 7 // "Thứ 5"
}

// offsetZone reads "Z", "+07:00" or "+0700".
func offsetZone(s string) *time.Location {
	if s == "Z" {
		return time.UTC
	}
	s = strings.ReplaceAll(s, ":", "")
	if len(s) != 5 {
		return nil
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil || h > 14 || m > 59 {
		return nil
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off)
}

func atoi(s string, m []int, group int) int {
	if m[2*group] < 0 {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(s[m[2*group]:m[2*group+1]]))
	return n
}

// dateLine reads a line that is a date and nothing else but labels,
// weekdays and punctuation ("Thứ Năm, 16/2/2023", "Cập nhật: 16/02/2023
// 06:26", "16/02/2023 | 06:26 GMT+7", "Ngày 23-06-2020").
func dateLine(line string, loc *time.Location) (stamp, bool) {
	if len(line) > 120 {
		return stamp{}, false
	}
	st, start, end, ok := parseStamp(line, loc)
	if !ok {
		return stamp{}, false
	}
	prefix := line[:start]
	// "Cần Thơ, ngày 3 tháng 4 năm 2024", as official letters date
	// themselves.
	if m := rePlacePrefix.FindStringIndex(prefix); m != nil {
		prefix = prefix[m[1]:]
	}
	// A byline or a counter beside the date: "Nguyễn Lê - 16/02/2023",
	// "16/02/2023 | Lượt xem: 1.250".
	if m := reNameBefore.FindStringIndex(prefix); m != nil {
		prefix = prefix[m[1]:]
	}
	suffix := line[end:]
	if m := reNameOrCounterAfter.FindStringIndex(suffix); m != nil {
		suffix = suffix[:m[0]]
	}
	if !onlyLabels(prefix) || !onlyLabels(suffix) {
		return stamp{}, false
	}
	return st, true
}
