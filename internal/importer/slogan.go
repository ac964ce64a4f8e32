package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/vi"
)

// quoteSpan is a quoted phrase: the text between its quote marks and
// where it sits in its paragraph.
type quoteSpan struct {
	text       string
	start, end int // byte offsets of the quoted text, without the marks
}

// quotes lists the quoted phrases of s, inner ones too: curly quotes nest,
// straight quotes pair in turn, « » and „ " are read like curly ones.
func quotes(s string) []quoteSpan {
	var out []quoteSpan
	var stack []int
	straight := -1
	for i, r := range s {
		switch r {
		case '“', '«', '„':
			stack = append(stack, i+utf8.RuneLen(r))
		case '”', '»':
			if len(stack) > 0 {
				open := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				out = append(out, quoteSpan{text: s[open:i], start: open, end: i})
			}
		case '"':
			if straight < 0 {
				straight = i + 1
			} else {
				out = append(out, quoteSpan{text: s[straight:i], start: straight, end: i})
				straight = -1
			}
		}
	}
	return out
}

// Words before a quote, folded, and how strongly they make it the
// campaign's slogan; negative ones name awards, documents or speech.
var sloganCues = []cue{
	{"khau hieu", 10}, {"thong diep", 8}, {"chu de", 8}, {"phuong cham", 8}, {"cuoc van dong", 8},
	{"phong trao thi dua", 8}, {"phong trao", 7}, {"dot thi dua", 7}, {"chien dich", 7}, {"thi dua", 5}, {"chuong trinh", 5},
	{"ten goi", 5}, {"cuoc thi", 4}, {"hoi thi", 4}, {"chuyen de", 4}, {"tinh than", 4}, {"mo hinh", 3},
	{"hoat dong", 2}, {"phat dong", 2}, {"huong ung", 3}, {"voi", 1},
	{"danh hieu", -6}, {"bang khen", -5}, {"giay khen", -5}, {"co thi dua", -5}, {"giai thuong", -3},
	{"nghi quyet", -2}, {"bai viet", -4}, {"cuon sach", -4}, {"tac pham", -4}, {"bao cao", -2},
}

// reSpeechAfter finds the attribution after a quoted remark.
var reSpeechAfter = regexp.MustCompile(`(?i)^[”"»]?\s*[,.–-]?\s*(?:[^.,;“”"]{0,60}?\s)?(?:nói|cho biết|yêu cầu|kêu gọi|nhấn mạnh|khẳng định|chia sẻ|phát biểu|bày tỏ|đề nghị|nhận định|cho rằng|tâm sự|phấn khởi|nhắn nhủ)(?:\s|$|[,.:;])`)

// sloganCandidate is a quoted phrase with how likely it is the slogan.
type sloganCandidate struct {
	text  string
	score float64
	order int
}

// scoreQuotes scores each quoted phrase of one paragraph. bonus is added
// for the paragraph's place (the title, the lead).
func scoreQuotes(para string, bonus float64, order int) []sloganCandidate {
	var out []sloganCandidate
	for _, q := range quotes(para) {
		text := collapseSpace(q.text)
		words := len(strings.Fields(text))
		if words < 2 || words > 45 || !strings.ContainsFunc(text, unicode.IsLetter) {
			continue
		}
		if speech(text, para[q.end:min(len(para), q.end+160)]) {
			continue
		}
		before := para[max(0, q.start-60):q.start]
		// Do not read cues across a sentence end.
		if i := strings.LastIndexAny(before, ".;!?"); i >= 0 && i < len(before)-2 {
			before = before[i+1:]
		}
		ctx := vi.Fold(before)
		score := bonus + cueScore(ctx, sloganCues, 60)
		if words == 2 && score < 7 {
			continue
		}
		// A sentence with its own full stops inside is a remark, not a
		// slogan.
		if strings.Count(strings.TrimRight(text, ".…!"), ". ") > 0 {
			score -= 4
		}
		out = append(out, sloganCandidate{text: strings.TrimSpace(text), score: score, order: order*1000 + q.start})
	}
	return out
}

// speech reports a quoted remark: first person, or followed by who said it.
func speech(text, after string) bool {
	lower := " " + strings.ToLower(text) + " "
	for _, w := range []string{" tôi ", " chúng tôi ", " chúng ta ", " mình ", " em ", " bà con "} {
		if strings.Contains(lower, w) && len(strings.Fields(text)) > 6 {
			return true
		}
	}
	if len(strings.Fields(text)) > 8 && reSpeechAfter.MatchString(after) {
		return true
	}
	return false
}

// cueScore weighs the cues found in ctx, the folded text just before a
// phrase, nearer ones more: the strongest positive cue counts (overlapping
// cues such as "phong trào thi đua" and "thi đua" are not added up), and a
// negative one only right before the phrase ("nhiệm kỳ 2025-2030" is a
// term of office, but a campaign "của nhiệm kỳ" may still be stated after).
func cueScore(ctx string, cues []cue, window float64) float64 {
	best, neg := 0.0, 0.0
	for _, c := range cues {
		i := strings.LastIndex(ctx, c.words)
		if i < 0 {
			continue
		}
		gap := len(ctx) - i - len(c.words)
		w := c.weight * (1.1 - min(float64(gap)/window, 1)*0.6)
		switch {
		case w > 0:
			best = max(best, w)
		case gap <= 20:
			neg += w
		}
	}
	return best + neg
}

// cue is a phrase, folded, and how much it says about what follows it.
type cue struct {
	words  string
	weight float64
}
