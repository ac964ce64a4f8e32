package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// Bounds on every wait, so that a hung browser fails the test instead of
// holding it until go test's own timeout.
const (
	firefoxStartTimeout = 60 * time.Second
	firefoxStopTimeout  = 15 * time.Second
	commandTimeout      = 30 * time.Second
	waitPolls           = 300 // times waitInterval: 30 s
	waitInterval        = 100 * time.Millisecond
)

// findFirefox returns the path of a Firefox binary, or "".
func findFirefox() string {
	if p := os.Getenv("BANTIN_FIREFOX"); p != "" {
		return p
	}
	for _, name := range []string{"firefox-esr", "firefox"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// firefoxPrefs go into the fresh profile's user.js. The remote agent sets
// its own recommended automation prefs; these add what a machine without
// internet needs: no update, telemetry, captive-portal, safe-browsing or
// remote-settings requests, no first-run pages.
func firefoxPrefs() map[string]any {
	return map[string]any{
		"remote.active-protocols":                          1, // WebDriver BiDi only (ignored where it is the only one)
		"app.update.disabledForTesting":                    true,
		"app.update.auto":                                  false,
		"browser.shell.checkDefaultBrowser":                false,
		"browser.startup.homepage_override.mstone":         "ignore",
		"browser.startup.page":                             0,
		"browser.startup.homepage":                         "about:blank",
		"browser.newtabpage.enabled":                       false,
		"browser.aboutwelcome.enabled":                     false,
		"browser.tabs.warnOnClose":                         false,
		"browser.warnOnQuit":                               false,
		"browser.region.network.url":                       "",
		"browser.region.update.enabled":                    false,
		"browser.safebrowsing.malware.enabled":             false,
		"browser.safebrowsing.phishing.enabled":            false,
		"browser.safebrowsing.downloads.enabled":           false,
		"browser.safebrowsing.blockedURIs.enabled":         false,
		"browser.safebrowsing.provider.mozilla.gethashURL": "",
		"browser.safebrowsing.provider.mozilla.updateURL":  "",
		"datareporting.policy.dataSubmissionEnabled":       false,
		"datareporting.healthreport.uploadEnabled":         false,
		"toolkit.telemetry.enabled":                        false,
		"toolkit.telemetry.server":                         "",
		"network.captive-portal-service.enabled":           false,
		"network.connectivity-service.enabled":             false,
		"network.dns.disablePrefetch":                      true,
		"network.prefetch-next":                            false,
		"network.http.speculative-parallel-limit":          0,
		"extensions.update.enabled":                        false,
		"extensions.getAddons.cache.enabled":               false,
		"services.settings.server":                         "data:,#remote-settings-dummy/v1",
		"geo.provider.network.url":                         "",
		"media.gmp-manager.url":                            "",
		"media.gmp-gmpopenh264.enabled":                    false,
		"identity.fxaccounts.enabled":                      false,
	}
}

// Firefox is a headless Firefox driven over WebDriver BiDi, for tests.
type Firefox struct {
	cmd    *exec.Cmd
	conn   *bidiConn
	exited chan struct{}
	output *tailBuffer

	mu   sync.Mutex
	logs []LogEntry

	closeOnce sync.Once
	closeErr  error
}

// LogEntry is a message from a page's scripts: an uncaught error
// (Type "javascript") or a console call (Type "console").
type LogEntry struct {
	Type, Level, Text, Context string
}

func (e LogEntry) String() string {
	return e.Type + " " + e.Level + ": " + e.Text
}

// StartFirefox starts headless Firefox with a fresh profile and a BiDi
// session that records every script error and console message, and stops
// it when the test ends. The test skips with a clear message when no
// Firefox is installed, unless BANTIN_REQUIRE_FIREFOX is set (as in CI),
// where a missing Firefox fails it.
func StartFirefox(t testing.TB) *Firefox {
	t.Helper()
	bin := findFirefox()
	if bin == "" {
		if os.Getenv("BANTIN_REQUIRE_FIREFOX") != "" {
			t.Fatal("no Firefox found, and BANTIN_REQUIRE_FIREFOX is set: install firefox-esr (apt-get install firefox-esr) or set BANTIN_FIREFOX")
		}
		t.Skip("skipping Firefox test: no Firefox found (apt-get install firefox-esr, or set BANTIN_FIREFOX)")
	}
	profile := t.TempDir()
	f, err := startFirefox(bin, profile)
	if err != nil {
		t.Fatalf("start Firefox %s: %v", bin, err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("stop Firefox: %v", err)
		}
	})
	return f
}

func startFirefox(bin, profile string) (*Firefox, error) {
	if err := writeUserJS(profile); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-headless", "-no-remote", "-profile", profile, "--remote-debugging-port=0")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1", "MOZ_HEADLESS=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	f := &Firefox{cmd: cmd, exited: make(chan struct{}), output: &tailBuffer{max: 16 << 10}}
	cmd.Stdout = f.output
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Firefox prints the WebSocket address when its remote agent listens;
	// the rest of its output is kept for error messages.
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		listening := regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)
		for sc.Scan() {
			line := sc.Text()
			f.output.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(f.output, stderr)
	}()
	go func() {
		cmd.Wait()
		close(f.exited)
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-f.exited:
		return nil, fmt.Errorf("Firefox exited before listening:\n%s", f.output)
	case <-time.After(firefoxStartTimeout):
		f.kill()
		return nil, fmt.Errorf("no WebDriver BiDi address after %v:\n%s", firefoxStartTimeout, f.output)
	}
	ws, err := dialWebSocket(strings.TrimSuffix(wsURL, "/")+"/session", commandTimeout)
	if err != nil {
		f.kill()
		return nil, err
	}
	f.conn = newBidiConn(ws, f.event)
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	err = f.conn.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{
		"alwaysMatch": map[string]any{"unhandledPromptBehavior": map[string]any{"beforeUnload": "accept"}},
	}}, nil)
	if err == nil {
		err = f.conn.call(ctx, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil)
	}
	if err != nil {
		f.kill()
		return nil, fmt.Errorf("%w\n%s", err, f.output)
	}
	return f, nil
}

func writeUserJS(profile string) error {
	var b strings.Builder
	prefs := firefoxPrefs()
	for _, name := range slices.Sorted(maps.Keys(prefs)) {
		v, err := json.Marshal(prefs[name])
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "user_pref(%q, %s);\n", name, v)
	}
	return os.WriteFile(filepath.Join(profile, "user.js"), []byte(b.String()), 0o644)
}

// event records log entries; other events are not subscribed to.
func (f *Firefox) event(method string, params json.RawMessage) {
	if method != "log.entryAdded" {
		return
	}
	var e struct {
		Type   string `json:"type"`
		Level  string `json:"level"`
		Text   string `json:"text"`
		Source struct {
			Context string `json:"context"`
		} `json:"source"`
	}
	if json.Unmarshal(params, &e) != nil {
		return
	}
	f.mu.Lock()
	f.logs = append(f.logs, LogEntry{Type: e.Type, Level: e.Level, Text: e.Text, Context: e.Source.Context})
	f.mu.Unlock()
}

// Errors returns the uncaught script errors and console errors of every
// page so far.
func (f *Firefox) Errors() []LogEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	var errs []LogEntry
	for _, e := range f.logs {
		if e.Type == "javascript" || e.Level == "error" {
			errs = append(errs, e)
		}
	}
	return errs
}

// Close ends the session and the browser, killing it if it does not stop
// in time. Closing again does nothing.
func (f *Firefox) Close() error {
	f.closeOnce.Do(func() { f.closeErr = f.close() })
	return f.closeErr
}

func (f *Firefox) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	err := f.conn.call(ctx, "browser.close", nil, nil)
	if errors.Is(err, errClosed) {
		err = nil // Firefox may close the socket before it answers
	}
	select {
	case <-f.exited:
	case <-time.After(firefoxStopTimeout):
		f.kill()
		err = errors.Join(err, fmt.Errorf("Firefox still running %v after browser.close; killed", firefoxStopTimeout))
	}
	f.conn.ws.Close()
	return err
}

func (f *Firefox) kill() {
	f.cmd.Process.Kill()
	select {
	case <-f.exited:
	case <-time.After(firefoxStopTimeout):
	}
}

// Tab is one top-level browsing context.
type Tab struct {
	f  *Firefox
	ID string
}

// NewTab opens a tab.
func (f *Firefox) NewTab(ctx context.Context) (*Tab, error) {
	var r struct {
		Context string `json:"context"`
	}
	if err := f.call(ctx, "browsingContext.create", map[string]any{"type": "tab"}, &r); err != nil {
		return nil, err
	}
	return &Tab{f: f, ID: r.Context}, nil
}

func (f *Firefox) call(ctx context.Context, method string, params, result any) error {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	return f.conn.call(ctx, method, params, result)
}

// Close closes the tab without running its beforeunload handlers, as a
// crash or a killed browser would.
func (t *Tab) Close(ctx context.Context) error {
	return t.f.call(ctx, "browsingContext.close", map[string]any{"context": t.ID, "promptUnload": false}, nil)
}

// SetViewport sets the size of the tab's viewport in CSS pixels.
func (t *Tab) SetViewport(ctx context.Context, width, height int) error {
	return t.f.call(ctx, "browsingContext.setViewport", map[string]any{
		"context": t.ID, "viewport": map[string]int{"width": width, "height": height},
	}, nil)
}

// Navigate loads url and waits for the page's load event.
func (t *Tab) Navigate(ctx context.Context, url string) error {
	return t.f.call(ctx, "browsingContext.navigate", map[string]any{"context": t.ID, "url": url, "wait": "complete"}, nil)
}

// Reload reloads the page and waits for its load event.
func (t *Tab) Reload(ctx context.Context) error {
	return t.f.call(ctx, "browsingContext.reload", map[string]any{"context": t.ID, "wait": "complete"}, nil)
}

// Screenshot returns a PNG of the whole page (not only the viewport), as
// the tab lays it out at its viewport's width.
func (t *Tab) Screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	err := t.f.call(ctx, "browsingContext.captureScreenshot", map[string]any{
		"context": t.ID, "origin": "document", "format": map[string]string{"type": "image/png"},
	}, &r)
	if err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return data, nil
}

// Eval evaluates a JavaScript expression in the page, awaiting a promise,
// and returns its value as goValue describes.
func (t *Tab) Eval(ctx context.Context, expr string) (any, error) {
	var r scriptResult
	err := t.f.call(ctx, "script.evaluate", map[string]any{
		"expression": expr, "target": map[string]string{"context": t.ID}, "awaitPromise": true,
	}, &r)
	if err != nil {
		return nil, err
	}
	return r.value()
}

// Call calls a JavaScript function declaration with string, number and
// boolean arguments, and returns its value as Eval does.
func (t *Tab) Call(ctx context.Context, fn string, args ...any) (any, error) {
	r, err := t.callFunction(ctx, fn, args...)
	if err != nil {
		return nil, err
	}
	return r.value()
}

func (t *Tab) callFunction(ctx context.Context, fn string, args ...any) (scriptResult, error) {
	local := make([]map[string]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			local[i] = map[string]any{"type": "string", "value": v}
		case int, float64:
			local[i] = map[string]any{"type": "number", "value": v}
		case bool:
			local[i] = map[string]any{"type": "boolean", "value": v}
		default:
			return scriptResult{}, fmt.Errorf("call: argument %d of type %T", i, a)
		}
	}
	var r scriptResult
	err := t.f.call(ctx, "script.callFunction", map[string]any{
		"functionDeclaration": fn, "arguments": local, "awaitPromise": true,
		"target": map[string]string{"context": t.ID}, "serializationOptions": map[string]any{"maxDomDepth": 0},
	}, &r)
	return r, err
}

// Wait polls a JavaScript condition until it is true, at most 30 s.
func (t *Tab) Wait(ctx context.Context, expr string) error {
	var last any
	var lastErr error
	for range waitPolls {
		v, err := t.Eval(ctx, expr)
		if err == nil && v == true {
			return nil
		}
		last, lastErr = v, err
		if ctx.Err() != nil {
			break
		}
		time.Sleep(waitInterval)
	}
	if lastErr != nil {
		return fmt.Errorf("still not true after %v: %w", waitPolls*waitInterval, lastErr)
	}
	return fmt.Errorf("still not true after %v (last value %v)", waitPolls*waitInterval, last)
}

// element scrolls the first element matching selector into view, waits
// until the page stops scrolling, and returns the element's shared
// reference, for input actions. Firefox scrolls a focused text field back
// into view a frame or two after typing, which would move the page under
// the mouse.
func (t *Tab) element(ctx context.Context, selector string) (string, error) {
	r, err := t.callFunction(ctx, `async (selector) => {
		const el = document.querySelector(selector);
		if (!el) return null;
		const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
		const inView = () => {
			const r = el.getBoundingClientRect();
			const x = r.left + r.width / 2, y = r.top + r.height / 2;
			return x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
		};
		for (let i = 0; i < 50; i++) {
			if (!inView()) el.scrollIntoView({ block: "center", inline: "center" });
			const at = [scrollX, scrollY];
			await frames();
			if (inView() && scrollX === at[0] && scrollY === at[1]) break;
		}
		return el;
	}`, selector)
	if err != nil {
		return "", err
	}
	if r.Type == "exception" {
		return "", fmt.Errorf("find %s: %s", selector, r.ExceptionDetails.Text)
	}
	if r.Result.SharedID == "" {
		return "", fmt.Errorf("no element matches %s", selector)
	}
	return r.Result.SharedID, nil
}

// Click moves the mouse to the middle of the element that selector
// matches and clicks it, as a person would. It fails when the press
// reached another element (something covered it, or the page moved).
func (t *Tab) Click(ctx context.Context, selector string) error {
	id, err := t.element(ctx, selector)
	if err != nil {
		return err
	}
	// Note where the press lands, to check it (the element itself: a
	// click may replace the page's elements).
	_, err = t.Call(ctx, `(selector) => {
		window.bantinTestWant = document.querySelector(selector);
		document.addEventListener("pointerdown", (ev) => { window.bantinTestPress = ev.target; }, { capture: true, once: true });
	}`, selector)
	if err != nil {
		return err
	}
	err = t.f.call(ctx, "input.performActions", map[string]any{
		"context": t.ID,
		"actions": []any{map[string]any{
			"type": "pointer", "id": "mouse", "parameters": map[string]string{"pointerType": "mouse"},
			"actions": []any{
				map[string]any{"type": "pointerMove", "x": 0, "y": 0, "origin": map[string]any{"type": "element", "element": map[string]string{"sharedId": id}}},
				map[string]any{"type": "pointerDown", "button": 0},
				map[string]any{"type": "pointerUp", "button": 0},
			},
		}},
	}, nil)
	if err != nil {
		return fmt.Errorf("click %s: %w", selector, err)
	}
	hit, err := t.Eval(ctx, `(() => {
		const target = window.bantinTestPress, el = window.bantinTestWant;
		delete window.bantinTestPress;
		delete window.bantinTestWant;
		if (el && target && el.contains(target)) return "";
		return target ? target.outerHTML.slice(0, 120) : "nothing";
	})()`)
	if err != nil {
		return err
	}
	if hit != "" {
		return fmt.Errorf("click %s: the press reached %v", selector, hit)
	}
	return nil
}

// SetFiles chooses files for the file input that selector matches, as
// the file picker would.
func (t *Tab) SetFiles(ctx context.Context, selector string, paths ...string) error {
	id, err := t.element(ctx, selector)
	if err != nil {
		return err
	}
	return t.f.call(ctx, "input.setFiles", map[string]any{
		"context": t.ID, "element": map[string]string{"sharedId": id}, "files": paths,
	}, nil)
}

// Type clicks the element that selector matches and types text into it
// with key presses, one per character (a letter with its combining marks
// is one), the way a keyboard without an input method sends Vietnamese.
// WebDriver's key codes work too: "\uE007" is Enter, "\uE004" Tab; a
// modifier such as "\uE008" (Shift) stays down for the next key.
func (t *Tab) Type(ctx context.Context, selector, text string) error {
	if err := t.Click(ctx, selector); err != nil {
		return err
	}
	var keys, held []any
	for _, g := range graphemes(text) {
		if g == "\n" {
			g = "\uE007"
		}
		keys = append(keys, map[string]any{"type": "keyDown", "value": g})
		if isModifier(g) {
			held = append(held, map[string]any{"type": "keyUp", "value": g})
			continue
		}
		keys = append(keys, map[string]any{"type": "keyUp", "value": g})
		keys, held = append(keys, held...), nil
	}
	keys = append(keys, held...)
	return t.f.call(ctx, "input.performActions", map[string]any{
		"context": t.ID,
		"actions": []any{map[string]any{"type": "key", "id": "keyboard", "actions": keys}},
	}, nil)
}

// isModifier tells WebDriver's Shift, Control, Alt and Meta keys, left and
// right.
func isModifier(key string) bool {
	switch key {
	case "\uE008", "\uE009", "\uE00A", "\uE03D", "\uE050", "\uE051", "\uE052", "\uE053":
		return true
	}
	return false
}

// graphemes splits text into base characters with their combining marks,
// which is what a key action may carry (enough for Vietnamese in NFC or
// NFD; not a full Unicode segmentation).
func graphemes(text string) []string {
	var out []string
	for _, r := range text {
		if len(out) > 0 && unicode.Is(unicode.Mn, r) {
			out[len(out)-1] += string(r)
			continue
		}
		out = append(out, string(r))
	}
	return out
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if extra := b.buf.Len() - b.max; extra > 0 {
		b.buf.Next(extra)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
