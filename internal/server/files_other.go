//go:build !unix

package server

// openFileLimit is unknown here; a common limit is assumed.
func openFileLimit() uint64 { return 1024 }
