package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// BusyError is returned by NewDisk while another build writes the same
// destination.
type BusyError struct {
	Dest string
	PID  int       // the other build's process, 0 if unknown
	When time.Time // when it started, zero if unknown
}

func (e *BusyError) Error() string {
	who := ""
	if e.PID > 0 {
		who = fmt.Sprintf(" (process %d, since %s)", e.PID, e.When.Format("15:04:05 on 2006-01-02"))
	}
	return fmt.Sprintf("another bantin build is writing %s%s; wait for it to finish, or stop it, and build again", e.Dest, who)
}

// lockName is the lock file of dest, beside it: a folder that is swapped
// for another cannot carry its own lock.
func lockName(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".bantin-lock")
}

// lock is held by the one build writing a destination.
type lock struct {
	file *os.File
	path string
	once sync.Once
}

// holderLine is what a lock's holder writes into the lock file, to be
// named in the message of a build that finds it busy.
func holderLine() string {
	return fmt.Sprintf("pid %d since %s\n", os.Getpid(), time.Now().Format(time.RFC3339))
}

// parseHolder reads a holder line; zero values when it is not one (the
// holder has not written it yet).
func parseHolder(dest string, b []byte) *BusyError {
	e := &BusyError{Dest: dest}
	var pid int
	var since string
	if _, err := fmt.Sscanf(strings.TrimSpace(string(b)), "pid %d since %s", &pid, &since); err == nil {
		if t, err := time.Parse(time.RFC3339, since); err == nil {
			e.PID, e.When = pid, t
		}
	}
	return e
}

// release removes the lock file and lets go of the lock. Removing it
// first, while still holding it, is what lets acquire tell a lock file
// that is still the current one from one removed under it.
func (l *lock) release() {
	if l == nil {
		return
	}
	l.once.Do(func() {
		os.Remove(l.path)
		l.file.Close()
	})
}

// explain says what an error of the file system means for a build and
// what to do, without the path of the temporary folder it happened in:
// callers name the destination's path instead.
func explain(err error) string {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	switch errno {
	case syscall.ENOSPC, syscall.EDQUOT:
		return err.Error() + ": the disk is full; free some space (or choose a --dest on another disk) and build again"
	case syscall.ENAMETOOLONG:
		return err.Error() + ": shorten the slug, or the name of the file in static/, that makes this path"
	case syscall.EACCES, syscall.EPERM:
		return err.Error() + ": give the user running bantin write access to the folder, or choose another --dest"
	case syscall.EROFS:
		return err.Error() + ": the disk is read-only; choose a --dest on a writable disk"
	case syscall.ELOOP, syscall.ENOTDIR, syscall.EEXIST:
		return err.Error() + ": a symbolic link or a file is in the way; remove it, or choose another --dest"
	}
	return err.Error()
}
