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

func TestCommitRemovesThePreviousSiteButNothingItLinksTo(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	outside := filepath.Join(parent, "keep")
	if err := os.MkdirAll(filepath.Join(outside, "deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "deep", "f.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	first, err := NewDisk(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "bai-viet/a/index.html", "bai-viet/b/index.html", "a/b/c/d/e.txt"} {
		if err := first.WriteFile(name, []byte("old")); err != nil {
			t.Fatal(err)
		}
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	// A webmaster's symlinks inside the old site must be removed, never followed.
	if err := os.Symlink(outside, filepath.Join(dest, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dest, "bai-viet", "link")); err != nil {
		t.Fatal(err)
	}
	second, err := NewDisk(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := second.WriteFile("index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dest, "index.html")); err != nil || string(data) != "new" {
		t.Fatalf("index.html = %q, %v", data, err)
	}
	for _, gone := range []string{"bai-viet", "a", "link"} {
		if _, err := os.Lstat(filepath.Join(dest, gone)); !os.IsNotExist(err) {
			t.Errorf("%s of the previous site is still there (%v)", gone, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "deep", "f.txt")); err != nil {
		t.Errorf("removing the previous site followed a symlink: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 {
		t.Errorf("the parent holds %v; only public/ and keep/ may be there", entries)
	}
}
