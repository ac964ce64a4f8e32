package browsertest

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// wsServer is the server side of one WebSocket connection, written from
// RFC 6455 to test the client against: it checks the handshake, then runs
// script with the raw connection.
func wsServer(t *testing.T, script func(conn net.Conn, r *bufio.Reader)) string {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		key := r.Header.Get("Sec-WebSocket-Key")
		if r.Header.Get("Upgrade") != "websocket" || r.Header.Get("Sec-WebSocket-Version") != "13" || key == "" || r.Header.Get("Origin") != "" {
			t.Errorf("handshake headers: %v", r.Header)
			http.Error(w, "bad handshake", http.StatusBadRequest)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		sum := sha1.Sum([]byte(key + wsGUID))
		io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
			"Sec-WebSocket-Accept: "+base64.StdEncoding.EncodeToString(sum[:])+"\r\n\r\n")
		script(conn, rw.Reader)
	}))
	t.Cleanup(func() {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("the server's script did not end")
		}
		srv.Close()
	})
	return "ws://" + strings.TrimPrefix(srv.URL, "http://") + "/session"
}

// serverFrame writes one unmasked frame, as a server must.
func serverFrame(w io.Writer, fin bool, op byte, payload []byte) {
	head := []byte{op, 0}
	if fin {
		head[0] |= 0x80
	}
	switch n := len(payload); {
	case n < 126:
		head[1] = byte(n)
	case n <= 0xFFFF:
		head[1] = 126
		head = binary.BigEndian.AppendUint16(head, uint16(n))
	default:
		head[1] = 127
		head = binary.BigEndian.AppendUint64(head, uint64(n))
	}
	w.Write(append(head, payload...))
}

// readClientFrame reads one frame from the client and unmasks it; a
// client frame without a mask is an error.
func readClientFrame(t *testing.T, r *bufio.Reader) (op byte, payload []byte) {
	t.Helper()
	var head [2]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		t.Errorf("read frame: %v", err)
		return 0, nil
	}
	if head[1]&0x80 == 0 {
		t.Errorf("client frame not masked")
	}
	size := uint64(head[1] & 0x7F)
	switch size {
	case 126:
		var b [2]byte
		io.ReadFull(r, b[:])
		size = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(r, b[:])
		size = binary.BigEndian.Uint64(b[:])
	}
	var mask [4]byte
	io.ReadFull(r, mask[:])
	payload = make([]byte, size)
	if _, err := io.ReadFull(r, payload); err != nil {
		t.Errorf("read payload: %v", err)
	}
	for i := range payload {
		payload[i] ^= mask[i%4]
	}
	return head[0] & 0x0F, payload
}

// The client sends masked text, reassembles a fragmented message with a
// ping between its fragments (answered with a pong carrying the ping's
// data), reads a message over 64 KiB, and sees the peer's close as io.EOF.
func TestWebSocketClientSpeaksRFC6455(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ả", 40000) // 80,000 bytes: a 64-bit length
	url := wsServer(t, func(conn net.Conn, r *bufio.Reader) {
		if op, msg := readClientFrame(t, r); op != opText || string(msg) != `{"id":1}` {
			t.Errorf("client sent op %#x %q", op, msg)
		}
		serverFrame(conn, false, opText, []byte("Xin "))
		serverFrame(conn, true, opPing, []byte("p1"))
		serverFrame(conn, false, opContinuation, []byte("chào "))
		serverFrame(conn, true, opContinuation, []byte("bạn"))
		if op, msg := readClientFrame(t, r); op != opPong || string(msg) != "p1" {
			t.Errorf("answer to the ping: op %#x %q", op, msg)
		}
		serverFrame(conn, true, opText, []byte(long))
		serverFrame(conn, true, opClose, []byte{0x03, 0xE8})
		if op, _ := readClientFrame(t, r); op != opClose {
			t.Errorf("answer to the close: op %#x", op)
		}
	})
	ws, err := dialWebSocket(url, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.conn.Close()
	if err := ws.WriteText([]byte(`{"id":1}`)); err != nil {
		t.Fatal(err)
	}
	msg, err := ws.ReadMessage()
	if err != nil || string(msg) != "Xin chào bạn" {
		t.Fatalf("first message %q, %v", msg, err)
	}
	msg, err = ws.ReadMessage()
	if err != nil || string(msg) != long {
		t.Fatalf("long message of %d bytes, %v", len(msg), err)
	}
	if _, err := ws.ReadMessage(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the close: %v, want io.EOF", err)
	}
}

// A continuation with no message before it, and a frame claiming more
// than maxMessage bytes, are errors, not a hang or a huge allocation.
func TestWebSocketClientRefusesBadFrames(t *testing.T) {
	t.Parallel()
	for name, send := range map[string]func(io.Writer){
		"continuation first": func(w io.Writer) { serverFrame(w, true, opContinuation, []byte("x")) },
		"huge frame": func(w io.Writer) {
			head := binary.BigEndian.AppendUint64([]byte{0x80 | opText, 127}, 1<<40)
			w.Write(head)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := wsServer(t, func(conn net.Conn, r *bufio.Reader) {
				send(conn)
				io.Copy(io.Discard, r) // until the client hangs up
			})
			ws, err := dialWebSocket(url, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.conn.Close()
			ws.conn.SetDeadline(time.Now().Add(5 * time.Second))
			if msg, err := ws.ReadMessage(); err == nil || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "timeout") {
				t.Errorf("got %q, %v; want a protocol error", msg, err)
			}
		})
	}
}

// A server that does not answer the handshake with the key's hash is
// refused.
func TestWebSocketClientChecksTheHandshake(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Upgrade", "websocket")
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Sec-WebSocket-Accept", "d3Jvbmc=")
		w.WriteHeader(http.StatusSwitchingProtocols)
	}))
	defer srv.Close()
	_, err := dialWebSocket("ws://"+strings.TrimPrefix(srv.URL, "http://")+"/session", 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "101 Switching Protocols") {
		t.Fatalf("got %v, want a handshake error", err)
	}
}

// Key presses carry a letter with its combining marks: Vietnamese in NFD
// is typed as in NFC, one key per letter.
func TestGraphemesKeepMarksWithTheirLetter(t *testing.T) {
	t.Parallel()
	got := graphemes("Vie\u0323\u0302t x")
	want := []string{"V", "i", "e\u0323\u0302", "t", " ", "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("graphemes = %q, want %q", got, want)
	}
}
