// Package imagestest makes image fixtures for tests: camera photos with
// EXIF orientation and a GPS position, transparent PNGs with text chunks,
// decompression bombs. Nothing is committed as a binary file.
package imagestest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
)

// Strings planted in fixtures' metadata; no published byte may hold them.
const (
	CameraMarker = "BANTIN-CAMERA-MODEL"
	GPSMarker    = "BANTIN-GPS-SECRET"
	TextMarker   = "BANTIN-PNG-TEXT"
)

// Corner colours of Photo: a fixture's corners, to see where orientation put them.
var (
	Red   = color.RGBA{220, 20, 20, 255}
	Green = color.RGBA{20, 200, 20, 255}
	Blue  = color.RGBA{20, 20, 220, 255}
	White = color.RGBA{250, 250, 250, 255}
)

// Photo draws a w×h photo-like image: smooth light, texture and sensor
// noise, with solid corners of size c (Red, Green / Blue, White).
func Photo(w, h, c int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	// The waves are sums of angles: their sines and cosines come from
	// tables per row and per column (sin(a+b) = sin a cos b + cos a sin b),
	// so a 12-megapixel photo draws in a fraction of a second.
	type sc struct{ sin, cos float64 }
	table := func(n int, f func(i int) float64) []sc {
		t := make([]sc, n)
		for i := range t {
			t[i].sin, t[i].cos = math.Sincos(f(i))
		}
		return t
	}
	col7 := table(w, func(x int) float64 { return float64(x) / float64(w) * 7 })
	col2 := table(w, func(x int) float64 { return -float64(x) / float64(w) * 2 })
	colT := table(w, func(x int) float64 { return float64(x) * 0.21 })
	row3 := table(h, func(y int) float64 { return float64(y) / float64(h) * 3 })
	row11 := table(h, func(y int) float64 { return float64(y) / float64(h) * 11 })
	rowT := table(h, func(y int) float64 { return math.Sin(float64(y)*0.05) * 4 })
	for y := range h {
		fy := float64(y) / float64(h)
		r3, r11, rt := row3[y], row11[y], rowT[y]
		row := m.Pix[y*m.Stride:]
		for x := range w {
			fx := float64(x) / float64(w)
			a, b, t := col7[x], col2[x], colT[x]
			base := 120 + 60*(a.sin*r3.cos+a.cos*r3.sin) + 30*(r11.cos*b.cos-r11.sin*b.sin)
			tex := 18 * (t.sin*rt.cos + t.cos*rt.sin)
			n := rng.NormFloat64() * 4
			i := x * 4
			row[i] = clampF(base + tex + n + 30*fx)
			row[i+1] = clampF(base*0.9 + tex + n)
			row[i+2] = clampF(base*0.8 + tex*0.5 + n + 40*fy)
			row[i+3] = 255
		}
	}
	corner := func(x0, y0 int, col color.RGBA) {
		for y := y0; y < y0+c; y++ {
			for x := x0; x < x0+c; x++ {
				m.SetRGBA(x, y, col)
			}
		}
	}
	if c > 0 {
		corner(0, 0, Red)
		corner(w-c, 0, Green)
		corner(0, h-c, Blue)
		corner(w-c, h-c, White)
	}
	return m
}

func clampF(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

// JPEG encodes m at quality q.
func JPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ExifTIFF builds a big-endian TIFF block as cameras write it: IFD0 with
// the camera model, the orientation and a pointer to a GPS IFD holding a
// latitude and a processing-method string.
func ExifTIFF(orientation int) []byte {
	be := binary.BigEndian
	var b []byte
	b = append(b, "MM\x00\x2a"...)
	b = be.AppendUint32(b, 8)
	// IFD0 at 8: 3 entries, then the next-IFD pointer (none).
	const ifd0Entries = 3
	modelAt := 8 + 2 + ifd0Entries*12 + 4
	model := CameraMarker + "\x00"
	gpsAt := modelAt + len(model)
	entry := func(tag, typ uint16, n, val uint32) {
		b = be.AppendUint16(b, tag)
		b = be.AppendUint16(b, typ)
		b = be.AppendUint32(b, n)
		b = be.AppendUint32(b, val)
	}
	b = be.AppendUint16(b, ifd0Entries)
	entry(0x0110, 2, uint32(len(model)), uint32(modelAt)) // Model
	entry(0x0112, 3, 1, uint32(orientation)<<16)          // Orientation, SHORT in the first half
	entry(0x8825, 4, 1, uint32(gpsAt))                    // GPS IFD
	b = be.AppendUint32(b, 0)
	b = append(b, model...)
	// GPS IFD: latitude ref "N" and the processing method.
	method := "ASCII\x00\x00\x00" + GPSMarker
	methodAt := gpsAt + 2 + 2*12 + 4
	b = be.AppendUint16(b, 2)
	entry(0x0001, 2, 2, 'N'<<24)
	entry(0x001B, 7, uint32(len(method)), uint32(methodAt))
	b = be.AppendUint32(b, 0)
	b = append(b, method...)
	return b
}

// WithExif inserts an APP1 Exif segment right after a JPEG's SOI.
func WithExif(jpg, tiff []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngChunk builds one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// WithPNGMetadata inserts tEXt, iTXt and eXIf chunks after a PNG's IHDR.
func WithPNGMetadata(p []byte, orientation int) []byte {
	const ihdrEnd = 8 + 25
	var meta []byte
	meta = append(meta, pngChunk("tEXt", []byte("Comment\x00"+TextMarker))...)
	meta = append(meta, pngChunk("iTXt", []byte("Author\x00\x00\x00\x00\x00"+TextMarker))...)
	meta = append(meta, pngChunk("eXIf", ExifTIFF(orientation))...)
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, meta...)
	return append(out, p[ihdrEnd:]...)
}

// TransparentPNG is a w×h logo-like image: a disc on a transparent field,
// with an alpha ramp at its edge.
func TransparentPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := float64(w)/2, float64(h)/2, float64(min(w, h))/2.5
	for y := range h {
		for x := range w {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			a := clampF((r - d) * 8)
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), 90, uint8(y * 255 / h), a})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return WithPNGMetadata(buf.Bytes(), 1)
}

// PNGBomb declares w×h pixels over a few bytes of compressed data.
func PNGBomb(w, h uint32) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	out = append(out, pngChunk("IHDR", ihdr)...)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 64<<10)) // zeros compress to almost nothing
	zw.Close()
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// CameraJPEG is the 4000×3000 camera Photo with EXIF orientation 6 and a
// GPS IFD, made once per test binary (encoding it takes a while).
var CameraJPEG = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Photo(4000, 3000, 400), &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	return WithExif(buf.Bytes(), ExifTIFF(6))
})

// Leaks lists the metadata found in a published file: EXIF and TIFF
// headers, the markers planted in fixtures, PNG text and EXIF chunks, XMP
// and ICC profiles.
func Leaks(data []byte) []string {
	var found []string
	for _, s := range []string{"Exif", "EXIF", "MM\x00\x2a", "II\x2a\x00", CameraMarker, GPSMarker, TextMarker, "tEXt", "iTXt", "zTXt", "eXIf", "XMP", "iCCP", "ICCP"} {
		if bytes.Contains(data, []byte(s)) {
			found = append(found, strconv.Quote(s))
		}
	}
	return found
}
