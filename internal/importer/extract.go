package importer

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/vi"
)

// review is a field the importer was not sure of, for the editor to check.
type review struct {
	field, value, why string
}

// article is one bulletin with its fields found, ready to write.
type article struct {
	title   string
	date    stamp
	region  string
	slogan  string
	period  *span
	author  string
	source  string
	unit    string
	topics  []string
	draft   bool
	body    []block
	reviews []review
}

func (a *article) review(field, value, why string) {
	a.reviews = append(a.reviews, review{field, value, why})
}

// env is what extraction knows besides the input.
type env struct {
	loc    *time.Location
	places placeFinder // nil: regions are not resolved
	tags   sourceTags
	// unit: the site declares a unit field, so the issuing body is found.
	unit bool
	// fileTime is the input file's modification time, the date of last
	// resort.
	fileTime time.Time
	// now is the import's time, for an input with no date and no file
	// time.
	now time.Time
	// siteRegion is the region most of the site's articles have, for
	// articles that name no place.
	siteRegion string
}

// errNoText is returned for an input with no article in it.
var errNoText = errors.New("no article text found")

var (
	// "...Hồ Chí Minh".Ủy ban": a sentence run into the next
	reGlued = regexp.MustCompile(`([\p{Ll}”")])([.!?])([\p{Lu}][\p{Ll}\p{Mn}])`)
	// "(HG) - ", "(Baohaugiang.com.vn) – " at the start of the lead
	reSourceTag = regexp.MustCompile(`^\(\s*([^()]{1,40}?)\s*\)\s*[-–—:]\s*`)
	// a caption credit: "... (Ảnh: Minh Hùng)", "... Ảnh: MINH HÙNG"
	reCaptionCredit = regexp.MustCompile(`(?i)(?:\(\s*ảnh\s*:[^)]{1,40}\)|[-–.]?\s*ảnh\s*:\s*[\p{Lu}][^.]{0,40})\s*\.?$`)
)

// extract finds an article's fields and cleans its body.
func extract(doc *document, e *env) (*article, error) {
	a := &article{source: doc.meta.source, topics: doc.meta.topics, draft: doc.meta.draft}
	for _, n := range doc.notes {
		a.reviews = append(a.reviews, n)
	}
	blocks := prepareBlocks(doc.blocks)
	blocks = cutChrome(blocks)
	if !hasArticleText(blocks) {
		return nil, errNoText
	}

	// Headline and date line at the head.
	titleIdx, dateIdx, dateSt := analyzeHead(blocks, e.loc, doc.meta.title)
	switch {
	case titleIdx >= 0:
		a.title = stripSiteName(blocks[titleIdx].text)
	case doc.meta.title != "":
		a.title = stripSiteName(doc.meta.title)
	default:
		first := blocks[0].text
		a.title = firstSentence(first)
		a.review("title", a.title, "no headline found; took the first sentence")
	}
	if a.title == "" {
		return nil, errNoText
	}
	// The page's own metadata, else the date line at the head, else one
	// near the end, else the file's dates (a Word file's creation date,
	// the file's modification time), which need review.
	switch {
	case doc.meta.hasDay && doc.meta.dateWeak == "":
		a.date = stamp{t: doc.meta.date, hasTime: doc.meta.hasTime, zoned: doc.meta.zoned}
	case dateIdx >= 0:
		a.date = dateSt
	case doc.meta.hint != nil:
		a.date = *doc.meta.hint
	default:
		if st, idx, ok := dateAnywhere(blocks, e.loc); ok {
			a.date = st
			a.review("date", st.frontMatter(), fmt.Sprintf("taken from a date line far from the headline (%q)", clip(blocks[idx].text, 40)))
			blocks = removeBlock(blocks, idx, &titleIdx)
		} else if doc.meta.hasDay {
			a.date = stamp{t: doc.meta.date.In(e.loc), hasTime: doc.meta.hasTime}
			a.review("date", a.date.frontMatter(), doc.meta.dateWeak)
		} else {
			t := e.fileTime
			if t.IsZero() {
				t = e.now
			}
			a.date = stamp{t: t.In(e.loc), hasTime: true}
			a.review("date", a.date.frontMatter(), "the text states no date; used the file's modification time")
		}
	}
	if a.date.zoned {
		a.date.t = a.date.t.In(e.loc) // "2024-02-29T18:30:00Z" as the site's readers see it
	}
	blocks = dropHead(blocks, titleIdx, dateIdx, a.title)
	// Links to other pages ("Xem thêm: ...", lists of related news); the
	// headline, which portals often make a link, is out of blocks by now.
	kept := blocks[:0]
	for _, b := range blocks {
		if b.linkShare > 0.7 && (b.kind == blockList || len(strings.Fields(b.text)) <= 40) {
			continue
		}
		kept = append(kept, b)
	}
	blocks = kept

	// The lead and its source tag.
	tag := ""
	lead := -1
	for i, b := range blocks {
		// a paragraph, or a lead set as a subheading (many portals put
		// the sapo in an <h2>)
		if b.kind == blockPara && !b.captionLike || b.kind == blockHeading && wordCount(b.text) >= 12 {
			lead = i
			break
		}
	}
	if lead >= 0 {
		if m := reSourceTag.FindStringSubmatch(blocks[lead].text); m != nil && plausibleTag(m[1]) {
			tag = m[1]
			blocks[lead].text = strings.TrimSpace(blocks[lead].text[len(m[0]):])
			blocks[lead].md = ""
		}
	}

	blocks = a.findAuthor(blocks, doc.meta.author)
	blocks = captions(blocks)
	a.body = blocks

	leadText := ""
	if lead >= 0 && lead < len(blocks) {
		leadText = blocks[lead].text
	}
	a.findRegion(e, tag, leadText)
	a.findSlogan(blocks, lead)
	a.findPeriod(blocks, lead)
	if e.unit {
		a.unit = issuingBody(leadText)
	}
	return a, nil
}

// prepareBlocks collapses white space, fixes sentences run together and
// drops empty blocks and portal chrome found anywhere.
func prepareBlocks(in []block) []block {
	out := make([]block, 0, len(in))
	for _, b := range in {
		b.text = collapseSpace(b.text)
		b.caption = collapseSpace(b.caption)
		if b.kind == blockPara || b.kind == blockHeading {
			if fixed := reGlued.ReplaceAllString(b.text, "$1$2 $3"); fixed != b.text {
				b.text, b.md = fixed, ""
			}
		}
		if b.kind == blockImage {
			out = append(out, b)
			continue
		}
		if b.text == "" || (b.kind == blockPara || b.kind == blockHeading) && isNoise(b.text) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// cutChrome ends the article at the first line that closes it ("Tin cùng
// chuyên mục", "Viết bình luận") and cuts out related-link boxes.
func cutChrome(in []block) []block {
	out := make([]block, 0, len(in))
	seenText := false
	for i := 0; i < len(in); i++ {
		b := in[i]
		if b.kind == blockPara || b.kind == blockHeading {
			if seenText && isEnd(b.text) {
				break
			}
			if isRelated(b.text) {
				// Skip the box: short title-like lines after it. If no long
				// paragraph follows, the article is over.
				j := i + 1
				for j < len(in) && (in[j].kind == blockList || in[j].kind != blockImage && len(strings.Fields(in[j].text)) < 30 && !endsSentence(in[j].text)) {
					j++
				}
				if seenText && j >= len(in) {
					break
				}
				i = j - 1
				continue
			}
			if len(strings.Fields(b.text)) >= 12 {
				seenText = true
			}
		}
		out = append(out, b)
	}
	return out
}

// hasArticleText reports whether blocks hold a paragraph of prose.
func hasArticleText(blocks []block) bool {
	words := 0
	for _, b := range blocks {
		if b.kind == blockPara || b.kind == blockList || b.kind == blockQuote {
			words += len(strings.Fields(b.text))
		}
	}
	return words >= 20
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " ”\"'»)")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…")
}

// headlineLike reports a line that can be a headline: a few words, not a
// sentence ending in a full stop, not chrome.
func headlineLike(b block, loc *time.Location) bool {
	if b.kind != blockPara && b.kind != blockHeading {
		return false
	}
	n := len(strings.Fields(b.text))
	if n < 3 || n > 50 || b.captionLike {
		return false
	}
	if _, ok := dateLine(b.text, loc); ok {
		return false
	}
	if isPageTitle(b.text) || isBreadcrumb(b.text) || reSourceTag.MatchString(b.text) {
		return false
	}
	t := strings.TrimRight(b.text, " ")
	if b.kind != blockHeading && (strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "...") || strings.HasSuffix(t, ":") || strings.HasSuffix(t, ";") || strings.HasSuffix(t, ",")) {
		return false
	}
	return true
}

// headWindow is how many blocks from the top may hold the headline.
const headWindow = 12

// analyzeHead finds the headline and the date line among the first blocks:
// the headline is the heading-like line next to the date line, or the
// first heading-like line before the text starts.
func analyzeHead(blocks []block, loc *time.Location, metaTitle string) (titleIdx, dateIdx int, st stamp) {
	titleIdx, dateIdx = -1, -1
	n := min(len(blocks), headWindow)
	for i := 0; i < n; i++ {
		if s, ok := dateLine(blocks[i].text, loc); ok && (blocks[i].kind == blockPara || blocks[i].kind == blockHeading) {
			dateIdx, st = i, s
			break
		}
	}
	// A heading that the page marked up, matching its meta title if any.
	metaFold := vi.Fold(stripSiteName(metaTitle))
	for i := 0; i < n; i++ {
		b := blocks[i]
		if b.kind != blockHeading || !headlineLike(b, loc) {
			continue
		}
		if metaFold == "" || similar(vi.Fold(b.text), metaFold) >= 0.5 {
			return i, dateIdx, st
		}
	}
	if metaFold != "" {
		for i := 0; i < n; i++ {
			if headlineLike(blocks[i], loc) && similar(vi.Fold(blocks[i].text), metaFold) >= 0.6 {
				return i, dateIdx, st
			}
		}
	}
	longPara := func(i int) bool { return len(strings.Fields(blocks[i].text)) >= 40 }
	if dateIdx >= 0 {
		back := -1
		for i := dateIdx - 1; i >= 0; i-- {
			if headlineLike(blocks[i], loc) {
				back = i
				break
			}
			if longPara(i) {
				break
			}
		}
		fwd := -1
		for i := dateIdx + 1; i < n && !longPara(i); i++ {
			if headlineLike(blocks[i], loc) {
				fwd = i
				break
			}
		}
		switch {
		case back >= 0 && (fwd < 0 || wordCount(blocks[back].text) >= 5 || wordCount(blocks[fwd].text) < 5):
			return back, dateIdx, st
		case fwd >= 0:
			return fwd, dateIdx, st
		}
	}
	for i := 0; i < n && !longPara(i); i++ {
		if !headlineLike(blocks[i], loc) {
			continue
		}
		// A section label ("Thi đua - Khen thưởng") above the headline.
		if wordCount(blocks[i].text) < 5 && i+1 < n && headlineLike(blocks[i+1], loc) && wordCount(blocks[i+1].text) >= 6 {
			return i + 1, dateIdx, st
		}
		return i, dateIdx, st
	}
	return -1, dateIdx, st
}

// wordCount counts the words of s that have a letter or a digit.
func wordCount(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		if strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			n++
		}
	}
	return n
}

// dateAnywhere finds a date line near the end of the article ("Ngày đăng:"
// under the text), when none was at its head.
func dateAnywhere(blocks []block, loc *time.Location) (stamp, int, bool) {
	for i := len(blocks) - 1; i >= max(0, len(blocks)-6); i-- {
		if st, ok := dateLine(blocks[i].text, loc); ok {
			return st, i, true
		}
	}
	return stamp{}, -1, false
}

func removeBlock(blocks []block, i int, keep *int) []block {
	if *keep > i {
		*keep--
	} else if *keep == i {
		*keep = -1
	}
	return append(blocks[:i:i], blocks[i+1:]...)
}

// dropHead removes the page chrome before the headline, the headline and
// the date line, and any repeat of the headline.
func dropHead(blocks []block, titleIdx, dateIdx int, title string) []block {
	out := make([]block, 0, len(blocks))
	titleFold := vi.Fold(title)
	for i, b := range blocks {
		switch {
		case i == titleIdx || i == dateIdx:
			continue
		case i < titleIdx && len(strings.Fields(b.text)) < 40:
			continue // chrome above the headline
		case (b.kind == blockPara || b.kind == blockHeading) && i < headWindow && (isPageTitle(b.text) || isBreadcrumb(b.text)):
			continue
		case b.kind != blockImage && vi.Fold(stripSiteName(b.text)) == titleFold:
			continue
		}
		out = append(out, b)
	}
	return out
}

// plausibleTag reports a source tag: a few capitals ("HG", "BR-VT") or a
// site's name ("Baohaugiang.com.vn", "Chinhphu.vn").
func plausibleTag(s string) bool {
	if strings.Contains(s, ".") && !strings.Contains(s, " ") {
		return true
	}
	first, _ := utf8.DecodeRuneInString(s)
	return utf8.RuneCountInString(s) <= 8 && unicode.IsUpper(first) && !strings.Contains(s, " ")
}

// findAuthor takes the byline off the end of the article (or under the
// headline), falling back to the input's own author.
func (a *article) findAuthor(blocks []block, metaAuthor string) []block {
	for i := len(blocks) - 1; i >= max(0, len(blocks)-3); i-- {
		b := blocks[i]
		if b.kind != blockPara {
			continue
		}
		if name, ok := byline(b.text); ok {
			a.author = name
			return append(blocks[:i:i], blocks[i+1:]...)
		}
		if len(strings.Fields(b.text)) > 8 {
			if rest, name, ok := gluedByline(b.text); ok && i == len(blocks)-1 {
				a.author = name
				a.review("author", name, "split off the end of the last paragraph")
				blocks[i].text, blocks[i].md = rest, ""
				return blocks
			}
			break
		}
	}
	// "Tác giả: ..." or a name line just under the headline.
	for i := 0; i < min(len(blocks), 3); i++ {
		if m := reBylinePrefix.FindStringSubmatch(blocks[i].text); m != nil {
			if name, ok := byline(blocks[i].text); ok {
				a.author = name
				return append(blocks[:i:i], blocks[i+1:]...)
			}
		}
	}
	if metaAuthor != "" {
		a.author = metaAuthor
	}
	return blocks
}

// captions turns photo captions into figure captions: a short line saved
// twice (the image's alt text, then its caption), a short line with a
// photo credit, or the styled line after an image.
func captions(blocks []block) []block {
	out := make([]block, 0, len(blocks))
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		short := func(x block) bool { return x.kind == blockPara && len(strings.Fields(x.text)) <= 45 }
		switch {
		case b.kind == blockImage && b.caption == "" && i+1 < len(blocks) && short(blocks[i+1]) &&
			(blocks[i+1].captionLike || blocks[i+1].emphasized || reCaptionCredit.MatchString(blocks[i+1].text)):
			b.caption = blocks[i+1].text
			i++
		case b.kind == blockImage && b.caption == "" && len(out) > 0 && out[len(out)-1].captionLike && short(out[len(out)-1]):
			b.caption = out[len(out)-1].text
			out = out[:len(out)-1]
		case short(b) && i+1 < len(blocks) && short(blocks[i+1]) && similar(vi.Fold(b.text), vi.Fold(blocks[i+1].text)) >= 0.7:
			// the alt text and the caption of a photo the export lost
			next := blocks[i+1]
			if i+2 < len(blocks) && blocks[i+2].kind == blockImage && blocks[i+2].caption == "" {
				img := blocks[i+2]
				img.caption = next.text
				out = append(out, img)
				i += 2
				continue
			}
			if len(out) > 0 && out[len(out)-1].kind == blockImage && out[len(out)-1].caption == "" {
				out[len(out)-1].caption = next.text
			} else {
				out = append(out, block{kind: blockCaption, text: next.text})
			}
			i++
			continue
		case short(b) && (b.captionLike || reCaptionCredit.MatchString(b.text) && len(strings.Fields(b.text)) <= 30):
			b.kind = blockCaption
		}
		out = append(out, b)
	}
	return out
}

// similar is the Jaccard similarity of the word sets of a and b.
func similar(a, b string) float64 {
	wa, wb := map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(a) {
		wa[strings.Trim(w, ".,:;!?“”\"()")] = true
	}
	for _, w := range strings.Fields(b) {
		wb[strings.Trim(w, ".,:;!?“”\"()")] = true
	}
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	both := 0
	for w := range wa {
		if wb[w] {
			both++
		}
	}
	return float64(both) / float64(len(wa)+len(wb)-both)
}

func firstSentence(s string) string {
	for i, r := range s {
		if (r == '.' || r == '!' || r == '?') && i > 20 {
			return strings.TrimSpace(s[:i])
		}
	}
	if utf8.RuneCountInString(s) > 120 {
		r := []rune(s)
		return strings.TrimSpace(string(r[:120])) + "…"
	}
	return s
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// findSlogan picks the quoted slogan: the quote most plainly introduced
// as a slogan, campaign or theme, the headline's and the lead's first.
func (a *article) findSlogan(blocks []block, lead int) {
	var all []sloganCandidate
	all = append(all, scoreQuotes(a.title, 6, 0)...)
	for i, b := range blocks {
		if b.kind == blockImage || b.kind == blockCaption {
			continue
		}
		bonus := 0.0
		if i == lead {
			bonus = 2
		}
		all = append(all, scoreQuotes(b.text, bonus, i+1)...)
	}
	if len(all) == 0 {
		return
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].order < all[j].order
	})
	best := all[0]
	if best.score < 2 {
		return
	}
	a.slogan = strings.TrimRight(best.text, ",;: ")
	if best.score < 6 {
		a.review("slogan", a.slogan, "the quote is not introduced as a slogan, campaign or theme")
	} else if len(all) > 1 && all[1].score >= best.score-0.5 && all[1].text != best.text {
		a.review("slogan", a.slogan, fmt.Sprintf("also quoted: %q", clip(all[1].text, 60)))
	}
}

// findPeriod picks the campaign period: the one the text states as the
// campaign's time, else the headline's, else the most cited.
func (a *article) findPeriod(blocks []block, lead int) {
	published := content.DayOf(a.date.t)
	type scored struct {
		span  span
		score float64
		seen  int
	}
	var all []*scored
	add := func(cands []periodCandidate, bonus float64) {
		for _, c := range cands {
			found := false
			for _, s := range all {
				if s.span.start == c.span.start && s.span.end == c.span.end {
					s.seen++
					s.score = max(s.score, c.score+bonus)
					found = true
				}
			}
			if !found {
				all = append(all, &scored{span: c.span, score: c.score + bonus, seen: 1})
			}
		}
	}
	add(findPeriods(a.title, published), 8)
	for i, b := range blocks {
		if b.kind == blockImage || b.kind == blockCaption {
			continue
		}
		bonus := -0.05 * float64(i)
		if i == lead {
			bonus = 2
		}
		add(findPeriods(b.text, published), bonus)
	}
	if len(all) == 0 {
		return
	}
	for _, s := range all {
		s.score += float64(min(s.seen-1, 4))
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	best := all[0]
	if best.score < 3 {
		return
	}
	p := best.span
	a.period = &p
	switch {
	case p.fromNow:
		a.review("period", p.label(), "\"từ nay\" (from now) taken as the article's date")
	case best.score < 7:
		a.review("period", p.label(), "not stated as the campaign's time")
	}
}

// findRegion files the article under the place it is about: a place in
// the headline (inside the source tag's province, if there is one), else
// the source tag's province, else the first place of the lead, else the
// place the text names most, else the site's most common region.
func (a *article) findRegion(e *env, tag, lead string) {
	at := a.date.t
	var tagPlace *place
	tagName := ""
	if tag != "" {
		tagName = e.tags[strings.ToUpper(tag)]
	}
	if e.places == nil {
		// No gazetteer: only the source tag can name the region.
		a.region = tagName
		if a.region == "" {
			a.fallbackRegion(e)
		}
		return
	}
	if tagName != "" {
		if p, ok := e.places.resolve(tagName, at); ok {
			tagPlace = &p
		}
	}
	consistent := func(p place) bool {
		return tagPlace == nil || e.places.within(p, *tagPlace, at) || e.places.within(*tagPlace, p, at)
	}
	leadPlaces := e.places.find(lead, at, tagPlace)
	for _, m := range e.places.find(a.title, at, tagPlace) {
		if len(m.others) > 0 {
			m.place = settle(m, leadPlaces)
		}
		if !consistent(m.place) {
			continue
		}
		if tagPlace != nil && tagPlace.depth > m.place.depth && e.places.within(*tagPlace, m.place, at) {
			a.region = tagPlace.field // the tag is more precise
		} else {
			a.region = m.place.field
		}
		return
	}
	if tagPlace != nil {
		a.region = tagPlace.field
		return
	}
	for _, m := range leadPlaces {
		if venue(lead[:m.start]) {
			continue
		}
		a.region = m.place.field
		a.review("region", a.region, "guessed from the first paragraph")
		return
	}
	type tally struct {
		field        string
		count, first int
	}
	var counts []*tally
	seen := 0
	for _, b := range a.body {
		if b.kind == blockImage {
			continue
		}
		for _, m := range e.places.find(b.text, at, nil) {
			found := false
			for _, t := range counts {
				if t.field == m.place.field {
					t.count++
					found = true
				}
			}
			if !found {
				counts = append(counts, &tally{field: m.place.field, count: 1, first: seen})
			}
			seen++
		}
	}
	var best *tally
	for _, t := range counts {
		if best == nil || t.count > best.count {
			best = t
		}
	}
	if best != nil {
		a.region = best.field
		a.review("region", best.field, "guessed from the places the text names")
		return
	}
	a.fallbackRegion(e)
}

// settle picks which of the places an ambiguous name means from the lead,
// where the same name may be written with its kind word ("Long Mỹ" in the
// headline, "Thị xã Long Mỹ" in the lead).
func settle(m mention, lead []mention) place {
	for _, l := range lead {
		if len(l.others) > 0 {
			continue
		}
		for _, c := range append([]place{m.place}, m.others...) {
			if l.place.id == c.id {
				return c
			}
		}
	}
	return m.place
}

// fallbackRegion files an article that names no place under the site's
// most common region (or a placeholder in an empty site), for review.
func (a *article) fallbackRegion(e *env) {
	if e.siteRegion != "" {
		a.region = e.siteRegion
		a.review("region", a.region, "no place found; filed under the site's most common region")
		return
	}
	a.region = regionFallback
	a.review("region", a.region, "no place found; set the region")
}

// regionFallback is written when no place is found, so that the article
// still builds; the review line asks the editor to fix it.
const regionFallback = "Chưa rõ khu vực"

// venue reports text ending in a word that introduces where something
// happened ("tại", "ở"), not who did it.
func venue(before string) bool {
	w := strings.Fields(strings.ToLower(before))
	if len(w) == 0 {
		return false
	}
	last := w[len(w)-1]
	if len(w) >= 2 && (last == "tp" || last == "thành" || last == "huyện" || last == "tỉnh" || last == "xã" || last == "phường" || last == "thị") {
		last = w[len(w)-2]
		if (last == "phố" || last == "xã") && len(w) >= 3 {
			last = w[len(w)-3]
		}
	}
	switch last {
	case "tại", "ở", "đến", "về", "từ", "thăm":
		return true
	}
	return false
}

// reIssuer finds the body that issued or launched what the lead reports:
// "UBND tỉnh vừa ban hành", "Ban Thường vụ Thành ủy Ngã Bảy vừa phát động".
var reIssuer = regexp.MustCompile(`(?:^|[\s,;:(])((?:UBND|Ủy ban nhân dân|Ủy ban MTTQ|Ban Thường vụ|Ban Chấp hành|Ban Tuyên giáo|Ban Dân vận|Thường trực|Tỉnh ủy|Thành ủy|Huyện ủy|Thị ủy|Đảng ủy|Hội đồng Thi đua|Hội đồng|Sở|Hội|Liên đoàn|Tỉnh đoàn|Thành đoàn|Huyện đoàn|Đoàn|Mặt trận|Công an|Bộ Chỉ huy|Bộ|Cục|Chi cục|Trung tâm|Công đoàn|Liên minh|Văn phòng|Ngân hàng|Trường)(?:\s+[\p{L}\p{Mn}\d-]+){0,10}?)\s+(?:vừa|đã|chính thức|long trọng|tổ chức|ban hành|phát động|triển khai|phối hợp|có kế hoạch|đề ra)(?:\s|$|[,.])`)

// issuingBody finds the unit in the lead.
func issuingBody(lead string) string {
	for _, m := range reIssuer.FindAllStringSubmatch(lead, -1) {
		u := strings.TrimSpace(m[1])
		f := vi.Fold(u)
		if strings.HasPrefix(f, "hoi nghi") || strings.HasPrefix(f, "hoi thi") || strings.HasPrefix(f, "hoi thao") {
			continue
		}
		return u
	}
	return ""
}
