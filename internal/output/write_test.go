package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
