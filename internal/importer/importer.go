// Package importer brings existing bulletins into a bantin site: plain
// text exports, saved portal pages, WordPress exports and Word files, in
// UTF-8, UTF-16 or the legacy Vietnamese encodings. For each article it
// finds the campaign fields (title, date, region, slogan, period, author,
// source, unit, topics), cleans the body into Markdown and writes one new
// file under content/, saying which fields it was unsure of.
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/vi"
)

// Format names an input format.
type Format string

// The input formats. FormatAuto decides by the file's name and content.
const (
	FormatAuto Format = "auto"
	FormatText Format = "text"
	FormatHTML Format = "html"
	FormatWXR  Format = "wxr"
	FormatDOCX Format = "docx"
)

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatAuto, FormatText, FormatHTML, FormatWXR, FormatDOCX:
		return f, nil
	case "":
		return FormatAuto, nil
	case "txt":
		return FormatText, nil
	case "htm":
		return FormatHTML, nil
	}
	return "", fmt.Errorf("unknown format %q; use auto, text, html, wxr or docx", s)
}

// Options configure an import.
type Options struct {
	// Site is the site's configuration; Root its folder, where content/
	// is read for articles imported before and new files are written.
	Site *config.Site
	Root *os.Root
	// Format and Encoding force how inputs are read; Auto detects them.
	Format   Format
	Encoding Encoding
	// Select is a CSS selector for the article in HTML pages, for layouts
	// the automatic extraction gets wrong.
	Select string
	// Publish writes articles as published (draft: false); drafts of a
	// WordPress export stay drafts.
	Publish bool
	// DryRun finds and reports everything but writes nothing.
	DryRun bool
	// Fields are the front-matter fields the site declares beyond the
	// built-in ones ("unit").
	Fields []string
	// Gazetteer finds and resolves regions (the site's, with its
	// data/regions.toml); nil files every article under the region its
	// source tag names, or a placeholder to review.
	Gazetteer *gazetteer.Gazetteer
	// Now is the time of the import, for inputs that carry no date and no
	// file time; zero means time.Now.
	Now time.Time
}

// Review is a field the importer was not sure of.
type Review struct {
	Field, Value, Why string
}

func (r Review) String() string {
	return fmt.Sprintf("review: %s: %s %s", r.Field, strconv.Quote(r.Value), r.Why)
}

// Result is what became of one article of one input.
type Result struct {
	// Input is the input's path as given, with the article's place in it
	// for an export of many ("export.xml#post-12").
	Input string
	// File is the new file, relative to the site ("content/2023/a.md"):
	// written, or in a dry run to be written.
	File string
	// Skipped says why the article was not imported again.
	Skipped string
	// Err says why the input could not be imported.
	Err    error
	Review []Review
}

// Summary counts an import's results.
type Summary struct {
	Imported, Skipped, Failed, Reviews int
}

// Limits on what one input may be, so that a hostile or broken file
// cannot exhaust memory.
const (
	maxInputBytes = 64 << 20
	maxSlugBytes  = 80
)

// Import reads every input (files, and folders walked for the files they
// hold) and writes their articles, calling report for each result in
// order. It stops early only when ctx is cancelled.
func Import(ctx context.Context, opts Options, inputs []string, report func(Result)) (Summary, error) {
	if opts.Site == nil || opts.Root == nil {
		return Summary{}, errors.New("import: no site")
	}
	if opts.Format == "" {
		opts.Format = FormatAuto
	}
	if opts.Encoding == "" {
		opts.Encoding = EncodingAuto
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	tags, err := loadTags(readOptional(opts.Root, "data/source-tags.toml"), "data/source-tags.toml")
	if err != nil {
		return Summary{}, err
	}
	known, err := scanExisting(opts.Root, opts.Site)
	if err != nil {
		return Summary{}, err
	}
	im := &importer{opts: opts, known: known, tags: tags, claimed: map[string]bool{}}
	for _, f := range opts.Fields {
		if f == "unit" {
			im.unit = true
		}
	}
	var sum Summary
	for _, in := range inputs {
		files, err := expand(in)
		if err != nil {
			sum.Failed++
			report(Result{Input: in, Err: err})
			continue
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return sum, err
			}
			for _, r := range im.importFile(f) {
				switch {
				case r.Err != nil:
					sum.Failed++
				case r.Skipped != "":
					sum.Skipped++
				default:
					sum.Imported++
				}
				sum.Reviews += len(r.Review)
				report(r)
			}
		}
	}
	return sum, nil
}

func readOptional(root *os.Root, name string) []byte {
	b, err := fs.ReadFile(root.FS(), name)
	if err != nil {
		return nil
	}
	return b
}

// inputExts are the files a folder walk imports; others (images, styles
// and scripts saved beside pages) are left alone.
var inputExts = map[string]bool{
	".txt": true, ".text": true, ".htm": true, ".html": true, ".xhtml": true, ".shtml": true, ".aspx": true,
	".asp": true, ".php": true, ".jsp": true, ".xml": true, ".docx": true,
}

// expand lists the files of an input: the file itself, or the importable
// files under a folder, in name order. Hidden entries and the asset
// folders of saved pages ("page_files") are skipped.
func expand(in string) ([]string, error) {
	info, err := os.Stat(in)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", unwrapPathErr(err))
	}
	if !info.IsDir() {
		return []string{in}, nil
	}
	var files []string
	err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != in && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != in && (strings.HasSuffix(name, "_files") || strings.HasSuffix(name, "-files")) {
				return filepath.SkipDir
			}
			return nil
		}
		if inputExts[strings.ToLower(filepath.Ext(name))] {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk: %w", err)
	}
	sort.Strings(files)
	return files, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// importer holds one import's state: the articles the site already has
// and the files this import claimed.
type importer struct {
	opts    Options
	known   *existing
	tags    sourceTags
	unit    bool
	claimed map[string]bool // files and folders this run has written or will write
}

// importFile imports every article of one file.
func (im *importer) importFile(file string) []Result {
	fail := func(err error) []Result { return []Result{{Input: file, Err: err}} }
	info, err := os.Stat(file)
	if err != nil {
		return fail(fmt.Errorf("cannot read: %w", unwrapPathErr(err)))
	}
	if info.Size() == 0 {
		return fail(errors.New("empty file; nothing to import"))
	}
	if info.Size() > maxInputBytes {
		return fail(fmt.Errorf("file is %d MB, more than the %d MB an input may be; split it", info.Size()>>20, maxInputBytes>>20))
	}
	f, err := os.Open(file)
	if err != nil {
		return fail(fmt.Errorf("cannot read: %w", unwrapPathErr(err)))
	}
	data, err := io.ReadAll(io.LimitReader(f, maxInputBytes+1))
	f.Close()
	if err != nil {
		return fail(fmt.Errorf("cannot read: %w", err))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(errors.New("empty file (only white space); nothing to import"))
	}
	format := im.opts.Format
	if format == FormatAuto {
		format = sniffFormat(file, data)
	}
	docs, err := readDocuments(format, data, file, im.opts)
	if err != nil {
		return fail(err)
	}
	e := &env{loc: im.opts.Site.TimeZone, tags: im.tags, unit: im.unit, fileTime: info.ModTime(), now: im.opts.Now, siteRegion: im.known.commonRegion()}
	if im.opts.Gazetteer != nil {
		e.places = gazetteerPlaces{im.opts.Gazetteer}
	}
	var out []Result
	for _, doc := range docs {
		input := file
		if doc.name != "" {
			input = file + "#" + doc.name
		}
		a, err := extract(doc, e)
		if err != nil {
			out = append(out, Result{Input: input, Err: err})
			continue
		}
		out = append(out, im.write(input, a, doc))
	}
	return out
}

// sniffFormat decides an input's format from its name and first bytes.
func sniffFormat(name string, data []byte) Format {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".docx" || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return FormatDOCX
	}
	head := data[:min(len(data), 4096)]
	lower := bytes.ToLower(head)
	if bytes.Contains(lower, []byte("<rss")) && bytes.Contains(lower, []byte("wordpress.org/export")) {
		return FormatWXR
	}
	if ext == ".txt" || ext == ".text" {
		return FormatText
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(lower, []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<div", "<p>", "<p ", "<article", "<meta", "<!--", "<table"} {
		if bytes.HasPrefix(trimmed, []byte(p)) {
			return FormatHTML
		}
	}
	if bytes.Contains(lower, []byte("<body")) || bytes.Contains(lower, []byte("<html")) {
		return FormatHTML
	}
	return FormatText
}

// readDocuments reads the articles of one input.
func readDocuments(format Format, data []byte, file string, opts Options) ([]*document, error) {
	switch format {
	case FormatDOCX:
		doc, err := readDOCX(data)
		if err != nil {
			return nil, err
		}
		return []*document{doc}, nil
	case FormatWXR:
		return readWXR(bytes.NewReader(data), opts.Site.TimeZone)
	case FormatHTML:
		dec, err := decodeHTML(data, opts.Encoding)
		if err != nil {
			return nil, err
		}
		doc, err := readHTML(dec.text, opts.Select, filepath.Dir(file), opts.Site.TimeZone)
		if err != nil {
			return nil, err
		}
		if dec.unsure != "" {
			doc.notes = append(doc.notes, review{"encoding", string(dec.encoding), dec.unsure})
		}
		return []*document{doc}, nil
	}
	dec, err := decodeText(data, opts.Encoding)
	if err != nil {
		return nil, err
	}
	doc := &document{blocks: readText(dec.text)}
	if dec.unsure != "" {
		doc.notes = append(doc.notes, review{"encoding", string(dec.encoding), dec.unsure})
	}
	return []*document{doc}, nil
}

// write turns an article into its file (and copies its images), unless
// the site has it already.
func (im *importer) write(input string, a *article, doc *document) Result {
	res := Result{Input: input}
	for _, r := range a.reviews {
		res.Review = append(res.Review, Review{Field: r.field, Value: r.value, Why: r.why})
	}
	if dup, why := im.known.find(a); dup != "" {
		res.Skipped = fmt.Sprintf("already imported as %s (%s)", dup, why)
		res.Review = nil
		return res
	}
	year := strconv.Itoa(a.date.t.In(im.opts.Site.TimeZone).Year())
	base := truncateSlug(vi.Slug(a.title))
	if base == "" {
		base = "bai-viet"
	}
	rel := ""
	for n := 1; ; n++ {
		slug := base
		if n > 1 {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		candidate := path.Join(content.Dir, year, slug+".md")
		if im.claimed[candidate] || exists(im.opts.Root, candidate) || exists(im.opts.Root, path.Join("static", "images", year, slug)) {
			continue
		}
		rel = candidate
		break
	}
	slug := strings.TrimSuffix(path.Base(rel), ".md")

	// Images: copied into static/images/<year>/<slug>/, linked by site path.
	type copyJob struct {
		dst  string
		data []byte
	}
	var copies []copyJob
	links := map[string]string{}
	usedNames := map[string]bool{}
	for _, b := range a.body {
		if b.kind != blockImage {
			continue
		}
		if _, done := links[b.image]; done {
			continue
		}
		if isRemote(b.image) {
			links[b.image] = b.image
			continue
		}
		var data []byte
		var name string
		ok := false
		if doc.assets != nil {
			data, name, ok = doc.assets.asset(b.image)
		}
		if !ok && b.imageURL != "" {
			links[b.image] = b.imageURL
			continue
		}
		if !ok {
			links[b.image] = ""
			res.Review = append(res.Review, Review{Field: "image", Value: b.image, Why: "not found beside the input; left out (its caption is kept)"})
			continue
		}
		name = assetName(name, usedNames)
		dst := path.Join("static", "images", year, slug, name)
		copies = append(copies, copyJob{dst, data})
		links[b.image] = "/" + path.Join("images", year, slug, name)
	}
	body := renderBody(a.body, func(src string) string { return links[src] })
	draft := !im.opts.Publish || a.draft
	text := frontMatter(a, im.unit, draft) + "\n" + body

	// The article must be valid as written: check it with the real parser.
	if _, err := content.Parse(rel, []byte(text), im.opts.Site); err != nil {
		res.Err = fmt.Errorf("the article found is not valid: %w", err)
		return res
	}
	res.File = rel
	im.claimed[rel] = true
	im.known.add(a, rel)
	if im.opts.DryRun {
		return res
	}
	for _, c := range copies {
		if err := writeNew(im.opts.Root, c.dst, c.data); err != nil {
			res.File, res.Err = "", fmt.Errorf("copy image: %w", err)
			return res
		}
	}
	if err := writeNew(im.opts.Root, rel, []byte(text)); err != nil {
		res.File, res.Err = "", err
	}
	return res
}

func isRemote(src string) bool {
	l := strings.ToLower(src)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// assetName makes an image's file name safe and unique within an article.
func assetName(name string, used map[string]bool) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".bmp":
	default:
		ext = ".jpg"
	}
	stem := vi.Slug(strings.TrimSuffix(path.Base(name), path.Ext(name)))
	if stem == "" {
		stem = "anh"
	}
	if len(stem) > 60 {
		stem = strings.TrimRight(stem[:60], "-")
	}
	out := stem + ext
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s-%d%s", stem, n, ext)
	}
	used[out] = true
	return out
}

// truncateSlug shortens a slug at a hyphen.
func truncateSlug(s string) string {
	if len(s) <= maxSlugBytes {
		return s
	}
	s = s[:maxSlugBytes]
	if i := strings.LastIndexByte(s, '-'); i > maxSlugBytes/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, "-")
}

func exists(root *os.Root, name string) bool {
	_, err := root.Lstat(filepath.FromSlash(name))
	return err == nil
}

// writeNew creates name under root with data; it never replaces a file.
func writeNew(root *os.Root, name string, data []byte) error {
	native := filepath.FromSlash(name)
	if err := root.MkdirAll(filepath.Dir(native), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", path.Dir(name), unwrapPathErr(err))
	}
	f, err := root.OpenFile(native, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, unwrapPathErr(err))
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// frontMatter writes the article's fields as YAML, every string quoted.
func frontMatter(a *article, unit, draft bool) string {
	var b strings.Builder
	b.WriteString("---\n")
	field := func(key, val string) {
		if val != "" {
			fmt.Fprintf(&b, "%s: %s\n", key, yamlQuote(val))
		}
	}
	field("title", a.title)
	field("date", a.date.frontMatter())
	field("region", a.region)
	field("slogan", a.slogan)
	if a.period != nil {
		text, isMap := a.period.frontMatter()
		if isMap {
			fmt.Fprintf(&b, "period: %s\n", text)
		} else {
			field("period", text)
		}
	}
	if unit {
		field("unit", a.unit)
	}
	var topics []string
	seen := map[string]bool{}
	for _, t := range a.topics {
		t = collapseSpace(vi.NFC(t))
		if t == "" || vi.Slug(t) == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		topics = append(topics, yamlQuote(t))
	}
	if len(topics) > 0 {
		fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(topics, ", "))
	}
	field("author", a.author)
	if isRemote(a.source) {
		field("source", a.source)
	}
	fmt.Fprintf(&b, "draft: %t\n", draft)
	b.WriteString("---\n")
	return b.String()
}

// yamlQuote writes a YAML double-quoted scalar.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7F || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
