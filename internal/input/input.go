// Package input reads a site's source files safely: only regular files,
// each up to a size bound, and never by opening a named pipe, socket or
// device, whose open or read could block a build forever.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError reports a named pipe, socket, device or other file that
// is neither a regular file nor a folder, where the build reads files.
type NotRegularError struct {
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("is %s, not a regular file; bantin reads only regular files: remove it, or replace it with a file", Kind(e.Mode))
}

// TooLargeError reports a file over the size bound of its kind.
type TooLargeError struct {
	Size  int64 // its size when opened
	Limit int64
	Grew  bool // it grew past Limit while it was read
}

func (e *TooLargeError) Error() string {
	if e.Grew {
		return fmt.Sprintf("grew past the limit of %d bytes while it was read", e.Limit)
	}
	return fmt.Sprintf("is %d bytes, over the limit of %d bytes", e.Size, e.Limit)
}

// Kind names the type of file mode in words, for messages.
func Kind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode&fs.ModeIrregular != 0:
		return "a file of an unknown kind"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode.IsDir():
		return "a folder"
	}
	return "a regular file"
}

// CheckType returns a *NotRegularError for a named pipe, socket, device or
// unknown file type, and nil for regular files, folders and symbolic links
// (which are checked where they are followed). It takes the type bits of a
// fs.DirEntry, so that a walk refuses such files without opening them.
func CheckType(mode fs.FileMode) error {
	if mode&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0 {
		return &NotRegularError{Mode: mode}
	}
	return nil
}

// Message says what went wrong reading a file, for a problem reported at
// the file's position: the error itself when it is about the file (its
// kind, its size), else "cannot read: " and the cause, without the path
// the position already gives.
func Message(err error) string {
	var nr *NotRegularError
	var tl *TooLargeError
	if errors.As(err, &nr) {
		return nr.Error()
	}
	if errors.As(err, &tl) {
		return tl.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot read: " + err.Error()
}

// ReadFile reads the regular file name from fsys, at most limit bytes. A
// named pipe, socket or device (or a link to one) is a *NotRegularError and
// is never opened where fsys reports modes; a file over limit bytes, or one
// that grows past it while read, is a *TooLargeError.
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	if _, safe := fsys.(*rootFS); !safe {
		// Opening a named pipe blocks until a writer comes: look first.
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := checkRegular(name, info); err != nil {
			return nil, err
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkRegular(name, info); err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: info.Size(), Limit: limit}}
	}
	// One byte more than the file's size tells whether it grew meanwhile.
	buf := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: info.Size(), Limit: limit, Grew: true}}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grew since Stat: make room
		}
	}
}

func checkRegular(name string, info fs.FileInfo) error {
	if info.IsDir() {
		return &fs.PathError{Op: "read", Path: name, Err: errors.New("is a folder, not a file")}
	}
	if !info.Mode().IsRegular() {
		return &fs.PathError{Op: "open", Path: name, Err: &NotRegularError{Mode: info.Mode()}}
	}
	return nil
}

// Dir returns the folder of root as a file system whose Open never blocks:
// it opens without waiting for a named pipe's writer and refuses anything
// but regular files and folders, so that a file swapped for a pipe between
// a check and the open cannot hang the build either.
func Dir(root *os.Root) fs.FS {
	return &rootFS{root: root, fsys: root.FS()}
}

type rootFS struct {
	root *os.Root
	fsys fs.FS
}

func (r *rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := r.root.OpenFile(name, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: &NotRegularError{Mode: info.Mode()}}
	}
	return f, nil
}

// ReadDir and Stat never open the files they describe.
func (r *rootFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.fsys, name) }
func (r *rootFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(r.fsys, name) }
