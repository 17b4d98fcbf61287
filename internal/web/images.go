package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"image"
	_ "image/jpeg" // share cards decode uploaded posters
	_ "image/png"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/internal/picture"
	"marquee/internal/sharecard"
	"marquee/templates"
)

// This file is the site's pictures: the view-models pages place them
// with, the handlers that serve them, and the desk's picture pages.
//
// View-model builders (render the result with templates.Picture,
// templates.Figure or templates.Portrait):
//
//	posterView(s film.Summary, width int) templates.PictureView
//	    a film's poster in a list, laid out width CSS pixels wide: the
//	    uploaded poster's renditions, or the generated typographic poster.
//	filmPosterView(p film.FilmPage, width int) templates.PictureView
//	    the poster in a film page's header: the same, loaded eagerly.
//	stillViews(p film.FilmPage, width int) []templates.PictureView
//	    a film's stills in order, with captions and credits (templates.Figure).
//	portraitView(name string, img film.Image, width int, decorative bool) templates.PortraitView
//	    a person's portrait, or their initials on a colour of their own;
//	    decorative when the name is printed beside it.
//	castPortraitView(p film.FilmPage, c film.Credit, width int) templates.PortraitView
//	    a credited person's portrait on a film page (p.Portraits).
//
// Widths are CSS pixels; each builder offers renditions up to twice that
// for dense screens and writes sizes from it, so the stylesheet should
// lay the picture out at that width (or narrower).

// posterView is a film's poster in a list, laid out width CSS pixels wide.
func posterView(s film.Summary, width int) templates.PictureView {
	if !s.Poster.IsZero() {
		return imageView(s.Poster, width)
	}
	return generatedPosterView(posterArt(s), s.Slug, width)
}

// filmPosterView is the poster of a film page's header: on the first
// screen, so it loads at once.
func filmPosterView(p film.FilmPage, width int) templates.PictureView {
	var v templates.PictureView
	if !p.Poster.IsZero() {
		v = imageView(p.Poster, width)
	} else {
		v = generatedPosterView(posterArt(filmSummaryOf(p.Film)), p.Film.Slug, width)
	}
	v.Eager = true
	return v
}

// stillViews are a film's stills in order, each laid out width CSS
// pixels wide at most, with its caption and credit.
func stillViews(p film.FilmPage, width int) []templates.PictureView {
	out := make([]templates.PictureView, len(p.Stills))
	for i, st := range p.Stills {
		out[i] = imageView(st, width)
	}
	return out
}

// portraitView is a person's portrait laid out width CSS pixels wide, or
// their initials when they have none. decorative hides the initials from
// assistive technology, for a placeholder beside the printed name.
func portraitView(name string, img film.Image, width int, decorative bool) templates.PortraitView {
	if !img.IsZero() {
		return templates.PortraitView{Picture: imageView(img, width)}
	}
	size := "small"
	if width >= 160 {
		size = "large"
	}
	return templates.PortraitView{Initials: templates.InitialsView{
		Initials: initials(name), Hue: nameHue(name), Name: name, Decorative: decorative, Size: size,
	}}
}

// castPortraitView is a credited person's portrait on a film page, with
// their name printed beside it.
func castPortraitView(p film.FilmPage, c film.Credit, width int) templates.PortraitView {
	return portraitView(c.PersonName, p.Portraits[c.PersonSlug], width, true)
}

// imageView lays out an uploaded picture width CSS pixels wide.
func imageView(img film.Image, width int) templates.PictureView {
	v := templates.PictureView{Alt: img.Alt, Caption: img.Caption, Credit: img.Credit, Sizes: sizesFor(width)}
	for _, r := range img.Renditions {
		v.Srcset = append(v.Srcset, templates.SrcsetEntry{URL: paths.Image(r.Hash, r.Format.Ext()), Width: r.Width})
	}
	// The fallback is the narrowest rendition that fills the box on a
	// dense screen, or the widest there is.
	src := img.Largest()
	for _, r := range img.Renditions {
		if r.Width >= 2*width {
			src = r
			break
		}
	}
	v.Src, v.Width, v.Height = paths.Image(src.Hash, src.Format.Ext()), src.Width, src.Height
	return v
}

// generatedPosterView lays out a film's drawn poster width CSS pixels
// wide. Its text alternative is empty: it shows the title, year and
// director, which the page prints beside it.
func generatedPosterView(a sharecard.PosterArt, slug string, width int) templates.PictureView {
	hash := a.Hash()
	v := templates.PictureView{Sizes: sizesFor(width), Generated: true}
	src := sharecard.PosterWidths[len(sharecard.PosterWidths)-1]
	for _, w := range sharecard.PosterWidths {
		v.Srcset = append(v.Srcset, templates.SrcsetEntry{URL: paths.GeneratedPoster(slug, hash, w), Width: w})
	}
	for _, w := range sharecard.PosterWidths {
		if w >= 2*width {
			src = w
			break
		}
	}
	v.Src, v.Width, v.Height = paths.GeneratedPoster(slug, hash, src), src, src*3/2
	return v
}

// sizesFor is the sizes attribute of a picture laid out width CSS pixels
// wide.
func sizesFor(width int) string { return strconv.Itoa(width) + "px" }

// posterArt is what a film's generated poster shows. Directors are
// sorted, so a summary and a full record (which may list them in another
// order) draw the same poster at the same address.
func posterArt(s film.Summary) sharecard.PosterArt {
	directors := s.Directors
	if !slices.IsSorted(directors) {
		directors = slices.Sorted(slices.Values(directors))
	}
	return sharecard.PosterArt{Title: s.Title, Year: s.Year, Director: joinNames(directors), Seed: s.Slug}
}

// filmSummaryOf is the short form of a full film record.
func filmSummaryOf(f film.Film) film.Summary {
	s := film.Summary{ID: f.ID, Slug: f.Slug, Title: f.Title, OriginalTitle: f.OriginalTitle, Year: f.Year}
	for _, c := range f.Credits {
		if c.Role == film.RoleDirector {
			s.Directors = append(s.Directors, c.PersonName)
		}
	}
	return s
}

// initials are up to two letters for a name: the first letters of its
// first and last words ("Cédric Klapisch" → "CK", "Mathilde" → "M").
func initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	var out []rune
	for i, w := range words {
		if i != 0 && i != len(words)-1 {
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) {
				out = append(out, unicode.ToUpper(r))
				break
			}
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// nameHue picks one of the placeholder colours from a name, so a person
// keeps their colour on every page.
func nameHue(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % templates.InitialsHues)
}

// immutableCache is the Cache-Control of an address that never changes
// what it serves.
const immutableCache = "public, max-age=31536000, immutable"

// serveImage serves an uploaded picture's rendition by its content hash,
// from the store, cached for good.
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request) error {
	hash, ext := r.PathValue("hash"), r.PathValue("ext")
	format, ok := film.FormatFromExt(ext)
	if !ok || !film.ValidImageHash(hash) {
		return film.ErrNotFound
	}
	d, err := s.db.FindRendition(r.Context(), hash)
	if err != nil {
		return err
	}
	if d.Format != format {
		return film.ErrNotFound
	}
	// The hash names the bytes, so it is the strongest of validators.
	return serveImmutable(w, r, format.ContentType(), `"`+hash+`"`, d.Bytes)
}

// serveImmutable answers with body as an immutable, cacheable file.
func serveImmutable(w http.ResponseWriter, r *http.Request, contentType, etag string, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", immutableCache)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // The client has gone if this fails.
	}
	return nil
}

// serveGeneratedPoster draws a film's typographic poster at one of
// sharecard.PosterWidths. The address carries the hash of what is drawn:
// a stale hash (the film changed) redirects to the current poster. Drawn
// posters are kept in the share cards' bounded cache.
func (s *Server) serveGeneratedPoster(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	width, err := strconv.Atoi(r.PathValue("width"))
	if err != nil || !sharecard.ValidPosterWidth(width) {
		return film.ErrNotFound
	}
	sum, err := s.db.FindFilmSummary(r.Context(), slug)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectFilm, func(to string) string {
			return paths.GeneratedPoster(to, r.PathValue("hash"), width)
		}, slug, err)
	}
	art := posterArt(sum)
	hash := art.Hash()
	if r.PathValue("hash") != hash {
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(cardRedirectMaxAge))
		http.Redirect(w, r, paths.GeneratedPoster(sum.Slug, hash, width), http.StatusMovedPermanently)
		return nil
	}
	key := "poster " + hash + " " + strconv.Itoa(width)
	d, ok := s.cards.get(key)
	if !ok {
		png, err := sharecard.DrawPoster(art, width)
		if err != nil {
			return err
		}
		d = drawnCard{png: png, etag: strongETag(png)}
		s.cards.put(key, d)
	}
	return serveImmutable(w, r, "image/png", d.etag, d.png)
}

// uploadReadTimeout is how long a picture upload's body may take to
// arrive: 15 MB at about 1 Mbit/s.
const uploadReadTimeout = 2 * time.Minute

// maxUploadBytes bounds a picture upload's request: the largest file and
// room for the form's text fields and multipart framing.
const maxUploadBytes = film.MaxImageBytes + 256<<10

// limitBodies bounds request bodies: picture uploads to maxUploadBytes,
// everything else to maxFormBytes. Past the bound the handler reads an
// *http.MaxBytesError, which becomes 413.
func limitBodies(next http.Handler) http.Handler {
	forms, uploads := limitBody(maxFormBytes)(next), limitBody(maxUploadBytes)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && isPictureUpload(r.URL.Path) {
			// The server's read timeout suits forms; a picture of 15 MB
			// over a slow line needs longer. (A writer that cannot move
			// its deadline, as in tests, keeps the server's.)
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTimeout))
			uploads.ServeHTTP(w, r)
			return
		}
		forms.ServeHTTP(w, r)
	})
}

// isPictureUpload reports whether path is a desk page pictures are
// uploaded to (paths.AdminFilmPictures, paths.AdminPersonPictures).
func isPictureUpload(path string) bool {
	return strings.HasPrefix(path, paths.AdminPattern+"/") && strings.HasSuffix(path, "/pictures")
}

// pictureDone are the messages a picture page shows once after a change,
// named by its done parameter.
var pictureDone = map[string]string{
	"added":   "The picture was added.",
	"saved":   "The picture's text was saved.",
	"moved":   "The stills were reordered.",
	"removed": "The picture was removed.",
}

// pictureOwner is the owner a desk picture route names.
func pictureOwner(r *http.Request, kind film.ImageOwnerKind) (film.ImageOwner, error) {
	slug := r.PathValue("slug")
	if !film.ValidSlug(slug) {
		return film.ImageOwner{}, film.ErrNotFound
	}
	return film.ImageOwner{Kind: kind, Slug: slug}, nil
}

// servePictures shows a film's or person's pictures with the forms that
// change them.
func (s *Server) servePictures(kind film.ImageOwnerKind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, err := pictureOwner(r, kind)
		if err != nil {
			return err
		}
		return s.renderPictures(w, r, http.StatusOK, o, templates.PictureUpload{}, nil, "")
	}
}

// renderPictures writes the desk's picture page of o: its pictures, and
// the upload form with what was typed, its field problems and a refusal
// message, if any.
func (s *Server) renderPictures(w http.ResponseWriter, r *http.Request, status int, o film.ImageOwner,
	form templates.PictureUpload, problems film.Problems, refusal string) error {
	owned, err := s.db.OwnedImages(r.Context(), o)
	if err != nil {
		return err
	}
	v := templates.AdminPicturesView{
		Kind: string(o.Kind), Name: owned.Name, Year: owned.Year, Form: form, Problems: problems, Refusal: refusal,
		MaxMegabytes: film.MaxImageBytes >> 20, MaxMegapixels: film.MaxImagePixels / 1_000_000,
	}
	section := templates.SectionFilms
	if o.Kind == film.OwnerPerson {
		section = templates.SectionPeople
		v.ViewPath, v.EditPath, v.UploadPath = paths.Person(o.Slug), paths.AdminPersonEdit(o.Slug), paths.AdminPersonPictures(o.Slug)
		v.Roles = []templates.PictureOption{{Value: string(film.ImagePortrait), Label: film.ImagePortrait.Label()}}
	} else {
		v.ViewPath, v.EditPath, v.UploadPath = paths.Film(o.Slug), paths.AdminFilmEdit(o.Slug), paths.AdminFilmPictures(o.Slug)
		v.Roles = []templates.PictureOption{
			{Value: string(film.ImagePoster), Label: film.ImagePoster.Label()},
			{Value: string(film.ImageStill), Label: film.ImageStill.Label()},
		}
	}
	if v.Form.Role == "" {
		v.Form.Role = v.Roles[0].Value
	}
	stills := 0
	for _, img := range owned.Images {
		if img.Role == film.ImageStill {
			stills++
		}
	}
	seen := 0
	for _, img := range owned.Images {
		it := templates.AdminPictureItem{
			ID: img.ID, Role: img.Role.Label(), Preview: imageView(img, 160), Text: img.ImageText,
			Size:       strconv.Itoa(img.Width) + " × " + strconv.Itoa(img.Height),
			ActionPath: pictureActionPath(o, img.ID),
		}
		if img.Role == film.ImageStill {
			it.Orderable, it.First, it.Last = true, seen == 0, seen == stills-1
			seen++
		}
		v.Items = append(v.Items, it)
	}
	title := "Pictures of " + owned.Name
	v.Page = s.adminPage(r, title, section)
	if msg, ok := pictureDone[r.URL.Query().Get("done")]; ok && status == http.StatusOK {
		v.Page.Flash = msg
	}
	return s.render(w, r, status, templates.AdminPicturesPage(v))
}

// pictureActionPath is where the form of one of o's pictures posts.
func pictureActionPath(o film.ImageOwner, id int64) string {
	if o.Kind == film.OwnerPerson {
		return paths.AdminPersonPicture(o.Slug, id)
	}
	return paths.AdminFilmPicture(o.Slug, id)
}

// picturesPath is o's picture page, with the outcome of a change to show.
func picturesPath(o film.ImageOwner, done string) string {
	base := paths.AdminFilmPictures(o.Slug)
	if o.Kind == film.OwnerPerson {
		base = paths.AdminPersonPictures(o.Slug)
	}
	return paths.WithQuery(base, url.Values{"done": {done}})
}

// uploadMemory is how much of a multipart upload is held in memory; the
// rest spills to a temporary file.
const uploadMemory = 8 << 20

// uploadGate bounds how many uploads are decoded at once: a picture at
// the pixel limit takes 160 MB decoded, so two at a time is the most a
// small server should hold. One gate serves all the picture routes.
type uploadGate chan struct{}

// newUploadGate lets n uploads be decoded at once.
func newUploadGate(n int) uploadGate { return make(uploadGate, n) }

// uploadPicture takes an uploaded picture with its text: checked by
// content and re-encoded (package picture), then attached. A refused file
// or missing text shows the form again (422) with what was typed; a body
// over the limit is 413. Decoding waits its turn at gate.
func (s *Server) uploadPicture(kind film.ImageOwnerKind, gate uploadGate) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		user, err := signedInUser(r)
		if err != nil {
			return err
		}
		o, err := pictureOwner(r, kind)
		if err != nil {
			return err
		}
		if err := r.ParseMultipartForm(uploadMemory); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return &statusError{status: http.StatusRequestEntityTooLarge, heading: "File too large",
					message: "The picture is larger than " + strconv.Itoa(film.MaxImageBytes>>20) +
						" MB, the most this site accepts. Save it smaller (a poster needs no more than 640 pixels across, a still 1600) and upload it again."}
			}
			return badRequest("The upload could not be read: send the form with a file chosen.")
		}
		defer r.MultipartForm.RemoveAll()
		form := templates.PictureUpload{
			Role: r.PostFormValue("role"),
			Text: film.ImageText{Alt: r.PostFormValue("alt"), Caption: r.PostFormValue("caption"), Credit: r.PostFormValue("credit")},
		}
		role := film.ImageRole(form.Role)
		problems := film.Problems{}
		if !o.Accepts(role) {
			problems.Add("role", "Choose what the picture is.")
		}
		if err := form.Text.Trimmed().Validate(); err != nil {
			for k, v := range err.(film.Problems) {
				problems.Add(k, v)
			}
		}
		file, _, err := r.FormFile("file")
		if err != nil {
			problems.Add("file", "Choose a picture to upload.")
			return s.renderPictures(w, r, http.StatusUnprocessableEntity, o, form, problems, "")
		}
		data, err := io.ReadAll(io.LimitReader(file, film.MaxImageBytes+1))
		file.Close()
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return s.renderPictures(w, r, http.StatusUnprocessableEntity, o, form, problems, "")
		}
		select {
		case gate <- struct{}{}:
		case <-r.Context().Done():
			return r.Context().Err()
		}
		renditions, err := picture.Prepare(data, role)
		<-gate
		var refusal *film.ImageRefusal
		if errors.As(err, &refusal) {
			status := http.StatusUnprocessableEntity
			if errors.Is(err, film.ErrImageTooLarge) {
				status = http.StatusRequestEntityTooLarge
			}
			return s.renderPictures(w, r, status, o, form, nil, refusal.Message)
		}
		if err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Second)
		_, err = s.db.AddImage(r.Context(), o, film.NewImage{Role: role, ImageText: form.Text, Renditions: renditions}, user, now)
		var pr film.Problems
		if errors.As(err, &pr) {
			return s.renderPictures(w, r, http.StatusUnprocessableEntity, o, form, pr, "")
		}
		if err != nil {
			return err
		}
		http.Redirect(w, r, picturesPath(o, "added"), http.StatusSeeOther)
		return nil
	}
}

// changePicture saves a picture's text, moves a still, or removes a
// picture, as the button pressed says (action: save, up, down, remove).
func (s *Server) changePicture(kind film.ImageOwnerKind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		user, err := signedInUser(r)
		if err != nil {
			return err
		}
		o, err := pictureOwner(r, kind)
		if err != nil {
			return err
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			return film.ErrNotFound
		}
		if err := r.ParseForm(); err != nil {
			return formError(err)
		}
		ctx, now := r.Context(), s.now().UTC().Truncate(time.Second)
		var done string
		switch r.PostFormValue("action") {
		case "save":
			text := film.ImageText{Alt: r.PostFormValue("alt"), Caption: r.PostFormValue("caption"), Credit: r.PostFormValue("credit")}
			err = s.db.UpdateImageText(ctx, o, id, text, user, now)
			var pr film.Problems
			if errors.As(err, &pr) {
				return s.renderPictures(w, r, http.StatusUnprocessableEntity, o, templates.PictureUpload{}, nil,
					"The picture's text was not saved: "+pictureProblems(pr))
			}
			done = "saved"
		case "up", "down":
			delta := -1
			if r.PostFormValue("action") == "down" {
				delta = 1
			}
			err, done = s.db.MoveImage(ctx, o, id, delta, user, now), "moved"
		case "remove":
			err, done = s.db.RemoveImage(ctx, o, id, user, now), "removed"
		default:
			return badRequest("Choose save, up, down or remove.")
		}
		if err != nil {
			return err
		}
		http.Redirect(w, r, picturesPath(o, done), http.StatusSeeOther)
		return nil
	}
}

// pictureProblems writes field problems as one sentence.
func pictureProblems(p film.Problems) string {
	var parts []string
	for _, f := range []string{"alt", "caption", "credit"} {
		if m, ok := p[f]; ok {
			parts = append(parts, pictureFieldLabel(f)+" "+m)
		}
	}
	return strings.Join(parts, "; ") + "."
}

// pictureFieldLabel names a picture text field in messages.
func pictureFieldLabel(f string) string {
	switch f {
	case "alt":
		return "the text alternative"
	case "caption":
		return "the caption"
	}
	return "the credit"
}

// The widths, in CSS pixels, at which lists lay posters out: a film
// index row, and the compact rows and cards of the home page and search.
const (
	listPosterWidth    = 80
	compactPosterWidth = 56
)

// listPoster is a film's poster in a list, beside its printed title: the
// title says what the picture would, so it is decorative (alt="").
func listPoster(s film.Summary, width int) templates.PictureView {
	v := posterView(s, width)
	v.Alt = ""
	return v
}

// posterMap is the posters of the films in a list, by film id.
func posterMap(width int, sums ...film.Summary) templates.PosterMap {
	m := make(templates.PosterMap, len(sums))
	for _, s := range sums {
		if _, ok := m[s.ID]; !ok {
			m[s.ID] = listPoster(s, width)
		}
	}
	return m
}

// homePosters is the posters of every film the home page lists.
func homePosters(p film.HomePage) templates.PosterMap {
	var sums []film.Summary
	for _, r := range p.LatestReviews {
		sums = append(sums, r.Film)
	}
	for _, list := range [][]film.ListedFilm{p.RecentlyReviewed, p.TopRated} {
		for _, f := range list {
			sums = append(sums, f.Summary)
		}
	}
	for _, t := range p.Trending {
		sums = append(sums, t.Film.Summary)
	}
	return posterMap(compactPosterWidth, sums...)
}

// companyPosters is the posters of a company's films.
func companyPosters(films []film.CompanyFilm) templates.PosterMap {
	sums := make([]film.Summary, len(films))
	for i, cf := range films {
		sums[i] = cf.Film
	}
	return posterMap(compactPosterWidth, sums...)
}

// picturesPage is the desk's picture page of the record of this kind
// ("film" or "person") with this slug, which the record's form links to.
func picturesPage(kind, slug string) string {
	if kind == string(film.OwnerPerson) {
		return paths.AdminPersonPictures(slug)
	}
	return paths.AdminFilmPictures(slug)
}

// cardPosterWidth is the narrowest rendition a share card's poster panel
// (324 pixels wide) is drawn from.
const cardPosterWidth = 320

// loadCardPoster reads the pixels of a film's uploaded poster into its
// share card c, when c shows one and is not drawn and kept already.
func (s *Server) loadCardPoster(ctx context.Context, c *sharecard.Card, poster film.Image) error {
	if c.Poster == nil || poster.IsZero() {
		return nil
	}
	if _, ok := s.cards.get(c.Hash()); ok {
		return nil
	}
	pick := poster.Largest()
	for _, r := range poster.Renditions {
		if r.Width >= cardPosterWidth {
			pick = r
			break
		}
	}
	d, err := s.db.FindRendition(ctx, pick.Hash)
	if err != nil {
		return fmt.Errorf("share card poster: %w", err)
	}
	img, _, err := image.Decode(bytes.NewReader(d.Bytes))
	if err != nil {
		return fmt.Errorf("share card poster: %w", err)
	}
	c.Poster.Image = img
	return nil
}
