package content

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/fields"
	"github.com/bantin/bantin/internal/vi"
)

// declaredTerms are an article's values of one taxonomy site.toml declares.
type declaredTerms struct {
	field  string
	values []string
}

// Terms returns the article's values of taxonomy t, in the order written:
// the typed field of a built-in taxonomy (a period's label, the date's
// year), or the values of a declared one. Do not modify the result.
func (a *Article) Terms(t *config.Taxonomy) []string {
	if !t.Builtin {
		return a.declaredTerms(t)
	}
	return a.AppendTerms(nil, t)
}

// AppendTerms appends the article's values of taxonomy t to dst, as Terms
// returns them: with a buffer on the stack, reading a built-in taxonomy
// allocates nothing.
func (a *Article) AppendTerms(dst []string, t *config.Taxonomy) []string {
	switch t.Values {
	case config.PeriodValues:
		if a.Period != nil {
			dst = append(dst, a.Period.Label())
		}
		return dst
	case config.YearValues:
		return append(dst, strconv.Itoa(a.Date.Year()))
	}
	if !t.Builtin {
		return append(dst, a.declaredTerms(t)...)
	}
	switch t.Key {
	case config.Region:
		dst = appendNonEmpty(dst, a.Region)
	case config.Topic:
		dst = append(dst, a.Topics...)
	case config.Slogan:
		dst = appendNonEmpty(dst, a.Slogan)
	}
	return dst
}

func (a *Article) declaredTerms(t *config.Taxonomy) []string {
	for _, d := range a.declared {
		if d.field == t.Field {
			return d.values
		}
	}
	return nil
}

func appendNonEmpty(dst []string, v string) []string {
	if v == "" {
		return dst
	}
	return append(dst, v)
}

// TermPos returns where the article gives value number i of taxonomy t
// (Terms order): the value in the list of a multiple taxonomy, else the
// field, and the date for the year.
func (a *Article) TermPos(t *config.Taxonomy, i int) diag.Pos {
	switch {
	case t.Values == config.YearValues:
		return a.FieldPos("date")
	case t.Multiple:
		return a.FieldPos(t.Field + "." + strconv.Itoa(i))
	}
	return a.FieldPos(t.Field)
}

// articleSchema returns the front-matter keys of the site's articles: the
// fixed ones and the built-in taxonomies' fields, then the declared
// taxonomies' fields. Fields of taxonomies the site turns off are in too:
// checkTurnedOff reports them with a better message than "unknown".
func articleSchema(cfg *config.Site) fields.Schema {
	s := articleKeys
	for _, t := range slices.Concat(cfg.Taxonomies, cfg.TurnedOff) {
		if !t.Builtin && !slices.Contains(s.Keys, t.Field) {
			if len(s.Keys) == len(articleKeys.Keys) {
				s.Keys = slices.Clone(s.Keys)
			}
			s.Keys = append(s.Keys, t.Field)
		}
	}
	return s
}

// checkTurnedOff reports fields of taxonomies the site turns off: their
// values would be silently lost.
func checkTurnedOff(root *fields.Node, cfg *config.Site, errs *diag.List) {
	for _, t := range cfg.TurnedOff {
		if n := root.Get(t.Field); n != nil && t.Field != "" {
			errs.Addf(n.KeyPos, "%s: the %q taxonomy is turned off (enabled = false at %s); remove the field or turn the taxonomy on", t.Field, t.Key, t.Pos)
		}
	}
}

// decodeDeclared reads the values of the taxonomies site.toml declares.
func (a *Article) decodeDeclared(root *fields.Node, cfg *config.Site, errs *diag.List) {
	for i := range cfg.Taxonomies {
		t := &cfg.Taxonomies[i]
		if t.Builtin {
			continue
		}
		values := a.declaredValues(root.Get(t.Field), t, cfg.MaxTerms, errs)
		if len(values) > 0 {
			a.declared = append(a.declared, declaredTerms{field: t.Field, values: values})
		}
	}
}

// declaredValues validates the value of a declared taxonomy's field: a
// string, or for a multiple taxonomy a string or a list of at most
// maxTerms strings (0: no limit).
func (a *Article) declaredValues(n *fields.Node, t *config.Taxonomy, maxTerms int, errs *diag.List) []string {
	if n == nil || n.Kind == fields.Null {
		if t.Required {
			pos := diag.Pos{File: a.File, Line: 1, Col: 1}
			if n != nil {
				pos = n.Pos
			}
			errs.Addf(pos, "missing required field %q", t.Field)
		}
		return nil
	}
	want := "a string"
	if t.Multiple {
		want = "a string or a list of strings"
	}
	var items []*fields.Node
	switch {
	case n.Kind == fields.String:
		items = []*fields.Node{n}
	case n.Kind == fields.List && t.Multiple:
		items = n.Items
		// Each term is a page and a feed that lists the article: a bound
		// on them bounds what one article adds to the site.
		if maxTerms > 0 && len(items) > maxTerms {
			errs.Addf(items[maxTerms].Pos, "an article has at most %d values of %s, and this is value %d of %d; keep the few that matter most (or raise [limits] max_terms in site.toml)", maxTerms, t.Field, maxTerms+1, len(items))
			items = items[:maxTerms]
		}
	default:
		hint := ""
		switch n.Kind {
		case fields.Int, fields.Float, fields.Bool, fields.Time:
			hint = "; put the value in quotes"
		case fields.List:
			hint = fmt.Sprintf("; %s takes one value (site.toml declares it with multiple = false)", t.Field)
		}
		errs.Addf(n.Pos, "%s must be %s, not %s%s", t.Field, want, n.Describe(), hint)
		return nil
	}
	var values []string
	for k, item := range items {
		name := t.Field
		if n.Kind == fields.List {
			name = fmt.Sprintf("%s[%d]", t.Field, k)
		}
		if item.Kind != fields.String {
			hint := ""
			if item.Kind != fields.List && item.Kind != fields.Map {
				hint = "; put the value in quotes"
			}
			errs.Addf(item.Pos, "%s must be a string, not %s%s", name, item.Describe(), hint)
			continue
		}
		v := strings.TrimSpace(item.Text)
		switch {
		case v == "" && n.Kind == fields.List:
			errs.Addf(item.Pos, "%s must not contain an empty value", t.Field)
			continue
		case v == "":
			if t.Required {
				errs.Addf(item.Pos, "%s must not be empty", t.Field)
			}
			continue
		case vi.Slug(v) == "":
			errs.Addf(item.Pos, "%s %q has no letters or digits to make a URL from", t.Field, v)
			continue
		case slices.Contains(values, v):
			continue
		}
		if t.Multiple {
			a.setPos(t.Field+"."+strconv.Itoa(len(values)), item.Pos)
		}
		values = append(values, v)
	}
	if t.Required && len(values) == 0 && n.Kind == fields.List && len(n.Items) == 0 {
		errs.Addf(n.Pos, "%s must not be empty", t.Field)
	}
	return values
}
