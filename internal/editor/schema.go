package editor

import (
	"github.com/bantin/bantin/internal/config"
)

// Kind is how the form shows and the file stores a field.
type Kind string

// Field kinds.
const (
	KindText     Kind = "text"     // one line of text
	KindLongText Kind = "longtext" // a few lines (summary)
	KindDate     Kind = "date"     // date and time in the site's zone
	KindPeriod   Kind = "period"   // "2024", "2022-2023" or "2024-07/2025-06"
	KindList     Kind = "list"     // several terms
	KindURL      Kind = "url"      // an http(s) address
	KindImage    Kind = "image"    // a site path or an http(s) address
	KindBool     Kind = "bool"     // a checkbox
	KindSlug     Kind = "slug"     // the article's URL segment
)

// fieldSpec is one front-matter field of the article form.
type fieldSpec struct {
	Key      string
	Kind     Kind
	Required bool
	// Suggest offers the values other articles use, so that editors reuse
	// "Thi đua khen thưởng" rather than invent a twin of it.
	Suggest bool
	// Taxonomy is set for fields that index articles (their terms get
	// pages); Name is their label from site.toml.
	Taxonomy bool
	Name     string
}

// builtinFields are the fields every bulletin has, in the order the form
// shows them and the editor writes them (see README "Articles").
var builtinFields = []fieldSpec{
	{Key: "title", Kind: KindText, Required: true},
	{Key: "date", Kind: KindDate, Required: true},
	{Key: "region", Kind: KindText, Required: true, Suggest: true, Taxonomy: true},
	{Key: "slogan", Kind: KindText, Suggest: true, Taxonomy: true},
	{Key: "period", Kind: KindPeriod, Suggest: true, Taxonomy: true},
	{Key: "topics", Kind: KindList, Suggest: true, Taxonomy: true},
	{Key: "author", Kind: KindText, Suggest: true},
	{Key: "source", Kind: KindURL},
	{Key: "summary", Kind: KindLongText},
	{Key: "image", Kind: KindImage},
	{Key: "draft", Kind: KindBool},
	{Key: "slug", Kind: KindSlug},
}

// taxonomyOf names the built-in taxonomy whose values a built-in field
// holds.
var taxonomyOf = map[string]string{"region": config.Region, "slogan": config.Slogan, "period": config.Period, "topics": config.Topic}

// formFields returns the fields of the site's article form: the built-in
// ones as site.toml shapes them (a built-in taxonomy renamed, made
// optional or turned off), with every taxonomy site.toml declares after
// the built-in taxonomies. This is the one place that reads them.
func formFields(cfg *config.Site) []fieldSpec {
	taxonomies := cfg.Taxonomies
	if len(taxonomies) == 0 {
		taxonomies = config.Builtins() // a configuration not read from site.toml
	}
	find := func(key string) *config.Taxonomy {
		for i := range taxonomies {
			if taxonomies[i].Key == key {
				return &taxonomies[i]
			}
		}
		return nil
	}
	out := make([]fieldSpec, 0, len(builtinFields)+4)
	for _, f := range builtinFields {
		if key, ok := taxonomyOf[f.Key]; ok {
			t := find(key)
			if t == nil {
				continue // turned off: its field is an error now
			}
			f.Required, f.Name = t.Required, t.Name
		}
		out = append(out, f)
		if f.Key == "topics" {
			out = append(out, declaredTaxonomies(taxonomies)...)
		}
	}
	return out
}

// declaredTaxonomies are the form fields of the taxonomies site.toml
// declares beyond the built-in ones.
func declaredTaxonomies(taxonomies []config.Taxonomy) []fieldSpec {
	var out []fieldSpec
	for _, t := range taxonomies {
		if t.Builtin || t.Field == "" {
			continue
		}
		kind := KindText
		if t.Multiple {
			kind = KindList
		}
		out = append(out, fieldSpec{Key: t.Field, Kind: kind, Required: t.Required, Suggest: true, Taxonomy: true, Name: t.Name})
	}
	return out
}

// field returns the spec of key among specs.
func field(specs []fieldSpec, key string) (fieldSpec, bool) {
	for _, f := range specs {
		if f.Key == key {
			return f, true
		}
	}
	return fieldSpec{}, false
}
