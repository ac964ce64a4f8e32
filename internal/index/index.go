// Package index groups articles into the site's term indexes, one per
// taxonomy of the configuration (the built-in region, topic, slogan,
// campaign period and year, and those site.toml declares), sorts them for
// Vietnamese readers, and works out related articles, ongoing campaigns and
// pagination.
package index

import (
	"cmp"
	"slices"
	"strconv"
	"sync"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/vi"
)

// Kind names a taxonomy: its key in site.toml (config.Taxonomy.Key).
type Kind string

// The built-in taxonomies' kinds.
const (
	Region Kind = config.Region
	Topic  Kind = config.Topic
	Slogan Kind = config.Slogan
	Period Kind = config.Period
	Year   Kind = config.Year
)

// Taxonomy is one index: every term of a taxonomy, sorted for display.
type Taxonomy struct {
	Kind Kind
	// Config is the taxonomy's declaration.
	Config config.Taxonomy
	Path   string // site path of the index page, "khu-vuc/"
	Terms  []*Term
	// Redirects are the old URLs of a place-valued taxonomy's terms: where
	// a spelling of a place had its own page before it resolved to the
	// place ("TP Cần Thơ" at tp-can-tho), each leading to the place's term.
	Redirects []Redirect
	bySlug    map[string]*Term
	byName    map[string]*Term // every spelling met, so lookups need no slugging
	// places resolves the values of a place-valued taxonomy; nil for the
	// others. resolved holds its values' terms by spelling and day.
	places   *gazetteer.Gazetteer
	resolved map[placeKey]*Term
}

// Term is one value of a taxonomy and the articles that carry it.
type Term struct {
	Kind     Kind
	Name     string
	Slug     string
	Path     string             // site path, "khu-vuc/hau-giang/"
	Articles []*content.Article // newest first
	// Period is set for period terms.
	Period *content.Period
	// Place is the place of a place-valued taxonomy's term, nil for a name
	// the gazetteer does not know (and for other taxonomies). The term
	// lists the articles of the place and of every place inside it.
	Place *gazetteer.Place
	// origin is the article that first named the term, and which of its
	// values it was, for collision messages.
	origin      *content.Article
	originValue int
	// within are the terms of the places Place lies in.
	within []*Term
}

// Index is the result of indexing a site's articles.
type Index struct {
	Articles   []*content.Article // newest first
	Taxonomies []*Taxonomy        // as the site's configuration lists them
	// Warnings are problems that do not stop the build: place names the
	// gazetteer does not know, or cannot tell apart, sorted.
	Warnings diag.List
	order    map[*content.Article]int
}

// Taxonomy returns the taxonomy of kind, or nil when the site has none.
func (ix *Index) Taxonomy(kind Kind) *Taxonomy {
	for _, t := range ix.Taxonomies {
		if t.Kind == kind {
			return t
		}
	}
	return nil
}

// Term returns the term of kind with the given display name, or nil.
func (ix *Index) Term(kind Kind, name string) *Term {
	return ix.Taxonomy(kind).Lookup(name)
}

// Lookup returns the term with the given display name, or nil. A nil
// taxonomy has no terms.
func (t *Taxonomy) Lookup(name string) *Term {
	if t == nil {
		return nil
	}
	if term, ok := t.byName[name]; ok {
		return term
	}
	return t.bySlug[t.slug(name, nil)]
}

// TermsOf returns the terms article a has in the taxonomy, in the order
// the article gives them.
func (t *Taxonomy) TermsOf(a *content.Article) []*Term { return t.AppendTermsOf(nil, a) }

// AppendTermsOf appends the terms article a has in the taxonomy to dst: with
// a buffer on the stack, it allocates nothing.
func (t *Taxonomy) AppendTermsOf(dst []*Term, a *content.Article) []*Term {
	if t == nil {
		return dst
	}
	switch t.Config.Values {
	case config.PlaceValues:
		var buf [8]string
		day := content.DayOf(a.Date)
		for _, v := range a.AppendTerms(buf[:0], &t.Config) {
			if term := t.resolved[placeKey{v, day}]; term != nil {
				dst = append(dst, term)
			}
		}
		return dst
	case config.PeriodValues:
		if a.Period != nil {
			if term := t.bySlug[a.Period.Slug()]; term != nil {
				dst = append(dst, term)
			}
		}
		return dst
	case config.YearValues:
		if term := t.bySlug[strconv.Itoa(a.Date.Year())]; term != nil {
			dst = append(dst, term)
		}
		return dst
	}
	var buf [8]string
	for _, v := range a.AppendTerms(buf[:0], &t.Config) {
		if term := t.Lookup(v); term != nil {
			dst = append(dst, term)
		}
	}
	return dst
}

// PeriodTerm returns the term of a period, or nil.
func (ix *Index) PeriodTerm(p *content.Period) *Term {
	t := ix.Taxonomy(Period)
	if p == nil || t == nil {
		return nil
	}
	return t.bySlug[p.Slug()]
}

// YearTerm returns the term of an article's year, or nil when the site
// has no year index.
func (ix *Index) YearTerm(a *content.Article) *Term {
	t := ix.Taxonomy(Year)
	if t == nil {
		return nil
	}
	return t.bySlug[strconv.Itoa(a.Date.Year())]
}

// Position returns the article's place in Articles, newest first.
func (ix *Index) Position(a *content.Article) int { return ix.order[a] }

// slug is the URL segment of a term.
func (t *Taxonomy) slug(name string, period *content.Period) string {
	switch {
	case period != nil:
		return period.Slug()
	case t.Config.Values == config.YearValues:
		return name
	}
	return vi.Slug(name)
}

// Build indexes articles, which must be sorted newest first, by every
// taxonomy of the site; places resolves the values of place-valued ones
// (nil: the built-in gazetteer). Two different names that would share a
// URL are an error naming both files.
func Build(cfg *config.Site, articles []*content.Article, places *gazetteer.Gazetteer) (*Index, error) {
	if places == nil {
		places = gazetteer.Default()
	}
	ix := &Index{Articles: articles, order: make(map[*content.Article]int, len(articles))}
	for i, a := range articles {
		ix.order[a] = i
	}
	for _, c := range cfg.Taxonomies {
		t := &Taxonomy{Kind: Kind(c.Key), Config: c, Path: c.Path + "/", bySlug: map[string]*Term{}, byName: map[string]*Term{}}
		if c.Values == config.PlaceValues {
			t.places, t.resolved = places, map[placeKey]*Term{}
		}
		ix.Taxonomies = append(ix.Taxonomies, t)
	}
	// The taxonomies are independent: the place-valued ones, resolved
	// through the gazetteer, are filed while the others are.
	var errs, placeErrs diag.List
	var placeErr error
	var wg sync.WaitGroup
	wg.Go(func() { placeErr = ix.addPlaces(cfg, places, &placeErrs) })
	for _, t := range ix.Taxonomies {
		if t.places == nil {
			for _, a := range articles {
				t.addArticle(a, &errs)
			}
		}
	}
	wg.Wait()
	if placeErr != nil {
		return nil, placeErr
	}
	errs = append(errs, placeErrs...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, t := range ix.Taxonomies {
		wg.Go(t.sort)
	}
	ix.Warnings = ix.Warnings.Sort()
	wg.Wait()
	return ix, nil
}

// addArticle files a under each of its values: a period's and a year's are
// typed, the others are the article's text values.
func (t *Taxonomy) addArticle(a *content.Article, errs *diag.List) {
	switch t.Config.Values {
	case config.PeriodValues:
		if a.Period != nil {
			t.add(a, a.Period.Label(), a.Period, 0, errs)
		}
	case config.YearValues:
		t.add(a, strconv.Itoa(a.Date.Year()), nil, 0, errs)
	default:
		var buf [8]string
		for i, v := range a.AppendTerms(buf[:0], &t.Config) {
			t.add(a, v, nil, i, errs)
		}
	}
}

// add files article a under name, its value number value, and returns the
// term, or nil when name clashes with another.
func (t *Taxonomy) add(a *content.Article, name string, period *content.Period, value int, errs *diag.List) *Term {
	if term, ok := t.byName[name]; ok && (period == nil || term.Period != nil) {
		term.addArticle(a)
		return term
	}
	slug := t.slug(name, period)
	term, ok := t.bySlug[slug]
	switch {
	case !ok:
		term = &Term{Kind: t.Kind, Name: name, Slug: slug, Path: t.Path + slug + "/", Period: period, origin: a, originValue: value}
		t.bySlug[slug] = term
		t.Terms = append(t.Terms, term)
	case term.Place != nil:
		errs.Addf(a.TermPos(&t.Config, value), "%s %q is not a place bantin knows, and its URL /%s is that of %s; write %q if you mean that place, else a name of its own", t.Kind, name, term.Path, term.Place.FullName(), term.Place.Name)
		return nil
	case term.Name != name && vi.NewTonePlacement(term.Name) != vi.NewTonePlacement(name):
		// "Hòa" and "Hoà" are one word in two tone styles; anything else
		// that folds to the same slug is a different name and a real clash.
		errs.Addf(a.TermPos(&t.Config, value), "%s %q has the same URL /%s as %q in %s (%s); write the name the same way in both", t.Kind, name, term.Path, term.Name, diag.Name(term.origin.File), term.origin.TermPos(&t.Config, term.originValue))
		return nil
	}
	t.byName[name] = term
	term.addArticle(a)
	return term
}

// sort orders names alphabetically in Vietnamese, and years and periods
// newest first: the latest start first, then the latest end.
func (t *Taxonomy) sort() {
	switch t.Config.Values {
	case config.YearValues:
		slices.SortFunc(t.Terms, func(a, b *Term) int { return cmp.Compare(b.Name, a.Name) })
	case config.PeriodValues:
		slices.SortFunc(t.Terms, func(a, b *Term) int {
			return cmp.Or(cmp.Compare(b.Period.Start.String(), a.Period.Start.String()),
				cmp.Compare(b.Period.End.String(), a.Period.End.String()))
		})
	default:
		coll := vi.NewCollator()
		// A place sorts by its own name, not the kind word that tells it
		// from a namesake: the city and the ward of Ngã Bảy both under N.
		key := func(t *Term) string {
			if t.Place != nil {
				return t.Place.Name
			}
			return t.Name
		}
		slices.SortFunc(t.Terms, func(a, b *Term) int {
			return cmp.Or(coll.Compare(key(a), key(b)), coll.Compare(a.Name, b.Name), cmp.Compare(a.Slug, b.Slug))
		})
	}
}

// Related returns up to n other articles that share a term with a, in any
// taxonomy but the year: those nearest to it in date (the newer of two as
// near), newest first. Nearness, not recency, keeps each article's list
// stable: a new article joins the lists of the few articles of its terms
// published just before it, not of every article that shares a term.
// Every term list is sorted newest first, so the n on each side of a in
// each list are enough.
func (ix *Index) Related(a *content.Article, n int) []*content.Article {
	var buf [16]*Term
	terms := buf[:0]
	for _, t := range ix.Taxonomies {
		if t.Config.Values != config.YearValues {
			terms = t.AppendTermsOf(terms, a)
		}
	}
	pos := ix.order[a]
	type candidate struct {
		article  *content.Article
		distance int64 // from a, in seconds
		pos      int
	}
	var cbuf [64]candidate
	cands := cbuf[:0]
	for _, t := range terms {
		list := t.Articles
		i, _ := slices.BinarySearchFunc(list, pos, func(x *content.Article, p int) int { return cmp.Compare(ix.order[x], p) })
		for k := max(0, i-n); k < min(len(list), i+n+1); k++ {
			if other := list[k]; other != a {
				d := other.Date.Unix() - a.Date.Unix()
				cands = append(cands, candidate{other, max(d, -d), ix.order[other]})
			}
		}
	}
	slices.SortFunc(cands, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(x.distance, y.distance), cmp.Compare(x.pos, y.pos))
	})
	out := make([]*content.Article, 0, n)
	for k, c := range cands {
		if len(out) == n {
			break
		}
		if k == 0 || c.article != cands[k-1].article {
			out = append(out, c.article)
		}
	}
	slices.SortFunc(out, func(x, y *content.Article) int { return cmp.Compare(ix.order[x], ix.order[y]) })
	return out
}

// Campaign is a slogan (possibly none) run over a period.
type Campaign struct {
	Slogan *Term // nil for a period with no slogan
	Period *Term
	Latest *content.Article
}

// Campaigns returns every campaign the articles report, whatever its
// period, the most recently reported first.
func (ix *Index) Campaigns() []Campaign {
	type key struct{ slogan, period string }
	seen := map[key]bool{}
	var out []Campaign
	for _, a := range ix.Articles {
		if a.Period == nil {
			continue
		}
		k := key{a.Slogan, a.Period.Slug()}
		if seen[k] {
			continue
		}
		seen[k] = true
		c := Campaign{Period: ix.PeriodTerm(a.Period), Latest: a}
		if a.Slogan != "" {
			c.Slogan = ix.Term(Slogan, a.Slogan)
		}
		out = append(out, c)
	}
	return out
}

// ListPage is one page of a list sorted newest first: its Number and the
// items it holds, [Lo, Hi) of the list.
type ListPage struct{ Number, Lo, Hi int }

// Paginate splits a list of n items, sorted newest first, into pages that
// stay as they are when newer items arrive. Pages are counted from the
// oldest: page k ≥ 1 holds the list's oldest items k·size−size+1 to k·size.
// The newest full page, with the fewer than size items newer than it, is
// the list's first page, Number 0, at the list's own path; every older full
// page has a page of its own. A new item then changes the first page only,
// until size new items have arrived and the first page's full page moves
// to a page of its own. The first page comes first, then the others from
// the newest; a list of fewer than 2·size items (or none) is one page.
func Paginate(n, size int) []ListPage {
	full := n / size
	if full <= 1 {
		return []ListPage{{Number: 0, Lo: 0, Hi: n}}
	}
	pages := make([]ListPage, 0, full)
	pages = append(pages, ListPage{Number: 0, Lo: 0, Hi: n - (full-1)*size})
	for k := full - 1; k >= 1; k-- {
		hi := n - (k-1)*size
		pages = append(pages, ListPage{Number: k, Lo: hi - size, Hi: hi})
	}
	return pages
}

// PagePath is the site path of page number of a list at base ("khu-vuc/x/"):
// page 0, the list's first page, is the list itself; the others live under
// pageSegment.
func PagePath(base, pageSegment string, number int) string {
	if number <= 0 {
		return base
	}
	return base + pageSegment + "/" + strconv.Itoa(number) + "/"
}
