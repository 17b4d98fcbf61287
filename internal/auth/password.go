// Package auth holds what the editors' desk needs to tell who is signing
// in: the password rules, password hashing with argon2id, sign-in
// throttling, and a bound on how many passwords are hashed at once. It
// knows nothing of HTTP or SQL; the web layer and the command line use it.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed" // for the common-password list
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"marquee/internal/film"
)

// MinPasswordLength is the fewest characters a password may have. Length
// does more for strength than any rule about character classes, which
// people meet with "Password1!".
const MinPasswordLength = 8

// MaxPasswordBytes is the longest password accepted, in bytes. Passwords
// are hashed whole (argon2 has no 72-byte limit, unlike bcrypt), so a
// passphrase is never silently truncated; the cap only stops a client from
// making the server hash megabytes.
const MaxPasswordBytes = 1024

// The ways a password can be refused, each worded for the person choosing
// it.
var (
	ErrPasswordTooShort = fmt.Errorf("a password needs at least %d characters", MinPasswordLength)
	ErrPasswordTooLong  = fmt.Errorf("a password can be at most %s bytes long", film.FormatCount(MaxPasswordBytes))
	ErrPasswordCommon   = errors.New("this password is one of the most common and easily guessed; please choose another")
)

// CheckPassword says whether pw may be chosen as a password: long enough,
// not too long, and not on the list of the most common passwords.
func CheckPassword(pw string) error {
	switch {
	case len(pw) > MaxPasswordBytes:
		return ErrPasswordTooLong
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return ErrPasswordTooShort
	case IsCommonPassword(pw):
		return ErrPasswordCommon
	}
	return nil
}

//go:embed common-passwords.txt
var commonPasswordList string

// commonPasswords is the embedded list as a set of lower-cased entries,
// built on first use so that commands that never check a password do not
// pay for it.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 2048)
	for line := range strings.Lines(commonPasswordList) {
		if p := strings.TrimSpace(line); p != "" && !strings.HasPrefix(p, "#") {
			set[strings.ToLower(p)] = struct{}{}
		}
	}
	return set
})

// IsCommonPassword reports whether pw, ignoring case, is on the list of the
// most common passwords.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}

// GeneratePassword returns a new random password of 26 letters and digits
// (130 bits), for accounts whose owner will change it or keep it in a
// password manager.
func GeneratePassword() string { return rand.Text() }

// Params are argon2id's cost parameters.
type Params struct {
	// Memory is in KiB.
	Memory  uint32
	Time    uint32
	Threads uint8
	// KeyLength is the length of the hash in bytes.
	KeyLength uint32
}

// DefaultParams are the parameters new hashes use: OWASP's recommended
// minimum for argon2id (19 MiB, two passes, one thread), about 30 ms on
// one core. Raising them later is safe: each stored hash names its own
// parameters, and NeedsRehash tells when to hash a password again.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLength: 32}

// saltLength is the length of each password's random salt in bytes.
const saltLength = 16

// b64 is the base64 that PHC strings use: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// HashPassword hashes pw with argon2id and DefaultParams and a fresh
// random salt, and encodes the result in PHC form:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	return HashPasswordWith(pw, DefaultParams)
}

// HashPasswordWith hashes pw as HashPassword does, with the parameters p
// instead of DefaultParams. Such a hash verifies, and NeedsRehash reports
// it, so tests use it to stand for a hash stored before DefaultParams
// last changed. Parameters outside the bounds VerifyPassword accepts are
// refused.
func HashPasswordWith(pw string, p Params) (string, error) {
	if len(pw) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	if !p.inBounds() {
		return "", fmt.Errorf("argon2id parameters %+v out of bounds", p)
	}
	salt := make([]byte, saltLength)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails on supported platforms.
	return encodeHash(p, salt, argonKey(pw, salt, p)), nil
}

// inBounds reports whether p lies within the bounds a stored hash's
// parameters must meet, which keep a corrupt or hostile stored value from
// making verification take gigabytes.
func (p Params) inBounds() bool {
	return p.Threads >= 1 && p.Memory >= 8*uint32(p.Threads) && p.Memory <= 1<<20 &&
		p.Time >= 1 && p.Time <= 64 && p.KeyLength >= 16 && p.KeyLength <= 128
}

// argonKey is argon2id of pw with the given salt and parameters.
func argonKey(pw string, salt []byte, p Params) []byte {
	return argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLength)
}

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformedHash is returned for a stored hash that is not an argon2id
// PHC string this package can read, or whose parameters are out of bounds.
var ErrMalformedHash = errors.New("malformed password hash")

// decodeHash reads a PHC argon2id string. The bounds keep a corrupt or
// hostile stored value from making verification take gigabytes.
func decodeHash(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, ErrMalformedHash
	}
	var p Params
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return Params{}, nil, nil, ErrMalformedHash
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return Params{}, nil, nil, ErrMalformedHash
			}
			p.Threads = uint8(n)
		default:
			return Params{}, nil, nil, ErrMalformedHash
		}
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, ErrMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return Params{}, nil, nil, ErrMalformedHash
	}
	p.KeyLength = uint32(len(key))
	if !p.inBounds() || len(salt) < 8 || len(salt) > 64 || len(key) > 128 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	return p, salt, key, nil
}

// VerifyPassword reports whether pw matches the stored hash encoded,
// hashing pw with the parameters and salt the stored string names and
// comparing in constant time. An error means the stored hash is unreadable.
func VerifyPassword(encoded, pw string) (bool, error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPasswordBytes {
		// Still spend the time, so a too-long guess is not told apart.
		argonKey(pw[:MaxPasswordBytes], salt, p)
		return false, nil
	}
	got := argonKey(pw, salt, p)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether the stored hash was made with parameters
// other than DefaultParams, so that the password, once verified, should be
// hashed again.
func NeedsRehash(encoded string) bool {
	p, salt, _, err := decodeHash(encoded)
	return err != nil || p != DefaultParams || len(salt) != saltLength
}

// dummyHash is the hash of a password no one has, made with DefaultParams.
// Signing in as an unknown email verifies against it, so that the answer
// takes as long as for a real account and timing does not reveal which
// emails have accounts. A test checks that its parameters stay in step
// with DefaultParams.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$bWFycXVlZS1kdW1teS1zYWx0$" +
	"TYl8sP+G0sF7cwSa7V2LeiA0cZk9y6h2tM4Yl0WwE2M"

// SpendDummyHash does the work of verifying pw against a hash, and learns
// nothing: call it when there is no account to verify against.
func SpendDummyHash(pw string) {
	_, _ = VerifyPassword(dummyHash, pw)
}

// CheckAccount checks an account's email, name and role, returning the
// problems by field ("email", "name", "role").
func CheckAccount(u film.User) error {
	p := film.Problems{}
	email := u.Email
	switch addr, err := mail.ParseAddress(email); {
	case email == "":
		p.Add("email", "Enter an email address.")
	case len(email) > 254:
		p.Add("email", "An email address can be at most 254 characters.")
	case err != nil || addr.Address != email || addr.Name != "":
		p.Add("email", "Enter an email address such as name@example.com.")
	}
	name := strings.TrimSpace(u.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		p.Add("name", "Enter a name.")
	case n > 100:
		p.Add("name", "A name can be at most 100 characters.")
	case !utf8.ValidString(name):
		p.Add("name", "The name holds characters that are not text.")
	case film.HasDisallowedText(name):
		p.Add("name", "The name holds control or bidirectional formatting characters; type it without them.")
	}
	if !u.Role.Valid() {
		p.Add("role", "The role is contributor, editor or admin.")
	}
	return p.Err()
}
