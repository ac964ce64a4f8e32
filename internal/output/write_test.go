package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// writeFile must leave what os.WriteFile leaves: the bytes, the mode, a
// shorter file truncated, and a path error naming the file.
func TestWriteFileWritesAsOSWriteFileDoes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	long := bytes.Repeat([]byte("bản tin "), 100_000)
	for _, data := range [][]byte{long, []byte("ngắn"), nil} {
		mine, theirs := filepath.Join(dir, "mine"), filepath.Join(dir, "theirs")
		if err := writeFile(mine, data); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(theirs, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(mine)
		if !bytes.Equal(got, data) {
			t.Errorf("wrote %d bytes, read back %d", len(data), len(got))
		}
		a, errA := os.Stat(mine)
		b, errB := os.Stat(theirs)
		if errA != nil || errB != nil || a.Mode() != b.Mode() {
			t.Errorf("mode %v, os.WriteFile's %v (%v, %v)", a.Mode(), b.Mode(), errA, errB)
		}
	}
	missing := filepath.Join(dir, "no-folder", "index.html")
	err := writeFile(missing, []byte("x"))
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != missing || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("writing into a missing folder: %v, want a path error naming %s", err, missing)
	}
}

// A writer said to be transient must have written the bytes it was given
// before WriteFile returns: the build reuses the buffer for the next page.
func TestTransientWritersKeepNoBytes(t *testing.T) {
	t.Parallel()
	if Transient(NewMemory()) {
		t.Error("a Memory keeps the bytes, but is said to be transient")
	}
	dest := filepath.Join(t.TempDir(), "public")
	disk, err := NewDisk(dest)
	if err != nil {
		t.Fatal(err)
	}
	writers := []func() (Writer, func() error){
		func() (Writer, func() error) { return disk, disk.Commit },
	}
	// Twice: a fresh folder, then (on Linux) the previous generation
	// updated in place.
	for range 2 {
		writers = append(writers, func() (Writer, func() error) {
			g, err := OpenGenerations(dest)
			if err != nil {
				t.Fatal(err)
			}
			return g, g.Commit
		})
	}
	for i, open := range writers {
		w, commit := open()
		if !Transient(w) {
			t.Fatalf("writer %d (%T) is not transient", i, w)
		}
		buf := []byte("trang " + strconv.Itoa(i))
		want := string(buf)
		if err := w.WriteFile("bai-viet/a/index.html", buf); err != nil {
			t.Fatal(err)
		}
		copy(buf, "xxxxxx")
		if err := commit(); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(dest, "bai-viet", "a", "index.html")); string(got) != want {
			t.Errorf("writer %d (%T): the file holds %q (%v), want %q", i, w, got, err, want)
		}
	}
}
