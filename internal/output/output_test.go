package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

func TestOneBuildAtATimeWritesADestination(t *testing.T) {
	t.Parallel()
	real := t.TempDir()
	alias := filepath.Join(t.TempDir(), "alias")
	if err := os.Symlink(real, alias); err != nil {
		t.Fatal(err)
	}
	first, err := NewDisk(filepath.Join(real, "public"))
	if err != nil {
		t.Fatal(err)
	}
	// The same destination by another path is the same destination.
	for _, dest := range []string{filepath.Join(real, "public"), filepath.Join(alias, "public"), filepath.Join(real, "x", "..", "public")} {
		_, err := NewDisk(dest)
		var busy *BusyError
		if !errors.As(err, &busy) || busy.PID != os.Getpid() || time.Since(busy.When) > time.Minute {
			t.Fatalf("%s: %v", dest, err)
		}
		if want := "another bantin build is writing " + filepath.Clean(dest) + " (process " + strconv.Itoa(os.Getpid()) + ", since "; !strings.HasPrefix(err.Error(), want) ||
			!strings.HasSuffix(err.Error(), "; wait for it to finish, or stop it, and build again") {
			t.Errorf("message: %v", err)
		}
	}
	if err := first.WriteFile("index.html", []byte("một")); err != nil {
		t.Fatal(err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	second, err := NewDisk(filepath.Join(alias, "public"))
	if err != nil {
		t.Fatalf("after a commit: %v", err)
	}
	second.Abort()
	third, err := NewDisk(filepath.Join(real, "public"))
	if err != nil {
		t.Fatalf("after an abort: %v", err)
	}
	third.Abort()
	entries, _ := os.ReadDir(real)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("left beside public/: %v", entries)
	}
}

func TestNewDiskReplacesOnlyFoldersBantinWrote(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	write := func(files map[string]string) string {
		dir := filepath.Join(parent, strconv.Itoa(len(files))+"-"+strconv.Itoa(int(time.Now().UnixNano())))
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(data), 0o644)
		}
		return dir
	}
	refused := map[string]struct {
		files map[string]string
		want  string
	}{
		"a project": {map[string]string{".git/HEAD": "ref", "src/main.go": "package main", "index.html": "<p>"},
			"holds index.html but no .bantin-output file, so it is not known to be bantin's output (builds of older versions are not marked). A build replaces its destination whole: if "},
		"an older bantin's site": {map[string]string{"index.html": "<p>", "404.html": "<p>", "bai-viet/a/index.html": "<p>"},
			"delete it once (rm -r "},
		"a theme folder": {map[string]string{"base.html": "{{.}}", "partials/header.html": "x"},
			"is not empty and was not written by bantin (it has no .bantin-output file); a build replaces its destination whole, so empty it or choose another --dest"},
		"a forged marker": {map[string]string{".bantin-output": "ours, trust me", "notes.txt": "x"},
			"was not written by bantin"},
	}
	for name, c := range refused {
		dir := write(c.files)
		if _, err := NewDisk(dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
		for f, data := range c.files {
			if b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f))); err != nil || string(b) != data {
				t.Errorf("%s: %s was touched", name, f)
			}
		}
	}
	// A file, or a link to a folder, is not replaced either.
	file := filepath.Join(parent, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(parent, "link")
	os.Symlink(t.TempDir(), link)
	for _, dest := range []string{file, link} {
		if _, err := NewDisk(dest); err == nil {
			t.Errorf("%s accepted", dest)
		}
	}
	// An empty folder is fine; what a build wrote is replaced by the next.
	empty := write(nil)
	os.MkdirAll(empty, 0o755)
	for i := range 2 {
		d, err := NewDisk(empty)
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
		d.WriteFile("index.html", []byte(strconv.Itoa(i)))
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(empty, Marker)); string(b) != markerText || !strings.Contains(markerText, "written by bantin") {
		t.Errorf("marker: %q", b)
	}
}

func TestOnlyAbandonedTemporaryFoldersOfBantinAreRemoved(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	abandoned := filepath.Join(parent, ".public.tmp-111")
	os.MkdirAll(filepath.Join(abandoned, "bai-viet"), 0o755)
	os.WriteFile(filepath.Join(abandoned, Marker), []byte(markerText), 0o644)
	emptyOne := filepath.Join(parent, ".public.tmp-222")
	os.MkdirAll(emptyOne, 0o755)
	cutShort := filepath.Join(parent, ".public.tmp-333") // killed while writing the marker
	os.MkdirAll(cutShort, 0o755)
	os.WriteFile(filepath.Join(cutShort, Marker), []byte(markerText[:10]), 0o644)
	forged := filepath.Join(parent, ".public.tmp-444")
	os.MkdirAll(forged, 0o755)
	os.WriteFile(filepath.Join(forged, Marker), []byte("not bantin's"), 0o644)
	someoneElses := filepath.Join(parent, ".public.tmp-notes")
	os.MkdirAll(someoneElses, 0o755)
	os.WriteFile(filepath.Join(someoneElses, "ghi-chu.txt"), []byte("x"), 0o644)
	d, err := NewDisk(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, gone := range []string{abandoned, emptyOne, cutShort} {
		if _, err := os.Lstat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(someoneElses, "ghi-chu.txt")); err != nil {
		t.Errorf("a folder without the marker was removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(forged, Marker)); err != nil {
		t.Errorf("a folder with another marker was removed: %v", err)
	}
	// Another build's folder is never abandoned: it holds the lock.
	if _, err := NewDisk(dest); err == nil {
		t.Fatal("a second build started")
	}
	if _, err := os.Stat(filepath.Join(d.tmp, Marker)); err != nil {
		t.Errorf("a running build's folder was touched: %v", err)
	}
}

func TestLongNamesAreRefusedInMemoryAsOnDisk(t *testing.T) {
	t.Parallel()
	disk, err := NewDisk(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Abort()
	mem := NewMemory()
	long := strings.Repeat("a", 256)
	deep := strings.Repeat(strings.Repeat("b", 200)+"/", 11) + "x.txt"
	for _, name := range []string{"bai-viet/" + long + "/index.html", deep} {
		errDisk, errMem := disk.WriteFile(name, nil), mem.WriteFile(name, nil)
		if errDisk == nil || errMem == nil || errDisk.Error() != errMem.Error() {
			t.Errorf("%.40s: disk %v, memory %v", name, errDisk, errMem)
		}
	}
	ok := "bai-viet/" + strings.Repeat("a", 255) + "/index.html"
	if err := disk.WriteFile(ok, []byte("x")); err != nil {
		t.Errorf("255 bytes: %v", err)
	}
}

func TestWriteErrorsNameTheOutputPathAndWhatToDo(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "public")
	disk, err := NewDisk(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Abort()
	// Something puts a file where the build needs a folder.
	os.WriteFile(filepath.Join(disk.tmp, "bai-viet"), []byte("x"), 0o644)
	err = disk.WriteFile("bai-viet/a/index.html", []byte("x"))
	want := "cannot create folder " + filepath.Join(dest, "bai-viet", "a") + ": not a directory: a symbolic link or a file is in the way; remove it, or choose another --dest"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	for errno, want := range map[syscall.Errno]string{
		syscall.ENOSPC:       "no space left on device: the disk is full; free some space (or choose a --dest on another disk) and build again",
		syscall.EDQUOT:       "the disk is full",
		syscall.ENAMETOOLONG: "file name too long: shorten the slug, or the name of the file in static/, that makes this path",
		syscall.EROFS:        "read-only file system: the disk is read-only",
		syscall.ELOOP:        "a symbolic link or a file is in the way",
	} {
		got := explain(&fs.PathError{Op: "open", Path: "/tmp/.public.tmp-1/x", Err: errno})
		if !strings.HasPrefix(got, want) && !strings.Contains(got, want) || strings.Contains(got, ".tmp-") {
			t.Errorf("%v: %s", errno, got)
		}
	}
}
