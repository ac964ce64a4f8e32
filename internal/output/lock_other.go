//go:build !unix

package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// acquire takes the lock of dest by creating its lock file, which must not
// exist. Without flock(2), a build killed here leaves it behind: the
// message then says to remove it.
func acquire(dest string) (*lock, error) {
	path := lockName(dest)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		held, _ := os.ReadFile(path)
		busy := parseHolder(dest, held)
		return nil, fmt.Errorf("%w (if no build is running, remove %s)", busy, path)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %s", dest, explain(err))
	}
	f.WriteString(holderLine())
	return &lock{file: f, path: path}, nil
}

// FileLock is a lock on a file, held by one process at a time.
type FileLock struct{ path string }

// TryLock takes the lock of the file path by creating it, or fails when it
// exists: a process killed while holding it leaves it behind.
func TryLock(path string) (*FileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("its lock file %s exists (remove it if no build is running)", path)
	}
	f.Close()
	return &FileLock{path: path}, nil
}

// Release lets go of the lock.
func (l *FileLock) Release() { os.Remove(l.path) }
