package images

import _ "unsafe" // for go:linkname

// webpDynamic is github.com/gen2brain/webp's choice, made in its init,
// between the system's libwebp, which it loads through purego when
// libwebp.so and libwebpdemux.so are installed (Debian's libwebp-dev) and
// the binary is dynamically linked (bantin always is: purego makes it so),
// and the libwebp 1.4.0 compiled to WebAssembly that it embeds. The
// library offers no runtime switch, only the nodynamic build tag, which a
// plain "go install" or "go test" does not set. bantin always encodes
// with the embedded build, so that a site's WebP files are the same bytes
// on every machine, whatever libwebp it has. TestWebPEncoderIsTheEmbeddedOne
// fails if this stops reaching the library's variable.
//
//go:linkname webpDynamic github.com/gen2brain/webp.dynamic
var webpDynamic bool

func init() {
	// The library's init has run (this package imports it), and nothing
	// has encoded yet.
	webpDynamic = false
}
