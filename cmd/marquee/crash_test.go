package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/sqlite"
)

// helperServeEnv names the environment variable that turns this test
// binary into a Marquee server (see TestHelperProcessServe).
const helperServeEnv = "MARQUEE_HELPER_SERVE"

// TestHelperProcessServe is not a test of its own: it is the server
// process TestKillNineLosesNoAcknowledgedWrite starts and kills, running
// the real program with the arguments in MARQUEE_HELPER_SERVE.
func TestHelperProcessServe(t *testing.T) {
	args := os.Getenv(helperServeEnv)
	if args == "" {
		t.Skip("the server process of TestKillNineLosesNoAcknowledgedWrite")
	}
	err := run(context.Background(), strings.Fields(args), func(string) string { return "" }, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestKillNineLosesNoAcknowledgedWrite runs the real server as its own
// process, has 50 writers rate a film as 50 streams of new readers, kills
// the process with SIGKILL in the middle of it, and opens the database
// afterwards: it must be intact, and every rating the server answered 303
// for must be there.
func TestKillNineLosesNoAcknowledgedWrite(t *testing.T) {
	path := mustSeededFile(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessServe$")
	cmd.Env = append(os.Environ(), helperServeEnv+"=serve -addr 127.0.0.1:0 -trust-proxy -db "+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "serving at "); ok {
			base = strings.TrimSuffix(after, "/")
			break
		}
	}
	if base == "" {
		t.Fatal("the server process did not start")
	}
	go func() {
		for sc.Scan() {
		}
	}()

	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var (
		mu      sync.Mutex
		acked   [][]byte // token hashes of readers whose rating was acknowledged
		count   atomic.Int64
		killed  atomic.Bool
		serial  atomic.Int64
		wg      sync.WaitGroup
		refused atomic.Int64
	)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				n := serial.Add(1)
				// Each writer is a new reader on a network of its own (the
				// rating budgets count an IPv6 address by its /64), and
				// confirms its first rating as the stuffing defence asks.
				form := url.Values{"rating": {"7"}}
				post := func(cookies []*http.Cookie) (*http.Response, string, error) {
					req, _ := http.NewRequest(http.MethodPost, base+"/films/paris-2008/rating", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Origin", base)
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("2001:db8:%x:%x::1", n>>16, n&0xffff))
					for _, c := range cookies {
						req.AddCookie(c)
					}
					resp, err := client.Do(req)
					if err != nil {
						return nil, "", err
					}
					defer resp.Body.Close()
					body, err := io.ReadAll(resp.Body)
					return resp, string(body), err
				}
				resp, body, err := post(nil)
				if err != nil {
					continue // The server is gone, or going.
				}
				if m := ratingProofField.FindStringSubmatch(body); resp.StatusCode == http.StatusOK && m != nil {
					form.Set("confirm", m[1])
					if resp, _, err = post(resp.Cookies()); err != nil {
						continue
					}
				}
				if resp.StatusCode != http.StatusSeeOther {
					if !killed.Load() {
						refused.Add(1)
					}
					continue
				}
				for _, c := range resp.Cookies() {
					if c.Name == "marquee_reader" {
						sum := sha256.Sum256([]byte(c.Value))
						mu.Lock()
						acked = append(acked, sum[:])
						mu.Unlock()
						count.Add(1)
					}
				}
			}
		}()
	}
	for deadline := time.Now().Add(20 * time.Second); count.Load() < 300 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown, no checkpoint.
		t.Fatal(err)
	}
	killed.Store(true)
	_ = cmd.Wait()
	wg.Wait()
	if refused.Load() > 0 {
		t.Errorf("%d ratings were refused while the server ran", refused.Load())
	}
	if len(acked) == 0 {
		t.Fatal("no rating was acknowledged before the kill")
	}

	if err := sqlite.CheckFile(context.Background(), path); err != nil {
		t.Fatalf("the database after kill -9: %v", err)
	}
	conn, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	lost := 0
	for _, h := range acked {
		var n int
		if err := conn.QueryRow(`SELECT count(*) FROM ratings r JOIN readers d ON d.id = r.reader_id
			JOIN films f ON f.id = r.film_id WHERE d.token_hash = ? AND f.slug = 'paris-2008'`, h).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged ratings were lost to kill -9", lost, len(acked))
	}
	t.Logf("%d ratings acknowledged before kill -9, all kept", len(acked))
}
