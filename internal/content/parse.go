package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/fields"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/vi"
)

// Article is one validated bulletin. Text fields are NFC.
type Article struct {
	// File is the source path relative to the site root ("content/2023/a.md").
	File  string
	Title string
	Date  time.Time
	// HasTime is false when the date was written without a clock time.
	HasTime bool
	Region  string
	Slogan  string
	Period  *Period
	Topics  []string
	Author  string
	Source  string
	Summary string
	Image   string
	Draft   bool
	// Slug is the article's URL segment: the slug field, else the file
	// name, slugified; Path is its site-relative URL path ("bai-viet/slug/").
	Slug string
	Path string
	// Body is the Markdown after the front matter; it starts on line
	// BodyLine of File.
	// Use LoadBody: Body is nil when the loader released it.
	Body     []byte
	BodyLine int
	// MentionsMarkdown is set when the body contains ".md": it may link to
	// other articles' files, so its rendering depends on their URLs.
	MentionsMarkdown bool
	// Where the body lies in the normalized file, and its hash, for
	// LoadBody once the body is released, and for caches.
	bodyOffset, bodySize int
	bodySum              uint64
	// bodyAsWritten: the file needed no normalization, so LoadBody can take
	// the body from the bytes read without preparing them again.
	bodyAsWritten bool
	// positions holds where each front-matter field was written, by key
	// ("topics.1" for the second topic), for errors found by later stages.
	// A slice, not a map: a site keeps one per article.
	positions []fieldPos
	// declared holds the values of the taxonomies site.toml declares; read
	// them with Terms.
	declared []declaredTerms
}

// fieldPos is where a front-matter field was written in the article's file.
type fieldPos struct {
	key       string
	line, col int32
}

func (a *Article) setPos(key string, p diag.Pos) {
	a.positions = append(a.positions, fieldPos{key: key, line: int32(p.Line), col: int32(p.Col)})
}

// ReleaseBody drops the body from memory, once it is rendered or when the
// loader keeps no bodies; LoadBody reads it again.
func (a *Article) ReleaseBody() {
	if a.Body == nil {
		return
	}
	a.Body = nil
}

func bodySum(body []byte) uint64 { return xxhash.Sum64(body) }

// BodySum is a hash of the article's Markdown body (xxhash64), the same in
// every process: caches key renderings by it.
func (a *Article) BodySum() uint64 { return a.bodySum }

// LoadBody returns the article's Markdown body: the one in memory, or, when
// the loader released it, the same bytes read again from site. A file that
// changed since it was loaded is an error: the build would mix two versions.
func (a *Article) LoadBody(site fs.FS) ([]byte, error) {
	if a.Body != nil || a.bodySize == 0 {
		return a.Body, nil
	}
	changed := diag.Errorf(diag.Pos{File: a.File}, "changed while the site was building; build again")
	// The file held the body when loaded: much more now means it changed.
	src, err := input.ReadFile(site, a.File, 4*int64(a.bodyOffset+a.bodySize)+4096)
	var tooLarge *input.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, changed
	}
	if err != nil {
		return nil, diag.Errorf(diag.Pos{File: a.File}, "cannot read again: %s", strings.TrimPrefix(input.Message(err), "cannot read: "))
	}
	if !a.bodyAsWritten {
		if src, err = prepare(a.File, src); err != nil {
			return nil, changed
		}
	}
	if a.bodyOffset > len(src) {
		return nil, changed
	}
	body := src[a.bodyOffset:]
	if len(body) != a.bodySize || bodySum(body) != a.bodySum {
		return nil, changed
	}
	return body, nil
}

// FieldPos returns where key was written, or the file's first line.
func (a *Article) FieldPos(key string) diag.Pos {
	for _, p := range a.positions {
		if p.key == key {
			return diag.Pos{File: a.File, Line: int(p.line), Col: int(p.col)}
		}
	}
	return diag.Pos{File: a.File, Line: 1, Col: 1}
}

var (
	articleKeys = fields.Schema{
		Keys: []string{"title", "date", "region", "slogan", "period", "topics", "author", "source", "summary", "image", "draft", "slug"},
		// Names used by Hugo and Zola, and Vietnamese ones, for migrating editors.
		Aliases: map[string]string{
			"tags": "topics", "categories": "topics", "keywords": "topics", "chu_de": "topics",
			"description": "summary", "location": "region", "province": "region", "khu_vuc": "region",
			"campaign": "slogan", "khau_hieu": "slogan", "publishdate": "date", "published": "date",
			"writer": "author", "authors": "author", "tac_gia": "author", "url": "slug",
			"cover": "image", "thumbnail": "image", "link": "source", "nguon": "source",
		},
	}
	periodKeys = fields.Schema{Keys: []string{"start", "end"}, Aliases: map[string]string{"from": "start", "to": "end"}}
)

// format names a front-matter syntax, for choosing its decoder.
type format int

const (
	formatYAML format = iota + 1
	formatTOML
	formatJSON
)

// block is the raw front matter that adrg/frontmatter split off.
type block struct {
	format format
	data   []byte
}

// splitFormats are adrg/frontmatter's delimiters, with unmarshal functions
// that only capture the raw block: decoding happens in package fields, which
// keeps positions and reports unknown keys.
func splitFormats(b *block) []*frontmatter.Format {
	capture := func(f format) frontmatter.UnmarshalFunc {
		return func(data []byte, _ any) error {
			b.format, b.data = f, data
			return nil
		}
	}
	return []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", capture(formatYAML)),
		frontmatter.NewFormat("---yaml", "---", capture(formatYAML)),
		frontmatter.NewFormat("+++", "+++", capture(formatTOML)),
		frontmatter.NewFormat("---toml", "---", capture(formatTOML)),
		frontmatter.NewFormat("---json", "---", capture(formatJSON)),
		frontmatter.NewFormat(";;;", ";;;", capture(formatJSON)),
	}
}

var closingDelim = map[string]string{"---": "---", "---yaml": "---", "+++": "+++", "---toml": "---", "---json": "---", ";;;": ";;;"}

// prepare checks the encoding of a content file and returns it as NFC text
// with LF line endings. Line numbers are unchanged by the rewrite.
func prepare(file string, src []byte) ([]byte, error) {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		return nil, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "file is UTF-16; save it as UTF-8")
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	// One pass proves nearly every file valid and NFC already.
	plain := vi.IsPlainNFC(src)
	if !plain && !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, diag.Errorf(diag.PosOf(file, src, off), "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", src[off])
	}
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, diag.Errorf(diag.PosOf(file, src, bytes.IndexByte(src, 0)), "file contains a NUL byte; is it a binary file?")
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if plain {
		return src, nil
	}
	return vi.NFCBytes(src), nil
}

// Parse validates one content file. Every problem found is returned in a
// diag.List; the article is nil when there is any.
func Parse(file string, src []byte, cfg *config.Site) (*Article, error) {
	raw := src
	src, err := prepare(file, src)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "empty file; an article starts with front matter giving at least title, date and region")
	}

	// The opening delimiter is the first non-blank line, as adrg/frontmatter
	// decides it; the block begins on the next line.
	openLine, opening := 1, ""
	for rest := src; len(rest) > 0; openLine++ {
		line := rest
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = nil
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			opening = string(t)
			break
		}
	}
	var b block
	var body []byte
	if strings.HasPrefix(opening, "{") {
		// A JSON object ends where JSON says it does, not at the first
		// line holding "}" (a nested object can close on one).
		b.format = formatJSON
		if b.data, body, err = splitJSON(file, src, openLine, cfg); err != nil {
			return nil, err
		}
	} else if body, err = frontmatter.Parse(bytes.NewReader(src), nil, splitFormats(&b)...); err != nil {
		return nil, diag.Errorf(diag.Pos{File: file, Line: openLine, Col: 1}, "read front matter: %v", err)
	} else if bytes.HasSuffix(src, body) {
		// The library returns the body inside its own read buffer, two
		// to three times the file's size; the same bytes end src, which
		// the article holds anyway, so the buffer can go.
		body = src[len(src)-len(body):]
	}
	if b.format == 0 {
		pos := diag.Pos{File: file, Line: openLine, Col: 1}
		if end, ok := closingDelim[opening]; ok {
			return nil, diag.Errorf(pos, "front matter opened with %q is never closed; add a line %q after the last field", opening, end)
		}
		return nil, diag.Errorf(pos, "no front matter; start the file with a line --- (YAML), +++ (TOML) or { (JSON), then title, date and region")
	}
	origin := fields.Origin{File: file, Line: openLine + 1, Lang: cfg.Language}
	var root *fields.Node
	switch b.format {
	case formatYAML:
		root, err = fields.DecodeYAML(b.data, origin)
	case formatTOML:
		root, err = fields.DecodeTOML(b.data, origin)
	case formatJSON:
		if strings.HasPrefix(opening, "{") {
			origin.Line = openLine
		}
		root, err = fields.DecodeJSON(b.data, origin)
	}
	if err != nil {
		return nil, err
	}
	a := &Article{
		File:             file,
		Body:             body,
		BodyLine:         bytes.Count(src[:len(src)-len(body)], []byte("\n")) + 1,
		bodyOffset:       len(src) - len(body),
		bodySize:         len(body),
		bodySum:          bodySum(body),
		MentionsMarkdown: bytes.Contains(body, []byte(".md")),
		// Nearly every file is NFC with LF endings and no BOM already.
		bodyAsWritten: len(src) == len(raw) && (len(src) == 0 || &src[0] == &raw[0]),
	}
	if err := a.decode(root, cfg); err != nil {
		return nil, err
	}
	return a, nil
}

// splitJSON splits a file that starts with a JSON object into the object,
// from the start of its first line, and the body after the line it ends
// on. Text after the closing "}" on its line is an error, and so is an
// object that never ends.
func splitJSON(file string, src []byte, openLine int, cfg *config.Site) (data, body []byte, err error) {
	open := bytes.IndexByte(src, '{')
	lineStart := bytes.LastIndexByte(src[:open], '\n') + 1
	dec := json.NewDecoder(bytes.NewReader(src[open:]))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Report the syntax error where it is.
			if _, err := fields.DecodeJSON(src[lineStart:], fields.Origin{File: file, Line: openLine, Lang: cfg.Language}); err != nil {
				return nil, nil, err
			}
		}
		return nil, nil, diag.Errorf(diag.Pos{File: file, Line: openLine, Col: 1},
			"front matter opened with \"{\" is never closed; add a line \"}\" after the last field")
	}
	end := open + int(dec.InputOffset()) // just after the closing "}"
	lineEnd := len(src)
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 {
		lineEnd = end + nl
	}
	if after := bytes.TrimSpace(src[end:lineEnd]); len(after) > 0 {
		return nil, nil, diag.Errorf(diag.PosOf(file, src, end+bytes.Index(src[end:lineEnd], after)),
			"text after the \"}\" that closes the JSON front matter; start the article on the next line")
	}
	return src[lineStart:end], src[min(lineEnd+1, len(src)):], nil
}

// decode validates the front matter into a.
func (a *Article) decode(root *fields.Node, cfg *config.Site) error {
	var errs diag.List
	r := &fields.Reader{Map: root, Errs: &errs, Where: diag.Pos{File: a.File, Line: 1, Col: 1}, Lang: cfg.Language}
	articleSchema(cfg).CheckKeys(root, "front matter", &errs)
	checkTurnedOff(root, cfg, &errs)
	a.positions = make([]fieldPos, 0, len(root.Keys)+4)
	for i, k := range root.Keys {
		a.setPos(k, root.Values[i].Pos)
	}
	text := func(key string, required bool) string {
		v, pos, ok := r.String(key, required)
		if !ok {
			return strings.TrimSpace(v)
		}
		clean, err := cleanText(key, v)
		if err != nil {
			errs.Add(pos, err)
		}
		return clean
	}
	a.Title = text("title", true)
	// A built-in taxonomy the site turns off has no field to read.
	region, topic, slogan, period := cfg.Taxonomy(config.Region), cfg.Taxonomy(config.Topic), cfg.Taxonomy(config.Slogan), cfg.Taxonomy(config.Period)
	if region != nil {
		a.Region = text("region", region.Required)
	}
	if slogan != nil {
		a.Slogan = text("slogan", slogan.Required)
	}
	a.Author = text("author", false)
	a.Summary = text("summary", false)
	a.Draft = r.Bool("draft", false)

	if n := root.Get("date"); n == nil || n.Kind == fields.Null {
		errs.Addf(diag.Pos{File: a.File, Line: 1, Col: 1}, "missing required field \"date\"")
	} else if n.Kind != fields.String && n.Kind != fields.Time {
		errs.Addf(n.Pos, "date must be a date like 2023-02-16, not %s", n.Describe())
	} else if t, hasTime, err := ParseDate(n.Text, cfg.TimeZone); err != nil {
		errs.Add(n.Pos, err)
	} else {
		a.Date, a.HasTime = t.In(cfg.TimeZone), hasTime
	}

	if period != nil {
		n := root.Get("period")
		a.Period = decodePeriod(n, &errs)
		if (n == nil || n.Kind == fields.Null) && period.Required {
			errs.Addf(diag.Pos{File: a.File, Line: 1, Col: 1}, "missing required field \"period\"")
		}
	}

	var topics []string
	var topicPos []diag.Pos
	if topic != nil {
		topics, topicPos = r.StringList("topics")
		if topic.Required && len(topics) == 0 && root.Get("topics") == nil {
			errs.Addf(diag.Pos{File: a.File, Line: 1, Col: 1}, "missing required field \"topics\"")
		}
		// Each topic is a page and a feed that lists the article: a bound on
		// them bounds what one article adds to the site.
		if cfg.MaxTerms > 0 && len(topics) > cfg.MaxTerms {
			errs.Addf(topicPos[cfg.MaxTerms], "an article has at most %d topics, and this is topic %d of %d; keep the few that matter most (or raise [limits] max_terms in site.toml)", cfg.MaxTerms, cfg.MaxTerms+1, len(topics))
			topics, topicPos = topics[:cfg.MaxTerms], topicPos[:cfg.MaxTerms]
		}
	}
	seen := map[string]bool{}
	for i, t := range topics {
		t, err := cleanText("topic", t)
		if err != nil {
			errs.Add(topicPos[i], err)
			continue
		}
		if t == "" {
			errs.Addf(topicPos[i], "topics must not contain an empty topic")
			continue
		}
		if seen[t] {
			continue
		}
		seen[t] = true
		a.setPos(fmt.Sprintf("topics.%d", len(a.Topics)), topicPos[i])
		a.Topics = append(a.Topics, t)
	}

	if v, pos, ok := r.String("source", false); ok && strings.TrimSpace(v) != "" {
		if err := checkURL(v, false); err != nil {
			errs.Addf(pos, "source %v", err)
		}
		a.Source = strings.TrimSpace(v)
	}
	if v, pos, ok := r.String("image", false); ok && strings.TrimSpace(v) != "" {
		if err := checkURL(v, true); err != nil {
			errs.Addf(pos, "image %v", err)
		}
		a.Image = strings.TrimSpace(v)
	}

	if v, pos, ok := r.String("slug", false); ok {
		a.Slug = vi.Slug(v)
		if a.Slug == "" {
			errs.Addf(pos, "slug %q has no letters or digits to make a URL from", v)
		} else if full := vi.FullSlug(v); len(full) > vi.MaxSlugBytes {
			// A slug the editor wrote is the URL they chose: say so rather
			// than publish a shortened one they did not expect.
			errs.Addf(pos, "slug is %d characters long as a URL, over the limit of %d; shorten it, or remove it and let the file name give the URL", len(full), vi.MaxSlugBytes)
		}
	} else {
		// Like Hugo and Zola, the file name gives the URL: news titles
		// repeat ("Hội nghị tổng kết năm"), file names in a folder do not.
		base := strings.TrimSuffix(path.Base(a.File), path.Ext(a.File))
		if a.Slug = vi.Slug(base); a.Slug == "" && a.Title != "" {
			a.Slug = vi.Slug(a.Title)
		}
		if a.Slug == "" && a.Title != "" {
			errs.Addf(a.FieldPos("title"), "neither the file name nor the title %q gives a URL slug; add a slug field such as slug: \"ten-bai-viet\"", a.Title)
		}
	}
	if a.Slug != "" {
		a.Path = cfg.Paths.Articles + "/" + a.Slug + "/"
	}
	a.decodeDeclared(root, cfg, &errs)
	for key, val := range map[string]string{"region": a.Region, "slogan": a.Slogan} {
		if val != "" && vi.Slug(val) == "" {
			errs.Addf(a.FieldPos(key), "%s %q has no letters or digits to make a URL from", key, val)
		}
	}
	for i, t := range a.Topics {
		if vi.Slug(t) == "" {
			errs.Addf(a.FieldPos(fmt.Sprintf("topics.%d", i)), "topic %q has no letters or digits to make a URL from", t)
		}
	}
	return errs.Err()
}

func decodePeriod(n *fields.Node, errs *diag.List) *Period {
	if n == nil || n.Kind == fields.Null {
		return nil
	}
	switch n.Kind {
	case fields.String, fields.Int:
		p, err := ParsePeriodText(n.Text)
		if err != nil {
			errs.Add(n.Pos, err)
			return nil
		}
		return &p
	case fields.Map:
		periodKeys.CheckKeys(n, "period", errs)
		var p Period
		ok := true
		for _, bound := range []struct {
			key   string
			dst   *Day
			isEnd bool
		}{{"start", &p.Start, false}, {"end", &p.End, true}} {
			v := n.Get(bound.key)
			switch {
			case v == nil || v.Kind == fields.Null:
				errs.Addf(n.Pos, "period needs both start and end; %s is missing", bound.key)
				ok = false
			case v.Kind != fields.String && v.Kind != fields.Time:
				errs.Addf(v.Pos, "period %s must be a month like 2024-07 or a day like 2024-07-15, not %s", bound.key, v.Describe())
				ok = false
			default:
				d, err := ParsePeriodBound(v.Text, bound.isEnd)
				if err != nil {
					errs.Addf(v.Pos, "period %s %v", bound.key, err)
					ok = false
				}
				*bound.dst = d
			}
		}
		if ok && p.End.Before(p.Start) {
			errs.Addf(n.Get("end").Pos, "period ends (%s) before it starts (%s)", p.End, p.Start)
			return nil
		}
		if !ok {
			return nil
		}
		return &p
	}
	errs.Addf(n.Pos, "period must be \"2024\", \"2022-2023\" or a map with start and end, not %s", n.Describe())
	return nil
}
