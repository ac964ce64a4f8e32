package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWritersRefuseNamesOutsideTheSite(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	disk, err := NewDisk(filepath.Join(parent, "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Abort()
	mem := NewMemory()
	for _, name := range []string{"../x", "../../etc/passwd", "/etc/passwd", "a/../../x", "a\\..\\x", "", ".", "a//b", "./a"} {
		if err := disk.WriteFile(name, []byte("x")); err == nil {
			t.Errorf("disk wrote %q", name)
		}
		if err := mem.WriteFile(name, []byte("x")); err == nil {
			t.Errorf("memory wrote %q", name)
		}
	}
	if err := disk.WriteFile("bai-viet/a/index.html", []byte("ok")); err != nil {
		t.Fatal(err)
	}
	if err := disk.Commit(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("the parent holds %v; only public/ may be there", entries)
	}
}
