package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gen2brain/webp"
	xwebp "golang.org/x/image/webp"

	"github.com/bantin/bantin/internal/images/imagestest"
)

// decodeVariant decodes a published file by its format.
func decodeVariant(t *testing.T, v Variant, data []byte) image.Image {
	t.Helper()
	var m image.Image
	var err error
	switch v.Format {
	case "jpeg":
		m, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		m, err = png.Decode(bytes.NewReader(data))
	case "webp":
		m, err = xwebp.Decode(bytes.NewReader(data))
		m = webpLimitedRange(m)
	}
	if err != nil {
		t.Fatalf("%s does not decode: %v", v.Name, err)
	}
	if b := m.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Fatalf("%s is %d×%d, its variant says %d×%d", v.Name, b.Dx(), b.Dy(), v.Width, v.Height)
	}
	return m
}

func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) bool { return abs(int(a>>8)-int(w)) <= tol }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

func abs(v int) int { return max(v, -v) }

func names(vs []Variant) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	return out
}

func TestCameraPhotoIsTurnedScaledAndStripped(t *testing.T) {
	t.Parallel()
	src := imagestest.CameraJPEG()
	r, err := New(Defaults(), "").Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	// Orientation 6: the 4000×3000 sensor image is shown 3000×4000.
	if r.Width != 3000 || r.Height != 4000 {
		t.Fatalf("upright size %d×%d, want 3000×4000", r.Width, r.Height)
	}
	want := []string{"480.jpg", "960.jpg", "1600.jpg", "480.webp", "960.webp", "1600.webp"}
	if got := names(r.Variants); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("variants %v, want %v", got, want)
	}
	if r.OG.Name != "og-1200.jpg" || r.OG.Width != 1200 || r.OG.Height != 1600 {
		t.Fatalf("OG image %+v, want og-1200.jpg 1200×1600", r.OG)
	}
	total := 0
	for _, f := range r.Files() {
		total += len(f.Data)
		if l := imagestest.Leaks(f.Data); len(l) > 0 {
			t.Errorf("%s carries metadata: %s", f.Path, strings.Join(l, ", "))
		}
	}
	for _, v := range append(r.Variants, r.OG) {
		if v.Height != v.Width*4/3 {
			t.Errorf("%s is %d×%d: not the source's 3:4", v.Name, v.Width, v.Height)
		}
		m := decodeVariant(t, v, r.data[v.Name])
		b := m.Bounds()
		// Turned 90° clockwise: the sensor's top-left (imagestest.Red) is top-right,
		// its bottom-left (imagestest.Blue) top-left.
		inset := max(2, v.Width/40)
		corners := []struct {
			x, y int
			want color.RGBA
		}{
			{inset, inset, imagestest.Blue}, {b.Dx() - 1 - inset, inset, imagestest.Red},
			{inset, b.Dy() - 1 - inset, imagestest.White}, {b.Dx() - 1 - inset, b.Dy() - 1 - inset, imagestest.Green},
		}
		for _, c := range corners {
			if got := m.At(c.x, c.y); !near(got, c.want, 24) {
				t.Errorf("%s at (%d,%d) is %v, want about %v", v.Name, c.x, c.y, got, c.want)
			}
		}
	}
	t.Logf("source %d bytes; published %d bytes in %d files", len(src), total, len(r.Files()))
}

func TestSmallImageIsNeverUpscaled(t *testing.T) {
	t.Parallel()
	src := imagestest.JPEG(t, imagestest.Photo(300, 200, 20), 90)
	r, err := New(Defaults(), "").Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(r.Variants); fmt.Sprint(got) != "[300.jpg 300.webp]" {
		t.Fatalf("variants %v, want only the source's own width", got)
	}
	if r.OG.Width != 300 || r.OG.Height != 200 {
		t.Fatalf("OG image %+v, want the source's 300×200", r.OG)
	}
	set := r.Set("/")
	if set.Width != 300 || set.Height != 200 || !strings.HasSuffix(set.Src, "/300.jpg") {
		t.Fatalf("set %+v", set)
	}
}

func TestTargetWidths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src  int
		want string
	}{
		{4000, "[480 960 1600]"},
		{1600, "[480 960 1600]"},
		{1000, "[480 960 1000]"},
		{960, "[480 960]"},
		{481, "[480 481]"},
		{480, "[480]"},
		{12, "[12]"},
	} {
		if got := fmt.Sprint(targetWidths([]int{480, 960, 1600}, c.src)); got != c.want {
			t.Errorf("source %d px: widths %s, want %s", c.src, got, c.want)
		}
	}
}

func TestTransparentPNGKeepsAlphaAndDropsTextChunks(t *testing.T) {
	t.Parallel()
	src := imagestest.TransparentPNG(t, 1200, 800)
	if len(imagestest.Leaks(src)) == 0 {
		t.Fatal("fixture carries no metadata: the test would prove nothing")
	}
	r, err := New(Defaults(), "").Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	want := "[480.png 960.png 1200.png 480.webp 960.webp 1200.webp]"
	if got := names(r.Variants); fmt.Sprint(got) != want {
		t.Fatalf("variants %v, want %s", got, want)
	}
	for _, f := range r.Files() {
		if l := imagestest.Leaks(f.Data); len(l) > 0 {
			t.Errorf("%s carries metadata: %s", f.Path, strings.Join(l, ", "))
		}
	}
	for _, v := range r.Variants {
		m := decodeVariant(t, v, r.data[v.Name])
		if _, _, _, a := m.At(1, 1).RGBA(); a != 0 {
			t.Errorf("%s: corner alpha %d, want transparent", v.Name, a)
		}
		if _, _, _, a := m.At(v.Width/2, v.Height/2).RGBA(); a != 0xFFFF {
			t.Errorf("%s: centre alpha %d, want opaque", v.Name, a)
		}
	}
	// Link previews have no transparency: the OG JPEG is on imagestest.White.
	og := decodeVariant(t, r.OG, r.data[r.OG.Name])
	if !near(og.At(2, 2), imagestest.White, 6) {
		t.Errorf("OG corner %v, want imagestest.White", og.At(2, 2))
	}
}

func TestAllEightOrientations(t *testing.T) {
	t.Parallel()
	// Corners (top-left, top-right, bottom-left, bottom-right) as shown,
	// of a source whose corners are imagestest.Red, imagestest.Green / imagestest.Blue, imagestest.White.
	want := map[int][4]color.RGBA{
		1: {imagestest.Red, imagestest.Green, imagestest.Blue, imagestest.White},
		2: {imagestest.Green, imagestest.Red, imagestest.White, imagestest.Blue},
		3: {imagestest.White, imagestest.Blue, imagestest.Green, imagestest.Red},
		4: {imagestest.Blue, imagestest.White, imagestest.Red, imagestest.Green},
		5: {imagestest.Red, imagestest.Blue, imagestest.Green, imagestest.White},
		6: {imagestest.Blue, imagestest.Red, imagestest.White, imagestest.Green},
		7: {imagestest.White, imagestest.Green, imagestest.Blue, imagestest.Red},
		8: {imagestest.Green, imagestest.White, imagestest.Red, imagestest.Blue},
	}
	base := imagestest.JPEG(t, imagestest.Photo(64, 32, 12), 95)
	for o := 1; o <= 8; o++ {
		r, err := New(Defaults(), "").Process(context.Background(), imagestest.WithExif(base, imagestest.ExifTIFF(o)))
		if err != nil {
			t.Fatal(err)
		}
		v := r.Variants[0]
		wantW, wantH := 64, 32
		if o >= 5 {
			wantW, wantH = 32, 64
		}
		if v.Width != wantW || v.Height != wantH {
			t.Errorf("orientation %d: %d×%d, want %d×%d", o, v.Width, v.Height, wantW, wantH)
			continue
		}
		m := decodeVariant(t, v, r.data[v.Name])
		pts := [4]image.Point{{3, 3}, {wantW - 4, 3}, {3, wantH - 4}, {wantW - 4, wantH - 4}}
		for i, p := range pts {
			if got := m.At(p.X, p.Y); !near(got, want[o][i], 30) {
				t.Errorf("orientation %d: corner %d is %v, want %v", o, i, got, want[o][i])
			}
		}
	}
}

func TestHostileImagesAreClearErrors(t *testing.T) {
	t.Parallel()
	photoJPEG := imagestest.JPEG(t, imagestest.Photo(800, 600, 0), 85)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated JPEG", photoJPEG[:len(photoJPEG)/2], "truncated or corrupt JPEG: the file ends too early"},
		{"PNG bomb", imagestest.PNGBomb(100000, 100000), "declares 100000×100000 pixels (10000.0 megapixels), over the limit of 50.0 ([images] max_pixels)"},
		{"text file named .jpg", []byte("<html>not a imagestest.Photo</html>\n"), "not a JPEG, PNG, GIF or WebP image"},
		{"empty file", nil, "not a JPEG, PNG, GIF or WebP image"},
		{"JPEG header only", photoJPEG[:20], "broken JPEG header: the file ends too early"},
		{"zero-sized PNG", imagestest.PNGBomb(0, 5), "broken PNG header"},
	} {
		_, err := New(Defaults(), "").Process(context.Background(), c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	s := Defaults()
	s.MaxBytes = 1000
	_, err := New(s, "").Process(context.Background(), photoJPEG)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "over the limit of 1000 ([images] max_bytes)") {
		t.Errorf("file over max_bytes: %v", err)
	}
}

// TestPNGBombAllocatesAlmostNothing is not parallel: it measures the
// bytes the whole process allocates meanwhile.
func TestPNGBombAllocatesAlmostNothing(t *testing.T) {
	p := New(Defaults(), "")
	for _, bomb := range [][]byte{imagestest.PNGBomb(100000, 100000), imagestest.PNGBomb(1<<31-1, 1<<31-1), imagestest.PNGBomb(8000, 7000)} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := p.Process(context.Background(), bomb)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatal("bomb accepted")
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Errorf("refusing a bomb allocated %d bytes, want under 1 MiB", alloc)
		}
	}
	if p.Decodes() != 0 {
		t.Errorf("%d bombs decoded", p.Decodes())
	}
}

func TestCacheSkipsDecodingAndRecoversFromCorruption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := imagestest.JPEG(t, imagestest.Photo(1000, 750, 40), 90)
	first := New(Defaults(), dir)
	r1, err := first.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	second := New(Defaults(), dir)
	r2, err := second.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if first.Decodes() != 1 || second.Decodes() != 0 {
		t.Fatalf("decodes: %d then %d, want 1 then 0", first.Decodes(), second.Decodes())
	}
	if !sameFiles(r1.Files(), r2.Files()) || fmt.Sprint(r1.Variants, r1.OG) != fmt.Sprint(r2.Variants, r2.OG) || r1.Hash != r2.Hash {
		t.Fatal("cached result differs from the computed one")
	}

	// Other settings are another entry.
	s := Defaults()
	s.Quality = 60
	other := New(s, dir)
	r3, err := other.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if other.Decodes() != 1 || r3.Hash == r1.Hash {
		t.Fatalf("new settings: %d decodes, hash %s (was %s)", other.Decodes(), r3.Hash, r1.Hash)
	}

	// Flip one byte of the entry's payload: the checksum catches it.
	entries, _ := filepath.Glob(filepath.Join(dir, "*", "*.bin"))
	if len(entries) != 2 {
		t.Fatalf("cache holds %v, want 2 entries", entries)
	}
	for _, e := range entries {
		data, _ := os.ReadFile(e)
		data[len(data)/2] ^= 0x40
		if err := os.WriteFile(e, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	third := New(Defaults(), dir)
	r4, err := third.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if third.Decodes() != 1 || !sameFiles(r1.Files(), r4.Files()) {
		t.Fatalf("corrupt entry: %d decodes, same files %v; want it recomputed", third.Decodes(), sameFiles(r1.Files(), r4.Files()))
	}
	fourth := New(Defaults(), dir)
	if _, err := fourth.Process(context.Background(), src); err != nil || fourth.Decodes() != 0 {
		t.Fatalf("the recomputed entry was not written back: %d decodes, %v", fourth.Decodes(), err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func sameFiles(a, b []File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

func TestOneImageUsedByManyIsProcessedOnce(t *testing.T) {
	t.Parallel()
	src := imagestest.JPEG(t, imagestest.Photo(700, 500, 0), 90)
	p := New(Defaults(), "")
	var wg sync.WaitGroup
	results := make([]*Result, 8)
	for i := range results {
		wg.Go(func() {
			r, err := p.Process(context.Background(), src)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	wg.Wait()
	if p.Decodes() != 1 {
		t.Fatalf("%d decodes of one image, want 1", p.Decodes())
	}
	for _, r := range results[1:] {
		if r != results[0] {
			t.Fatal("callers got different results")
		}
	}
}

func TestLossyWebPInputKeepsItsColours(t *testing.T) {
	t.Parallel()
	want := color.RGBA{200, 120, 40, 255}
	m := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = want.R, want.G, want.B, 255
	}
	var buf bytes.Buffer
	if err := webp.Encode(&buf, m, webp.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	r, err := New(Defaults(), "").Process(context.Background(), buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	jpg := r.Variants[0]
	got := decodeVariant(t, jpg, r.data[jpg.Name]).At(32, 32)
	// Read as full-range YCbCr, this orange comes out near (191,119,52).
	if !near(got, want, 4) {
		t.Fatalf("WebP input re-encoded as %v, want about %v", got, want)
	}
}

func TestFewColourPNGIsLosslessAndPaletted(t *testing.T) {
	t.Parallel()
	m := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := range 200 {
		for x := range 300 {
			c := color.NRGBA{0, 80, 160, 255}
			if (x/30+y/30)%2 == 0 {
				c = color.NRGBA{250, 200, 0, 255}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, m)
	r, err := New(Defaults(), "").Process(context.Background(), buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range r.Variants {
		img := decodeVariant(t, v, r.data[v.Name])
		if v.Format == "jpeg" {
			t.Fatalf("a PNG drawing got fallback %s: JPEG blurs its edges", v.Name)
		}
		for _, p := range []image.Point{{5, 5}, {35, 5}, {299, 199}} {
			if got, want := color.NRGBAModel.Convert(img.At(p.X, p.Y)), m.At(p.X, p.Y); got != want {
				t.Errorf("%s at %v: %v, want exactly %v (lossless)", v.Name, p, got, want)
			}
		}
	}
	if _, ok := mustDecodePNG(t, r.data["300.png"]).(*image.Paletted); !ok {
		t.Error("a two-colour PNG was not written as a palette")
	}
}

func mustDecodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPictureEscapesAndSetsEveryAttribute(t *testing.T) {
	t.Parallel()
	r, err := New(Defaults(), "").Process(context.Background(), imagestest.JPEG(t, imagestest.Photo(1000, 500, 0), 90))
	if err != nil {
		t.Fatal(err)
	}
	set := r.Set("/ban-tin/")
	html := string(set.Picture(Attrs{Alt: `Lễ "phát động" <script>`, Title: "a&b", Lazy: true}))
	dir := "/ban-tin/_img/" + r.Hash + "/"
	for _, want := range []string{
		`<picture><source type="image/webp" srcset="` + dir + `480.webp 480w, ` + dir + `960.webp 960w, ` + dir + `1000.webp 1000w" sizes="(max-width: 48rem) 100vw, 46rem">`,
		`<img src="` + dir + `960.jpg" srcset="` + dir + `480.jpg 480w, ` + dir + `960.jpg 960w, ` + dir + `1000.jpg 1000w"`,
		`width="960" height="480"`,
		`alt="Lễ &#34;phát động&#34; &lt;script&gt;"`,
		`title="a&amp;b"`,
		`loading="lazy"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("picture lacks %s:\n%s", want, html)
		}
	}
	if eager := string(set.Picture(Attrs{})); strings.Contains(eager, "loading=") || !strings.Contains(eager, `alt=""`) {
		t.Errorf("eager picture: %s", eager)
	}
	// The 1000-px JPEG serves as the preview too.
	if set.OG != dir+"1000.jpg" || set.OGWidth != 1000 || set.OGHeight != 500 {
		t.Errorf("OG %s %d×%d", set.OG, set.OGWidth, set.OGHeight)
	}
}

func TestWithoutWebPOnlyFallbacks(t *testing.T) {
	t.Parallel()
	s := Defaults()
	s.WebP = false
	r, err := New(s, "").Process(context.Background(), imagestest.JPEG(t, imagestest.Photo(1000, 500, 0), 90))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(names(r.Variants)); got != "[480.jpg 960.jpg 1000.jpg]" {
		t.Fatalf("variants %s", got)
	}
	if html := string(r.Set("/").Picture(Attrs{})); strings.Contains(html, "<source") {
		t.Errorf("a <source> without WebP: %s", html)
	}
}
