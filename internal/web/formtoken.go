package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"
)

// formToken signs the time a form was served and what it is for, so a
// submission can be checked for the minimum time a person needs to fill it
// in. People never see it; bots that post without loading the form, or
// faster than a person can type, fail it.
func (s *Server) formToken(purpose string, served time.Time) string {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(served.Unix()))
	mac := hmac.New(sha256.New, s.formKey)
	mac.Write([]byte(purpose))
	mac.Write(buf[:])
	return strconv.FormatInt(served.Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// maxFormTokenAge is how long a served form may take to come back. A day
// is far longer than anyone takes to write a review, even with the page
// left open overnight, and it keeps a token taken once from serving a bot
// for ever after.
const maxFormTokenAge = 24 * time.Hour

// The ways checkFormToken refuses a token.
var (
	errFormTokenInvalid = errors.New("missing or forged form token")
	errFormTokenExpired = errors.New("form token older than its maximum age")
)

// checkFormToken returns when the form carrying token was served. It
// refuses a token that is not genuine for purpose (errFormTokenInvalid),
// and a genuine one served more than maxFormTokenAge ago
// (errFormTokenExpired).
func (s *Server) checkFormToken(purpose, token string) (time.Time, error) {
	unix, _, ok := strings.Cut(token, ".")
	if !ok {
		return time.Time{}, errFormTokenInvalid
	}
	seconds, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return time.Time{}, errFormTokenInvalid
	}
	served := time.Unix(seconds, 0)
	if !hmac.Equal([]byte(token), []byte(s.formToken(purpose, served))) {
		return time.Time{}, errFormTokenInvalid
	}
	if s.now().Sub(served) > maxFormTokenAge {
		return time.Time{}, errFormTokenExpired
	}
	return served, nil
}
