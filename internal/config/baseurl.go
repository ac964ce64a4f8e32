package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// maxHostBytes and maxLabelBytes are DNS's limits on a host name and on
// each of its dot-separated labels.
const (
	maxHostBytes  = 253
	maxLabelBytes = 63
)

// canonicalHost checks the host and port of an absolute URL the way a
// browser resolves them, and returns the host as it should be written in
// the site's links: a lowercase ASCII name (an internationalized name in
// its xn-- form) or an IP address, with the port if one was given.
// url.Parse alone lets through hosts no browser can reach, such as
// "exa'mple.gov.vn" or port 99999.
func canonicalHost(u *url.URL) (string, error) {
	hostname, port := u.Hostname(), u.Port()
	if strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("base_url %q has a colon but no port after the host; remove the colon or add a port", u.Host)
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("base_url port %s is not a port; use a number from 1 to 65535, or none", port)
		}
		port = strconv.Itoa(n) // a browser drops leading zeros
	}
	withPort := func(h string) string {
		if port == "" {
			return h
		}
		return h + ":" + port
	}
	if strings.HasPrefix(u.Host, "[") {
		addr, err := netip.ParseAddr(hostname)
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "", fmt.Errorf("base_url host [%s] is not an IPv6 address", hostname)
		}
		return withPort("[" + addr.String() + "]"), nil
	}
	if hostname == "" {
		return "", fmt.Errorf("base_url %q has no host", u.String())
	}
	if strings.HasSuffix(hostname, ".") {
		return "", fmt.Errorf("base_url host %q ends with a dot; remove it", hostname)
	}
	// A browser takes a host whose last label is a number for an IPv4
	// address: it must then be one.
	last := strings.ToLower(hostname[strings.LastIndexByte(hostname, '.')+1:])
	if isDigits(last) || strings.HasPrefix(last, "0x") && strings.Trim(last[2:], "0123456789abcdef") == "" {
		addr, err := netip.ParseAddr(hostname)
		if err != nil || !addr.Is4() {
			return "", fmt.Errorf("base_url host %q is not an IPv4 address such as 192.0.2.10", hostname)
		}
		return withPort(addr.String()), nil
	}
	ascii, err := idna.Lookup.ToASCII(hostname)
	if err != nil {
		return "", fmt.Errorf("base_url host %q is not a valid host name; use letters, digits, hyphens and dots, such as \"example.gov.vn\"", hostname)
	}
	if len(ascii) > maxHostBytes {
		return "", fmt.Errorf("base_url host is %d bytes long, over DNS's limit of %d", len(ascii), maxHostBytes)
	}
	for _, label := range strings.Split(ascii, ".") {
		if err := checkLabel(label); err != nil {
			return "", fmt.Errorf("base_url host %q is not a valid host name: %v", hostname, err)
		}
	}
	return withPort(ascii), nil
}

// checkLabel accepts one label of a DNS host name: letters, digits and
// hyphens, not at either end, at most 63 bytes.
func checkLabel(label string) error {
	if label == "" {
		return fmt.Errorf("it has an empty part between two dots")
	}
	if len(label) > maxLabelBytes {
		return fmt.Errorf("its part %q is %d bytes long, over DNS's limit of %d", label, len(label), maxLabelBytes)
	}
	if label[0] == '-' || label[len(label)-1] == '-' {
		return fmt.Errorf("its part %q starts or ends with a hyphen", label)
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return fmt.Errorf("its part %q holds %q; use letters, digits and hyphens", label, c)
		}
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
