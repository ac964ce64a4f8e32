package site

import (
	"context"
	"fmt"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/layout"
)

// PreviewArticle renders the page the site would have for the content file
// file if it held src: the same validation (content.Parse), renderer and
// layouts as a build, against the rest of the site's articles, so that
// term links, related articles and breadcrumbs are those of the real page.
// The article is shown even when it is a draft or dated in the future.
// Nothing is written anywhere.
//
// The other articles are those of the last build made with opts.Cache,
// when there is one; otherwise the site's content is loaded. Problems come
// back as a diag.List, positioned in file.
func PreviewArticle(ctx context.Context, cfg *config.Site, opts Options, file string, src []byte) ([]byte, error) {
	a, err := content.Parse(file, src, cfg)
	if err != nil {
		return nil, err
	}
	if opts.Content.Now.IsZero() {
		opts.Content.Now = time.Now()
	}
	var others []*content.Article
	if cached, ok := cachedArticles(opts.Cache); ok {
		others = cached
	} else {
		load := opts.Content
		load.Cache, load.ReleaseBodiesOver = nil, 0
		if opts.Cache != nil {
			load.Cache = opts.Cache.Content
		}
		set, err := content.Load(ctx, opts.Site, cfg, load)
		if err != nil {
			return nil, fmt.Errorf("load the other articles: %w", err)
		}
		others = set.Articles
	}
	articles := make([]*content.Article, 0, len(others)+1)
	for _, o := range others {
		if o.File != file {
			articles = append(articles, o)
		}
	}
	articles = append(articles, a)
	content.SortNewestFirst(articles)
	places, err := gazetteer.ForSite(opts.Site)
	if err != nil {
		return nil, err
	}
	ix, err := index.Build(cfg, articles, places)
	if err != nil {
		return nil, err
	}
	layouts, err := layout.Load(opts.Site, opts.Theme, cfg)
	if err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, cfg: cfg, ix: ix, layouts: layouts, src: opts.Site, today: content.DayOf(opts.Content.Now.In(cfg.TimeZone))}
	b.site = layout.NewSite(cfg, ix)
	// Images show as the preview's last build published them; one it
	// did not (just uploaded, say) shows as written, its original served.
	imgs := newImageStage(ctx, cfg, opts, nil)
	if share, _ := imgs.shareImage(); share != nil {
		b.site.ShareImage = b.absoluteURL(share.OG)
		b.site.ShareImageWidth, b.site.ShareImageHeight = share.OGWidth, share.OGHeight
	}
	byFile := make(map[string]string, len(articles))
	for _, o := range articles {
		byFile[o.File] = o.Path
	}
	lead, _ := imgs.publish(a.File, a.Image)
	doc, err := newRenderer(cfg, byFile, imgs).RenderArticle(a.File, a.BodyLine, a.Body, lead != nil)
	if err != nil {
		return nil, err
	}
	summary := a.Summary
	if summary == "" {
		summary = doc.Summary
	}
	card := layout.NewCard(cfg, a, ix, summary, b.today)
	card.Thumb = thumbnail(lead)
	page, derive := b.articlePage(a, doc, card, lead, func(r *content.Article) *layout.Card {
		c := layout.NewCard(cfg, r, ix, "", b.today)
		if r.Image != "" {
			set, _ := imgs.publish(r.File, r.Image)
			c.Thumb = thumbnail(set)
		}
		return c
	})
	if err := derive(page); err != nil {
		return nil, err
	}
	return layouts.Render(layout.KindArticle, page)
}

func cachedArticles(c *Cache) ([]*content.Article, bool) {
	if c == nil {
		return nil, false
	}
	return c.lastPublished()
}
