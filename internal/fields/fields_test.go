package fields

import (
	"testing"
)

func TestDecodersPlaceKeysAndValuesInTheFile(t *testing.T) {
	t.Parallel()
	o := Origin{File: "content/a.md", Line: 2}
	yaml, err := DecodeYAML([]byte("title: Tin A\nperiod:\n  start: 2024-07\ntopics: [a, b]\n"), o)
	if err != nil {
		t.Fatal(err)
	}
	toml, err := DecodeTOML([]byte("title = \"Tin A\"\ntopics = [\"a\", \"b\"]\n\n[period]\nstart = \"2024-07\"\n[[extra]]\nx = 1\n"), o)
	if err != nil {
		t.Fatal(err)
	}
	json, err := DecodeJSON([]byte("{\n  \"title\": \"Tin A\",\n  \"period\": {\"start\": \"2024-07\"}\n}"), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		got  *Node
		want string
	}{
		{"yaml title key", yaml.Get("title"), "content/a.md:2:1"},
		{"yaml nested start", yaml.Get("period").Get("start"), "content/a.md:4:10"},
		{"toml title key", toml.Get("title"), "content/a.md:2:1"},
		{"toml table key", toml.Get("period").Get("start"), "content/a.md:6:1"},
		{"json title key", json.Get("title"), "content/a.md:3:3"},
	} {
		pos := tc.got.KeyPos.String()
		if tc.name == "yaml nested start" {
			pos = tc.got.Pos.String()
		}
		if pos != tc.want {
			t.Errorf("%s at %s, want %s", tc.name, pos, tc.want)
		}
	}
	if toml.Keys[0] != "title" || toml.Keys[1] != "topics" || toml.Get("extra").Kind != List {
		t.Errorf("TOML keys out of order or array of tables lost: %v", toml.Keys)
	}
	if n := yaml.Get("topics"); n.Kind != List || len(n.Items) != 2 || n.Items[1].Text != "b" {
		t.Errorf("yaml topics %+v", n)
	}
}

func TestSuggestFindsTyposAndIgnoresStrangers(t *testing.T) {
	t.Parallel()
	keys := []string{"title", "date", "region", "slogan", "period", "topics"}
	for in, want := range map[string]string{"regoin": "region", "titel": "title", "Date": "date", "peroid": "period", "color": "", "x": ""} {
		if got := Suggest(in, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArrayOfTablesPlacesEachTableAndKey(t *testing.T) {
	t.Parallel()
	src := "title = \"x\"\n\n[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\n\n[[taxonomies]]\n  key = \"field\"\n  path = \"linh-vuc\"\n[taxonomies.extra]\nx = 1\n\n[params]\nkey = \"v\"\n"
	root, err := DecodeTOML([]byte(src), Origin{File: "site.toml", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	list := root.Get("taxonomies")
	if list == nil || list.Kind != List || len(list.Items) != 2 {
		t.Fatalf("taxonomies: %+v", list)
	}
	first, second := list.Items[0], list.Items[1]
	for _, tc := range []struct {
		what string
		got  string
		want string
	}{
		{"first table", first.Pos.String(), "site.toml:3:1"},
		{"first key", first.Get("key").KeyPos.String(), "site.toml:4:1"},
		{"first name value", first.Get("name").Pos.String(), "site.toml:5:8"},
		{"second table", second.Pos.String(), "site.toml:7:1"},
		{"second key", second.Get("key").KeyPos.String(), "site.toml:8:3"},
		{"second path value", second.Get("path").Pos.String(), "site.toml:9:10"},
		{"sub-table of the second", second.Get("extra").Get("x").KeyPos.String(), "site.toml:11:1"},
		{"a later table", root.Get("params").Get("key").KeyPos.String(), "site.toml:14:1"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s at %s, want %s", tc.what, tc.got, tc.want)
		}
	}
	if second.Keys[0] != "key" || second.Keys[1] != "path" {
		t.Errorf("keys of the second table out of document order: %v", second.Keys)
	}
}
