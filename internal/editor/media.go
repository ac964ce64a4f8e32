package editor

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	_ "image/gif" // decoders for DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/vi"
)

// ImageDir is where uploads go, under static/: the site serves them at
// /images/.
const ImageDir = "images"

// imageTypes are the uploads accepted, by the type their bytes show, with
// the extension they are saved under. SVG is not among them: it can carry
// script.
var imageTypes = map[string]string{
	"image/jpeg": ".jpg",
	"image/png":  ".png",
	"image/gif":  ".gif",
	"image/webp": ".webp",
}

// maxPixels bounds an image's size in pixels, so that a small file cannot
// claim a huge picture that browsers would struggle with.
const maxPixels = 50_000_000

// Upload is the answer to an upload.
type Upload struct {
	// Path is the image's site path ("/images/anh-ab12cd34.jpg"), to
	// write in Markdown and in the image field; URL the same under the
	// site's base path.
	Path     string `json:"path"`
	URL      string `json:"url"`
	Markdown string `json:"markdown"`
	Type     string `json:"type"`
	Size     int    `json:"size"`
}

// handleUpload stores one image sent as multipart form data (field
// "file", optional "alt") under static/images/, named after the file with
// a Vietnamese-aware slug and a hash of its bytes: the same image
// uploaded twice is stored once, and no name is ever overwritten.
func (e *Editor) handleUpload(w http.ResponseWriter, r *http.Request) {
	cfg, _ := e.state()
	r.Body = http.MaxBytesReader(w, r.Body, e.opts.MaxUpload+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		e.fail(w, http.StatusBadRequest, "bad_request", nil)
		return
	}
	var data []byte
	var name, alt string
	for range 8 { // a few fields at most
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			e.uploadReadFailed(w, err)
			return
		}
		switch part.FormName() {
		case "file":
			name = part.FileName()
			data, err = io.ReadAll(io.LimitReader(part, e.opts.MaxUpload+1))
			if err != nil {
				e.uploadReadFailed(w, err)
				return
			}
			if int64(len(data)) > e.opts.MaxUpload {
				e.fail(w, http.StatusRequestEntityTooLarge, "too_large", nil)
				return
			}
		case "alt":
			b, _ := io.ReadAll(io.LimitReader(part, 1024))
			alt = string(b)
		}
		part.Close()
	}
	if data == nil {
		e.fail(w, http.StatusBadRequest, "bad_request", nil)
		return
	}
	ctype, ok := sniffImage(data)
	if !ok {
		e.fail(w, http.StatusUnsupportedMediaType, "not_image", nil)
		return
	}
	file := imageName(name, data, imageTypes[ctype])
	err = e.store.write(site.StaticDir, ImageDir+"/"+file, data, true)
	if err != nil && !errors.Is(err, fs.ErrExist) { // the same bytes are there already
		e.writeFailed(w, err)
		return
	}
	e.opts.Logf("editor: uploaded %s/%s/%s", site.StaticDir, ImageDir, file)
	sitePath := "/" + ImageDir + "/" + file
	if alt = strings.TrimSpace(alt); alt == "" {
		alt = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	alt = strings.NewReplacer("[", "", "]", "", "\n", " ", "\r", " ").Replace(alt)
	writeJSON(w, http.StatusCreated, Upload{
		Path: sitePath, URL: cfg.BasePath + ImageDir + "/" + file,
		Markdown: "![" + alt + "](" + sitePath + ")", Type: ctype, Size: len(data),
	})
}

func (e *Editor) uploadReadFailed(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		e.fail(w, http.StatusRequestEntityTooLarge, "too_large", nil)
		return
	}
	e.fail(w, http.StatusBadRequest, "bad_request", nil)
}

// sniffImage returns the type of an image from its bytes, whatever its
// name or the browser says, and whether it is one the site accepts and can
// be read (its header, at least, is sound).
func sniffImage(data []byte) (string, bool) {
	ctype, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if _, ok := imageTypes[ctype]; !ok {
		return ctype, false
	}
	if ctype == "image/webp" {
		// RIFF....WEBPVP8: the standard library has no WebP decoder.
		return ctype, len(data) > 16 && bytes.Equal(data[12:15], []byte("VP8"))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return ctype, false
	}
	return ctype, true
}

// imageName makes a safe, unique file name: the slug of the uploaded
// name, a short hash of the bytes, and the extension of the real type.
func imageName(uploaded string, data []byte, ext string) string {
	base := uploaded
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	base = vi.Slug(strings.TrimSuffix(base, path.Ext(base)))
	if len(base) > 60 {
		base = strings.TrimRight(base[:60], "-")
	}
	if base == "" {
		base = "anh"
	}
	sum := sha256.Sum256(data)
	return base + "-" + hex.EncodeToString(sum[:4]) + ext
}
