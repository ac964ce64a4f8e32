// Package corpus generates deterministic sites of synthetic Vietnamese
// campaign bulletins, of any size, for benchmarks and load tests. Article i
// depends only on the seed and i, so a corpus of 1,000 is the first 1,000
// articles of a corpus of 10,000.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Word pools. Places are real provinces and towns; every sentence is built
// here from these parts.
var (
	provinces = []string{"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Thành phố Hồ Chí Minh",
		"Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Trị", "Quảng Ngãi",
		"Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp",
		"Cà Mau", "An Giang", "Cao Bằng", "Điện Biên", "Hà Tĩnh", "Lai Châu", "Lạng Sơn", "Nghệ An",
		"Quảng Ninh", "Thanh Hóa", "Sơn La", "Tuyên Quang"}
	towns = []string{"Ngã Bảy", "Vị Thanh", "Long Mỹ", "Phụng Hiệp", "Sa Đéc", "Châu Đốc", "Hội An",
		"Đà Lạt", "Móng Cái", "Hạ Long", "Cam Ranh", "Sầm Sơn", "Cửa Lò", "Bảo Lộc", "Tân Châu"}
	topics = []string{"Thi đua khen thưởng", "Nông thôn mới", "Chuyển đổi số", "Cải cách hành chính",
		"Giảm nghèo bền vững", "An sinh xã hội", "Giáo dục", "Y tế cơ sở", "Văn hóa", "Thể thao",
		"Quốc phòng", "An ninh trật tự", "Môi trường", "Xây dựng Đảng", "Dân vận khéo", "Khởi nghiệp",
		"Đô thị văn minh", "Giao thông", "Phòng chống thiên tai", "Doanh nghiệp", "Công đoàn",
		"Đoàn Thanh niên", "Hội Phụ nữ", "Hội Nông dân", "Cựu chiến binh", "Khuyến học", "Sản phẩm OCOP",
		"Du lịch cộng đồng", "Khoa học công nghệ", "Sáng kiến kinh nghiệm"}
	slogans = []string{"Cam kết mạnh mẽ, hành động quyết liệt", "Sáng kiến, đổi mới, sáng tạo",
		"Đoàn kết, kỷ cương, sáng tạo, hiệu quả", "Chung sức xây dựng nông thôn mới",
		"Dân biết, dân bàn, dân làm, dân kiểm tra", "Thi đua yêu nước, lập thành tích chào mừng Đại hội",
		"Không để ai bị bỏ lại phía sau", "Đổi mới, năng động, phục vụ nhân dân",
		"Kỷ cương, trách nhiệm, hành động", "Tuổi trẻ xung kích, tình nguyện vì cộng đồng"}
	actors = []string{"Ủy ban nhân dân", "Hội đồng Thi đua – Khen thưởng", "Ban Thường vụ Tỉnh ủy",
		"Ủy ban Mặt trận Tổ quốc", "Liên đoàn Lao động", "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ",
		"Hội Nông dân", "Sở Nội vụ", "Sở Giáo dục và Đào tạo", "Công an", "Hội Khuyến học"}
	events = []string{"tổng kết", "phát động", "sơ kết", "tuyên dương", "ký kết giao ước thi đua",
		"triển khai", "trao tặng danh hiệu", "gặp mặt điển hình tiên tiến"}
	verbs   = []string{"đẩy mạnh", "triển khai", "nhân rộng", "phát huy", "duy trì", "nâng cao", "thực hiện"}
	objects = []string{"phong trào thi đua yêu nước", "mô hình dân vận khéo", "chuyển đổi số trong cơ quan",
		"cải cách thủ tục hành chính", "xây dựng nông thôn mới nâng cao", "học tập và làm theo Bác",
		"giảm nghèo bền vững", "chăm lo người có công", "xây dựng đô thị văn minh", "bảo vệ môi trường"}
	results = []string{"hỗ trợ %d hộ nghèo vươn lên", "làm mới %d km đường giao thông", "tổ chức %d lớp tập huấn",
		"công nhận %d sáng kiến", "trao %d suất học bổng", "xây %d căn nhà đại đoàn kết",
		"đưa %d hồ sơ lên môi trường số", "khen thưởng %d tập thể và cá nhân"}
	fillers  = []string{"Qua đó,", "Bên cạnh đó,", "Đặc biệt,", "Ngoài ra,", "Từ đầu năm,", "Theo báo cáo,"}
	families = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"}
	givens   = []string{"Văn An", "Thị Bình", "Minh Châu", "Hữu Dũng", "Thu Hà", "Quốc Hùng", "Ngọc Lan",
		"Thanh Long", "Kim Ngân", "Xuân Phúc", "Hồng Sơn", "Bảo Trâm"}
)

// Article returns the file name and contents of article i of a corpus.
func Article(seed uint64, i int) (string, []byte) {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	region := pick(provinces)
	if r.IntN(10) < 3 {
		region = pick(towns)
	}
	actor, event, object := pick(actors), pick(events), pick(objects)
	// Dates walk back from 2026 so that newer ids are older articles.
	day := 2200 - i*2200/max(1, i+2200) - r.IntN(30)
	year, month, dom := 2020+day/365, 1+(day%365)/31, 1+(day%365)%31%28
	title := fmt.Sprintf("%s: %s %s %s %s", region, actor, event, object, fmt.Sprint(year))
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %q\n", title)
	fmt.Fprintf(&b, "date: %04d-%02d-%02dT%02d:%02d:00+07:00\n", year, month, dom, 6+r.IntN(12), r.IntN(60))
	fmt.Fprintf(&b, "region: %q\n", region)
	fmt.Fprintf(&b, "slogan: %q\n", pick(slogans))
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "period: \"%d\"\n", year)
	} else {
		fmt.Fprintf(&b, "period:\n  start: %d-07\n  end: %d-06\n", year, year+1)
	}
	n := 1 + r.IntN(3)
	seen := map[string]bool{}
	var ts []string
	for len(ts) < n {
		if t := pick(topics); !seen[t] {
			seen[t] = true
			ts = append(ts, fmt.Sprintf("%q", t))
		}
	}
	fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(ts, ", "))
	fmt.Fprintf(&b, "author: %q\n", pick(families)+" "+pick(givens))
	b.WriteString("---\n\n")
	fmt.Fprintf(&b, "**%s –** %s %s vừa tổ chức %s %s, thu hút đông đảo cán bộ và nhân dân tham gia.\n\n", region, actor, region, event, object)
	paragraphs := 5 + r.IntN(4)
	for p := range paragraphs {
		if p == 2 {
			fmt.Fprintf(&b, "## Kết quả %s\n\n", object)
			for range 3 + r.IntN(3) {
				fmt.Fprintf(&b, "- "+pick(results)+";\n", 10+r.IntN(990))
			}
			b.WriteString("\n")
		}
		for range 4 + r.IntN(4) {
			fmt.Fprintf(&b, "%s %s %s %s, "+pick(results)+". ", pick(fillers), strings.ToLower(pick(actors)), pick(verbs), pick(objects), 5+r.IntN(500))
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "> “%s”, đại diện %s nhấn mạnh.\n", pick(slogans), strings.ToLower(actor))
	return fmt.Sprintf("content/%06d.md", i+1), []byte(b.String())
}

// Site returns a whole site of n articles with a site.toml, as file name to
// contents.
func Site(seed uint64, n int) map[string][]byte {
	files := map[string][]byte{
		"site.toml": []byte("title = \"Bản tin thi đua\"\nbase_url = \"https://example.gov.vn/\"\n"),
	}
	for i := range n {
		name, data := Article(seed, i)
		files[name] = data
	}
	return files
}
