package layout

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/index"
)

// The timeline's geometry, in CSS pixels: a year of the axis, a row per
// campaign, the axis labels' band and the margins. The SVG is as wide as
// its years need; its box scrolls on narrow screens.
const (
	timelineYear   = 96
	timelineRow    = 30
	timelineBar    = 14
	timelineAxis   = 26
	timelinePad    = 8
	timelineCharPx = 7.5 // a generous width of one character of a 13 px label
)

// timeline draws a taxonomy's campaign periods as bars on a time axis,
// newest first from the top, each bar a link to its period's page with
// its name and status beside it, and the status kept current by the
// status script. It returns "" when there is no period.
func timeline(cfg *config.Site, terms []*index.Term, links []TermLink, label string, today content.Day) template.HTML {
	if len(terms) == 0 {
		return ""
	}
	first, last := terms[0].Period.Start.Year, terms[0].Period.End.Year
	labelWidth := 0.0
	statuses := make([]*Status, len(terms))
	for i, t := range terms {
		first, last = min(first, t.Period.Start.Year), max(last, t.Period.End.Year)
		statuses[i] = NewStatus(cfg, t.Period, today)
		labelWidth = max(labelWidth, float64(utf8.RuneCountInString(t.Name+" · "+statuses[i].Label))*timelineCharPx)
	}
	axisStart := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)
	years := last - first + 1
	axisWidth := float64(years * timelineYear)
	x := func(d content.Day, end bool) float64 {
		t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		if end {
			t = t.AddDate(0, 0, 1) // a period ends at the end of its last day
		}
		yearStart := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		days := float64(time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(yearStart).Hours() / 24)
		within := t.Sub(yearStart).Hours() / 24 / days
		return timelinePad + float64(t.Year()-axisStart.Year())*timelineYear + within*timelineYear
	}
	width := int(timelinePad + axisWidth + 6 + labelWidth + timelinePad)
	height := timelineAxis + len(terms)*timelineRow + timelinePad
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline-chart" width="%d" height="%d" viewBox="0 0 %d %d" role="group" aria-label="%s">`, width, height, width, height, html.EscapeString(label))
	b.WriteString(`<g class="axis" aria-hidden="true">`)
	for y := 0; y <= years; y++ {
		px := timelinePad + y*timelineYear
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d"/>`, px, timelineAxis-8, px, height-timelinePad)
		if y < years {
			fmt.Fprintf(&b, `<text x="%d" y="%d">%d</text>`, px+timelineYear/2, timelineAxis-12, first+y)
		}
	}
	b.WriteString(`</g>`)
	for i, t := range terms {
		s := statuses[i]
		x0, x1 := x(t.Period.Start, false), x(t.Period.End, true)
		w := max(x1-x0, 4) // a one-day campaign still shows
		top := timelineAxis + i*timelineRow + (timelineRow-timelineBar)/2
		dates := fmt.Sprintf(`data-status="%s" data-start="%s" data-end="%s"`, s.Key, s.Start, s.End)
		fmt.Fprintf(&b, `<a class="bar" href="%s" %s>`, html.EscapeString(links[i].URL), dates)
		fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" rx="3"/>`, num(x0), top, num(w), timelineBar)
		fmt.Fprintf(&b, `<text x="%s" y="%d">%s · <tspan class="status" %s>%s</tspan></text>`,
			num(x0+w+6), top+timelineBar-2, html.EscapeString(t.Name), dates, html.EscapeString(s.Label))
		b.WriteString(`</a>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// The year chart's geometry: a column per year, the tallest bar, and room
// for the numbers above the bars and the years below them.
const (
	chartColumn = 52
	chartBar    = 30
	chartTall   = 110
	chartTop    = 22
	chartBottom = 24
)

// yearChart draws the number of articles of each year, oldest on the
// left, as bars with their numbers; a year with articles links to its
// page. Years between the first and the last without articles show as 0.
// It returns "" when there is no year.
func yearChart(terms []*index.Term, links []TermLink, label, articles string) template.HTML {
	if len(terms) == 0 {
		return ""
	}
	counts := map[int]int{}
	urls := map[int]string{}
	first, last, most := 0, 0, 1
	for i, t := range terms {
		y, err := strconv.Atoi(t.Name)
		if err != nil {
			continue
		}
		if len(counts) == 0 || y < first {
			first = y
		}
		if len(counts) == 0 || y > last {
			last = y
		}
		counts[y], urls[y] = len(t.Articles), links[i].URL
		most = max(most, len(t.Articles))
	}
	if len(counts) == 0 {
		return ""
	}
	years := last - first + 1
	width := years*chartColumn + 2*timelinePad
	height := chartTop + chartTall + chartBottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="year-chart" width="%d" height="%d" viewBox="0 0 %d %d" role="group" aria-label="%s">`, width, height, width, height, html.EscapeString(label))
	fmt.Fprintf(&b, `<line class="baseline" x1="%d" y1="%d" x2="%d" y2="%d" aria-hidden="true"/>`, timelinePad, chartTop+chartTall, width-timelinePad, chartTop+chartTall)
	for y := first; y <= last; y++ {
		n := counts[y]
		h := float64(n) / float64(most) * chartTall
		left := timelinePad + (y-first)*chartColumn
		mid := left + chartColumn/2
		top := float64(chartTop+chartTall) - h
		name := fmt.Sprintf("%d: %s", y, fmt.Sprintf(articles, n))
		if url, ok := urls[y]; ok {
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s">`, html.EscapeString(url), html.EscapeString(name))
		} else {
			fmt.Fprintf(&b, `<g role="img" aria-label="%s">`, html.EscapeString(name))
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%s" width="%d" height="%s"/>`, mid-chartBar/2, num(top), chartBar, num(h))
		fmt.Fprintf(&b, `<text class="year" x="%d" y="%d">%d</text>`, mid, chartTop+chartTall+17, y)
		// The number stands outside the link, whose name says it: a link's
		// name must contain the text it shows, in that order.
		value := fmt.Sprintf(`<text class="value" x="%d" y="%s" aria-hidden="true">%d</text>`, mid, num(top-6), n)
		if _, ok := urls[y]; ok {
			b.WriteString(`</a>` + value)
		} else {
			b.WriteString(value + `</g>`)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(float64(int(f*10+0.5))/10, 'f', -1, 64)
}
