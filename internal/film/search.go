package film

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchKind is what a search hit is.
type SearchKind string

// The kinds of search hit, in the order a search ranks them: a film's title
// before a person's name before a character or a place before the text of
// a review.
const (
	SearchFilm         SearchKind = "film"
	SearchPerson       SearchKind = "person"
	SearchCharacter    SearchKind = "character"
	SearchLocation     SearchKind = "location"
	SearchSoundtrack   SearchKind = "soundtrack"
	SearchCriticReview SearchKind = "critic-review"
	SearchReaderReview SearchKind = "reader-review"
)

// Label is how a hit of kind k is labelled in results.
func (k SearchKind) Label() string {
	switch k {
	case SearchFilm:
		return "Film"
	case SearchPerson:
		return "Person"
	case SearchCharacter:
		return "Character"
	case SearchLocation:
		return "Filming location"
	case SearchSoundtrack:
		return "Soundtrack"
	case SearchCriticReview:
		return "Critic review"
	case SearchReaderReview:
		return "Reader review"
	}
	return string(k)
}

// Limits on what a search takes and gives. Longer queries are trimmed, not
// refused: a search box should answer whatever is pasted into it, and the
// limits keep a hostile query from costing more than an ordinary one.
const (
	// MaxSearchRunes is how much of a query is read.
	MaxSearchRunes = 200
	// MaxSearchTerms is how many terms (words or quoted phrases) of a
	// query are used; MaxSearchPhraseWords caps the words of one phrase.
	MaxSearchTerms       = 12
	MaxSearchPhraseWords = 12
	// MaxSearchResults is the most hits a search counts and pages
	// through; past it, a query is too broad to be worth paging.
	MaxSearchResults = 1000
	// minPrefixRunes is the shortest word matched as a prefix: "k" would
	// match half the index and tell the reader nothing.
	minPrefixRunes = 2
)

// SearchTerm is one term of a parsed query: a word, or a phrase of words
// that must appear in order. Words are lower-cased with ligatures spelled
// out (see FoldLigatures); accents are left for the index to fold. A word
// typed bare matches as a prefix ("klap" finds Klapisch) when it has two
// letters or more; a quoted phrase matches whole words only.
type SearchTerm struct {
	Words  []string
	Prefix bool
}

// SearchQuery asks for one page of results.
type SearchQuery struct {
	Text   string
	Offset int
	Limit  int
	// Now decides which scheduled critic reviews are public yet.
	Now time.Time
}

// SearchHit is one result. Which fields are set depends on the kind:
//
//   - film: Title and Also (its original title); Film is the film itself.
//   - person: Title is the name, Also other spellings, Slug theirs; Film
//     is the latest film they are credited on and Role what they did.
//   - character: Title is the character; Person and PersonSlug the actor;
//     Film the film.
//   - location: Locations are the film's filming locations; Film the film.
//   - soundtrack: Title is the album's title, Tracks its tracks; Film the
//     film.
//   - critic review: Title is the headline, Slug the review's, Person the
//     author; Film the film; Body the Markdown that may be quoted.
//   - reader review: Title is the review's title, ReviewID its id,
//     Position how many of the film's approved reviews are newer (so a link
//     can find its page), Person the reader's display name; Film the film;
//     Body the Markdown that may be quoted.
//
// Body is empty for a review flagged as containing spoilers (Spoilers),
// whose text is never shown in results. Whoever turns Body into a snippet
// must remove spoiler markup first (markdown.Excerpt does).
type SearchHit struct {
	Kind       SearchKind
	Title      string
	Also       []string
	Slug       string
	Film       Summary
	Person     string
	PersonSlug string
	Role       Role
	Locations  []Location
	Tracks     []Track
	ReviewID   int64
	Position   int
	Body       string
	Spoilers   bool
}

// SearchResults is one page of hits, the terms they matched and how many
// hits there are in all, counted up to MaxSearchResults.
type SearchResults struct {
	Terms []SearchTerm
	Hits  []SearchHit
	Total int
}

// CleanSearchText makes raw input fit to search for and to show back:
// invalid UTF-8 and control characters become spaces, surrounding space
// goes, and the text is cut to MaxSearchRunes.
func CleanSearchText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxSearchRunes {
		s = strings.TrimSpace(string([]rune(s)[:MaxSearchRunes]))
	}
	return s
}

// isQuote reports whether r opens or closes a phrase: straight quotes and
// the curly ones phones type.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

// ParseSearch reads a query as terms: quoted phrases, and words separated
// by spaces. Anything else (operators, brackets, stars, colons, emoji) is
// not syntax but a separator, as it is to the index's tokenizer, so a word
// such as "sacré-coeur" or "title:x" is a phrase of its parts. An
// unbalanced quote runs to the end. A query with no letters or digits has
// no terms. Repeated terms count once; terms past MaxSearchTerms are
// dropped.
func ParseSearch(text string) []SearchTerm {
	text = CleanSearchText(text)
	var (
		terms []SearchTerm
		seen  = map[string]bool{}
	)
	add := func(chunk string, phrase bool) {
		words := searchWords(chunk)
		if len(words) == 0 || len(terms) >= MaxSearchTerms {
			return
		}
		if len(words) > MaxSearchPhraseWords {
			words = words[:MaxSearchPhraseWords]
		}
		t := SearchTerm{Words: words, Prefix: !phrase && utf8.RuneCountInString(words[len(words)-1]) >= minPrefixRunes}
		key := strings.Join(words, " ")
		if t.Prefix {
			key += "*"
		}
		if !seen[key] {
			seen[key] = true
			terms = append(terms, t)
		}
	}
	for text != "" {
		r, size := utf8.DecodeRuneInString(text)
		switch {
		case isQuote(r):
			text = text[size:]
			end := strings.IndexFunc(text, isQuote)
			if end < 0 {
				end = len(text)
			}
			add(text[:end], true)
			text = text[end:]
			if text != "" {
				_, size = utf8.DecodeRuneInString(text)
				text = text[size:]
			}
		case unicode.IsSpace(r):
			text = text[size:]
		default:
			end := strings.IndexFunc(text, func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) })
			if end < 0 {
				end = len(text)
			}
			add(text[:end], false)
			text = text[end:]
		}
	}
	return terms
}

// searchWords splits s into words the way the index's tokenizer does (runs
// of letters and digits), lower-cased with ligatures spelled out. Combining
// marks are dropped rather than splitting a word, so a decomposed "é"
// reads as the "e" the tokenizer would fold it to.
func searchWords(s string) []string {
	var (
		words []string
		b     strings.Builder
	)
	flush := func() {
		if b.Len() > 0 {
			words = append(words, FoldLigatures(strings.ToLower(b.String())))
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// FoldLigatures spells out the ligatures and the sharp s that the index's
// tokenizer treats as letters of their own, so "coeur" and "cœur" are one
// word. The index's text is folded the same way (migrations/0003_search.sql).
func FoldLigatures(s string) string {
	if !strings.ContainsAny(s, "œŒæÆßẞ") {
		return s
	}
	return ligatures.Replace(s)
}

var ligatures = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss", "ẞ", "SS")

// TextSegment is a piece of text in a search result, marked when it matched
// the query, so a template can highlight it while escaping the text.
type TextSegment struct {
	Text  string
	Match bool
}

// Highlight splits text into segments, marking each word that matches a
// term: equal to one of its words, or beginning with the last when the term
// is a prefix. Case, accents and ligatures are ignored, as in the index.
func Highlight(text string, terms []SearchTerm) []TextSegment {
	var segs []TextSegment
	emit := func(s string, match bool) {
		if s == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Match == match {
			segs[n-1].Text += s
			return
		}
		segs = append(segs, TextSegment{Text: s, Match: match})
	}
	start := 0
	for start < len(text) {
		i := indexWord(text, start)
		if i < 0 {
			break
		}
		j := wordEnd(text, i)
		emit(text[start:i], false)
		emit(text[i:j], wordMatches(text[i:j], terms))
		start = j
	}
	emit(text[start:], false)
	return segs
}

// Matches reports whether any word of text matches one of terms.
func Matches(text string, terms []SearchTerm) bool {
	for i := indexWord(text, 0); i >= 0; i = indexWord(text, wordEnd(text, i)) {
		if wordMatches(text[i:wordEnd(text, i)], terms) {
			return true
		}
	}
	return false
}

// SearchSnippet is a window of at most maxRunes runes of text around its
// first matching word, cut at spaces and marked "…" where cut, and
// highlighted. Text with no match gives its beginning.
func SearchSnippet(text string, terms []SearchTerm, maxRunes int) []TextSegment {
	first := -1
	for i := indexWord(text, 0); i >= 0; i = indexWord(text, wordEnd(text, i)) {
		if wordMatches(text[i:wordEnd(text, i)], terms) {
			first = i
			break
		}
	}
	if utf8.RuneCountInString(text) <= maxRunes {
		return Highlight(text, terms)
	}
	// Start a little before the match, at a space, so the match has some
	// context before it and most of the window after.
	start := 0
	if first > 0 {
		lead := maxRunes / 4
		start = first
		for n := 0; start > 0 && n < lead; n++ {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
		}
		if start > 0 {
			if sp := strings.IndexByte(text[start:first], ' '); sp >= 0 {
				start += sp + 1
			} else {
				start = first
			}
		}
	}
	prefix := ""
	if start > 0 {
		prefix = "…"
		maxRunes--
	}
	window := text[start:]
	if utf8.RuneCountInString(window) > maxRunes {
		cut := window[:runeOffset(window, maxRunes-1)]
		if sp := strings.LastIndexByte(cut, ' '); sp > 0 {
			cut = cut[:sp]
		}
		window = strings.TrimRight(cut, " ,;:") + "…"
	}
	segs := Highlight(window, terms)
	switch {
	case prefix == "":
	case len(segs) > 0 && !segs[0].Match:
		segs[0].Text = prefix + segs[0].Text
	default:
		segs = append([]TextSegment{{Text: prefix}}, segs...)
	}
	return segs
}

// runeOffset is the byte offset of the n-th rune of s (len(s) if shorter).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// isWordRune is what the tokenizer counts as part of a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}

// indexWord is the byte offset of the first word at or after from, or -1.
func indexWord(s string, from int) int {
	if from >= len(s) {
		return -1
	}
	i := strings.IndexFunc(s[from:], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) })
	if i < 0 {
		return -1
	}
	return from + i
}

// wordEnd is the byte offset just after the word starting at i.
func wordEnd(s string, i int) int {
	j := strings.IndexFunc(s[i:], func(r rune) bool { return !isWordRune(r) })
	if j < 0 {
		return len(s)
	}
	return i + j
}

func wordMatches(word string, terms []SearchTerm) bool {
	w := foldWord(word)
	for _, t := range terms {
		for i, tw := range t.Words {
			tw = foldWord(tw)
			if w == tw || (t.Prefix && i == len(t.Words)-1 && strings.HasPrefix(w, tw)) {
				return true
			}
		}
	}
	return false
}

// foldWord lower-cases a word and strips the accents of Latin letters, as
// the index's tokenizer does, for highlighting; it need not be exact, as
// matching itself is done by the index.
func foldWord(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if base, ok := latinBase[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// latinBase maps lower-case accented Latin letters to their letters without
// accents (and ligatures to their spelling).
var latinBase = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăąǎǻ",
		"c": "çćĉċč",
		"d": "ďđ",
		"e": "èéêëēĕėęě",
		"g": "ĝğġģ",
		"h": "ĥħ",
		"i": "ìíîïĩīĭįı",
		"j": "ĵ",
		"k": "ķ",
		"l": "ĺļľŀł",
		"n": "ñńņňŉ",
		"o": "òóôõöøōŏőǒ",
		"r": "ŕŗř",
		"s": "śŝşšș",
		"t": "ţťŧț",
		"u": "ùúûüũūŭůűųǔ",
		"w": "ŵ",
		"y": "ýÿŷ",
		"z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
