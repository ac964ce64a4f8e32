// Package gazetteer knows Vietnam's administrative map: the provinces
// before and after the 2025 merger, district-level cities and towns, and
// the communes bulletins name. It resolves the ways people write a place
// ("TP Cần Thơ", "tp can tho", "thành phố Cần Thơ") to one canonical
// entry, walks the hierarchy through mergers (Ngã Bảy › Hậu Giang › Cần Thơ
// from 1 July 2025), finds place names in free text and suggests
// corrections for near misses.
//
// The data is a TOML file embedded in the binary (data/vietnam.toml); a
// site adds or overrides entries with its own file of the same format.
// A Gazetteer is immutable and safe for concurrent use.
package gazetteer

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// Kind is the kind of an administrative unit, as Vietnamese writes it.
type Kind string

// The kinds of units. Area is for a site's own areas that are no
// administrative unit (an agency's region, a zone).
const (
	Province      Kind = "tỉnh"
	CentralCity   Kind = "thành phố trực thuộc trung ương"
	City          Kind = "thành phố"
	Town          Kind = "thị xã"
	UrbanDistrict Kind = "quận"
	District      Kind = "huyện"
	Commune       Kind = "xã"
	Ward          Kind = "phường"
	SpecialZone   Kind = "đặc khu"
	Area          Kind = "khu vực"
)

var allKinds = []Kind{Province, CentralCity, City, Town, UrbanDistrict, District, Commune, Ward, SpecialZone, Area}

// Level returns 1 for provincial-level kinds, 2 for district-level, 3 for
// commune-level, 4 for Area and 0 for an unknown kind.
func (k Kind) Level() int {
	switch k {
	case Province, CentralCity:
		return 1
	case City, Town, UrbanDistrict, District:
		return 2
	case Commune, Ward, SpecialZone:
		return 3
	case Area:
		return 4
	}
	return 0
}

// Place is one administrative unit. Places belong to their Gazetteer and
// must not be modified.
type Place struct {
	// ID is stable and slug-like ("can-tho", "thi-xa-long-my"): the
	// region's URL segment.
	ID string
	// Name is the canonical name as a page title shows it: "Cần Thơ",
	// "Ngã Bảy", "TP Hồ Chí Minh".
	Name string
	Kind Kind
	// Parent is the id of the unit it lies in, "" for provincial units.
	Parent string
	// ValidFrom and ValidTo are the first and last day of its existence
	// as "YYYY-MM-DD", or "" when it is older than the data or still
	// exists.
	ValidFrom, ValidTo string
	// Successors are the ids of the units it was merged into, the day
	// after ValidTo.
	Successors []string
	// Aliases are the other names written in the data, beyond those
	// derived by rule (kind words, no diacritics, tone placement).
	Aliases []string
	// NeedsKind reports that free text must write the kind word with the
	// bare name ("TP Hồ Chí Minh", not "Hồ Chí Minh"), which also means
	// something else. Lookup and Resolve do not care.
	NeedsKind bool
	// Pos is where the entry is declared (last overridden).
	Pos diag.Pos

	rank       int    // place in Vietnamese alphabetical order among all places
	kindInName bool   // Name starts with a kind word
	parentName string // for messages
}

// ValidAt reports whether the place existed on the day of t (in t's
// location).
func (p *Place) ValidAt(t time.Time) bool {
	return p.validOn(t.Format(dayFormat))
}

func (p *Place) validOn(day string) bool {
	return (p.ValidFrom == "" || p.ValidFrom <= day) && (p.ValidTo == "" || day <= p.ValidTo)
}

// FullName returns the name with its kind word: "tỉnh Hậu Giang",
// "thành phố Cần Thơ", "thị xã Long Mỹ"; a name that starts with a kind
// word already ("TP Hồ Chí Minh") is returned as it is.
func (p *Place) FullName() string {
	kw := kindWordFor(p.Kind)
	if kw == "" || p.kindInName {
		return p.Name
	}
	return kw + " " + p.Name
}

// Gazetteer is a set of places with indexes over their names.
type Gazetteer struct {
	specs    []*spec // the merged declarations, kept for WithOverrides
	places   []*Place
	byID     map[string]*Place
	names    map[string][]*ref // folded bare name -> its spellings
	trie     *trieNode
	children map[string][]*Place // parent id -> places inside it
	preds    map[string][]*Place // id -> places merged into it
	kinds    []kindWord
	// kindsByFirst indexes kinds by their first folded word, for Find.
	kindsByFirst map[string][]kindWord
}

// ref is one spelling of a place's name, without kind word.
type ref struct {
	place    *Place
	words    []word
	explicit bool // a hand-written alias, not the canonical name
	kinds    []Kind
}

//go:embed data/vietnam.toml
var builtinData []byte

// builtinFile names the embedded data in positions.
const builtinFile = "internal/gazetteer/data/vietnam.toml"

// builtin parses the embedded data once; the result is never modified.
var builtin = sync.OnceValue(func() *Gazetteer {
	specs, err := parseSpecs(builtinData, builtinFile)
	if err != nil {
		panic(fmt.Sprintf("gazetteer: built-in data: %v", err))
	}
	g, err := build(specs)
	if err != nil {
		panic(fmt.Sprintf("gazetteer: built-in data: %v", err))
	}
	return g
})

// Default returns the gazetteer of the built-in data. It panics if the
// embedded data is invalid, which the package's tests rule out.
func Default() *Gazetteer { return builtin() }

// WithOverrides returns a new gazetteer with the entries of a site's
// regions file added: an entry with a known id replaces the keys it gives
// (its aliases add to the known ones); a new id adds a place. Problems
// are reported at file:line:col, all at once. g is not modified.
func (g *Gazetteer) WithOverrides(src []byte, file string) (*Gazetteer, error) {
	over, err := parseSpecs(src, file)
	if over == nil && err != nil {
		return nil, err
	}
	// Report the problems of every entry together, those of single keys
	// and those of the merged whole.
	merged, verr := build(merge(g.specs, over))
	var errs diag.List
	errs.Append(err)
	errs.Append(verr)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return merged, nil
}

func build(specs []*spec) (*Gazetteer, error) {
	places, err := validate(specs)
	if err != nil {
		return nil, err
	}
	g := &Gazetteer{
		specs:    specs,
		places:   places,
		byID:     make(map[string]*Place, len(places)),
		names:    map[string][]*ref{},
		trie:     &trieNode{},
		children: map[string][]*Place{},
		preds:    map[string][]*Place{},
		kinds:    kindWords(),
	}
	g.kindsByFirst = map[string][]kindWord{}
	for _, kw := range g.kinds {
		first := kw.words[0].fold
		g.kindsByFirst[first] = append(g.kindsByFirst[first], kw)
	}
	for _, p := range places {
		g.byID[p.ID] = p
		words := wordsOf(p.Name)
		_, bare := stripKind(g.kinds, words)
		p.kindInName = len(bare) < len(words)
	}
	for _, p := range places {
		if par := g.byID[p.Parent]; par != nil {
			p.parentName = par.Name
		}
	}
	g.rankPlaces()
	for _, p := range places {
		if p.Parent != "" {
			g.children[p.Parent] = append(g.children[p.Parent], p)
		}
		for _, s := range p.Successors {
			g.preds[s] = append(g.preds[s], p)
		}
		g.addName(p, p.Name, false)
		for _, a := range p.Aliases {
			g.addName(p, a, true)
		}
	}
	for _, m := range []map[string][]*Place{g.children, g.preds} {
		for _, list := range m {
			slices.SortFunc(list, byRank)
		}
	}
	return g, nil
}

func byRank(a, b *Place) int { return a.rank - b.rank }

// rankPlaces orders all places once: by name in Vietnamese alphabetical
// order (kind word left out), then level, then id. Sorting by rank later
// needs no collator, which is not safe for concurrent use.
func (g *Gazetteer) rankPlaces() {
	sorted := slices.Clone(g.places)
	keys := make(map[*Place]string, len(sorted))
	for _, p := range sorted {
		keys[p] = g.sortName(p.Name)
	}
	c := vi.NewCollator()
	slices.SortStableFunc(sorted, func(a, b *Place) int {
		if d := c.Compare(keys[a], keys[b]); d != 0 {
			return d
		}
		if d := a.Kind.Level() - b.Kind.Level(); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	for i, p := range sorted {
		p.rank = i
	}
}

// sortName is name without a leading kind word: "TP Hồ Chí Minh" sorts
// under H.
func (g *Gazetteer) sortName(name string) string {
	var spans []span
	scanWords(name, func(sp span) { spans = append(spans, sp) })
	words := wordsOf(name)
	if len(words) != len(spans) {
		return name
	}
	_, rest := stripKind(g.kinds, words)
	if len(rest) == len(words) {
		return name
	}
	return name[spans[len(words)-len(rest)].start:]
}

// addName indexes one spelling of p. A kind word it starts with ("TP Hồ
// Chí Minh") is taken off, so that any kind word can stand before it.
func (g *Gazetteer) addName(p *Place, name string, explicit bool) {
	words := wordsOf(name)
	kinds, bare := stripKind(g.kinds, words)
	r := &ref{place: p, words: bare, explicit: explicit, kinds: kinds}
	key := foldKey(bare)
	for _, old := range g.names[key] {
		if old.place == p && slices.EqualFunc(old.words, bare, func(a, b word) bool { return a.exact == b.exact }) {
			old.explicit = old.explicit || explicit
			return
		}
	}
	g.names[key] = append(g.names[key], r)
	g.trie.add(bare, r)
}

// Place returns the place with the given id, or nil.
func (g *Gazetteer) Place(id string) *Place { return g.byID[id] }

// Places returns every place, in Vietnamese alphabetical order.
func (g *Gazetteer) Places() []*Place {
	out := slices.Clone(g.places)
	slices.SortFunc(out, byRank)
	return out
}

// match is a place a name names, and whether through a hand-written alias.
type match struct {
	place    *Place
	explicit bool
}

// Lookup returns every place the name can mean, ignoring case, a leading
// kind word ("tỉnh", "TP", "TP.", "thành phố", "thị xã", "TX", "huyện",
// "H.", "quận", "Q.", "phường", "P.", "xã", "đặc khu"), punctuation
// between words and the tone placement (Hòa/Hoà). A name written without
// diacritics matches with any; one written with diacritics must have them
// right ("Hâu Giang" matches nothing). A kind word narrows the result to
// places of that kind when there are any. An id matches its place.
// The result is ordered by level (provinces first), then name.
func (g *Gazetteer) Lookup(name string) []*Place {
	ms := g.lookup(name)
	out := make([]*Place, len(ms))
	for i, m := range ms {
		out[i] = m.place
	}
	return out
}

func (g *Gazetteer) lookup(name string) []match {
	var out []match
	if p := g.byID[strings.TrimSpace(name)]; p != nil {
		out = append(out, match{place: p, explicit: true})
	}
	words := wordsOf(name)
	if len(words) == 0 {
		return out
	}
	add := func(refs []*ref) {
		for _, r := range refs {
			i := slices.IndexFunc(out, func(m match) bool { return m.place == r.place })
			if i < 0 {
				out = append(out, match{place: r.place, explicit: r.explicit})
			} else {
				out[i].explicit = out[i].explicit || r.explicit
			}
		}
	}
	add(g.refsFor(words))
	if kinds, bare := stripKind(g.kinds, words); len(bare) < len(words) {
		add(filterKinds(g.refsFor(bare), kinds))
	}
	slices.SortFunc(out, func(a, b match) int {
		if d := a.place.Kind.Level() - b.place.Kind.Level(); d != 0 {
			return d
		}
		return byRank(a.place, b.place)
	})
	return out
}

// refsFor returns the spellings whose words match words exactly.
func (g *Gazetteer) refsFor(words []word) []*ref {
	var out []*ref
	for _, r := range g.names[foldKey(words)] {
		if wordsMatch(r.words, words) {
			out = append(out, r)
		}
	}
	return out
}

func wordsMatch(want, written []word) bool {
	if len(want) != len(written) {
		return false
	}
	for i := range want {
		if !want[i].matches(written[i]) {
			return false
		}
	}
	return true
}

// filterKinds keeps the spellings of places of the given kinds, or all of
// them when none is of those kinds: "tỉnh Cần Thơ" still means Cần Thơ.
func filterKinds(refs []*ref, kinds []Kind) []*ref {
	var out []*ref
	for _, r := range refs {
		if slices.Contains(kinds, r.place.Kind) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return refs
	}
	return out
}

// UnknownError reports a name that names no place.
type UnknownError struct {
	Name string
	// Suggestions are near misses, best first.
	Suggestions []string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("unknown region %q", e.Name)
	if len(e.Suggestions) > 0 {
		quoted := make([]string, len(e.Suggestions))
		for i, s := range e.Suggestions {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		msg += "; did you mean " + strings.Join(quoted, " or ") + "?"
	}
	return msg
}

// AmbiguousError reports a name that names several places equally well.
type AmbiguousError struct {
	Name       string
	Candidates []*Place
}

func (e *AmbiguousError) Error() string {
	parts := make([]string, len(e.Candidates))
	for i, p := range e.Candidates {
		parts[i] = fmt.Sprintf("%s (id %s)", p.FullName(), p.ID)
		if p.parentName != "" {
			parts[i] = fmt.Sprintf("%s (%s; id %s)", p.FullName(), p.parentName, p.ID)
		}
	}
	kinds := map[Kind]bool{}
	for _, p := range e.Candidates {
		kinds[p.Kind] = true
	}
	if len(kinds) == len(e.Candidates) {
		return fmt.Sprintf("region %q may be %s; write the kind, as in %q, or the id",
			e.Name, strings.Join(parts, " or "), e.Candidates[0].FullName())
	}
	return fmt.Sprintf("region %q may be %s; write the id, or list the name as an alias of the right one in the site's regions file",
		e.Name, strings.Join(parts, " or "))
}

// Resolve returns the one place name means on the day of at. Of the
// places Lookup finds it prefers, in turn: those that existed that day
// (else those nearest in time; a zero at skips this), those named by a
// hand-written alias, and the highest level (the province over its
// namesake city). It returns an *UnknownError or an *AmbiguousError when
// no single place remains.
func (g *Gazetteer) Resolve(name string, at time.Time) (*Place, error) {
	return g.ResolveNear(name, at)
}

// ResolveNear is Resolve that also prefers, before the level, places
// inside one of the places with the ids near (a site's own province), or
// inside what such a place was merged into by the day of at, so that a
// Cần Thơ site's "Châu Thành" is Cần Thơ's.
func (g *Gazetteer) ResolveNear(name string, at time.Time, near ...string) (*Place, error) {
	ms := g.lookup(name)
	if len(ms) == 0 {
		return nil, &UnknownError{Name: name, Suggestions: g.Suggest(name, 3)}
	}
	if !at.IsZero() {
		ms = nearestInTime(ms, at.Format(dayFormat))
	}
	ms = preferred(ms, func(m match) bool { return m.explicit })
	if len(near) > 0 {
		scopes := g.scopes(near, at)
		ms = preferred(ms, func(m match) bool {
			return slices.ContainsFunc(scopes, func(id string) bool { return g.inside(m.place, id) })
		})
	}
	top := ms[0].place.Kind.Level() // lookup sorts by level
	ms = preferred(ms, func(m match) bool { return m.place.Kind.Level() == top })
	if len(ms) == 1 {
		return ms[0].place, nil
	}
	cands := make([]*Place, len(ms))
	for i, m := range ms {
		cands[i] = m.place
	}
	return nil, &AmbiguousError{Name: name, Candidates: cands}
}

// preferred keeps the matches for which keep is true, if any.
func preferred(ms []match, keep func(match) bool) []match {
	var out []match
	for _, m := range ms {
		if keep(m) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return ms
	}
	return out
}

// nearestInTime keeps the matches valid on day or, when none is, those
// whose existence ended or began closest to it.
func nearestInTime(ms []match, day string) []match {
	d, _ := time.Parse(dayFormat, day)
	best := -1
	var out []match
	for _, m := range ms {
		gap := 0
		if from := m.place.ValidFrom; from != "" && day < from {
			f, _ := time.Parse(dayFormat, from)
			gap = int(f.Sub(d).Hours() / 24)
		} else if to := m.place.ValidTo; to != "" && day > to {
			t, _ := time.Parse(dayFormat, to)
			gap = int(d.Sub(t).Hours() / 24)
		}
		switch {
		case best < 0 || gap < best:
			best, out = gap, []match{m}
		case gap == best:
			out = append(out, m)
		}
	}
	return out
}

// scopes returns the ids near and, for a date after a unit of near was
// merged, the unit it went into: a Hậu Giang site's 2026 bulletins are
// about Cần Thơ.
func (g *Gazetteer) scopes(near []string, at time.Time) []string {
	out := slices.Clone(near)
	if at.IsZero() {
		return out
	}
	day := at.Format(dayFormat)
	for _, id := range near {
		p := g.byID[id]
		for seen := 0; p != nil && !p.validOn(day) && len(p.Successors) == 1 && seen < len(g.places); seen++ {
			p = g.byID[p.Successors[0]]
			if p != nil {
				out = append(out, p.ID)
			}
		}
	}
	return out
}

// inside reports whether p is the place with the given id or lies in it,
// through parents and successors.
func (g *Gazetteer) inside(p *Place, id string) bool {
	seen := map[*Place]bool{}
	queue := []*Place{p}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == nil || seen[cur] {
			continue
		}
		if cur.ID == id {
			return true
		}
		seen[cur] = true
		queue = append(queue, g.byID[cur.Parent])
		for _, s := range cur.Successors {
			queue = append(queue, g.byID[s])
		}
	}
	return false
}

// Step is one place of a breadcrumb above another.
type Step struct {
	Place *Place
	// Since is the day the previous step was merged into Place, as
	// "YYYY-MM-DD"; it is "" when Place is the previous step's parent.
	Since string
	// Later reports that Since comes after the day Ancestors was asked
	// about: the breadcrumb of a 2023 bulletin shows "Cần Thơ (từ
	// 01/07/2025)".
	Later bool
}

// Ancestors returns the places above p, nearest first: its parents, then,
// from the top one, the unit it was merged into and that unit's parents,
// and so on. For the city of Ngã Bảy it is Hậu Giang, then Cần Thơ since
// 2025-07-01. A unit split among several successors ends the chain.
func (g *Gazetteer) Ancestors(p *Place, at time.Time) []Step {
	day := at.Format(dayFormat)
	var out []Step
	seen := map[*Place]bool{p: true}
	for cur := p; ; {
		var next Step
		if par := g.byID[cur.Parent]; par != nil {
			next = Step{Place: par}
		} else if len(cur.Successors) == 1 && cur.ValidTo != "" {
			since := dayAfter(cur.ValidTo)
			next = Step{Place: g.byID[cur.Successors[0]], Since: since, Later: since > day}
		}
		if next.Place == nil || seen[next.Place] {
			return out
		}
		seen[next.Place] = true
		out = append(out, next)
		cur = next.Place
	}
}

func dayAfter(day string) string {
	d, err := time.Parse(dayFormat, day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, 1).Format(dayFormat)
}

// Province returns the provincial-level unit p belongs to on the day of
// at: the top of its parents, followed to what it was merged into when
// that day is after the merger. A zero at gives the unit p belonged to
// when it existed. It returns p's topmost ancestor when none is
// provincial (a site's own Area).
func (g *Gazetteer) Province(p *Place, at time.Time) *Place {
	top := p
	seen := map[*Place]bool{p: true}
	for par := g.byID[top.Parent]; par != nil && !seen[par]; par = g.byID[top.Parent] {
		seen[par] = true
		top = par
	}
	if at.IsZero() {
		return top
	}
	day := at.Format(dayFormat)
	for !top.validOn(day) && len(top.Successors) == 1 && top.ValidTo != "" && top.ValidTo < day {
		next := g.byID[top.Successors[0]]
		if next == nil || seen[next] {
			break
		}
		seen[next] = true
		top = next
	}
	return top
}

// Children returns the places directly inside p: those whose parent it is
// and those merged into it, in alphabetical order.
func (g *Gazetteer) Children(p *Place) []*Place {
	out := append(slices.Clone(g.children[p.ID]), g.preds[p.ID]...)
	slices.SortFunc(out, byRank)
	return slices.CompactFunc(out, func(a, b *Place) bool { return a == b })
}

// Descendants returns everything inside p, at any depth and at any time:
// its children, the units merged into it and their children. For Cần Thơ
// that includes Hậu Giang and the city of Ngã Bảy. Nearer places come
// first; each generation is in alphabetical order.
func (g *Gazetteer) Descendants(p *Place) []*Place {
	seen := map[*Place]bool{p: true}
	var out []*Place
	level := []*Place{p}
	for len(level) > 0 {
		var next []*Place
		for _, cur := range level {
			for _, c := range g.Children(cur) {
				if !seen[c] {
					seen[c] = true
					next = append(next, c)
				}
			}
		}
		slices.SortFunc(next, byRank)
		out = append(out, next...)
		level = next
	}
	return out
}

// Provinces returns the provincial-level units that existed on the day of
// at, in Vietnamese alphabetical order ("TP Hồ Chí Minh" under H).
func (g *Gazetteer) Provinces(at time.Time) []*Place {
	day := at.Format(dayFormat)
	var out []*Place
	for _, p := range g.places {
		if p.Kind.Level() == 1 && p.validOn(day) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, byRank)
	return out
}

// Containers returns every place p lies in at any time: its parents, the
// units it was merged into, and theirs, nearest first. It is the inverse
// of Descendants: q is among p's Containers exactly when p is among q's
// Descendants. For the city of Ngã Bảy it is Hậu Giang, then Cần Thơ.
func (g *Gazetteer) Containers(p *Place) []*Place {
	seen := map[*Place]bool{p: true}
	var out []*Place
	level := []*Place{p}
	for len(level) > 0 {
		var next []*Place
		for _, cur := range level {
			ups := make([]*Place, 0, 1+len(cur.Successors))
			ups = append(ups, g.byID[cur.Parent])
			for _, s := range cur.Successors {
				ups = append(ups, g.byID[s])
			}
			for _, u := range ups {
				if u != nil && !seen[u] {
					seen[u] = true
					next = append(next, u)
				}
			}
		}
		slices.SortFunc(next, byRank)
		out = append(out, next...)
		level = next
	}
	return out
}
