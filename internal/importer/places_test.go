package importer

import "github.com/bantin/bantin/internal/gazetteer"

// testPlaces is the gazetteer the fixtures and seeds are scored with.
func testPlaces() *gazetteer.Gazetteer { return gazetteer.Default() }
