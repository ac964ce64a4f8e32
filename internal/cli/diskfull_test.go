package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFullDiskNamesTheOutputPathAndKeepsThePreviousSite builds into a
// small RAM disk until it is full. It needs the right to mount one (root,
// as in CI); elsewhere it skips.
func TestFullDiskNamesTheOutputPathAndKeepsThePreviousSite(t *testing.T) {
	t.Parallel()
	disk := t.TempDir()
	if err := syscall.Mount("tmpfs", disk, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a small disk to fill (%v); run as root to test a full disk", err)
	}
	t.Cleanup(func() { syscall.Unmount(disk, syscall.MNT_DETACH) })
	dir := writeSite(t, map[string]string{"content/a.md": good})
	public := filepath.Join(disk, "public")
	if code, _, errOut := run("build", "--source", dir, "--dest", public, now); code != 0 {
		t.Fatalf("the small site does not fit: %s", errOut)
	}
	before := snapshot(t, public)
	for i := range 400 {
		os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("b%03d.md", i)), []byte(article(fmt.Sprintf("Tin thêm %d", i))), 0o644)
	}
	code, _, errOut := run("build", "--source", dir, "--dest", public, now)
	if code != 1 {
		t.Fatalf("exit %d on a full disk: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	first := lines[0]
	if !strings.Contains(first, "cannot write "+public+string(filepath.Separator)) && !strings.Contains(first, "cannot create folder "+public+string(filepath.Separator)) ||
		!strings.HasSuffix(first, "no space left on device: the disk is full; free some space (or choose a --dest on another disk) and build again") {
		t.Errorf("first problem: %s", first)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "-") || strings.Contains(l, ".tmp-") {
			t.Errorf("a problem without a path, or with the temporary one: %s", l)
		}
	}
	after := snapshot(t, public)
	if len(after) != len(before) {
		t.Fatalf("public/ has %d files after the failed build, had %d", len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed", name)
		}
	}
	if left, _ := buildLeftovers(disk); len(left) > 0 {
		t.Errorf("left on the full disk: %v", left)
	}
}
