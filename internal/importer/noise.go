package importer

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/bantin/bantin/internal/vi"
)

// Portal chrome that ends up in saved pages and text exports, matched on
// the folded line (no diacritics, lowercase, outer punctuation trimmed).

// noiseLines are whole lines that are never article text.
var noiseLines = map[string]bool{
	"in bai": true, "in trang": true, "ban in": true, "in": true, "gui email": true, "gui bai": true, "gui mail": true,
	"email": true, "chia se": true, "chia se bai viet": true, "chia se qua": true, "quay lai": true, "tro ve": true,
	"tro lai": true, "len dau trang": true, "ve dau trang": true, "dau trang": true, "co chu": true, "a a a": true,
	"a- a a+": true, "a a+": true, "nghe doc bai": true, "nghe bai viet": true, "nghe doc": true, "facebook": true,
	"twitter": true, "zalo": true, "print": true, "tweet": true, "like": true, "share": true, "thich": true,
	"luu bai": true, "luu bai viet": true, "copy link": true, "sao chep lien ket": true, "bookmark": true,
	"ban chua co du quyen truy nhap portlet nay": true, "danh gia bai viet": true, "top": true,
	"trang chu": true, "home": true, "dong": true, "close": true, "gop y": true, "phong chu": true,
	"xem anh": true, "xem video": true, "xem phong to": true, "bai viet": true, "chi tiet": true,
	"chi tiet tin": true, "tin chi tiet": true, "chi tiet tin tuc": true, "tin tuc": true, "noi dung": true,
}

// endLines end an article: what follows them is other articles, comments
// and the page footer.
var endLines = map[string]bool{
	"tin cung chuyen muc": true, "cac tin khac": true, "tin khac": true, "cung chuyen muc": true,
	"viet binh luan": true, "viet binh luan moi": true, "gui binh luan": true, "y kien ban doc": true,
	"binh luan": true, "phan hoi": true, "gui phan hoi": true, "ban doc binh luan": true, "cac bai viet khac": true,
	"tin bai khac": true, "tin da dua": true, "cac tin da dua": true, "tin moi hon": true, "tin cu hon": true,
	"tin tiep theo": true, "tin moi": true, "tin moi nhat": true, "moi nhat": true, "xem nhieu nhat": true,
	"doc nhieu nhat": true, "tin doc nhieu": true, "tin xem nhieu": true, "cac tin bai khac": true,
	"bai viet khac": true, "tin tuc khac": true, "cac tin tuc khac": true, "tin cung loai": true,
	"y kien cua ban": true, "binh luan cua ban": true, "dang nhap de binh luan": true,
}

// relatedLines open a box of links to other articles; inside an article it
// is cut out, at its end it ends the article.
var relatedLines = map[string]bool{
	"tin lien quan": true, "bai lien quan": true, "bai viet lien quan": true, "tin bai lien quan": true,
	"xem them": true, "xem them >>": true, "doc them": true, "co the ban quan tam": true, "ban co the quan tam": true,
	"tin cung su kien": true, "cac tin lien quan": true,
}

var (
	// "Lượt xem: 1.250", "Đang online: 2", "Hôm nay: 1050"
	reCounter = regexp.MustCompile(`^(?:luot xem|so luot xem|da xem|luot doc|luot truy cap|dang online|dang truy cap|hom nay|hom qua|da truy cap|tong truy cap|tong so truy cap|truy cap|online|trong thang|trong tuan|tong luot)\s*:?\s*[\d.,]+$`)
	// "… - Ảnh 1.", "Ảnh 2": an image's alt text saved in place of it
	reImageMarker = regexp.MustCompile(`(?i)(?:^|\s[-–—]\s)ảnh\s*\d+\s*\.?$`)
	// "Tags: a, b", "Từ khóa: a, b"
	reTagsLine = regexp.MustCompile(`^(?:tags?|tu khoa|the|chu de)\s*:`)
	// "Trang chủ > Tin tức > Thi đua"
	reBreadcrumb = regexp.MustCompile(`^[^>»/|]{1,40}(?:\s*[>»›/|]\s*[^>»›/|]{1,60}){1,6}$`)
)

// foldLine folds a line for matching against the lists above.
func foldLine(s string) string {
	f := vi.Fold(collapseSpace(s))
	return strings.TrimFunc(f, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '>' && r != '+'
	})
}

// isNoise reports a line that is portal chrome wherever it stands.
func isNoise(text string) bool {
	f := foldLine(text)
	if f == "" {
		return true
	}
	if noiseLines[f] || reCounter.MatchString(f) || reImageMarker.MatchString(text) {
		return true
	}
	// a row of share buttons: "Facebook Twitter Zalo"
	words := strings.Fields(f)
	if len(words) > 1 && len(words) <= 8 {
		for _, w := range words {
			if !shareWords[w] {
				return false
			}
		}
		return true
	}
	return false
}

// shareWords are the labels of share and print buttons.
var shareWords = map[string]bool{"facebook": true, "twitter": true, "zalo": true, "email": true, "print": true,
	"in": true, "chia": true, "se": true, "share": true, "tweet": true, "like": true, "linkedin": true,
	"pinterest": true, "telegram": true, "messenger": true, "copy": true, "link": true, "gui": true, "bai": true,
	"luu": true, "x": true, "|": true, "-": true, "google": true, "youtube": true, "0": true}

// isEnd reports a line after which the article is over.
func isEnd(text string) bool {
	f := foldLine(text)
	return endLines[f] || reTagsLine.MatchString(f) && len(strings.Fields(f)) <= 25
}

// isRelated reports the heading of a related-links box.
func isRelated(text string) bool {
	f := strings.TrimRight(foldLine(text), " >:")
	return relatedLines[f]
}

// isBreadcrumb reports a navigation trail.
func isBreadcrumb(text string) bool {
	f := foldLine(text)
	if strings.HasPrefix(f, "trang chu") && len(strings.Fields(f)) <= 16 {
		return true
	}
	return strings.ContainsAny(text, ">»›") && reBreadcrumb.MatchString(text) && !strings.ContainsAny(text, ".,;")
}

// isPageTitle reports a page title that is not the headline: "Chi tiết tin
// tức - Sở Khoa học công nghệ".
func isPageTitle(text string) bool {
	f := foldLine(text)
	for _, p := range []string{"chi tiet tin", "chi tiet bai", "tin chi tiet", "xem tin", "tin tuc - ", "tin tuc | ", "noi dung tin", "chi tiet"} {
		if strings.HasPrefix(f, p) && len(strings.Fields(f)) <= 16 {
			return true
		}
	}
	return false
}

// siteNameWords mark the site's name after a title's separator.
var siteNameWords = []string{"bao ", "cong thong tin", "cong ttdt", "trang thong tin", "trang tin", "so ", "ubnd", "uy ban",
	"website", "portal", "online", ".vn", ".com", "dien tu", "tap chi", "dai phat thanh", "truyen hinh", "tinh uy", "thanh uy",
	"huyen uy", "hoi dong", "ban thi dua", "tin tuc"}

// stripSiteName removes a site's name from a page title: "Hậu Giang phát
// động thi đua - Báo Hậu Giang" -> "Hậu Giang phát động thi đua".
func stripSiteName(title string) string {
	return stripSiteNameN(collapseSpace(title), 3)
}

// stripSiteNameN strips at most n trailing site names.
func stripSiteNameN(title string, n int) string {
	if n == 0 || len(title) > 400 {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " » "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		left, right := title[:i], title[i+len(sep):]
		rf := " " + vi.Fold(right)
		isSite := false
		for _, w := range siteNameWords {
			if strings.Contains(rf, " "+w) || strings.Contains(rf, w) && strings.HasPrefix(w, ".") {
				isSite = true
				break
			}
		}
		if isSite && len(strings.Fields(left)) >= 3 && len(strings.Fields(right)) <= 10 {
			return stripSiteNameN(left, n-1)
		}
	}
	// "Chi tiết tin: ..." prefixes
	if i := strings.IndexByte(title, ':'); i > 0 {
		switch vi.Fold(title[:i]) {
		case "chi tiet tin", "chi tiet tin tuc", "tin tuc", "xem tin", "chi tiet":
			return strings.TrimSpace(title[i+1:])
		}
	}
	return title
}
