package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/crypto/bcrypt"

	"github.com/bantin/bantin/internal/browsertest"
)

// waitJS polls a JavaScript condition in the page until it is true, at
// most 300 times 100 ms.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	var last any
	for range 300 {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		} else if err != nil {
			last = err
		}
		time.Sleep(100 * time.Millisecond)
	}
	status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById("status")||{}).textContent||""`))
	problems, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById("problems")||{}).textContent||""`))
	preview, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const f = document.getElementById("preview"); const d = f && f.contentDocument;
		return ((document.getElementById("preview-problems")||{}).textContent||"") + " | " + (d ? [...d.images].map((i) => i.src + " " + i.naturalWidth).join(", ") + " | " + d.body.textContent.slice(0, 300) : ""); })()`))
	t.Fatalf("timed out waiting for %s (%v); status %q, problems %q, preview %q", what, last, status, problems, preview)
}

// watchErrors collects the page's uncaught exceptions and console errors.
func watchErrors(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	var mu sync.Mutex
	var errs []string
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			errs = append(errs, msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				for _, a := range e.Args {
					errs = append(errs, "console: "+string(a.Value)+a.Description)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

func contentFiles(dir string) []string {
	var files []string
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	return files
}

// clearDate empties the date field, which the form fills with the time now.
func clearDate(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("f-date").value = "", true)`)); err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// An editor writes an article in the browser, on a desktop screen and on a
// 360 px phone: Vietnamese text, a bad date and an empty title shown as
// errors beside their fields, fixed, an image uploaded and seen in the
// preview, published; then the article is on the preview site and in its
// search.
func TestEditorCreatesAndPublishesInBrowser(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin cũ")})
	base, out := startServe(t, dir)
	browser := browsertest.Browser(t)

	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{180, 20, 20, 255})
	}
	var pngData bytes.Buffer
	png.Encode(&pngData, img)
	imagePath := filepath.Join(t.TempDir(), "Ảnh hội nghị.png")
	os.WriteFile(imagePath, pngData.Bytes(), 0o644)

	for _, screen := range []struct {
		name          string
		width, height int64
		title, slug   string
		region, query string
	}{
		{"desktop", 1280, 900, "Vị Thanh phát động thi đua yêu nước", "vi-thanh-phat-dong-thi-dua-yeu-nuoc", "Vị Thanh", "thi dua yeu nuoc"},
		{"phone", 360, 740, "Long Mỹ tuyên dương điển hình tiên tiến", "long-my-tuyen-duong-dien-hinh-tien-tien", "Long Mỹ", "tuyen duong dien hinh"},
	} {
		t.Run(screen.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(browser)
			defer cancel()
			filesBefore := len(contentFiles(dir))
			jsErrors := watchErrors(t, ctx)
			defer func() {
				if errs := jsErrors(); len(errs) > 0 {
					t.Errorf("script errors in the editor:\n%s", strings.Join(errs, "\n"))
				}
			}()
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(screen.width, screen.height), chromedp.Navigate(base+"_bantin/#/new")); err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, "the form", `!!document.getElementById("f-title")`)
			body := "Sáng 1/5, hội nghị **biểu dương** các điển hình tiên tiến trong phong trào thi đua yêu nước."
			clearDate(t, ctx)
			err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.ID("f-date"), "2024-13-45"),
				chromedp.SendKeys(chromedp.ID("f-region"), screen.region),
				chromedp.SendKeys(chromedp.ID("f-topics"), "Thi đua khen thưởng"+kb.Enter),
				chromedp.SendKeys(chromedp.ID("body"), body),
				chromedp.Click(chromedp.ID("save")),
			)
			if err != nil {
				t.Fatal(err)
			}
			// The errors are the build's, in Vietnamese, beside their fields.
			waitJS(t, ctx, "the title and date errors", `(() => {
				const e = (id) => document.getElementById(id);
				return !e("err-title").hidden && e("err-title").textContent.includes("Không được để trống") &&
					!e("err-date").hidden && e("err-date").textContent.includes("không phải là ngày hợp lệ") &&
					e("f-title").getAttribute("aria-invalid") === "true" &&
					e("f-title").getAttribute("aria-describedby").split(" ").includes("err-title") &&
					e("f-date").getAttribute("aria-describedby").split(" ").includes("err-date");
			})()`)
			if files := contentFiles(dir); len(files) != filesBefore {
				t.Fatalf("an invalid form wrote a file: %v", files)
			}

			// Fix them, and add an image to the text.
			clearDate(t, ctx)
			err = chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.ID("f-title"), screen.title),
				chromedp.SendKeys(chromedp.ID("f-date"), "2024-05-01 08:30"),
				chromedp.SetUploadFiles(chromedp.CSS(".toolbar input[type=file]"), []string{imagePath}),
			)
			if err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, "the image in the text", `document.getElementById("body").value.includes("![Ảnh hội nghị](/images/anh-hoi-nghi-")`)
			// As uploaded, or processed once a saved article shows it (the
			// phone's upload is the desktop's photo again).
			waitJS(t, ctx, "the image in the preview", `(() => {
				const d = document.getElementById("preview").contentDocument;
				const img = d && d.querySelector('article img[src*="/images/anh-hoi-nghi-"], article picture img[alt="Ảnh hội nghị"][src*="/_img/"]');
				// A picture's naturalWidth is scaled by its sizes: its width
				// attribute tells its size.
				const width = img && (img.closest("picture") ? +img.getAttribute("width") : img.naturalWidth);
				return !!img && img.complete && img.naturalWidth > 0 && width === 40 && d.body.textContent.includes(`+jsString(screen.title)+`);
			})()`)

			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("publish"))); err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, "the publish message", `document.getElementById("status").textContent.includes("Đã lưu và đăng bài")`)

			file := filepath.Join(dir, "content", "2024", screen.slug+".md")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("no file %s: %v\n%s", file, err, out.String())
			}
			want := fmt.Sprintf("---\ntitle: %s\ndate: 2024-05-01 08:30\nregion: %s\ntopics: [Thi đua khen thưởng]\n---\n\n%s\n\n![Ảnh hội nghị](/images/", screen.title, screen.region, body)
			if !strings.HasPrefix(string(data), want) {
				t.Errorf("file:\n%s\nwant it to start with:\n%s", data, want)
			}

			// On the preview site, and in its search.
			eventually(t, "the article page", func() bool {
				status, page := get(t, base+"bai-viet/"+screen.slug+"/")
				return status == 200 && strings.Contains(page, screen.title) &&
					regexp.MustCompile(`<picture><source type="image/webp" srcset="/_img/[0-9a-f]{16}/40.webp 40w"[^>]*><img src="/_img/[0-9a-f]{16}/40.png"[^>]* alt="Ảnh hội nghị"`).MatchString(page)
			})
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"tim-kiem/")); err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, "the search API", `!!(window.bantin && window.bantin.search)`)
			waitJS(t, ctx, "the article in the search", `(async () => {
				const r = await window.bantin.search(`+jsString(screen.query)+`);
				return r.results.some((x) => x.title === `+jsString(screen.title)+` && x.url === "/bai-viet/`+screen.slug+`/");
			})()`)
			// The list shows it as published.
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"_bantin/#/")); err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, "the article in the list", `[...document.querySelectorAll(".articles li")].some((li) =>
				li.textContent.includes(`+jsString(screen.title)+`) && li.querySelector(".badge.published"))`)
			// The bar tells screen readers which of its pages this is.
			waitJS(t, ctx, "the list marked current", `[...document.querySelectorAll(".bar nav [aria-current=page]")].map((a) => a.getAttribute("href")).join() === "#/"`)
		})
	}
}

// Nothing typed is lost: the form survives a closed tab, a file changed on
// disk while open is noticed, and a save over someone else's change shows
// both versions to choose from, field by field.
func TestEditorKeepsWorkInBrowser(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin gốc")})
	base, _ := startServe(t, dir)
	browser := browsertest.Browser(t)
	file := filepath.Join(dir, "content", "2023", "a.md")
	original, _ := os.ReadFile(file)

	// Type, then close the tab before saving.
	tab, closeTab := chromedp.NewContext(browser)
	if err := chromedp.Do(tab, chromedp.Navigate(base+"_bantin/#/edit/2023/a.md")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, "the form", `document.getElementById("f-title") && document.getElementById("f-title").value === "Tin gốc"`)
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.ID("f-title"), " đã sửa")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, "the autosave", `Object.keys(localStorage).some((k) => k.endsWith(":2023/a.md"))`)
	closeTab()

	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	jsErrors := watchErrors(t, ctx)
	defer func() {
		if errs := jsErrors(); len(errs) > 0 {
			t.Errorf("script errors in the editor:\n%s", strings.Join(errs, "\n"))
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"_bantin/#/edit/2023/a.md")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the restored form and its notice", `document.getElementById("f-title").value === "Tin gốc đã sửa" &&
		document.getElementById("restored").textContent.includes("Đã khôi phục bản chưa lưu")`)
	if got, _ := os.ReadFile(file); !bytes.Equal(got, original) {
		t.Fatal("the unsaved edit reached the file")
	}
	// Discarding it brings back the file's version, also at once, while
	// the restored form still waits to be kept in the browser.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("discard").click(), true)`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the discarded draft", `document.getElementById("f-title") && document.getElementById("f-title").value === "Tin gốc" &&
		!Object.keys(localStorage).some((k) => k.endsWith(":2023/a.md"))`)

	// Someone edits the file on disk: the open editor says so.
	os.WriteFile(file, bytes.Replace(original, []byte("title: Tin gốc"), []byte("title: Tin sửa trên đĩa"), 1), 0o644)
	waitJS(t, ctx, "the notice of a change on disk", `document.getElementById("disk").textContent.includes("vừa được sửa ở nơi khác")`)

	// The editor changes the text and saves over that change: refused, and
	// both versions are shown; keep the disk's title and my text.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("body"), "Đoạn của tôi. "), chromedp.Click(chromedp.ID("save"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the two versions", `!document.getElementById("conflict").hidden &&
		document.querySelectorAll("#conflict fieldset").length === 2 &&
		document.querySelector("#conflict fieldset").textContent.includes("Tin sửa trên đĩa") &&
		document.querySelectorAll("#conflict fieldset")[1].textContent.includes("Đoạn của tôi.")`)
	if got, _ := os.ReadFile(file); !bytes.Contains(got, []byte("Tin sửa trên đĩa")) || bytes.Contains(got, []byte("Đoạn của tôi")) {
		t.Fatalf("a stale save changed the file:\n%s", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="choose-title"][value="theirs"]`)),
		chromedp.Click(chromedp.ID("conflict-apply")), chromedp.Click(chromedp.ID("save"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the merged save", `document.getElementById("status").className.includes("ok")`)
	got, _ := os.ReadFile(file)
	if !bytes.Contains(got, []byte("title: Tin sửa trên đĩa")) || !bytes.Contains(got, []byte("Đoạn của tôi.")) {
		t.Errorf("merged file:\n%s", got)
	}
}

// With a password file, the editor and the preview's pages ask to sign in;
// a wrong password is said so, the right one opens the editor.
func TestEditorSignInInBrowser(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin gốc")})
	hash, err := bcrypt.GenerateFromPassword([]byte("mật khẩu đủ dài"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, ".bantin"), 0o700)
	os.WriteFile(filepath.Join(dir, ".bantin", "passwords"), []byte("bientap:"+string(hash)+"\n"), 0o600)
	base, _ := startServe(t, dir)
	ctx := browsertest.Browser(t)
	jsErrors := watchErrors(t, ctx)
	// A preview page sends the browser to the sign-in form.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"bai-viet/a/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sign-in form", `location.pathname === "/_bantin/" && !!document.getElementById("login-user")`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("login-user"), "bientap"),
		chromedp.SendKeys(chromedp.ID("login-password"), "sai mật khẩu"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the wrong-password message", `document.getElementById("login-error").textContent.includes("Sai tên đăng nhập hoặc mật khẩu")`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("login-password"), "mật khẩu đủ dài"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the article list", `[...document.querySelectorAll(".articles li")].some((li) => li.textContent.includes("Tin gốc"))`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"bai-viet/a/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview page", `document.querySelector("h1") && document.querySelector("h1").textContent.includes("Tin gốc")`)
	if errs := jsErrors(); len(errs) > 0 {
		t.Errorf("script errors:\n%s", strings.Join(errs, "\n"))
	}
}

// Saving never moves what the editor types into another field, nor loses
// it: Enter in a one-line field does not save (a half-typed title would
// name the file for good); the answer to a save does not take the focus
// away from the field they went on typing in; text typed while a save is
// on its way stays in the form; and a second save asked for meanwhile
// runs after the first, with the form as it is then.
func TestEditorSaveKeepsTypingWhereItIs(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin cũ")})
	base, _ := startServe(t, dir)
	ctx := browsertest.Browser(t)
	jsErrors := watchErrors(t, ctx)
	defer func() {
		if errs := jsErrors(); len(errs) > 0 {
			t.Errorf("script errors in the editor:\n%s", strings.Join(errs, "\n"))
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"_bantin/#/new")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the form", `!!document.getElementById("f-title")`)
	// The text is written in the form's fonts, which draw Vietnamese
	// letters with two marks; a monospace font drew "Kế" as "Kê´".
	waitJS(t, ctx, "the text in the form's fonts", `getComputedStyle(document.getElementById("body")).fontFamily ===
		getComputedStyle(document.getElementById("f-title")).fontFamily`)
	release := holdSaves(t, ctx)

	// Enter in the title goes on with the title; nothing is saved.
	clearDate(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-title"), "Long Mỹ tuy"+kb.Enter),
		chromedp.KeyEvent("ên dương"),
		chromedp.SendKeys(chromedp.ID("f-date"), "2024-13-45"),
		chromedp.SendKeys(chromedp.ID("f-region"), "Long Mỹ"),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the title typed on after Enter, unsaved", `document.getElementById("f-title").value === "Long Mỹ tuyên dương" &&
		window.saves.length === 0 && document.getElementById("status").textContent === ""`)

	// Save, and go on typing in the text while the answer (a bad date) is
	// on its way: the problem is shown, the focus stays in the text.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("save")), chromedp.SendKeys(chromedp.ID("body"), "Đoạn một.")); err != nil {
		t.Fatal(err)
	}
	release("the first save")
	waitJS(t, ctx, "the date error", `!document.getElementById("err-date").hidden`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(" Đoạn hai.")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the typing still in the text", `document.activeElement.id === "body" &&
		document.getElementById("body").value === "Đoạn một. Đoạn hai." &&
		document.getElementById("f-date").value === "2024-13-45" && document.getElementById("f-title").value === "Long Mỹ tuyên dương"`)

	// Fix the date, save, type more and save again before the first answer:
	// both saves happen in order, and nothing typed is lost.
	clearDate(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-date"), "2024-05-01 08:30"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.SendKeys(chromedp.ID("body"), " Đoạn ba."),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the second save asked for", `window.held.length === 1`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("save"))); err != nil {
		t.Fatal(err)
	}
	release("the create")
	waitJS(t, ctx, "the create answered, the text kept", `location.hash === "#/edit/2024/long-my-tuyen-duong.md" &&
		document.getElementById("body").value === "Đoạn một. Đoạn hai. Đoạn ba."`)
	release("the queued update")
	waitJS(t, ctx, "the queued update saved", `window.held.length === 0 && window.saves.length === 3 &&
		window.saves[2].startsWith("PUT ") && document.getElementById("status").className.includes("ok")`)
	data, err := os.ReadFile(filepath.Join(dir, "content", "2024", "long-my-tuyen-duong.md"))
	if err != nil {
		t.Fatalf("%v; files: %v", err, contentFiles(dir))
	}
	if !strings.Contains(string(data), "title: Long Mỹ tuyên dương\n") || !strings.HasSuffix(string(data), "\nĐoạn một. Đoạn hai. Đoạn ba.\n") {
		t.Errorf("file:\n%s", data)
	}
	if files := contentFiles(dir); len(files) != 2 {
		t.Errorf("files: %v", files)
	}
	// Ctrl+S saves from a one-line field too.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-title"), " tiên tiến"), chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	release("the Ctrl+S save")
	waitJS(t, ctx, "the Ctrl+S save", `window.saves.length === 4 && document.getElementById("status").className.includes("ok")`)
	if data, _ := os.ReadFile(filepath.Join(dir, "content", "2024", "long-my-tuyen-duong.md")); !strings.Contains(string(data), "title: Long Mỹ tuyên dương tiên tiến\n") {
		t.Errorf("after Ctrl+S:\n%s", data)
	}
}

// An English site's editor speaks English, with "1 article" for one.
func TestEditorInEnglishInBrowser(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"site.toml":         "title = \"Bulletin\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n",
		"content/2023/a.md": article("Tin gốc"),
	})
	base, _ := startServe(t, dir)
	ctx := browsertest.Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"_bantin/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the English list", `document.querySelector(".count") && document.querySelector(".count").textContent === "1 article" &&
		document.querySelector("nav a").textContent === "Articles" && document.documentElement.lang === "en"`)
}

// The trash says when an article was deleted as the editor writes dates,
// day first, in the site's time zone: never in the browser's locale, which
// showed "12/3/2026, 2:08:04 PM" (read as 12 March) on a Vietnamese page.
func TestEditorTrashShowsTimesInTheSiteZone(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin cũ")})
	base, _ := startServe(t, dir)
	call := func(method, path, csrf, etag string, out any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+"_bantin/api/"+path, nil)
		req.Header.Set("X-Bantin-CSRF", csrf)
		if etag != "" {
			req.Header.Set("If-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	var session struct{ CSRF string }
	call("GET", "session", "", "", &session)
	var a struct{ ETag string }
	call("GET", "articles/2023/a.md", "", "", &a)
	var del struct{ Trash string }
	call("DELETE", "articles/2023/a.md", session.CSRF, a.ETag, &del)
	var trash struct {
		Items []struct{ DeletedAt time.Time }
	}
	call("GET", "trash", "", "", &trash)
	zone, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	want := "2023/a.md · xóa lúc " + trash.Items[0].DeletedAt.In(zone).Format("02/01/2006 15:04")

	ctx := browsertest.Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"_bantin/#/trash")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the deletion time "+want, `[...document.querySelectorAll(".articles .meta")].some((m) => m.textContent === `+jsString(want)+`)`)
	waitJS(t, ctx, "the trash marked current", `[...document.querySelectorAll(".bar nav [aria-current=page]")].map((a) => a.getAttribute("href")).join() === "#/trash"`)
}

// holdSaves makes the page's saves (POST, PUT and DELETE of articles) wait
// at a gate, as on a slow server; release lets the one waiting through.
// window.saves lists them as "METHOD body".
func holdSaves(t *testing.T, ctx context.Context) (release func(what string)) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		window.saves = []; window.held = [];
		const pass = window.fetch.bind(window);
		window.fetch = (url, opts) => {
			const method = (opts && opts.method) || "GET";
			if (!/\/api\/articles/.test(String(url)) || method === "GET") return pass(url, opts);
			window.saves.push(method + " " + opts.body);
			return new Promise((resolve, reject) => window.held.push(() => pass(url, opts).then(resolve, reject)));
		};
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	return func(what string) {
		t.Helper()
		waitJS(t, ctx, what, `window.held.length === 1`)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.held.shift()(), true)`)); err != nil {
			t.Fatal(err)
		}
	}
}

// Opening another article while a save is on its way leaves each article
// its own: the answer does not fill the other's form, and what was typed
// in a form left before the browser kept it is kept under its own article.
func TestEditorLeavingDuringASaveKeepsEachArticleItsOwn(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin A"), "content/2023/b.md": article("Tin B")})
	base, _ := startServe(t, dir)
	ctx := browsertest.Browser(t)
	jsErrors := watchErrors(t, ctx)
	defer func() {
		if errs := jsErrors(); len(errs) > 0 {
			t.Errorf("script errors in the editor:\n%s", strings.Join(errs, "\n"))
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"_bantin/#/edit/2023/a.md")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "article A", `!!document.getElementById("f-title") && document.getElementById("f-title").value === "Tin A"`)
	release := holdSaves(t, ctx)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.confirm = () => true, true)`)); err != nil {
		t.Fatal(err)
	}
	// Save A, and open B before the answer.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-title"), " đã sửa"), chromedp.Click(chromedp.ID("save")),
		chromedp.Evaluate[chromedp.Void](`location.hash = "#/edit/2023/b.md"`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "article B", `document.getElementById("f-title").value === "Tin B"`)
	release("the save of A")
	eventually(t, "A saved", func() bool {
		data, _ := os.ReadFile(filepath.Join(dir, "content", "2023", "a.md"))
		return strings.Contains(string(data), "title: Tin A đã sửa\n")
	})
	waitJS(t, ctx, "B's form untouched by A's answer, and no draft kept for either", `window.held.length === 0 &&
		document.getElementById("f-title").value === "Tin B" && document.querySelector("main h1").textContent === "Tin B" &&
		location.hash === "#/edit/2023/b.md" && !Object.keys(localStorage).some((k) => /:2023\/[ab]\.md$/.test(k))`)
	// A save of B now is B's, against B's version.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-title"), " mới")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("save").click(), true)`)); err != nil {
		t.Fatal(err)
	}
	release("the save of B")
	waitJS(t, ctx, "B saved", `document.getElementById("status").className.includes("ok")`)
	if a, _ := os.ReadFile(filepath.Join(dir, "content", "2023", "a.md")); !strings.Contains(string(a), "title: Tin A đã sửa\n") {
		t.Errorf("a.md:\n%s", a)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "content", "2023", "b.md")); !strings.Contains(string(b), "title: Tin B mới\n") {
		t.Errorf("b.md:\n%s", b)
	}
	// Typing, then leaving at once: the browser keeps it under B, then.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const title = document.getElementById("f-title");
		title.value += " nữa";
		title.dispatchEvent(new Event("input", { bubbles: true }));
		location.hash = "#/";
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the list", `!!document.querySelector(".articles")`)
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const k = Object.keys(localStorage).find((k) => k.endsWith(":2023/b.md"));
		return k ? JSON.parse(localStorage.getItem(k)).title : "";
	})()`))
	if err != nil || kept != "Tin B mới nữa" {
		t.Errorf("kept draft of B: %q (%v)", kept, err)
	}
}
