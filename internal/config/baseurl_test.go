package config

import (
	"strings"
	"testing"
)

func TestBaseURLAcceptsOnlyHostsABrowserCanReach(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"https://example.gov.vn/ban-tin/":       "https://example.gov.vn/ban-tin/",
		"https://EXAMPLE.gov.VN":                "https://example.gov.vn/",
		"HTTP://intranet.local:8080/a/b":        "http://intranet.local:8080/a/b/",
		"http://localhost:1313/":                "http://localhost:1313/",
		"http://127.0.0.1:0080/":                "http://127.0.0.1:80/",
		"http://[::1]:1313/":                    "http://[::1]:1313/",
		"http://[2001:DB8::1]/":                 "http://[2001:db8::1]/",
		"https://bản-tin.gov.vn/":               "https://xn--bn-tin-bd8b.gov.vn/",
		"https://xn--bn-tin-bd8b.gov.vn/":       "https://xn--bn-tin-bd8b.gov.vn/",
		"https://a-b.c1.vn:65535/":              "https://a-b.c1.vn:65535/",
		"https://192.0.2.10/x/":                 "https://192.0.2.10/x/",
		"https://sở-nội-vụ.hậugiang.gov.vn/tin": "https://xn--s-ni-v-5n8bub8c.xn--hugiang-0p4c.gov.vn/tin/",
	}
	for raw, want := range good {
		var s Site
		if err := s.SetBaseURL(raw); err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if s.BaseURL != want {
			t.Errorf("%s became %s, want %s", raw, s.BaseURL, want)
		}
	}
	bad := map[string]string{
		"https://exa'mple.gov.vn/":                           `host "exa'mple.gov.vn" is not a valid host name`,
		"https://example.gov.vn:99999/":                      "port 99999 is not a port",
		"https://example.gov.vn:0/":                          "port 0 is not a port",
		"https://example.gov.vn:/":                           "has a colon but no port",
		"https://exa_mple.gov.vn/":                           "is not a valid host name",
		"https://exa mple.gov.vn/":                           "absolute http or https URL",
		"https://-example.gov.vn/":                           "is not a valid host name",
		"https://example..gov.vn/":                           "is not a valid host name",
		"https://example.gov.vn./":                           "ends with a dot",
		"https://999.1.1.1/":                                 "is not an IPv4 address",
		"https://1.2.3/":                                     "is not an IPv4 address",
		"https://0x7f.1/":                                    "is not an IPv4 address",
		"https://[fe80::1%25eth0]/":                          "is not an IPv6 address",
		"https://[1.2.3.4]/":                                 "",
		"https://" + strings.Repeat("a", 64) + ".vn/":        "is not a valid host name",
		"https://" + strings.Repeat("abcdefgh.", 30) + "vn/": "over DNS's limit of 253",
		"https://exa<mple.gov.vn/":                           "",
		"https://example.gov.vn\\@evil/":                     "",
	}
	for raw, want := range bad {
		var s Site
		err := s.SetBaseURL(raw)
		if err == nil {
			t.Errorf("%s accepted as %s", raw, s.BaseURL)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want it to say %q", raw, err, want)
		}
	}
}
