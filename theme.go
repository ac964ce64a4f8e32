// Package bantin holds the sample site's layouts and static files, embedded
// in the binary as the default theme: a site without its own layouts/ builds
// with these, and a site file of the same name overrides one of them.
package bantin

import (
	"embed"
	"io/fs"
)

//go:embed layouts static
var theme embed.FS

// Theme returns the default theme: folders layouts/ and static/.
func Theme() fs.FS { return theme }
