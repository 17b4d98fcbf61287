package postgres

import (
	"context"
	"fmt"

	"marquee/internal/film"
)

// This file is the reading half of internal/sqlite/images.go: pages read
// the uses of pictures with their renditions through loadImages, in the
// page's own transaction. Writing pictures is not done yet.

// imageUseColumns are the columns loadImages reads, one row per rendition
// of each use, narrowest rendition first.
const imageUseColumns = `u.id, coalesce(u.film_id, 0), coalesce(u.person_id, 0), u.role, u.position,
	u.alt, u.caption, u.credit, i.hash, i.width, i.height, r.hash, r.width, r.height, r.format
	FROM image_uses u JOIN images i ON i.id = u.image_id JOIN image_renditions r ON r.image_id = i.id`

// The statements that read uses. The ids are one array parameter, so each
// statement has one text whatever the number of films (and is prepared
// once).
const (
	postersOfFilmsQuery = `SELECT ` + imageUseColumns + `
		WHERE u.film_id = ANY ($1) AND u.role = 'poster'
		ORDER BY u.id, r.width`
	imagesOfFilmQuery = `SELECT ` + imageUseColumns + `
		WHERE u.film_id = $1 ORDER BY u.role = 'still', u.position, u.id, r.width`
	portraitsOfPeopleQuery = `SELECT ` + imageUseColumns + `
		WHERE u.person_id = ANY ($1) AND u.role = 'portrait'
		ORDER BY u.id, r.width`
)

// ownedImage is a use with the id of the record that has it.
type ownedImage struct {
	filmID, personID int64
	film.Image
}

// loadImages reads the uses a query selects, each with its renditions.
func loadImages(ctx context.Context, q querier, query string, args ...any) ([]ownedImage, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	defer rows.Close()
	var out []ownedImage
	for rows.Next() {
		var o ownedImage
		var r film.Rendition
		var role, format string
		if err := rows.Scan(&o.ID, &o.filmID, &o.personID, &role, &o.Position, &o.Alt, &o.Caption, &o.Credit,
			&o.Hash, &o.Width, &o.Height, &r.Hash, &r.Width, &r.Height, &format); err != nil {
			return nil, fmt.Errorf("images: %w", err)
		}
		o.Role, r.Format = film.ImageRole(role), film.ImageFormat(format)
		if n := len(out); n > 0 && out[n-1].ID == o.ID {
			out[n-1].Renditions = append(out[n-1].Renditions, r)
			continue
		}
		o.Renditions = []film.Rendition{r}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	return out, nil
}

// directorsOfFilmsQuery reads the directors of films, in the order
// summaryColumns gives them.
const directorsOfFilmsQuery = `SELECT c.film_id, p.name FROM credits c JOIN people p ON p.id = c.person_id
	WHERE c.film_id = ANY ($1) AND c.role = 'director' ORDER BY c.film_id, c.billing, c.id`

// attachPosters fills the Poster of each summary whose film has one, in
// one query, and the Directors of summaries read without them (a
// person's credits), since a film's generated poster names its directors
// and must be the same picture, at the same address, on every page.
func attachPosters(ctx context.Context, q querier, sums []*film.Summary) error {
	if len(sums) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(sums))
	var undirected []int64
	for _, s := range sums {
		ids = append(ids, s.ID)
		if s.Directors == nil {
			undirected = append(undirected, s.ID)
		}
	}
	if len(undirected) > 0 {
		if err := attachDirectors(ctx, q, sums, undirected); err != nil {
			return err
		}
	}
	posters, err := loadImages(ctx, q, postersOfFilmsQuery, ids)
	if err != nil || len(posters) == 0 {
		return err
	}
	byFilm := make(map[int64]film.Image, len(posters))
	for _, p := range posters {
		byFilm[p.filmID] = p.Image
	}
	for _, s := range sums {
		s.Poster = byFilm[s.ID]
	}
	return nil
}

// attachDirectors fills the Directors of the summaries of films ids.
func attachDirectors(ctx context.Context, q querier, sums []*film.Summary, ids []int64) error {
	rows, err := q.Query(ctx, directorsOfFilmsQuery, ids)
	if err != nil {
		return fmt.Errorf("directors: %w", err)
	}
	defer rows.Close()
	byFilm := map[int64][]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("directors: %w", err)
		}
		byFilm[id] = append(byFilm[id], name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("directors: %w", err)
	}
	for _, s := range sums {
		if s.Directors == nil {
			s.Directors = byFilm[s.ID]
		}
	}
	return nil
}

// filmImages reads a film's poster and stills.
func filmImages(ctx context.Context, q querier, filmID int64) (poster film.Image, stills []film.Image, err error) {
	imgs, err := loadImages(ctx, q, imagesOfFilmQuery, filmID)
	if err != nil {
		return film.Image{}, nil, err
	}
	for _, i := range imgs {
		if i.Role == film.ImagePoster {
			poster = i.Image
		} else {
			stills = append(stills, i.Image)
		}
	}
	return poster, stills, nil
}

// portraits reads the portraits of people by id, keyed by person id.
func portraits(ctx context.Context, q querier, personIDs []int64) (map[int64]film.Image, error) {
	if len(personIDs) == 0 {
		return nil, nil
	}
	imgs, err := loadImages(ctx, q, portraitsOfPeopleQuery, personIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]film.Image, len(imgs))
	for _, i := range imgs {
		out[i.personID] = i.Image
	}
	return out, nil
}

// creditedPortraitsQuery reads the portraits of the people credited on a
// film, by slug.
const creditedPortraitsQuery = `SELECT DISTINCT p.id, p.slug FROM credits c JOIN people p ON p.id = c.person_id
	JOIN image_uses u ON u.person_id = p.id AND u.role = 'portrait' WHERE c.film_id = $1`

// creditedPortraits reads the portraits of a film's people by person slug.
func creditedPortraits(ctx context.Context, q querier, filmID int64) (map[string]film.Image, error) {
	rows, err := q.Query(ctx, creditedPortraitsQuery, filmID)
	if err != nil {
		return nil, fmt.Errorf("credited portraits: %w", err)
	}
	defer rows.Close()
	slugs := map[int64]string{}
	var ids []int64
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, fmt.Errorf("credited portraits: %w", err)
		}
		slugs[id] = slug
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("credited portraits: %w", err)
	}
	byID, err := portraits(ctx, q, ids)
	if err != nil || len(byID) == 0 {
		return nil, err
	}
	out := make(map[string]film.Image, len(byID))
	for id, img := range byID {
		out[slugs[id]] = img
	}
	return out, nil
}
