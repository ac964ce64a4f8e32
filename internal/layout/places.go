package layout

import (
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/index"
)

// PlaceStep is one place above another, linked to its page.
type PlaceStep struct {
	TermLink
	// Since is set when the place below was merged into this one, as the
	// day it happened in the site's language ("01/07/2025"); it is empty
	// when this is the place below's parent.
	Since string
}

// Place is what a region's page shows of its place on the map.
type Place struct {
	Kind     string // "thành phố"
	FullName string // "thành phố Ngã Bảy"
	// Up are the places it lies in as of the build, nearest first: Hậu
	// Giang, then Cần Thơ since 01/07/2025.
	Up []PlaceStep
	// Children are the places directly inside it (and those merged into
	// it) that have articles, each with the count of its articles and of
	// the places inside it.
	Children []TermLink
	// Note says when it existed, if not still: "đến 30/06/2025",
	// "sáp nhập vào Cần Thơ từ 01/07/2025", "từ 01/07/2025".
	Note string
}

// PlaceLink is a place of the regions index, with its note.
type PlaceLink struct {
	TermLink
	Note string
}

// PlaceGroup is a province on the regions index with the places in it.
type PlaceGroup struct {
	// Province is the provincial unit as of the build; it is empty for
	// the group of names that are no place bantin knows.
	Province TermLink
	Places   []PlaceLink
}

// steps links the places of a hierarchy.
func steps(cfg *config.Site, up []index.Step) []PlaceStep {
	if len(up) == 0 {
		return nil
	}
	out := make([]PlaceStep, len(up))
	for i, s := range up {
		out[i] = PlaceStep{TermLink: Link(cfg, s.Term)}
		if s.Since != "" {
			if d, err := content.ParsePeriodBound(s.Since, false); err == nil {
				out[i].Since = shortDay(cfg.Language, d)
			}
		}
	}
	return out
}

// NewPlace makes the view of the place of a term of a place-valued
// taxonomy, as of today; nil for a term that is no place.
func NewPlace(cfg *config.Site, t *index.Taxonomy, term *index.Term, today content.Day) *Place {
	p := term.Place
	if p == nil {
		return nil
	}
	v := &Place{Kind: string(p.Kind), FullName: p.FullName(), Up: steps(cfg, t.Up(term, dayTime(today))), Note: placeNote(cfg, t.Places(), p, today)}
	for _, c := range t.Children(term) {
		v.Children = append(v.Children, Link(cfg, c))
	}
	return v
}

// placeNote says when p existed, if it does not any more or did not always.
func placeNote(cfg *config.Site, g *gazetteer.Gazetteer, p *gazetteer.Place, today content.Day) string {
	day := func(s string) string {
		d, err := content.ParsePeriodBound(s, false)
		if err != nil {
			return s
		}
		return shortDay(cfg.Language, d)
	}
	tr := func(key string, args ...any) string { return translator(cfg.Language, nil)(key, args...) }
	switch {
	case p.ValidTo != "" && p.ValidTo < today.String() && len(p.Successors) == 1 && g.Place(p.Successors[0]) != nil:
		since, _ := content.ParsePeriodBound(p.ValidTo, false)
		next := dayTime(since).AddDate(0, 0, 1)
		return tr("place_merged", g.Place(p.Successors[0]).Name, shortDate(cfg.Language, next))
	case p.ValidTo != "" && p.ValidTo < today.String():
		return tr("place_until", day(p.ValidTo))
	case p.ValidFrom != "":
		return tr("place_since", day(p.ValidFrom))
	}
	return ""
}

// placeGroups groups the terms of a place-valued taxonomy by the province
// they belong to as of today (units merged away under the one they went
// into), provinces in alphabetical order; names that are no place come
// last, in a group without a province.
func placeGroups(cfg *config.Site, t *index.Taxonomy, today content.Day) []PlaceGroup {
	at := dayTime(today)
	byProvince := map[*index.Term]int{}
	var groups []PlaceGroup
	var heads []*index.Term
	var others []PlaceLink
	for _, term := range t.Terms {
		prov := t.Province(term, at)
		if prov == nil {
			others = append(others, PlaceLink{TermLink: Link(cfg, term)})
			continue
		}
		if _, ok := byProvince[prov]; !ok {
			byProvince[prov] = len(groups)
			groups = append(groups, PlaceGroup{Province: Link(cfg, prov)})
			heads = append(heads, prov)
		}
		if term != prov {
			g := &groups[byProvince[prov]]
			g.Places = append(g.Places, PlaceLink{TermLink: Link(cfg, term), Note: placeNote(cfg, t.Places(), term.Place, today)})
		}
	}
	// Groups are in the order of their first place: put them in the
	// order of their provinces, which the terms' order is.
	sorted := make([]PlaceGroup, 0, len(groups)+1)
	for _, term := range t.Terms {
		if i, ok := byProvince[term]; ok && heads[i] == term {
			sorted = append(sorted, groups[i])
		}
	}
	if len(others) > 0 {
		sorted = append(sorted, PlaceGroup{Places: others})
	}
	return sorted
}
