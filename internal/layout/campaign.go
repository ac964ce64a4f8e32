package layout

import (
	"cmp"
	"slices"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/vi"
)

// Status is a campaign period's status on the day of the build, with what
// the status script (js/bantin-status.js) needs to keep it current in the
// reader's browser: partials/status.html shows it as a badge.
type Status struct {
	Key   string // "upcoming", "ongoing" or "ended", as of the build
	Label string // "Đang diễn ra"
	Start string // the period's first day, "2024-07-01"
	End   string // its last day, "2025-06-30"
	Span  string // both in the site's language: "01/07/2024 – 30/06/2025"
}

// NewStatus returns the status of period p on day today, or nil for no
// period.
func NewStatus(cfg *config.Site, p *content.Period, today content.Day) *Status {
	if p == nil {
		return nil
	}
	key := p.Status(today).String()
	return &Status{
		Key: key, Label: uiString(cfg.Language, key),
		Start: p.Start.String(), End: p.End.String(),
		Span: shortDay(cfg.Language, p.Start) + " – " + shortDay(cfg.Language, p.End),
	}
}

// shortDay is a day as lists show dates: "01/07/2025", "1 Jul 2025".
func shortDay(lang vi.Language, d content.Day) string {
	return shortDate(lang, dayTime(d))
}

// dayTime is noon of day d in UTC, for what takes a time: its date is d
// wherever it is formatted in UTC.
func dayTime(d content.Day) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// CampaignInfo is what a period's page shows of its campaign.
type CampaignInfo struct {
	Status Status
	// Slogans are the slogans its articles carry, with how many of them
	// do, most first.
	Slogans []TermLink
	// Parts are the regions and the terms of the declared taxonomies (the
	// units) that took part, each with how many of its articles name
	// them, most first, in navigation order.
	Parts []TermLinks
}

// NewCampaignInfo makes the campaign view of period term.
func NewCampaignInfo(cfg *config.Site, ix *index.Index, term *index.Term, today content.Day) *CampaignInfo {
	if term.Period == nil {
		return nil
	}
	c := &CampaignInfo{Status: *NewStatus(cfg, term.Period, today)}
	for _, t := range ix.Taxonomies {
		if t.Kind != index.Slogan && t.Kind != index.Region && t.Config.Builtin {
			continue
		}
		counts := map[*index.Term]int{}
		var order []*index.Term
		var buf [8]*index.Term
		for _, a := range term.Articles {
			for _, other := range t.AppendTermsOf(buf[:0], a) {
				if counts[other] == 0 {
					order = append(order, other)
				}
				counts[other]++
			}
		}
		if len(order) == 0 {
			continue
		}
		rank := make(map[*index.Term]int, len(t.Terms))
		for i, other := range t.Terms {
			rank[other] = i
		}
		slices.SortFunc(order, func(a, b *index.Term) int {
			return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(rank[a], rank[b]))
		})
		links := make([]TermLink, len(order))
		for i, other := range order {
			links[i] = Link(cfg, other)
			links[i].Count = counts[other]
		}
		if t.Kind == index.Slogan {
			c.Slogans = links
			continue
		}
		label, plural := Labels(cfg, &t.Config)
		c.Parts = append(c.Parts, TermLinks{Key: string(t.Kind), Label: label, Plural: plural, Builtin: t.Config.Builtin, Links: links})
	}
	return c
}

// recentlyEnded is how long after its end a campaign still shows on the
// home page.
const recentlyEnded = 183 * 24 * time.Hour

// upcomingShown and endedShown bound the upcoming and recently ended
// campaigns of the home page.
const upcomingShown, endedShown = 3, 3

// HomeCampaigns picks the campaigns of the home page from every campaign
// (most recently reported first): every ongoing one, then the next
// upcoming ones, soonest first, then those that ended in the last six
// months, latest first.
func HomeCampaigns(cfg *config.Site, all []index.Campaign, today content.Day, card func(*content.Article) *Card) []Campaign {
	var ongoing, upcoming, ended []index.Campaign
	since := content.DayOf(dayTime(today).Add(-recentlyEnded))
	for _, c := range all {
		switch p := c.Period.Period; p.Status(today) {
		case content.Ongoing:
			ongoing = append(ongoing, c)
		case content.Upcoming:
			upcoming = append(upcoming, c)
		default:
			if !p.End.Before(since) {
				ended = append(ended, c)
			}
		}
	}
	slices.SortStableFunc(upcoming, func(a, b index.Campaign) int {
		return cmp.Compare(a.Period.Period.Start.String(), b.Period.Period.Start.String())
	})
	slices.SortStableFunc(ended, func(a, b index.Campaign) int {
		return cmp.Compare(b.Period.Period.End.String(), a.Period.Period.End.String())
	})
	var out []Campaign
	for _, c := range slices.Concat(ongoing, upcoming[:min(len(upcoming), upcomingShown)], ended[:min(len(ended), endedShown)]) {
		v := Campaign{Period: Link(cfg, c.Period), Latest: card(c.Latest), Status: NewStatus(cfg, c.Period.Period, today)}
		if c.Slogan != nil {
			l := Link(cfg, c.Slogan)
			v.Slogan = &l
		}
		out = append(out, v)
	}
	return out
}
