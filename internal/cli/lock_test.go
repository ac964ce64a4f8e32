package cli_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// siteOfArticles writes a site of n articles, each with a region and a
// topic: about 2.5 output files per article.
func siteOfArticles(t *testing.T, n int) string {
	t.Helper()
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("content/a%04d.md", i)] = fmt.Sprintf("---\ntitle: Tin số %d\ndate: 2024-01-01 %02d:%02d\nregion: Vùng %d\ntopics: [Chủ đề %d]\n---\nĐoạn văn của tin số %d.\n", i, i/60%24, i%60, i%40, i%25, i)
	}
	return writeSite(t, files)
}

// childBuild returns "bantin build" run as a separate process.
func childBuild(t *testing.T, dir, dest string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "build", "--source", dir, "--dest", dest, now)
	cmd.Env = append(os.Environ(), "BANTIN_TEST_CHILD=1")
	return cmd
}

// TestConcurrentBuildsIntoOneDestinationPublishACompleteSite starts
// several real builds of a site of a few thousand files into one folder at
// random moments, trial after trial: each either builds or says another
// build holds the folder, and the folder is always exactly the site.
func TestConcurrentBuildsIntoOneDestinationPublishACompleteSite(t *testing.T) {
	t.Parallel()
	dir := siteOfArticles(t, 600)
	reference := filepath.Join(t.TempDir(), "public")
	start := time.Now()
	if out, err := childBuild(t, dir, reference).CombinedOutput(); err != nil {
		t.Fatalf("reference build: %v\n%s", err, out)
	}
	took := time.Since(start)
	want := treeSum(t, reference)
	public := filepath.Join(dir, "public")
	rng := rand.New(rand.NewPCG(16, 1))
	const trials, builds = 4, 4
	built, refused := 0, 0
	for trial := range trials {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for range builds {
			delay := time.Duration(rng.Int64N(int64(took)*2 + 1))
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(delay)
				cmd := childBuild(t, dir, public)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					built++
				case strings.HasPrefix(stderr.String(), "another bantin build is writing "+public+" (process "):
					refused++
				default:
					t.Errorf("trial %d: %v\n%s", trial, err, stderr.String())
				}
			}()
		}
		wg.Wait()
		if got := treeSum(t, public); got != want {
			t.Fatalf("trial %d: public/ is %s, a single build gives %s", trial, got, want)
		}
		if left, _ := buildLeftovers(dir); len(left) > 0 {
			t.Fatalf("trial %d: left behind %v", trial, left)
		}
	}
	if built < trials {
		t.Errorf("only %d builds succeeded in %d trials", built, trials)
	}
	t.Logf("%d trials of %d builds (one build %v): %d built, %d refused while another ran; public/ complete every time", trials, builds, took.Round(time.Millisecond), built, refused)
}

// TestBuildKilledHoldingTheLockDoesNotBlockTheNext kills a build with
// SIGKILL while it holds its destination's lock.
func TestBuildKilledHoldingTheLockDoesNotBlockTheNext(t *testing.T) {
	t.Parallel()
	dir := siteOfArticles(t, 200)
	public := filepath.Join(dir, "public")
	lock := filepath.Join(dir, ".public.bantin-lock")
	for round := range 3 {
		cmd := childBuild(t, dir, public)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		held := false
		for range 2000 {
			if b, err := os.ReadFile(lock); err == nil && strings.HasPrefix(string(b), fmt.Sprintf("pid %d since ", cmd.Process.Pid)) {
				held = true
				break
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if !held {
			t.Fatalf("round %d: the build never took its lock", round)
		}
		if _, err := os.Stat(lock); err != nil {
			t.Fatalf("round %d: the killed build's lock file is gone (%v); the test proves nothing", round, err)
		}
		code, _, errOut := run("build", "--source", dir, now)
		if code != 0 {
			t.Fatalf("round %d: the build after the kill: %s", round, errOut)
		}
		if left, _ := buildLeftovers(dir); len(left) > 0 {
			t.Errorf("round %d: left behind %v", round, left)
		}
	}
}
