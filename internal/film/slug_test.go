package film

import "testing"

func TestSlugify(t *testing.T) {
	for name, want := range map[string]string{
		"France 2 Cinéma":           "france-2-cinema",
		"Ce qui me meut":            "ce-qui-me-meut",
		"StudioCanal":               "studiocanal",
		"Cédric Klapisch":           "cedric-klapisch",
		`Robert "Chicken" Burke`:    "robert-chicken-burke",
		"Sacré-Cœur":                "sacre-coeur",
		"Le Œuvre":                  "le-oeuvre",
		"  --Mars   Distribution--": "mars-distribution",
		"東京":                        "",
	} {
		if got := Slugify(name); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", name, got, want)
		}
		if got := Slugify(name); got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q is not a valid slug", name, got)
		}
	}
}
