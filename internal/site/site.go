// Package site runs a build: configuration in, pages out, stage by stage
// (content -> index -> render -> layouts -> output). It is the only package
// that knows every stage.
package site

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/feed"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/render"
	"github.com/bantin/bantin/internal/search"
)

// StaticDir holds files copied to the output as they are.
const StaticDir = "static"

// summaryWords bounds list summaries, so list pages stay small.
const summaryWords = 60

// keepBodiesUpTo is how many articles a build keeps the Markdown of in
// memory from loading to rendering; a larger site reads each body again
// when it renders it (about 7 KB per article kept, 700 MB at 100,000).
const keepBodiesUpTo = 20000

// relatedCount is how many related articles an article page shows.
const relatedCount = 5

// Options are the inputs of a build besides its configuration.
type Options struct {
	// Site is the site's root folder; Theme the embedded default theme,
	// with the same layouts/ and static/ folders.
	Site  fs.FS
	Theme fs.FS
	// Content chooses drafts, future articles and the build time.
	Content content.Options
	// CheckLinks verifies, after the build, that every internal link and
	// image of every page leads to a file of the site.
	CheckLinks bool
	// Cache, when set, reuses work of earlier builds of the same site.
	Cache *Cache
	// DeferSearch leaves the search index out of the build and returns, in
	// Stats.Search, a function that builds it: the preview server serves
	// the edited page first and indexes in the background.
	DeferSearch bool
}

// Stage is the time one stage of a build took: wall time, and the CPU
// time of the whole process meanwhile (zero where the OS does not say).
type Stage struct {
	Name      string
	Wall, CPU time.Duration
}

// stageClock times the stages of a build one after the other.
type stageClock struct {
	stages []Stage
	wall   time.Time
	cpu    time.Duration
}

func newStageClock() *stageClock { return &stageClock{wall: time.Now(), cpu: processCPU()} }

// done ends the stage called name and starts the next.
func (c *stageClock) done(name string) {
	wall, cpu := time.Now(), processCPU()
	c.stages = append(c.stages, Stage{Name: name, Wall: wall.Sub(c.wall), CPU: cpu - c.cpu})
	c.wall, c.cpu = wall, cpu
}

// Stats summarize a finished build.
type Stats struct {
	// Stages are the build's stages in order, with their times.
	Stages   []Stage
	Articles int // published articles
	Skipped  int // drafts and future articles left out
	Pages    int // HTML pages written
	Terms    int // terms across all taxonomies
	Files    int // every file written, pages and static files
	Rendered int // pages rendered rather than reused from the cache
	// Search builds the search index files (site path, data) when the
	// build deferred it; nil otherwise.
	// It stops early, with ctx's error, when ctx ends.
	Search func(ctx context.Context) ([]SearchFile, error)
}

// SearchFile is one file of a deferred search index.
type SearchFile struct {
	Name string
	Data []byte
}

// Build builds the whole site into out. Every problem the build finds is
// returned together as a sorted diag.List.
func Build(ctx context.Context, cfg *config.Site, opts Options, out output.Writer) (*Stats, error) {
	if opts.Content.Now.IsZero() {
		opts.Content.Now = time.Now()
	}
	now := opts.Content.Now.In(cfg.TimeZone)

	clock := newStageClock()
	// Content and layouts are independent: report the problems of both.
	var errs diag.List
	if opts.Cache != nil {
		opts.Content.Cache = opts.Cache.Content
	} else if opts.Content.ReleaseBodiesOver == 0 {
		opts.Content.ReleaseBodiesOver = keepBodiesUpTo
	}
	set, err := content.Load(ctx, opts.Site, cfg, opts.Content)
	errs.Append(err)
	layouts, err := layout.Load(opts.Site, opts.Theme, cfg)
	errs.Append(err)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	clock.done("load content and layouts")
	ix, err := index.Build(cfg, set.Articles)
	if err != nil {
		return nil, err
	}

	b := &builder{
		ctx: ctx, cfg: cfg, ix: ix, layouts: layouts, src: opts.Site,
		out:   &trackedWriter{w: out, origin: map[string]string{}},
		today: content.DayOf(now),
		stats: &Stats{Articles: len(set.Articles), Skipped: set.Skipped},
		cache: opts.Cache,
	}
	b.site = layout.NewSite(cfg, ix)
	if cfg.Search && !opts.DeferSearch {
		b.search = search.NewBuilder(len(set.Articles), searchFacets(ix))
	}
	if cfg.Search && opts.DeferSearch {
		b.searchDocs = make([]search.Doc, len(set.Articles))
	}
	if b.cache != nil {
		if b.common, err = commonKey(b); err != nil {
			return nil, err
		}
	}
	for _, t := range ix.Taxonomies {
		b.stats.Terms += len(t.Terms)
	}
	if err := b.copyStatic(opts.Theme, opts.Site); err != nil {
		return nil, err
	}
	clock.done("index and static files")
	if err := b.articles(set.Articles); err != nil {
		return nil, err
	}
	clock.done("articles: render, index for search, layouts, write")
	// The search index is encoded and written while the lists render: the
	// two share nothing, and each alone leaves a core idle at times.
	searchDone := make(chan error, 1)
	go func() { searchDone <- b.writeSearch() }()
	listErr := b.lists()
	searchErr := <-searchDone
	if listErr != nil {
		return nil, listErr
	}
	if searchErr != nil {
		return nil, searchErr
	}
	clock.done("lists, and the search index files alongside")
	if err := b.writeFeeds(); err != nil {
		return nil, err
	}
	clock.done("feeds and sitemap")
	if b.searchDocs != nil {
		docs, facets, dir := b.searchDocs, searchFacets(ix), layout.SearchIndexDir(cfg)
		b.stats.Search = func(ctx context.Context) ([]SearchFile, error) { return buildSearch(ctx, docs, facets, dir) }
	}
	b.stats.Files = b.out.count()
	b.stats.Stages = clock.stages
	if opts.CheckLinks {
		mem, ok := out.(*output.Memory)
		if !ok {
			return nil, errors.New("link check needs an in-memory build")
		}
		if err := checkLinks(cfg, mem, b.articleLinks); err != nil {
			return nil, err
		}
	}
	return b.stats, nil
}

type builder struct {
	ctx     context.Context
	src     fs.FS // the site's folder
	cfg     *config.Site
	ix      *index.Index
	layouts *layout.Set
	site    *layout.Site
	out     *trackedWriter
	today   content.Day
	stats   *Stats
	search  *search.Builder
	// searchDocs collects the documents of a deferred search index.
	searchDocs []search.Doc
	cache      *Cache
	common     string   // fingerprint of what every page shares, with a cache
	memo       sync.Map // fingerprints of values shared by pages, this build

	mu           sync.Mutex
	sitemap      []feed.URL
	feedHTML     map[*content.Article]template.HTML // bodies for full-content feeds
	cards        map[*content.Article]*layout.Card  // with summaries, after articles()
	articleLinks map[string][]render.Link           // by page file, for the link check
}

// parallel runs job(i) for i in [0, n) on every core and returns every
// error, sorted.
func (b *builder) parallel(n int, job func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = job(i)
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-b.ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := b.ctx.Err(); err != nil {
		return err
	}
	var list diag.List
	for _, err := range errs {
		list.Append(err)
	}
	return list.Err()
}

// articles renders and writes every article page, keeping only each
// article's summary for the lists: bodies are dropped once written.
func (b *builder) articles(articles []*content.Article) error {
	byFile := make(map[string]string, len(articles))
	for _, a := range articles {
		byFile[a.File] = a.Path
	}
	md := render.New(render.Options{
		BasePath:     b.cfg.BasePath,
		UnsafeHTML:   b.cfg.UnsafeHTML,
		SummaryWords: summaryWords,
		MaxNesting:   b.cfg.MaxNesting,
		ResolveArticle: func(file string) (string, bool) {
			p, ok := byFile[file]
			return p, ok
		},
	})
	// Rendered Markdown depends on the body, the renderer's settings and,
	// through links to .md files, on every article's URL.
	var articleURLs uint64
	if b.cache != nil {
		var h maphash.Hash
		h.SetSeed(b.cache.seed)
		for _, a := range articles {
			h.WriteString(a.File + "\x00" + a.Path + "\x00")
		}
		articleURLs = h.Sum64()
	}
	renderSettings := fmt.Sprint(b.cfg.BasePath, b.cfg.UnsafeHTML, b.cfg.MaxNesting)
	b.cards = make(map[*content.Article]*layout.Card, len(articles))
	b.feedHTML = map[*content.Article]template.HTML{}
	inFeeds := b.feedArticles()
	b.articleLinks = map[string][]render.Link{}
	bare := make(map[*content.Article]*layout.Card, len(articles))
	for _, a := range articles {
		bare[a] = layout.NewCard(b.cfg, a, b.ix, "", b.today)
	}
	tr := layout.T(b.cfg)
	return b.parallel(len(articles), func(i int) error {
		a := articles[i]
		var doc *render.Doc
		var docKey uint64
		cached := false
		if b.cache != nil {
			docKey = b.cache.docKey(a, renderSettings, articleURLs)
			doc, cached = b.cache.doc(a.File, docKey)
		}
		if !cached {
			body, err := a.LoadBody(b.src)
			if err != nil {
				return err
			}
			if doc, err = md.Render(a.File, a.BodyLine, body); err != nil {
				return err
			}
			if b.cache != nil {
				b.cache.storeDoc(a.File, docKey, doc)
			}
		}
		if b.cache == nil {
			a.ReleaseBody() // rendered: only the preview's cache needs it again
		}
		summary := a.Summary
		if summary == "" {
			summary = doc.Summary
		}
		card := *bare[a]
		card.Summary = summary
		b.mu.Lock()
		b.cards[a] = &card
		if len(doc.Links) > 0 {
			b.articleLinks[a.Path+"index.html"] = doc.Links
		}
		b.mu.Unlock()
		if b.search != nil {
			if err := b.search.Add(i, b.searchDoc(a, doc)); err != nil {
				return fmt.Errorf("%s: index for search: %w", a.File, err)
			}
		}
		if b.searchDocs != nil {
			b.searchDocs[i] = b.searchDoc(a, doc)
		}

		if inFeeds[a] {
			b.mu.Lock()
			b.feedHTML[a] = template.HTML(doc.HTML)
			b.mu.Unlock()
		}
		page := &layout.Page{
			Site: b.site, Kind: layout.KindArticle, Title: a.Title, Description: summary, Path: a.Path,
			Article: layout.NewArticle(b.cfg, a, &card, b.ix, doc),
			Image:   b.absoluteImage(a),
		}
		// JSON-LD is derived from data the page fingerprint already covers:
		// it is made only when the page is rendered.
		derive := func(p *layout.Page) error {
			ld, err := b.jsonLD(a, summary, p.Image)
			p.JSONLD = ld
			return err
		}
		page.Crumbs = []layout.Crumb{{Label: tr("home"), Path: ""}}
		if region := b.ix.Term(index.Region, a.Region); region != nil {
			page.Crumbs = append(page.Crumbs, layout.Crumb{Label: tr("regions"), Path: b.ix.Taxonomy(index.Region).Path},
				layout.Crumb{Label: region.Name, Path: region.Path})
		}
		page.Crumbs = append(page.Crumbs, layout.Crumb{Label: a.Title})
		for _, r := range b.ix.Related(a, relatedCount) {
			page.Related = append(page.Related, bare[r])
		}
		return b.pageWithBody(layout.KindArticle, page, a.File, docKey, derive)
	})
}

// page renders one page and writes it as path/index.html.
func (b *builder) page(kind string, p *layout.Page, origin string) error {
	return b.pageWithBody(kind, p, origin, 0, nil)
}

// pageWithBody is page for an article whose body is known by its rendering
// key: the fingerprint uses the key instead of the body's bytes. derive,
// when set, fills fields computed from the fingerprinted ones, just before
// rendering.
func (b *builder) pageWithBody(kind string, p *layout.Page, origin string, bodyKey uint64, derive func(*layout.Page) error) error {
	name := p.Path + "index.html"
	if kind == layout.KindNotFound {
		name = "404.html"
	} else {
		b.addToSitemap(p)
	}
	var key [32]byte
	if b.cache != nil {
		key = b.cache.pageKey(b.common, kind, p, bodyKey, &b.memo)
		if html, ok := b.cache.page(name, key); ok {
			b.mu.Lock()
			b.stats.Pages++
			b.mu.Unlock()
			return b.out.write(name, html, origin)
		}
	}
	if derive != nil {
		if err := derive(p); err != nil {
			return err
		}
	}
	html, err := b.layouts.Render(kind, p)
	if err != nil {
		// A layout error is reported once at its line, not once per page.
		return err
	}
	if b.cache != nil {
		b.cache.storePage(name, key, html)
	}
	b.mu.Lock()
	b.stats.Pages++
	b.stats.Rendered++
	b.mu.Unlock()
	return b.out.write(name, html, origin)
}

// lists writes the home pages, every index and term page, and 404.html.
func (b *builder) lists() error {
	tr := layout.T(b.cfg)
	home := layout.Crumb{Label: tr("home"), Path: ""}
	var jobs []func() error

	cardsOf := func(articles []*content.Article) []*layout.Card {
		out := make([]*layout.Card, len(articles))
		for i, a := range articles {
			out[i] = b.cards[a]
		}
		return out
	}
	paginate := func(kind, base, title string, crumbs []layout.Crumb, articles []*content.Article, extra func(*layout.Page)) {
		size := b.cfg.PageSize
		total := index.PageCount(len(articles), size)
		for n := 1; n <= total; n++ {
			lo, hi := (n-1)*size, min(n*size, len(articles))
			jobs = append(jobs, func() error {
				p := &layout.Page{
					Site: b.site, Kind: kind, Title: title, Path: index.PagePath(base, b.cfg.Paths.Page, n),
					Cards: cardsOf(articles[lo:hi]), Pager: layout.NewPager(b.cfg, base, n, total),
					Description: b.cfg.Description,
				}
				p.Crumbs = crumbs
				if n > 1 {
					p.Crumbs = append(append([]layout.Crumb(nil), crumbs...), layout.Crumb{Label: tr("page_of", n, total)})
					p.Title = title + " – " + tr("page_of", n, total)
				}
				if extra != nil {
					extra(p)
				}
				return b.page(kind, p, "")
			})
		}
	}

	var ongoing []layout.Campaign
	for _, c := range b.ix.Ongoing(b.today) {
		v := layout.Campaign{Period: layout.Link(b.cfg, c.Period), Latest: b.cards[c.Latest]}
		if c.Slogan != nil {
			l := layout.Link(b.cfg, c.Slogan)
			v.Slogan = &l
		}
		ongoing = append(ongoing, v)
	}
	paginate(layout.KindHome, "", b.cfg.Title, nil, b.ix.Articles, func(p *layout.Page) {
		p.Feed = feed.FileName
		if p.Pager.Number == 1 {
			p.Ongoing = ongoing
			p.Title = ""
		} else {
			p.Crumbs = []layout.Crumb{home, {Label: tr("page_of", p.Pager.Number, p.Pager.Total)}}
		}
	})

	for _, t := range b.ix.Taxonomies {
		view := layout.NewTaxonomy(b.cfg, t)
		jobs = append(jobs, func() error {
			return b.page(layout.KindTerms, &layout.Page{
				Site: b.site, Kind: layout.KindTerms, Title: view.Plural, Path: t.Path, Taxonomy: view,
				Description: tr("all_terms", strings.ToLower(view.Plural)),
				Crumbs:      []layout.Crumb{home, {Label: view.Plural}},
			}, "")
		})
		// A term's pages name their index but do not list its terms: then a
		// new term elsewhere in the index leaves them as they were.
		brief := &layout.Taxonomy{Kind: view.Kind, Label: view.Label, Plural: view.Plural, Path: view.Path}
		for _, term := range t.Terms {
			link := layout.Link(b.cfg, term)
			crumbs := []layout.Crumb{home, {Label: view.Plural, Path: t.Path}, {Label: term.Name, Path: term.Path}}
			paginate(layout.KindTerm, term.Path, view.Label+": "+term.Name, crumbs, term.Articles, func(p *layout.Page) {
				p.Taxonomy, p.Term = brief, &link
				if hasFeed(t.Kind) {
					p.Feed = term.Path + feed.FileName
				}
				if p.Pager.Number == 1 {
					p.Crumbs = crumbs[:2:2]
					p.Crumbs = append(p.Crumbs, layout.Crumb{Label: term.Name})
				}
			})
		}
	}
	if b.cfg.Search {
		jobs = append(jobs, func() error {
			return b.page(layout.KindSearch, &layout.Page{
				Site: b.site, Kind: layout.KindSearch, Title: tr("search"), Path: b.site.SearchPath,
				Crumbs: []layout.Crumb{home, {Label: tr("search")}},
			}, "")
		})
	}
	jobs = append(jobs, func() error {
		return b.page(layout.KindNotFound, &layout.Page{
			Site: b.site, Kind: layout.KindNotFound, Title: tr("not_found"), Path: "404.html",
			Crumbs: []layout.Crumb{home, {Label: tr("not_found")}},
		}, "")
	})
	return b.parallel(len(jobs), func(i int) error { return jobs[i]() })
}

// searchFacets lists facet values in the order the site's indexes show them.
func searchFacets(ix *index.Index) search.Facets {
	names := func(k index.Kind) []string {
		var out []string
		for _, t := range ix.Taxonomy(k).Terms {
			out = append(out, t.Name)
		}
		return out
	}
	return search.Facets{Regions: names(index.Region), Topics: names(index.Topic), Periods: names(index.Period)}
}

func (b *builder) searchDoc(a *content.Article, doc *render.Doc) search.Doc {
	d := search.Doc{
		URL: b.cfg.BasePath + a.Path, Title: a.Title, Date: b.layouts.ShortDate(a.Date),
		Year: a.Date.Year(), Region: a.Region, Slogan: a.Slogan, Topics: a.Topics, Body: doc.Text,
	}
	if a.Period != nil {
		d.Period = a.Period.Label()
	}
	return d
}

// buildSearch indexes docs, for a build that deferred its search index.
func buildSearch(ctx context.Context, docs []search.Doc, facets search.Facets, dir string) ([]SearchFile, error) {
	sb := search.NewBuilder(len(docs), facets)
	for i, d := range docs {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := sb.Add(i, d); err != nil {
			return nil, err
		}
	}
	files, err := sb.Finish()
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	out := make([]SearchFile, len(files))
	for i, f := range files {
		out[i] = SearchFile{Name: dir + f.Name, Data: f.Data}
	}
	return out, nil
}

// writeSearch writes the search index under the search page's folder.
func (b *builder) writeSearch() error {
	if b.search == nil {
		return nil
	}
	files, err := b.search.Finish()
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	dir := layout.SearchIndexDir(b.cfg)
	return b.parallel(len(files), func(i int) error {
		return b.out.write(dir+files[i].Name, files[i].Data, "the search index")
	})
}

// copyStatic copies the theme's static files, then the site's, which
// override theme files of the same name.
func (b *builder) copyStatic(theme, site fs.FS) error {
	files := map[string]fs.FS{}
	var errs diag.List
	for _, fsys := range []fs.FS{theme, site} {
		if fsys == nil {
			continue
		}
		if _, err := fs.Stat(fsys, StaticDir); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		err := fs.WalkDir(fsys, StaticDir, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				errs.Addf(diag.Pos{File: name}, "cannot read: %v", err)
				return nil
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				files[name] = fsys
			}
			return nil
		})
		if err != nil {
			errs.Addf(diag.Pos{File: StaticDir}, "cannot read: %v", err)
		}
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	return b.parallel(len(names), func(i int) error {
		name := names[i]
		data, err := fs.ReadFile(files[name], name)
		if err != nil {
			return diag.Errorf(diag.Pos{File: name}, "cannot read: %v", err)
		}
		return b.out.write(strings.TrimPrefix(name, StaticDir+"/"), data, name)
	})
}

// trackedWriter remembers what produced each output file, so that two
// sources of one URL are reported by name instead of overwriting.
type trackedWriter struct {
	w      output.Writer
	mu     sync.Mutex
	origin map[string]string
}

func (t *trackedWriter) write(name string, data []byte, origin string) error {
	if origin == "" {
		origin = "a generated page"
	}
	t.mu.Lock()
	prev, dup := t.origin[name]
	if !dup {
		t.origin[name] = origin
	}
	t.mu.Unlock()
	if dup {
		return diag.Errorf(diag.Pos{File: origin}, "writes /%s, which %s also writes; rename one of them", name, prev)
	}
	if err := t.w.WriteFile(name, data); err != nil {
		return fmt.Errorf("write %s: %w", path.Clean(name), err)
	}
	return nil
}

func (t *trackedWriter) has(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.origin[name]
	return ok
}

func (t *trackedWriter) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.origin)
}
