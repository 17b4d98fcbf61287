package web_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/auth"
	"marquee/internal/film"
	"marquee/internal/web"
)

// deskPassword is the password of every account the desk tests make.
const deskPassword = "a long and unguessable phrase"

// mustAccount adds an account with deskPassword, hashed for real.
func (s *site) mustAccount(tb testing.TB, email string, role film.UserRole) film.User {
	tb.Helper()
	hash, err := auth.HashPassword(deskPassword)
	if err != nil {
		tb.Fatal(err)
	}
	name := strings.ToUpper(email[:1]) + email[1:strings.Index(email, "@")]
	u, err := s.db.CreateUser(context.Background(), film.User{Email: email, Name: name, Role: role, CreatedAt: testNow.Add(-time.Hour)}, hash, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// browser is one browser, a reader's or an editor's: its cookies, which it
// forgets when told to as browsers do, and its network address.
type browser struct {
	site    *site
	addr    string
	cookies map[string]*http.Cookie
	// followConfirm makes the browser answer a first rating's proof step
	// at once, as the page's script does (see stuffing_test.go).
	followConfirm bool
}

func (s *site) newBrowser(addr string) *browser {
	return &browser{site: s, addr: addr + ":5000", cookies: map[string]*http.Cookie{}, followConfirm: true}
}

// do sends a request as this browser. target may be a path or, to come
// over TLS, a full https URL.
func (b *browser) do(tb testing.TB, method, target string, form url.Values, header http.Header) (*http.Response, string) {
	tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = b.addr
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.site.handler.ServeHTTP(rec, req)
	resp := rec.Result()
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	raw, _ := io.ReadAll(resp.Body)
	if proof := ratingProof(method, target, form, resp, raw); proof != nil && b.followConfirm {
		// A browser confirms a first rating as the page's script does.
		return b.do(tb, method, target, proof, header)
	}
	return resp, string(raw)
}

// page GETs path, checks the status and parses the page.
func (b *browser) page(tb testing.TB, path string, want int) *goquery.Document {
	tb.Helper()
	resp, body := b.do(tb, http.MethodGet, path, nil, nil)
	if resp.StatusCode != want {
		tb.Fatalf("GET %s = %d, want %d\n%s", path, resp.StatusCode, want, body)
	}
	if call := literalComponentCall.FindString(body); call != "" {
		tb.Errorf("GET %s shows a templ component call as text: %s", path, call)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// signIn posts the sign-in form.
func (b *browser) signIn(tb testing.TB, email, password, next string) (*http.Response, string) {
	tb.Helper()
	return b.do(tb, http.MethodPost, "/admin/signin", url.Values{"email": {email}, "password": {password}, "next": {next}}, nil)
}

// mustSignIn signs in with deskPassword and checks that it worked.
func (b *browser) mustSignIn(tb testing.TB, email string) {
	tb.Helper()
	resp, body := b.signIn(tb, email, deskPassword, "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		tb.Fatalf("sign in as %s = %d to %q\n%s", email, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// auditActions lists the audit log's actions, oldest first.
func (s *site) auditActions(tb testing.TB) []string {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query("SELECT action || ' ' || coalesce(user_id, 0) || ' ' || record_type || ' ' || coalesce(record_id, 0) FROM audit_log ORDER BY id")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

func TestSignInAndOut(t *testing.T) {
	s := mustSite(t)
	ed := s.mustAccount(t, "ed@example.com", film.RoleEditor)
	b := s.newBrowser("198.51.100.1")

	// Signed out, desk pages lead to the sign-in page, which leads back.
	resp, _ := b.do(t, http.MethodGet, "/admin", nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/signin" {
		t.Fatalf("GET /admin signed out = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = b.do(t, http.MethodGet, "/admin/moderation?status=spam", nil, nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/admin/signin?next=%2Fadmin%2Fmoderation%3Fstatus%3Dspam" {
		t.Fatalf("GET /admin/moderation signed out = %d to %q", resp.StatusCode, loc)
	}
	resp, body := b.do(t, http.MethodGet, "/admin/signin?next=%2Fadmin%2Fmoderation%3Fstatus%3Dspam", nil, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("sign-in page = %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if next, _ := doc.Find(`form.signin-form input[name=next]`).Attr("value"); next != "/admin/moderation?status=spam" {
		t.Errorf("hidden next = %q", next)
	}
	if doc.Find(".desk-nav").Length() != 0 || doc.Find(`form[action="/admin/signout"]`).Length() != 0 {
		t.Error("the sign-in page shows the desk's navigation to someone signed out")
	}

	// Wrong password and unknown email: one message, the email kept, 422.
	for _, tt := range []struct{ email, password string }{
		{"ed@example.com", "not the password at all"},
		{"nobody@example.com", deskPassword},
	} {
		resp, body := b.signIn(t, tt.email, tt.password, "/admin/audit")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("sign in %s with a bad password = %d, want 422", tt.email, resp.StatusCode)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if got := text(doc, "#signin-error"); got != "Email or password is incorrect." {
			t.Errorf("error = %q", got)
		}
		if got, _ := doc.Find("#signin-email").Attr("value"); got != tt.email {
			t.Errorf("email kept = %q, want %q", got, tt.email)
		}
		if got, _ := doc.Find(`input[name=next]`).Attr("value"); got != "/admin/audit" {
			t.Errorf("next kept = %q", got)
		}
		if len(b.cookies) != 0 {
			t.Errorf("a failed sign-in set cookies: %v", b.cookies)
		}
	}

	// The right password: a session cookie, and on to the page asked for.
	resp, _ = b.signIn(t, "ED@example.com", deskPassword, "/admin/moderation?status=spam")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/moderation?status=spam" {
		t.Fatalf("sign in = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	c := b.cookies["marquee_session"]
	if c == nil {
		t.Fatal("no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/ and (over plain HTTP) not Secure", c)
	}
	// Only a hash of the token is stored.
	raw, _ := base64.RawURLEncoding.DecodeString(c.Value)
	if len(raw) != 32 {
		t.Errorf("session token has %d bytes, want 32", len(raw))
	}
	conn, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sum := sha256.Sum256([]byte(c.Value))
	var n int
	if err := conn.QueryRow("SELECT count(*) FROM sessions WHERE token_hash = ? AND user_id = ?", sum[:], ed.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("sessions with the token's SHA-256 = %d (%v), want 1", n, err)
	}

	resp, body = b.do(t, http.MethodGet, "/admin", nil, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("dashboard = %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	if got := text(doc, ".desk-account p"); got != "Ed Editor" {
		t.Errorf("header account = %q, want name and role", got)
	}
	if got := texts(doc, ".desk-nav a"); strings.Join(got, ",") != "Dashboard,Reviews,Films,People,Moderation,Audit log" {
		t.Errorf("editor's nav = %v", got)
	}
	if got, _ := doc.Find(".desk-nav a[aria-current=page]").Attr("href"); got != "/admin" {
		t.Errorf("current section = %q", got)
	}
	if doc.Find(`meta[name=robots][content*=noindex]`).Length() != 1 {
		t.Error("desk pages are not kept out of search engines")
	}
	// Signed in, the sign-in page goes straight on.
	resp, _ = b.do(t, http.MethodGet, "/admin/signin?next=%2Fadmin%2Faudit", nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/audit" {
		t.Errorf("sign-in page when signed in = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Signing in again gives a new session ID; the old one ends.
	old := *c
	b.mustSignIn(t, "ed@example.com")
	if b.cookies["marquee_session"].Value == old.Value {
		t.Error("signing in again kept the session ID")
	}
	stale := s.newBrowser("198.51.100.1")
	stale.cookies["marquee_session"] = &old
	if resp, _ := stale.do(t, http.MethodGet, "/admin", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the replaced session still works: %d", resp.StatusCode)
	}

	// Signing out ends the session on the server at once.
	current := *b.cookies["marquee_session"]
	resp, _ = b.do(t, http.MethodPost, "/admin/signout", url.Values{}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/signin?flash=signed-out" {
		t.Fatalf("sign out = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, ok := b.cookies["marquee_session"]; ok {
		t.Error("sign-out did not clear the cookie")
	}
	doc = b.page(t, "/admin/signin?flash=signed-out", http.StatusOK)
	if got := text(doc, ".flash[role=status]"); got != "You have signed out." {
		t.Errorf("flash = %q", got)
	}
	replay := s.newBrowser("198.51.100.1")
	replay.cookies["marquee_session"] = &current
	if resp, _ := replay.do(t, http.MethodGet, "/admin", nil, nil); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/admin/signin?flash=session-ended" {
		t.Errorf("the signed-out cookie, replayed = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	actions := s.auditActions(t)
	id := strconv.FormatInt(ed.ID, 10)
	for _, want := range []string{"user.signin " + id + " user " + id, "user.signout " + id + " user " + id} {
		if !contains(actions, want) {
			t.Errorf("audit log lacks %q: %v", want, actions)
		}
	}
}

func TestSignInFollowsOnlyLocalPaths(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	for _, next := range []string{"//evil.example/", "https://evil.example/admin", "/\\evil.example", "javascript:alert(1)", "admin"} {
		b := s.newBrowser("198.51.100.1")
		resp, _ := b.signIn(t, "ed@example.com", deskPassword, next)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
			t.Errorf("next=%q: %d to %q, want /admin", next, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	b := s.newBrowser("198.51.100.1")
	doc := b.page(t, "/admin/signin?next=%2F%2Fevil.example", http.StatusOK)
	if got, _ := doc.Find(`input[name=next]`).Attr("value"); got != "" {
		t.Errorf("a foreign next was kept in the form: %q", got)
	}
}

func TestSessionCookieIsSecureOverTLS(t *testing.T) {
	s := mustSiteWith(t, web.Config{TrustProxy: true})
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	b := s.newBrowser("198.51.100.1")
	resp, _ := b.do(t, http.MethodPost, "https://marquee.example/admin/signin",
		url.Values{"email": {"ed@example.com"}, "password": {deskPassword}}, nil)
	if c := b.cookies["marquee_session"]; resp.StatusCode != http.StatusSeeOther || c == nil || !c.Secure {
		t.Errorf("sign in over TLS = %d, cookie %+v, want Secure", resp.StatusCode, c)
	}
	b = s.newBrowser("198.51.100.2")
	b.do(t, http.MethodPost, "/admin/signin", url.Values{"email": {"ed@example.com"}, "password": {deskPassword}},
		http.Header{"X-Forwarded-Proto": {"https"}})
	if c := b.cookies["marquee_session"]; c == nil || !c.Secure {
		t.Errorf("sign in behind a TLS proxy: cookie %+v, want Secure", c)
	}
}

func TestEveryDeskPageChecksTheRole(t *testing.T) {
	s := mustSite(t)
	users := map[film.UserRole]film.User{}
	for _, role := range []film.UserRole{film.RoleContributor, film.RoleEditor, film.RoleAdmin} {
		users[role] = s.mustAccount(t, string(role)+"@example.com", role)
	}
	target := strconv.FormatInt(users[film.RoleContributor].ID, 10)
	pages := []struct {
		method, path string
		form         url.Values
		min          film.UserRole
		// okStatus is the answer to an account that may: 200 for pages,
		// 303 for actions.
		okStatus int
	}{
		{"GET", "/admin", nil, film.RoleContributor, 200},
		{"GET", "/admin/moderation", nil, film.RoleEditor, 200},
		{"POST", "/admin/moderation", url.Values{"action": {"approve"}}, film.RoleEditor, 303},
		{"GET", "/admin/audit", nil, film.RoleEditor, 200},
		{"GET", "/admin/users", nil, film.RoleAdmin, 200},
		{"POST", "/admin/users", url.Values{"email": {"new@example.com"}, "name": {"New"}, "role": {"editor"}, "password": {deskPassword}}, film.RoleAdmin, 303},
		{"POST", "/admin/users/" + target + "/enable", url.Values{}, film.RoleAdmin, 303},
		{"POST", "/admin/users/" + target + "/password", url.Values{}, film.RoleAdmin, 200},
	}
	for _, p := range pages {
		t.Run(p.method+" "+p.path+" anonymous", func(t *testing.T) {
			resp, _ := s.newBrowser("198.51.100.9").do(t, p.method, p.path, p.form, nil)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/signin") {
				t.Errorf("= %d to %q, want 303 to the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
		for _, role := range []film.UserRole{film.RoleContributor, film.RoleEditor, film.RoleAdmin} {
			t.Run(p.method+" "+p.path+" as "+string(role), func(t *testing.T) {
				b := s.newBrowser("198.51.100.10")
				b.mustSignIn(t, users[role].Email)
				resp, body := b.do(t, p.method, p.path, p.form, nil)
				want := http.StatusForbidden
				if role.AtLeast(p.min) {
					want = p.okStatus
				}
				if resp.StatusCode != want {
					t.Fatalf("= %d, want %d\n%s", resp.StatusCode, want, body)
				}
				if resp.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", resp.Header.Get("Cache-Control"))
				}
				if want == http.StatusForbidden && !strings.Contains(body, "Your account cannot use this page") {
					t.Error("403 without the error page")
				}
			})
		}
	}
	// The refused admin actions changed nothing.
	if _, err := s.db.FindUserByEmail(context.Background(), "new@example.com"); err != nil {
		t.Errorf("the admin's add did not work: %v", err)
	}
	if n, _ := s.db.CountUsers(context.Background()); n != 4 {
		t.Errorf("%d accounts, want 4: a refused add went through", n)
	}
}

func TestNavShowsLinksByRole(t *testing.T) {
	s := mustSite(t)
	for role, want := range map[film.UserRole]string{
		film.RoleContributor: "Dashboard,Reviews",
		film.RoleEditor:      "Dashboard,Reviews,Films,People,Moderation,Audit log",
		film.RoleAdmin:       "Dashboard,Reviews,Films,People,Moderation,Audit log,Users",
	} {
		s.mustAccount(t, string(role)+"@example.com", role)
		b := s.newBrowser("198.51.100.1")
		b.mustSignIn(t, string(role)+"@example.com")
		doc := b.page(t, "/admin", http.StatusOK)
		if got := strings.Join(texts(doc, ".desk-nav a"), ","); got != want {
			t.Errorf("%s nav = %s, want %s", role, got, want)
		}
	}
}

func TestCrossSiteDeskPostsAreRefused(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	b := s.newBrowser("198.51.100.1")
	resp, _ := b.do(t, http.MethodPost, "/admin/signin", url.Values{"email": {"ed@example.com"}, "password": {deskPassword}},
		http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if resp.StatusCode != http.StatusForbidden || len(b.cookies) != 0 {
		t.Errorf("cross-site sign-in = %d, cookies %v, want 403 and none", resp.StatusCode, b.cookies)
	}
	b.mustSignIn(t, "ed@example.com")
	resp, _ = b.do(t, http.MethodPost, "/admin/signout", url.Values{}, http.Header{"Origin": {"https://evil.example"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-out = %d, want 403", resp.StatusCode)
	}
	if resp, _ := b.do(t, http.MethodGet, "/admin", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after a refused cross-site sign-out the session is gone: %d", resp.StatusCode)
	}
}

func TestSignInThrottle(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	owner := s.newBrowser("192.0.2.50")
	owner.mustSignIn(t, "ed@example.com") // The editor's own machine, known to the account.

	attacker := s.newBrowser("203.0.113.9")
	for i := range 5 {
		if resp, _ := attacker.signIn(t, "ed@example.com", "guess number "+strconv.Itoa(i), ""); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d = %d, want 422", i+1, resp.StatusCode)
		}
	}
	// Now even the right password is refused, from any new client.
	for _, b := range []*browser{attacker, s.newBrowser("198.51.100.77")} {
		resp, body := b.signIn(t, "ed@example.com", deskPassword, "")
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
			t.Errorf("from %s: %d, Retry-After %q, want 429 with 60", b.addr, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if !strings.Contains(body, "Too many failed attempts") || !strings.Contains(body, `value="ed@example.com"`) {
			t.Error("the 429 page does not explain, or lost the email")
		}
	}
	// The wait ends on its own.
	s.clock.Advance(time.Minute)
	s.newBrowser("198.51.100.77").mustSignIn(t, "ed@example.com")

	// The editor's own machine is not locked out by someone else's guesses.
	for i := range 5 {
		attacker.signIn(t, "ed@example.com", "another guess "+strconv.Itoa(i), "")
	}
	if resp, _ := attacker.signIn(t, "ed@example.com", deskPassword, ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("locked again = %d, want 429", resp.StatusCode)
	}
	owner.mustSignIn(t, "ed@example.com")

	// Per client: 20 failures over any accounts.
	flood := s.newBrowser("203.0.113.200")
	for i := range 20 {
		resp, _ := flood.signIn(t, fmt.Sprintf("user%d@example.com", i), "wrong password", "")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d = %d", i+1, resp.StatusCode)
		}
	}
	if resp, _ := flood.signIn(t, "ed@example.com", deskPassword, ""); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("21st attempt from one client = %d, want 429 with Retry-After", resp.StatusCode)
	}
}

func TestHashingIsBounded(t *testing.T) {
	// One hash at a time, and no waiting: while one sign-in is hashing,
	// the others are turned away with 503 rather than all hashing at once.
	// The first password to reach the hash holds its slot until every
	// other sign-in has been answered, so the outcome does not depend on
	// how the goroutines happen to be scheduled. Each sign-in is for its
	// own account from its own address, so no throttle answers first.
	const n = 8
	var (
		entered = make(chan struct{}, n)
		release = make(chan struct{})
	)
	s := mustSiteWith(t, web.Config{SignIn: web.SignInLimits{HashConcurrency: 1, HashWait: time.Nanosecond,
		OnPasswordCheck: func() { entered <- struct{}{}; <-release }}})
	for i := range n {
		s.mustAccount(t, "ed"+strconv.Itoa(i)+"@example.com", film.RoleEditor)
	}
	type answer struct {
		status int
		retry  string
	}
	answers := make(chan answer, n)
	for i := range n {
		go func() {
			b := s.newBrowser("198.51.100." + strconv.Itoa(i+1))
			resp, _ := b.signIn(t, "ed"+strconv.Itoa(i)+"@example.com", "wrong password", "")
			answers <- answer{resp.StatusCode, resp.Header.Get("Retry-After")}
		}()
	}
	<-entered // One sign-in holds the only hashing slot.
	statuses := map[int]int{}
	for range n - 1 {
		a := <-answers
		statuses[a.status]++
		if a.status == http.StatusServiceUnavailable && a.retry == "" {
			t.Error("503 without Retry-After")
		}
	}
	close(release)
	statuses[(<-answers).status]++
	if want := map[int]int{http.StatusServiceUnavailable: n - 1, http.StatusUnprocessableEntity: 1}; !maps.Equal(statuses, want) {
		t.Errorf("statuses = %v, want %v: one wrong password checked, the rest turned away while it was", statuses, want)
	}
}

func TestSessionTimeouts(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	b := s.newBrowser("198.51.100.1")
	b.mustSignIn(t, "ed@example.com")

	// Activity keeps the session alive past the idle timeout...
	for range 5 {
		s.clock.Advance(110 * time.Minute)
		b.page(t, "/admin", http.StatusOK)
	}
	// ...but not past 12 hours since signing in.
	s.clock.Advance(110 * time.Minute) // 11 h 0 min
	b.page(t, "/admin", http.StatusOK)
	s.clock.Advance(61 * time.Minute)
	resp, _ := b.do(t, http.MethodGet, "/admin/moderation", nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/signin?flash=session-ended&next=%2Fadmin%2Fmoderation" {
		t.Fatalf("after 12 hours = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc := b.page(t, "/admin/signin?flash=session-ended", http.StatusOK)
	if got := text(doc, ".flash"); got != "Your session has ended. Please sign in again." {
		t.Errorf("flash = %q", got)
	}

	// Two idle hours end a session.
	b.mustSignIn(t, "ed@example.com")
	s.clock.Advance(2 * time.Hour)
	if resp, _ := b.do(t, http.MethodGet, "/admin", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after 2 idle hours = %d, want 303 to sign in", resp.StatusCode)
	}
}

func TestDisablingAnAccountEndsItsSessions(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ada@example.com", film.RoleAdmin)
	ed := s.mustAccount(t, "ed@example.com", film.RoleEditor)
	admin, editor := s.newBrowser("198.51.100.1"), s.newBrowser("198.51.100.2")
	admin.mustSignIn(t, "ada@example.com")
	editor.mustSignIn(t, "ed@example.com")
	editor.page(t, "/admin/moderation", http.StatusOK)

	resp, _ := admin.do(t, http.MethodPost, "/admin/users/"+strconv.FormatInt(ed.ID, 10)+"/disable", url.Values{}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/users?flash=user-disabled" {
		t.Fatalf("disable = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := editor.do(t, http.MethodGet, "/admin/moderation", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the disabled editor's next request = %d, want 303 to sign in", resp.StatusCode)
	}
	// A disabled account cannot sign in, and is told no more than anyone.
	resp, body := editor.signIn(t, "ed@example.com", deskPassword, "")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Email or password is incorrect.") {
		t.Errorf("disabled sign-in = %d", resp.StatusCode)
	}
	// Admins cannot disable themselves.
	self, _ := s.db.FindUserByEmail(context.Background(), "ada@example.com")
	if resp, _ := admin.do(t, http.MethodPost, "/admin/users/"+strconv.FormatInt(self.ID, 10)+"/disable", url.Values{}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("disabling oneself = %d, want 400", resp.StatusCode)
	}
	if !contains(s.auditActions(t), "user.disable "+strconv.FormatInt(self.ID, 10)+" user "+strconv.FormatInt(ed.ID, 10)) {
		t.Errorf("audit log lacks the disabling: %v", s.auditActions(t))
	}
}

func TestPasswordsAreNotTruncated(t *testing.T) {
	s := mustSite(t)
	long := strings.Repeat("0123456789", 100) + "tail" // 1,004 bytes
	hash, err := auth.HashPassword(long)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.CreateUser(context.Background(), film.User{Email: "lo@example.com", Name: "Lo", Role: film.RoleEditor, CreatedAt: testNow}, hash, 0); err != nil {
		t.Fatal(err)
	}
	b := s.newBrowser("198.51.100.1")
	if resp, _ := b.signIn(t, "lo@example.com", long[:len(long)-1]+"X", ""); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a password differing in its last byte = %d, want 422", resp.StatusCode)
	}
	if resp, _ := b.signIn(t, "lo@example.com", long, ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the whole long password = %d, want 303", resp.StatusCode)
	}
	resp, body := s.newBrowser("198.51.100.2").signIn(t, "lo@example.com", strings.Repeat("x", 1025), "")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at most 1,024 bytes") {
		t.Errorf("a 1,025-byte password = %d, want 422 saying the limit", resp.StatusCode)
	}
}

func TestFlashShowsOnlyKnownMessages(t *testing.T) {
	s := mustSite(t)
	b := s.newBrowser("198.51.100.1")
	doc := b.page(t, "/admin/signin?flash=%3Cscript%3Ealert(1)%3C%2Fscript%3E", http.StatusOK)
	if doc.Find(".flash").Length() != 0 {
		t.Errorf("an unknown flash key was shown: %q", text(doc, ".flash"))
	}
}

func TestUsersPage(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ada@example.com", film.RoleAdmin)
	b := s.newBrowser("198.51.100.1")
	b.mustSignIn(t, "ada@example.com")

	// No password typed: one is made and shown once.
	resp, body := b.do(t, http.MethodPost, "/admin/users", url.Values{"email": {"co@example.com"}, "name": {"Co"}, "role": {"contributor"}}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add with a generated password = %d", resp.StatusCode)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	generated := text(doc, ".generated-password code")
	if len(generated) < 20 {
		t.Fatalf("generated password = %q", generated)
	}
	co := s.newBrowser("198.51.100.2")
	if resp, _ := co.signIn(t, "co@example.com", generated, ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signing in with the generated password = %d", resp.StatusCode)
	}
	if strings.Contains(b.page(t, "/admin/users", http.StatusOK).Text(), generated) {
		t.Error("the generated password is shown again")
	}

	for _, tt := range []struct {
		form  url.Values
		field string
		want  string
	}{
		{url.Values{"email": {"x@example.com"}, "name": {"X"}, "role": {"editor"}, "password": {"password1"}}, "password", "most common"},
		{url.Values{"email": {"x@example.com"}, "name": {"X"}, "role": {"editor"}, "password": {"short"}}, "password", "at least 8"},
		{url.Values{"email": {"CO@example.com"}, "name": {"X"}, "role": {"editor"}, "password": {deskPassword}}, "email", "already exists"},
		{url.Values{"email": {"x@example.com"}, "name": {"X"}, "role": {"owner"}, "password": {deskPassword}}, "role", "contributor, editor or admin"},
	} {
		resp, body := b.do(t, http.MethodPost, "/admin/users", tt.form, nil)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if got := text(doc, "#user-"+tt.field+"-error"); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, tt.want) {
			t.Errorf("add %v = %d, %s error %q, want 422 with %q", tt.form, resp.StatusCode, tt.field, got, tt.want)
		}
		if got, _ := doc.Find("#user-email").Attr("value"); got != tt.form.Get("email") {
			t.Errorf("email not kept: %q", got)
		}
	}
	if n, _ := s.db.CountUsers(context.Background()); n != 2 {
		t.Errorf("%d accounts, want 2", n)
	}

	// A new password ends the account's sessions.
	coUser, _ := s.db.FindUserByEmail(context.Background(), "co@example.com")
	resp, body = b.do(t, http.MethodPost, "/admin/users/"+strconv.FormatInt(coUser.ID, 10)+"/password", url.Values{}, nil)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	fresh := text(doc, ".generated-password code")
	if resp.StatusCode != http.StatusOK || fresh == "" || fresh == generated {
		t.Fatalf("reset = %d, password %q", resp.StatusCode, fresh)
	}
	if resp, _ := co.do(t, http.MethodGet, "/admin", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after a reset the old session still works: %d", resp.StatusCode)
	}
	if resp, _ := b.do(t, http.MethodPost, "/admin/users/9999/disable", url.Values{}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("disable a missing account = %d, want 404", resp.StatusCode)
	}
}
