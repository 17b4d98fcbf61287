// Package film is Marquee's domain: films, the people who made them, the
// record around them and the reviews written about them. It holds the types,
// their validation and the errors the rest of the program shares, and it does
// no I/O, so the store, the web layer and the catalogue format all speak it.
//
// The JSON tags define Marquee's catalogue format (see internal/catalog):
// seeds, import and dump read and write these types directly, so a field
// renamed here is a format change.
package film

import "time"

// Film is one film with its full record: everything the film page shows
// except the reviews, which have their own life cycle.
type Film struct {
	ID            int64  `json:"-"`
	Slug          string `json:"slug"`
	Title         string `json:"title"`
	OriginalTitle string `json:"original_title,omitempty"`
	// TitleLanguage is the BCP 47 tag of the language the title is in
	// ("fr"), so pages can mark it up with a lang attribute.
	TitleLanguage  string   `json:"title_language,omitempty"`
	Year           int      `json:"year"`
	RuntimeMinutes int      `json:"runtime_minutes,omitempty"`
	Countries      []string `json:"countries,omitempty"`
	Languages      []string `json:"languages,omitempty"`
	Genres         []string `json:"genres,omitempty"`
	// Synopsis is a short plain-text summary for listings and the top of
	// the film page; Plot tells the story thread by thread.
	Synopsis       string       `json:"synopsis,omitempty"`
	PlotIntro      string       `json:"plot_intro,omitempty"`
	Plot           []PlotThread `json:"plot,omitempty"`
	FilmingStarted Date         `json:"filming_started,omitempty"`
	Budget         *Money       `json:"budget,omitempty"`

	Credits     []Credit        `json:"credits,omitempty"`
	Companies   []CompanyCredit `json:"companies,omitempty"`
	Releases    []Release       `json:"releases,omitempty"`
	BoxOffice   []BoxOffice     `json:"box_office,omitempty"`
	Locations   []Location      `json:"filming_locations,omitempty"`
	Websites    []Website       `json:"websites,omitempty"`
	Soundtrack  *Soundtrack     `json:"soundtrack,omitempty"`
	Scores      []ExternalScore `json:"external_scores,omitempty"`
	PressQuotes []PressQuote    `json:"press_quotes,omitempty"`
	Awards      []Award         `json:"awards,omitempty"`
	Trivia      []Trivia        `json:"trivia,omitempty"`
	Goofs       []Goof          `json:"goofs,omitempty"`
	Quotes      []Quote         `json:"quotes,omitempty"`
}

// Summary is the short form of a film used in lists.
type Summary struct {
	ID             int64
	Slug           string
	Title          string
	OriginalTitle  string
	TitleLanguage  string
	Year           int
	RuntimeMinutes int
	Synopsis       string
	Directors      []string
	// Poster is the film's uploaded poster, filled by the page reads
	// (zero when it has none, or when the read does not say).
	Poster Image
}

// PlotThread is one character's strand of an ensemble plot.
type PlotThread struct {
	Character string `json:"character"`
	Text      string `json:"text"`
}

// Role is what a person did on a film.
type Role string

// The roles a credit can have, in the order the film page lists crew.
const (
	RoleDirector       Role = "director"
	RoleWriter         Role = "writer"
	RoleProducer       Role = "producer"
	RoleCast           Role = "cast"
	RoleCinematography Role = "cinematography"
	RoleEditing        Role = "editing"
	RoleMusic          Role = "music"
)

// Roles lists every role in display order.
var Roles = []Role{RoleDirector, RoleWriter, RoleProducer, RoleCast, RoleCinematography, RoleEditing, RoleMusic}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// Label is the heading a role gets on a page.
func (r Role) Label() string {
	switch r {
	case RoleDirector:
		return "Director"
	case RoleWriter:
		return "Writer"
	case RoleProducer:
		return "Producer"
	case RoleCast:
		return "Cast"
	case RoleCinematography:
		return "Cinematography"
	case RoleEditing:
		return "Editing"
	case RoleMusic:
		return "Music"
	}
	return string(r)
}

// Credit ties a person to a film in a role. Cast credits carry the character
// and the billing order; CreditedAs keeps a spelling that differs from the
// person's name.
type Credit struct {
	PersonSlug string `json:"person"`
	PersonName string `json:"-"`
	Role       Role   `json:"role"`
	Character  string `json:"character,omitempty"`
	Billing    int    `json:"billing,omitempty"`
	CreditedAs string `json:"credited_as,omitempty"`
}

// Person is anyone credited on a film.
type Person struct {
	ID   int64  `json:"-"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	// AlsoKnownAs holds other spellings sources use for the same person.
	AlsoKnownAs []string `json:"also_known_as,omitempty"`
	// Biography is a short life in restricted Markdown (the reader
	// subset of internal/markdown), at most MaxBiography characters;
	// empty where no source gives one, never invented.
	Biography string `json:"biography,omitempty"`
	// BirthDate and DeathDate are partial dates ("1964" alone is a
	// known year), the places free text as sources give them; each is
	// empty where it is not known.
	BirthDate  Date   `json:"birth_date,omitempty"`
	BirthPlace string `json:"birth_place,omitempty"`
	DeathDate  Date   `json:"death_date,omitempty"`
	DeathPlace string `json:"death_place,omitempty"`
}

// MaxBiography is how long a person's biography may be, in characters: a
// few paragraphs, the short life a person page opens with.
const MaxBiography = 4000

// PersonCredit is one line of a person's filmography.
type PersonCredit struct {
	Film       Summary
	Role       Role
	Character  string
	CreditedAs string
	// Billing is the cast credit's place in the billing, 0 for unbilled.
	Billing int
	// FilmRatings and FilmReviews are the film's reader ratings and its
	// approved reader and public critic reviews (see KnownFor).
	FilmRatings int
	FilmReviews int
}

// principal reports whether the credit is a principal part: anything but
// a cast credit billed after third or unbilled.
func (c PersonCredit) principal() bool {
	return c.Role != RoleCast || (c.Billing >= 1 && c.Billing <= 3)
}

// CompanyRole is what a company did for a film.
type CompanyRole string

// The company roles Marquee records.
const (
	CompanyStudio      CompanyRole = "studio"
	CompanyDistributor CompanyRole = "distributor"
)

// CompanyCredit names a studio or distributor, with the territory where a
// distributor is known to have released the film.
type CompanyCredit struct {
	// Slug addresses the company's page; the store fills it in.
	Slug      string      `json:"-"`
	Name      string      `json:"name"`
	Role      CompanyRole `json:"role"`
	Territory string      `json:"territory,omitempty"`
}

// Release is a film's release in one country.
type Release struct {
	Country string `json:"country"`
	Date    Date   `json:"date"`
	Note    string `json:"note,omitempty"`
}

// BoxOfficeKind tells an opening weekend from a cumulative gross.
type BoxOfficeKind string

// The box office figures Marquee records.
const (
	BoxOfficeOpeningWeekend BoxOfficeKind = "opening_weekend"
	BoxOfficeGross          BoxOfficeKind = "gross"
)

// BoxOffice is one box office figure as a source reported it. Sources often
// disagree, so figures are kept side by side with their territory, date and
// source rather than merged.
type BoxOffice struct {
	Kind      BoxOfficeKind `json:"kind"`
	Amount    Money         `json:"amount"`
	Territory string        `json:"territory,omitempty"`
	Screens   int           `json:"screens,omitempty"`
	AsOf      Date          `json:"as_of,omitempty"`
	Source    string        `json:"source"`
}

// Location is a place where the film was shot.
type Location struct {
	Place   string `json:"place"`
	Address string `json:"address,omitempty"`
}

// Website is an official site; URL may be unknown when a source names the
// site without its address.
type Website struct {
	Label     string `json:"label"`
	URL       string `json:"url,omitempty"`
	Territory string `json:"territory,omitempty"`
}

// Soundtrack is the album released with the film.
type Soundtrack struct {
	Title          string  `json:"title"`
	Notes          string  `json:"notes,omitempty"`
	ChartPeak      int     `json:"chart_peak,omitempty"`
	ChartTerritory string  `json:"chart_territory,omitempty"`
	Tracks         []Track `json:"tracks"`
}

// Track is one numbered track of a soundtrack album.
type Track struct {
	Number int    `json:"number"`
	Artist string `json:"artist"`
	Title  string `json:"title"`
}

// ScoreKind tells critics' scores from audience scores.
type ScoreKind string

// The kinds of external score.
const (
	ScoreCritics  ScoreKind = "critics"
	ScoreAudience ScoreKind = "audience"
)

// ExternalScore is a score published elsewhere, shown as a cited fact and
// never mixed with Marquee's own ratings.
type ExternalScore struct {
	Source string    `json:"source"`
	Kind   ScoreKind `json:"kind"`
	Value  float64   `json:"value"`
	Scale  float64   `json:"scale"`
	// Count is the sample size; CountUnit says what was counted
	// ("reviews", "critics", "votes").
	Count        int     `json:"count,omitempty"`
	CountUnit    string  `json:"count_unit,omitempty"`
	Average      float64 `json:"average,omitempty"`
	AverageScale float64 `json:"average_scale,omitempty"`
	Summary      string  `json:"summary,omitempty"`
	Consensus    string  `json:"consensus,omitempty"`
	AsOf         Date    `json:"as_of,omitempty"`
	CitedIn      string  `json:"cited_in,omitempty"`
}

// PressQuote is a short verdict quoted from a published review.
type PressQuote struct {
	Critic      string `json:"critic"`
	Publication string `json:"publication"`
	Quote       string `json:"quote"`
}

// AwardOutcome is whether an award was won or only a nomination.
type AwardOutcome string

// The outcomes of an award.
const (
	AwardWon       AwardOutcome = "won"
	AwardNominated AwardOutcome = "nominated"
)

// Award is an award or nomination the film received.
type Award struct {
	Name     string       `json:"name"`
	Event    string       `json:"event"`
	Year     int          `json:"year"`
	Category string       `json:"category,omitempty"`
	Outcome  AwardOutcome `json:"outcome"`
}

// Trivia is one piece of trivia about the film.
type Trivia struct {
	Text string `json:"text"`
}

// Goof is a mistake visible in the film.
type Goof struct {
	Category string `json:"category,omitempty"`
	Text     string `json:"text"`
}

// Quote is a line from the film, with the character who speaks it where
// known.
type Quote struct {
	Character string `json:"character,omitempty"`
	Text      string `json:"text"`
}

// ReviewStatus is where a critic review stands in the editorial workflow.
type ReviewStatus string

// The editorial states of a critic review.
const (
	ReviewDraft     ReviewStatus = "draft"
	ReviewInReview  ReviewStatus = "in_review"
	ReviewScheduled ReviewStatus = "scheduled"
	ReviewPublished ReviewStatus = "published"
)

// Rating is a score on a review's own scale: 3 of 5 stars, 7 of 10.
type Rating struct {
	Value float64 `json:"value"`
	Scale int     `json:"scale"`
}

// CriticReview is a review written for the site by a critic.
type CriticReview struct {
	ID       int64  `json:"-"`
	Slug     string `json:"slug"`
	FilmSlug string `json:"film"`
	Headline string `json:"headline"`
	Author   string `json:"author"`
	// AuthorSlug names the person in the catalogue who wrote the review,
	// when there is one, so the byline can link to them.
	AuthorSlug  string       `json:"author_person,omitempty"`
	Publication string       `json:"publication,omitempty"`
	Rating      *Rating      `json:"rating,omitempty"`
	PullQuote   string       `json:"pull_quote,omitempty"`
	Body        string       `json:"body"`
	Spoilers    bool         `json:"spoilers,omitempty"`
	Status      ReviewStatus `json:"status"`
	PublishedAt time.Time    `json:"published_at,omitzero"`
	UpdatedAt   time.Time    `json:"updated_at,omitzero"`
}

// ModerationStatus is where a reader review stands in moderation.
type ModerationStatus string

// The moderation states of a reader review.
const (
	ModerationPending  ModerationStatus = "pending"
	ModerationApproved ModerationStatus = "approved"
	ModerationRejected ModerationStatus = "rejected"
	ModerationSpam     ModerationStatus = "spam"
)

// ReaderReview is a review a reader submitted, rated out of 10.
type ReaderReview struct {
	ID          int64            `json:"-"`
	FilmSlug    string           `json:"film"`
	DisplayName string           `json:"display_name"`
	Title       string           `json:"title"`
	Rating      int              `json:"rating"`
	Body        string           `json:"body"`
	Spoilers    bool             `json:"spoilers,omitempty"`
	Status      ModerationStatus `json:"status"`
	CreatedAt   time.Time        `json:"created_at"`
	// Reader is, in a catalogue, the key (ReaderKey) of the reader who
	// wrote the review when the site knows them by their cookie, so their
	// review and their rating stay one rating after a dump and an import.
	// It is empty for a review that is its own reader, as seeded and
	// imported reviews are: the review's rating then counts once as that
	// reader's.
	Reader string `json:"reader,omitempty"`
	// HelpfulCount is how many readers marked the review helpful; the
	// store keeps it.
	HelpfulCount int `json:"-"`
}

// Catalog is a set of records loaded or saved together: a seed file, an
// import, a dump.
type Catalog struct {
	People        []Person       `json:"people"`
	Films         []Film         `json:"films"`
	CriticReviews []CriticReview `json:"critic_reviews,omitempty"`
	ReaderReviews []ReaderReview `json:"reader_reviews,omitempty"`
	// Ratings and HelpfulVotes are the anonymous readers' own marks (see
	// catalog.go in this package), so that a dump keeps the whole site.
	Ratings      []ReaderRating `json:"ratings,omitempty"`
	HelpfulVotes []HelpfulVote  `json:"helpful_votes,omitempty"`
	// Images are the pictures of the catalogue's films and people; a
	// catalogue file nests each in its record (see internal/catalog).
	Images []CatalogImage `json:"-"`
}

// CatalogCounts counts records of each kind in a Catalog.
type CatalogCounts struct {
	People        int
	Films         int
	CriticReviews int
	ReaderReviews int
	Ratings       int
	HelpfulVotes  int
}

// ImportReport says what an import changed: records it added, records it
// found present but different and replaced, and records it found already
// present and left as they were.
type ImportReport struct {
	Added     CatalogCounts
	Updated   CatalogCounts
	Unchanged CatalogCounts
}
