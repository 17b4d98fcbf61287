package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// A device cookie marks a browser that has signed in to an account before,
// so that the throttle can tell the account's owner from a guesser on the
// same address (see Throttle). It is signed with the site's key and names
// the account, its own random id and when it was issued; it carries no
// session and grants nothing by itself: it only lets its holder try a
// password against the device's own budget instead of the address's.

// NewDeviceID returns a random id for a browser not known before.
func NewDeviceID() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms.
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// SignDevice returns the cookie value that makes device known to account
// from issued on.
func SignDevice(key []byte, account, device string, issued time.Time) string {
	ts := strconv.FormatInt(issued.Unix(), 10)
	return device + "." + ts + "." + deviceMAC(key, accountKey(account), device, ts)
}

// VerifyDevice returns the device id in value when value is a genuine
// device cookie for account issued less than maxAge before now, and ""
// otherwise.
func VerifyDevice(key []byte, account, value string, now time.Time, maxAge time.Duration) string {
	device, rest, ok := strings.Cut(value, ".")
	if !ok || len(device) != 22 {
		return ""
	}
	ts, mac, ok := strings.Cut(rest, ".")
	if !ok {
		return ""
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ""
	}
	want := deviceMAC(key, accountKey(account), device, ts)
	if !hmac.Equal([]byte(mac), []byte(want)) {
		return ""
	}
	if issued := time.Unix(unix, 0); now.Sub(issued) >= maxAge || issued.After(now.Add(time.Minute)) {
		return ""
	}
	return device
}

func deviceMAC(key []byte, account, device, ts string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("marquee device\x00" + account + "\x00" + device + "\x00" + ts))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
