package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/images"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/render"
)

// rasterExts are the images the pipeline publishes; others (SVG) are
// copied and linked as they are.
var rasterExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true}

func isRaster(name string) bool { return rasterExts[strings.ToLower(path.Ext(name))] }

// Card thumbnails are shown in a box of thumbWidth×thumbHeight CSS pixels
// (.card .thumb in the theme's bantin.css).
const thumbWidth, thumbHeight = 120, 80

// imageStage publishes the raster images articles and site.toml use: it
// finds each in static/ (site, then theme) or beside its article, and
// processes it once per build, writing its files the first time. A nil
// stage ([images] enabled = false) publishes nothing.
type imageStage struct {
	ctx         context.Context
	cfg         *config.Site
	proc        *images.Processor
	site, theme fs.FS
	memo        *imageMemo // across builds of the preview; may be nil
	// out receives the images' files; nil when the stage only looks up
	// images the preview's last build published (PreviewArticle).
	out *trackedWriter

	mu      sync.Mutex
	written map[string]bool // site paths of image files this build wrote
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

// newImageStage returns the build's image stage, or nil when site.toml
// turns images off. With out nil, it only finds images in the preview's
// memo of earlier builds.
func newImageStage(ctx context.Context, cfg *config.Site, opts Options, out *trackedWriter) *imageStage {
	if !cfg.Images.Enabled {
		return nil
	}
	im := cfg.Images
	s := &imageStage{
		ctx: ctx, cfg: cfg, site: opts.Site, theme: opts.Theme, out: out,
		proc: images.New(images.Settings{
			Widths: im.Widths, Quality: im.Quality, WebP: im.WebP(), OGWidth: 1200,
			MaxPixels: im.MaxPixels, MaxBytes: im.MaxBytes,
		}, opts.ImageCache),
		written: map[string]bool{},
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

// holds reports whether copyStatic leaves a static file to the stage:
// raster images, whose originals are published only if nothing shows
// them processed.
func (s *imageStage) holds(name string) bool { return s != nil && isRaster(name) }

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

// publish processes the image written in file as dest, writes its files
// and returns its set; nil for an image it leaves alone.
func (s *imageStage) publish(file, dest string) (*images.Set, error) {
	return s.publishFiles(file, dest, false)
}

// publishFiles is publish; with ogOnly, it writes only the JPEG for link
// previews, which is all the share image needs.
func (s *imageStage) publishFiles(file, dest string, ogOnly bool) (*images.Set, error) {
	if s == nil {
		return nil, nil
	}
	fsys, name, ok, err := s.source(file, dest)
	if !ok || err != nil {
		if s.out == nil {
			err = nil // the preview shows the image as written
		}
		return nil, err
	}
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", dest, err)
	}
	r := s.memo.get(name, st)
	if r == nil && s.out == nil {
		return nil, nil
	}
	if r == nil {
		// Read like every source: a regular file only, and no more than
		// max_bytes of it.
		data, err := input.ReadFile(fsys, name, s.cfg.Images.MaxBytes)
		var tooLarge *input.TooLargeError
		switch {
		case errors.As(err, &tooLarge):
			return nil, fmt.Errorf("image %s (%s) %s ([images] max_bytes); scale it down or export it smaller", dest, name, tooLarge.Error())
		case err != nil:
			return nil, fmt.Errorf("image %s (%s): %s", dest, name, input.Message(err))
		}
		if r, err = s.proc.Process(s.ctx, data); err != nil {
			return nil, fmt.Errorf("image %s (%s): %w", dest, name, err)
		}
		s.memo.put(name, st, r)
	}
	if err := s.write(name, r, ogOnly); err != nil {
		return nil, err
	}
	set := r.Set(s.cfg.BasePath)
	set.Source = name
	return set, nil
}

// write writes the files of an image this build has not written yet (two
// sources of the same bytes share them). A build without the preview's
// memo then lets their bytes go: it holds those of the images being
// processed, not of every image. Only the share image is published
// ogOnly, first of all: its other files stay for an article that shows it.
func (s *imageStage) write(name string, r *images.Result, ogOnly bool) error {
	if s.out == nil {
		return nil
	}
	s.mu.Lock()
	var files []images.File
	for _, f := range r.Files() {
		if !s.written[f.Path] && (!ogOnly || f.Path == r.OGPath()) {
			s.written[f.Path] = true
			files = append(files, f)
		}
	}
	s.mu.Unlock()
	for _, f := range files {
		if err := s.out.write(f.Path, f.Data, name); err != nil {
			return err
		}
	}
	if s.memo == nil && !ogOnly {
		s.mu.Lock()
		r.Release()
		s.mu.Unlock()
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

// shareImage publishes site.toml's share image when it is a raster image
// of the site, for link previews as a 1200-px JPEG; nil otherwise.
// Problems are at its line in site.toml.
func (s *imageStage) shareImage() (*images.Set, error) {
	if s == nil || !strings.HasPrefix(s.cfg.Image, "/") {
		return nil, nil
	}
	set, err := s.publishFiles("site.toml", s.cfg.Image, true)
	if err != nil {
		return nil, &diag.Error{Pos: s.cfg.ImagePos, Err: err}
	}
	return set, nil
}

// leadImages publishes the image field of every article that names a
// raster image of the site. The sets are indexed like articles, nil for
// an article without one; problems are at the field.
func (s *imageStage) leadImages(b *builder, articles []*content.Article) ([]*images.Set, error) {
	leads := make([]*images.Set, len(articles))
	if s == nil {
		return leads, nil
	}
	err := b.parallel(len(articles), func(i int) error {
		a := articles[i]
		if a.Image == "" {
			return nil
		}
		set, err := s.publish(a.File, a.Image)
		if err != nil {
			return &diag.Error{Pos: a.FieldPos("image"), Err: err}
		}
		leads[i] = set
		return nil
	})
	return leads, err
}

// renderCallback is render.Options.Image: body images become pictures.
func (s *imageStage) renderCallback() func(file, dest string) (*images.Set, error) {
	if s == nil {
		return nil
	}
	return s.publish
}

// stillPublished reports whether every processed image of a cached
// rendering is unchanged, and publishes them for this build.
func (s *imageStage) stillPublished(file string, doc *render.Doc) bool {
	if s == nil {
		return true
	}
	for _, img := range doc.Images {
		set, err := s.publish(file, img.Dest)
		if err != nil || set == nil || set.Src != img.Set.Src {
			return false
		}
	}
	return true
}

// budget returns a warning, at the article's first image, when its images
// weigh more than budget_kb at their largest; nil otherwise.
func (s *imageStage) budget(a *content.Article, lead *images.Set, doc *render.Doc) error {
	if s == nil || (lead == nil && len(doc.Images) == 0) {
		return nil
	}
	total := 0
	seen := map[string]bool{}
	add := func(set *images.Set) {
		if !seen[set.Src] {
			seen[set.Src] = true
			total += set.Weight
		}
	}
	var pos diag.Pos
	if lead != nil {
		add(lead)
		pos = a.FieldPos("image")
	} else {
		for _, l := range doc.Links {
			if l.Image && l.Dest == doc.Images[0].Dest {
				pos = l.Pos
				break
			}
		}
	}
	for _, img := range doc.Images {
		add(img.Set)
	}
	limit := s.cfg.Images.BudgetKB
	if total <= limit*1024 {
		return nil
	}
	return diag.Errorf(pos, "the article's images weigh %d KB at their largest, over the budget of %d KB ([images] budget_kb); use fewer or smaller photos", (total+1023)/1024, limit)
}

// unused returns the held static images that nothing published as
// processed images (a logo a layout shows, a photo only linked to), to be
// copied as they are: the originals of the others, which may carry a
// camera's GPS position, are not published.
func (s *imageStage) unused(held map[string]fs.FS, share *images.Set, leads []*images.Set, bodies [][]string) map[string]fs.FS {
	used := map[string]bool{}
	if share != nil {
		used[share.Source] = true
	}
	for _, set := range leads {
		if set != nil {
			used[set.Source] = true
		}
	}
	for _, sources := range bodies {
		for _, name := range sources {
			used[name] = true
		}
	}
	out := make(map[string]fs.FS, len(held))
	for name, fsys := range held {
		if !used[name] {
			out[name] = fsys
		}
	}
	return out
}

// thumbnail is a card's thumbnail for its article's processed image, or
// empty (the layout then shows the image as written).
func thumbnail(lead *images.Set) template.HTML {
	if lead == nil {
		return ""
	}
	return lead.Thumbnail(thumbWidth, thumbHeight, images.Attrs{Class: "thumb"})
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
