package content

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateLayouts are the accepted spellings of an article date; the ones
// without a zone are read in the site's time zone.
var dateLayouts = []struct {
	layout  string
	hasTime bool
	zoned   bool
}{
	{time.RFC3339Nano, true, true},
	{"2006-01-02T15:04Z07:00", true, true},
	{"2006-01-02 15:04:05Z07:00", true, true},
	{"2006-01-02 15:04:05 -0700", true, true},
	{"2006-01-02", false, false},
	{"2006-01-02 15:04", true, false},
	{"2006-01-02 15:04:05", true, false},
	{"2006-01-02T15:04", true, false},
	{"2006-01-02T15:04:05", true, false},
}

// ParseDate reads an article date. hasTime is false for a bare date, which
// themes show without a clock time.
func ParseDate(s string, loc *time.Location) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		var parsed time.Time
		var perr error
		if l.zoned {
			parsed, perr = time.Parse(l.layout, s)
		} else {
			parsed, perr = time.ParseInLocation(l.layout, s, loc)
		}
		if perr == nil {
			return parsed, l.hasTime, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("date %q is not a date; write 2023-02-16, \"2023-02-16 06:26\" or 2023-02-16T06:26:00+07:00", s)
}

// Day is a calendar date without a time or zone.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

func (d Day) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Before reports whether d is earlier than e.
func (d Day) Before(e Day) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// DayOf returns the calendar date of t in its own zone.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Day{y, m, d}
}

func lastDay(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Period is a campaign period: whole days from Start to End inclusive. Two
// spellings of the same span ("2024" and {start: 2024-01, end: 2024-12})
// are the same period.
type Period struct {
	Start, End Day
}

// Contains reports whether day falls within the period.
func (p Period) Contains(day Day) bool {
	return !day.Before(p.Start) && !p.End.Before(day)
}

// PeriodStatus is where a day stands against a campaign period.
type PeriodStatus int

// The statuses of a campaign period on a day.
const (
	Upcoming PeriodStatus = iota // the day is before its start
	Ongoing                      // the day is within it
	Ended                        // the day is after its end
)

// String names the status as themes, CSS and the status script do:
// "upcoming", "ongoing" or "ended".
func (s PeriodStatus) String() string {
	switch s {
	case Upcoming:
		return "upcoming"
	case Ongoing:
		return "ongoing"
	}
	return "ended"
}

// Status returns where day stands against the period.
func (p Period) Status(day Day) PeriodStatus {
	switch {
	case day.Before(p.Start):
		return Upcoming
	case p.End.Before(day):
		return Ended
	}
	return Ongoing
}

// wholeYears reports whether the period runs from 1 January to 31 December.
func (p Period) wholeYears() bool {
	return p.Start.Month == 1 && p.Start.Day == 1 && p.End.Month == 12 && p.End.Day == 31
}

// wholeMonths reports whether the period runs from a first to a last day.
func (p Period) wholeMonths() bool {
	return p.Start.Day == 1 && p.End.Day == lastDay(p.End.Year, p.End.Month)
}

// Slug is the period's URL segment: "2022-2023", "2024", "2024-07-2025-06"
// or "2024-07-15-2024-09-30".
func (p Period) Slug() string {
	switch {
	case p.wholeYears() && p.Start.Year == p.End.Year:
		return strconv.Itoa(p.Start.Year)
	case p.wholeYears():
		return fmt.Sprintf("%d-%d", p.Start.Year, p.End.Year)
	case p.wholeMonths():
		return fmt.Sprintf("%04d-%02d-%04d-%02d", p.Start.Year, p.Start.Month, p.End.Year, p.End.Month)
	}
	return p.Start.String() + "-" + p.End.String()
}

// Label is the period as readers write it: "2022–2023", "07/2025–06/2027",
// "15/07/2024–30/09/2024".
func (p Period) Label() string {
	switch {
	case p.wholeYears() && p.Start.Year == p.End.Year:
		return strconv.Itoa(p.Start.Year)
	case p.wholeYears():
		return fmt.Sprintf("%d–%d", p.Start.Year, p.End.Year)
	case p.wholeMonths():
		return fmt.Sprintf("%02d/%04d–%02d/%04d", p.Start.Month, p.Start.Year, p.End.Month, p.End.Year)
	}
	return fmt.Sprintf("%02d/%02d/%04d–%02d/%02d/%04d", p.Start.Day, p.Start.Month, p.Start.Year, p.End.Day, p.End.Month, p.End.Year)
}

// ParsePeriodText reads "2024" or "2022-2023" (a hyphen or en dash, spaces
// allowed) as whole years.
func ParsePeriodText(s string) (Period, error) {
	s = strings.TrimSpace(s)
	first, second, ranged := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	if !ranged {
		second = first
	}
	y1, err1 := parseYear(first)
	y2, err2 := parseYear(second)
	if err1 != nil || err2 != nil {
		return Period{}, fmt.Errorf("period %q is not a period; write \"2024\", \"2022-2023\" or a map with start and end like {start: 2024-07, end: 2025-06}", s)
	}
	if y2 < y1 {
		return Period{}, fmt.Errorf("period %q ends before it starts", s)
	}
	return Period{Start: Day{y1, 1, 1}, End: Day{y2, 12, 31}}, nil
}

func parseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 4 {
		return 0, fmt.Errorf("not a year")
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1000 {
		return 0, fmt.Errorf("not a year")
	}
	return y, nil
}

// ParsePeriodBound reads a start or end written YYYY-MM or YYYY-MM-DD. A
// month means its first day for a start and its last day for an end.
func ParsePeriodBound(s string, isEnd bool) (Day, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return DayOf(t), nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		d := DayOf(t)
		if isEnd {
			d.Day = lastDay(d.Year, d.Month)
		}
		return d, nil
	}
	if t, _, err := ParseDate(s, time.UTC); err == nil {
		return DayOf(t), nil
	}
	return Day{}, fmt.Errorf("%q is not a month or a day; write 2024-07 or 2024-07-15", s)
}
