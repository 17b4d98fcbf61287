package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
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

// checkFormToken returns when the form carrying token was served, and
// whether the token is genuine for purpose.
func (s *Server) checkFormToken(purpose, token string) (time.Time, bool) {
	unix, _, ok := strings.Cut(token, ".")
	if !ok {
		return time.Time{}, false
	}
	seconds, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	served := time.Unix(seconds, 0)
	if !hmac.Equal([]byte(token), []byte(s.formToken(purpose, served))) {
		return time.Time{}, false
	}
	return served, true
}
