package main

import (
	"fmt"
	"strings"
	"time"

	// The time zone database is compiled in, so -timezone works the same
	// on a machine (or a container) that has no zoneinfo files.
	_ "time/tzdata"
)

// siteTimeZone loads the site's time zone by its IANA name. "Local" is
// refused along with unknown names: the site's schedule must not change
// with the machine it happens to run on.
func siteTimeZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if name == "Local" {
		return nil, fmt.Errorf("-timezone: give the zone's name, such as Europe/Paris, rather than Local")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("-timezone: %q is not a known time zone; use an IANA name such as UTC, Europe/Paris or America/New_York", name)
	}
	return loc, nil
}
