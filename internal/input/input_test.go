package input

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test if f takes longer than a second: opening a named
// pipe the wrong way blocks until a writer comes, that is forever.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

func TestReadFileRefusesPipesAndDevicesWithoutBlocking(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	os.Symlink("pipe.md", filepath.Join(dir, "link-to-pipe.md"))
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.md"))
	os.WriteFile(filepath.Join(dir, "ok.md"), []byte("xin chào"), 0o644)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for fsName, fsys := range map[string]fs.FS{"Dir": Dir(root), "os.DirFS": os.DirFS(dir)} {
		for _, name := range []string{"pipe.md", "link-to-pipe.md"} {
			within(t, fsName+" "+name, func() {
				_, err := ReadFile(fsys, name, 1<<20)
				var nr *NotRegularError
				if !errors.As(err, &nr) || Message(err) != "is a named pipe (FIFO), not a regular file; bantin reads only regular files: remove it, or replace it with a file" {
					t.Errorf("%s %s: %v", fsName, name, err)
				}
			})
		}
		within(t, fsName+" ok.md", func() {
			if b, err := ReadFile(fsys, "ok.md", 1<<20); err != nil || string(b) != "xin chào" {
				t.Errorf("%s ok.md: %q %v", fsName, b, err)
			}
		})
		if _, err := ReadFile(fsys, "ok.md", 4); err == nil || Message(err) != "is 9 bytes, over the limit of 4 bytes" {
			t.Errorf("%s: over the limit: %v", fsName, err)
		}
	}
	// Outside a root, a link to a device is followed, seen and refused.
	within(t, "/dev/zero", func() {
		_, err := ReadFile(os.DirFS(dir), "zero.md", 1<<20)
		if !strings.HasPrefix(Message(err), "is a character device") {
			t.Errorf("/dev/zero: %v", err)
		}
	})
	// Dir's Open itself refuses the pipe, for callers that open directly.
	within(t, "Open", func() {
		if f, err := Dir(root).Open("pipe.md"); err == nil {
			f.Close()
			t.Error("Dir opened a named pipe")
		}
	})
}

func TestCheckTypeNamesEveryKind(t *testing.T) {
	t.Parallel()
	for mode, want := range map[fs.FileMode]string{
		fs.ModeNamedPipe:                  "a named pipe (FIFO)",
		fs.ModeSocket:                     "a socket",
		fs.ModeDevice | fs.ModeCharDevice: "a character device",
		fs.ModeDevice:                     "a device",
		fs.ModeIrregular:                  "a file of an unknown kind",
	} {
		if err := CheckType(mode); err == nil || !strings.HasPrefix(err.Error(), "is "+want+",") {
			t.Errorf("%v: %v", mode, err)
		}
	}
	for _, mode := range []fs.FileMode{0, fs.ModeDir, fs.ModeSymlink} {
		if err := CheckType(mode); err != nil {
			t.Errorf("%v refused: %v", mode, err)
		}
	}
}
