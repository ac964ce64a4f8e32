package index

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/vi"
)

// placeKey is a place name as an article writes it and the day it is
// resolved at: the same spelling may mean another place on another day
// ("Ngã Bảy", the city in 2023, the ward of Cần Thơ in 2026).
type placeKey struct {
	name string
	day  content.Day
}

// Redirect is an old URL of a term, kept working by a page that leads to
// the term's page.
type Redirect struct {
	Path string // site path of the old page: "khu-vuc/tp-can-tho/"
	To   *Term
}

// Step is one term above another in the map's hierarchy.
type Step struct {
	Term *Term
	// Since is the day the place below was merged into this one
	// ("2025-07-01"), or "" when this is the place below's parent.
	Since string
}

// placeValue is one value an article gives a place-valued taxonomy, and
// the place it means, or why it means none.
type placeValue struct {
	a     *content.Article
	i     int // which of the article's values
	name  string
	place *gazetteer.Place
	err   error
}

// resolver resolves place names through the gazetteer, at most once per
// name for what does not depend on the day.
type resolver struct {
	g *gazetteer.Gazetteer
	// near are the ids of the site's own area. Written in site.toml they
	// come first, as the gazetteer orders its preferences; inferred from
	// the articles (nearSettlesOnly) they only settle what is ambiguous
	// without them.
	near            []string
	nearSettlesOnly bool
	lookups         map[string][]*gazetteer.Place
	unknown         map[string]error
	// bounds holds, by name, the days its resolution may change on;
	// byEra the resolutions of the spans between them, byDay those of
	// days when none of the name's places existed.
	bounds map[string][]content.Day
	byEra  map[eraKey]placeResult
	byDay  map[placeKey]placeResult
}

// eraKey is a name and the span between two of its bounds.
type eraKey struct {
	name string
	era  int
}

type placeResult struct {
	place *gazetteer.Place
	err   error
}

func (r *resolver) resolve(name string, at time.Time) (*gazetteer.Place, error) {
	cands, ok := r.lookups[name]
	if !ok {
		cands = r.g.Lookup(name)
		r.lookups[name] = cands
	}
	switch len(cands) {
	case 0:
		// Suggestions are costly: one search per unknown name.
		err, ok := r.unknown[name]
		if !ok {
			_, err = r.g.Resolve(name, at)
			r.unknown[name] = err
		}
		return nil, err
	case 1:
		return cands[0], nil
	}
	// Which of the places existed decides, and within a span that does not
	// change: resolve once per span rather than once per day.
	day := content.DayOf(at)
	bounds, ok := r.bounds[name]
	if !ok {
		bounds = r.boundsOf(cands)
		r.bounds[name] = bounds
	}
	era := eraKey{name, sort.Search(len(bounds), func(i int) bool { return day.Before(bounds[i]) })}
	if res, ok := r.byEra[era]; ok {
		return res.place, res.err
	}
	exists := slices.ContainsFunc(cands, func(p *gazetteer.Place) bool { return p.ValidAt(at) })
	key := placeKey{name, day}
	if res, ok := r.byDay[key]; ok && !exists {
		return res.place, res.err
	}
	p, err := r.resolveAt(name, at)
	if exists {
		r.byEra[era] = placeResult{p, err}
	} else {
		// None existed: the nearest in time wins, which may change on
		// any day between two bounds.
		r.byDay[key] = placeResult{p, err}
	}
	return p, err
}

// boundsOf returns, sorted, the first days of the places of cands, or of
// near (through what they were merged into), and the days after their
// last.
func (r *resolver) boundsOf(cands []*gazetteer.Place) []content.Day {
	var out []content.Day
	add := func(p *gazetteer.Place) {
		if t, err := time.Parse(time.DateOnly, p.ValidFrom); err == nil {
			out = append(out, content.DayOf(t))
		}
		if t, err := time.Parse(time.DateOnly, p.ValidTo); err == nil {
			out = append(out, content.DayOf(t.AddDate(0, 0, 1)))
		}
	}
	for _, p := range cands {
		add(p)
	}
	for _, id := range r.near {
		seen := map[*gazetteer.Place]bool{}
		for p := r.g.Place(id); p != nil && !seen[p]; {
			seen[p] = true
			add(p)
			if len(p.Successors) != 1 {
				break
			}
			p = r.g.Place(p.Successors[0])
		}
	}
	slices.SortFunc(out, func(a, b content.Day) int {
		if a.Before(b) {
			return -1
		}
		if b.Before(a) {
			return 1
		}
		return 0
	})
	return slices.Compact(out)
}

// resolveAt resolves name on the day of at, with the site's area.
func (r *resolver) resolveAt(name string, at time.Time) (*gazetteer.Place, error) {
	var p *gazetteer.Place
	var err error
	if len(r.near) > 0 && !r.nearSettlesOnly {
		p, err = r.g.ResolveNear(name, at, r.near...)
	} else {
		p, err = r.g.Resolve(name, at)
		var amb *gazetteer.AmbiguousError
		if errors.As(err, &amb) && len(r.near) > 0 {
			if q, nerr := r.g.ResolveNear(name, at, r.near...); nerr == nil {
				p, err = q, nil
			}
		}
	}
	return p, err
}

// addPlaces files the articles under the terms of every place-valued
// taxonomy: resolved values under their place's term and the terms of
// every place it lies in; names the gazetteer does not know, or cannot
// settle, under a term of their own, with a warning. Problems of
// site.toml's region_near are errors.
func (ix *Index) addPlaces(cfg *config.Site, g *gazetteer.Gazetteer, errs *diag.List) error {
	var taxonomies []*Taxonomy
	for _, t := range ix.Taxonomies {
		if t.places != nil {
			taxonomies = append(taxonomies, t)
		}
	}
	if len(taxonomies) == 0 {
		return nil
	}
	r := &resolver{g: g, lookups: map[string][]*gazetteer.Place{}, unknown: map[string]error{},
		bounds: map[string][]content.Day{}, byEra: map[eraKey]placeResult{}, byDay: map[placeKey]placeResult{}}
	var nearErrs diag.List
	for i, name := range cfg.RegionNear {
		p, err := g.Resolve(name, time.Time{})
		if err != nil {
			nearErrs.Addf(cfg.RegionNearPos[i], "region_near: %s", PlaceProblem(g, "place", name, err, false))
			continue
		}
		r.near = append(r.near, p.ID)
	}
	if err := nearErrs.Err(); err != nil {
		return err
	}
	values := make([][]placeValue, len(taxonomies))
	for k, t := range taxonomies {
		var buf [8]string
		for _, a := range ix.Articles {
			for i, v := range a.AppendTerms(buf[:0], &t.Config) {
				p, err := r.resolve(v, a.Date)
				values[k] = append(values[k], placeValue{a: a, i: i, name: v, place: p, err: err})
			}
		}
	}
	if len(cfg.RegionNear) == 0 {
		if near := mostNamed(g, values); len(near) > 0 {
			r.near, r.nearSettlesOnly = near, true
			clear(r.bounds)
			clear(r.byEra)
			clear(r.byDay)
			var amb *gazetteer.AmbiguousError
			for _, vs := range values {
				for j := range vs {
					if v := &vs[j]; errors.As(v.err, &amb) {
						v.place, v.err = r.resolve(v.name, v.a.Date)
					}
				}
			}
		}
	}
	for k, t := range taxonomies {
		t.addPlaceValues(values[k], &ix.Warnings, errs)
	}
	return nil
}

// mostNamed returns the ids of the provincial units (as they were on the
// articles' dates) that the most resolved values lie in: a site's own
// area, when site.toml does not name it.
func mostNamed(g *gazetteer.Gazetteer, values [][]placeValue) []string {
	counts := map[*gazetteer.Place]int{}
	top := 0
	for _, vs := range values {
		for _, v := range vs {
			if v.place != nil {
				p := g.Province(v.place, time.Time{})
				counts[p]++
				top = max(top, counts[p])
			}
		}
	}
	var out []string
	for p, n := range counts {
		if n == top {
			out = append(out, p.ID)
		}
	}
	slices.Sort(out)
	return out
}

// addPlaceValues files a place-valued taxonomy's values. Places come
// first, so that a name the gazetteer does not know that would take a
// place's URL is the one reported.
func (t *Taxonomy) addPlaceValues(values []placeValue, warnings, errs *diag.List) {
	// One name's problem is one error value, whose message is made once.
	problems := map[error]error{}
	within := map[*gazetteer.Place][]*Term{}
	// The URL each spelling had as a name of its own, by spelling.
	slugs := map[string]string{}
	oldSlugs := map[string]map[*Term]int{}
	for _, v := range values {
		if v.place == nil {
			continue
		}
		term := t.placeTerm(v.place, v.a, v.i)
		t.resolved[placeKey{v.name, content.DayOf(v.a.Date)}] = term
		term.addArticle(v.a)
		ups, ok := within[v.place]
		if !ok {
			for _, c := range t.places.Containers(v.place) {
				ups = append(ups, t.placeTerm(c, v.a, v.i))
			}
			within[v.place], term.within = ups, ups
		}
		for _, up := range ups {
			up.addArticle(v.a)
		}
		old, ok := slugs[v.name]
		if !ok {
			old = vi.Slug(v.name)
			slugs[v.name] = old
		}
		if old != "" && old != term.Slug {
			if oldSlugs[old] == nil {
				oldSlugs[old] = map[*Term]int{}
			}
			oldSlugs[old][term]++
		}
	}
	for _, v := range values {
		if v.place != nil {
			continue
		}
		problem, ok := problems[v.err]
		if !ok {
			problem = errors.New(PlaceProblem(t.places, string(t.Kind), v.name, v.err, true))
			problems[v.err] = problem
		}
		warnings.Add(v.a.TermPos(&t.Config, v.i), problem)
		if term := t.add(v.a, v.name, nil, v.i, errs); term != nil {
			t.resolved[placeKey{v.name, content.DayOf(v.a.Date)}] = term
		}
	}
	t.namePlaces()
	for old, targets := range oldSlugs {
		if t.bySlug[old] != nil {
			continue // a page of its own now
		}
		var best *Term
		for term, n := range targets {
			if best == nil || n > targets[best] || n == targets[best] && term.Slug < best.Slug {
				best = term
			}
		}
		t.Redirects = append(t.Redirects, Redirect{Path: t.Path + old + "/", To: best})
	}
	slices.SortFunc(t.Redirects, func(a, b Redirect) int { return cmp.Compare(a.Path, b.Path) })
}

// placeTerm returns the term of place p, made for article a's value i if
// it is new.
func (t *Taxonomy) placeTerm(p *gazetteer.Place, a *content.Article, i int) *Term {
	if term := t.bySlug[p.ID]; term != nil {
		return term
	}
	term := &Term{Kind: t.Kind, Name: p.Name, Slug: p.ID, Path: t.Path + p.ID + "/", Place: p, origin: a, originValue: i}
	t.bySlug[p.ID] = term
	t.Terms = append(t.Terms, term)
	return term
}

func (term *Term) addArticle(a *content.Article) {
	if n := len(term.Articles); n == 0 || term.Articles[n-1] != a {
		term.Articles = append(term.Articles, a)
	}
}

// namePlaces gives places that share a name with another term of the
// taxonomy a longer one: the kind ("thành phố Ngã Bảy", "phường Ngã
// Bảy"), then the province, then the id. Every term then has a name of its
// own, as search filters and lookups by name need.
func (t *Taxonomy) namePlaces() {
	longer := []func(p *gazetteer.Place) string{
		func(p *gazetteer.Place) string { return p.FullName() },
		func(p *gazetteer.Place) string {
			if top := t.places.Province(p, time.Time{}); top != p {
				return p.FullName() + " (" + top.Name + ")"
			}
			return p.FullName()
		},
		func(p *gazetteer.Place) string { return p.FullName() + " (" + p.ID + ")" },
	}
	for _, name := range longer {
		count := make(map[string]int, len(t.Terms))
		for _, term := range t.Terms {
			count[term.Name]++
		}
		clash := false
		for _, term := range t.Terms {
			if term.Place != nil && count[term.Name] > 1 {
				term.Name, clash = name(term.Place), true
			}
		}
		if !clash {
			break
		}
	}
	for _, term := range t.Terms {
		if term.Place != nil {
			t.byName[term.Name] = term
		}
	}
}

// PlaceProblem says why name, a value of the taxonomy what, is no place,
// and what to do about it. With builds set, it says the value builds
// anyway, as a page of its own. bantin new says it as the build would.
func PlaceProblem(g *gazetteer.Gazetteer, what, name string, err error, builds bool) string {
	var unknown *gazetteer.UnknownError
	var amb *gazetteer.AmbiguousError
	var b strings.Builder
	switch {
	case errors.As(err, &unknown):
		fmt.Fprintf(&b, "unknown %s %q", what, name)
		if len(unknown.Suggestions) > 0 {
			b.WriteString("; did you mean ")
			for i, s := range unknown.Suggestions {
				if i > 0 {
					b.WriteString(" or ")
				}
				fmt.Fprintf(&b, "%q", s)
			}
			b.WriteString("?")
		}
		if builds {
			// After a question, a new sentence; else one more clause.
			if len(unknown.Suggestions) > 0 {
				b.WriteString(" It")
			} else {
				b.WriteString("; it")
			}
			fmt.Fprintf(&b, " gets a page of its own; if it is a real place, add it to %s", gazetteer.SiteFile)
		}
	case errors.As(err, &amb):
		fmt.Fprintf(&b, "%s %q may be ", what, name)
		kinds := map[gazetteer.Kind]bool{}
		for i, p := range amb.Candidates {
			if i > 0 {
				b.WriteString(" or ")
			}
			b.WriteString(p.FullName())
			if parent := g.Place(p.Parent); parent != nil {
				fmt.Fprintf(&b, " (%s; id %s)", parent.Name, p.ID)
			} else {
				fmt.Fprintf(&b, " (id %s)", p.ID)
			}
			kinds[p.Kind] = true
		}
		first := amb.Candidates[0]
		if len(kinds) == len(amb.Candidates) {
			fmt.Fprintf(&b, "; write the kind, as in %q, or the id", first.FullName())
		} else {
			fmt.Fprintf(&b, "; write the id, such as %q", first.ID)
		}
		if builds {
			fmt.Fprintf(&b, ", or settle it for the whole site in %s: [%s] aliases = [%q]. Until then it gets a page of its own", gazetteer.SiteFile, first.ID, name)
		}
	default:
		fmt.Fprintf(&b, "%s %q: %v", what, name, err)
	}
	return b.String()
}

// Up returns the terms above term on the day of at, nearest first: its
// place's parents, then what the top one was merged into, and so on (see
// gazetteer.Gazetteer.Ancestors). A term that is no place has none.
func (t *Taxonomy) Up(term *Term, at time.Time) []Step {
	if t == nil || t.places == nil || term.Place == nil {
		return nil
	}
	var out []Step
	for _, s := range t.places.Ancestors(term.Place, at) {
		if up := t.termOf(s.Place); up != nil {
			out = append(out, Step{Term: up, Since: s.Since})
		}
	}
	return out
}

// Children returns the terms of the places directly inside term's place
// (its children, and the units merged into it) that have articles, in
// alphabetical order.
func (t *Taxonomy) Children(term *Term) []*Term {
	if t == nil || t.places == nil || term.Place == nil {
		return nil
	}
	var out []*Term
	for _, c := range t.places.Children(term.Place) {
		if child := t.termOf(c); child != nil {
			out = append(out, child)
		}
	}
	return out
}

// Province returns the term of the provincial-level unit term's place
// belongs to on the day of at (after a merger, the unit it went into), or
// nil for a term that is no place.
func (t *Taxonomy) Province(term *Term, at time.Time) *Term {
	if t == nil || t.places == nil || term.Place == nil {
		return nil
	}
	return t.termOf(t.places.Province(term.Place, at))
}

// Places returns the gazetteer a place-valued taxonomy resolves its values
// with, or nil for another taxonomy.
func (t *Taxonomy) Places() *gazetteer.Gazetteer {
	if t == nil {
		return nil
	}
	return t.places
}

// termOf returns the term of place p, or nil when it has none.
func (t *Taxonomy) termOf(p *gazetteer.Place) *Term {
	if term := t.bySlug[p.ID]; term != nil && term.Place == p {
		return term
	}
	return nil
}

// AppendTermsWithin appends article a's terms in the taxonomy and, for a
// place-valued one, the terms of every place they lie in, each once: a
// bulletin of Ngã Bảy is also one of Hậu Giang and of Cần Thơ.
func (t *Taxonomy) AppendTermsWithin(dst []*Term, a *content.Article) []*Term {
	start := len(dst)
	dst = t.AppendTermsOf(dst, a)
	if t == nil || t.places == nil {
		return dst
	}
	for _, term := range dst[start:] {
		for _, up := range term.within {
			if !slices.Contains(dst[start:], up) {
				dst = append(dst, up)
			}
		}
	}
	return dst
}
