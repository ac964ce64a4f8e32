//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package output

import (
	"io"
	"path"

	"golang.org/x/sys/unix"
)

// tmpDir is a build's temporary folder, held open so that its files are
// made relative to it (mkdirat, openat): the kernel then resolves a short
// path, and a file costs three system calls, where os.WriteFile makes four
// (it also stats the file it opened). At 30,000 files that was a tenth of
// a cold build's CPU time.
type tmpDir struct{ fd int }

func openTmpDir(dir string) (*tmpDir, error) {
	fd, err := retry(func() (int, error) {
		return unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, err
	}
	return &tmpDir{fd: fd}, nil
}

// close closes the folder once: a second close could close a file that
// reused the number meanwhile.
func (t *tmpDir) close() {
	if t.fd >= 0 {
		unix.Close(t.fd)
		t.fd = -1
	}
}

// mkdir makes folder rel and the folders above it that are missing. Its
// parent nearly always exists already, so one mkdirat comes first.
func (t *tmpDir) mkdir(rel string) error {
	_, err := retry(func() (int, error) { return 0, unix.Mkdirat(t.fd, rel, 0o755) })
	switch err {
	case nil, unix.EEXIST:
		return nil
	case unix.ENOENT:
		if parent := path.Dir(rel); parent != rel {
			if err := t.mkdir(parent); err != nil {
				return err
			}
			return t.mkdir(rel)
		}
	}
	return err
}

// writeFile writes data as file rel, whose folder exists.
func (t *tmpDir) writeFile(rel string, data []byte) error {
	fd, err := retry(func() (int, error) {
		return unix.Openat(t.fd, rel, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	})
	if err != nil {
		return err
	}
	for len(data) > 0 {
		n, err := retry(func() (int, error) { return unix.Write(fd, data) })
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			unix.Close(fd)
			return err
		}
		data = data[n:]
	}
	return unix.Close(fd)
}

// retry runs call again while a signal interrupts it.
func retry(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != unix.EINTR {
			return n, err
		}
	}
}
