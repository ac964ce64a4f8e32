package cli_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/cli"
)

// serve on every interface without a password: refused before serving.
func TestServeOnAllInterfacesNeedsPassword(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	var stdout, stderr syncBuffer
	code := cli.Main(context.Background(), []string{"serve", "--source", dir, "--addr", "0.0.0.0:0"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "bantin passwd") || strings.Contains(stdout.String(), "Serving") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	// --editor=false serves the preview alone, as before.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out syncBuffer
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--source", dir, "--addr", "127.0.0.1:0", "--editor=false"}, &out, &stderr)
	}()
	eventually(t, "the preview alone", func() bool { return strings.Contains(out.String(), "Serving") })
	if strings.Contains(out.String(), "Editor at") {
		t.Error("--editor=false still serves the editor")
	}
	cancel()
	<-done
}

var servingAny = regexp.MustCompile(`at http://\S+:(\d+)/ `)

// With a password set by bantin passwd, serve on every interface starts,
// and the editor's API and the preview's pages want a session.
func TestServeOnAllInterfacesWithPassword(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": article("Tin A")})
	var pout, perr syncBuffer
	if code := cli.Run(context.Background(), []string{"passwd", "--source", dir, "--user", "bientap"}, strings.NewReader("mật khẩu đủ dài\n"), &pout, &perr); code != 0 {
		t.Fatalf("passwd exit %d: %s", code, perr.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, ".bantin", "passwords"))
	if err != nil || !strings.HasPrefix(string(data), "bientap:$2a$12$") {
		t.Fatalf("password file %q, %v", data, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--source", dir, "--addr", "0.0.0.0:0"}, &stdout, &stderr)
	}()
	var port string
	eventually(t, "serve to start", func() bool {
		m := servingAny.FindStringSubmatch(stdout.String())
		if m != nil {
			port = m[1]
		}
		return m != nil || strings.Contains(stderr.String(), "listen")
	})
	if port == "" {
		t.Skipf("cannot listen on 0.0.0.0 here: %s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "sign in with a password") {
		t.Errorf("serve does not say the editor needs a password:\n%s", stdout.String())
	}
	base := "http://127.0.0.1:" + port
	for _, p := range []string{"/_bantin/api/articles", "/_bantin/api/schema", "/bai-viet/a/", "/__bantin/events"} {
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 5 * time.Second}).Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("GET %s without a session: %d, want 401", p, resp.StatusCode)
		}
	}
	// The editor's page itself answers, to show the sign-in form.
	if status, body := get(t, base+"/_bantin/"); status != 200 || !strings.Contains(body, `"login":true`) {
		t.Errorf("editor page: %d %s", status, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d: %s", code, stderr.String())
	}
}
