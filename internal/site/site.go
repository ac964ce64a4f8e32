// Package site runs a build: configuration in, pages out, stage by stage
// (content -> index -> render -> layouts -> output). It is the only package
// that knows every stage.
package site

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/feed"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/images"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/input"
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
	// ImageCache is the folder of processed images kept between builds
	// ([images] cache_dir in the site's folder); empty keeps none.
	ImageCache string
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
	// Hidden are the hidden files and folders of static/ (".git/",
	// ".env"), sorted, which are not published.
	Hidden []string
	// Warnings are problems that do not stop the build, sorted: place
	// names the gazetteer does not know or cannot settle, articles over
	// the image budget. check and build print them.
	Warnings diag.List
	// Search builds the search index files (site path, data) when the
	// build deferred it; nil otherwise.
	// It stops early, with ctx's error, when ctx ends.
	Search func(ctx context.Context) ([]SearchFile, error)
	// ImagesDecoded counts the images decoded: those not in the cache.
	ImagesDecoded int64
	// SearchIndexed counts the documents the search index tokenized, and
	// SearchEncoded its shards and lists encoded: all of them, or, when
	// the build updated the index of the last one, the changed ones.
	SearchIndexed, SearchEncoded int
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
		opts.Cache.startBuild()
		opts.Content.Cache = opts.Cache.Content
	}
	// The preview's cache keeps bodies; a build, with a cache on disk or
	// none, reads them again when it keeps too many.
	if (opts.Cache == nil || opts.Cache.persistent) && opts.Content.ReleaseBodiesOver == 0 {
		opts.Content.ReleaseBodiesOver = keepBodiesUpTo
	}
	set, err := content.Load(ctx, opts.Site, cfg, opts.Content)
	errs.Append(err)
	layouts, err := layout.Load(opts.Site, opts.Theme, cfg)
	errs.Append(err)
	places, err := gazetteer.ForSite(opts.Site)
	errs.Append(err)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	clock.done("load content and layouts")
	ix, err := index.Build(cfg, set.Articles, places)
	if err != nil {
		return nil, err
	}

	b := &builder{
		ctx: ctx, cfg: cfg, ix: ix, layouts: layouts, src: opts.Site,
		out:   &trackedWriter{w: out, origin: make(map[string]string, opts.Cache.pageCount())},
		today: content.DayOf(now),
		cache: opts.Cache, checkLinks: opts.CheckLinks,
	}
	if opts.Cache == nil && output.Transient(out) {
		b.buffers = &sync.Pool{New: func() any { return new(bytes.Buffer) }}
	}
	b.site = layout.NewSite(cfg, ix)
	imgs := newImageStage(ctx, cfg, opts, b.out)
	// Every page without an image of its own shows the share image in
	// link previews: it is published before any page renders.
	share, shareErr := imgs.shareImage()
	if share != nil {
		b.site.ShareImage = b.absoluteURL(share.OG)
		b.site.ShareImageWidth, b.site.ShareImageHeight = share.OGWidth, share.OGHeight
	}
	stats := &Stats{Articles: len(set.Articles), Skipped: set.Skipped, Warnings: ix.Warnings}
	for _, t := range ix.Taxonomies {
		stats.Terms += len(t.Terms)
	}
	// The search index is built while articles render, or later, from
	// the documents they return (deferred).
	var searchIndex *search.Builder
	deferSearch := cfg.Search && opts.DeferSearch
	if cfg.Search && !opts.DeferSearch {
		searchIndex = search.NewBuilder(len(set.Articles), searchFacets(cfg, ix))
	}
	if b.cache != nil {
		if b.common, err = commonKey(b); err != nil {
			return nil, err
		}
		if b.settings, err = settingsKey(b); err != nil {
			return nil, err
		}
	}
	// A build whose articles give the search index nothing new takes its
	// files from the previous site; one whose articles changed a little
	// updates it (see planSearch); one that builds it needs every text.
	var searchKey uint64
	var searchPlan *searchPlan
	var searchAdd searchAdder
	updating := false // the search index is updated from the cache
	if searchIndex != nil {
		searchAdd = searchIndex
	}
	if searchIndex != nil && b.cache != nil && b.cache.persistent {
		searchPlan = b.planSearch(set.Articles, searchFacets(cfg, ix), imgs)
		searchKey = searchPlan.key
		switch {
		case b.cache.searchKey == searchKey && b.canReuseSearch():
			searchIndex, searchAdd = nil, nil
		case searchPlan.update != nil:
			searchIndex, searchAdd, updating = nil, searchPlan.update, true
		default:
			b.cache.loadTexts()
			searchIndex.KeepState()
		}
	}
	// With the image pipeline, static raster images wait for the articles:
	// the originals of those they show are not published.
	static, err := b.copyStatic(opts.Theme, opts.Site, imgs.holds)
	if err != nil {
		return nil, err
	}
	stats.Hidden = static.hidden
	clock.done("index and static files")
	// Lead images come first: article pages show related articles' cards,
	// and so every card's thumbnail. A broken one is reported with the
	// problems of the articles' bodies.
	leads, leadErr := imgs.leadImages(b, set.Articles)
	articles, err := b.renderArticles(set.Articles, leads, imgs, searchAdd, deferSearch)
	if err != nil || leadErr != nil || shareErr != nil {
		var all diag.List
		all.Append(shareErr)
		all.Append(leadErr)
		all.Append(err)
		return nil, all.Err()
	}
	if imgs != nil {
		if err := b.copyFiles(imgs.unused(static.held, share, leads, articles.images)); err != nil {
			return nil, err
		}
		stats.ImagesDecoded = imgs.proc.Decodes()
	}
	for _, w := range articles.warnings {
		stats.Warnings.Append(w)
	}
	stats.Warnings = stats.Warnings.Sort()
	clock.done("articles: render, index for search, layouts, write")
	// The search index is encoded and written while the lists render: the
	// two share nothing, and each alone leaves a core idle at times.
	searchDone := make(chan error, 1)
	go func() {
		switch {
		case updating:
			searchDone <- b.updateSearch(searchPlan, set.Articles, articles, stats)
		case searchIndex == nil && searchKey != 0:
			searchDone <- b.reuseSearch()
		default:
			searchDone <- b.writeSearch(searchIndex, searchPlan, articles, stats)
		}
	}()
	lists, listErr := b.renderLists(articles.cards, articles.ids)
	searchErr := <-searchDone
	if listErr != nil {
		return nil, listErr
	}
	if searchErr != nil {
		return nil, searchErr
	}
	clock.done("lists, and the search index files alongside")
	if err := b.writeFeeds(articles.cards, articles.feedHTML); err != nil {
		return nil, err
	}
	if err := b.writeSitemap(append(articles.sitemap, lists...)); err != nil {
		return nil, err
	}
	clock.done("feeds and sitemap")
	if deferSearch {
		docs, facets, dir := articles.searchDocs, searchFacets(cfg, ix), layout.SearchIndexDir(cfg)
		stats.Search = func(ctx context.Context) ([]SearchFile, error) { return buildSearch(ctx, docs, facets, dir) }
	}
	stats.Pages, stats.Rendered = int(b.pages.Load()), int(b.rendered.Load())
	stats.Files = b.out.count()
	stats.Stages = clock.stages
	if opts.Cache != nil {
		opts.Cache.remember(set.Articles)
	}
	if opts.CheckLinks {
		mem, ok := out.(*output.Memory)
		if !ok {
			return nil, errors.New("link check needs an in-memory build")
		}
		if err := checkLinks(cfg, mem, articles.linksByPage(set.Articles), share != nil); err != nil {
			return nil, err
		}
	}
	return stats, nil
}

// builder holds what every stage of one build shares: settings, the index,
// layouts and the output. Stages hand their results on as return values.
type builder struct {
	ctx     context.Context
	src     fs.FS // the site's folder
	cfg     *config.Site
	ix      *index.Index
	layouts *layout.Set
	site    *layout.Site
	out     *trackedWriter
	today   content.Day
	cache   *Cache
	// checkLinks keeps every article's links, for the link check.
	checkLinks bool
	common     string   // fingerprint of what every page shares, with a cache
	settings   string   // fingerprint of every setting, for feeds and the sitemap
	memo       sync.Map // fingerprints of values shared by pages, this build
	// pages counts the pages written, and rendered those not reused from
	// the cache, for Stats.
	pages, rendered atomic.Int64
	// buffers, when set, hold pages being rendered, reused once written:
	// without a cache, to a writer done with them (a quarter of a cold
	// build's allocations were new page buffers).
	buffers *sync.Pool
}

// renderedArticles is what the article stage hands on. Each slice is
// indexed like the site's articles, newest first.
type renderedArticles struct {
	cards []*layout.Card // with summaries, for lists and feeds
	// feedHTML holds the bodies of the articles some full-content feed
	// shows; it is empty for the others, and when feeds show summaries.
	feedHTML []template.HTML
	links    [][]render.Link // internal links and images, for the link check
	sitemap  []feed.URL      // the article pages
	// searchDocs are the documents of a deferred search index.
	searchDocs []search.Doc
	// textKeys are the keys the cache keeps each article's text under.
	textKeys []uint64
	// ids are what each article's card is made of (see articleKeys),
	// with a cache.
	ids []uint64
	// images are the source files of the processed images each article's
	// body shows, and warnings what its images weigh over the budget.
	images   [][]string
	warnings []error
}

// linksByPage returns the articles' links by the output file of their page.
func (r *renderedArticles) linksByPage(articles []*content.Article) map[string][]render.Link {
	out := map[string][]render.Link{}
	for i, links := range r.links {
		if len(links) > 0 {
			out[articles[i].Path+"index.html"] = links
		}
	}
	return out
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

// newRenderer makes the site's Markdown renderer; byFile maps content
// files to their articles' site paths, for links to .md files, and imgs,
// when not nil, publishes the images of bodies.
func newRenderer(cfg *config.Site, byFile map[string]string, imgs *imageStage) *render.Renderer {
	return render.New(render.Options{
		BasePath:     cfg.BasePath,
		UnsafeHTML:   cfg.UnsafeHTML,
		SummaryWords: summaryWords,
		MaxNesting:   cfg.MaxNesting,
		ResolveArticle: func(file string) (string, bool) {
			p, ok := byFile[file]
			return p, ok
		},
		Image: imgs.renderCallback(),
	})
}

// renderArticles renders and writes every article page, and adds each
// article to searchIndex, if any, or, when deferSearch is set, returns its
// search document. It keeps only what later stages use, such as each
// article's card: bodies are dropped once written. leads are the articles'
// processed images (nil for one not processed), and imgs, unless nil,
// publishes the images of their bodies.
func (b *builder) renderArticles(articles []*content.Article, leads []*images.Set, imgs *imageStage, searchIndex searchAdder, deferSearch bool) (*renderedArticles, error) {
	byFile := make(map[string]string, len(articles))
	for _, a := range articles {
		byFile[a.File] = a.Path
	}
	md := newRenderer(b.cfg, byFile, imgs)
	renderSettings, articleURLs := b.renderInputs(articles, imgs)
	articleKeys, ids := b.articleKeys(articles, leads, renderSettings)
	out := &renderedArticles{
		cards:    make([]*layout.Card, len(articles)),
		feedHTML: make([]template.HTML, len(articles)),
		links:    make([][]render.Link, len(articles)),
		sitemap:  make([]feed.URL, len(articles)),
		images:   make([][]string, len(articles)),
		warnings: make([]error, len(articles)),
		textKeys: make([]uint64, len(articles)),
		ids:      ids,
	}
	if deferSearch {
		out.searchDocs = make([]search.Doc, len(articles))
	}
	inFeeds := b.feedArticles()
	bare := make([]*layout.Card, len(articles))
	for i, a := range articles {
		bare[i] = layout.NewCard(b.cfg, a, b.ix, "", b.today)
		bare[i].Thumb = thumbnail(leads[i])
	}
	// Oldest first: the search index numbers documents so, and commits
	// them in order, so each is committed soon after it is added.
	err := b.parallel(len(articles), func(job int) error {
		i := len(articles) - 1 - job
		a := articles[i]
		// Found here, a URL too long to write is reported at its slug, and
		// by check as well as by build.
		if err := output.CheckName(a.Path + "index.html"); err != nil {
			return diag.Errorf(a.FieldPos("slug"), "%v", err)
		}
		var doc *render.Doc
		var dk uint64
		var cached cachedDoc
		var pictures []render.Image
		hit := false
		if b.cache != nil {
			// Whether a lead image shows above the body decides which body
			// image loads lazily.
			dk = docKey(a, renderSettings+strconv.FormatBool(leads[i] != nil), articleURLs)
			out.textKeys[i] = dk
			if cached, hit = b.cache.doc(a.File, dk); hit {
				doc = cached.doc
				// A cached rendering names processed images: still valid
				// only if each is still what it was (and so published
				// again).
				pictures, hit = imgs.stillPublished(a.File, &cached)
			}
			if !hit {
				doc, cached = nil, cachedDoc{}
			}
		}
		// renderDoc renders the Markdown, when no cache holds the whole
		// rendering: at once, or, for a page taken from the previous
		// build, only if something else needs it.
		renderDoc := func() error {
			if doc != nil {
				return nil
			}
			body, err := a.LoadBody(b.src)
			if err != nil {
				return err
			}
			if doc, err = md.RenderArticle(a.File, a.BodyLine, body, leads[i] != nil); err != nil {
				return err
			}
			if b.cache != nil {
				b.cache.storeDoc(a.File, dk, doc)
			}
			return nil
		}
		searchID := len(articles) - 1 - i // see searchIndex.Add below
		if !hit || searchIndex != nil && searchIndex.Needs(searchID) && doc == nil && !cached.hasText {
			if err := renderDoc(); err != nil {
				return err
			}
		}
		if b.cache == nil || b.cache.persistent {
			a.ReleaseBody() // rendered: only the preview's cache needs it again
		}
		if doc == nil {
			cached.doc = &render.Doc{Summary: cached.summary, Text: cached.text, Images: pictures}
			if len(pictures) > 0 {
				cached.doc.Links = []render.Link{{Dest: pictures[0].Dest, Pos: cached.imagePos, Image: true}}
			}
		}
		view := doc
		if view == nil {
			view = cached.doc
		}
		summary := a.Summary
		if summary == "" {
			summary = view.Summary
		}
		card := *bare[i]
		card.Summary = summary
		out.cards[i] = &card
		if b.checkLinks {
			if err := renderDoc(); err != nil {
				return err
			}
			out.links[i] = doc.Links
		}
		for _, img := range view.Images {
			out.images[i] = append(out.images[i], img.Set.Source)
		}
		out.warnings[i] = imgs.budget(a, leads[i], view)
		// An update of the index takes the articles rendered anew too,
		// should it have to index every article after all.
		if searchIndex != nil && (searchIndex.Needs(searchID) || doc != nil) {
			// Documents are numbered oldest first: a new article takes the
			// next number, and the lists it is not in do not change.
			if err := searchIndex.Add(searchID, b.searchDoc(a, &card, view)); err != nil {
				return fmt.Errorf("%s: index for search: %w", a.File, err)
			}
		}
		if deferSearch {
			out.searchDocs[i] = b.searchDoc(a, &card, view)
		}
		if inFeeds[i] {
			if err := renderDoc(); err != nil {
				return err
			}
			out.feedHTML[i] = template.HTML(doc.HTML)
		}
		// A page made of the same inputs as before is not made again.
		bodyKey := b.cache.bodyKey(dk, view, a)
		var inputs uint64
		if articleKeys != nil {
			inputs = pageInputs(articleKeys[i], bodyKey)
		}
		if cached, ok := b.cache.pageByInputs(a.Path+"index.html", inputs); ok {
			reused, err := b.reuse(a.Path+"index.html", cached, a.File)
			if reused || err != nil {
				b.pages.Add(1)
				out.sitemap[i] = sitemapURL(&layout.Page{Path: a.Path, Article: &layout.Article{Card: card}})
				return err
			}
		}
		page, derive := b.articlePage(a, view, &card, leads[i], func(r *content.Article) *layout.Card { return bare[b.ix.Position(r)] })
		// The body of a page whose Markdown came from a persistent cache is
		// rendered only when the page is.
		deriveJSONLD := derive
		derive = func(p *layout.Page) error {
			if doc == nil || p.Article.Body == "" && len(doc.HTML) > 0 {
				if err := renderDoc(); err != nil {
					return err
				}
				p.Article.Body, p.Article.Headings = template.HTML(doc.HTML), doc.Headings
			}
			return deriveJSONLD(p)
		}
		out.sitemap[i] = sitemapURL(page)
		// The fingerprint counts the body by its rendering's key and its
		// pictures, and the fields JSON-LD takes from the article as
		// written (a region in the old tone placement has the term's name
		// in the page's data).
		if err := b.pageWithBody(layout.KindArticle, page, a.File, bodyKey, derive); err != nil {
			return err
		}
		if inputs != 0 {
			b.cache.setInputs(page.Path+"index.html", inputs)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// articlePage makes the page of an article whose card carries its summary,
// and the function that fills, just before rendering, the fields derived
// from the others. lead is its processed image, if any; cardOf gives the
// cards of related articles.
func (b *builder) articlePage(a *content.Article, doc *render.Doc, card *layout.Card, lead *images.Set, cardOf func(*content.Article) *layout.Card) (*layout.Page, func(*layout.Page) error) {
	tr := layout.T(b.cfg)
	page := &layout.Page{
		Site: b.site, Kind: layout.KindArticle, Title: a.Title, Description: card.Summary, Path: a.Path,
		Article: layout.NewArticle(b.cfg, a, card, b.ix, doc, b.layouts.ArticleCounts()),
		Image:   b.absoluteImage(a),
	}
	if lead != nil {
		// The page shows the lead image as a picture, and link previews
		// its 1200-px JPEG.
		page.Article.Picture = lead.Picture(images.Attrs{Class: "lead-image"})
		page.Image = b.absoluteURL(lead.OG)
		page.ImageWidth, page.ImageHeight = lead.OGWidth, lead.OGHeight
	}
	// JSON-LD is derived from data the page fingerprint already covers:
	// it is made only when the page is rendered.
	derive := func(p *layout.Page) error {
		ld, err := b.jsonLD(a, card.Summary, p.Image)
		p.JSONLD = ld
		return err
	}
	page.Crumbs = []layout.Crumb{{Label: tr("home"), Path: ""}}
	if regions := b.ix.Taxonomy(index.Region); regions != nil {
		// The card's region is the place the name resolved to.
		if region := card.Region; region.Path != "" {
			_, regionsLabel := layout.Labels(b.cfg, &regions.Config)
			page.Crumbs = append(page.Crumbs, layout.Crumb{Label: regionsLabel, Path: regions.Path},
				layout.Crumb{Label: region.Name, Path: region.Path})
		}
	}
	page.Crumbs = append(page.Crumbs, layout.Crumb{Label: a.Title})
	for _, r := range b.ix.Related(a, relatedCount) {
		page.Related = append(page.Related, cardOf(r))
	}
	return page, derive
}

// renderInputs are what rendered Markdown depends on besides the body: the
// renderer's settings and, through links to .md files, every article's URL.
func (b *builder) renderInputs(articles []*content.Article, imgs *imageStage) (settings string, articleURLs uint64) {
	var h xxhash.Digest
	h.Reset()
	for _, a := range articles {
		h.WriteString(a.File + "\x00" + a.Path + "\x00")
	}
	return fmt.Sprint(b.cfg.BasePath, b.cfg.UnsafeHTML, b.cfg.MaxNesting, imgs.settings()), h.Sum64()
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
	var key uint64
	if b.cache != nil {
		key = b.cache.pageKey(b.common, kind, p, bodyKey, &b.memo)
		if cached, ok := b.cache.page(pageFile(kind, p), key); ok {
			reused, err := b.reuse(pageFile(kind, p), cached, origin)
			if reused || err != nil {
				b.pages.Add(1)
				return err
			}
		}
	}
	if derive != nil {
		if err := derive(p); err != nil {
			return err
		}
	}
	return b.pageWithKey(kind, p, origin, key)
}

// pageFile is the output file of a page.
func pageFile(kind string, p *layout.Page) string {
	if kind == layout.KindNotFound {
		return "404.html"
	}
	return p.Path + "index.html"
}

// pageWithKey renders a page the cache does not have, and keeps it under
// key, with a cache.
func (b *builder) pageWithKey(kind string, p *layout.Page, origin string, key uint64) error {
	name := pageFile(kind, p)
	if b.buffers != nil {
		buf := b.buffers.Get().(*bytes.Buffer)
		defer b.buffers.Put(buf)
		buf.Reset()
		if err := b.layouts.Execute(buf, kind, p); err != nil {
			return err
		}
		b.pages.Add(1)
		b.rendered.Add(1)
		return b.out.write(name, buf.Bytes(), origin)
	}
	html, err := b.layouts.Render(kind, p)
	if err != nil {
		// A layout error is reported once at its line, not once per page.
		return err
	}
	if b.cache != nil {
		b.cache.storePage(name, key, html)
	}
	b.pages.Add(1)
	b.rendered.Add(1)
	return b.out.write(name, html, origin)
}

// reuse writes a page the cache holds: its HTML, or the file of the
// previous build with its hash. It reports false when the output has no
// such file: the page is then rendered.
func (b *builder) reuse(name string, c cachedPage, origin string) (bool, error) {
	if c.html != nil {
		return true, b.out.write(name, c.html, origin)
	}
	return b.out.reuse(name, c.sum, origin)
}

// renderLists writes the home pages, every index and term page, the
// search page and 404.html, and returns the sitemap's entries for them.
// cards are the articles' cards, indexed like the site's articles, and
// ids, with a cache, what each is made of.
func (b *builder) renderLists(cards []*layout.Card, ids []uint64) ([]feed.URL, error) {
	tr := layout.T(b.cfg)
	home := layout.Crumb{Label: tr("home"), Path: ""}
	// Each job makes one page; pages are rendered in parallel.
	var jobs []listJob
	cardKeys := b.cardKeys(cards)

	cardsOf := func(articles []*content.Article) []*layout.Card {
		out := make([]*layout.Card, len(articles))
		for i, a := range articles {
			out[i] = cards[b.ix.Position(a)]
		}
		return out
	}
	// Pages are counted from the oldest (index.Paginate): a new article
	// changes a list's first page, and nothing on an older page depends
	// on the list's length.
	paginate := func(kind, base, title string, crumbs []layout.Crumb, articles []*content.Article, extra func(*layout.Page)) {
		pages := index.Paginate(len(articles), b.cfg.PageSize)
		newest := 0 // the newest page of its own, after the first page
		if len(pages) > 1 {
			newest = pages[1].Number
		}
		// pageOf makes page n; with withCards false, a shell without its
		// cards and pager, which tells what an older page shows besides
		// them.
		pageOf := func(n, lo, hi int, withCards bool) *layout.Page {
			p := &layout.Page{
				Site: b.site, Kind: kind, Title: title, Path: index.PagePath(base, b.cfg.Paths.Page, n),
				Description: b.cfg.Description,
			}
			if withCards {
				p.Cards = cardsOf(articles[lo:hi])
				p.Pager = layout.NewPager(b.cfg, base, n, newest, p.Cards)
			} else {
				p.Pager = &layout.Pager{Number: n}
			}
			p.Crumbs = crumbs
			if n > 0 {
				p.Crumbs = append(append([]layout.Crumb(nil), crumbs...), layout.Crumb{Label: tr("page_n", n)})
				p.Title = title + " – " + tr("page_n", n)
			}
			if extra != nil {
				extra(p)
			}
			if !withCards {
				p.Pager = nil
			}
			return p
		}
		// An older page is the list's shell at its number, its cards and
		// its pager, which NewPager makes of the number, the newest
		// older page and the cards' dates: its key is made of those,
		// without the page. Every older page is the shell of page 1 with
		// its own number in its title, trail and path.
		shell := sync.OnceValue(func() uint64 {
			if b.cache == nil || newest == 0 {
				return 0
			}
			return b.cache.pageKey(b.common, kind, pageOf(1, 0, 0, false), 0, &b.memo)
		})
		for _, lp := range pages {
			job := listJob{page: func() *layout.Page { return pageOf(lp.Number, lp.Lo, lp.Hi, true) }}
			if lp.Number > 0 && b.cache != nil {
				job.quick = func() (string, feed.URL, uint64) {
					return b.olderPageKey(shell(), base, lp.Number, newest, articles[lp.Lo:lp.Hi], cards, cardKeys)
				}
			}
			jobs = append(jobs, job)
		}
	}

	campaigns := layout.HomeCampaigns(b.cfg, b.ix.Campaigns(), b.today, func(a *content.Article) *layout.Card { return cards[b.ix.Position(a)] })
	var ongoing []layout.Campaign
	for _, c := range campaigns {
		if c.Status.Key == content.Ongoing.String() {
			ongoing = append(ongoing, c)
		}
	}
	paginate(layout.KindHome, "", b.cfg.Title, nil, b.ix.Articles, func(p *layout.Page) {
		p.Feed = feed.FileName
		if p.Pager.Number == 0 {
			p.Ongoing, p.Campaigns = ongoing, campaigns
			p.Title = ""
		} else {
			// base.html adds the site's name after the page's own title.
			p.Title = tr("page_n", p.Pager.Number)
			p.Crumbs = []layout.Crumb{home, {Label: p.Title}}
		}
	})
	// The articles' own path lists them all, so that /bai-viet/ is a page.
	all := tr("all_articles")
	paginate(layout.KindList, b.cfg.Paths.Articles+"/", all, []layout.Crumb{home, {Label: all}}, b.ix.Articles, func(p *layout.Page) {
		p.Feed = feed.FileName
		if p.Pager.Number == 0 {
			p.Count = len(b.ix.Articles)
		} else {
			p.Crumbs = []layout.Crumb{home, {Label: all, Path: b.cfg.Paths.Articles + "/"}, {Label: tr("page_n", p.Pager.Number)}}
		}
	})

	taxonomiesKey := sync.OnceValue(b.taxonomiesKey)
	for _, t := range b.ix.Taxonomies {
		view := layout.NewTaxonomy(b.cfg, t, b.today)
		jobs = append(jobs, listJob{page: func() *layout.Page {
			return &layout.Page{
				Site: b.site, Kind: layout.KindTerms, Title: view.Plural, Path: t.Path, Taxonomy: view,
				Description: tr("all_terms", strings.ToLower(view.Plural)),
				Crumbs:      []layout.Crumb{home, {Label: view.Plural}},
			}
		}})
		// A term's pages name their index but do not list its terms: then a
		// new term elsewhere in the index leaves them as they were.
		brief := &layout.Taxonomy{Kind: view.Kind, Label: view.Label, Plural: view.Plural, Path: view.Path}
		for _, term := range t.Terms {
			link := layout.Link(b.cfg, term)
			uncounted := link
			uncounted.Count = 0
			// A place's trail runs through the places it lies in today.
			crumbs := []layout.Crumb{home, {Label: view.Plural, Path: t.Path}}
			up := t.Up(term, b.todayTime())
			for i := len(up) - 1; i >= 0; i-- {
				crumbs = append(crumbs, layout.Crumb{Label: up[i].Term.Name, Path: up[i].Term.Path})
			}
			crumbs = append(crumbs, layout.Crumb{Label: term.Name, Path: term.Path})
			first := len(jobs)
			paginate(layout.KindTerm, term.Path, view.Label+": "+term.Name, crumbs, term.Articles, func(p *layout.Page) {
				p.Taxonomy, p.Term = brief, &link
				if t.Config.Feed {
					p.Feed = term.Path + feed.FileName
				}
				if p.Pager.Number > 0 {
					// An older page does not show the term's count.
					p.Term = &uncounted
				} else {
					p.Crumbs = crumbs[: len(crumbs)-1 : len(crumbs)-1]
					p.Crumbs = append(p.Crumbs, layout.Crumb{Label: term.Name})
					p.Place = layout.NewPlace(b.cfg, t, term, b.today)
					if ids == nil {
						p.Campaign = layout.NewCampaignInfo(b.cfg, b.ix, term, b.today)
					}
				}
			})
			// A period's campaign counts what its articles name: with a
			// cache, it is made only when its first page is rendered, which
			// is known by what those articles' cards are made of.
			if ids != nil && term.Period != nil {
				jobs[first].derive = func(p *layout.Page) {
					p.Campaign = layout.NewCampaignInfo(b.cfg, b.ix, term, b.today)
				}
				jobs[first].extraKey = func() uint64 { return b.campaignKey(term, ids, taxonomiesKey()) }
			}
		}
	}
	redirects, err := b.redirects()
	if err != nil {
		return nil, err
	}
	if b.cfg.Search {
		jobs = append(jobs, listJob{page: func() *layout.Page {
			return &layout.Page{
				Site: b.site, Kind: layout.KindSearch, Title: tr("search"), Path: b.site.SearchPath,
				Crumbs: []layout.Crumb{home, {Label: tr("search")}},
			}
		}})
	}
	jobs = append(jobs, listJob{page: func() *layout.Page {
		return &layout.Page{
			Site: b.site, Kind: layout.KindNotFound, Title: tr("not_found"), Path: "404.html",
			Crumbs: []layout.Crumb{home, {Label: tr("not_found")}},
		}
	}})
	urls := make([]feed.URL, len(jobs))
	err = b.parallel(len(jobs)+len(redirects), func(i int) error {
		if i >= len(jobs) {
			r := redirects[i-len(jobs)]
			return b.out.write(r.name, r.html, "")
		}
		job := jobs[i]
		if job.derive != nil {
			p := job.page()
			urls[i] = sitemapURL(p)
			return b.pageWithExtraKey(p, job.extraKey(), job.derive)
		}
		if job.quick == nil {
			p := job.page()
			urls[i] = sitemapURL(p)
			return b.page(p.Kind, p, "")
		}
		name, url, key := job.quick()
		urls[i] = url
		if cached, ok := b.cache.page(name, key); ok {
			reused, err := b.reuse(name, cached, "")
			if reused || err != nil {
				b.pages.Add(1)
				return err
			}
		}
		p := job.page()
		return b.pageWithKey(p.Kind, p, "", key)
	})
	if err != nil {
		return nil, err
	}
	// The 404 page is the last job, and no URL of the site; nor are the
	// redirects.
	return urls[:len(urls)-1], nil
}

// listJob makes one page of renderLists. quick, when set, returns the
// page's output file, sitemap entry and key without making the page, so
// that an unchanged page is taken from the cache as it is.
//
// derive, when set with a cache, fills fields of the page made by page
// that its key does not cover, just before it is rendered; extraKey then
// identifies what they are made of.
type listJob struct {
	page     func() *layout.Page
	quick    func() (name string, url feed.URL, key uint64)
	derive   func(*layout.Page)
	extraKey func() uint64
}

// pageWithExtraKey renders p, whose key is its fingerprint with extra,
// unless the cache has it; derive fills the fields extra stands for.
func (b *builder) pageWithExtraKey(p *layout.Page, extra uint64, derive func(*layout.Page)) error {
	var h xxhash.Digest
	h.Reset()
	writeUint(&h, b.cache.pageKey(b.common, p.Kind, p, 0, &b.memo))
	writeUint(&h, extra)
	key := h.Sum64()
	name := pageFile(p.Kind, p)
	if cached, ok := b.cache.page(name, key); ok {
		reused, err := b.reuse(name, cached, "")
		if reused || err != nil {
			b.pages.Add(1)
			return err
		}
	}
	derive(p)
	return b.pageWithKey(p.Kind, p, "", key)
}

// campaignKey identifies what layout.NewCampaignInfo makes of a period's
// term: the period and the day (its status), and the cards of its
// articles as made (ids: their fields, with the slogans, regions and
// units they name, and those terms' names and pages), whose terms it
// counts and orders as their taxonomies do (taxonomies).
func (b *builder) campaignKey(term *index.Term, ids []uint64, taxonomies uint64) uint64 {
	var h xxhash.Digest
	h.Reset()
	writeUint(&h, taxonomies)
	writeUint(&h, uint64(b.today.Year)<<16|uint64(b.today.Month)<<8|uint64(b.today.Day))
	hashValue(&h, reflect.ValueOf(term.Period), b.cache, &b.memo)
	writeUint(&h, uint64(len(term.Articles)))
	for _, a := range term.Articles {
		writeUint(&h, ids[b.ix.Position(a)])
	}
	return h.Sum64()
}

// taxonomiesKey identifies the terms of the taxonomies a campaign shows
// (as layout.NewCampaignInfo chooses them: slogans, regions and the
// declared ones) in order, by name and page.
func (b *builder) taxonomiesKey() uint64 {
	var h xxhash.Digest
	h.Reset()
	for _, t := range b.ix.Taxonomies {
		writeString(&h, string(t.Kind))
		if t.Kind != index.Slogan && t.Kind != index.Region && t.Config.Builtin {
			continue
		}
		writeUint(&h, uint64(len(t.Terms)))
		for _, term := range t.Terms {
			writeString(&h, term.Name)
			writeString(&h, term.Path)
		}
	}
	return h.Sum64()
}

// olderPageKey identifies an older page of a list (number > 0) by what it
// is made of: the list's shell (its page 1 without cards and pager: kind,
// titles, trail, taxonomy, term, feed), its number, the newest older page
// as far as the pager shows it, and the keys of its cards. It returns the page's
// output file and sitemap entry with the key.
func (b *builder) olderPageKey(shell uint64, base string, number, newest int, articles []*content.Article, cards []*layout.Card, cardKeys []uint64) (string, feed.URL, uint64) {
	var h xxhash.Digest
	h.Reset()
	h.WriteString(b.common + "\x00older list page\x00" + base + "\x00")
	writeUint(&h, shell)
	writeUint(&h, uint64(number))
	// The pager links two pages either side and the first: past three
	// pages away, how many pages the list has makes no difference.
	writeUint(&h, uint64(min(newest, number+3)))
	var last time.Time
	for _, a := range articles {
		pos := b.ix.Position(a)
		writeUint(&h, cardKeys[pos])
		if d := cards[pos].Date; d.After(last) {
			last = d
		}
	}
	path := index.PagePath(base, b.cfg.Paths.Page, number)
	return path + "index.html", feed.URL{Path: path, LastMod: last}, h.Sum64()
}

// cardKeys fingerprints every card, with a cache, once per build.
func (b *builder) cardKeys(cards []*layout.Card) []uint64 {
	if b.cache == nil {
		return nil
	}
	keys := make([]uint64, len(cards))
	const chunk = 256
	b.parallel((len(cards)+chunk-1)/chunk, func(j int) error {
		for i := j * chunk; i < min(len(cards), (j+1)*chunk); i++ {
			keys[i] = b.cache.cardKey(cards[i], &b.memo)
		}
		return nil
	})
	return keys
}

// redirect is a page at an old URL, ready to write.
type redirect struct {
	name string
	html []byte
}

// redirects makes the pages that keep old URLs of place-valued taxonomies'
// terms working: "TP Cần Thơ" had a page at khu-vuc/tp-can-tho/, which now
// leads to Cần Thơ's.
func (b *builder) redirects() ([]redirect, error) {
	var out []redirect
	for _, t := range b.ix.Taxonomies {
		for _, r := range t.Redirects {
			html, err := layout.Redirect(b.cfg, layout.Link(b.cfg, r.To))
			if err != nil {
				return nil, fmt.Errorf("redirect %s: %w", r.Path, err)
			}
			out = append(out, redirect{name: r.Path + "index.html", html: html})
		}
	}
	return out, nil
}

// todayTime is the build's day as a time, for what takes one.
func (b *builder) todayTime() time.Time {
	return time.Date(b.today.Year, b.today.Month, b.today.Day, 12, 0, 0, 0, b.cfg.TimeZone)
}

// searchFacets are the search filters: every taxonomy with Facet set, its
// values in the order of its index page (years and periods newest first).
func searchFacets(cfg *config.Site, ix *index.Index) []search.Facet {
	var facets []search.Facet
	for _, t := range ix.Taxonomies {
		if !t.Config.Facet {
			continue
		}
		label, _ := layout.Labels(cfg, &t.Config)
		// A place's filter finds the articles of the places inside it too:
		// each article has its place and every place that place lies in.
		multiple := t.Config.Multiple || t.Config.Values == config.PlaceValues
		f := search.Facet{Key: string(t.Kind), Label: label, Multiple: multiple, Values: make([]string, len(t.Terms))}
		for i, term := range t.Terms {
			f.Values[i] = term.Name
		}
		facets = append(facets, f)
	}
	return facets
}

// searchDoc is an article as the search index sees it: its text and place
// taxonomy values are searched as words (a place also by its name), and its
// terms of each facet filter it (a place's also by the places it lies in).
// card is the article's card, for its region as shown.
func (b *builder) searchDoc(a *content.Article, card *layout.Card, doc *render.Doc) search.Doc {
	d := search.Doc{
		URL: b.cfg.BasePath + a.Path, Title: a.Title, Date: b.layouts.ShortDate(a.Date),
		Region: cmp.Or(card.Region.Name, a.Region), Body: doc.Text,
	}
	// One array holds the values of every facet, and one the words.
	var buf [16]*index.Term
	names := make([]string, 0, 8)
	d.Meta = make([]string, 0, 8)
	for _, t := range b.ix.Taxonomies {
		switch t.Config.Values {
		case config.TextValues:
			d.Meta = a.AppendTerms(d.Meta, &t.Config)
		case config.PlaceValues:
			start := len(d.Meta)
			d.Meta = a.AppendTerms(d.Meta, &t.Config)
			for _, term := range t.AppendTermsOf(buf[:0], a) {
				if !slices.Contains(d.Meta[start:], term.Name) {
					d.Meta = append(d.Meta, term.Name)
				}
			}
		}
		if t.Config.Facet {
			start := len(names)
			for _, term := range t.AppendTermsWithin(buf[:0], a) {
				names = append(names, term.Name)
			}
			d.Facets = append(d.Facets, names[start:len(names):len(names)])
		}
	}
	return d
}

// buildSearch indexes docs, for a build that deferred its search index.
func buildSearch(ctx context.Context, docs []search.Doc, facets []search.Facet, dir string) ([]SearchFile, error) {
	sb := search.NewBuilder(len(docs), facets)
	// docs are newest first; the index numbers them oldest first.
	for id := range docs {
		if id%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := sb.Add(id, docs[len(docs)-1-id]); err != nil {
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

// writeSearch writes the search index, if any, under the search page's
// folder. With a plan (a build with a cache on disk), the cache keeps its
// files and its State for the next build.
func (b *builder) writeSearch(searchIndex *search.Builder, plan *searchPlan, articles *renderedArticles, stats *Stats) error {
	if searchIndex == nil {
		return nil
	}
	var files []search.File
	var state *search.State
	var err error
	if plan != nil {
		files, state, err = searchIndex.FinishState(plan.keys)
	} else {
		files, err = searchIndex.Finish()
	}
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	stats.SearchIndexed = len(articles.cards)
	for _, f := range files {
		if strings.HasPrefix(f.Name, "s/") || strings.HasPrefix(f.Name, "t/") {
			stats.SearchEncoded++
		}
	}
	dir := layout.SearchIndexDir(b.cfg)
	err = b.parallel(len(files), func(i int) error {
		return b.out.write(dir+files[i].Name, files[i].Data, searchOrigin)
	})
	if err == nil && plan != nil {
		recorded := make([]cachedFile, len(files))
		for i, f := range files {
			recorded[i] = cachedFile{name: dir + f.Name, sum: output.SumOf(f.Data)}
		}
		b.recordSearch(plan, recorded, state, articles)
	}
	return err
}

// canReuseSearch reports whether the output can take every file of the
// last search index from the previous site.
func (b *builder) canReuseSearch() bool {
	r, ok := b.out.w.(output.Reuser)
	if !ok || len(b.cache.searchFiles) == 0 {
		return false
	}
	for _, f := range b.cache.searchFiles {
		if !r.CanReuse(f.name, f.sum) {
			return false
		}
	}
	return true
}

// reuseSearch takes the last search index whole from the previous site.
func (b *builder) reuseSearch() error {
	files := b.cache.searchFiles
	return b.parallel(len(files), func(i int) error {
		ok, err := b.out.reuse(files[i].name, files[i].sum, searchOrigin)
		if err == nil && !ok {
			err = fmt.Errorf("search index: %s is gone from the previous site; build again", files[i].name)
		}
		return err
	})
}

// maxStaticBytes bounds each static file, which is read whole.
const maxStaticBytes = 512 << 20

// wellKnown is the one hidden folder of static/ that is published: the
// standard place of security.txt, ACME challenges and app links.
const wellKnown = StaticDir + "/.well-known"

// staticFiles is what copying the static files hands on.
type staticFiles struct {
	// hidden are the hidden files and folders, sorted, not published.
	hidden []string
	// held are the files copyStatic was told to hold back, with the
	// folder each is read from.
	held map[string]fs.FS
}

// copyStatic copies the theme's static files, then the site's, which
// override theme files of the same name. Hidden files and folders (.git/,
// .env, .htpasswd) are not published, except .well-known/; they are listed
// in Stats.Hidden. Files for which hold, when set, reports true are not
// copied but returned.
func (b *builder) copyStatic(theme, site fs.FS, hold func(name string) bool) (*staticFiles, error) {
	files := map[string]fs.FS{}
	var errs diag.List
	hidden := map[string]bool{}
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
			if name != StaticDir && strings.HasPrefix(d.Name(), ".") && name != wellKnown {
				if d.IsDir() {
					hidden[name+"/"] = true
					return fs.SkipDir
				}
				hidden[name] = true
				return nil
			}
			// A pipe or device, opened, could block the build for ever.
			if err := input.CheckType(d.Type()); err != nil {
				errs.Addf(diag.Pos{File: name}, "%v", err)
				return nil
			}
			if !d.IsDir() {
				files[name] = fsys
			}
			return nil
		})
		if err != nil {
			errs.Addf(diag.Pos{File: StaticDir}, "cannot read: %v", err)
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	out := &staticFiles{held: map[string]fs.FS{}}
	for name := range hidden {
		out.hidden = append(out.hidden, name)
	}
	slices.Sort(out.hidden)
	copied := map[string]fs.FS{}
	for name, fsys := range files {
		if hold != nil && hold(name) {
			out.held[name] = fsys
		} else {
			copied[name] = fsys
		}
	}
	return out, b.copyFiles(copied)
}

// copyFiles copies static files, each read from its folder.
func (b *builder) copyFiles(files map[string]fs.FS) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	return b.parallel(len(names), func(i int) error {
		name := names[i]
		data, err := input.ReadFile(files[name], name, maxStaticBytes)
		if err != nil {
			return diag.Errorf(diag.Pos{File: name}, "%s", input.Message(err))
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
		// The writer's error names the output path; a source file that
		// made it is named first, where there is one.
		if origin != "a generated page" && origin != searchOrigin {
			return diag.Errorf(diag.Pos{File: origin}, "%v", err)
		}
		return err
	}
	return nil
}

// searchOrigin is the origin of the search index's files.
const searchOrigin = "the search index"

// reuse takes name from the site the output replaces, by its hash, when
// the output can.
func (t *trackedWriter) reuse(name string, sum output.Sum, origin string) (bool, error) {
	r, ok := t.w.(output.Reuser)
	if !ok {
		return false, nil
	}
	if origin == "" {
		origin = "a generated page"
	}
	// The name is claimed at once, in the one lock a reused file takes,
	// and given up if the output has no such file.
	t.mu.Lock()
	prev, dup := t.origin[name]
	if !dup {
		t.origin[name] = origin
	}
	t.mu.Unlock()
	if dup {
		return false, diag.Errorf(diag.Pos{File: origin}, "writes /%s, which %s also writes; rename one of them", name, prev)
	}
	reused, err := r.Reuse(name, sum)
	if err != nil || !reused {
		t.mu.Lock()
		delete(t.origin, name)
		t.mu.Unlock()
		return false, err
	}
	return true, nil
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
