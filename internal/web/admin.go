package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"marquee/internal/auth"
	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// sessionCookie names the cookie that holds an editor's session token.
const sessionCookie = "marquee_session"

// Session lifetimes. A session ends after sessionIdleTimeout without a
// request, and after sessionLifetime however busy. Activity is written at
// most once per sessionTouchInterval, so a page of requests is one write.
const (
	sessionIdleTimeout   = 2 * time.Hour
	sessionLifetime      = 12 * time.Hour
	sessionTouchInterval = time.Minute
)

// SignInLimits bound sign-in attempts and password hashing.
type SignInLimits struct {
	// Throttle limits failed attempts per account and per client; zero
	// fields take auth.DefaultThrottleLimits.
	Throttle auth.ThrottleLimits
	// HashConcurrency is how many passwords may be hashed at once; each
	// hash takes about 19 MiB.
	HashConcurrency int
	// HashWait is how long a sign-in waits for a hashing slot before it is
	// answered 503.
	HashWait time.Duration
	// OnPasswordCheck, when set, is called each time a password is about
	// to be hashed for a sign-in, so tests can count exactly how many
	// guesses reached the hash.
	OnPasswordCheck func()
}

// DefaultSignInLimits suit a small team on a modest server.
var DefaultSignInLimits = SignInLimits{
	Throttle:        auth.DefaultThrottleLimits,
	HashConcurrency: 2,
	HashWait:        3 * time.Second,
}

// signInGuard holds the sign-in throttle and the hashing limiter.
type signInGuard struct {
	throttle *auth.Throttle
	hashes   *auth.HashLimiter
	onCheck  func()
}

func newSignInGuard(l SignInLimits) *signInGuard {
	if l.HashConcurrency <= 0 {
		l.HashConcurrency = DefaultSignInLimits.HashConcurrency
	}
	if l.HashWait <= 0 {
		l.HashWait = DefaultSignInLimits.HashWait
	}
	onCheck := l.OnPasswordCheck
	if onCheck == nil {
		onCheck = func() {}
	}
	return &signInGuard{throttle: auth.NewThrottle(l.Throttle), hashes: auth.NewHashLimiter(l.HashConcurrency, l.HashWait), onCheck: onCheck}
}

// deviceCookie names the cookie that marks a browser that has signed in to
// an account before (see auth.SignDevice). It is sent only to the desk.
const deviceCookie = "marquee_device"

// knownDevice returns the id of the device cookie the request carries
// when it is genuine for account, or "".
func (s *Server) knownDevice(r *http.Request, account string) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	return auth.VerifyDevice(s.formKey, account, c.Value, s.now(), s.signIn.throttle.Limits().KnownClientFor)
}

// setDeviceCookie makes the browser known to account, keeping its id when
// it had one, for as long as the throttle remembers known devices.
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, account, device string) {
	if device == "" {
		device = auth.NewDeviceID()
	}
	maxAge := s.signIn.throttle.Limits().KnownClientFor
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookie, Value: auth.SignDevice(s.formKey, account, device, s.now()),
		Path: paths.AdminPattern, MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

// userContextKey is the context key of the signed-in account; a type of
// its own, unexported, so no other package can collide with it.
type userContextKey struct{}

// sessionEndedKey marks a request whose session cookie named a session
// that has ended, so the sign-in page can say why it is shown.
type sessionEndedKey struct{}

// currentUser returns the account signed in on the request, if any.
func currentUser(ctx context.Context) (film.User, bool) {
	u, ok := ctx.Value(userContextKey{}).(film.User)
	return u, ok
}

// sessionToken returns the session token in the request's cookie, or ""
// when there is none or it is malformed.
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(raw) != 32 {
		return ""
	}
	return c.Value
}

// setSessionCookie gives the browser its session token: HttpOnly so
// scripts cannot read it, SameSite=Lax so other sites' forms do not carry
// it, Secure over TLS, and no longer-lived than the session.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(maxAge / time.Second),
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie tells the browser to forget its session token.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

// loadSession puts the account of the request's session, if it is valid,
// in the request's context. A session that has timed out, or whose account
// is disabled, is deleted and its cookie cleared. Activity is recorded at
// most once a minute.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := sessionToken(r)
		if token == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		hash := tokenHash(token)
		sess, err := s.db.FindSession(ctx, hash)
		if err != nil && !errors.Is(err, film.ErrNotFound) {
			s.serveError(w, r, err)
			return
		}
		now := s.now()
		if err != nil || sess.User.Disabled || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= sessionIdleTimeout {
			if err == nil {
				if err := s.db.DeleteSession(ctx, hash); err != nil {
					s.serveError(w, r, err)
					return
				}
			}
			s.clearSessionCookie(w, r)
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, sessionEndedKey{}, true)))
			return
		}
		if now.Sub(sess.LastSeenAt) >= sessionTouchInterval {
			if err := s.db.TouchSession(ctx, hash, now); err != nil {
				// The session still stands; it may only time out a
				// minute early.
				s.log.LogAttrs(ctx, slog.LevelWarn, "touch session failed",
					slog.String("request_id", requestID(ctx)), slog.String("error", err.Error()))
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userContextKey{}, sess.User)))
	})
}

// requireRole lets through only requests signed in with role min or a
// higher one. Anonymous requests are sent to the sign-in page, which
// returns them here afterwards; accounts with too little trust get 403.
// Desk pages carry per-account content, so nothing caches them.
func (s *Server) requireRole(min film.UserRole) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			u, ok := currentUser(r.Context())
			if !ok {
				q := url.Values{}
				if (r.Method == http.MethodGet || r.Method == http.MethodHead) && isLocalPath(r.URL.RequestURI()) && r.URL.Path != paths.AdminDashboard() {
					q.Set("next", r.URL.RequestURI())
				}
				if ended, _ := r.Context().Value(sessionEndedKey{}).(bool); ended {
					q.Set("flash", "session-ended")
				}
				http.Redirect(w, r, paths.WithQuery(paths.AdminSignIn(), q), http.StatusSeeOther)
				return
			}
			if !u.Role.AtLeast(min) {
				s.serveError(w, r, &statusError{status: http.StatusForbidden, heading: "Not allowed",
					message: "Your account cannot use this page. If you need it, ask an admin."})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// flashes are the messages a desk page can show after an action, by the
// key its flash parameter carries. Only these texts are ever shown, so a
// link cannot put words of its own on a desk page.
var flashes = map[string]string{
	"signed-out":       "You have signed out.",
	"session-ended":    "Your session has ended. Please sign in again.",
	"approved":         "The selected reviews were approved and are now public.",
	"rejected":         "The selected reviews were rejected.",
	"spam":             "The selected reviews were marked as spam.",
	"pending":          "The selected reviews are back in the queue.",
	"unchanged":        "The selected reviews were already in that state; nothing changed.",
	"nothing-selected": "No reviews were selected, so nothing changed.",
	"no-action":        "Choose what to do with the selected reviews.",
	"user-added":       "The account was added.",
	"user-disabled":    "The account was disabled and signed out everywhere.",
	"user-enabled":     "The account was enabled.",
	// The review editor and the catalogue forms (admin_reviews.go,
	// admin_catalog.go).
	"review-created":   "The review was created.",
	"review-saved":     "The review was saved.",
	"review-unchanged": "Nothing had changed, so no new revision was saved.",
	"review-restored":  "The revision was restored as the latest.",
	"review-submitted": "The review was submitted for an editor to publish.",
	"review-published": "The review was published.",
	"review-scheduled": "The review was scheduled.",
	"film-created":     "The film was created.",
	"film-saved":       "The film was saved.",
	"person-created":   "The person was created.",
	"person-saved":     "The person was saved.",
}

// adminPage fills what every desk page shares: its meta (kept out of
// search engines and without a canonical link), the signed-in account, the
// section, the navigation the account may use, and the flash message named
// by the request's flash parameter, if it is a known one.
func (s *Server) adminPage(r *http.Request, title, section string) templates.AdminPage {
	u, _ := currentUser(r.Context())
	return templates.AdminPage{
		Meta:    s.meta(title, "", ""),
		User:    u,
		Section: section,
		Nav:     deskNav(u.Role),
		Flash:   flashes[r.URL.Query().Get("flash")],
	}
}

// deskSections lists the desk's sections in the order the navigation shows
// them, each with the least role that may use it. The server checks the
// role again on every request; the link only saves a wasted click.
var deskSections = []struct {
	item templates.AdminNavItem
	min  film.UserRole
}{
	{templates.AdminNavItem{Section: templates.SectionDashboard, Label: "Dashboard", Path: paths.AdminDashboard()}, film.RoleContributor},
	{templates.AdminNavItem{Section: templates.SectionReviews, Label: "Reviews", Path: paths.AdminReviews(nil)}, film.RoleContributor},
	{templates.AdminNavItem{Section: templates.SectionFilms, Label: "Films", Path: paths.AdminFilms(nil)}, film.RoleEditor},
	{templates.AdminNavItem{Section: templates.SectionPeople, Label: "People", Path: paths.AdminPeople(nil)}, film.RoleEditor},
	{templates.AdminNavItem{Section: templates.SectionModeration, Label: "Moderation", Path: paths.AdminModeration(nil)}, film.RoleEditor},
	{templates.AdminNavItem{Section: templates.SectionAudit, Label: "Audit log", Path: paths.AdminAudit(nil)}, film.RoleEditor},
	{templates.AdminNavItem{Section: templates.SectionUsers, Label: "Users", Path: paths.AdminUsers()}, film.RoleAdmin},
}

// deskNav is the navigation an account of the given role may use.
func deskNav(role film.UserRole) []templates.AdminNavItem {
	var items []templates.AdminNavItem
	for _, s := range deskSections {
		if role.AtLeast(s.min) {
			items = append(items, s.item)
		}
	}
	return items
}

// localNext returns p if it is a local path to go to after signing in, or
// "".
func localNext(p string) string {
	if isLocalPath(p) {
		return p
	}
	return ""
}

// serveSignIn shows the sign-in form; a signed-in account goes straight on.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) error {
	next := localNext(r.URL.Query().Get("next"))
	if _, ok := currentUser(r.Context()); ok {
		http.Redirect(w, r, cmp.Or(next, paths.AdminDashboard()), http.StatusSeeOther)
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	v := templates.SignInView{Page: s.adminPage(r, "Sign in", ""), Next: next}
	return s.render(w, r, http.StatusOK, templates.SignInPage(v))
}

// errSignIn is the one message for a wrong email or a wrong password, so
// the form never tells which emails have accounts.
const errSignIn = "Email or password is incorrect."

// submitSignIn checks an email and password and, when they match an enabled
// account, starts a new session and goes on to the local path asked for.
//
// Attempts are throttled per account, per client address, per (address,
// account) and per known device (429); see auth.Throttle. Hashing is
// bounded (503 when no slot frees up in time). An unknown email costs the
// same hashing as a known one, so timing does not reveal it either.
func (s *Server) submitSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	v := templates.SignInView{Page: s.adminPage(r, "Sign in", ""), Email: email, Next: localNext(r.PostForm.Get("next"))}
	fail := func(status int, message string) error {
		v.Error = message
		return s.render(w, r, status, templates.SignInPage(v))
	}
	switch {
	case email == "" || password == "":
		return fail(http.StatusUnprocessableEntity, "Enter your email and your password.")
	case len(password) > auth.MaxPasswordBytes:
		return fail(http.StatusUnprocessableEntity, fmt.Sprintf("Passwords are at most %s bytes long; the one entered is longer.", film.FormatCount(auth.MaxPasswordBytes)))
	case len(email) > 254:
		return fail(http.StatusUnprocessableEntity, errSignIn)
	}

	// The attempt is counted before its password is hashed, in the same
	// step as the check, so a burst of parallel guesses cannot all pass
	// the check before the first of them has failed.
	now, client := s.now(), s.clientKey(r)
	device := s.knownDevice(r, email)
	attempt, wait := s.signIn.throttle.Begin(email, client, device, now)
	if attempt == nil {
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		return fail(http.StatusTooManyRequests, fmt.Sprintf("Too many failed attempts to sign in. Please try again in %s.", humanDuration(wait)))
	}
	u, hash, err := s.db.FindCredentials(ctx, email)
	known := err == nil
	if err != nil && !errors.Is(err, film.ErrNotFound) {
		attempt.Abandoned()
		return err
	}
	var (
		match     bool
		verifyErr error
	)
	err = s.signIn.hashes.Do(ctx, func() {
		s.signIn.onCheck()
		if known {
			match, verifyErr = auth.VerifyPassword(hash, password)
		} else {
			auth.SpendDummyHash(password)
		}
	})
	if errors.Is(err, auth.ErrBusy) {
		attempt.Abandoned()
		w.Header().Set("Retry-After", "5")
		return fail(http.StatusServiceUnavailable, "Many people are signing in at this moment. Please try again in a few seconds.")
	}
	if err != nil {
		attempt.Abandoned()
		return err
	}
	if verifyErr != nil {
		attempt.Abandoned()
		return fmt.Errorf("sign in %d: %w", u.ID, verifyErr)
	}
	if !match || u.Disabled {
		// The attempt was counted as a failure when it began.
		s.log.LogAttrs(ctx, slog.LevelInfo, "sign-in failed",
			slog.String("request_id", requestID(ctx)), slog.String("client", client), slog.Bool("known_device", device != ""))
		return fail(http.StatusUnprocessableEntity, errSignIn)
	}
	attempt.Succeeded()
	s.setDeviceCookie(w, r, email, device)

	// A new session, with a new token, at every sign-in; the browser's
	// old session, if any, ends.
	if old := sessionToken(r); old != "" {
		if err := s.db.DeleteSession(ctx, tokenHash(old)); err != nil {
			return err
		}
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms.
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	if err := s.db.CreateSession(ctx, tokenHash(token), u.ID, now, now.Add(sessionLifetime)); err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, sessionLifetime)
	s.upgradeHash(ctx, u.ID, hash, password)
	s.log.LogAttrs(ctx, slog.LevelInfo, "signed in",
		slog.String("request_id", requestID(ctx)), slog.Int64("user_id", u.ID))
	http.Redirect(w, r, cmp.Or(v.Next, paths.AdminDashboard()), http.StatusSeeOther)
	return nil
}

// upgradeHash hashes a just-verified password again when its stored hash
// was made with older parameters. It is best effort: on any failure the
// old hash stays and serves until next time.
func (s *Server) upgradeHash(ctx context.Context, userID int64, old, password string) {
	if !auth.NeedsRehash(old) {
		return
	}
	var (
		fresh string
		err   error
	)
	if doErr := s.signIn.hashes.Do(ctx, func() { fresh, err = auth.HashPassword(password) }); doErr != nil {
		err = doErr
	}
	if err == nil {
		err = s.db.UpgradePasswordHash(ctx, userID, old, fresh)
	}
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "password hash upgrade failed",
			slog.String("request_id", requestID(ctx)), slog.Int64("user_id", userID), slog.String("error", err.Error()))
	}
}

// signOut ends the request's session at once and returns to the sign-in
// page.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if token := sessionToken(r); token != "" {
		if err := s.db.EndSession(r.Context(), tokenHash(token), s.now()); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, paths.WithQuery(paths.AdminSignIn(), url.Values{"flash": {"signed-out"}}), http.StatusSeeOther)
	return nil
}

// serveDashboard is the desk's first page.
func (s *Server) serveDashboard(w http.ResponseWriter, r *http.Request) error {
	c, err := s.db.DeskCounts(r.Context())
	if err != nil {
		return err
	}
	v := templates.DashboardView{
		Page:                 s.adminPage(r, "Dashboard", templates.SectionDashboard),
		PendingReaderReviews: c.PendingReaderReviews, SpamReaderReviews: c.SpamReaderReviews,
		DraftCriticReviews: c.DraftCriticReviews, InReviewCriticReviews: c.InReviewCriticReviews,
	}
	return s.render(w, r, http.StatusOK, templates.DashboardPage(v))
}
