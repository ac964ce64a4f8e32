package images

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/bantin/bantin/internal/images/imagestest"
)

// BenchmarkProcess4000x3000 processes the camera photo with an empty
// cache (cold) and with its entry already written (cached). The cached
// case must decode nothing: it reports decodes/op, and fails otherwise.
func BenchmarkProcess4000x3000(b *testing.B) {
	src := imagestest.CameraJPEG()
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			p := New(Defaults(), b.TempDir())
			if _, err := p.Process(context.Background(), src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		dir := b.TempDir()
		if _, err := New(Defaults(), dir).Process(context.Background(), src); err != nil {
			b.Fatal(err)
		}
		var decodes int64
		for b.Loop() {
			p := New(Defaults(), dir)
			if _, err := p.Process(context.Background(), src); err != nil {
				b.Fatal(err)
			}
			decodes += p.Decodes()
		}
		b.ReportMetric(float64(decodes)/float64(b.N), "decodes/op")
		if decodes != 0 {
			b.Fatalf("a cached image was decoded %d times", decodes)
		}
	})
}

// BenchmarkResize scales the decoded 4000×3000 photo to 1600 px, with
// Catmull-Rom alone, with a box pre-shrink first (what the pipeline does),
// and with ApproxBiLinear alone.
func BenchmarkResize(b *testing.B) {
	src := decodedCamera(b)
	for _, c := range resizers() {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.scale(src, 1600, 1200)
			}
		})
	}
}

// BenchmarkEncodeWebP encodes a 1600×1200 photo at each libwebp method,
// reporting bytes; JPEG at the same quality for reference.
func BenchmarkEncodeWebP(b *testing.B) {
	m := newScaler(decodedCamera(b)).scale(1600, 1200)
	b.Run("jpeg", func(b *testing.B) {
		for b.Loop() {
			out, _ := encodeJPEG(m, 78)
			b.ReportMetric(float64(len(out)), "bytes")
		}
	})
	for _, method := range []int{0, 2, 4} {
		b.Run(fmt.Sprint("method", method), func(b *testing.B) {
			for b.Loop() {
				out, err := encodeWebPMethod(m, 78, false, method)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(out)), "bytes")
			}
		})
	}
}

type resizer struct {
	name  string
	scale func(src image.Image, w, h int) *image.RGBA
}

func resizers() []resizer {
	kernel := func(k xdraw.Interpolator) func(image.Image, int, int) *image.RGBA {
		return func(src image.Image, w, h int) *image.RGBA {
			out := image.NewRGBA(image.Rect(0, 0, w, h))
			k.Scale(out, out.Rect, src, src.Bounds(), draw.Src, nil)
			return out
		}
	}
	return []resizer{
		{"catmullrom", kernel(xdraw.CatmullRom)},
		{"box+catmullrom", func(src image.Image, w, h int) *image.RGBA { return newScaler(src).scale(w, h) }},
		{"approxbilinear", kernel(xdraw.ApproxBiLinear)},
	}
}

func decodedCamera(tb testing.TB) image.Image {
	tb.Helper()
	data := imagestest.CameraJPEG()
	h, err := readHeader(data, Defaults())
	if err != nil {
		tb.Fatal(err)
	}
	m, err := decode(data, h)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestResizeQuality compares each resizer's 1600-px and 480-px results with
// Catmull-Rom's straight from the source, the slow reference.
func TestResizeQuality(t *testing.T) {
	t.Parallel()
	src := decodedCamera(t)
	for _, size := range []image.Point{{1600, 1200}, {480, 360}} {
		ref := resizers()[0].scale(src, size.X, size.Y)
		for _, c := range resizers()[1:] {
			got := psnr(ref, c.scale(src, size.X, size.Y))
			t.Logf("%s at %d px: %.1f dB from the reference", c.name, size.X, got)
			if c.name == "box+catmullrom" && got < 38 {
				t.Errorf("the pipeline's resize is %.1f dB from Catmull-Rom at %d px, want 38 or more", got, size.X)
			}
		}
	}
}

// psnr is the peak signal-to-noise ratio of b against a, in dB.
func psnr(a, b *image.RGBA) float64 {
	var se float64
	for i := range a.Pix {
		if i%4 == 3 {
			continue
		}
		d := float64(a.Pix[i]) - float64(b.Pix[i])
		se += d * d
	}
	mse := se / float64(len(a.Pix)/4*3)
	return 10 * math.Log10(255*255/mse)
}
