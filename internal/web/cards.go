package web

import (
	"net/http"
	"strconv"
	"sync"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/internal/sharecard"
)

// This file serves the share cards: the PNG images link previews show for
// a film, a critic review or a person (see package sharecard). A card's
// address carries its hash, so an image, once drawn, never changes at its
// address and is cached for a year; when the record changes, so does the
// hash, and the old address answers with a redirect to the new one.
//
// For a page's og:image and twitter:image, build the card with filmCard,
// personCard or criticReviewCard from the page's own snapshot and take its
// address from cardURL, so that the page names the very card the handler
// below draws.

// filmCard is a film's share card: its title, year and directors, and
// the readers' average when readers have rated it on this site.
func filmCard(p film.FilmPage) sharecard.Card {
	f := p.Film
	c := sharecard.Card{Kind: sharecard.KindFilm, Title: f.Title, Year: f.Year, Seed: f.Slug}
	var directors []string
	for _, cr := range f.Credits {
		if cr.Role == film.RoleDirector {
			directors = append(directors, cr.PersonName)
		}
	}
	if len(directors) > 0 {
		c.Subtitle = "Directed by " + joinNames(directors)
	}
	if p.Ratings.Count > 0 {
		c.Rating = &sharecard.Rating{Value: p.Ratings.AverageRounded(), Scale: 10, Note: "Readers' average"}
	}
	if !p.Poster.IsZero() {
		// The hash follows the poster by its name; serveFilmCard reads
		// its pixels only when the card is drawn.
		c.Poster = &sharecard.Poster{Key: p.Poster.Hash}
	}
	return c
}

// criticReviewCard is a critic review's share card: the film's title and
// year, the review's headline and byline, and its rating on the review's
// own scale when it has one. It takes the film's colour.
func criticReviewCard(p film.CriticReviewPage) sharecard.Card {
	r, f := p.Review, p.Film
	c := sharecard.Card{
		Kind: sharecard.KindCriticReview, Title: f.Title, Year: f.Year, Seed: f.Slug,
		Tagline: "“" + r.Headline + "”", Subtitle: "Review by " + r.Author,
	}
	if r.Publication != "" {
		c.Subtitle += ", " + r.Publication
	}
	if r.Rating != nil {
		c.Rating = &sharecard.Rating{Value: r.Rating.Value, Scale: r.Rating.Scale}
	}
	return c
}

// personCard is a person's share card: their name and what they are known
// for, "Director · Paris (2008)".
func personCard(p film.PersonPage) sharecard.Card {
	return sharecard.Card{Kind: sharecard.KindPerson, Title: p.Person.Name, Subtitle: knownFor(p.Credits), Seed: p.Person.Slug}
}

// knownFor is a person's main role with a film in it: the role they hold
// most credits in (the earlier in the site's role order on a tie) and the
// newest film they hold it on. credits come newest film first, as
// PersonPage gives them. It is "" for a person with no credits.
func knownFor(credits []film.PersonCredit) string {
	count := map[film.Role]int{}
	for _, c := range credits {
		count[c.Role]++
	}
	var main film.Role
	for _, role := range film.Roles {
		if count[role] > count[main] {
			main = role
		}
	}
	for _, c := range credits {
		if c.Role == main {
			label := main.Label()
			if main == film.RoleCast {
				label = "Actor"
			}
			return label + " · " + filmTitleYear(c.Film)
		}
	}
	return ""
}

// cardURL is the site path of card c, which was built for the record of
// this kind with this slug (a film's, person's or critic review's). Pages
// give it, made absolute against the site's address, as og:image. It is
// "" for a kind that has no cards.
func (s *Server) cardURL(kind sharecard.Kind, slug string, c sharecard.Card) string {
	switch kind {
	case sharecard.KindFilm:
		return paths.FilmCard(slug, c.Hash())
	case sharecard.KindPerson:
		return paths.PersonCard(slug, c.Hash())
	case sharecard.KindCriticReview:
		return paths.CriticReviewCard(slug, c.Hash())
	}
	return ""
}

// serveFilmCard draws a film's share card.
func (s *Server) serveFilmCard(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	p, err := s.db.FilmPage(r.Context(), film.FilmPageQuery{Slug: slug, Now: s.now()})
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectFilm, movedCard(r, paths.FilmCard), slug, err)
	}
	c := filmCard(p)
	if err := s.loadCardPoster(r.Context(), &c, p.Poster); err != nil {
		return err
	}
	return s.serveCard(w, r, sharecard.KindFilm, p.Film.Slug, c)
}

// servePersonCard draws a person's share card.
func (s *Server) servePersonCard(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	p, err := s.db.PersonPage(r.Context(), slug, s.now(), 0)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectPerson, movedCard(r, paths.PersonCard), slug, err)
	}
	return s.serveCard(w, r, sharecard.KindPerson, p.Person.Slug, personCard(p))
}

// serveCriticReviewCard draws a critic review's share card.
func (s *Server) serveCriticReviewCard(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	p, err := s.db.CriticReviewPage(r.Context(), slug, s.now())
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectReview, movedCard(r, paths.CriticReviewCard), slug, err)
	}
	return s.serveCard(w, r, sharecard.KindCriticReview, p.Review.Slug, criticReviewCard(p))
}

// movedCard is where the card of a record that moved to another slug
// lives: the same hash under the new slug, which redirects on to the
// current card if the hash is stale too.
func movedCard(r *http.Request, card func(slug, hash string) string) func(string) string {
	hash := r.PathValue("hash")
	return func(slug string) string { return card(slug, hash) }
}

// cardRedirectMaxAge is how long a redirect from a stale card to the
// current one may be cached: briefly, since the current card will change
// again.
const cardRedirectMaxAge = 5 * 60

// serveCard answers with card c of the record of this kind and slug: the
// PNG, cached for good, when the address names the current card, and
// otherwise a redirect to the address that does.
func (s *Server) serveCard(w http.ResponseWriter, r *http.Request, kind sharecard.Kind, slug string, c sharecard.Card) error {
	hash := c.Hash()
	if r.PathValue("hash") != hash {
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(cardRedirectMaxAge))
		http.Redirect(w, r, s.cardURL(kind, slug, c), http.StatusMovedPermanently)
		return nil
	}
	d, ok := s.cards.get(hash)
	if !ok {
		png, err := sharecard.Draw(c)
		if err != nil {
			return err
		}
		d = drawnCard{png: png, etag: strongETag(png)}
		s.cards.put(hash, d)
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", d.etag)
	if matchesETag(r.Header.Get("If-None-Match"), d.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(d.png)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(d.png) // The client has gone if this fails.
	}
	return nil
}

// cardCacheBytes bounds the drawn cards kept in memory: a few hundred
// cards of some tens of kilobytes each.
const cardCacheBytes = 8 << 20

// drawnCard is a card's PNG with its ETag.
type drawnCard struct {
	png  []byte
	etag string
}

// cardCache keeps drawn cards by hash, so that a card is drawn once while
// it is asked for. It holds at most maxBytes of PNG and forgets the oldest
// card first. A nil cache keeps nothing.
type cardCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	cards    map[string]drawnCard
	order    []string // oldest first
}

func newCardCache(maxBytes int) *cardCache {
	return &cardCache{maxBytes: maxBytes, cards: map[string]drawnCard{}}
}

func (c *cardCache) get(hash string) (drawnCard, bool) {
	if c == nil {
		return drawnCard{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.cards[hash]
	return d, ok
}

func (c *cardCache) put(hash string, d drawnCard) {
	if c == nil || len(d.png) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cards[hash]; ok {
		return
	}
	c.cards[hash] = d
	c.order = append(c.order, hash)
	c.bytes += len(d.png)
	for c.bytes > c.maxBytes {
		oldest := c.order[0]
		c.order = c.order[1:]
		c.bytes -= len(c.cards[oldest].png)
		delete(c.cards, oldest)
	}
}
