package images

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"github.com/gen2brain/webp"
)

// webpMethod is libwebp's speed/size trade-off (0 fastest, 6 smallest).
// Method 2 measured about 2.5 times faster than the default 4 for 5% more
// bytes on photos (BenchmarkEncodeWebP); images are encoded once and then
// cached, but a first build of a photo-heavy site pays for every one.
const webpMethod = 2

// maxPaletteColors is the most colours an image can have to be written as
// a palette: PNG's and WebP's colour-indexing limit.
const maxPaletteColors = 256

func encodeJPEG(m *image.RGBA, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, flatten(m), &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("encode JPEG: %w", err)
	}
	return buf.Bytes(), nil
}

// encodePNG writes m losslessly: as a palette image when it has at most
// 256 colours (often a quarter of the size), else as 8-bit RGBA.
func encodePNG(m *image.RGBA) ([]byte, error) {
	n := toNRGBA(m)
	var img image.Image = n
	if p := palette(n); p != nil {
		img = p
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// palette returns m as a paletted image when it has at most 256 distinct
// colours, else nil. It stops counting at the 257th.
func palette(m *image.NRGBA) *image.Paletted {
	index := map[uint32]uint8{}
	var pal color.Palette
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewPaletted(m.Rect, nil)
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+w*4]
		for x := range w {
			p := row[x*4 : x*4+4 : x*4+4]
			c := uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
			i, ok := index[c]
			if !ok {
				if len(pal) == maxPaletteColors {
					return nil
				}
				i = uint8(len(pal))
				index[c] = i
				pal = append(pal, color.NRGBA{p[0], p[1], p[2], p[3]})
			}
			out.Pix[y*out.Stride+x] = i
		}
	}
	out.Palette = pal
	return out
}

// encodeWebP writes m as lossy WebP at quality, or lossless for images of
// few colours (drawings, charts, screenshots), where lossy coding blurs
// edges and lossless is smaller anyway.
func encodeWebP(m *image.RGBA, quality int, lossless bool) ([]byte, error) {
	return encodeWebPMethod(m, quality, lossless, webpMethod)
}

func encodeWebPMethod(m *image.RGBA, quality int, lossless bool, method int) ([]byte, error) {
	var buf bytes.Buffer
	// libwebp wants straight alpha; a premultiplied *image.RGBA would be
	// passed through as it is.
	err := webp.Encode(&buf, toNRGBA(m), webp.Options{Quality: quality, Method: method, Lossless: lossless})
	if err != nil {
		return nil, fmt.Errorf("encode WebP: %w", err)
	}
	return buf.Bytes(), nil
}

// fewColors reports whether m has at most 256 colours. It stops counting
// at the 257th, so photos answer after a few pixels.
func fewColors(m image.Image) bool {
	var pix []byte
	var stride int
	switch v := m.(type) {
	case *image.Paletted:
		return true
	case *image.YCbCr, *image.NYCbCrA:
		return false
	case *image.NRGBA:
		pix, stride = v.Pix, v.Stride
	case *image.RGBA:
		pix, stride = v.Pix, v.Stride
	default:
		r := toRGBA(m)
		pix, stride = r.Pix, r.Stride
	}
	b := m.Bounds()
	seen := make(map[uint32]struct{}, maxPaletteColors+1)
	for y := range b.Dy() {
		row := pix[y*stride : y*stride+b.Dx()*4]
		for x := 0; x < len(row); x += 4 {
			seen[uint32(row[x])<<24|uint32(row[x+1])<<16|uint32(row[x+2])<<8|uint32(row[x+3])] = struct{}{}
			if len(seen) > maxPaletteColors {
				return false
			}
		}
	}
	return true
}
