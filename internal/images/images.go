// Package images turns the photos articles use into small, clean files for
// the web: it checks them against size limits before decoding, turns them
// upright (EXIF orientation), scales them to a few widths (never up),
// encodes WebP and a JPEG or PNG fallback with no metadata, and caches the
// results by content hash, so an unchanged image is never decoded again.
package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// pipelineVersion is part of every cache key: bump it when a change to
// this package changes the bytes it writes.
const pipelineVersion = "bantin-images-1"

// OutputDir is the site folder processed images are written under, one
// folder per source image: "_img/<hash>/480.webp".
const OutputDir = "_img"

// Settings are what shapes the output; every field is part of the cache key.
type Settings struct {
	// Widths are the widths to publish, ascending; a source narrower than
	// the widest is published at its own width instead of larger ones.
	Widths []int
	// Quality is the JPEG and lossy WebP quality, 1 to 100.
	Quality int
	// WebP publishes WebP variants beside the JPEG or PNG fallback.
	WebP bool
	// OGWidth is the width of the JPEG for link previews (Open Graph).
	OGWidth int
	// MaxPixels and MaxBytes refuse larger images before decoding them.
	MaxPixels int64
	MaxBytes  int64
}

// Defaults returns the settings site.toml leaves unchanged.
func Defaults() Settings {
	return Settings{
		Widths:    []int{480, 960, 1600},
		Quality:   78,
		WebP:      true,
		OGWidth:   1200,
		MaxPixels: 50_000_000,
		MaxBytes:  50 << 20,
	}
}

func (s Settings) fingerprint() string {
	return fmt.Sprintf("%s|w=%v|q=%d|webp=%t|og=%d|px=%d|b=%d|m=%d",
		pipelineVersion, s.Widths, s.Quality, s.WebP, s.OGWidth, s.MaxPixels, s.MaxBytes, webpMethod)
}

// Variant is one published file of an image.
type Variant struct {
	Name   string // file name inside the image's folder: "480.webp"
	Format string // "webp", "jpeg" or "png"
	Width  int
	Height int
	Size   int // bytes
}

// Result is a processed image: its published files and their sizes.
type Result struct {
	// Hash names the image's output folder; it changes with the source's
	// bytes and with the settings, so published files never go stale in
	// a browser's cache.
	Hash string
	// Width and Height are the upright size of the source.
	Width, Height int
	// Variants are ordered by format (fallback first), then width.
	Variants []Variant
	// OG is the JPEG for link previews.
	OG   Variant
	data map[string][]byte // by Variant.Name
}

// File is a published file of an image.
type File struct {
	Path string // site path: "_img/<hash>/480.webp"
	Data []byte
}

// Files returns the image's files to publish, sorted by path.
func (r *Result) Files() []File {
	out := make([]File, 0, len(r.data))
	for name, data := range r.data {
		out = append(out, File{Path: r.dir() + name, Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Release drops the files' bytes, once written; Files then returns none.
// Set and Weight still work.
func (r *Result) Release() { r.data = nil }

func (r *Result) dir() string { return OutputDir + "/" + r.Hash + "/" }

// OGPath is the site path of the JPEG for link previews, as in Files.
func (r *Result) OGPath() string { return r.dir() + r.OG.Name }

// Weight is what a reader with a large screen downloads for the image:
// its largest WebP variant, or its largest fallback without WebP.
func (r *Result) Weight() int {
	best := 0
	hasWebP := slices.ContainsFunc(r.Variants, func(v Variant) bool { return v.Format == "webp" })
	for _, v := range r.Variants {
		if (v.Format == "webp") == hasWebP {
			best = max(best, v.Size)
		}
	}
	return best
}

// Processor processes images for one site; it is safe for concurrent use,
// and processes each distinct image once however many articles use it.
type Processor struct {
	settings Settings
	key      string // settings fingerprint
	cache    *diskCache
	// decodeSlots bounds the sources decoded at once (each may take
	// hundreds of megabytes); encodeSlots the encoders running at once.
	decodeSlots chan struct{}
	encodeSlots chan struct{}
	decodes     atomic.Int64

	mu    sync.Mutex
	calls map[string]*call
}

type call struct {
	done chan struct{}
	res  *Result
	err  error
}

// New returns a processor. cacheDir, when not empty, is the folder of the
// on-disk cache; it is created when first written.
func New(s Settings, cacheDir string) *Processor {
	n := runtime.GOMAXPROCS(0)
	p := &Processor{
		settings:    s,
		key:         s.fingerprint(),
		decodeSlots: make(chan struct{}, n),
		encodeSlots: make(chan struct{}, n),
		calls:       map[string]*call{},
	}
	if cacheDir != "" {
		p.cache = &diskCache{dir: cacheDir}
	}
	return p
}

// Decodes is how many images this processor has decoded: cached images
// are not.
func (p *Processor) Decodes() int64 { return p.decodes.Load() }

// Process publishes one source image, given its encoded bytes. Errors say
// what is wrong with the image and what to do; the caller adds where it
// was used.
func (p *Processor) Process(ctx context.Context, data []byte) (*Result, error) {
	h := sha256.New()
	h.Write([]byte(p.key))
	h.Write([]byte{0})
	h.Write(data)
	key := hex.EncodeToString(h.Sum(nil))

	p.mu.Lock()
	c, running := p.calls[key]
	if !running {
		c = &call{done: make(chan struct{})}
		p.calls[key] = c
	}
	p.mu.Unlock()
	if running {
		select {
		case <-c.done:
			return c.res, c.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.res, c.err = p.process(ctx, key, data)
	close(c.done)
	if c.err != nil && ctx.Err() != nil {
		// A cancelled attempt is not the image's fault: forget it.
		p.mu.Lock()
		delete(p.calls, key)
		p.mu.Unlock()
	}
	return c.res, c.err
}

func (p *Processor) process(ctx context.Context, key string, data []byte) (*Result, error) {
	hdr, err := readHeader(data, p.settings)
	if err != nil {
		return nil, err
	}
	hash := key[:16]
	if p.cache != nil {
		if r, ok := p.cache.load(key); ok {
			r.Hash = hash
			return r, nil
		}
	}
	r, err := p.convert(ctx, data, hdr)
	if err != nil {
		return nil, err
	}
	r.Hash = hash
	if p.cache != nil {
		// A cache that cannot be written costs time next build, nothing
		// more: the build goes on.
		_ = p.cache.store(key, r)
	}
	return r, nil
}

// job is one encoding of one scaled image.
type job struct {
	v        Variant
	img      *image.RGBA
	lossless bool // WebP only
}

// convert decodes, scales and encodes an image whose header passed.
func (p *Processor) convert(ctx context.Context, data []byte, hdr header) (*Result, error) {
	s := p.settings
	select {
	case p.decodeSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	jobs, r, err := p.scaleAll(data, hdr)
	<-p.decodeSlots // the source is dropped: scaled copies are all we keep
	if err != nil {
		return nil, err
	}

	out := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case p.encodeSlots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer func() { <-p.encodeSlots; wg.Done() }()
			switch j.v.Format {
			case "jpeg":
				out[i], errs[i] = encodeJPEG(j.img, s.Quality)
			case "png":
				out[i], errs[i] = encodePNG(j.img)
			case "webp":
				out[i], errs[i] = encodeWebP(j.img, s.Quality, j.lossless)
			}
		}()
	}
	wg.Wait()
	r.data = map[string][]byte{}
	for i, j := range jobs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		v := j.v
		v.Size = len(out[i])
		r.data[v.Name] = out[i]
		if strings.HasPrefix(v.Name, "og") {
			r.OG = v
		} else {
			r.Variants = append(r.Variants, v)
		}
	}
	if r.OG.Name == "" { // shared with a JPEG variant of the same width
		for _, v := range r.Variants {
			if v.Format == "jpeg" && v.Width == r.OG.Width {
				r.OG = v
			}
		}
	}
	return r, nil
}

// scaleAll decodes the source and scales it to every published size.
func (p *Processor) scaleAll(data []byte, hdr header) ([]job, *Result, error) {
	s := p.settings
	src, err := decode(data, hdr)
	if err != nil {
		return nil, nil, err
	}
	p.decodes.Add(1)
	uw, uh := hdr.width, hdr.height
	if hdr.orientation.transposes() {
		uw, uh = uh, uw
	}
	r := &Result{Width: uw, Height: uh}
	// Drawings and screenshots of few colours are smaller and sharper as
	// lossless WebP and PNG; photos (JPEG sources above all) are not.
	lossless := hdr.format != "jpeg" && fewColors(src)
	fallback := "jpeg"
	if lossless || !opaque(src) {
		fallback = "png"
	}

	sc := newScaler(src)
	scaled := map[int]*image.RGBA{}
	at := func(w int) *image.RGBA {
		if m, ok := scaled[w]; ok {
			return m
		}
		h := max(1, (uh*w+uw/2)/uw)
		sw, sh := w, h
		if hdr.orientation.transposes() {
			sw, sh = h, w
		}
		m := orient(sc.scale(sw, sh), hdr.orientation)
		scaled[w] = m
		return m
	}
	var jobs []job
	widths := targetWidths(s.Widths, uw)
	for _, w := range widths {
		m := at(w)
		ext := map[string]string{"jpeg": "jpg", "png": "png"}[fallback]
		jobs = append(jobs, job{Variant{Name: fmt.Sprintf("%d.%s", w, ext), Format: fallback, Width: w, Height: m.Rect.Dy()}, m, false})
	}
	if s.WebP {
		for _, w := range widths {
			m := at(w)
			jobs = append(jobs, job{Variant{Name: fmt.Sprintf("%d.webp", w), Format: "webp", Width: w, Height: m.Rect.Dy()}, m, lossless})
		}
	}
	og := min(s.OGWidth, uw)
	r.OG = Variant{Width: og}
	if fallback != "jpeg" || !slices.Contains(widths, og) {
		m := at(og)
		jobs = append(jobs, job{Variant{Name: fmt.Sprintf("og-%d.jpg", og), Format: "jpeg", Width: og, Height: m.Rect.Dy()}, m, false})
	}
	return jobs, r, nil
}

// targetWidths are the widths to publish for a source w pixels wide: the
// configured ones below w, and w itself when the widest configured is
// wider, so that no variant is upscaled and there is always one.
func targetWidths(widths []int, w int) []int {
	var out []int
	largest := 0
	for _, t := range widths {
		largest = max(largest, t)
		if t < w {
			out = append(out, t)
		}
	}
	if largest >= w {
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
