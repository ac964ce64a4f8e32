package layout

import (
	"bytes"
	"html/template"

	"github.com/bantin/bantin/internal/config"
)

// redirectPage is the page left at an old URL. It is not a theme layout:
// it has nothing to show but where the page went.
var redirectPage = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}: {{.Name}}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{.Canonical}}">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<p>{{.Body}} <a href="{{.URL}}">{{.Name}}</a>.</p>
</body>
</html>
`))

// Redirect renders the page at an old URL of a term that leads to the
// term's page: a refresh at once, the canonical URL for search engines,
// which are asked not to index the old one, and a link for readers.
func Redirect(cfg *config.Site, to TermLink) ([]byte, error) {
	var b bytes.Buffer
	err := redirectPage.Execute(&b, map[string]string{
		"Lang": string(cfg.Language), "Title": uiString(cfg.Language, "redirect_title"),
		"Body": uiString(cfg.Language, "redirect_body"), "Name": to.Name,
		"URL": to.URL, "Canonical": cfg.BaseURL + to.Path,
	})
	return b.Bytes(), err
}
