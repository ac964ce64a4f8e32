package browsertest

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// wsConn is a minimal WebSocket client (RFC 6455) for talking to a browser
// on loopback: text messages only, fragmented messages reassembled, pings
// answered. golang.org/x/net/websocket would do, but it always sends an
// Origin header, which Firefox's remote agent refuses, and it does not
// reassemble fragments.
type wsConn struct {
	conn    net.Conn
	r       *bufio.Reader
	writeMu sync.Mutex
}

// maxMessage bounds one message: a browser's answers here are a few
// kilobytes, and a runaway one must not take the test's memory.
const maxMessage = 64 << 20

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// dialWebSocket opens a WebSocket to rawURL (ws://host:port/path), the
// handshake bounded by timeout.
func dialWebSocket(rawURL string, timeout time.Duration) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return nil, fmt.Errorf("websocket: bad URL %q", rawURL)
	}
	conn, err := net.DialTimeout("tcp", u.Host, timeout)
	if err != nil {
		return nil, fmt.Errorf("websocket: %w", err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	nonce := make([]byte, 16)
	rand.Read(nonce)
	key := base64.StdEncoding.EncodeToString(nonce)
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\n" +
		"Host: " + u.Host + "\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, &http.Request{Method: http.MethodGet})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	resp.Body.Close()
	sum := sha1.Sum([]byte(key + wsGUID))
	if resp.StatusCode != http.StatusSwitchingProtocols ||
		resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake with %s: %s", rawURL, resp.Status)
	}
	conn.SetDeadline(time.Time{})
	return &wsConn{conn: conn, r: r}, nil
}

const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// writeFrame sends one masked frame, as a client must.
func (c *wsConn) writeFrame(op byte, payload []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	header := []byte{0x80 | op, 0}
	switch n := len(payload); {
	case n < 126:
		header[1] = 0x80 | byte(n)
	case n <= 0xFFFF:
		header[1] = 0x80 | 126
		header = binary.BigEndian.AppendUint16(header, uint16(n))
	default:
		header[1] = 0x80 | 127
		header = binary.BigEndian.AppendUint64(header, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	header = append(header, mask[:]...)
	masked := make([]byte, len(payload))
	for i, b := range payload {
		masked[i] = b ^ mask[i%4]
	}
	if _, err := c.conn.Write(append(header, masked...)); err != nil {
		return fmt.Errorf("websocket write: %w", err)
	}
	return nil
}

// WriteText sends one text message.
func (c *wsConn) WriteText(msg []byte) error {
	return c.writeFrame(opText, msg)
}

// ReadMessage returns the next text or binary message, whole. It answers
// pings on the way, and returns io.EOF once the peer closes.
func (c *wsConn) ReadMessage() ([]byte, error) {
	var msg []byte
	started := false
	for {
		fin, op, payload, err := c.readFrame()
		if err != nil {
			return nil, err
		}
		switch op {
		case opPing:
			if err := c.writeFrame(opPong, payload); err != nil {
				return nil, err
			}
			continue
		case opPong:
			continue
		case opClose:
			c.writeFrame(opClose, nil) // the closing handshake; the peer may be gone already
			return nil, io.EOF
		case opText, opBinary:
			if started {
				return nil, errors.New("websocket: new message inside a fragmented one")
			}
			started = true
		case opContinuation:
			if !started {
				return nil, errors.New("websocket: continuation without a message")
			}
		default:
			return nil, fmt.Errorf("websocket: unknown opcode %#x", op)
		}
		if len(msg)+len(payload) > maxMessage {
			return nil, fmt.Errorf("websocket: message over %d bytes", maxMessage)
		}
		msg = append(msg, payload...)
		if fin {
			return msg, nil
		}
	}
}

func (c *wsConn) readFrame() (fin bool, op byte, payload []byte, err error) {
	var head [2]byte
	if _, err := io.ReadFull(c.r, head[:]); err != nil {
		return false, 0, nil, fmt.Errorf("websocket read: %w", err)
	}
	fin, op = head[0]&0x80 != 0, head[0]&0x0F
	size := uint64(head[1] & 0x7F)
	switch size {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(c.r, b[:]); err != nil {
			return false, 0, nil, fmt.Errorf("websocket read: %w", err)
		}
		size = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(c.r, b[:]); err != nil {
			return false, 0, nil, fmt.Errorf("websocket read: %w", err)
		}
		size = binary.BigEndian.Uint64(b[:])
	}
	if size > maxMessage {
		return false, 0, nil, fmt.Errorf("websocket: frame of %d bytes", size)
	}
	var mask []byte
	if head[1]&0x80 != 0 { // servers must not mask, but reading it costs nothing
		mask = make([]byte, 4)
		if _, err := io.ReadFull(c.r, mask); err != nil {
			return false, 0, nil, fmt.Errorf("websocket read: %w", err)
		}
	}
	payload = make([]byte, size)
	if _, err := io.ReadFull(c.r, payload); err != nil {
		return false, 0, nil, fmt.Errorf("websocket read: %w", err)
	}
	if mask != nil {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return fin, op, payload, nil
}

// Close sends a close frame and closes the connection.
func (c *wsConn) Close() error {
	c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	c.writeFrame(opClose, []byte{0x03, 0xE8}) // 1000: normal closure
	return c.conn.Close()
}
