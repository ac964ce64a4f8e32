package cli_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/cli"
)

// TestMain lets the test binary act as the bantin command, so that tests
// can run real builds as separate processes and kill them.
func TestMain(m *testing.M) {
	if os.Getenv("BANTIN_TEST_CHILD") == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// treeSum fingerprints every file under dir; "" when dir is missing.
func treeSum(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s\x00%v\x00", rel, d.IsDir())
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
			n++
		}
		return nil
	})
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x/%d", h.Sum(nil), n)
}

// TestKilledBuildsLeavePublicComplete kills real builds with SIGKILL at
// random moments while they write, and checks after each kill that public/
// is exactly the previous site or exactly the new one, never a mix.
func TestKilledBuildsLeavePublicComplete(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range 1500 {
		files[fmt.Sprintf("content/a%04d.md", i)] = fmt.Sprintf("---\ntitle: Tin số %d\ndate: 2024-01-01 %02d:%02d\nregion: Vùng %d\ntopics: [Chủ đề %d]\n---\nĐoạn văn của tin số %d, về phong trào thi đua.\n", i, i/60%24, i%60, i%40, i%25, i)
	}
	dir := writeSite(t, files)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	build := func(dest string) *exec.Cmd {
		cmd := exec.Command(self, "build", "--source", dir, "--dest", dest, now)
		cmd.Env = append(os.Environ(), "BANTIN_TEST_CHILD=1")
		return cmd
	}
	public := filepath.Join(dir, "public")
	start := time.Now()
	if out, err := build(public).CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, out)
	}
	took := time.Since(start)
	old := treeSum(t, public)

	// The next version of the site: every article edited.
	for name := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		b, _ := os.ReadFile(p)
		os.WriteFile(p, []byte(strings.Replace(string(b), "Đoạn văn", "Đoạn văn đã sửa", 1)), 0o644)
	}
	other := filepath.Join(t.TempDir(), "public")
	if out, err := build(other).CombinedOutput(); err != nil {
		t.Fatalf("reference build: %v\n%s", err, out)
	}
	next := treeSum(t, other)
	if next == old {
		t.Fatal("the edit did not change the site")
	}

	rng := rand.New(rand.NewPCG(7, 11))
	kills, sawOld, sawNew := 0, 0, 0
	for range 16 {
		cmd := build(public)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Spread the kills over the whole build, the swap at its end included.
		time.Sleep(time.Duration(rng.Int64N(int64(took)*2 + 1)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kills++
		switch treeSum(t, public) {
		case old:
			sawOld++
		case next:
			sawNew++
		default:
			t.Fatalf("after kill %d public/ is neither the old site nor the new one", kills)
		}
	}
	// A finished build afterwards cleans up what the killed ones left.
	if out, err := build(public).CombinedOutput(); err != nil {
		t.Fatalf("build after kills: %v\n%s", err, out)
	}
	if treeSum(t, public) != next {
		t.Error("the build after the kills differs from the reference")
	}
	if left, _ := buildLeftovers(dir); len(left) > 0 {
		t.Errorf("left behind after a clean build: %v", left)
	}
	t.Logf("%d kills (first build %v): public/ was the old site %d times, the new one %d times, never partial", kills, took.Round(time.Millisecond), sawOld, sawNew)
}
