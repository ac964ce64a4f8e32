package editor

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// Problem is one thing wrong with an article, tied to the form field it
// is about ("body" for the text, "" for the file as a whole).
type Problem struct {
	Field string `json:"field"`
	// Message is in the editor's language; Detail is the build's own
	// message, with file:line:col, as `bantin check` prints it.
	Message string `json:"message"`
	Detail  string `json:"detail"`
}

// problemsOf ties the build's problems with the file src to form fields
// and translates them.
func problemsOf(err error, src []byte, specs []fieldSpec, lang vi.Language) []Problem {
	var list diag.List
	if !errors.As(err, &list) {
		var one *diag.Error
		if errors.As(err, &one) {
			list = diag.List{one}
		} else {
			return []Problem{{Message: err.Error(), Detail: err.Error()}}
		}
	}
	lines := keyLines(src)
	out := make([]Problem, 0, len(list))
	for _, e := range list {
		msg := e.Err.Error()
		out = append(out, Problem{Field: fieldAt(e.Pos.Line, msg, lines, specs), Message: translate(msg, lang), Detail: e.Error()})
	}
	return out
}

// frontLines is where each top-level key of a file's front matter starts,
// and where its body starts.
type frontLines struct {
	keys     []string
	starts   []int
	bodyLine int // 0 when unknown
}

func keyLines(src []byte) frontLines {
	var fl frontLines
	d, err := parseDocument("", src)
	if err != nil || d.root == nil {
		return fl
	}
	for i, k := range d.root.Keys {
		fl.keys = append(fl.keys, k)
		fl.starts = append(fl.starts, d.root.Values[i].KeyPos.Line)
	}
	fl.bodyLine = strings.Count(string(src), "\n") - strings.Count(d.body, "\n") - strings.Count(string(d.lead), "\n") + 1
	return fl
}

// quotedKey finds the field a message names: `missing required field "date"`.
var quotedKey = regexp.MustCompile(`"([a-z_]+)"`)

// fieldAt names the field of a problem on line.
func fieldAt(line int, msg string, fl frontLines, specs []fieldSpec) string {
	if fl.bodyLine > 0 && line >= fl.bodyLine {
		return "body"
	}
	if strings.HasPrefix(msg, "URL /") || strings.HasPrefix(msg, "neither the file name") {
		return "slug"
	}
	key := ""
	for i, start := range fl.starts {
		if start <= line {
			key = fl.keys[i]
		}
	}
	if key == "" || line <= 1 {
		for _, m := range quotedKey.FindAllStringSubmatch(msg, -1) {
			if _, ok := field(specs, m[1]); ok {
				return m[1]
			}
		}
		return ""
	}
	return key
}

// translation turns a build message into the editor's language; the
// build's messages are English, written for people reading a terminal.
type translation struct {
	re *regexp.Regexp
	vi string // with $1.. from the expression
}

var translations = []translation{
	{regexp.MustCompile(`^missing required field "([a-z_]+)"`), "Trường này bắt buộc; hãy điền vào."},
	{regexp.MustCompile(`^[a-z_\[\]0-9]+ must not be empty`), "Không được để trống."},
	{regexp.MustCompile(`^date "(.*)" is not a date`), "“$1” không phải là ngày hợp lệ; hãy viết 2023-02-16 hoặc 2023-02-16 06:26."},
	{regexp.MustCompile(`^date must be a date`), "Ngày không hợp lệ; hãy viết 2023-02-16 hoặc 2023-02-16 06:26."},
	{regexp.MustCompile(`^period "(.*)" is not a period`), "“$1” không phải là đợt thi đua; hãy viết 2024, 2022-2023 hoặc 2024-07/2025-06."},
	{regexp.MustCompile(`^period "(.*)" ends before it starts`), "Đợt thi đua “$1” kết thúc trước khi bắt đầu."},
	{regexp.MustCompile(`^period ends \((.*)\) before it starts \((.*)\)`), "Đợt thi đua kết thúc ($1) trước khi bắt đầu ($2)."},
	{regexp.MustCompile(`^period (start|end) "(.*)" is not a month or a day`), "“$2” không phải là tháng hay ngày; hãy viết 2024-07 hoặc 2024-07-15."},
	{regexp.MustCompile(`^period needs both start and end`), "Đợt thi đua cần cả ngày bắt đầu và ngày kết thúc, ví dụ 2024-07/2025-06."},
	{regexp.MustCompile(`^topics must not contain an empty topic`), "Có một chủ đề trống; hãy xóa nó."},
	{regexp.MustCompile(`^(source|image) "(.*)" uses the (.*): scheme`), "Địa chỉ “$2” dùng giao thức $3:; chỉ chấp nhận http và https."},
	{regexp.MustCompile(`^source "(.*)" must be an absolute http or https URL`), "“$1” phải là địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://."},
	{regexp.MustCompile(`^image "(.*)" must be an http\(s\) URL or a path on this site`), "“$1” phải là địa chỉ http(s) hoặc đường dẫn trong trang, ví dụ /images/anh.jpg."},
	{regexp.MustCompile(`^(source|image) "(.*)" must not contain spaces`), "Địa chỉ “$2” không được chứa dấu cách, dấu nháy hay dấu ngoặc nhọn."},
	{regexp.MustCompile(`^(source|image) "(.*)" (has no host|is not a valid URL)`), "“$2” không phải là địa chỉ hợp lệ."},
	{regexp.MustCompile(`^(slug|region|slogan|topic) "(.*)" has no letters or digits`), "“$2” không có chữ hay số nào để tạo đường dẫn."},
	{regexp.MustCompile(`^neither the file name nor the title`), "Tiêu đề không có chữ hay số nào để tạo đường dẫn; hãy điền trường Đường dẫn."},
	{regexp.MustCompile(`^URL /(.*) is also the URL of (.*);`), "Đường dẫn /$1 đã được dùng cho bài $2; hãy đổi tiêu đề hoặc trường Đường dẫn."},
	{regexp.MustCompile(`^link to (.*), which is not a published article`), "Liên kết tới $1, đó không phải là bài đã đăng; hãy kiểm tra tên tệp."},
	{regexp.MustCompile(`^unknown field "(.*)" in front matter`), "Trường “$1” không có trong mẫu bài viết."},
	{regexp.MustCompile(`^([a-z_\[\]0-9]+) must be (.*), not (.*)`), "Giá trị của trường không đúng kiểu."},
	{regexp.MustCompile(`^invalid YAML`), "Phần thông tin đầu bài (YAML) bị lỗi cú pháp."},
	{regexp.MustCompile(`^file contains a NUL byte`), "Văn bản có ký tự rỗng (NUL); hãy xóa nó."},
	{regexp.MustCompile(`^file is (\d+) bytes, over the limit of (\d+) bytes`), "Bài dài $1 byte, vượt giới hạn $2 byte."},
}

// translate gives a build message in lang. English keeps the build's
// message; a Vietnamese message the table lacks keeps it too, after a
// word that says what it is.
func translate(msg string, lang vi.Language) string {
	if lang == vi.English {
		return upperFirst(msg)
	}
	for _, t := range translations {
		if m := t.re.FindStringSubmatchIndex(msg); m != nil {
			return string(t.re.ExpandString(nil, t.vi, msg, m))
		}
	}
	return "Lỗi: " + msg
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fieldError is a problem with a value the request sent, found before the
// build's validation (a list where text was expected).
func fieldError(key string, lang vi.Language, format string, args ...any) Problem {
	msg := fmt.Sprintf(format, args...)
	return Problem{Field: key, Message: translate(msg, lang), Detail: msg}
}

// decodeValues reads the fields of a request against the form's fields:
// strings for text, lists of strings for lists, booleans for checkboxes.
func decodeValues(raw map[string]any, specs []fieldSpec, lang vi.Language) (Values, []Problem) {
	out := Values{}
	var probs []Problem
	for key, v := range raw {
		f, ok := field(specs, key)
		if !ok {
			probs = append(probs, fieldError("", lang, "unknown field %q in front matter", key))
			continue
		}
		switch f.Kind {
		case KindBool:
			b, ok := v.(bool)
			if !ok {
				probs = append(probs, fieldError(key, lang, "%s must be true or false, not %T", key, v))
				continue
			}
			out[key] = b
		case KindList:
			list, ok := v.([]any)
			if !ok && v != nil {
				probs = append(probs, fieldError(key, lang, "%s must be a list of strings, not %T", key, v))
				continue
			}
			items := make([]string, 0, len(list))
			for _, it := range list {
				s, ok := it.(string)
				if !ok {
					probs = append(probs, fieldError(key, lang, "%s must be a list of strings, not %T", key, it))
					break
				}
				items = append(items, s)
			}
			out[key] = items
		default:
			s, ok := v.(string)
			if !ok && v != nil {
				probs = append(probs, fieldError(key, lang, "%s must be a string, not %T", key, v))
				continue
			}
			out[key] = s
		}
	}
	return out, probs
}
