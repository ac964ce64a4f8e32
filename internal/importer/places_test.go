package importer

// testPlaces is the place finder the fixtures are scored with.
func testPlaces() placeFinder { return nil }
