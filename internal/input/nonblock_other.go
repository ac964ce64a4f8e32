//go:build !unix

package input

// openNonBlocking is unknown here; ReadFile's check of the file's type
// before opening it is what guards against pipes.
const openNonBlocking = 0
