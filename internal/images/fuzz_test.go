package images

import (
	"testing"

	"github.com/bantin/bantin/internal/images/imagestest"
)

// FuzzOrientation feeds hostile bytes to the EXIF reader (as a JPEG, a PNG
// and a WebP) and to the header check: no panic, no loop, an orientation
// from 1 to 8, and no header over the limits.
func FuzzOrientation(f *testing.F) {
	jpg := imagestest.JPEG(f, imagestest.Photo(16, 8, 0), 80)
	f.Add(imagestest.WithExif(jpg, imagestest.ExifTIFF(6)))
	f.Add(imagestest.ExifTIFF(8))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\xFF\xFF"))
	f.Add(imagestest.PNGBomb(100000, 100000))
	f.Add([]byte("RIFF\x20\x00\x00\x00WEBPEXIF\x0e\x00\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff\x01\x12"))
	small := Defaults()
	small.MaxPixels = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []string{"jpeg", "png", "webp"} {
			if o := orientationOf(format, data); o < 1 || o > 8 {
				t.Fatalf("%s: orientation %d", format, o)
			}
		}
		if o := tiffOrientation(data); o < 1 || o > 8 {
			t.Fatalf("TIFF: orientation %d", o)
		}
		if h, err := readHeader(data, small); err == nil && int64(h.width)*int64(h.height) > small.MaxPixels {
			t.Fatalf("header %d×%d passed a limit of %d pixels", h.width, h.height, small.MaxPixels)
		}
		if r, err := decodeEntry(data); err == nil && r == nil {
			t.Fatal("a cache entry decoded to nothing")
		}
	})
}

func TestHostileEXIFOffsets(t *testing.T) {
	t.Parallel()
	for name, tiff := range map[string]string{
		"IFD past the end":        "MM\x00\x2a\x7f\xff\xff\xff",
		"IFD inside the header":   "MM\x00\x2a\x00\x00\x00\x02\x00\x01",
		"entry count beyond data": "MM\x00\x2a\x00\x00\x00\x08\xff\xff\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06",
		"orientation as a LONG":   "MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x04\x00\x00\x00\x01\x00\x00\x00\x06",
		"orientation 9":           "MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x09\x00\x00",
		"not TIFF":                "XX\x00\x2a\x00\x00\x00\x08",
	} {
		if o := tiffOrientation([]byte(tiff)); o != 1 {
			t.Errorf("%s: orientation %d, want 1 (upright)", name, o)
		}
	}
	valid := "MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00"
	if o := tiffOrientation([]byte(valid)); o != 6 {
		t.Errorf("valid big-endian IFD: %d, want 6", o)
	}
	little := "II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x03\x00\x00\x00"
	if o := tiffOrientation([]byte(little)); o != 3 {
		t.Errorf("valid little-endian IFD: %d, want 3", o)
	}
	// A JPEG whose segment lengths point past the end, or loop on zero.
	for _, jpg := range []string{"\xFF\xD8\xFF\xE1\xff\xffExif", "\xFF\xD8\xFF\xE0\x00\x00\xFF\xE0\x00\x00", "\xFF\xD8\xFF\xFF\xFF\xFF"} {
		if o := orientationOf("jpeg", []byte(jpg)); o != 1 {
			t.Errorf("%q: orientation %d", jpg, o)
		}
	}
}
