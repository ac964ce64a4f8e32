package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// Word files (.docx) are zip archives of WordprocessingML parts:
// word/document.xml holds the text, word/styles.xml names the styles
// (headings), word/numbering.xml says which lists are numbered, and
// word/_rels/document.xml.rels resolves images (word/media/...) and links.

// Bounds on a Word file, against zip bombs.
const (
	maxDOCXPart  = 32 << 20
	maxDOCXFiles = 2000
)

const nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

type docxFile struct {
	files map[string]*zip.File
}

// read returns one part's bytes, bounded.
func (d *docxFile) read(name string) ([]byte, error) {
	f, ok := d.files[name]
	if !ok {
		return nil, missingPart(name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxDOCXPart+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxDOCXPart {
		return nil, fmt.Errorf("%s is larger than %d MB", name, maxDOCXPart>>20)
	}
	return data, nil
}

// missingPart is the error for a part the archive does not have.
type missingPart string

func (m missingPart) Error() string { return string(m) + " is missing" }

// asset gives an image of the document by its relationship target.
func (d *docxFile) asset(src string) ([]byte, string, bool) {
	data, err := d.read(src)
	if err != nil {
		return nil, "", false
	}
	return data, path.Base(src), true
}

// readDOCX reads a Word file's text as blocks.
func readDOCX(data []byte) (*document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a Word file (.docx): %w", err)
	}
	if len(zr.File) > maxDOCXFiles {
		return nil, fmt.Errorf("the archive has %d files; a Word file has a few dozen", len(zr.File))
	}
	d := &docxFile{files: map[string]*zip.File{}}
	for _, f := range zr.File {
		d.files[f.Name] = f
	}
	main, err := d.read("word/document.xml")
	if err != nil {
		var missing missingPart
		if errors.As(err, &missing) {
			return nil, errors.New("not a Word file: the archive has no word/document.xml (old .doc files must be saved as .docx first)")
		}
		return nil, err
	}
	styles := docxStyles(d)
	numbered := docxNumbering(d)
	rels := docxRels(d)
	doc := &document{assets: d}
	doc.meta = docxCore(d)
	w := &docxWalker{styles: styles, numbered: numbered, rels: rels}
	if err := w.walk(main); err != nil {
		return nil, fmt.Errorf("read word/document.xml: %w", err)
	}
	w.endList()
	doc.blocks = w.out
	return doc, nil
}

// docxStyles maps style ids to heading levels, from the style names
// ("heading 1", "Title", and the Vietnamese "Tieude"/"Tiêu đề").
func docxStyles(d *docxFile) map[string]int {
	levels := map[string]int{}
	data, err := d.read("word/styles.xml")
	if err != nil {
		return levels
	}
	var doc struct {
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"style"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return levels
	}
	for _, s := range doc.Styles {
		if l := headingLevel(s.Name.Val); l > 0 {
			levels[s.ID] = l
		}
	}
	return levels
}

// headingLevel reads a style name or id as a heading level.
func headingLevel(name string) int {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	switch {
	case n == "title" || n == "tieude" || n == "tiêuđề" || n == "tựađề":
		return 1
	case n == "subtitle":
		return 2
	}
	for _, p := range []string{"heading", "tieude", "tiêuđề", "đềmục"} {
		if strings.HasPrefix(n, p) && len(n) == len(p)+1 && n[len(p)] >= '1' && n[len(p)] <= '6' {
			return int(n[len(p)] - '0')
		}
	}
	return 0
}

// docxNumbering reports, for each list (numId), whether it is numbered
// rather than bulleted, from its first level's format.
func docxNumbering(d *docxFile) map[string]bool {
	out := map[string]bool{}
	data, err := d.read("word/numbering.xml")
	if err != nil {
		return out
	}
	var doc struct {
		Abstract []struct {
			ID  string `xml:"abstractNumId,attr"`
			Lvl []struct {
				Ilvl   string `xml:"ilvl,attr"`
				NumFmt struct {
					Val string `xml:"val,attr"`
				} `xml:"numFmt"`
			} `xml:"lvl"`
		} `xml:"abstractNum"`
		Num []struct {
			ID       string `xml:"numId,attr"`
			Abstract struct {
				Val string `xml:"val,attr"`
			} `xml:"abstractNumId"`
		} `xml:"num"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return out
	}
	format := map[string]string{}
	for _, a := range doc.Abstract {
		for _, l := range a.Lvl {
			if l.Ilvl == "0" {
				format[a.ID] = l.NumFmt.Val
			}
		}
	}
	for _, n := range doc.Num {
		f := format[n.Abstract.Val]
		out[n.ID] = f != "" && f != "bullet" && f != "none"
	}
	return out
}

// docxRel is a relationship target: a part of the archive or a URL.
type docxRel struct {
	target   string
	external bool
}

func docxRels(d *docxFile) map[string]docxRel {
	out := map[string]docxRel{}
	data, err := d.read("word/_rels/document.xml.rels")
	if err != nil {
		return out
	}
	var doc struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return out
	}
	for _, r := range doc.Rels {
		if r.TargetMode == "External" {
			out[r.ID] = docxRel{target: r.Target, external: true}
		} else {
			out[r.ID] = docxRel{target: path.Clean(path.Join("word", r.Target))}
		}
	}
	return out
}

// docxCore reads docProps/core.xml: its title, and its dates, which are
// the file's and so only a last resort for the article's date.
func docxCore(d *docxFile) meta {
	var m meta
	data, err := d.read("docProps/core.xml")
	if err != nil {
		return m
	}
	var core struct {
		Title    string `xml:"title"`
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if xml.Unmarshal(data, &core) != nil {
		return m
	}
	_ = core.Title // Word keeps a stale title from the template; the text's headline is better
	for _, s := range []string{core.Created, core.Modified} {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil && t.Year() > 1980 {
			m.date, m.hasDay, m.hasTime, m.zoned = t, true, true, true
			m.dateWeak = "the text states no date; used the Word file's creation date"
			break
		}
	}
	return m
}

// docxWalker turns document.xml into blocks.
type docxWalker struct {
	styles   map[string]int
	numbered map[string]bool
	rels     map[string]docxRel
	out      []block
	// the list being collected
	listMD   []string
	listText []string
	listNum  map[string]int
}

func (w *docxWalker) endList() {
	if len(w.listMD) > 0 {
		w.out = append(w.out, block{kind: blockList, md: strings.Join(w.listMD, "\n"), text: strings.Join(w.listText, " ")})
	}
	w.listMD, w.listText, w.listNum = nil, nil, nil
}

// docxPara is one w:p as read.
type docxPara struct {
	style     string
	numID     string
	ilvl      int
	centered  bool
	md, text  strings.Builder
	plainText bool
	images    []string
}

func (w *docxWalker) walk(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var p *docxPara
	// run state
	bold, italic := false, false
	inRunProps, inParaProps := false, false
	var link string
	var linkMD, linkText strings.Builder
	inLink := false
	depth := 0
	var tableRows [][]string
	var row []string
	inCell := 0
	var cellText strings.Builder
	writeRun := func(text string) {
		if p == nil {
			return
		}
		if inCell > 0 {
			cellText.WriteString(text)
		}
		md := mdEscapeInline(text)
		if strings.TrimSpace(text) != "" {
			trimmed := strings.TrimSpace(md)
			lead, trail := "", ""
			if strings.HasPrefix(md, " ") {
				lead = " "
			}
			if strings.HasSuffix(md, " ") {
				trail = " "
			}
			switch {
			case bold && italic:
				md = lead + "***" + trimmed + "***" + trail
			case bold:
				md = lead + "**" + trimmed + "**" + trail
			case italic:
				md = lead + "*" + trimmed + "*" + trail
			default:
				p.plainText = true
			}
		}
		if inLink {
			linkMD.WriteString(md)
			linkText.WriteString(text)
			return
		}
		p.md.WriteString(md)
		p.text.WriteString(text)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 200 {
				return errors.New("nested too deep")
			}
			if t.Name.Space != nsW && t.Name.Local != "blip" && t.Name.Local != "imagedata" {
				continue
			}
			switch t.Name.Local {
			case "tbl":
				w.endList()
				tableRows = nil
			case "tr":
				row = nil
			case "tc":
				inCell++
				cellText.Reset()
			case "p":
				p = &docxPara{}
			case "pPr":
				inParaProps = true
			case "rPr":
				inRunProps = true
			case "pStyle":
				if p != nil && inParaProps {
					p.style = attrVal(t, "val")
				}
			case "numId":
				if p != nil {
					p.numID = attrVal(t, "val")
				}
			case "ilvl":
				if p != nil {
					fmt.Sscan(attrVal(t, "val"), &p.ilvl)
				}
			case "jc":
				if p != nil && inParaProps && !inRunProps && attrVal(t, "val") == "center" {
					p.centered = true
				}
			case "r":
				bold, italic = false, false
			case "b":
				if inRunProps {
					bold = attrVal(t, "val") != "0" && attrVal(t, "val") != "false"
				}
			case "i":
				if inRunProps {
					italic = attrVal(t, "val") != "0" && attrVal(t, "val") != "false"
				}
			case "t":
				var text string
				if err := dec.DecodeElement(&text, &t); err != nil {
					return err
				}
				depth--
				writeRun(cleanText(text))
			case "tab":
				writeRun(" ")
			case "br", "cr":
				if p != nil && attrVal(t, "type") != "page" {
					// a line break inside a paragraph: a new paragraph, as
					// on portals
					w.flushPara(p)
					style, num := p.style, p.numID
					p = &docxPara{style: style, numID: num}
				}
			case "hyperlink":
				if rel, ok := w.rels[attrVal(t, "id")]; ok && rel.external {
					link = rel.target
				}
				inLink = true
				linkMD.Reset()
				linkText.Reset()
			case "blip", "imagedata":
				id := attrVal(t, "embed")
				if id == "" {
					id = attrVal(t, "id")
				}
				if rel, ok := w.rels[id]; ok && !rel.external && p != nil {
					p.images = append(p.images, rel.target)
				}
			}
		case xml.EndElement:
			depth--
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "pPr":
				inParaProps = false
			case "rPr":
				inRunProps = false
			case "hyperlink":
				inLink = false
				if p != nil {
					text := linkText.String()
					p.text.WriteString(text)
					if strings.TrimSpace(text) != "" {
						p.plainText = true
					}
					if isRemote(link) || strings.HasPrefix(link, "mailto:") {
						p.md.WriteString("[" + strings.TrimSpace(stripEmphasis(linkMD.String())) + "](" + linkDest(link) + ")")
					} else {
						p.md.WriteString(linkMD.String())
					}
				}
				link = ""
			case "p":
				if p != nil {
					if inCell > 0 {
						cellText.WriteString(" ")
					} else {
						w.flushPara(p)
					}
				}
				p = nil
			case "tc":
				inCell--
				row = append(row, collapseSpace(cellText.String()))
			case "tr":
				tableRows = append(tableRows, row)
			case "tbl":
				w.table(tableRows)
			}
		}
	}
}

func attrVal(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// flushPara adds a paragraph as a heading, a list item, images or text.
func (w *docxWalker) flushPara(p *docxPara) {
	text := collapseSpace(p.text.String())
	md := collapseMDSpace(p.md.String())
	level := w.styles[p.style]
	if level == 0 {
		level = headingLevel(p.style)
	}
	if p.numID != "" && p.numID != "0" && text != "" && level == 0 {
		if w.listNum == nil {
			w.listNum = map[string]int{}
		}
		key := fmt.Sprintf("%s/%d", p.numID, p.ilvl)
		w.listNum[key]++
		marker := "- "
		pad := strings.Repeat("  ", p.ilvl)
		if w.numbered[p.numID] {
			marker = fmt.Sprintf("%d. ", w.listNum[key])
			pad = strings.Repeat("   ", p.ilvl)
		}
		w.listMD = append(w.listMD, pad+marker+md)
		w.listText = append(w.listText, text)
		return
	}
	w.endList()
	for _, img := range p.images {
		w.out = append(w.out, block{kind: blockImage, image: img})
	}
	if text == "" {
		return
	}
	if level > 0 {
		w.out = append(w.out, block{kind: blockHeading, level: level, text: text, md: stripEmphasis(md)})
		return
	}
	captionLike := p.centered && !p.plainText && len(strings.Fields(text)) <= 40
	w.out = append(w.out, block{kind: blockPara, text: text, md: md, emphasized: !p.plainText, captionLike: captionLike})
}

// table writes a Word table as a GFM table, or its cells as paragraphs
// when it has a single column (a layout box).
func (w *docxWalker) table(rows [][]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width <= 1 {
		for _, r := range rows {
			for _, c := range r {
				if c != "" {
					w.out = append(w.out, block{kind: blockPara, text: c})
				}
			}
		}
		return
	}
	var b strings.Builder
	var all []string
	for i, r := range rows {
		b.WriteByte('|')
		for j := 0; j < width; j++ {
			cell := ""
			if j < len(r) {
				cell = mdEscapeInline(r[j])
				all = append(all, r[j])
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteByte('\n')
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	w.out = append(w.out, block{kind: blockTable, text: strings.Join(all, " "), md: strings.TrimRight(b.String(), "\n")})
}
