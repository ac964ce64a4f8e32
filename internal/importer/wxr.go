package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"time"
)

// WordPress exports (WXR) are RSS with WordPress's namespaces. They are
// read item by item from a stream, so a large site's export needs memory
// for one post at a time.
const (
	nsWP      = "wordpress.org/export/"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	// maxWXRItemBytes bounds one post's text.
	maxWXRItemBytes = 16 << 20
)

// wxrItem is one <item> of an export.
type wxrItem struct {
	title, link, pubDate, creator, content string
	postID, postDate, postDateGMT, status  string
	postType                               string
	categories                             []string
}

// readWXR reads every post of an export. Pages, attachments, menu items
// and trashed posts are left out; drafts are kept as drafts.
func readWXR(r io.Reader, loc *time.Location) ([]*document, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8") {
			return input, nil
		}
		return nil, fmt.Errorf("the export is in %s; WordPress writes UTF-8", charset)
	}
	authors := map[string]string{} // login -> display name
	var docs []*document
	sawRSS := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			return nil, fmt.Errorf("line %d: read the export: %w", line, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "rss":
			sawRSS = true
		case start.Name.Local == "author" && strings.Contains(start.Name.Space, nsWP):
			login, name, err := readWXRAuthor(dec)
			if err != nil {
				return nil, err
			}
			if login != "" && name != "" {
				authors[login] = name
			}
		case start.Name.Local == "item":
			line, _ := dec.InputPos()
			it, err := readWXRItem(dec)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			if doc := wxrDocument(it, authors, loc); doc != nil {
				docs = append(docs, doc)
			}
		}
	}
	if !sawRSS {
		return nil, errors.New("not a WordPress export: no <rss> element")
	}
	if len(docs) == 0 {
		return nil, errors.New("the export holds no posts")
	}
	return docs, nil
}

func readWXRAuthor(dec *xml.Decoder) (login, name string, err error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", "", fmt.Errorf("read the export's authors: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			text, err := elementText(dec, 1<<16)
			if err != nil {
				return "", "", err
			}
			switch t.Name.Local {
			case "author_login":
				login = strings.TrimSpace(text)
			case "author_display_name":
				name = collapseSpace(cleanText(text))
			}
		case xml.EndElement:
			return login, name, nil
		}
	}
}

// elementText reads the text of the element just opened, up to its end.
func elementText(dec *xml.Decoder, limit int) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("read the export: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > limit {
				return "", fmt.Errorf("an element is longer than %d MB", limit>>20)
			}
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

func readWXRItem(dec *xml.Decoder) (wxrItem, error) {
	var it wxrItem
	for {
		tok, err := dec.Token()
		if err != nil {
			return it, fmt.Errorf("read a post: %w", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return it, nil
		case xml.StartElement:
			domain := ""
			for _, a := range t.Attr {
				if a.Name.Local == "domain" {
					domain = a.Value
				}
			}
			if t.Name.Local == "postmeta" || t.Name.Local == "comment" {
				if err := dec.Skip(); err != nil {
					return it, fmt.Errorf("read a post: %w", err)
				}
				continue
			}
			text, err := elementText(dec, maxWXRItemBytes)
			if err != nil {
				return it, err
			}
			switch {
			case t.Name.Local == "title":
				it.title = text
			case t.Name.Local == "link":
				it.link = strings.TrimSpace(text)
			case t.Name.Local == "pubDate":
				it.pubDate = strings.TrimSpace(text)
			case t.Name.Local == "creator":
				it.creator = strings.TrimSpace(text)
			case t.Name.Local == "encoded" && t.Name.Space == nsContent:
				it.content = text
			case t.Name.Local == "post_id":
				it.postID = strings.TrimSpace(text)
			case t.Name.Local == "post_date":
				it.postDate = strings.TrimSpace(text)
			case t.Name.Local == "post_date_gmt":
				it.postDateGMT = strings.TrimSpace(text)
			case t.Name.Local == "status":
				it.status = strings.TrimSpace(text)
			case t.Name.Local == "post_type":
				it.postType = strings.TrimSpace(text)
			case t.Name.Local == "category" && (domain == "category" || domain == "post_tag"):
				if c := collapseSpace(cleanText(html.UnescapeString(text))); c != "" && !strings.EqualFold(c, "Uncategorized") && c != "Chưa được phân loại" {
					it.categories = append(it.categories, c)
				}
			}
		}
	}
}

// genericAccounts are WordPress logins that name no person.
var genericAccounts = map[string]bool{"admin": true, "administrator": true, "editor": true, "bientap": true, "webmaster": true, "quantri": true, "root": true}

// wxrDocument turns a post into a document; nil for items that are not
// posts to import.
func wxrDocument(it wxrItem, authors map[string]string, loc *time.Location) *document {
	if it.postType != "" && it.postType != "post" {
		return nil
	}
	switch it.status {
	case "trash", "auto-draft", "inherit":
		return nil
	}
	doc := &document{name: "post-" + it.postID}
	if it.postID == "" {
		doc.name = "post"
	}
	// WordPress keeps titles and terms HTML-escaped ("&#8220;", "&amp;").
	doc.meta.title = collapseSpace(cleanText(html.UnescapeString(it.title)))
	doc.meta.topics = it.categories
	doc.meta.draft = it.status != "" && it.status != "publish"
	if isRemote(it.link) {
		doc.meta.source = it.link
	}
	if name := authors[it.creator]; name != "" && !genericAccounts[strings.ToLower(it.creator)] {
		doc.meta.author = name
	} else if it.creator != "" && !genericAccounts[strings.ToLower(it.creator)] && looksLikeNames(it.creator) {
		doc.meta.author = it.creator
	}
	// The post's instant: post_date_gmt (UTC) when set, else post_date in
	// the site's zone (WordPress's local time), else the RSS pubDate.
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", it.postDateGMT, time.UTC); err == nil && t.Year() > 1900 {
		doc.meta.date, doc.meta.hasDay, doc.meta.hasTime = t.In(loc), true, true
	} else if t, err := time.ParseInLocation("2006-01-02 15:04:05", it.postDate, loc); err == nil && t.Year() > 1900 {
		doc.meta.date, doc.meta.hasDay, doc.meta.hasTime = t, true, true
	} else if t, err := time.Parse(time.RFC1123Z, it.pubDate); err == nil && t.Year() > 1900 {
		doc.meta.date, doc.meta.hasDay, doc.meta.hasTime = t.In(loc), true, true
	}
	body := expandShortcodes(autop(it.content))
	c := &converter{base: doc.meta.source}
	root, err := parseFragment(body)
	if err == nil {
		c.blocks(root, 0)
		c.flush()
	}
	// The headline leads the blocks, as on a page.
	doc.blocks = append([]block{{kind: blockHeading, level: 1, text: doc.meta.title}}, c.out...)
	doc.assets = noAssets{}
	return doc
}

// noAssets: an export holds no image bytes; remote images stay links.
type noAssets struct{}

func (noAssets) asset(string) ([]byte, string, bool) { return nil, "", false }

var (
	reCaptionShortcode = regexp.MustCompile(`(?s)\[caption[^\]]*\](.*?)\[/caption\]`)
	reImgTag           = regexp.MustCompile(`(?is)^\s*(?:<a[^>]*>)?\s*(<img[^>]*>)\s*(?:</a>)?\s*(.*)$`)
	reShortcode        = regexp.MustCompile(`\[/?[a-zA-Z_][\w-]*(?:\s[^\]]*)?\]`)
	reBlockStart       = regexp.MustCompile(`(?i)<(?:p|div|h[1-6]|ul|ol|table|blockquote|figure|pre)[\s>]`)
)

// expandShortcodes turns [caption]<img> text[/caption] into a figure and
// drops other shortcodes, which mean nothing outside WordPress.
func expandShortcodes(s string) string {
	s = reCaptionShortcode.ReplaceAllStringFunc(s, func(m string) string {
		inner := reCaptionShortcode.FindStringSubmatch(m)[1]
		if p := reImgTag.FindStringSubmatch(inner); p != nil {
			return "<figure>" + p[1] + "<figcaption>" + strings.TrimSpace(p[2]) + "</figcaption></figure>"
		}
		return inner
	})
	return reShortcode.ReplaceAllString(s, "")
}

// autop adds the paragraphs WordPress adds when it shows a post: the
// classic editor stores blank lines between paragraphs, not <p> tags.
func autop(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if reBlockStart.MatchString(s) && !strings.Contains(s, "\n\n") {
		return s
	}
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		if reBlockStart.MatchString(para[:min(len(para), 12)]) {
			b.WriteString(para + "\n")
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br>\n") + "</p>\n")
	}
	return b.String()
}
