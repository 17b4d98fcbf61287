package film

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// languageTag matches the simple BCP 47 tags titles are marked with: "fr",
// "pt-BR".
var languageTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// ValidSlug reports whether s can be used in a URL path as a slug: lower-case
// ASCII letters and digits joined by single hyphens, at most 100 bytes.
func ValidSlug(s string) bool { return len(s) <= 100 && slugPattern.MatchString(s) }

// checkText records a problem when a text field is missing (if required), too
// long, not valid UTF-8, or holds a control or bidirectional formatting
// character (see CleanText; forms clean these out before validation, so
// only text from elsewhere, such as an imported file, is refused for it).
func checkText(p Problems, field, value string, required bool, max int) {
	switch {
	case !utf8.ValidString(value):
		p.Add(field, "is not valid UTF-8 text")
	case HasDisallowedText(value):
		p.Add(field, "must not contain control characters or bidirectional formatting characters")
	case required && strings.TrimSpace(value) == "":
		p.Add(field, "is required")
	case utf8.RuneCountInString(value) > max:
		p.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

func checkSlug(p Problems, field, value string) {
	if !ValidSlug(value) {
		p.Add(field, "must be lower-case letters, digits and single hyphens")
	}
}

func checkDate(p Problems, field string, d Date, required bool) {
	if required && d == "" {
		p.Add(field, "is required")
		return
	}
	if !d.Valid() {
		p.Add(field, "must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
	}
}

func checkMoney(p Problems, field string, m Money) {
	if m.Amount < 0 {
		p.Add(field+".amount", "must not be negative")
	}
	if len(m.Currency) != 3 || strings.ToUpper(m.Currency) != m.Currency {
		p.Add(field+".currency", "must be a three-letter ISO 4217 code such as EUR")
	}
}

// Validate reports every problem with p's fields.
func (p Person) Validate() error {
	problems := Problems{}
	checkSlug(problems, "slug", p.Slug)
	checkText(problems, "name", p.Name, true, 200)
	for i, aka := range p.AlsoKnownAs {
		checkText(problems, fmt.Sprintf("also_known_as[%d]", i), aka, true, 200)
	}
	checkText(problems, "biography", p.Biography, false, MaxBiography)
	checkDate(problems, "birth_date", p.BirthDate, false)
	checkDate(problems, "death_date", p.DeathDate, false)
	checkText(problems, "birth_place", p.BirthPlace, false, 200)
	checkText(problems, "death_place", p.DeathPlace, false, 200)
	if p.BirthDate.Valid() && p.DeathDate.Valid() && p.DeathDate.Before(p.BirthDate) {
		problems.Add("death_date", "must not be before the date of birth")
	}
	return problems.Err()
}

// Validate reports every problem with f's fields. It does not check that
// credited people exist: that needs the store or the catalogue.
func (f Film) Validate() error {
	p := Problems{}
	checkSlug(p, "slug", f.Slug)
	checkText(p, "title", f.Title, true, 300)
	checkText(p, "original_title", f.OriginalTitle, false, 300)
	if f.TitleLanguage != "" && !languageTag.MatchString(f.TitleLanguage) {
		p.Add("title_language", "must be a language tag such as fr")
	}
	if f.Year < 1870 || f.Year > 2200 {
		p.Add("year", "must be between 1870 and 2200")
	}
	if f.RuntimeMinutes < 0 || f.RuntimeMinutes > 1500 {
		p.Add("runtime_minutes", "must be between 1 and 1500 minutes")
	}
	for i, c := range f.Countries {
		checkText(p, fmt.Sprintf("countries[%d]", i), c, true, 100)
	}
	for i, l := range f.Languages {
		checkText(p, fmt.Sprintf("languages[%d]", i), l, true, 100)
	}
	for i, g := range f.Genres {
		checkText(p, fmt.Sprintf("genres[%d]", i), g, true, 100)
	}
	checkText(p, "synopsis", f.Synopsis, false, 1000)
	checkText(p, "plot_intro", f.PlotIntro, false, 5000)
	for i, t := range f.Plot {
		checkText(p, fmt.Sprintf("plot[%d].character", i), t.Character, true, 200)
		checkText(p, fmt.Sprintf("plot[%d].text", i), t.Text, true, 10000)
	}
	checkDate(p, "filming_started", f.FilmingStarted, false)
	if f.Budget != nil {
		checkMoney(p, "budget", *f.Budget)
	}
	seenCredit := map[string]bool{}
	for i, c := range f.Credits {
		field := fmt.Sprintf("credits[%d]", i)
		checkSlug(p, field+".person", c.PersonSlug)
		if !c.Role.Valid() {
			p.Add(field+".role", "must be one of director, writer, producer, cast, cinematography, editing, music")
		}
		checkText(p, field+".character", c.Character, false, 300)
		checkText(p, field+".credited_as", c.CreditedAs, false, 200)
		if c.Character != "" && c.Role != RoleCast {
			p.Add(field+".character", "is only for cast credits")
		}
		if c.Billing < 0 {
			p.Add(field+".billing", "must not be negative")
		}
		key := c.PersonSlug + "\x00" + string(c.Role) + "\x00" + c.Character
		if seenCredit[key] {
			p.Add(field, "repeats an earlier credit")
		}
		seenCredit[key] = true
	}
	for i, c := range f.Companies {
		field := fmt.Sprintf("companies[%d]", i)
		checkText(p, field+".name", c.Name, true, 200)
		if c.Role != CompanyStudio && c.Role != CompanyDistributor {
			p.Add(field+".role", "must be studio or distributor")
		}
		checkText(p, field+".territory", c.Territory, false, 100)
	}
	for i, r := range f.Releases {
		field := fmt.Sprintf("releases[%d]", i)
		checkText(p, field+".country", r.Country, true, 100)
		checkDate(p, field+".date", r.Date, true)
		checkText(p, field+".note", r.Note, false, 200)
	}
	for i, b := range f.BoxOffice {
		field := fmt.Sprintf("box_office[%d]", i)
		if b.Kind != BoxOfficeOpeningWeekend && b.Kind != BoxOfficeGross {
			p.Add(field+".kind", "must be opening_weekend or gross")
		}
		checkMoney(p, field+".amount", b.Amount)
		checkText(p, field+".territory", b.Territory, false, 100)
		if b.Screens < 0 {
			p.Add(field+".screens", "must not be negative")
		}
		checkDate(p, field+".as_of", b.AsOf, false)
		checkText(p, field+".source", b.Source, true, 200)
	}
	for i, l := range f.Locations {
		field := fmt.Sprintf("filming_locations[%d]", i)
		checkText(p, field+".place", l.Place, true, 300)
		checkText(p, field+".address", l.Address, false, 300)
	}
	for i, w := range f.Websites {
		field := fmt.Sprintf("websites[%d]", i)
		checkText(p, field+".label", w.Label, true, 200)
		if w.URL != "" {
			if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				p.Add(field+".url", "must be an http or https address")
			}
		}
		checkText(p, field+".territory", w.Territory, false, 100)
	}
	if s := f.Soundtrack; s != nil {
		checkText(p, "soundtrack.title", s.Title, true, 300)
		checkText(p, "soundtrack.notes", s.Notes, false, 2000)
		if s.ChartPeak < 0 {
			p.Add("soundtrack.chart_peak", "must not be negative")
		}
		for i, t := range s.Tracks {
			field := fmt.Sprintf("soundtrack.tracks[%d]", i)
			if t.Number != i+1 {
				p.Add(field+".number", fmt.Sprintf("must be %d: tracks are numbered in order from 1", i+1))
			}
			checkText(p, field+".artist", t.Artist, true, 300)
			checkText(p, field+".title", t.Title, true, 300)
		}
	}
	for i, s := range f.Scores {
		field := fmt.Sprintf("external_scores[%d]", i)
		checkText(p, field+".source", s.Source, true, 200)
		if s.Kind != ScoreCritics && s.Kind != ScoreAudience {
			p.Add(field+".kind", "must be critics or audience")
		}
		if s.Scale <= 0 || s.Value < 0 || s.Value > s.Scale {
			p.Add(field+".value", "must lie between 0 and a positive scale")
		}
		if s.Count < 0 {
			p.Add(field+".count", "must not be negative")
		}
		if s.Average != 0 && (s.AverageScale <= 0 || s.Average > s.AverageScale) {
			p.Add(field+".average", "must lie between 0 and a positive average_scale")
		}
		checkDate(p, field+".as_of", s.AsOf, false)
	}
	for i, q := range f.PressQuotes {
		field := fmt.Sprintf("press_quotes[%d]", i)
		checkText(p, field+".critic", q.Critic, true, 200)
		checkText(p, field+".publication", q.Publication, true, 200)
		checkText(p, field+".quote", q.Quote, true, 2000)
	}
	for i, a := range f.Awards {
		field := fmt.Sprintf("awards[%d]", i)
		checkText(p, field+".name", a.Name, true, 300)
		checkText(p, field+".event", a.Event, true, 300)
		if a.Year < 1870 || a.Year > 2200 {
			p.Add(field+".year", "must be between 1870 and 2200")
		}
		if a.Outcome != AwardWon && a.Outcome != AwardNominated {
			p.Add(field+".outcome", "must be won or nominated")
		}
	}
	for i, t := range f.Trivia {
		checkText(p, fmt.Sprintf("trivia[%d].text", i), t.Text, true, 5000)
	}
	for i, g := range f.Goofs {
		checkText(p, fmt.Sprintf("goofs[%d].text", i), g.Text, true, 5000)
	}
	for i, q := range f.Quotes {
		checkText(p, fmt.Sprintf("quotes[%d].text", i), q.Text, true, 5000)
	}
	return p.Err()
}

// ReviewBodyLimit is the most characters a review body may hold.
const ReviewBodyLimit = 100_000

// Validate reports every problem with r's fields.
func (r CriticReview) Validate() error {
	p := Problems{}
	checkSlug(p, "slug", r.Slug)
	checkSlug(p, "film", r.FilmSlug)
	checkText(p, "headline", r.Headline, true, 300)
	checkText(p, "author", r.Author, true, 200)
	if r.AuthorSlug != "" {
		checkSlug(p, "author_person", r.AuthorSlug)
	}
	checkText(p, "publication", r.Publication, false, 200)
	checkText(p, "pull_quote", r.PullQuote, false, 500)
	checkText(p, "body", r.Body, true, ReviewBodyLimit)
	if r.Rating != nil {
		switch r.Rating.Scale {
		case 4, 5, 10, 100:
		default:
			p.Add("rating.scale", "must be 4, 5, 10 or 100")
		}
		if r.Rating.Value < 0 || r.Rating.Value > float64(r.Rating.Scale) {
			p.Add("rating.value", "must lie between 0 and the scale")
		}
	}
	switch r.Status {
	case ReviewDraft, ReviewInReview, ReviewScheduled, ReviewPublished:
	default:
		p.Add("status", "must be draft, in_review, scheduled or published")
	}
	if (r.Status == ReviewPublished || r.Status == ReviewScheduled) && r.PublishedAt.IsZero() {
		p.Add("published_at", "is required once a review is published or scheduled")
	}
	return p.Err()
}

// ReaderReviewBodyLimit is the most characters a reader review may hold.
const ReaderReviewBodyLimit = 20_000

// Validate reports every problem with r's fields.
func (r ReaderReview) Validate() error {
	p := Problems{}
	checkSlug(p, "film", r.FilmSlug)
	checkText(p, "display_name", r.DisplayName, true, 80)
	checkText(p, "title", r.Title, true, 200)
	checkText(p, "body", r.Body, true, ReaderReviewBodyLimit)
	if r.Rating < 1 || r.Rating > 10 {
		p.Add("rating", "must be a whole number from 1 to 10")
	}
	if r.Reader != "" && !ValidReaderKey(r.Reader) {
		p.Add("reader", "must be 64 lower-case hexadecimal digits")
	}
	switch r.Status {
	case ModerationPending, ModerationApproved, ModerationRejected, ModerationSpam:
	default:
		p.Add("status", "must be pending, approved, rejected or spam")
	}
	return p.Err()
}
