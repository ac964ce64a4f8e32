package layout

import (
	"html/template"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/render"
	"github.com/bantin/bantin/internal/vi"
)

// Page is what every layout receives as its dot.
type Page struct {
	// Site is shared by every page; the preview's page cache fingerprints
	// it once per build, not in every page.
	Site *Site `json:"-"`
	Kind string
	// Title is the page's own title; the site title is appended in <title>.
	Title       string
	Description string
	// Path is the site path ("khu-vuc/hau-giang/"); use url or absURL.
	Path   string
	Crumbs []Crumb

	Article  *Article  // article pages
	Related  []*Card   // article pages
	Cards    []*Card   // home and term pages: this page's articles
	Pager    *Pager    // home and term pages
	Taxonomy *Taxonomy // terms pages; on term pages without its Terms
	Term     *TermLink // term pages
	// Place is the place of a region's page: its hierarchy and the places
	// inside it; Campaign is the campaign of a period's page. Both are set
	// on the first page of the list only.
	Place    *Place
	Campaign *CampaignInfo
	// Campaigns are the campaigns the home page shows: every ongoing one,
	// the next upcoming ones and those that ended recently, each with its
	// status. Ongoing are the ongoing ones alone.
	Campaigns []Campaign
	Ongoing   []Campaign
	// Count is how many articles the whole list has, over all its pages
	// (the archive of all articles), on the list's first page only.
	Count int
	// Feed is the site path of the page's Atom feed, if it has one.
	Feed string
	// Image is an absolute URL for link previews, if the page has one;
	// ImageWidth and ImageHeight its size, when known.
	Image                   string
	ImageWidth, ImageHeight int
	// JSONLD is the page's schema.org data, ready for a script element.
	JSONLD template.JS
}

// Header is what the site's header and footer show of a page: they depend
// on it only through its kind and section, so partialCached renders them
// once per section rather than once per page.
type Header struct {
	Site       *Site
	ShowSearch bool   // the search box; off on the search page itself
	Current    string // Key of the navigation entry of the page's section
}

// Header returns the page's header view.
func (p *Page) Header() Header {
	h := Header{Site: p.Site, ShowSearch: p.Site.SearchPath != "" && p.Kind != KindSearch}
	for _, item := range p.Site.Nav {
		if item.Path == "" && p.Path == "" || item.Path != "" && strings.HasPrefix(p.Path, item.Path) {
			h.Current = item.Key
		}
	}
	return h
}

// Site is shared by every page of a build.
type Site struct {
	Title       string
	Description string
	Lang        string
	Locale      string // for og:locale: "vi_VN", "en_US"
	BaseURL     string
	BasePath    string
	Nav         []NavItem
	// ArticlesPath is the archive of every article ("bai-viet/").
	ArticlesPath string
	// ShareImage is the absolute URL of the image link previews show for
	// pages without one of their own (site.toml's image), or empty;
	// ShareImageWidth and ShareImageHeight its size, when known.
	ShareImage                        string
	ShareImageWidth, ShareImageHeight int
	// SearchPath is the search page and SearchIndex its index manifest;
	// both are empty when site.toml turns search off.
	SearchPath  string
	SearchIndex string
	// TimeZone is the site's time zone ("Asia/Ho_Chi_Minh"), in which the
	// status script tells the reader's day.
	TimeZone string
}

// NavItem is an entry of the main navigation.
type NavItem struct {
	Key   string // "home", "regions", ...
	Label string
	Path  string
	URL   string // Path under the base path, ready for href
}

// Crumb is one step of the breadcrumb trail; the last has no path.
type Crumb struct {
	Label string
	Path  string
}

// CrumbLink is a breadcrumb ready to show: a link, or the current page.
type CrumbLink struct {
	Label   string
	URL     string // under the base path, ready for href
	Current bool
}

// Trail is the breadcrumb trail ready to show. Every step is a link but
// the last, and steps without a path after the first, which name the
// current page; steps without a label are left out. Computed in Go: the
// same logic in the template cost more than the rest of the page's links.
func (p *Page) Trail() []CrumbLink {
	out := make([]CrumbLink, 0, len(p.Crumbs))
	for i, c := range p.Crumbs {
		if c.Label == "" {
			continue
		}
		current := i == len(p.Crumbs)-1 || c.Path == "" && i > 0
		out = append(out, CrumbLink{Label: c.Label, URL: p.Site.BasePath + c.Path, Current: current})
	}
	return out
}

// TermLink is a term with its page and article count (0 on cards and on a
// term's older pages, which show no count).
type TermLink struct {
	Name  string
	Path  string
	URL   string // Path under the base path, ready for href
	Count int
	// Status is a period's status, on the periods index; nil elsewhere.
	Status *Status
}

// Taxonomy is an index page: every term with its count.
type Taxonomy struct {
	Kind   string // the taxonomy's key: "region", "unit", ...
	Label  string // "Khu vực"
	Plural string
	Path   string
	Terms  []TermLink
	// Groups are the terms of a place-valued taxonomy (the regions) by
	// province, as of the build.
	Groups []PlaceGroup
	// Timeline draws the periods on a time axis (the periods index), and
	// Chart the number of articles per year (the years index): inline SVG,
	// empty for other taxonomies.
	Timeline template.HTML
	Chart    template.HTML
}

// TermLinks are an article's terms in one taxonomy.
type TermLinks struct {
	Key    string // the taxonomy's key: "region", "unit", ...
	Label  string // its name for one term: "Đơn vị"
	Plural string // its name for several
	// Builtin marks the five built-in taxonomies, which the default theme
	// shows its own way (Region, Slogan, Period, Topics, Year).
	Builtin bool
	Links   []TermLink
}

// Card is an article as shown in lists. Its URL and dates are formatted
// once per build, not once per list that shows it.
type Card struct {
	Title     string
	Path      string
	URL       string // Path under the base path, ready for href
	Date      time.Time
	DateISO   string // for datetime attributes
	DateShort string // "16/02/2023"
	HasTime   bool
	Region    TermLink
	// Terms are the article's terms in the taxonomies site.toml declares,
	// in their order; built-in ones are left out (the region is Region).
	Terms   []TermLinks
	Summary string
	Ongoing bool
	// Status is the status of the article's campaign period as of the
	// build, nil when it has no period.
	Status *Status
	// Draft marks an article marked draft: true, which only the preview
	// and builds with --drafts show; the theme says so on it.
	Draft bool
	// Image is the article's image, ready for src, for a thumbnail; empty
	// when it has none.
	Image string
	// Thumb is the thumbnail as a ready <picture>, when the image
	// pipeline published the image; layouts fall back to Image.
	Thumb template.HTML
}

// Article is the full view of an article page.
type Article struct {
	Card
	Slogan *TermLink
	Period *TermLink
	Year   TermLink
	Topics []TermLink
	// RegionUp are the places the region lies in on the article's date,
	// nearest first; empty for a region that is no place.
	RegionUp []PlaceStep
	// Terms are the article's terms in every taxonomy of the site, built-in
	// and declared, in navigation order; a taxonomy it has no term in is
	// left out.
	Terms  []TermLinks
	Author string
	Source string
	Image  string
	// Picture is the lead image as a responsive <picture>, when the
	// image pipeline published it; layouts fall back to Image.
	Picture  template.HTML
	Body     template.HTML
	Headings []render.Heading
}

// Campaign is a campaign on the home page.
type Campaign struct {
	Slogan *TermLink
	Period TermLink
	Latest *Card
	Status *Status
}

// HasStatus reports whether the page shows a campaign's status, which the
// status script then keeps current.
func (p *Page) HasStatus() bool {
	has := func(cards []*Card) bool {
		for _, c := range cards {
			if c.Status != nil {
				return true
			}
		}
		return false
	}
	switch {
	case p.Article != nil && p.Article.Status != nil, p.Campaign != nil, len(p.Campaigns) > 0, has(p.Cards), has(p.Related):
		return true
	case p.Taxonomy != nil:
		for _, t := range p.Taxonomy.Terms {
			if t.Status != nil {
				return true
			}
		}
	}
	return false
}

// Pager links the pages of a paginated list (see index.Paginate). Nothing
// in it depends on the list's length beyond the pages near the first, so
// an older page stays as it was when newer articles arrive.
type Pager struct {
	// Number is the page's number, counted from the oldest page; 0 on the
	// list's first page, which shows its newest articles.
	Number           int
	HasPrev, HasNext bool   // a newer page (Prev) and an older one (Next)
	Prev, Next       string // site paths, when HasPrev and HasNext
	PrevURL, NextURL string // the same under the base path, ready for href
	// FirstURL is the list's first page and LastURL its oldest page, ready
	// for href; each is empty when it is this page or the one next to it.
	FirstURL, LastURL string
	// Pages are the numbered pages around this one, newest first.
	Pages []PageLink
	// Span is the dates of an older page's articles, oldest to newest:
	// "02/03/2025 – 05/03/2025"; empty on the first page.
	Span string
}

// PageLink is one numbered page of a list.
type PageLink struct {
	Number  int
	Path    string
	URL     string // Path under the base path, ready for href
	Current bool
}

// NewSite makes the data shared by every page.
func NewSite(cfg *config.Site, ix *index.Index) *Site {
	tr := siteTranslator(cfg)
	s := &Site{
		Title: cfg.Title, Description: cfg.Description, Lang: string(cfg.Language), Locale: "vi_VN",
		BaseURL: cfg.BaseURL, BasePath: cfg.BasePath, ArticlesPath: cfg.Paths.Articles + "/",
		TimeZone: cfg.TimeZoneName,
	}
	if cfg.Language == vi.English {
		s.Locale = "en_US"
	}
	if strings.HasPrefix(cfg.Image, "/") {
		s.ShareImage = cfg.BaseURL + strings.TrimPrefix(cfg.Image, "/")
	} else {
		s.ShareImage = cfg.Image
	}
	if cfg.Search {
		s.SearchPath, s.SearchIndex = cfg.Paths.Search+"/", SearchIndexDir(cfg)+"manifest.json"
	}
	s.Nav = append(s.Nav, NavItem{Key: "home", Label: tr("home"), Path: "", URL: cfg.BasePath})
	// The navigation names the indexes, not their terms: an edit that adds
	// a term changes the index pages, not every page of the site.
	for _, t := range ix.Taxonomies {
		_, plural := Labels(cfg, &t.Config)
		s.Nav = append(s.Nav, NavItem{Key: string(t.Kind), Label: plural, Path: t.Path, URL: cfg.BasePath + t.Path})
	}
	return s
}

// SearchIndexDir is the site path of the search index folder.
func SearchIndexDir(cfg *config.Site) string { return cfg.Paths.Search + "/chi-muc/" }

// NewTaxonomy makes the view of an index page as of day today: the regions
// grouped by province, the periods with their status and timeline, the
// years with their chart.
func NewTaxonomy(cfg *config.Site, t *index.Taxonomy, today content.Day) *Taxonomy {
	label, plural := Labels(cfg, &t.Config)
	v := &Taxonomy{Kind: string(t.Kind), Label: label, Plural: plural, Path: t.Path}
	for _, term := range t.Terms {
		l := Link(cfg, term)
		l.Status = NewStatus(cfg, term.Period, today)
		v.Terms = append(v.Terms, l)
	}
	switch t.Config.Values {
	case config.PlaceValues:
		v.Groups = placeGroups(cfg, t, today)
	case config.PeriodValues:
		v.Timeline = timeline(cfg, t.Terms, v.Terms, uiString(cfg.Language, "timeline"), today)
	case config.YearValues:
		v.Chart = yearChart(t.Terms, v.Terms, uiString(cfg.Language, "year_chart"), uiString(cfg.Language, "articles"))
	}
	return v
}

// Link makes a term link; nil terms give the zero link.
func Link(cfg *config.Site, t *index.Term) TermLink {
	if t == nil {
		return TermLink{}
	}
	return TermLink{Name: t.Name, Path: t.Path, URL: cfg.BasePath + t.Path, Count: len(t.Articles)}
}

func linkPtr(cfg *config.Site, t *index.Term) *TermLink {
	if t == nil {
		return nil
	}
	l := Link(cfg, t)
	return &l
}

// NewCard makes the list view of an article. summary is the front-matter
// summary or the body's first paragraph. Its term links carry no count:
// then a card, and the older list pages that show it, stay as they were
// when its terms get new articles.
func NewCard(cfg *config.Site, a *content.Article, ix *index.Index, summary string, today content.Day) *Card {
	c := &Card{
		Title: a.Title, Path: a.Path, URL: cfg.BasePath + a.Path,
		Date: a.Date, DateISO: a.Date.Format(time.RFC3339), DateShort: shortDate(cfg.Language, a.Date),
		HasTime: a.HasTime,
		Summary: summary,
		Ongoing: a.Period != nil && a.Period.Contains(today),
		Status:  NewStatus(cfg, a.Period, today),
		Draft:   a.Draft,
		Image:   imageSrc(cfg, a.Image),
	}
	var buf [8]*index.Term
	if regions := ix.Taxonomy(index.Region); regions != nil {
		if terms := regions.AppendTermsOf(buf[:0], a); len(terms) > 0 {
			c.Region = Link(cfg, terms[0])
			c.Region.Count = 0
		}
	}
	for _, t := range ix.Taxonomies {
		if !t.Config.Builtin {
			c.Terms = appendTermLinks(c.Terms, cfg, t, a, false)
		}
	}
	return c
}

// appendTermLinks appends the article's terms in taxonomy t, if it has any,
// with their counts if counted.
func appendTermLinks(dst []TermLinks, cfg *config.Site, t *index.Taxonomy, a *content.Article, counted bool) []TermLinks {
	var buf [8]*index.Term
	terms := t.AppendTermsOf(buf[:0], a)
	if len(terms) == 0 {
		return dst
	}
	label, plural := Labels(cfg, &t.Config)
	g := TermLinks{Key: string(t.Kind), Label: label, Plural: plural, Builtin: t.Config.Builtin, Links: make([]TermLink, len(terms))}
	for i, term := range terms {
		g.Links[i] = Link(cfg, term)
		if !counted {
			g.Links[i].Count = 0
		}
	}
	return append(dst, g)
}

// imageSrc makes an image field (a site path or an http(s) URL) ready for
// src: site paths go under the base path.
func imageSrc(cfg *config.Site, img string) string {
	if strings.HasPrefix(img, "/") && !strings.HasPrefix(img, "//") {
		return cfg.BasePath + strings.TrimPrefix(img, "/")
	}
	return img
}

// NewArticle makes the full view of an article page. Its term links carry
// their counts if counted (Set.ArticleCounts): only then can a count that
// grows change the page.
func NewArticle(cfg *config.Site, a *content.Article, card *Card, ix *index.Index, doc *render.Doc, counted bool) *Article {
	v := &Article{
		Card:   *card,
		Year:   Link(cfg, ix.YearTerm(a)),
		Period: linkPtr(cfg, ix.PeriodTerm(a.Period)),
		Author: a.Author, Source: a.Source, Image: a.Image,
		Body:     template.HTML(doc.HTML),
		Headings: doc.Headings,
	}
	if a.Slogan != "" {
		v.Slogan = linkPtr(cfg, ix.Term(index.Slogan, a.Slogan))
	}
	if regions := ix.Taxonomy(index.Region); regions != nil {
		var buf [8]*index.Term
		if terms := regions.AppendTermsOf(buf[:0], a); len(terms) > 0 {
			v.Region = Link(cfg, terms[0]) // with its count, unlike the card's
			v.RegionUp = steps(cfg, regions.Up(terms[0], a.Date))
		}
	}
	for _, t := range a.Topics {
		v.Topics = append(v.Topics, Link(cfg, ix.Term(index.Topic, t)))
	}
	if !counted {
		uncount(v)
	}
	// The built-in taxonomies' links are the fields above: Terms only lists
	// them again, in navigation order, with the declared ones' links.
	v.Terms = make([]TermLinks, 0, len(ix.Taxonomies))
	singles := make([]TermLink, 0, 4)
	one := func(l *TermLink) []TermLink {
		if l == nil || l.URL == "" {
			return nil
		}
		singles = append(singles, *l)
		return singles[len(singles)-1 : len(singles) : len(singles)]
	}
	for _, t := range ix.Taxonomies {
		if !t.Config.Builtin {
			v.Terms = appendTermLinks(v.Terms, cfg, t, a, counted)
			continue
		}
		var links []TermLink
		switch t.Kind {
		case index.Region:
			links = one(&v.Region)
		case index.Topic:
			links = v.Topics
		case index.Slogan:
			links = one(v.Slogan)
		case index.Period:
			links = one(v.Period)
		case index.Year:
			links = one(&v.Year)
		}
		if len(links) > 0 {
			label, plural := Labels(cfg, &t.Config)
			v.Terms = append(v.Terms, TermLinks{Key: string(t.Kind), Label: label, Plural: plural, Builtin: true, Links: links})
		}
	}
	return v
}

// uncount sets the counts of an article's built-in term links, and of the
// places above its region, to 0.
func uncount(v *Article) {
	v.Region.Count, v.Year.Count = 0, 0
	for _, l := range []*TermLink{v.Slogan, v.Period} {
		if l != nil {
			l.Count = 0
		}
	}
	for i := range v.Topics {
		v.Topics[i].Count = 0
	}
	for i := range v.RegionUp {
		v.RegionUp[i].Count = 0
	}
}

// NewPager links page number of the list at base whose newest page of
// its own is newest (0 when the list is one page); cards are the page's
// articles, newest first.
func NewPager(cfg *config.Site, base string, number, newest int, cards []*Card) *Pager {
	path := func(n int) string { return index.PagePath(base, cfg.Paths.Page, n) }
	p := &Pager{Number: number}
	// The first page sits where page newest+1 would.
	at := number
	if number == 0 {
		at = newest + 1
	}
	if number > 0 {
		p.HasPrev = true
		p.Prev = path(number + 1)
		if number == newest {
			p.Prev = path(0)
		} else {
			p.FirstURL = cfg.BasePath + path(0)
		}
		p.PrevURL = cfg.BasePath + p.Prev
	}
	if at > 1 {
		p.HasNext = true
		p.Next = path(at - 1)
		p.NextURL = cfg.BasePath + p.Next
		if at > 2 {
			p.LastURL = cfg.BasePath + path(1)
		}
	}
	// Two pages either side: far from the first page, the same links
	// whatever the list's length.
	for i := min(newest, at+2); i >= max(1, at-2); i-- {
		p.Pages = append(p.Pages, PageLink{Number: i, Path: path(i), URL: cfg.BasePath + path(i), Current: i == number})
	}
	if number > 0 && len(cards) > 0 {
		p.Span = cards[len(cards)-1].DateShort
		if last := cards[0].DateShort; last != p.Span {
			p.Span += " – " + last
		}
	}
	return p
}

// T returns the site's translator, for code that builds page titles.
func T(cfg *config.Site) func(key string, args ...any) string { return siteTranslator(cfg) }
