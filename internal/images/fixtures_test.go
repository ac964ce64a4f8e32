package images

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
	"sync"
	"testing"
)

// Strings planted in fixtures' metadata; no published byte may hold them.
const (
	cameraMarker = "BANTIN-CAMERA-MODEL"
	gpsMarker    = "BANTIN-GPS-SECRET"
	textMarker   = "BANTIN-PNG-TEXT"
)

// quadrant colours: a fixture's corners, to see where orientation put them.
var (
	red   = color.RGBA{220, 20, 20, 255}
	green = color.RGBA{20, 200, 20, 255}
	blue  = color.RGBA{20, 20, 220, 255}
	white = color.RGBA{250, 250, 250, 255}
)

// photo draws a w×h photo-like image: smooth light, texture and sensor
// noise, with solid corners of size c (red, green / blue, white).
func photo(w, h, c int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			base := 120 + 60*math.Sin(fx*7+fy*3) + 30*math.Cos(fy*11-fx*2)
			tex := 18 * math.Sin(float64(x)*0.21+math.Sin(float64(y)*0.05)*4)
			n := rng.NormFloat64() * 4
			i := m.PixOffset(x, y)
			m.Pix[i] = clampF(base + tex + n + 30*fx)
			m.Pix[i+1] = clampF(base*0.9 + tex + n)
			m.Pix[i+2] = clampF(base*0.8 + tex*0.5 + n + 40*fy)
			m.Pix[i+3] = 255
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
		corner(0, 0, red)
		corner(w-c, 0, green)
		corner(0, h-c, blue)
		corner(w-c, h-c, white)
	}
	return m
}

func clampF(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

func encodeJPEGFixture(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exifTIFF builds a big-endian TIFF block as cameras write it: IFD0 with
// the camera model, the orientation and a pointer to a GPS IFD holding a
// latitude and a processing-method string.
func exifTIFF(orientation int) []byte {
	be := binary.BigEndian
	var b []byte
	b = append(b, "MM\x00\x2a"...)
	b = be.AppendUint32(b, 8)
	// IFD0 at 8: 3 entries, then the next-IFD pointer (none).
	const ifd0Entries = 3
	modelAt := 8 + 2 + ifd0Entries*12 + 4
	model := cameraMarker + "\x00"
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
	method := "ASCII\x00\x00\x00" + gpsMarker
	methodAt := gpsAt + 2 + 2*12 + 4
	b = be.AppendUint16(b, 2)
	entry(0x0001, 2, 2, 'N'<<24)
	entry(0x001B, 7, uint32(len(method)), uint32(methodAt))
	b = be.AppendUint32(b, 0)
	b = append(b, method...)
	return b
}

// withExif inserts an APP1 Exif segment right after a JPEG's SOI.
func withExif(jpg, tiff []byte) []byte {
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

// withPNGMetadata inserts tEXt, iTXt and eXIf chunks after a PNG's IHDR.
func withPNGMetadata(p []byte, orientation int) []byte {
	const ihdrEnd = 8 + 25
	var meta []byte
	meta = append(meta, pngChunk("tEXt", []byte("Comment\x00"+textMarker))...)
	meta = append(meta, pngChunk("iTXt", []byte("Author\x00\x00\x00\x00\x00"+textMarker))...)
	meta = append(meta, pngChunk("eXIf", exifTIFF(orientation))...)
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, meta...)
	return append(out, p[ihdrEnd:]...)
}

// transparentPNG is a w×h logo-like image: a disc on a transparent field,
// with an alpha ramp at its edge.
func transparentPNG(t testing.TB, w, h int) []byte {
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
	return withPNGMetadata(buf.Bytes(), 1)
}

// pngBomb declares w×h pixels over a few bytes of compressed data.
func pngBomb(w, h uint32) []byte {
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

// cameraJPEG is the 4000×3000 camera photo with EXIF orientation 6 and a
// GPS IFD, made once per test binary (encoding it takes a while).
var cameraJPEG = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photo(4000, 3000, 400), &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	return withExif(buf.Bytes(), exifTIFF(6))
})
