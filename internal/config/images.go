package config

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/fields"
)

// Images configures the image pipeline ([images] in site.toml).
type Images struct {
	// Enabled processes the raster images articles use; on by default.
	Enabled bool
	// Widths are the widths published, ascending and distinct.
	Widths []int
	// Quality is the JPEG and WebP quality, 1 to 100.
	Quality int
	// Formats are the formats published: "jpeg" (the fallback, with PNG
	// for transparent images and drawings) and optionally "webp".
	Formats []string
	// BudgetKB is the image weight above which bantin check warns about
	// an article.
	BudgetKB int
	// MaxPixels and MaxBytes refuse larger images before decoding them.
	MaxPixels int64
	MaxBytes  int64
	// CacheDir is the cache of processed images, relative to the site.
	CacheDir string
}

// WebP reports whether WebP variants are published.
func (im Images) WebP() bool { return slices.Contains(im.Formats, "webp") }

func defaultImages() Images {
	return Images{
		Enabled:   true,
		Widths:    []int{480, 960, 1600},
		Quality:   78,
		Formats:   []string{"webp", "jpeg"},
		BudgetKB:  1000,
		MaxPixels: 50_000_000,
		MaxBytes:  50 << 20,
		CacheDir:  ".bantin/cache/images",
	}
}

var imageKeys = fields.Schema{Keys: []string{"enabled", "widths", "quality", "formats", "budget_kb", "max_pixels", "max_bytes", "cache_dir"}}

// parseImages reads the [images] table into im.
func parseImages(r *fields.Reader, im *Images, errs *diag.List) {
	imageKeys.CheckKeys(r.Map, "[images]", errs)
	im.Enabled = r.Bool("enabled", im.Enabled)
	im.Quality = r.Int("quality", im.Quality, 1, 100)
	im.BudgetKB = r.Int("budget_kb", im.BudgetKB, 1, 1<<20)
	im.MaxPixels = int64(r.Int("max_pixels", int(im.MaxPixels), 1, 1_000_000_000))
	im.MaxBytes = int64(r.Int("max_bytes", int(im.MaxBytes), 1024, 1<<31))
	if n := r.Map.Get("widths"); n != nil && n.Kind != fields.Null {
		if n.Kind != fields.List || len(n.Items) == 0 {
			errs.Addf(n.Pos, "widths must be a list of widths in pixels, such as [480, 960, 1600]")
		} else {
			var widths []int
			for _, item := range n.Items {
				if item.Kind != fields.Int {
					errs.Addf(item.Pos, "widths must be whole numbers of pixels, not %s", item.Describe())
					continue
				}
				v, err := item.Int()
				if err != nil || v < 16 || v > 8192 {
					errs.Addf(item.Pos, "widths must be from 16 to 8192 pixels, not %s", item.Text)
					continue
				}
				widths = append(widths, int(v))
			}
			slices.Sort(widths)
			im.Widths = slices.Compact(widths)
		}
	}
	if formats, pos := r.StringList("formats"); pos != nil {
		im.Formats = nil
		for i, f := range formats {
			f = strings.ToLower(strings.TrimSpace(f))
			if f == "jpg" {
				f = "jpeg"
			}
			if f != "webp" && f != "jpeg" {
				errs.Addf(pos[i], "formats can hold \"webp\" and \"jpeg\", not %q", formats[i])
				continue
			}
			im.Formats = append(im.Formats, f)
		}
		if !slices.Contains(im.Formats, "jpeg") {
			errs.Addf(pos[0], "formats must include \"jpeg\": every browser needs a fallback (transparent images and drawings fall back to PNG)")
		}
	}
	if v, pos, ok := r.String("cache_dir", false); ok {
		v = strings.Trim(v, "/")
		if !fs.ValidPath(v) || v == "." {
			errs.Addf(pos, "cache_dir must be a folder inside the site, such as \".bantin/cache/images\"")
		} else {
			im.CacheDir = v
		}
	}
}
