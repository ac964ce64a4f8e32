package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/output"
)

// testServer serves a small built site on 127.0.0.1 with limits, and
// returns the server and its host:port. Each Rebuild makes a new version.
func testServer(t *testing.T, lim limits) (*Server, string) {
	t.Helper()
	var builds atomic.Int32
	build := func(ctx context.Context) (*output.Memory, Late, error) {
		n := builds.Add(1)
		m := output.NewMemory()
		m.WriteFile("index.html", []byte(fmt.Sprintf("<!DOCTYPE html><title>Trang chủ</title><body><p>bản %d</p></body>", n)))
		m.WriteFile("khu-vuc/index.html", []byte("<body>khu vực</body>"))
		m.WriteFile("404.html", []byte("<body>không thấy</body>"))
		m.WriteFile("css/site.css", []byte("body{}"))
		return m, nil, nil
	}
	s := New(build, func(string, ...any) {})
	s.limits = lim
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return s, ln.Addr().String()
}

// raw sends one raw HTTP/1.1 request and returns the response's head.
func raw(t *testing.T, addr, target, host string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host)
	// The head only: the event stream's body never ends.
	var head []string
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if err != nil || line == "" {
			return strings.Join(head, "\r\n")
		}
		head = append(head, line)
	}
}

func header(head, name string) string {
	for _, line := range strings.Split(head, "\r\n") {
		if k, v, ok := strings.Cut(line, ": "); ok && strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func TestRedirectsAlwaysStayOnTheSite(t *testing.T) {
	t.Parallel()
	_, addr := testServer(t, defaultLimits())
	for target, want := range map[string]string{
		"/khu-vuc":           "301 /khu-vuc/",
		"/%2fkhu-vuc":        "301 /khu-vuc/",
		"/%2Fkhu-vuc":        "301 /khu-vuc/",
		"//khu-vuc":          "301 /khu-vuc/",
		"///khu-vuc":         "301 /khu-vuc/",
		"/%2f%2fkhu-vuc":     "301 /khu-vuc/",
		"/./khu-vuc":         "301 /khu-vuc/",
		"/%2e/khu-vuc":       "301 /khu-vuc/",
		"/khu-vuc?q=thi+dua": "301 /khu-vuc/?q=thi+dua",
		"/\\khu-vuc":         "404",
		"/%5ckhu-vuc":        "404",
		"/%5C%5Ckhu-vuc":     "404",
		"/%09/khu-vuc":       "404",
		"/..%2fkhu-vuc":      "404",
		"/khu-vuc/":          "200",
		"//example.com":      "404",
		"/%2f%2fexample.com": "404",
		"/%2f%5cexample.com": "404",
	} {
		head := raw(t, addr, target, addr)
		status := strings.SplitN(head, " ", 3)[1]
		got := status
		if loc := header(head, "Location"); loc != "" {
			got += " " + loc
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Errorf("%s redirects off the site: %s", target, loc)
			}
		}
		if got != want {
			t.Errorf("%s: %s, want %s", target, got, want)
		}
	}
}

func TestRequestsForOtherHostsAreRefused(t *testing.T) {
	t.Parallel()
	_, addr := testServer(t, defaultLimits())
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]string{
		"127.0.0.1:" + port:          "200",
		"localhost:" + port:          "200",
		"LOCALHOST:" + port:          "200",
		"[::1]:" + port:              "200",
		"127.0.0.2:" + port:          "200",
		"evil.example:" + port:       "421",
		"evil.example":               "421",
		"localhost.evil.com:" + port: "421",
		"127.0.0.1.nip.io:" + port:   "421",
		"127.0.0.1:1":                "421",
		"localhost":                  "421",
		"10.0.0.5:" + port:           "421",
		"[fe80::1%25lo]:" + port:     "421",
	} {
		for _, target := range []string{"/", Prefix + "events", Prefix + "live.js", "/khong-co/"} {
			head := raw(t, addr, target, host)
			got := strings.SplitN(head, " ", 3)[1]
			if want == "200" && target == "/khong-co/" {
				if got != "404" {
					t.Errorf("host %s, %s: %s", host, target, got)
				}
				continue
			}
			if got != want {
				t.Errorf("host %s, %s: %s, want %s", host, target, got, want)
			}
		}
	}
	// An empty Host (HTTP/1.0) is refused too.
	conn, _ := net.Dial("tcp", addr)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(conn, "GET / HTTP/1.0\r\n\r\n")
	resp, _ := io.ReadAll(conn)
	if !strings.HasPrefix(string(resp), "HTTP/1.0 421") {
		t.Errorf("no Host: %.40q", resp)
	}
}

func TestHostCheckAcceptsTheBoundAddress(t *testing.T) {
	t.Parallel()
	s := New(nil, nil)
	s.bound = netip.MustParseAddrPort("192.0.2.7:1313")
	for host, want := range map[string]bool{
		"192.0.2.7:1313": true, "127.0.0.1:1313": true, "localhost:1313": true, "[::1]:1313": true,
		"192.0.2.8:1313": false, "192.0.2.7:80": false, "ban-tin.local:1313": false,
	} {
		if got := s.hostAllowed(host); got != want {
			t.Errorf("bound to 192.0.2.7: %s: %v", host, got)
		}
	}
	s.bound = netip.MustParseAddrPort("0.0.0.0:1313")
	for host, want := range map[string]bool{"192.0.2.8:1313": true, "[2001:db8::1]:1313": true, "ban-tin.local:1313": false} {
		if got := s.hostAllowed(host); got != want {
			t.Errorf("bound to all addresses: %s: %v", host, got)
		}
	}
	s.bound = netip.MustParseAddrPort("127.0.0.1:80")
	if !s.hostAllowed("localhost") || !s.hostAllowed("127.0.0.1") {
		t.Error("on port 80 a Host without a port is refused")
	}
}

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	_, addr := testServer(t, defaultLimits())
	for _, c := range []struct{ target, host string }{
		{"/", addr}, {"/khong-co/", addr}, {"/css/site.css", addr}, {Prefix + "live.js", addr}, {"/khu-vuc", addr}, {"/", "evil.example"},
	} {
		head := raw(t, addr, c.target, c.host)
		for name, want := range map[string]string{
			"X-Content-Type-Options":       "nosniff",
			"X-Frame-Options":              "DENY",
			"Content-Security-Policy":      contentSecurityPolicy,
			"Cross-Origin-Resource-Policy": "same-origin",
		} {
			if got := header(head, name); got != want {
				t.Errorf("%s (host %s): %s: %q", c.target, c.host, name, got)
			}
		}
	}
	for _, must := range []string{"script-src 'self';", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"} {
		if !strings.Contains(contentSecurityPolicy, must) {
			t.Errorf("the policy lacks %s", must)
		}
	}
	if strings.Contains(strings.SplitN(strings.SplitN(contentSecurityPolicy, "script-src", 2)[1], ";", 2)[0], "unsafe") {
		t.Error("scripts may run inline")
	}
	// The event stream too.
	req, _ := http.NewRequest("GET", "http://"+addr+Prefix+"events", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Security-Policy") != contentSecurityPolicy || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("event stream headers: %v", resp.Header)
	}
}

func TestIdleConnectionsNeverStopTheServer(t *testing.T) {
	t.Parallel()
	lim := defaultLimits()
	lim.conns = 8
	_, addr := testServer(t, lim)
	// Thirty clients each make a request and keep the connection open.
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for range 30 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
		c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(c, "GET /css/site.css HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("request on connection %d: %v", len(idle), err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// A new client is still answered, at once.
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("after 30 idle connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	// The oldest idle connections were closed to make room.
	closed := 0
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err == io.EOF {
			closed++
		}
	}
	if closed < 30-8 {
		t.Errorf("only %d of 30 idle connections were closed with room for 8", closed)
	}
}

func TestTimeoutsCloseSlowClientsButNotTheLiveReloadStream(t *testing.T) {
	t.Parallel()
	lim := defaultLimits()
	lim.readHeader, lim.read, lim.write, lim.idle = 200*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	s, addr := testServer(t, lim)

	stream, err := http.Get("http://" + addr + Prefix + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			events <- sc.Text()
		}
		close(events)
	}()

	// A client that sends half a request header, then nothing.
	slow, _ := net.Dial("tcp", addr)
	defer slow.Close()
	fmt.Fprintf(slow, "GET / HTTP/1.1\r\nHost: %s\r\n", addr)
	// A keep-alive client that goes quiet after one request.
	quiet, _ := net.Dial("tcp", addr)
	defer quiet.Close()
	fmt.Fprintf(quiet, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	r := bufio.NewReader(quiet)
	if resp, err := http.ReadResponse(r, nil); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	for name, c := range map[string]net.Conn{"half a header": slow, "an idle connection": quiet} {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		buf := make([]byte, 512)
		for {
			_, err := c.Read(buf)
			if err == nil {
				continue // the 408 to the slow one
			}
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("%s was kept open", name)
			}
			break
		}
	}
	// Well past every timeout, the stream still delivers a rebuild.
	time.Sleep(500 * time.Millisecond)
	s.Rebuild(context.Background())
	deadline := time.After(3 * time.Second)
	for {
		select {
		case line, ok := <-events:
			if !ok {
				t.Fatal("the live-reload stream was closed")
			}
			if line == "event: reload" {
				return
			}
		case <-deadline:
			t.Fatal("no reload event on the stream")
		}
	}
}
