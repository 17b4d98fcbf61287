package web_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSlowRequestBodyAnswers408: a client that sends its headers and then
// stalls in the middle of its body, past the server's read timeout, is
// answered 408 and logged as the client's doing, not as a server error.
// It runs over a real TCP connection to a real http.Server, since the
// timeout is the connection's.
func TestSlowRequestBodyAnswers408(t *testing.T) {
	s := mustSite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: time.Second, ReadTimeout: 300 * time.Millisecond}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The headers promise 100 bytes; only the start of the form comes.
	_, err = conn.Write([]byte("POST /admin/signin HTTP/1.1\r\nHost: localhost\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=ed%40example.com&pass"))
	if err != nil {
		t.Fatal(err)
	}
	// Then nothing more: the client stalls until the server answers.
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the stalled request: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status = %d, want 408", resp.StatusCode)
	}
	logs := s.logs.String()
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("a slow client was logged as an error:\n%s", logs)
	}
	if !strings.Contains(logs, "request body not received in time") || !strings.Contains(logs, "status=408") {
		t.Errorf("the slow client is not logged as such:\n%s", logs)
	}
}
