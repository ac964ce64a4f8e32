package images

import (
	"os"
	"testing"
	_ "unsafe" // for go:linkname

	"github.com/gen2brain/webp"
	"github.com/tetratelabs/wazero"

	"github.com/bantin/bantin/internal/images/imagestest"
)

// webpModule is the WebAssembly module github.com/gen2brain/webp compiles
// the first time it encodes with its embedded libwebp, and never when it
// uses the system's.
//
//go:linkname webpModule github.com/gen2brain/webp.cm
var webpModule wazero.CompiledModule

// TestWebPEncoderIsTheEmbeddedOne: WebP files come from the embedded
// libwebp even where the system has its own (CI installs libwebp-dev and
// sets BANTIN_REQUIRE_LIBWEBP, so that the library would pick it).
func TestWebPEncoderIsTheEmbeddedOne(t *testing.T) {
	t.Parallel()
	if err := webp.Dynamic(); err != nil {
		if os.Getenv("BANTIN_REQUIRE_LIBWEBP") != "" {
			t.Fatalf("the system's libwebp is not loaded (%v), and BANTIN_REQUIRE_LIBWEBP is set: apt-get install libwebp-dev", err)
		}
		t.Logf("the system has no libwebp the library loads (%v): the test proves less", err)
	}
	if _, err := encodeWebP(imagestest.Photo(64, 48, 0), 78, false); err != nil {
		t.Fatal(err)
	}
	if webpModule == nil {
		t.Fatal("github.com/gen2brain/webp encoded without compiling its WebAssembly libwebp: it used the system's, and webpDynamic no longer switches it off")
	}
}
