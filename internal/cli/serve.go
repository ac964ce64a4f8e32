package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/editor"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/server"
	"github.com/bantin/bantin/internal/site"
)

// stopWait is how long serve waits, after Ctrl-C, for its watcher and
// server to finish before it returns anyway.
const stopWait = 500 * time.Millisecond

// defaultServeAddr is where bantin serve listens unless told otherwise.
const defaultServeAddr = "127.0.0.1:1313"

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newBuildCommand("serve", stderr)
	addr := fs.String("addr", defaultServeAddr, "address to serve on; the default only accepts connections from this machine")
	poll := fs.Duration("poll", 0, "scan for changes every `DURATION` (e.g. 1s) instead of waiting for file events, for network drives and containers")
	withEditor := fs.Bool("editor", true, "serve the newsroom editor at "+editor.Prefix)
	passwords := fs.String("password-file", "", "editors' password `FILE` made by bantin passwd (default: "+editor.PasswordFile+" in the site's folder)")
	hosts := fs.String("host", "", "comma-separated host `NAMES` clients may reach the editor by, besides the address (e.g. a reverse proxy's name)")
	if !parseNoArgs(fs, args, stderr) {
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return report(stderr, fmt.Errorf("listen on %s: %w", *addr, err))
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String() + "/"
	editorLine := ""
	loopback := false
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		loopback = tcp.IP.IsLoopback()
	}

	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(stdout, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
	// One cache for the session: an edit reparses, rerenders and re-lays
	// out only what it changed. The search index follows in the background.
	cache := site.NewCache()
	build := func(ctx context.Context) (*output.Memory, server.Late, error) {
		// Read everything afresh: site.toml may have changed too.
		p, err := f.prepare()
		if err != nil {
			return nil, nil, err
		}
		defer p.root.Close()
		if err := p.cfg.SetBaseURL(base); err != nil {
			return nil, nil, err
		}
		p.opts.Cache, p.opts.DeferSearch = cache, true
		out := output.NewMemory()
		stats, err := site.Build(ctx, &p.cfg, p.opts, out)
		if err != nil {
			return nil, nil, err
		}
		if stats.Search == nil {
			return out, nil, nil
		}
		return out, func(ctx context.Context) (map[string][]byte, error) {
			files, err := stats.Search(ctx)
			if err != nil {
				return nil, err
			}
			m := make(map[string][]byte, len(files))
			for _, f := range files {
				m[f.Name] = f.Data
			}
			return m, nil
		}, nil
	}
	// Watch before the first build, so that no save goes unseen.
	watcher, err := server.NewWatcher(f.source, *poll)
	if err != nil {
		return report(stderr, err)
	}
	srv := server.New(build, logf)
	if *withEditor {
		var extra []string
		for _, h := range strings.Split(*hosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				extra = append(extra, h)
			}
		}
		ed, err := editor.New(editor.Options{
			Source: f.source, BaseURL: base, Theme: bantin.Theme(), Cache: cache,
			Passwords: *passwords, RequireLogin: !loopback, Addr: ln.Addr(), Hosts: extra, Logf: logf,
		})
		if err != nil {
			return report(stderr, fmt.Errorf("editor: %w", err))
		}
		defer ed.Close()
		srv.Mount(editor.Prefix, ed, ed.Guard)
		srv.AllowHosts(extra...)
		srv.AfterBuild(func(ctx context.Context) {
			if err := ed.Refresh(ctx); err != nil && ctx.Err() == nil {
				logf("editor: %v", err)
			}
		})
		login := "no password: this machine only"
		if ed.LoginRequired() {
			login = "sign in with a password"
		}
		editorLine = fmt.Sprintf("Editor at %s%s (%s)\n", base, strings.TrimPrefix(editor.Prefix, "/"), login)
	}
	srv.Rebuild(ctx)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fmt.Fprintf(stdout, "Serving %s at %s (Ctrl-C to stop)\n", f.source, base)
	fmt.Fprint(stdout, editorLine)
	errs := make(chan error, 2)
	go func() {
		errs <- watcher.Run(ctx, 50*time.Millisecond, func() { srv.Rebuild(ctx) })
	}()
	go func() { errs <- srv.Serve(ctx, ln) }()
	// Whichever stops first (Ctrl-C stops both) stops the other. A build
	// stops at its next check of ctx; one stuck in a system call must not
	// keep Ctrl-C from stopping the server within a second.
	err = <-errs
	cancel()
	select {
	case err2 := <-errs:
		if err == nil {
			err = err2
		}
	case <-time.After(stopWait):
	}
	if err != nil {
		return report(stderr, err)
	}
	fmt.Fprintln(stdout, "stopped")
	return 0
}
