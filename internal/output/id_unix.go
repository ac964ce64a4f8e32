//go:build unix

package output

import (
	"os"
	"syscall"
)

// dirID identifies a folder by device and inode, which stay with it when it
// is renamed or exchanged.
func dirID(dir string) ([2]uint64, bool) {
	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() {
		return [2]uint64{}, false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return [2]uint64{}, false
	}
	return [2]uint64{uint64(st.Dev), uint64(st.Ino)}, true
}
