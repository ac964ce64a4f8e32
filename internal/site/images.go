package site

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/images"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/render"
)

// rasterExts are the images the pipeline publishes; others (SVG) are
// copied and linked as they are.
var rasterExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true}

func isRaster(name string) bool { return rasterExts[strings.ToLower(path.Ext(name))] }

// imageStage publishes the raster images articles use: it finds each in
// static/ (site, then theme) or beside its article, processes it once per
// build, and remembers it for writing and for the budget.
type imageStage struct {
	ctx         context.Context
	cfg         *config.Site
	proc        *images.Processor
	site, theme fs.FS
	memo        *imageMemo // across builds of the preview; may be nil
	out         *trackedWriter

	mu      sync.Mutex
	used    map[string]*images.Result // by source file
	written map[string]bool           // by images.Result.Hash
}

// imageMemo remembers, across the preview's builds, the result for each
// source file by its size and time: an unchanged file is not even read.
type imageMemo struct {
	mu      sync.Mutex
	entries map[string]memoEntry
}

type memoEntry struct {
	size    int64
	modTime time.Time
	res     *images.Result
}

func newImageStage(ctx context.Context, cfg *config.Site, opts Options, out *trackedWriter) *imageStage {
	if !cfg.Images.Enabled {
		return nil
	}
	im := cfg.Images
	s := &imageStage{
		ctx: ctx, cfg: cfg, site: opts.Site, theme: opts.Theme,
		proc: images.New(images.Settings{
			Widths: im.Widths, Quality: im.Quality, WebP: im.WebP(), OGWidth: 1200,
			MaxPixels: im.MaxPixels, MaxBytes: im.MaxBytes,
		}, opts.ImageCache),
		used: map[string]*images.Result{}, written: map[string]bool{}, out: out,
	}
	if opts.Cache != nil {
		s.memo = &opts.Cache.images
	}
	return s
}

// settings fingerprints what the stage's output depends on, for the
// preview's render cache.
func (s *imageStage) settings() string {
	if s == nil {
		return "images off"
	}
	return fmt.Sprint(s.cfg.Images)
}

// source finds the file of an image written in file as dest. It reports
// false for images the pipeline leaves alone: other sites', and formats it
// does not process.
func (s *imageStage) source(file, dest string) (fsys fs.FS, name string, ok bool, err error) {
	u, perr := url.Parse(dest)
	if perr != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") || !isRaster(u.Path) {
		return nil, "", false, nil
	}
	p := u.Path
	if strings.HasPrefix(p, "/") {
		if base := s.cfg.BasePath; base != "/" && strings.HasPrefix(p, base) {
			p = "/" + strings.TrimPrefix(p, base)
		}
		name = path.Join(StaticDir, p)
		for _, fsys := range []fs.FS{s.site, s.theme} {
			if fsys == nil {
				continue
			}
			if _, err := fs.Stat(fsys, name); err == nil {
				return fsys, name, true, nil
			}
		}
		return nil, name, true, fmt.Errorf("image %s not found: put the file at %s", dest, name)
	}
	name = path.Join(path.Dir(file), p)
	if !fs.ValidPath(name) {
		return nil, name, true, fmt.Errorf("image %s is outside the site's folder; put it in static/ or beside the article", dest)
	}
	if _, err := fs.Stat(s.site, name); err != nil {
		return nil, name, true, fmt.Errorf("image %s not found: no file %s beside the article", dest, name)
	}
	return s.site, name, true, nil
}

// publish processes the image written in file as dest; nil for an image
// it leaves alone.
func (s *imageStage) publish(file, dest string) (*images.Result, error) {
	fsys, name, ok, err := s.source(file, dest)
	if !ok || err != nil {
		return nil, err
	}
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", dest, err)
	}
	if r := s.memo.get(name, st); r != nil {
		return r, s.use(name, r)
	}
	data, err := images.ReadFile(fsys, name, s.cfg.Images.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("image %s (%s): %w", dest, name, err)
	}
	r, err := s.proc.Process(s.ctx, data)
	if err != nil {
		return nil, fmt.Errorf("image %s (%s): %w", dest, name, err)
	}
	s.memo.put(name, st, r)
	return r, s.use(name, r)
}

// use records that this build shows the image, and writes its files the
// first time. A build without the preview's memo then lets their bytes
// go: it holds those of the images being processed, not of every image.
func (s *imageStage) use(name string, r *images.Result) error {
	s.mu.Lock()
	s.used[name] = r
	first := !s.written[r.Hash] // two files of the same bytes share one
	s.written[r.Hash] = true
	s.mu.Unlock()
	if !first {
		return nil
	}
	for _, f := range r.Files() {
		if err := s.out.write(f.Path, f.Data, name); err != nil {
			return err
		}
	}
	if s.memo == nil {
		r.Release()
	}
	return nil
}

func (m *imageMemo) get(name string, st fs.FileInfo) *images.Result {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[name]
	if !ok || e.size != st.Size() || !e.modTime.Equal(st.ModTime()) || st.ModTime().IsZero() {
		return nil
	}
	return e.res
}

func (m *imageMemo) put(name string, st fs.FileInfo, r *images.Result) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[string]memoEntry{}
	}
	m.entries[name] = memoEntry{st.Size(), st.ModTime(), r}
}

// isPublished reports whether a static file was published as processed
// images: its original, which may carry a camera's GPS position, is not.
func (s *imageStage) isPublished(name string) bool {
	_, ok := s.used[name]
	return ok
}

// budget warns about an article whose images weigh more than budget_kb.
func (s *imageStage) budget(pos diag.Pos, sets []*images.Set, warnings *diag.List) {
	total := 0
	seen := map[string]bool{}
	for _, set := range sets {
		if !seen[set.Src] {
			seen[set.Src] = true
			total += set.Weight
		}
	}
	if limit := s.cfg.Images.BudgetKB; total > limit*1024 {
		warnings.Addf(pos, "the article's images weigh %d KB at their largest, over the budget of %d KB ([images] budget_kb); use fewer or smaller photos", (total+1023)/1024, limit)
	}
}

// renderCallback is render.Options.Image: body images become pictures.
func (s *imageStage) renderCallback() func(file, dest string) (*images.Set, error) {
	if s == nil {
		return nil
	}
	return func(file, dest string) (*images.Set, error) {
		r, err := s.publish(file, dest)
		if r == nil || err != nil {
			return nil, err
		}
		return r.Set(s.cfg.BasePath), nil
	}
}

// stillPublished reports whether every processed image of a cached
// rendering is unchanged, and marks them used by this build.
func (s *imageStage) stillPublished(file string, doc *render.Doc) bool {
	if s == nil {
		return true
	}
	for _, img := range doc.Images {
		r, err := s.publish(file, img.Dest)
		if err != nil || r == nil || r.Set(s.cfg.BasePath).Src != img.Set.Src {
			return false
		}
	}
	return true
}

// leadImage processes an article's image field when it names a raster
// image of the site; nil otherwise. Errors are at the field.
func (b *builder) leadImage(a *content.Article) (*images.Set, error) {
	if b.images == nil || a.Image == "" {
		return nil, nil
	}
	r, err := b.images.publish(a.File, a.Image)
	if err != nil {
		return nil, &diag.Error{Pos: a.FieldPos("image"), Err: err}
	}
	if r == nil {
		return nil, nil
	}
	return r.Set(b.cfg.BasePath), nil
}

// showImages puts an article's processed images on its page: the lead
// image as a picture, its 1200-px JPEG for link previews, and a warning
// when the article's images weigh more than the budget.
func (b *builder) showImages(a *content.Article, page *layout.Page, lead *images.Set, doc *render.Doc) {
	var sets []*images.Set
	pos := diag.Pos{File: a.File, Line: 1, Col: 1}
	if lead != nil {
		page.Article.Picture = lead.Picture(images.Attrs{Class: "lead-image"})
		page.Image = b.absoluteURL(lead.OG)
		page.ImageWidth, page.ImageHeight = lead.OGWidth, lead.OGHeight
		sets = append(sets, lead)
		pos = a.FieldPos("image")
	}
	for i, img := range doc.Images {
		if i == 0 && lead == nil {
			for _, l := range doc.Links {
				if l.Image && l.Dest == img.Dest {
					pos = l.Pos
					break
				}
			}
		}
		sets = append(sets, img.Set)
	}
	var warnings diag.List
	b.images.budget(pos, sets, &warnings)
	if len(warnings) > 0 {
		b.mu.Lock()
		b.stats.Warnings = append(b.stats.Warnings, warnings...)
		b.mu.Unlock()
	}
}

// absoluteURL makes a URL under the base path absolute, for link previews.
func (b *builder) absoluteURL(u string) string {
	base, err := url.Parse(b.cfg.BaseURL)
	if err != nil {
		return u
	}
	ref, err := url.Parse(u)
	if err != nil {
		return u
	}
	return base.ResolveReference(ref).String()
}

// copyStaticImages copies the static raster images no article published
// as processed images (a logo a layout shows, a photo only linked to).
func (b *builder) copyStaticImages() error {
	var names []string
	for n := range b.heldImages {
		if !b.images.isPublished(n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return b.copyFiles(names, b.heldImages)
}
