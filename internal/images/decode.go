package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// ErrTooLarge is wrapped by errors for images over a size limit.
var ErrTooLarge = errors.New("image too large")

// sniff names the format of an encoded image from its first bytes, or "".
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// header is what an image declares about itself before its pixels.
type header struct {
	format        string
	width, height int
	orientation   Orientation
}

// readHeader checks an encoded image's format and declared size against
// the limits without decoding its pixels, so a PNG that declares
// 100000×100000 pixels over a few bytes never gets memory for them.
func readHeader(data []byte, s Settings) (header, error) {
	if int64(len(data)) > s.MaxBytes {
		return header{}, fmt.Errorf("%w: the file has %d bytes, over the limit of %d ([images] max_bytes)", ErrTooLarge, len(data), s.MaxBytes)
	}
	h := header{format: sniff(data)}
	var cfg image.Config
	var err error
	r := bytes.NewReader(data)
	switch h.format {
	case "jpeg":
		cfg, err = jpeg.DecodeConfig(r)
	case "png":
		cfg, err = png.DecodeConfig(r)
	case "gif":
		cfg, err = gif.DecodeConfig(r)
	case "webp":
		cfg, err = webp.DecodeConfig(r)
	default:
		return header{}, errors.New("not a JPEG, PNG, GIF or WebP image; save it in one of those formats")
	}
	if err != nil {
		return header{}, fmt.Errorf("broken %s header: %v", formatName(h.format), describe(err))
	}
	h.width, h.height = cfg.Width, cfg.Height
	if h.width <= 0 || h.height <= 0 {
		return header{}, fmt.Errorf("broken %s header: it declares %d×%d pixels", formatName(h.format), h.width, h.height)
	}
	if px := int64(h.width) * int64(h.height); px > s.MaxPixels {
		return header{}, fmt.Errorf("%w: it declares %d×%d pixels (%.1f megapixels), over the limit of %.1f ([images] max_pixels); scale it down before publishing",
			ErrTooLarge, h.width, h.height, float64(px)/1e6, float64(s.MaxPixels)/1e6)
	}
	h.orientation = orientationOf(h.format, data)
	return h, nil
}

// decode decodes the pixels of an image whose header passed readHeader.
func decode(data []byte, h header) (image.Image, error) {
	r := bytes.NewReader(data)
	var m image.Image
	var err error
	switch h.format {
	case "jpeg":
		m, err = jpeg.Decode(r)
	case "png":
		m, err = png.Decode(r)
	case "gif":
		m, err = gif.Decode(r) // the first frame: animations are not kept
	case "webp":
		m, err = webp.Decode(r)
		m = webpLimitedRange(m)
	}
	if err != nil {
		why := describe(err)
		if endsEarly(h.format, data) {
			why = "the file ends too early"
		}
		return nil, fmt.Errorf("truncated or corrupt %s: %s; export it again from the original", formatName(h.format), why)
	}
	if b := m.Bounds(); b.Dx() != h.width || b.Dy() != h.height {
		return nil, fmt.Errorf("corrupt %s: it declares %d×%d pixels but holds %d×%d", formatName(h.format), h.width, h.height, b.Dx(), b.Dy())
	}
	return m, nil
}

func describe(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "the file ends too early"
	}
	return err.Error()
}

// endsEarly reports whether a file lacks its format's end marker, the
// usual reason its pixels fail to decode: a copy or upload cut short.
func endsEarly(format string, data []byte) bool {
	data = bytes.TrimRight(data, "\x00")
	switch format {
	case "jpeg":
		return !bytes.HasSuffix(data, []byte{0xFF, 0xD9})
	case "png":
		return !bytes.HasSuffix(data, []byte("IEND\xae\x42\x60\x82"))
	case "gif":
		return !bytes.HasSuffix(data, []byte{0x3B})
	}
	return false
}

func formatName(f string) string {
	switch f {
	case "jpeg":
		return "JPEG"
	case "png":
		return "PNG"
	case "gif":
		return "GIF"
	case "webp":
		return "WebP"
	}
	return "image"
}

// webpLimitedRange converts the YCbCr planes of a lossy WebP, which VP8
// codes in the limited (16–235) range, to RGBA. Go's color.YCbCr reads
// planes as full-range JPEG values: re-encoding them as they are would wash
// the colours out.
func webpLimitedRange(m image.Image) image.Image {
	var yc *image.YCbCr
	var alpha *image.NYCbCrA
	switch v := m.(type) {
	case *image.YCbCr:
		yc = v
	case *image.NYCbCrA:
		yc, alpha = &v.YCbCr, v
	default:
		return m
	}
	b := yc.Rect
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[(y-b.Min.Y)*out.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			// BT.601 limited range, in 16.16 fixed point.
			yy := (int32(yc.Y[yc.YOffset(x, y)]) - 16) * 76309
			ci := yc.COffset(x, y)
			cb, cr := int32(yc.Cb[ci])-128, int32(yc.Cr[ci])-128
			i := (x - b.Min.X) * 4
			row[i+0] = clamp8((yy + 104597*cr + 1<<15) >> 16)
			row[i+1] = clamp8((yy - 25675*cb - 53279*cr + 1<<15) >> 16)
			row[i+2] = clamp8((yy + 132201*cb + 1<<15) >> 16)
			row[i+3] = 0xFF
			if alpha != nil {
				row[i+3] = alpha.A[alpha.AOffset(x, y)]
			}
		}
	}
	return out
}

func clamp8(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// opaque reports whether every pixel of m is fully opaque.
func opaque(m image.Image) bool {
	switch v := m.(type) {
	case *image.YCbCr, *image.Gray, *image.Gray16, *image.CMYK:
		return true
	case *image.RGBA:
		return v.Opaque()
	case *image.NRGBA:
		return v.Opaque()
	case *image.RGBA64:
		return v.Opaque()
	case *image.NRGBA64:
		return v.Opaque()
	case *image.Paletted:
		return v.Opaque()
	case *image.NYCbCrA:
		return v.Opaque()
	}
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xFFFF {
				return false
			}
		}
	}
	return true
}

// toRGBA returns m as premultiplied RGBA at the origin, for scaling.
func toRGBA(m image.Image) *image.RGBA {
	if r, ok := m.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, m, b.Min, draw.Src)
	return out
}

// toNRGBA returns m with straight (not premultiplied) alpha, as PNG and
// WebP encoders expect it.
func toNRGBA(m *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(m.Rect)
	if m.Opaque() {
		copy(out.Pix, m.Pix)
		return out
	}
	draw.Draw(out, out.Rect, m, m.Rect.Min, draw.Src)
	return out
}

// flatten draws m over white, for formats without transparency.
func flatten(m *image.RGBA) *image.RGBA {
	if m.Opaque() {
		return m
	}
	out := image.NewRGBA(m.Rect)
	draw.Draw(out, out.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Rect, m, m.Rect.Min, draw.Over)
	return out
}
