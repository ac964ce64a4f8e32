// Package index groups articles into the site's term indexes (region, topic,
// slogan, campaign period, year), sorts them for Vietnamese readers, and
// works out related articles, ongoing campaigns and pagination.
package index

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// Kind names a taxonomy.
type Kind string

// The taxonomies of a bulletin site, in navigation order.
const (
	Region Kind = "region"
	Topic  Kind = "topic"
	Slogan Kind = "slogan"
	Period Kind = "period"
	Year   Kind = "year"
)

// Kinds lists every taxonomy in navigation order.
var Kinds = [...]Kind{Region, Topic, Slogan, Period, Year}

// Taxonomy is one index: every term of a kind, sorted for display.
type Taxonomy struct {
	Kind   Kind
	Path   string // site path of the index page, "khu-vuc/"
	Terms  []*Term
	bySlug map[string]*Term
	byName map[string]*Term // every spelling met, so lookups need no slugging
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
	// origin is the article that first named the term, for collision
	// messages.
	origin    *content.Article
	originKey string
}

// Index is the result of indexing a site's articles.
type Index struct {
	Articles   []*content.Article // newest first
	Taxonomies []*Taxonomy
	order      map[*content.Article]int
}

// Taxonomy returns the taxonomy of kind.
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
	t := ix.Taxonomy(kind)
	if t == nil {
		return nil
	}
	if term, ok := t.byName[name]; ok {
		return term
	}
	return t.bySlug[slugOf(kind, name)]
}

// PeriodTerm returns the term of a period, or nil.
func (ix *Index) PeriodTerm(p *content.Period) *Term {
	if p == nil {
		return nil
	}
	return ix.Taxonomy(Period).bySlug[p.Slug()]
}

// YearTerm returns the term of an article's year.
func (ix *Index) YearTerm(a *content.Article) *Term {
	return ix.Taxonomy(Year).bySlug[strconv.Itoa(a.Date.Year())]
}

func slugOf(kind Kind, name string) string {
	if kind == Year {
		return name
	}
	return vi.Slug(name)
}

// Build indexes articles, which must be sorted newest first. Two different
// names that would share a URL are an error naming both files.
func Build(cfg *config.Site, articles []*content.Article) (*Index, error) {
	ix := &Index{Articles: articles, order: make(map[*content.Article]int, len(articles))}
	for i, a := range articles {
		ix.order[a] = i
	}
	paths := map[Kind]string{
		Region: cfg.Paths.Regions, Topic: cfg.Paths.Topics, Slogan: cfg.Paths.Slogans,
		Period: cfg.Paths.Periods, Year: cfg.Paths.Years,
	}
	for _, k := range Kinds {
		ix.Taxonomies = append(ix.Taxonomies, &Taxonomy{Kind: k, Path: paths[k] + "/", bySlug: map[string]*Term{}, byName: map[string]*Term{}})
	}
	var errs diag.List
	for _, a := range articles {
		ix.Taxonomy(Region).add(a, a.Region, "region", nil, &errs)
		for i, t := range a.Topics {
			ix.Taxonomy(Topic).add(a, t, fmt.Sprintf("topics.%d", i), nil, &errs)
		}
		if a.Slogan != "" {
			ix.Taxonomy(Slogan).add(a, a.Slogan, "slogan", nil, &errs)
		}
		if a.Period != nil {
			ix.Taxonomy(Period).add(a, a.Period.Label(), "period", a.Period, &errs)
		}
		ix.Taxonomy(Year).add(a, strconv.Itoa(a.Date.Year()), "date", nil, &errs)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, t := range ix.Taxonomies {
		t.sort()
	}
	return ix, nil
}

func (t *Taxonomy) add(a *content.Article, name, key string, period *content.Period, errs *diag.List) {
	if term, ok := t.byName[name]; ok && (period == nil || term.Period != nil) {
		if n := len(term.Articles); n == 0 || term.Articles[n-1] != a {
			term.Articles = append(term.Articles, a)
		}
		return
	}
	slug := slugOf(t.Kind, name)
	if period != nil {
		slug = period.Slug()
	}
	term, ok := t.bySlug[slug]
	if !ok {
		term = &Term{Kind: t.Kind, Name: name, Slug: slug, Path: t.Path + slug + "/", Period: period, origin: a, originKey: key}
		t.bySlug[slug] = term
		t.Terms = append(t.Terms, term)
	} else if term.Name != name && vi.NewTonePlacement(term.Name) != vi.NewTonePlacement(name) {
		// "Hòa" and "Hoà" are one word in two tone styles; anything else
		// that folds to the same slug is a different name and a real clash.
		errs.Addf(a.FieldPos(key), "%s %q has the same URL /%s as %q in %s (%s); write the name the same way in both", t.Kind, name, term.Path, term.Name, diag.Name(term.origin.File), term.origin.FieldPos(term.originKey))
		return
	}
	t.byName[name] = term
	if n := len(term.Articles); n == 0 || term.Articles[n-1] != a {
		term.Articles = append(term.Articles, a)
	}
}

// sort orders names alphabetically in Vietnamese, and years and periods
// chronologically (which is also their alphabetical order).
func (t *Taxonomy) sort() {
	switch t.Kind {
	case Year:
		slices.SortFunc(t.Terms, func(a, b *Term) int { return cmp.Compare(a.Name, b.Name) })
	case Period:
		slices.SortFunc(t.Terms, func(a, b *Term) int {
			return cmp.Or(cmp.Compare(a.Period.Start.String(), b.Period.Start.String()),
				cmp.Compare(a.Period.End.String(), b.Period.End.String()))
		})
	default:
		coll := vi.NewCollator()
		slices.SortFunc(t.Terms, func(a, b *Term) int {
			return cmp.Or(coll.Compare(a.Name, b.Name), cmp.Compare(a.Slug, b.Slug))
		})
	}
}

// Related returns up to n other articles that share a slogan, period,
// region or topic with a, newest first. Every term list is already newest
// first, so the first n+1 of each list are enough.
func (ix *Index) Related(a *content.Article, n int) []*content.Article {
	var terms []*Term
	terms = append(terms, ix.Term(Region, a.Region))
	for _, t := range a.Topics {
		terms = append(terms, ix.Term(Topic, t))
	}
	if a.Slogan != "" {
		terms = append(terms, ix.Term(Slogan, a.Slogan))
	}
	terms = append(terms, ix.PeriodTerm(a.Period))
	out := make([]*content.Article, 0, len(terms)*(n+1))
	for _, t := range terms {
		if t == nil {
			continue
		}
		for i, other := range t.Articles {
			if i > n {
				break
			}
			if other != a && !slices.Contains(out, other) {
				out = append(out, other)
			}
		}
	}
	slices.SortFunc(out, func(x, y *content.Article) int { return cmp.Compare(ix.order[x], ix.order[y]) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Campaign is a slogan (possibly none) run over a period.
type Campaign struct {
	Slogan *Term // nil for a period with no slogan
	Period *Term
	Latest *content.Article
}

// Ongoing returns the campaigns whose period includes day, the most
// recently reported first.
func (ix *Index) Ongoing(day content.Day) []Campaign {
	type key struct{ slogan, period string }
	seen := map[key]bool{}
	var out []Campaign
	for _, a := range ix.Articles {
		if a.Period == nil || !a.Period.Contains(day) {
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

// PageCount is the number of list pages for n items, at least one so that
// an empty list still has its page.
func PageCount(n, size int) int {
	return max(1, (n+size-1)/size)
}

// PagePath is the site path of page number of a list at base ("khu-vuc/x/"):
// page 1 is the list itself, the others live under pageSegment.
func PagePath(base, pageSegment string, number int) string {
	if number <= 1 {
		return base
	}
	return base + pageSegment + "/" + strconv.Itoa(number) + "/"
}
