//go:build linux

package content

import (
	"io/fs"
	"syscall"
	"time"
)

// statKeyOf is what the file system says of a file that changes whenever
// its bytes may have: size, modification and change times, inode and
// device. The change time cannot be set by programs (touch -d, archive
// extractors and editors set only the modification time), so a rewrite
// that keeps the size and the modification time still shows.
func statKeyOf(info fs.FileInfo) statKey {
	k := statKey{size: info.Size(), mtime: info.ModTime().UnixNano()}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		k.ctime = time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)).UnixNano()
		k.ino, k.dev = uint64(st.Ino), uint64(st.Dev)
	}
	return k
}
