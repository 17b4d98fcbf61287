package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"marquee/internal/auth"
	"marquee/internal/film"
	"marquee/templates"

	"golang.org/x/term"
)

const userUsage = `Usage: marquee user COMMAND [flags]

Manage the accounts of the editors' desk.

Commands:
  add             add an account: -email, -name, -role (admin, editor or contributor)
  list            list the accounts
  disable         disable an account and end its sessions: -email
  reset-password  set a new password and end the account's sessions: -email

add and reset-password ask for the password twice on a terminal, showing
nothing as it is typed; from a pipe they read the first line of standard
input. An empty password, or -generate, makes one and prints it once.

Run "marquee user COMMAND -h" for the flags of a command.
`

// runUser runs a "marquee user" subcommand.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, userUsage)
			return nil
		}
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	command, args := args[0], args[1:]
	switch command {
	case "add":
		return runUserAdd(ctx, args, getenv, stdin, stdout, stderr)
	case "list":
		return runUserList(ctx, args, getenv, stdout, stderr)
	case "disable":
		return runUserDisable(ctx, args, getenv, stdout, stderr)
	case "reset-password":
		return runUserResetPassword(ctx, args, getenv, stdin, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, userUsage)
		return nil
	}
	fmt.Fprintf(stderr, "marquee user: unknown command %q\n\n%s", command, userUsage)
	return errUsage
}

// openUserDB opens and migrates the database for a user command, logging
// only migrations.
func openUserDB(ctx context.Context, common *commonFlags, stderr io.Writer) (film.Store, error) {
	logger, err := newLogger(common.logFormat, stderr)
	if err != nil {
		return nil, err
	}
	return openDB(ctx, common.db, logger)
}

// readPassword reads a new password, or makes one when generate is set.
// On a terminal it asks twice, echoing nothing (golang.org/x/term), and
// the two must match; from a pipe or a file (scripts) it reads the first
// line, without a prompt. An empty password makes one, printed once by
// the caller.
func readPassword(stdin io.Reader, stderr io.Writer, generate bool) (password string, generated bool, err error) {
	if generate {
		return auth.GeneratePassword(), true, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return confirmPassword(func() ([]byte, error) { return term.ReadPassword(int(f.Fd())) }, stderr)
	}
	// One line, read no further than a password can be long.
	line, err := bufio.NewReader(io.LimitReader(stdin, auth.MaxPasswordBytes+3)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	if errors.Is(err, io.EOF) && len(line) > auth.MaxPasswordBytes+1 {
		return "", false, auth.ErrPasswordTooLong
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	return checkedPassword(line)
}

// errPasswordsDiffer is a password typed twice two ways.
var errPasswordsDiffer = errors.New("the two passwords typed differ; nothing was changed")

// confirmPassword asks for a password on stderr and reads it with
// readSecret, which must not echo it, then asks again and checks that the
// two match. An empty first answer makes a password and asks nothing more.
func confirmPassword(readSecret func() ([]byte, error), stderr io.Writer) (string, bool, error) {
	fmt.Fprint(stderr, "Password (leave empty to generate one): ")
	first, err := readSecret()
	fmt.Fprintln(stderr)
	if err != nil {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	if len(first) == 0 {
		return auth.GeneratePassword(), true, nil
	}
	if _, _, err := checkedPassword(string(first)); err != nil {
		return "", false, err
	}
	fmt.Fprint(stderr, "The same password again: ")
	second, err := readSecret()
	fmt.Fprintln(stderr)
	if err != nil {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", false, errPasswordsDiffer
	}
	return string(first), false, nil
}

// checkedPassword is a typed password once the rules accept it, or a
// generated one when nothing was typed.
func checkedPassword(p string) (string, bool, error) {
	if p == "" {
		return auth.GeneratePassword(), true, nil
	}
	if err := auth.CheckPassword(p); err != nil {
		return "", false, err
	}
	return p, false, nil
}

func runUserAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("user add", "Add an account to the editors' desk. On a terminal the password is asked for\ntwice and not shown; from a pipe it is the first line of standard input. An\nempty password (or -generate) makes one and prints it once.", getenv, stderr)
	email := fs.String("email", "", "the account's email address, used to sign in (required)")
	name := fs.String("name", "", "the account's name, shown in the desk and the audit log (required)")
	role := fs.String("role", "", "admin, editor or contributor (required)")
	generate := fs.Bool("generate", false, "make a password instead of reading one")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	u := film.User{Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name), Role: film.UserRole(*role)}
	if err := auth.CheckAccount(u); err != nil {
		var p film.Problems
		if errors.As(err, &p) {
			for _, field := range []string{"email", "name", "role"} {
				if msg, ok := p[field]; ok {
					fmt.Fprintf(stderr, "-%s: %s\n", field, msg)
				}
			}
			fs.Usage()
			return errUsage
		}
		return err
	}
	password, generated, err := readPassword(stdin, stderr, *generate)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	db, err := openUserDB(ctx, common, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	u.CreatedAt = time.Now()
	u, err = db.CreateUser(ctx, u, hash, 0)
	if errors.Is(err, film.ErrConflict) {
		return fmt.Errorf("an account with the email %s already exists", u.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %s %s <%s> (id %d).\n", strings.ToLower(templates.RoleLabel(u.Role)), u.Name, u.Email, u.ID)
	if generated {
		fmt.Fprintf(stdout, "Password (shown only this once): %s\n", password)
	}
	return db.Close()
}

func runUserList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("user list", "List the accounts of the editors' desk.", getenv, stderr)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	db, err := openUserDB(ctx, common, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.FindUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tDISABLED\tCREATED")
	for _, u := range users {
		disabled := "no"
		if u.Disabled {
			disabled = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, disabled, u.CreatedAt.UTC().Format("2006-01-02 15:04"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return db.Close()
}

// findAccount opens the database and finds the account a command names.
func findAccount(ctx context.Context, common *commonFlags, email string, stderr io.Writer) (film.Store, film.User, error) {
	db, err := openUserDB(ctx, common, stderr)
	if err != nil {
		return nil, film.User{}, err
	}
	u, err := db.FindUserByEmail(ctx, email)
	if errors.Is(err, film.ErrNotFound) {
		db.Close()
		return nil, film.User{}, fmt.Errorf("no account has the email %s", email)
	}
	if err != nil {
		db.Close()
		return nil, film.User{}, err
	}
	return db, u, nil
}

func runUserDisable(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("user disable", "Disable an account: it can no longer sign in, and its sessions end at once.", getenv, stderr)
	email := fs.String("email", "", "the account's email address (required)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *email == "" {
		fmt.Fprintln(stderr, "-email is required")
		fs.Usage()
		return errUsage
	}
	db, u, err := findAccount(ctx, common, *email, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetUserDisabled(ctx, u.ID, true, 0, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Disabled %s <%s>; their sessions have ended.\n", u.Name, u.Email)
	return db.Close()
}

func runUserResetPassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("user reset-password", "Set an account's password and end its sessions. On a terminal the password is\nasked for twice and not shown; from a pipe it is the first line of standard\ninput. An empty password (or -generate) makes one and prints it once.", getenv, stderr)
	email := fs.String("email", "", "the account's email address (required)")
	generate := fs.Bool("generate", false, "make a password instead of reading one")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *email == "" {
		fmt.Fprintln(stderr, "-email is required")
		fs.Usage()
		return errUsage
	}
	password, generated, err := readPassword(stdin, stderr, *generate)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	db, u, err := findAccount(ctx, common, *email, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetPassword(ctx, u.ID, hash, 0, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Set a new password for %s <%s>; their sessions have ended.\n", u.Name, u.Email)
	if generated {
		fmt.Fprintf(stdout, "Password (shown only this once): %s\n", password)
	}
	return db.Close()
}
