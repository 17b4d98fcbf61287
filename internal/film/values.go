package film

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date that may be known only to the month or the year,
// written "2008", "2008-07" or "2008-02-20". Sources often give "July 2008"
// for a release, and inventing a day would be a false fact.
type Date string

// Precision tells how much of a Date is known.
type Precision int

// The precisions a Date can have.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// Precision reports how much of d is known, or PrecisionNone when d is empty
// or malformed.
func (d Date) Precision() Precision {
	s := string(d)
	layouts := []struct {
		layout string
		p      Precision
	}{{"2006", PrecisionYear}, {"2006-01", PrecisionMonth}, {"2006-01-02", PrecisionDay}}
	for _, l := range layouts {
		if len(s) == len(l.layout) {
			if _, err := time.Parse(l.layout, s); err == nil {
				return l.p
			}
		}
	}
	return PrecisionNone
}

// Valid reports whether d is empty or a well-formed partial date.
func (d Date) Valid() bool { return d == "" || d.Precision() != PrecisionNone }

// Before reports whether d is certainly earlier than e, comparing only as
// much as both give: "1990" is not before "1990-05-01", nor after it. An
// empty date is before nothing.
func (d Date) Before(e Date) bool {
	if d == "" || e == "" {
		return false
	}
	n := min(len(d), len(e))
	return d[:n] < e[:n]
}

// Format writes d the way an English-language film record does:
// "20 February 2008", "July 2008", "2008".
func (d Date) Format() string {
	s := string(d)
	switch d.Precision() {
	case PrecisionDay:
		t, _ := time.Parse("2006-01-02", s)
		return t.Format("2 January 2006")
	case PrecisionMonth:
		t, _ := time.Parse("2006-01", s)
		return t.Format("January 2006")
	}
	return s
}

// Money is an amount in whole units of an ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

// Format writes m as a reader expects it: "€12.2 million" for round
// millions, "$1,005,168" for exact figures.
func (m Money) Format() string {
	symbol, ok := currencySymbols[m.Currency]
	prefix := symbol
	if !ok {
		prefix = m.Currency + " "
	}
	if m.Amount >= 1_000_000 && m.Amount%100_000 == 0 {
		millions := strconv.FormatFloat(float64(m.Amount)/1e6, 'f', -1, 64)
		return prefix + millions + " million"
	}
	return prefix + groupThousands(m.Amount)
}

// groupThousands writes n with commas between groups of three digits.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatCount writes a count with thousands separators: 5,339.
func FormatCount(n int) string { return groupThousands(int64(n)) }

// FormatRuntime writes a runtime as "130 min (2 h 10 min)".
func FormatRuntime(minutes int) string {
	if minutes < 60 {
		return fmt.Sprintf("%d min", minutes)
	}
	h, m := minutes/60, minutes%60
	if m == 0 {
		return fmt.Sprintf("%d min (%d h)", minutes, h)
	}
	return fmt.Sprintf("%d min (%d h %d min)", minutes, h, m)
}
