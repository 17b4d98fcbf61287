package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file keeps the pictures (migration 0009): images, their renditions
// with the bytes, and the uses that attach them to films and people. Pages
// read the uses with their renditions through loadImages, in the page's
// own transaction; the desk writes through the ImageStore methods below,
// each one write transaction, so DataVersion moves with every change.

// The statements that read uses. The ids are one JSON array, so each
// statement has one text whatever the number of films (and is prepared
// once).
const (
	postersOfFilmsQuery = `SELECT ` + filmsql.ImageUseColumns + `
		WHERE u.film_id IN (SELECT value FROM json_each(?)) AND u.role = 'poster'
		ORDER BY u.id, r.width`
	imagesOfFilmQuery = `SELECT ` + filmsql.ImageUseColumns + `
		WHERE u.film_id = ? ORDER BY u.role = 'still', u.position, u.id, r.width`
	portraitsOfPeopleQuery = `SELECT ` + filmsql.ImageUseColumns + `
		WHERE u.person_id IN (SELECT value FROM json_each(?)) AND u.role = 'portrait'
		ORDER BY u.id, r.width`
)

// loadImages reads the uses a query selects, each with its renditions.
func loadImages(ctx context.Context, q querier, query string, args ...any) ([]filmsql.OwnedImage, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	defer rows.Close()
	var g filmsql.ImageRows
	for rows.Next() {
		if err := g.Scan(rows.Scan); err != nil {
			return nil, fmt.Errorf("images: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	return g.Images(), nil
}

// idList is ids as the JSON array the IN (json_each(?)) statements take.
func idList(ids []int64) string {
	b, _ := json.Marshal(ids) // a slice of integers always marshals
	return string(b)
}

// directorsOfFilmsQuery reads the directors of films, in the order
// summaryColumns gives them.
const directorsOfFilmsQuery = `SELECT c.film_id, p.name FROM credits c JOIN people p ON p.id = c.person_id
	WHERE c.film_id IN (SELECT value FROM json_each(?)) AND c.role = 'director' ORDER BY c.film_id, c.billing, c.id`

// attachPosters fills the Poster of each summary whose film has one, in
// one query, and the Directors of summaries read without them (a
// person's credits), since a film's generated poster names its directors
// and must be the same picture, at the same address, on every page.
func attachPosters(ctx context.Context, q querier, sums []*film.Summary) error {
	if len(sums) == 0 {
		return nil
	}
	if page, ok := q.(preparedTx); ok && page.dressing != nil {
		return attachKeptPosters(ctx, page, sums)
	}
	ids, undirected := filmsql.SummaryIDs(sums)
	if len(undirected) > 0 {
		if err := attachDirectors(ctx, q, sums, undirected); err != nil {
			return err
		}
	}
	posters, err := loadImages(ctx, q, postersOfFilmsQuery, idList(ids))
	if err != nil || len(posters) == 0 {
		return err
	}
	filmsql.SetPosters(sums, posters)
	return nil
}

// filmDressing is what attachPosters adds to a film's summary: its
// poster and its directors (none for either is kept as none).
type filmDressing struct {
	filmID    int64
	poster    film.Image
	directors []string
}

// attachKeptPosters is attachPosters in a page transaction: what it adds
// comes from the memo once read at the same data version (a film shows
// on the person page of everyone credited on it, and on many index
// pages), and what the memo lacks is read in the same two statements and
// kept.
func attachKeptPosters(ctx context.Context, page preparedTx, sums []*film.Summary) error {
	ids, _ := filmsql.SummaryIDs(sums)
	found, missing := page.dressing.getMany(page.version(), ids)
	if found == nil {
		found = map[int64]filmDressing{}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		holders := make([]*film.Summary, len(missing))
		for i, id := range missing {
			holders[i] = &film.Summary{ID: id}
		}
		if err := attachDirectors(ctx, page, holders, missing); err != nil {
			return err
		}
		posters, err := loadImages(ctx, page, postersOfFilmsQuery, idList(missing))
		if err != nil {
			return err
		}
		filmsql.SetPosters(holders, posters)
		kept := make([]filmDressing, len(holders))
		for i, h := range holders {
			kept[i] = filmDressing{filmID: h.ID, poster: h.Poster, directors: h.Directors}
			found[h.ID] = kept[i]
		}
		page.dressing.put(page.version(), kept...)
	}
	for _, s := range sums {
		d := found[s.ID]
		if s.Directors == nil {
			s.Directors = d.directors
		}
		s.Poster = d.poster
	}
	return nil
}

// attachDirectors fills the Directors of the summaries of films ids.
func attachDirectors(ctx context.Context, q querier, sums []*film.Summary, ids []int64) error {
	rows, err := q.QueryContext(ctx, directorsOfFilmsQuery, idList(ids))
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
	filmsql.SetDirectors(sums, byFilm)
	return nil
}

// filmImages reads a film's poster and stills.
func filmImages(ctx context.Context, q querier, filmID int64) (poster film.Image, stills []film.Image, err error) {
	imgs, err := loadImages(ctx, q, imagesOfFilmQuery, filmID)
	if err != nil {
		return film.Image{}, nil, err
	}
	poster, stills = filmsql.SplitFilmImages(imgs)
	return poster, stills, nil
}

// portraits reads the portraits of people by id, keyed by person id.
func portraits(ctx context.Context, q querier, personIDs []int64) (map[int64]film.Image, error) {
	if len(personIDs) == 0 {
		return nil, nil
	}
	imgs, err := loadImages(ctx, q, portraitsOfPeopleQuery, idList(personIDs))
	if err != nil {
		return nil, err
	}
	return filmsql.ByPerson(imgs), nil
}

// creditedPortraitsQuery reads the portraits of the people credited on a
// film, by slug.
const creditedPortraitsQuery = `SELECT DISTINCT p.id, p.slug FROM credits c JOIN people p ON p.id = c.person_id
	JOIN image_uses u ON u.person_id = p.id AND u.role = 'portrait' WHERE c.film_id = ?`

// creditedPortraits reads the portraits of a film's people by person slug.
func creditedPortraits(ctx context.Context, q querier, filmID int64) (map[string]film.Image, error) {
	rows, err := q.QueryContext(ctx, creditedPortraitsQuery, filmID)
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

// FindRendition reads a rendition with its bytes by its hash.
func (db *DB) FindRendition(ctx context.Context, hash string) (film.RenditionData, error) {
	if !film.ValidImageHash(hash) {
		return film.RenditionData{}, fmt.Errorf("rendition %q: %w", hash, film.ErrNotFound)
	}
	var d film.RenditionData
	var format string
	err := db.read.QueryRowContext(ctx, `SELECT hash, width, height, format, bytes FROM image_renditions WHERE hash = ?`, hash).
		Scan(&d.Hash, &d.Width, &d.Height, &format, &d.Bytes)
	if errors.Is(err, sql.ErrNoRows) {
		return film.RenditionData{}, fmt.Errorf("rendition %q: %w", hash, film.ErrNotFound)
	}
	if err != nil {
		return film.RenditionData{}, fmt.Errorf("rendition %q: %w", hash, err)
	}
	d.Format = film.ImageFormat(format)
	return d, nil
}

// ownerRow finds an owner's id, display name and year (0 for a person).
func ownerRow(ctx context.Context, q querier, o film.ImageOwner) (id int64, name string, year int, err error) {
	switch o.Kind {
	case film.OwnerFilm:
		err = q.QueryRowContext(ctx, `SELECT id, title, year FROM films WHERE slug = ?`, o.Slug).Scan(&id, &name, &year)
	case film.OwnerPerson:
		err = q.QueryRowContext(ctx, `SELECT id, name FROM people WHERE slug = ?`, o.Slug).Scan(&id, &name)
	default:
		return 0, "", 0, fmt.Errorf("pictures of a %q: %w", o.Kind, film.ErrNotFound)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", 0, fmt.Errorf("%s %q: %w", o.Kind, o.Slug, film.ErrNotFound)
	}
	if err != nil {
		return 0, "", 0, fmt.Errorf("%s %q: %w", o.Kind, o.Slug, err)
	}
	return id, name, year, nil
}

// OwnedImages reads a film's or person's pictures for the desk.
func (db *DB) OwnedImages(ctx context.Context, o film.ImageOwner) (film.OwnedImages, error) {
	out := film.OwnedImages{Owner: o}
	err := db.inPageTx(ctx, func(q querier) error {
		id, name, year, err := ownerRow(ctx, q, o)
		if err != nil {
			return err
		}
		out.Name, out.Year = name, year
		if o.Kind == film.OwnerFilm {
			poster, stills, err := filmImages(ctx, q, id)
			out.Images = filmsql.OwnerImages(poster, stills)
			return err
		}
		byID, err := portraits(ctx, q, []int64{id})
		if img, ok := byID[id]; ok {
			out.Images = append(out.Images, img)
		}
		return err
	})
	if err != nil {
		return film.OwnedImages{}, fmt.Errorf("pictures of %s %q: %w", o.Kind, o.Slug, err)
	}
	return out, nil
}

// AddImage stores a picture (once, however many records use it) and
// attaches it to its owner: a poster or portrait in place of the one
// there was, a still after the others.
func (db *DB) AddImage(ctx context.Context, o film.ImageOwner, img film.NewImage, by film.User, now time.Time) (film.Image, error) {
	img, err := filmsql.CheckNewImage(o, img)
	if err != nil {
		return film.Image{}, err
	}
	var useID int64
	err = db.inWriteTx(ctx, func(tx *sql.Tx) error {
		ownerID, _, _, err := ownerRow(ctx, tx, o)
		if err != nil {
			return err
		}
		var n int
		useID, n, err = addImage(ctx, tx, o.Kind, ownerID, img, now)
		if err != nil {
			return err
		}
		if err := filmsql.TooManyStills(img.Role, n); err != nil {
			return err
		}
		return touchOwner(ctx, tx, o, ownerID, "image.add", img.Role, by, now)
	})
	if err != nil {
		return film.Image{}, fmt.Errorf("add %s to %s %q: %w", img.Role, o.Kind, o.Slug, err)
	}
	imgs, err := db.OwnedImages(ctx, o)
	if err != nil {
		return film.Image{}, err
	}
	if i, ok := filmsql.FindImage(imgs.Images, useID); ok {
		return i, nil
	}
	return film.Image{}, fmt.Errorf("add %s to %s %q: %w", img.Role, o.Kind, o.Slug, film.ErrConflict)
}

// addImage stores img's renditions (if the picture is new) and a use of it
// by the owner, replacing a poster or portrait. It returns the use's id
// and, for a still, how many stills the film has now. Import and the desk
// both write through it.
func addImage(ctx context.Context, tx *sql.Tx, kind film.ImageOwnerKind, ownerID int64, img film.NewImage, now time.Time) (int64, int, error) {
	imageID, err := storeImage(ctx, tx, img.Renditions, now)
	if err != nil {
		return 0, 0, err
	}
	col := filmsql.OwnerColumn(kind)
	position := 0
	if img.Role == film.ImageStill {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position) + 1, 0) FROM image_uses WHERE film_id = ? AND role = 'still'`,
			ownerID).Scan(&position); err != nil {
			return 0, 0, fmt.Errorf("next still: %w", err)
		}
	} else {
		var old []int64
		rows, err := tx.QueryContext(ctx, `SELECT id FROM image_uses WHERE `+col+` = ? AND role = ?`, ownerID, string(img.Role))
		if err != nil {
			return 0, 0, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, 0, err
			}
			old = append(old, id)
		}
		rows.Close()
		for _, id := range old {
			if err := removeUse(ctx, tx, id); err != nil {
				return 0, 0, err
			}
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO image_uses (image_id, `+col+`, role, position, alt, caption, credit, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, imageID, ownerID, string(img.Role), position, img.Alt, img.Caption, img.Credit, formatTime(now))
	if err != nil {
		return 0, 0, fmt.Errorf("attach picture: %w", err)
	}
	id, err := res.LastInsertId()
	return id, position + 1, err
}

// storeImage returns the id of the picture whose largest rendition is the
// last of renditions, storing it and its renditions when it is new.
func storeImage(ctx context.Context, tx *sql.Tx, renditions []film.RenditionData, now time.Time) (int64, error) {
	largest := renditions[len(renditions)-1]
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM images WHERE hash = ?`, largest.Hash).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find picture: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO images (hash, width, height, created_at) VALUES (?, ?, ?, ?)`,
		largest.Hash, largest.Width, largest.Height, formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("store picture: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, err
	}
	for _, r := range renditions {
		// A rendition identical to one of another picture (a tiny picture
		// uploaded twice at different sizes) is kept once.
		if _, err := tx.ExecContext(ctx, `INSERT INTO image_renditions (hash, image_id, width, height, format, bytes)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
			r.Hash, id, r.Width, r.Height, string(r.Format), r.Bytes); err != nil {
			return 0, fmt.Errorf("store rendition %d: %w", r.Width, err)
		}
	}
	return id, nil
}

// removeUse deletes a use, and its picture when nothing else uses it.
func removeUse(ctx context.Context, tx *sql.Tx, useID int64) error {
	var imageID int64
	if err := tx.QueryRowContext(ctx, `DELETE FROM image_uses WHERE id = ? RETURNING image_id`, useID).Scan(&imageID); err != nil {
		return fmt.Errorf("remove picture use %d: %w", useID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM images WHERE id = ? AND NOT EXISTS (SELECT 1 FROM image_uses WHERE image_id = ?)`,
		imageID, imageID); err != nil {
		return fmt.Errorf("remove picture %d: %w", imageID, err)
	}
	return nil
}

// touchOwner records a change to an owner's pictures: its change time,
// which the sitemap's lastmod follows, and the audit log.
func touchOwner(ctx context.Context, tx *sql.Tx, o film.ImageOwner, id int64, action string, role film.ImageRole, by film.User, now time.Time) error {
	table := "films"
	if o.Kind == film.OwnerPerson {
		table = "people"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET updated_at = ? WHERE id = ?`, formatTime(now), id); err != nil {
		return fmt.Errorf("touch %s: %w", o.Kind, err)
	}
	return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: by.ID, Action: action, RecordType: string(o.Kind), RecordID: id,
		Detail: o.Slug + " " + string(role)})
}

// findUse finds a use of a picture by its owner, returning its role and
// position; ErrNotFound when the owner has no such use.
func findUse(ctx context.Context, tx *sql.Tx, o film.ImageOwner, id int64) (ownerID int64, role film.ImageRole, position int, err error) {
	if ownerID, _, _, err = ownerRow(ctx, tx, o); err != nil {
		return 0, "", 0, err
	}
	var r string
	err = tx.QueryRowContext(ctx, `SELECT role, position FROM image_uses WHERE id = ? AND `+filmsql.OwnerColumn(o.Kind)+` = ?`, id, ownerID).
		Scan(&r, &position)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", 0, fmt.Errorf("picture %d of %s %q: %w", id, o.Kind, o.Slug, film.ErrNotFound)
	}
	return ownerID, film.ImageRole(r), position, err
}

// UpdateImageText changes a use's alt text, caption and credit.
func (db *DB) UpdateImageText(ctx context.Context, o film.ImageOwner, id int64, text film.ImageText, by film.User, now time.Time) error {
	text = text.Trimmed()
	if err := text.Validate(); err != nil {
		return err
	}
	return db.inWriteTx(ctx, func(tx *sql.Tx) error {
		ownerID, role, _, err := findUse(ctx, tx, o, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE image_uses SET alt = ?, caption = ?, credit = ? WHERE id = ?`,
			text.Alt, text.Caption, text.Credit, id); err != nil {
			return fmt.Errorf("update picture text: %w", err)
		}
		return touchOwner(ctx, tx, o, ownerID, "image.update", role, by, now)
	})
}

// MoveImage moves a still by delta places among its film's stills,
// renumbering them from 0.
func (db *DB) MoveImage(ctx context.Context, o film.ImageOwner, id int64, delta int, by film.User, now time.Time) error {
	return db.inWriteTx(ctx, func(tx *sql.Tx) error {
		ownerID, role, _, err := findUse(ctx, tx, o, id)
		if err != nil {
			return err
		}
		if role != film.ImageStill {
			return film.Problems{"position": "only stills have an order"}
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM image_uses WHERE film_id = ? AND role = 'still' ORDER BY position, id`, ownerID)
		if err != nil {
			return err
		}
		var order []int64
		for rows.Next() {
			var u int64
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return err
			}
			order = append(order, u)
		}
		rows.Close()
		if !filmsql.MoveStill(order, id, delta) {
			return nil
		}
		for pos, u := range order {
			if _, err := tx.ExecContext(ctx, `UPDATE image_uses SET position = ? WHERE id = ?`, pos, u); err != nil {
				return fmt.Errorf("order stills: %w", err)
			}
		}
		return touchOwner(ctx, tx, o, ownerID, "image.move", role, by, now)
	})
}

// RemoveImage detaches a picture from its owner.
func (db *DB) RemoveImage(ctx context.Context, o film.ImageOwner, id int64, by film.User, now time.Time) error {
	return db.inWriteTx(ctx, func(tx *sql.Tx) error {
		ownerID, role, _, err := findUse(ctx, tx, o, id)
		if err != nil {
			return err
		}
		if err := removeUse(ctx, tx, id); err != nil {
			return err
		}
		return touchOwner(ctx, tx, o, ownerID, "image.remove", role, by, now)
	})
}

// usesWithBytesQuery reads an owner's uses with their picture's widest
// rendition, the file a catalogue carries (%s is the owner's column).
const usesWithBytesQuery = `SELECT u.role, u.alt, u.caption, u.credit, i.hash, r.bytes
	FROM image_uses u JOIN images i ON i.id = u.image_id JOIN image_renditions r ON r.hash = i.hash
	WHERE u.%s = ? ORDER BY u.role = 'still', u.position, u.id`

// storedUses reads an owner's uses as a catalogue carries them, each with
// its picture's hash in Renditions[0].
func storedUses(ctx context.Context, tx *sql.Tx, o film.ImageOwner, ownerID int64) ([]film.CatalogImage, error) {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(usesWithBytesQuery, filmsql.OwnerColumn(o.Kind)), ownerID)
	if err != nil {
		return nil, fmt.Errorf("pictures of %s %s: %w", o.Kind, o.Slug, err)
	}
	defer rows.Close()
	var out []film.CatalogImage
	for rows.Next() {
		i, err := filmsql.ScanCatalogUse(o, rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("pictures of %s %s: %w", o.Kind, o.Slug, err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// dumpImages sends an owner's pictures, with their widest renditions'
// bytes, to a writer that takes pictures.
func dumpImages(ctx context.Context, tx *sql.Tx, w film.CatalogWriter, o film.ImageOwner, ownerID int64) error {
	return filmsql.DumpImages(w, func() ([]film.CatalogImage, error) { return storedUses(ctx, tx, o, ownerID) })
}

// images imports a catalogue's pictures, owner by owner and role by
// role: a role whose pictures (the same files with the same text, in the
// same order) are stored already is left alone; one with none stored is
// added; one that differs is replaced when the import updates. Pictures
// must have been checked (catalog.Document.LoadImages), which makes their
// renditions.
func (im *importer) Images(imgs []film.CatalogImage) error {
	groups, err := filmsql.GroupCatalogImages(imgs)
	if err != nil {
		return err
	}
	ctx, tx := im.w.ctx, im.w.tx
	now, perr := time.Parse(timeLayout, im.w.now)
	if perr != nil {
		now = time.Now()
	}
	for _, g := range groups {
		if err := g.Check(); err != nil {
			return err
		}
		var ownerID int64
		if g.Owner.Kind == film.OwnerPerson {
			ownerID, err = im.w.personID(g.Owner.Slug)
		} else {
			ownerID, err = im.w.filmID(g.Owner.Slug)
		}
		if err != nil {
			return err
		}
		stored, err := storedUses(ctx, tx, g.Owner, ownerID)
		if err != nil {
			return err
		}
		have := filmsql.ImagesInRole(stored, g.Role)
		if filmsql.SameImages(have, g.Images) || (len(have) > 0 && !im.update) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM image_uses WHERE `+filmsql.OwnerColumn(g.Owner.Kind)+` = ? AND role = ?`,
			ownerID, string(g.Role)); err != nil {
			return fmt.Errorf("replace pictures: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM images WHERE NOT EXISTS (SELECT 1 FROM image_uses WHERE image_id = images.id)`); err != nil {
			return fmt.Errorf("replace pictures: %w", err)
		}
		for _, i := range g.Images {
			n, err := g.NewImage(i)
			if err != nil {
				return err
			}
			if _, _, err := addImage(ctx, tx, g.Owner.Kind, ownerID, n, now); err != nil {
				return err
			}
		}
	}
	return nil
}
