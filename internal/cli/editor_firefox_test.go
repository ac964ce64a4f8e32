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

	"github.com/bantin/bantin/internal/browsertest"
)

// The editor works in Firefox too, on a desktop screen and on a 360 px
// phone: the list loads; a new article typed with key presses in
// Vietnamese, a bad date shown beside its field, fixed, saved, published
// and written to disk as typed; the live preview shows it; an unsaved form
// comes back after a reload; and no script error on the way.
func TestEditorWorksInFirefox(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/2023/a.md": article("Tin cũ")})
	base, out := startServe(t, dir)
	ff := browsertest.StartFirefox(t)
	imagePath := filepath.Join(t.TempDir(), "Ảnh hội nghị.png")
	writeTestPNG(t, imagePath, 40, 30)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	for _, screen := range []struct {
		name          string
		width, height int
		title, slug   string
		region        string
	}{
		{"desktop", 1280, 900, "Vị Thanh phát động thi đua yêu nước", "vi-thanh-phat-dong-thi-dua-yeu-nuoc", "Vị Thanh"},
		{"phone", 360, 740, "Long Mỹ tuyên dương điển hình tiên tiến", "long-my-tuyen-duong-dien-hinh-tien-tien", "Long Mỹ"},
	} {
		t.Run(screen.name, func(t *testing.T) {
			tab, err := ff.NewTab(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tab.Close(ctx)
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			wait := func(what, expr string) {
				t.Helper()
				if err := tab.Wait(ctx, expr); err != nil {
					state, _ := tab.Eval(ctx, `[location.hash, "focus on " + (document.activeElement && document.activeElement.id), "title " + (document.getElementById("f-title") || {}).value, (document.getElementById("status")||{}).textContent, (document.getElementById("problems")||{}).textContent, (document.getElementById("preview-problems")||{}).textContent].join(" | ")`)
					t.Fatalf("waiting for %s: %v\npage: %v\nscript errors: %v", what, err, state, ff.Errors())
				}
			}
			// setValue fills a field the way a paste or an input method
			// does: a new value and an input event.
			setValue := func(id, value string) {
				t.Helper()
				_, err := tab.Call(ctx, `(id, value) => {
					const el = document.getElementById(id);
					el.value = value;
					el.dispatchEvent(new Event("input", { bubbles: true }));
				}`, id, value)
				must(err)
			}
			must(tab.SetViewport(ctx, screen.width, screen.height))
			must(tab.Navigate(ctx, base+"_bantin/"))
			wait("the article list", `[...document.querySelectorAll(".articles li")].some((li) => li.textContent.includes("Tin cũ"))`)
			if screen.width < 400 {
				wait("a page as wide as the phone", `document.documentElement.scrollWidth <= innerWidth`)
			}

			must(tab.Click(ctx, `nav a[href="#/new"]`))
			wait("the form", `!!document.getElementById("f-title") && location.hash === "#/new"`)
			filesBefore := len(contentFiles(dir))
			body := "Sáng 1/5, hội nghị **biểu dương** các điển hình tiên tiến trong phong trào thi đua yêu nước."
			must(tab.Type(ctx, "#f-title", screen.title))
			must(tab.Type(ctx, "#f-topics", "Thi đua khen thưởng\n"))
			setValue("f-region", screen.region)
			setValue("body", body)
			setValue("f-date", "2024-13-45")
			wait("the title as typed", `document.getElementById("f-title").value === `+jsString(screen.title))
			wait("the topic as a chip", `document.querySelector("[data-field=topics] .chips li") && document.querySelector("[data-field=topics] .chips li").firstChild.textContent === "Thi đua khen thưởng"`)
			must(tab.Click(ctx, "#save"))
			wait("the date error beside its field", `(() => {
				const e = (id) => document.getElementById(id);
				return !e("err-date").hidden && e("err-date").textContent.includes("không phải là ngày hợp lệ") &&
					e("f-date").getAttribute("aria-invalid") === "true" && e("err-title").hidden &&
					e("status").textContent.includes("Chưa lưu được");
			})()`)
			if files := contentFiles(dir); len(files) != filesBefore {
				t.Fatalf("an invalid form wrote a file: %v", files)
			}

			setValue("f-date", "2024-05-01 08:30")
			must(tab.SetFiles(ctx, ".toolbar input[type=file]", imagePath))
			wait("the image in the text", `document.getElementById("body").value.includes("![Ảnh hội nghị](/images/anh-hoi-nghi-")`)
			must(tab.Click(ctx, "#save"))
			wait("the saved draft", `document.getElementById("status").textContent.includes("Đã lưu bản nháp") && location.hash.startsWith("#/edit/")`)
			must(tab.Click(ctx, "#publish"))
			wait("the publish message", `document.getElementById("status").textContent.includes("Đã lưu và đăng bài")`)

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
			wait("the article in the preview", `(() => {
				const d = document.getElementById("preview").contentDocument;
				const h1 = d && d.querySelector("h1");
				const strong = d && d.querySelector("article strong");
				const img = d && d.querySelector('article img[alt="Ảnh hội nghị"]');
				return !!h1 && h1.textContent.trim() === `+jsString(screen.title)+` &&
					!!strong && strong.textContent === "biểu dương" && d.body.textContent.includes("Thi đua khen thưởng") &&
					!!img && img.complete && img.naturalWidth > 0;
			})()`)

			// An unsaved form survives a reload.
			must(tab.Click(ctx, `nav a[href="#/new"]`))
			wait("a new form", `location.hash === "#/new" && document.getElementById("f-title") && document.getElementById("f-title").value === ""`)
			must(tab.Type(ctx, "#f-title", "Bản nháp chưa lưu"))
			wait("the autosave", `(localStorage.getItem("bantin-editor:" + location.host + ":new") || "").includes("Bản nháp chưa lưu")`)
			must(tab.Reload(ctx))
			wait("the restored form and its notice", `document.getElementById("f-title") && document.getElementById("f-title").value === "Bản nháp chưa lưu" &&
				document.getElementById("restored").textContent.includes("Đã khôi phục bản chưa lưu")`)
			// One more letter, and discard at once, with the keyboard
			// (Shift+Tab from the title reaches the discard button): the
			// draft stays discarded after the autosave's delay.
			must(tab.Type(ctx, "#f-title", "!\uE008\uE004\uE007"))
			discarded := `document.getElementById("f-title") && document.getElementById("f-title").value === "" &&
				!document.getElementById("restored").textContent && localStorage.getItem("bantin-editor:" + location.host + ":new") === null`
			wait("the discarded draft", discarded)
			time.Sleep(time.Second) // the autosave waits 400 ms
			if ok, err := tab.Eval(ctx, discarded); ok != true {
				stored, _ := tab.Eval(ctx, `localStorage.getItem("bantin-editor:" + location.host + ":new")`)
				t.Errorf("the discarded draft came back: %v %v", stored, err)
			}

			if errs := ff.Errors(); len(errs) > 0 {
				lines := make([]string, len(errs))
				for i, e := range errs {
					lines[i] = e.String()
				}
				t.Errorf("script errors in the editor:\n%s", strings.Join(lines, "\n"))
			}
		})
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
