package main

import "regexp"

// ratingProofField finds the proof token on the page that asks a new
// reader to confirm their first rating (the defence against rating
// stuffing): a client without the page's script sends the rating again
// with it, and the cookie the page set, to have it saved.
var ratingProofField = regexp.MustCompile(`name="confirm" value="([^"]+)"`)
