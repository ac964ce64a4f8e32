package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bantin/bantin/internal/browsertest"
	"github.com/bantin/bantin/internal/cli"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingAt = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/)`)

// startServe runs "bantin serve" in-process on a free port of 127.0.0.1 and
// returns its URL; the server stops when the test ends, and must stop
// cleanly.
func startServe(t testing.TB, dir string, extra ...string) (string, *syncBuffer) {
	t.Helper()
	base, out, stop := startStoppableServe(t, dir, extra...)
	t.Cleanup(func() {
		if code, _ := stop(); code != 0 {
			t.Errorf("serve exited %d after Ctrl-C", code)
		}
	})
	return base, out
}

// startStoppableServe is startServe whose caller presses Ctrl-C: stop
// returns serve's exit status and how long it took to return.
func startStoppableServe(t testing.TB, dir string, extra ...string) (string, *syncBuffer, func() (int, time.Duration)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	args := append([]string{"serve", "--source", dir, "--addr", "127.0.0.1:0"}, extra...)
	go func() { done <- cli.Main(ctx, args, &stdout, &stderr) }()
	stopped := false
	stop := func() (int, time.Duration) {
		if stopped {
			return 0, 0
		}
		stopped = true
		start := time.Now()
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d after Ctrl-C: %s", code, stderr.String())
			}
			return code, time.Since(start)
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop within 10 s of Ctrl-C")
			return -1, time.Since(start)
		}
	}
	t.Cleanup(func() { stop() })
	for range 2400 { // a large site's first build takes a while
		if m := servingAt.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], &stdout, stop
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("serve did not start: %s %s", stdout.String(), stderr.String())
	return "", nil, nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls until check passes, at most 200 times 50 ms.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for range 200 {
		if check() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// events collects the names and data of server-sent events.
type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) has(prefix string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, g := range e.got {
		if strings.HasPrefix(g, prefix) {
			return true
		}
	}
	return false
}

func listen(t *testing.T, base string) *events {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"__bantin/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	e := &events{}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.mu.Lock()
				e.got = append(e.got, name+" "+strings.TrimPrefix(line, "data: "))
				e.mu.Unlock()
			}
		}
	}()
	eventually(t, "the event stream to open", func() bool { return e.has("hello") || e.has("problems") })
	return e
}

func article(title string) string {
	return "---\ntitle: " + title + "\ndate: 2024-01-01\nregion: Cần Thơ\n---\nNội dung " + title + ".\n"
}

func TestServeFollowsEditsCreatesDeletesAndRenames(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	base, _ := startServe(t, dir)
	ev := listen(t, base)

	status, body := get(t, base+"bai-viet/a/")
	if status != 200 || !strings.Contains(body, "Tin A") || !strings.Contains(body, `<script src="/__bantin/live.js" data-version="1" defer></script></body>`) {
		t.Fatalf("first page: %d\n%s", status, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("serve wrote public/; the preview lives in memory")
	}
	// The search index follows the pages, in the background.
	eventually(t, "the search index", func() bool {
		s, body := get(t, base+"tim-kiem/chi-muc/manifest.json")
		return s == 200 && strings.Contains(body, `"docs":1`)
	})
	if status, body := get(t, base+"tim-kiem/"); status != 200 || !strings.Contains(body, "bantin-search.js") {
		t.Errorf("search page: %d", status)
	}

	// A plain edit.
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(article("Tin A sửa")), 0o644)
	eventually(t, "the edit", func() bool { _, b := get(t, base+"bai-viet/a/"); return strings.Contains(b, "Tin A sửa") })
	eventually(t, "a reload event", func() bool { return ev.has("reload") })

	// An editor's atomic save: write a temporary file, rename it over.
	tmp := filepath.Join(dir, "content", ".a.md.swp")
	os.WriteFile(tmp, []byte(article("Tin A lưu nguyên tử")), 0o644)
	os.Rename(tmp, filepath.Join(dir, "content", "a.md"))
	eventually(t, "the atomic save", func() bool { _, b := get(t, base+"bai-viet/a/"); return strings.Contains(b, "lưu nguyên tử") })

	// The search index catches up with an added article.
	// A new folder with a new article in it.
	os.MkdirAll(filepath.Join(dir, "content", "2027", "thang-1"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "2027", "thang-1", "b.md"), []byte(article("Tin B")), 0o644)
	eventually(t, "the new article", func() bool { s, _ := get(t, base+"bai-viet/b/"); return s == 200 })
	// A file added later in that new folder is seen too: it is watched.
	os.WriteFile(filepath.Join(dir, "content", "2027", "thang-1", "c.md"), []byte(article("Tin C")), 0o644)
	eventually(t, "a file in the new folder", func() bool { s, _ := get(t, base+"bai-viet/c/"); return s == 200 })
	eventually(t, "the search index to count three articles", func() bool {
		_, body := get(t, base+"tim-kiem/chi-muc/manifest.json")
		return strings.Contains(body, `"docs":3`)
	})

	// Delete, then rename.
	os.Remove(filepath.Join(dir, "content", "2027", "thang-1", "b.md"))
	eventually(t, "the deletion", func() bool { s, _ := get(t, base+"bai-viet/b/"); return s == 404 })
	os.Rename(filepath.Join(dir, "content", "a.md"), filepath.Join(dir, "content", "d.md"))
	eventually(t, "the rename", func() bool {
		s1, _ := get(t, base+"bai-viet/a/")
		s2, _ := get(t, base+"bai-viet/d/")
		return s1 == 404 && s2 == 200
	})

	// Layouts and site.toml count too.
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin mới\"\nbase_url = \"https://example.gov.vn/\"\n"), 0o644)
	eventually(t, "the new site title", func() bool { _, b := get(t, base); return strings.Contains(b, "Bản tin mới") })
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts", "404.html"), []byte(`{{define "main"}}<p>Trang riêng 404</p>{{end}}`), 0o644)
	eventually(t, "the site's own layout", func() bool { _, b := get(t, base+"khong-co/"); return strings.Contains(b, "Trang riêng 404") })

	// A field no taxonomy declares is a problem until site.toml declares it.
	os.WriteFile(filepath.Join(dir, "content", "e.md"), []byte("---\ntitle: Tin E\ndate: 2024-01-02\nregion: Cần Thơ\nunit: Sở Y tế\n---\nE.\n"), 0o644)
	eventually(t, "the unknown field reported", func() bool { return ev.has(`problems ["content/e.md:5:1: unknown field \"unit\"`) })
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin mới\"\nbase_url = \"https://example.gov.vn/\"\n[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\npath = \"don-vi\"\n"), 0o644)
	eventually(t, "the declared unit's page", func() bool {
		s, b := get(t, base+"don-vi/so-y-te/")
		return s == 200 && strings.Contains(b, "Tin E")
	})
	if _, b := get(t, base+"bai-viet/e/"); !strings.Contains(b, `<a href="/don-vi/">Đơn vị</a>`) {
		t.Error("the navigation lacks the declared unit")
	}
}

func TestServeKeepsLastGoodSiteAndShowsProblems(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	base, out := startServe(t, dir)
	ev := listen(t, base)

	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: Tin A\ndate: hôm qua\nregion: Cần Thơ\n---\n"), 0o644)
	eventually(t, "the problems event", func() bool { return ev.has(`problems ["content/a.md:3:7: date \"hôm qua\" is not a date`) })
	if status, body := get(t, base+"bai-viet/a/"); status != 200 || !strings.Contains(body, "Nội dung Tin A") {
		t.Errorf("the last good page is gone: %d", status)
	}
	if !strings.Contains(out.String(), "build failed, still serving the last good site") {
		t.Errorf("terminal does not say the build failed:\n%s", out.String())
	}
	// A page opened while the build is broken learns of it at once.
	late := listen(t, base)
	if !late.has("problems") {
		t.Error("a newly opened page was not told of the problems")
	}
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(article("Tin A đã sửa")), 0o644)
	eventually(t, "the fixed page", func() bool { _, b := get(t, base+"bai-viet/a/"); return strings.Contains(b, "Tin A đã sửa") })
	eventually(t, "a reload after the fix", func() bool { return late.has("reload") })
}

func TestServeRejectsTraversalAndBadRequests(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A"), "static/ok.txt": "ok"})
	base, out := startServe(t, dir)
	// A symlink out of the site: the build refuses it, nothing leaks.
	os.Symlink("/etc/passwd", filepath.Join(dir, "static", "leak.txt"))
	eventually(t, "the refused symlink", func() bool { return strings.Contains(out.String(), "static/leak.txt") })
	host := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	for _, p := range []string{
		"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/..%2f..%2fetc/passwd",
		"/bai-viet/../../etc/passwd", "//etc/passwd", "/leak.txt", "/%00", "/static/../site.toml", "/site.toml", "/content/a.md",
		"/./../etc/passwd", "/\\..\\..\\etc\\passwd",
	} {
		conn, err := net.DialTimeout("tcp", host, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", p, host)
		resp, _ := io.ReadAll(conn)
		conn.Close()
		text := string(resp)
		if strings.Contains(text, "root:") || strings.Contains(text, "base_url") || strings.Contains(text, "region: Cần Thơ") {
			t.Errorf("%s leaked a file:\n%s", p, text)
		}
		if !strings.HasPrefix(text, "HTTP/1.1 404") {
			t.Errorf("%s: %s", p, strings.SplitN(text, "\r\n", 2)[0])
		}
	}
	// Oversized and malformed requests are answered, and the server lives on.
	conn, _ := net.Dial("tcp", host)
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 200<<10))
	big, _ := io.ReadAll(conn)
	conn.Close()
	if !strings.HasPrefix(string(big), "HTTP/1.1 431") {
		t.Errorf("oversized header: %.60q", big)
	}
	resp, err := http.Post(base, "text/plain", strings.NewReader("x"))
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", resp.Status, err)
	}
	if status, _ := get(t, base); status != 200 {
		t.Errorf("server unhealthy after bad requests: %d", status)
	}
}

func TestServePollsWhereEventsNeverCome(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	base, _ := startServe(t, dir, "--poll", "100ms")
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(article("Tin A qua polling")), 0o644)
	eventually(t, "the polled edit", func() bool { _, b := get(t, base+"bai-viet/a/"); return strings.Contains(b, "qua polling") })
}

func TestServeBurstOfChangesIsOneRebuild(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	base, out := startServe(t, dir)
	before := strings.Count(out.String(), "rebuilt in")
	for i := range 20 {
		os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("x%02d.md", i)), []byte(article(fmt.Sprintf("Tin X%d", i))), 0o644)
	}
	eventually(t, "all twenty articles", func() bool { s, _ := get(t, base+"bai-viet/x19/"); return s == 200 })
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(out.String(), "rebuilt in") - before; n > 3 {
		t.Errorf("a burst of 20 writes caused %d rebuilds", n)
	}
}

func TestServedPageReloadsItselfInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Browser(t)
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A"), "content/b.md": article("Tin B")})
	base, _ := startServe(t, dir)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"bai-viet/a/")); err != nil {
		t.Fatal(err)
	}
	// waitJS evaluates expr until it is true; navigations in between (the
	// point of the test) only make one evaluation fail.
	waitJS := func(what, expr string) {
		t.Helper()
		eventually(t, what, func() bool {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			return err == nil && ok
		})
	}
	// Mark this page load; a reload clears the mark.
	waitJS("the page", `(window.__mark = 1) === 1`)
	time.Sleep(300 * time.Millisecond) // let the event stream connect
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(article("Tin A trong trình duyệt")), 0o644)
	waitJS("a reload with the edit", `!window.__mark && document.querySelector('h1').textContent.includes('trong trình duyệt')`)
	// Broken: an overlay; fixed: gone.
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	waitJS("the problem overlay", `!!document.querySelector('#bantin-problems') && document.querySelector('#bantin-problems').textContent.includes('content/a.md:2')`)
	waitJS("fonts that render Vietnamese in the overlay", `getComputedStyle(document.querySelector('#bantin-problems pre')).fontFamily.startsWith('system-ui, "Segoe UI", Roboto, "Noto Sans"')`)
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(article("Tin A lành")), 0o644)
	waitJS("the overlay to clear", `!document.querySelector('#bantin-problems') && document.querySelector('h1').textContent.includes('Tin A lành')`)
	// The page being read is deleted: the browser goes to the nearest page.
	os.Remove(filepath.Join(dir, "content", "a.md"))
	waitJS("a move away from the deleted page", `location.pathname === '/bai-viet/' || location.pathname === '/'`)
}

// TestServeStaysUpUnderLoadWhileFilesChange sends a bounded burst of
// concurrent requests from 127.0.0.1 while articles are edited, created and
// deleted under the server.
func TestServeStaysUpUnderLoadWhileFilesChange(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range 30 {
		files[fmt.Sprintf("content/a%02d.md", i)] = article(fmt.Sprintf("Tin %d", i))
	}
	dir := writeSite(t, files)
	base, _ := startServe(t, dir)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			name := filepath.Join(dir, "content", fmt.Sprintf("a%02d.md", i))
			os.WriteFile(name, []byte(article(fmt.Sprintf("Tin %d sửa", i))), 0o644)
			os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("moi%02d.md", i)), []byte(article("Tin mới")), 0o644)
			if i%3 == 0 {
				os.Remove(filepath.Join(dir, "content", fmt.Sprintf("a%02d.md", 29-i)))
			}
			time.Sleep(40 * time.Millisecond)
		}
	}()
	paths := []string{"", "bai-viet/a05/", "khu-vuc/", "khu-vuc/can-tho/", "tim-kiem/", "khong-co/", "atom.xml", "sitemap.xml", "%2e%2e/etc/passwd", "css/bantin.css"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	var failures []string
	client := &http.Client{Timeout: 5 * time.Second}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 150 {
				resp, err := client.Get(base + paths[(w+i)%len(paths)])
				mu.Lock()
				if err != nil {
					failures = append(failures, err.Error())
				} else {
					counts[resp.StatusCode]++
				}
				mu.Unlock()
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	<-done
	if len(failures) > 0 {
		t.Errorf("%d requests failed, first: %s", len(failures), failures[0])
	}
	for status, n := range counts {
		if status != 200 && status != 404 {
			t.Errorf("%d responses with status %d", n, status)
		}
	}
	if counts[200] < 600 {
		t.Errorf("only %d of 1200 requests succeeded: %v", counts[200], counts)
	}
	eventually(t, "the last edits", func() bool { s, _ := get(t, base+"bai-viet/moi19/"); return s == 200 })
}

// TestPreviewShowsNewDraftsWithABanner: the article bantin new writes (a
// draft) is served at the URL new prints, with a banner saying it is a
// draft; --drafts=false hides drafts.
func TestPreviewShowsNewDraftsWithABanner(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	code, out, errOut := run("new", "Hội nghị sơ kết thi đua", "--source", dir, "--region", "Cần Thơ")
	if code != 0 {
		t.Fatalf("new: %d %s", code, errOut)
	}
	m := regexp.MustCompile(`(?m)^preview: http://127\.0\.0\.1:1313/(\S+) `).FindStringSubmatch(out)
	if m == nil || m[1] != "bai-viet/hoi-nghi-so-ket-thi-dua/" {
		t.Fatalf("new printed no preview URL of the article:\n%s", out)
	}
	base, _ := startServe(t, dir)
	status, body := get(t, base+m[1])
	if status != 200 || !strings.Contains(body, `<p class="draft-banner" role="note"><strong>Bản nháp</strong>`) {
		t.Errorf("the new draft is not previewed with its banner: %d\n%s", status, body)
	}
	if _, home := get(t, base); !strings.Contains(home, `<span class="badge badge-draft">Bản nháp</span>`) {
		t.Errorf("the home page's card of the draft does not say it is one")
	}
	if _, published := get(t, base+"bai-viet/a/"); strings.Contains(published, "draft-banner") {
		t.Errorf("a published article shows the draft banner")
	}

	hidden, _ := startServe(t, dir, "--drafts=false")
	if status, _ := get(t, hidden+m[1]); status != 404 {
		t.Errorf("--drafts=false still serves the draft: %d", status)
	}
}
