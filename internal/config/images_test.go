package config

import (
	"fmt"
	"strings"
	"testing"
)

const minimalSite = "title = \"T\"\nbase_url = \"https://example.gov.vn/\"\n"

func TestImagesDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(minimalSite))
	if err != nil {
		t.Fatal(err)
	}
	im := cfg.Images
	if !im.Enabled || fmt.Sprint(im.Widths) != "[480 960 1600]" || im.Quality != 78 || !im.WebP() ||
		im.BudgetKB != 1000 || im.MaxPixels != 50_000_000 || im.CacheDir != ".bantin/cache/images" {
		t.Fatalf("defaults %+v", im)
	}
}

func TestImagesSettings(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(minimalSite + `
[images]
enabled = true
widths = [1200, 320, 640, 640]
quality = 70
formats = ["jpg"]
budget_kb = 300
max_pixels = 1000000
max_bytes = 2000000
cache_dir = "tmp/anh/"
`))
	if err != nil {
		t.Fatal(err)
	}
	im := cfg.Images
	if fmt.Sprint(im.Widths) != "[320 640 1200]" || im.Quality != 70 || im.WebP() || fmt.Sprint(im.Formats) != "[jpeg]" ||
		im.BudgetKB != 300 || im.MaxPixels != 1000000 || im.MaxBytes != 2000000 || im.CacheDir != "tmp/anh" {
		t.Fatalf("settings %+v", im)
	}
	cfg, err = Parse([]byte(minimalSite + "[images]\nenabled = false\n"))
	if err != nil || cfg.Images.Enabled {
		t.Fatalf("enabled = false: %v %+v", err, cfg.Images)
	}
}

func TestImagesErrorsAtTheirPositions(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(minimalSite + `[images]
widths = [480, "960", 9]
quality = 101
formats = ["webp", "avif"]
cache_dir = "../elsewhere"
width = 3
`))
	if err == nil {
		t.Fatal("bad [images] accepted")
	}
	for _, want := range []string{
		// List items are placed exactly.
		`site.toml:4:16: widths must be whole numbers of pixels, not a string`,
		`site.toml:4:23: widths must be from 16 to 8192 pixels, not 9`,
		`site.toml:5:11: quality must be a whole number from 1 to 100`,
		`site.toml:6:20: formats can hold "webp" and "jpeg", not "avif"`,
		`site.toml:6:12: formats must include "jpeg"`,
		`site.toml:7:13: cache_dir must be a folder inside the site`,
		`site.toml:8:1: unknown field "width" in [images]; did you mean "widths"?`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
