// Package seeds holds the catalogue a new Marquee database starts with, in
// the JSON format of internal/catalog: Paris (2008) with everything its
// first three source documents say about it.
package seeds

import "embed"

// FS holds the seed catalogue files (*.json).
//
//go:embed *.json
var FS embed.FS
