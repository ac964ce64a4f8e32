//go:build !linux

package content

import "io/fs"

// statKeyOf is what the file system says of a file that changes whenever
// its bytes may have: here only its size and modification time.
func statKeyOf(info fs.FileInfo) statKey {
	return statKey{size: info.Size(), mtime: info.ModTime().UnixNano()}
}
