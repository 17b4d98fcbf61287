package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRefusesAnUnknownTimeZone(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "marquee.db")
	for _, tt := range []struct {
		name   string
		args   []string
		getenv func(string) string
		want   string
	}{
		{"flag", []string{"serve", "-timezone", "Europe/Atlantis", "-db", dbPath}, func(string) string { return "" }, `"Europe/Atlantis" is not a known time zone`},
		{"environment", []string{"serve", "-db", dbPath}, func(k string) string {
			if k == "MARQUEE_TIMEZONE" {
				return "Mars/Olympus"
			}
			return ""
		}, `"Mars/Olympus" is not a known time zone`},
		{"Local", []string{"serve", "-timezone", "Local", "-db", dbPath}, func(string) string { return "" }, "rather than Local"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, tt.getenv, nil, &stdout, &stderr)
			if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("serve = %v, stderr %q, want a usage error saying %q", err, stderr.String(), tt.want)
			}
		})
	}
}

func TestSiteTimeZone(t *testing.T) {
	for name, want := range map[string]string{"": "UTC", "UTC": "UTC", "Europe/Paris": "Europe/Paris", " America/New_York ": "America/New_York"} {
		loc, err := siteTimeZone(name)
		if err != nil || loc.String() != want {
			t.Errorf("siteTimeZone(%q) = %v, %v, want %s", name, loc, err, want)
		}
	}
}
