package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/auth"
	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// serveUsers lists the accounts for admins.
func (s *Server) serveUsers(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, templates.UserForm{Role: film.RoleContributor}, "", "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form templates.UserForm, password, passwordFor string) error {
	users, err := s.db.FindUsers(r.Context())
	if err != nil {
		return err
	}
	v := templates.UsersView{
		Page: s.adminPage(r, "Users", templates.SectionUsers), Users: users, Form: form,
		Password: password, PasswordFor: passwordFor,
	}
	return s.render(w, r, status, templates.UsersPage(v))
}

// userFormFields lists the account form's fields in the order they
// appear, with their labels.
var userFormFields = []struct{ name, label string }{
	{"email", "Email"}, {"name", "Name"}, {"role", "Role"}, {"password", "Password"},
}

// withUserProblems returns the account form showing problems, with their
// summary in page order, each linked to its field.
func withUserProblems(f templates.UserForm, problems film.Problems) templates.UserForm {
	f.Problems, f.Errors = problems, nil
	for _, field := range userFormFields {
		if msg, ok := problems[field.name]; ok {
			f.Errors = append(f.Errors, templates.ErrorLink{Target: "user-" + field.name, Label: field.label, Message: msg})
		}
	}
	return f
}

// hashPassword hashes a new password within the hashing limiter.
func (s *Server) hashPassword(r *http.Request, password string) (string, error) {
	var (
		hash    string
		hashErr error
	)
	err := s.signIn.hashes.Do(r.Context(), func() { hash, hashErr = auth.HashPassword(password) })
	if errors.Is(err, auth.ErrBusy) {
		return "", &statusError{status: http.StatusServiceUnavailable, heading: "Busy",
			message: "The server is busy checking passwords. Please try again in a few seconds.", retryAfter: 5 * time.Second}
	}
	if err != nil {
		return "", err
	}
	return hash, hashErr
}

// addUser adds an account. The admin may type its password or leave it
// empty, in which case one is made and shown once.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := templates.UserForm{
		Email: strings.TrimSpace(r.PostForm.Get("email")),
		Name:  strings.TrimSpace(r.PostForm.Get("name")),
		Role:  film.UserRole(r.PostForm.Get("role")),
	}
	password := r.PostForm.Get("password")
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	problems := film.Problems{}
	if err := auth.CheckAccount(film.User{Email: form.Email, Name: form.Name, Role: form.Role}); err != nil {
		if !errors.As(err, &problems) {
			return err
		}
	}
	if err := auth.CheckPassword(password); err != nil {
		problems.Add("password", capitalize(err.Error())+".")
	}
	if len(problems) > 0 {
		form = withUserProblems(form, problems)
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, form, "", "")
	}
	hash, err := s.hashPassword(r, password)
	if err != nil {
		return err
	}
	admin, _ := currentUser(r.Context())
	u, err := s.db.CreateUser(r.Context(), film.User{Email: form.Email, Name: form.Name, Role: form.Role, CreatedAt: s.now()}, hash, admin.ID)
	if errors.Is(err, film.ErrConflict) {
		form = withUserProblems(form, film.Problems{"email": "An account with this email already exists."})
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, form, "", "")
	}
	if err != nil {
		return err
	}
	if generated {
		return s.renderUsers(w, r, http.StatusOK, templates.UserForm{Role: film.RoleContributor}, password, u.Email)
	}
	http.Redirect(w, r, paths.WithQuery(paths.AdminUsers(), url.Values{"flash": {"user-added"}}), http.StatusSeeOther)
	return nil
}

// userFromPath reads the account named by the path's id.
func (s *Server) userFromPath(r *http.Request) (film.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return film.User{}, film.ErrNotFound
	}
	return s.db.FindUser(r.Context(), id)
}

// setUserDisabled returns a handler that disables an account (ending its
// sessions) or enables it. Admins cannot disable themselves, so a site
// always keeps the admin who is using it.
func (s *Server) setUserDisabled(disabled bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.userFromPath(r)
		if err != nil {
			return err
		}
		admin, _ := currentUser(r.Context())
		if disabled && u.ID == admin.ID {
			return badRequest("You cannot disable your own account.")
		}
		if err := s.db.SetUserDisabled(r.Context(), u.ID, disabled, admin.ID, s.now()); err != nil {
			return err
		}
		flash := "user-enabled"
		if disabled {
			flash = "user-disabled"
		}
		http.Redirect(w, r, paths.WithQuery(paths.AdminUsers(), url.Values{"flash": {flash}}), http.StatusSeeOther)
		return nil
	}
}

// resetUserPassword gives an account a new, generated password, shown
// once, and ends its sessions.
func (s *Server) resetUserPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFromPath(r)
	if err != nil {
		return err
	}
	password := auth.GeneratePassword()
	hash, err := s.hashPassword(r, password)
	if err != nil {
		return err
	}
	admin, _ := currentUser(r.Context())
	if err := s.db.SetPassword(r.Context(), u.ID, hash, admin.ID, s.now()); err != nil {
		return err
	}
	if u.ID == admin.ID {
		// The admin's own sessions ended with the change, this one too.
		s.clearSessionCookie(w, r)
	}
	return s.renderUsers(w, r, http.StatusOK, templates.UserForm{Role: film.RoleContributor}, password, u.Email)
}

// capitalize upper-cases the first letter of a message.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
