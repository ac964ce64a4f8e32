package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/bantin/bantin/internal/browsertest"
)

// ffPage drives one Firefox tab for one test: every step fails the test
// with the page's state when it does not happen.
type ffPage struct {
	t   *testing.T
	ctx context.Context
	ff  *browsertest.Firefox
	tab *browsertest.Tab
}

func (p ffPage) must(err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("%v\nscript errors: %v", err, p.ff.Errors())
	}
}

// wait polls a JavaScript condition (bounded by Tab.Wait's 30 s).
func (p ffPage) wait(what, expr string) {
	p.t.Helper()
	if err := p.tab.Wait(p.ctx, expr); err != nil {
		state, _ := p.tab.Eval(p.ctx, `[location.hash, "focus on " + (document.activeElement && document.activeElement.id),
			"title " + (document.getElementById("f-title") || {}).value, (document.getElementById("status") || {}).textContent,
			(document.getElementById("problems") || {}).textContent, (document.getElementById("preview-problems") || {}).textContent,
			(document.getElementById("login-error") || {}).textContent].join(" | ")`)
		p.t.Fatalf("waiting for %s: %v\npage: %v\nscript errors: %v", what, err, state, p.ff.Errors())
	}
}

// setValue fills a field the way a paste or an input method does: a new
// value and an input event.
func (p ffPage) setValue(id, value string) {
	p.t.Helper()
	_, err := p.tab.Call(p.ctx, `(id, value) => {
		const el = document.getElementById(id);
		el.value = value;
		el.dispatchEvent(new Event("input", { bubbles: true }));
	}`, id, value)
	p.must(err)
}

// noScriptErrors fails the test if any page logged an error so far.
func (p ffPage) noScriptErrors() {
	p.t.Helper()
	if errs := p.ff.Errors(); len(errs) > 0 {
		lines := make([]string, len(errs))
		for i, e := range errs {
			lines[i] = e.String()
		}
		p.t.Errorf("script errors in the editor:\n%s", strings.Join(lines, "\n"))
	}
}

func newFFPage(t *testing.T, ctx context.Context, ff *browsertest.Firefox, width, height int) ffPage {
	t.Helper()
	tab, err := ff.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close(context.Background()) })
	p := ffPage{t: t, ctx: ctx, ff: ff, tab: tab}
	p.must(tab.SetViewport(ctx, width, height))
	return p
}

// WebDriver key codes, for Tab.Type.
const (
	keyEnd     = "\uE010"
	keyControl = "\uE009"
	keyShift   = "\uE008"
	keyTab     = "\uE004"
	keyEnter   = "\uE007"
)

// The editor works in Firefox as in Chromium, with key presses and clicks
// as a person makes them: sign in (a wrong password is said so); open an
// article from the list, edit its title and text, save, and find the file
// on disk exactly as expected; a save over a change made on disk meanwhile
// is refused with the conflict message, the file untouched and the typed
// text kept, and merging the two saves both; then, on a desktop screen and
// a 360 px phone, a new article typed in Vietnamese, a bad date shown
// beside its field, an image uploaded, saved, published and written as
// typed, shown in the live preview; an unsaved form comes back after a
// reload and stays gone once discarded. No script error on the way.
//
// With BANTIN_SCREENSHOTS=dir, it also saves screenshots of the list, the
// form and the conflict view at 390 px and 1280 px, to look at.
func TestEditorWorksInFirefox(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin gốc")})
	hash, err := bcrypt.GenerateFromPassword([]byte("mật khẩu đủ dài"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".bantin"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".bantin", "passwords"), []byte("bientap:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base, out := startServe(t, dir)
	ff := browsertest.StartFirefox(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// Sign in; the other tabs share the session's cookie.
	p := newFFPage(t, ctx, ff, 1280, 900)
	p.must(p.tab.Navigate(ctx, base+"_bantin/"))
	p.wait("the sign-in form", `!!document.getElementById("login-user")`)
	p.must(p.tab.Type(ctx, "#login-user", "bientap"))
	p.must(p.tab.Type(ctx, "#login-password", "sai mật khẩu\n"))
	p.wait("the wrong-password message", `document.getElementById("login-error").textContent.includes("Sai tên đăng nhập hoặc mật khẩu")`)
	p.must(p.tab.Type(ctx, "#login-password", "mật khẩu đủ dài\n"))
	p.wait("the article list", `[...document.querySelectorAll(".articles li")].some((li) => li.textContent.includes("Tin gốc"))`)

	t.Run("edit and conflict", func(t *testing.T) {
		p := p
		p.t = t
		file := filepath.Join(dir, "content", "2023", "a.md")
		p.must(p.tab.Click(ctx, `.articles a.title`))
		p.wait("the article's form", `location.hash === "#/edit/2023/a.md" && document.getElementById("f-title") &&
			document.getElementById("f-title").value === "Tin gốc" && document.getElementById("body").value.includes("Nội dung Tin gốc.")`)
		// Keys at the end of the title, and a paragraph at the end of the text
		// (Ctrl+End), then save.
		p.must(p.tab.Type(ctx, "#f-title", keyEnd+" đã sửa"))
		p.must(p.tab.Type(ctx, "#body", keyControl+keyEnd+"\nĐoạn **mới** thêm vào."))
		p.wait("the edits in the form", `document.getElementById("f-title").value === "Tin gốc đã sửa" &&
			document.getElementById("body").value.endsWith("\nĐoạn **mới** thêm vào.")`)
		p.must(p.tab.Click(ctx, "#save"))
		p.wait("the saved message", `document.getElementById("status").className.includes("ok") &&
			document.getElementById("status").textContent.includes("Đã lưu và đăng bài")`)
		// The unticked draft box adds no line (the file had none); a new
		// text starts after a blank line; the typed paragraph comes after
		// the text's last line break and Enter, so after a blank line too.
		saved := "---\ntitle: Tin gốc đã sửa\ndate: 2024-01-01\nregion: Cần Thơ\n---\n\nNội dung Tin gốc.\n\nĐoạn **mới** thêm vào.\n"
		if got, err := os.ReadFile(file); string(got) != saved {
			t.Fatalf("saved file (%v):\n%s\nwant:\n%s\n%s", err, got, saved, out.String())
		}

		// Someone changes the title on disk: the open editor says so.
		onDisk := strings.Replace(saved, "title: Tin gốc đã sửa", "title: Tin sửa trên đĩa", 1)
		if err := os.WriteFile(file, []byte(onDisk), 0o644); err != nil {
			t.Fatal(err)
		}
		p.wait("the notice of a change on disk", `document.getElementById("disk").textContent.includes("vừa được sửa ở nơi khác")`)
		// A save over it is refused: the message, both versions side by
		// side, the typed text still in the form, the file untouched.
		p.must(p.tab.Type(ctx, "#body", keyControl+keyEnd+"\nĐoạn của tôi."))
		p.must(p.tab.Click(ctx, "#save"))
		p.wait("the conflict message and both versions", `(() => {
			const rows = document.querySelectorAll("#conflict fieldset");
			return document.getElementById("status").textContent === "Bài đã được sửa ở nơi khác trong lúc bạn soạn: chưa lưu." &&
				!document.getElementById("conflict").hidden && rows.length === 2 &&
				rows[0].textContent.includes("Tin gốc đã sửa") && rows[0].textContent.includes("Tin sửa trên đĩa") &&
				rows[1].querySelector("pre").textContent.endsWith("\nĐoạn của tôi.") &&
				document.getElementById("body").value.endsWith("thêm vào.\n\nĐoạn của tôi.") &&
				document.getElementById("f-title").value === "Tin gốc đã sửa";
		})()`)
		if got, _ := os.ReadFile(file); string(got) != onDisk {
			t.Fatalf("a stale save changed the file:\n%s", got)
		}
		for _, width := range []int{390, 1280} {
			p.must(p.tab.SetViewport(ctx, width, 844))
			p.wait("the conflict view no wider than the screen", `document.documentElement.scrollWidth <= innerWidth`)
			screenshots(p, "conflict")
		}
		// Keep the disk's title and my text, and save.
		p.must(p.tab.Click(ctx, `input[name="choose-title"][value="theirs"]`))
		p.must(p.tab.Click(ctx, "#conflict-apply"))
		p.wait("the merged form", `document.getElementById("conflict").hidden && document.getElementById("f-title").value === "Tin sửa trên đĩa"`)
		p.must(p.tab.Click(ctx, "#save"))
		p.wait("the merged save", `document.getElementById("status").className.includes("ok")`)
		merged := strings.Replace(onDisk, "thêm vào.\n", "thêm vào.\n\nĐoạn của tôi.\n", 1)
		if got, _ := os.ReadFile(file); string(got) != merged {
			t.Errorf("merged file:\n%s\nwant:\n%s", got, merged)
		}
		p.noScriptErrors()
	})

	imagePath := filepath.Join(t.TempDir(), "Ảnh hội nghị.png")
	writeTestPNG(t, imagePath, 40, 30)
	for _, screen := range []struct {
		name          string
		width, height int
		title, slug   string
		region        string
	}{
		{"desktop", 1280, 900, "Vị Thanh phát động thi đua yêu nước", "vi-thanh-phat-dong-thi-dua-yeu-nuoc", "Vị Thanh"},
		{"phone", 360, 740, "Long Mỹ tuyên dương điển hình tiên tiến", "long-my-tuyen-duong-dien-hinh-tien-tien", "Long Mỹ"},
	} {
		t.Run("new article on "+screen.name, func(t *testing.T) {
			p := newFFPage(t, ctx, ff, screen.width, screen.height)
			p.must(p.tab.Navigate(ctx, base+"_bantin/"))
			p.wait("the article list", `document.querySelectorAll(".articles li").length > 0`)
			if screen.width < 400 {
				p.wait("a page as wide as the phone", `document.documentElement.scrollWidth <= innerWidth`)
			}

			p.must(p.tab.Click(ctx, `nav a[href="#/new"]`))
			p.wait("the form", `!!document.getElementById("f-title") && location.hash === "#/new"`)
			filesBefore := len(contentFiles(dir))
			body := "Sáng 1/5, hội nghị **biểu dương** các điển hình tiên tiến trong phong trào thi đua yêu nước."
			p.must(p.tab.Type(ctx, "#f-title", screen.title))
			p.must(p.tab.Type(ctx, "#f-topics", "Thi đua khen thưởng\n"))
			p.setValue("f-region", screen.region)
			p.setValue("body", body)
			p.setValue("f-date", "2024-13-45")
			p.wait("the title as typed", `document.getElementById("f-title").value === `+jsString(screen.title))
			p.wait("the topic as a chip", `document.querySelector("[data-field=topics] .chips li") && document.querySelector("[data-field=topics] .chips li").firstChild.textContent === "Thi đua khen thưởng"`)
			p.must(p.tab.Click(ctx, "#save"))
			p.wait("the date error beside its field", `(() => {
				const e = (id) => document.getElementById(id);
				return !e("err-date").hidden && e("err-date").textContent.includes("không phải là ngày hợp lệ") &&
					e("f-date").getAttribute("aria-invalid") === "true" && e("err-title").hidden &&
					e("status").textContent.includes("Chưa lưu được");
			})()`)
			if files := contentFiles(dir); len(files) != filesBefore {
				t.Fatalf("an invalid form wrote a file: %v", files)
			}

			p.setValue("f-date", "2024-05-01 08:30")
			p.must(p.tab.SetFiles(ctx, ".toolbar input[type=file]", imagePath))
			p.wait("the image in the text", `document.getElementById("body").value.includes("![Ảnh hội nghị](/images/anh-hoi-nghi-")`)
			p.must(p.tab.Click(ctx, "#save"))
			p.wait("the saved draft", `document.getElementById("status").textContent.includes("Đã lưu bản nháp") && location.hash.startsWith("#/edit/")`)
			p.must(p.tab.Click(ctx, "#publish"))
			p.wait("the publish message", `document.getElementById("status").textContent.includes("Đã lưu và đăng bài")`)

			file := filepath.Join(dir, "content", "2024", screen.slug+".md")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("no file %s: %v\n%s", file, err, out.String())
			}
			want := regexp.MustCompile("^" + regexp.QuoteMeta(fmt.Sprintf("---\ntitle: %s\ndate: 2024-05-01 08:30\nregion: %s\ntopics: [Thi đua khen thưởng]\ndraft: false\n---\n\n%s\n\n", screen.title, screen.region, body)) +
				`!\[Ảnh hội nghị\]\(/images/anh-hoi-nghi-[0-9a-f]+\.png\)\n$`)
			if !want.Match(data) {
				t.Errorf("file:\n%s\nwant it to match %s", data, want)
			}

			// The live preview is the article page, from the site's layout.
			p.wait("the article in the preview", `(() => {
				const d = document.getElementById("preview").contentDocument;
				const h1 = d && d.querySelector("h1");
				const strong = d && d.querySelector("article strong");
				const img = d && d.querySelector('article img[alt="Ảnh hội nghị"]');
				return !!h1 && h1.textContent.trim() === `+jsString(screen.title)+` &&
					!!strong && strong.textContent === "biểu dương" && d.body.textContent.includes("Thi đua khen thưởng") &&
					!!img && img.complete && img.naturalWidth > 0;
			})()`)

			// An unsaved form survives a reload.
			p.must(p.tab.Click(ctx, `nav a[href="#/new"]`))
			p.wait("a new form", `location.hash === "#/new" && document.getElementById("f-title") && document.getElementById("f-title").value === ""`)
			p.must(p.tab.Type(ctx, "#f-title", "Bản nháp chưa lưu"))
			p.wait("the autosave", `(localStorage.getItem("bantin-editor:" + location.host + ":new") || "").includes("Bản nháp chưa lưu")`)
			p.must(p.tab.Reload(ctx))
			p.wait("the restored form and its notice", `document.getElementById("f-title") && document.getElementById("f-title").value === "Bản nháp chưa lưu" &&
				document.getElementById("restored").textContent.includes("Đã khôi phục bản chưa lưu")`)
			// One more letter, and discard at once, with the keyboard
			// (Shift+Tab from the title reaches the discard button): the
			// draft stays discarded after the autosave's delay.
			p.must(p.tab.Type(ctx, "#f-title", "!"+keyShift+keyTab+keyEnter))
			discarded := `document.getElementById("f-title") && document.getElementById("f-title").value === "" &&
				!document.getElementById("restored").textContent && localStorage.getItem("bantin-editor:" + location.host + ":new") === null`
			p.wait("the discarded draft", discarded)
			time.Sleep(time.Second) // the autosave waits 400 ms
			if ok, err := p.tab.Eval(ctx, discarded); ok != true {
				stored, _ := p.tab.Eval(ctx, `localStorage.getItem("bantin-editor:" + location.host + ":new")`)
				t.Errorf("the discarded draft came back: %v %v", stored, err)
			}
			p.noScriptErrors()
		})
	}

	t.Run("screenshots", func(t *testing.T) {
		for _, width := range []int{390, 1280} {
			p := newFFPage(t, ctx, ff, width, 844)
			p.must(p.tab.Navigate(ctx, base+"_bantin/"))
			p.wait("the article list", `document.querySelectorAll(".articles li").length === 3`)
			p.wait("a page no wider than the screen", `document.documentElement.scrollWidth <= innerWidth`)
			// The list's results are elements: no stray text (a null once
			// showed as "null" under the list).
			p.wait("no stray text under the list", `[...document.getElementById("list-results").childNodes].every((n) => n.nodeType === Node.ELEMENT_NODE)`)
			screenshots(p, "list")
			p.must(p.tab.Click(ctx, `.articles a.title`))
			// The preview frame loads lazily: below the form on a phone, it
			// waits until scrolled to.
			p.wait("the form", `!!document.getElementById("f-title") && document.getElementById("f-title").value !== ""`)
			_, err := p.tab.Eval(ctx, `document.getElementById("preview").scrollIntoView()`)
			p.must(err)
			p.wait("the preview", `(() => { const d = document.getElementById("preview").contentDocument; return !!d && !!d.querySelector("h1"); })()`)
			p.wait("a form no wider than the screen", `document.documentElement.scrollWidth <= innerWidth`)
			screenshots(p, "form")
		}
	})
}

// screenshots takes a picture of the whole page and checks it is as wide
// as the viewport; with BANTIN_SCREENSHOTS=dir it keeps it there, named by
// the view and the width.
func screenshots(p ffPage, view string) {
	p.t.Helper()
	data, err := p.tab.Screenshot(p.ctx)
	p.must(err)
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		p.t.Fatalf("screenshot of the %s: %v", view, err)
	}
	// The page's width: the viewport's less a scroll bar.
	width, err := p.tab.Eval(p.ctx, `document.documentElement.clientWidth * devicePixelRatio`)
	p.must(err)
	if float64(cfg.Width) != width {
		p.t.Errorf("screenshot of the %s is %d px wide, the page %v", view, cfg.Width, width)
	}
	if dir := os.Getenv("BANTIN_SCREENSHOTS"); dir != "" {
		name := filepath.Join(dir, fmt.Sprintf("firefox-%s-%v.png", view, width))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			p.t.Error(err)
		}
	}
}

// writeTestPNG writes a small PNG, a red diagonal on white.
func writeTestPNG(t *testing.T, path string, width, height int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for x := range width {
		img.Set(x, x%height, color.RGBA{180, 20, 20, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
