package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe, or skips the test where there are none.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// runWithin runs bantin and fails the test if it has not returned within
// 20 s: opening a named pipe blocks until a writer comes, that is forever.
func runWithin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := run(args...)
		done <- result{code, out, errOut}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(20 * time.Second):
		t.Fatalf("bantin %s hangs", strings.Join(args, " "))
		return 0, "", ""
	}
}

func TestPipesAndSocketsInTheSiteAreErrorsNotHangs(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good, "static/css/site.css": "body{}"})
	for _, p := range []string{"content/pipe.md", "content/2024/notes", "layouts/partials/pipe.html", "content/.hidden/pipe", "static/pipe.css", "static/img/pipe"} {
		mkfifo(t, filepath.Join(dir, filepath.FromSlash(p)))
	}
	// A Unix socket, as a running tool might leave one.
	sock := filepath.Join(dir, "static", "s.sock")
	if fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0); err == nil {
		if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: sock}); err != nil {
			sock = ""
		}
		defer syscall.Close(fd)
	}
	const pipe = ": is a named pipe (FIFO), not a regular file; bantin reads only regular files: remove it, or replace it with a file"
	dest := filepath.Join(t.TempDir(), "public")
	// expect runs build and check and wants both to report exactly want.
	expect := func(want ...string) {
		t.Helper()
		for _, cmd := range []string{"build", "check"} {
			args := []string{cmd, "--source", dir}
			if cmd == "build" {
				args = append(args, "--dest", dest, now)
			}
			code, _, errOut := runWithin(t, args...)
			noun := "problems"
			if len(want) == 1 {
				noun = "problem"
			}
			want := strings.Join(want, "\n") + fmt.Sprintf("\n%s failed: %d %s\n", cmd, len(want), noun)
			if code != 1 || errOut != want {
				t.Errorf("%s: exit %d\n%s\nwant:\n%s", cmd, code, errOut, want)
			}
		}
		if _, err := os.Stat(dest); !os.IsNotExist(err) {
			t.Error("a failed build wrote its destination")
		}
	}
	// Pipes found while walking content/ and layouts/, never opened; the
	// hidden one is not looked at.
	expect("content/2024/notes"+pipe, "content/pipe.md"+pipe, "layouts/partials/pipe.html"+pipe)
	for _, p := range []string{"content/pipe.md", "content/2024/notes", "layouts/partials/pipe.html"} {
		os.Remove(filepath.Join(dir, filepath.FromSlash(p)))
	}
	// A link to a pipe is followed, seen and refused before it is opened.
	os.Symlink(".hidden/pipe", filepath.Join(dir, "content", "link-to-pipe.md"))
	expect("content/link-to-pipe.md" + pipe)
	os.Remove(filepath.Join(dir, "content", "link-to-pipe.md"))
	// static/ is walked the same way.
	want := []string{"static/img/pipe" + pipe, "static/pipe.css" + pipe}
	if sock != "" {
		want = append(want, "static/s.sock: is a socket, not a regular file; bantin reads only regular files: remove it, or replace it with a file")
	}
	expect(want...)
	os.Remove(filepath.Join(dir, "static", "pipe.css"))
	os.Remove(filepath.Join(dir, "static", "img", "pipe"))
	os.Remove(sock)
	if code, _, errOut := runWithin(t, "build", "--source", dir, "--dest", dest, now); code != 0 {
		t.Errorf("the site without pipes does not build: %s", errOut)
	}
}

func TestSiteTomlThatIsAPipeIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mkfifo(t, filepath.Join(dir, "site.toml"))
	code, _, errOut := runWithin(t, "check", "--source", dir)
	if code != 1 || !strings.Contains(errOut, "site.toml: is a named pipe (FIFO), not a regular file") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestServeReportsAPipeAndRecoversWhenItIsRemoved(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	base, out, stop := startStoppableServe(t, dir)
	ev := listen(t, base)
	mkfifo(t, filepath.Join(dir, "content", "pipe.md"))
	eventually(t, "the problem", func() bool { return ev.has(`problems ["content/pipe.md: is a named pipe (FIFO)`) })
	if status, body := get(t, base+"bai-viet/a/"); status != 200 || !strings.Contains(body, "Tin A") {
		t.Errorf("the last good site is not served: %d", status)
	}
	os.Remove(filepath.Join(dir, "content", "pipe.md"))
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte(article("Tin B")), 0o644)
	eventually(t, "the rebuild after the pipe is gone", func() bool { s, _ := get(t, base+"bai-viet/b/"); return s == 200 })
	if code, took := stop(); code != 0 || took > time.Second {
		t.Errorf("Ctrl-C: exit %d after %v; want 0 within a second\n%s", code, took, out.String())
	}
}

// TestServeStopsWithinASecondMidBuild presses Ctrl-C while a rebuild of a
// few thousand articles runs.
func TestServeStopsWithinASecondMidBuild(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range 3000 {
		files[fmt.Sprintf("content/a%04d.md", i)] = article(fmt.Sprintf("Tin %d", i))
	}
	dir := writeSite(t, files)
	_, out, stop := startStoppableServe(t, dir)
	before := strings.Count(out.String(), "rebuilt in")
	// A new time zone empties the caches: the next build starts over.
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\ntime_zone = \"Asia/Bangkok\"\n"), 0o644)
	time.Sleep(150 * time.Millisecond) // the debounce, and the build under way
	code, took := stop()
	if code != 0 || took > time.Second {
		t.Errorf("Ctrl-C: exit %d after %v; want 0 within a second", code, took)
	}
	t.Logf("stopped %v after Ctrl-C; the rebuild had finished: %v", took, strings.Count(out.String(), "rebuilt in") > before)
}

// Content files are looked at from the content folder opened once; a link
// that leads out of it, to a file elsewhere in the site, is still followed
// as the site's folder allows, and one that leads out of the site is not.
func TestContentLinksOutOfTheContentFolder(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good, "notes/b.md": strings.Replace(good, "Tin A", "Tin B", 1)})
	if err := os.Symlink("../notes/b.md", filepath.Join(dir, "content", "b.md")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, errOut := runWithin(t, "build", "--source", dir, "--dest", dest, now); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dest, "bai-viet", "b", "index.html")); err != nil {
		t.Errorf("the linked article was not published: %v", err)
	}
	outside := filepath.Join(t.TempDir(), "c.md")
	os.WriteFile(outside, []byte(good), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "content", "c.md")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runWithin(t, "build", "--source", dir, "--dest", dest, now)
	if code != 1 || !strings.Contains(errOut, "content/c.md: cannot read: ") {
		t.Errorf("a link out of the site: exit %d: %s", code, errOut)
	}
}
