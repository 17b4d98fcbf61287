package film

import (
	"errors"
	"sort"
	"strings"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a uniqueness rule, such as
// a slug already in use.
var ErrConflict = errors.New("conflict")

// Problems maps a field, named as in the catalogue format ("credits[2].role"),
// to what is wrong with it. A non-empty Problems is an error, so validation
// can return every problem at once and forms can show each beside its field.
type Problems map[string]string

// Add records a problem with field, keeping the first one reported.
func (p Problems) Add(field, message string) {
	if _, ok := p[field]; !ok {
		p[field] = message
	}
}

// Err returns p as an error, or nil when there are no problems.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// Error lists the problems in field order.
func (p Problems) Error() string {
	fields := make([]string, 0, len(p))
	for f := range p {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f + ": " + p[f]
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// ErrCorrupt is returned when the storage reports that its data is
// damaged. The store then refuses every write (reads that still work keep
// working) until the site is restored from a backup, so nothing more is
// written over damaged data.
var ErrCorrupt = errors.New("the database is damaged")

// ErrFull is returned when a write fails because the storage has no room
// left. Nothing of the failed write is kept; reads keep working.
var ErrFull = errors.New("the database has no room left")
