//go:build unix

package output

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// acquire takes the lock of dest, or returns a *BusyError naming the build
// that holds it. The lock is flock(2)'s: the kernel lets go of it when its
// holder exits, even by kill -9, so a killed build never leaves a lock
// behind that blocks the next one.
func acquire(dest string) (*lock, error) {
	path := lockName(dest)
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %s", dest, explain(err))
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			held := make([]byte, 128)
			n, _ := f.ReadAt(held, 0)
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, parseHolder(dest, held[:n])
			}
			return nil, fmt.Errorf("lock %s: %s", dest, explain(err))
		}
		// The holder before us may have removed the file between our open
		// and our lock: then the lock is on a file no one else will see.
		mine, err1 := f.Stat()
		current, err2 := os.Stat(path)
		if err1 != nil || err2 != nil || !os.SameFile(mine, current) {
			f.Close()
			continue
		}
		f.Truncate(0)
		f.WriteAt([]byte(holderLine()), 0)
		return &lock{file: f, path: path}, nil
	}
	return nil, fmt.Errorf("lock %s: its lock file %s keeps being replaced; try again", dest, path)
}

// FileLock is a lock on a file, held by one process at a time.
type FileLock struct{ file *os.File }

// TryLock takes the lock of the file path, creating it, or fails at once
// when another process holds it. The system releases it when the process
// ends in any way.
func TryLock(path string) (*FileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errors.New("its lock is held")
		}
		return nil, err
	}
	return &FileLock{file: f}, nil
}

// Release lets go of the lock.
func (l *FileLock) Release() { l.file.Close() }
