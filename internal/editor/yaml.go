package editor

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/bantin/bantin/internal/fields"
)

// yamlReserved are plain words some YAML reader could take for something
// other than a string (YAML 1.1 booleans included, for other tools).
var yamlReserved = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true,
	"y": true, "n": true, "null": true, "nan": true, "inf": true,
}

// yamlString writes s as a YAML scalar: plain when it is made of letters,
// digits, single spaces and a few harmless marks, starts with a letter and
// is no reserved word ("Ngã Bảy"); double-quoted otherwise. Go's quoting
// uses only escapes that YAML's double-quoted style shares (\n, \t, \", \\,
// \xNN, \uNNNN), so every string, control characters included, reads back
// as written. Plain scalars exclude commas and brackets, so the result is
// safe inside a flow list too.
func yamlString(s string) string {
	if plainSafe(s) {
		return s
	}
	return strconv.Quote(s)
}

func plainSafe(s string) bool {
	if s == "" || yamlReserved[strings.ToLower(s)] {
		return false
	}
	prevSpace := false
	for i, r := range s {
		switch {
		case i == 0:
			if !unicode.IsLetter(r) {
				return false
			}
		case r == ' ':
			if prevSpace {
				return false
			}
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '.', r == '(', r == ')', r == '/':
		default:
			return false
		}
		prevSpace = r == ' '
	}
	return !prevSpace
}

// plainDate matches the date spellings written unquoted, as people write
// them in front matter: 2023-02-16, 2023-02-16 06:26, 2023-02-16T06:26:00+07:00.
var plainDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$`)

// plainMonth matches a period bound written unquoted: 2024-07, 2024-07-15.
var plainMonth = regexp.MustCompile(`^\d{4}-\d{2}(-\d{2})?$`)

func yamlDate(s string) string {
	if plainDate.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

// yamlFlowList writes a list of strings on one line: [a, "b, c"].
func yamlFlowList(items []string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = yamlString(it)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// yamlNode writes a decoded value under key at indent, for keys the form
// does not manage in front matter converted from TOML or JSON.
func yamlNode(b *strings.Builder, key string, n *fields.Node, indent int) {
	pad := strings.Repeat("  ", indent)
	b.WriteString(pad + yamlKey(key) + ":")
	switch n.Kind {
	case fields.Map:
		if len(n.Keys) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteByte('\n')
		for i, k := range n.Keys {
			yamlNode(b, k, n.Values[i], indent+1)
		}
	case fields.List:
		if len(n.Items) == 0 {
			b.WriteString(" []\n")
			return
		}
		if flat(n) {
			parts := make([]string, len(n.Items))
			for i, it := range n.Items {
				parts[i] = yamlScalar(it)
			}
			b.WriteString(" [" + strings.Join(parts, ", ") + "]\n")
			return
		}
		b.WriteByte('\n')
		for _, it := range n.Items {
			b.WriteString(pad + "  -")
			if it.Kind == fields.Map || it.Kind == fields.List {
				// JSON is YAML's flow style: nested values stay on the line.
				b.WriteString(" " + nodeJSON(it) + "\n")
				continue
			}
			b.WriteString(" " + yamlScalar(it) + "\n")
		}
	default:
		b.WriteString(" " + yamlScalar(n) + "\n")
	}
}

func yamlScalar(n *fields.Node) string {
	switch n.Kind {
	case fields.Null:
		return "null"
	case fields.Int, fields.Float, fields.Bool:
		return n.Text
	case fields.Time:
		return yamlDate(n.Text)
	}
	return yamlString(n.Text)
}

var plainKey = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

func yamlKey(k string) string {
	if plainSafe(k) || plainKey.MatchString(k) {
		return k
	}
	return strconv.Quote(k)
}

// nodeJSON writes a decoded value as JSON, which YAML reads as flow style.
func nodeJSON(n *fields.Node) string {
	switch n.Kind {
	case fields.Map:
		parts := make([]string, len(n.Keys))
		for i, k := range n.Keys {
			parts[i] = strconv.Quote(k) + ": " + nodeJSON(n.Values[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case fields.List:
		parts := make([]string, len(n.Items))
		for i, it := range n.Items {
			parts[i] = nodeJSON(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case fields.String, fields.Time:
		return strconv.Quote(n.Text)
	}
	return yamlScalar(n)
}

// flat reports whether a list holds only strings, which a one-line list
// writes safely.
func flat(n *fields.Node) bool {
	for _, it := range n.Items {
		if it.Kind != fields.String {
			return false
		}
	}
	return true
}
