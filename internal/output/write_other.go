//go:build !unix

package output

import "os"

// writeFile writes data into the file name, created or truncated.
func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
