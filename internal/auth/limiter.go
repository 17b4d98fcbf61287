package auth

import (
	"context"
	"errors"
	"time"
)

// ErrBusy is returned by HashLimiter.Do when no hashing slot came free in
// time.
var ErrBusy = errors.New("too many passwords are being checked at once")

// HashLimiter bounds how many password hashes are computed at once. Each
// argon2id computation takes DefaultParams.Memory of memory, so without a
// bound a flood of sign-in attempts could exhaust the server's memory;
// with one, memory stays at a few hashes' worth and the excess waits, then
// gives up.
type HashLimiter struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHashLimiter allows concurrency hashes at once; a caller waits at most
// wait for a slot.
func NewHashLimiter(concurrency int, wait time.Duration) *HashLimiter {
	return &HashLimiter{slots: make(chan struct{}, max(1, concurrency)), wait: wait}
}

// Do runs fn once a slot is free, returning ErrBusy if none frees up
// within the limiter's wait, or the context's error if it ends first.
func (l *HashLimiter) Do(ctx context.Context, fn func()) error {
	select {
	case l.slots <- struct{}{}:
	default:
		timer := time.NewTimer(l.wait)
		defer timer.Stop()
		select {
		case l.slots <- struct{}{}:
		case <-timer.C:
			return ErrBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-l.slots }()
	fn()
	return nil
}
