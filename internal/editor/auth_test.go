package editor_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/bantin/bantin/internal/editor"
)

// writePassword stores a password at the lowest bcrypt cost, to keep tests
// fast; the file format is the one bantin passwd writes.
func writePassword(t testing.TB, dir, user, password string) {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.FromSlash(editor.PasswordFile))
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte(user+":"+string(h)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Listening where other machines reach it, the editor refuses to start
// without a password file.
func TestNonLoopbackNeedsPassword(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, baseSite)
	_, err := editor.New(editor.Options{Source: dir, RequireLogin: true})
	if !errors.Is(err, editor.ErrNoPassword) || !strings.Contains(err.Error(), "bantin passwd") {
		t.Fatalf("got %v, want ErrNoPassword naming bantin passwd", err)
	}
}

// With a password, nothing but the login answers without a session:
// the API gets 401, the preview's pages redirect to the login.
func TestLoginGuardsEverything(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, baseSite)
	writePassword(t, dir, "bientap", "mật khẩu đủ dài")
	te := openTestEditor(t, dir, func(o *editor.Options) { o.RequireLogin = true })
	if !te.ed.LoginRequired() {
		t.Fatal("no login required")
	}
	for _, path := range []string{"articles", "articles/2024/nhap.md", "schema", "session", "trash"} {
		if status, _, _ := te.do("GET", path, nil, nil); status != 401 {
			t.Errorf("GET %s without a session: %d, want 401", path, status)
		}
	}
	before := te.tree()
	if status, _, _ := te.do("POST", "articles", map[string]any{"fields": map[string]any{"title": "T", "date": "2024-01-01", "region": "Huế"}}, nil); status != 401 {
		t.Errorf("POST without a session: %d, want 401", status)
	}
	sameTree(t, "unauthenticated writes", before, te.tree())

	// The preview's own pages are guarded too (drafts may show there).
	rec := &recorder{header: http.Header{}}
	req, _ := http.NewRequest("GET", te.srv.URL+"/bai-viet/nga-bay/", nil)
	req.Header.Set("Accept", "text/html")
	if te.ed.Guard(rec, req) || rec.status != 303 {
		t.Errorf("preview page without a session: guard let it through or answered %d", rec.status)
	}

	// A wrong password is refused; the right one opens a session.
	var e apiErr
	te.json("POST", "login", map[string]string{"user": "bientap", "password": "sai"}, nil, 401, &e)
	te.json("POST", "login", map[string]string{"user": "ai-do", "password": "mật khẩu đủ dài"}, nil, 401, &e)
	status, data, h := te.do("POST", "login", map[string]string{"user": "bientap", "password": "mật khẩu đủ dài"}, nil)
	if status != 200 {
		t.Fatalf("login: %d %s", status, data)
	}
	cookie := h.Get("Set-Cookie")
	for _, want := range []string{"bantin_session=", "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("Secure cookie over plain http: %q", cookie)
	}
	resp := &http.Response{Header: h}
	te.jar = resp.Cookies()
	var s struct{ CSRF, User string }
	te.json("GET", "session", nil, nil, 200, &s)
	te.csrf = s.CSRF
	if s.User != "bientap" || s.CSRF == "" {
		t.Fatalf("session %+v", s)
	}
	te.json("POST", "articles", map[string]any{"fields": map[string]any{"title": "Tin", "date": "2024-01-01", "region": "Huế"}}, nil, 201, nil)
	req.AddCookie(te.jar[0])
	if !te.ed.Guard(&recorder{header: http.Header{}}, req) {
		t.Error("the guard refuses a signed-in editor")
	}
	// Behind an HTTPS proxy the cookie is Secure.
	_, _, h = te.do("POST", "login", map[string]string{"user": "bientap", "password": "mật khẩu đủ dài"}, map[string]string{"X-Forwarded-Proto": "https"})
	if !strings.Contains(h.Get("Set-Cookie"), "Secure") {
		t.Errorf("cookie over https is not Secure: %q", h.Get("Set-Cookie"))
	}
	// After signing out the session is gone.
	te.json("POST", "logout", map[string]any{}, nil, 200, nil)
	if status, _, _ := te.do("GET", "articles", nil, nil); status != 401 {
		t.Errorf("after logout: %d, want 401", status)
	}
}

type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorder) WriteHeader(s int)           { r.status = s }

// Guessing passwords soon has to wait: 429 with Retry-After, even for the
// right password, until the wait is over.
func TestLoginAttemptsAreLimited(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, baseSite)
	writePassword(t, dir, "bientap", "mật khẩu đủ dài")
	te := openTestEditor(t, dir)
	var statuses []int
	for range 7 {
		status, _, h := te.do("POST", "login", map[string]string{"user": "bientap", "password": "doan"}, nil)
		statuses = append(statuses, status)
		if status == 429 && h.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if got := fmt.Sprint(statuses); got != "[401 401 401 401 401 429 429]" {
		t.Errorf("statuses %s, want five 401 then 429", got)
	}
	if status, _, _ := te.do("POST", "login", map[string]string{"user": "bientap", "password": "mật khẩu đủ dài"}, nil); status != 429 {
		t.Errorf("the right password during the wait got %d, want 429", status)
	}
}

func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (te *testEditor) upload(name string, data []byte, headers map[string]string) (int, []byte) {
	te.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", te.srv.URL+editor.Prefix+"api/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Bantin-CSRF", te.csrf)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		te.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// Uploads are typed by their bytes, named safely and uniquely in
// static/images/, and anything that is not a raster image is refused.
func TestUploadImages(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite, func(o *editor.Options) { o.MaxUpload = 4096 })
	img := pngBytes(t)
	status, data := te.upload("Ảnh Lễ Phát Động (1).PNG", img, nil)
	if status != 201 {
		t.Fatalf("upload: %d %s", status, data)
	}
	if !strings.Contains(string(data), `"path":"/images/anh-le-phat-dong-1-`) || !strings.Contains(string(data), `"markdown":"![Ảnh Lễ Phát Động (1)](/images/anh-le-phat-dong-1-`) {
		t.Errorf("answer %s", data)
	}
	entries, _ := os.ReadDir(filepath.Join(te.dir, "static/images"))
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".png") {
		t.Fatalf("static/images holds %v", entries)
	}
	if got, _ := os.ReadFile(filepath.Join(te.dir, "static/images", entries[0].Name())); !bytes.Equal(got, img) {
		t.Error("the stored image differs from the upload")
	}
	// The same bytes again: the same file, no copy.
	if status, _ := te.upload("khac.png", img, nil); status != 201 {
		t.Errorf("second upload %d", status)
	}
	// A GIF named .jpg is saved as the GIF it is.
	var g bytes.Buffer
	gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 2, 2), []color.Color{color.Black, color.White}), nil)
	if status, data := te.upload("anh.jpg", g.Bytes(), nil); status != 201 || !strings.Contains(string(data), `.gif"`) {
		t.Errorf("gif named jpg: %d %s", status, data)
	}
	before := te.tree()
	for name, body := range map[string][]byte{
		"x.svg":         []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
		"x.png":         []byte("<!DOCTYPE html><script>alert(1)</script>"),
		"x.jpg":         []byte("not an image at all"),
		"truncated.png": img[:20],
		"big.png":       append(append([]byte{}, img...), make([]byte, 5000)...),
	} {
		status, data := te.upload(name, body, nil)
		want := 415
		if name == "big.png" {
			want = 413
		}
		if status != want {
			t.Errorf("%s: %d, want %d: %s", name, status, want, data)
		}
	}
	if status, _ := te.upload("x.png", img, map[string]string{"X-Bantin-CSRF": "wrong"}); status != 403 {
		t.Errorf("upload without the token: %d", status)
	}
	sameTree(t, "refused uploads", before, te.tree())
}

// bantin passwd stores a bcrypt hash that the editor accepts.
func TestSetPasswordWritesBcrypt(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "pw")
	if err := editor.SetPassword(file, "a", "ngắn"); err == nil {
		t.Error("a short password was accepted")
	}
	if err := editor.SetPassword(file, "bientap", "mật khẩu đủ dài"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	user, hash, _ := strings.Cut(strings.TrimSpace(string(data)), ":")
	if user != "bientap" || bcrypt.CompareHashAndPassword([]byte(hash), []byte("mật khẩu đủ dài")) != nil {
		t.Errorf("file %q", data)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode())
	}
}
