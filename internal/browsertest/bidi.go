package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// errClosed says the browser closed the connection.
var errClosed = errors.New("connection closed")

// bidiConn speaks WebDriver BiDi over a WebSocket: commands carry an id
// and get one answer with that id; events arrive in between and go to
// onEvent, in order, on the reading goroutine.
type bidiConn struct {
	ws      *wsConn
	onEvent func(method string, params json.RawMessage)

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan bidiMessage
	closed  chan struct{} // closed when the reader stops
	readErr error
}

// bidiMessage is any message from the browser: a command's success or
// error (with id), or an event (with method).
type bidiMessage struct {
	Type    string          `json:"type"`
	ID      *int64          `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

func newBidiConn(ws *wsConn, onEvent func(string, json.RawMessage)) *bidiConn {
	c := &bidiConn{ws: ws, onEvent: onEvent, pending: map[int64]chan bidiMessage{}, closed: make(chan struct{})}
	go c.read()
	return c
}

func (c *bidiConn) read() {
	var err error
	defer func() {
		c.mu.Lock()
		c.readErr = err
		c.mu.Unlock()
		close(c.closed)
	}()
	for {
		var data []byte
		data, err = c.ws.ReadMessage()
		if err != nil {
			return
		}
		var msg bidiMessage
		if err = json.Unmarshal(data, &msg); err != nil {
			err = fmt.Errorf("bidi: bad message %.200q: %w", data, err)
			return
		}
		if msg.Type == "event" {
			if c.onEvent != nil {
				c.onEvent(msg.Method, msg.Params)
			}
			continue
		}
		if msg.ID == nil {
			continue // an error about a message that could not be parsed; the call times out and says so
		}
		c.mu.Lock()
		reply, ok := c.pending[*msg.ID]
		delete(c.pending, *msg.ID)
		c.mu.Unlock()
		if ok {
			reply <- msg
		}
	}
}

// call sends a command and decodes its result into result (when not nil).
// It returns when the answer comes, ctx ends or the connection drops.
func (c *bidiConn) call(ctx context.Context, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	reply := make(chan bidiMessage, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.pending[id] = reply
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	data, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if err := c.ws.WriteText(data); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case msg := <-reply:
		if msg.Type == "error" {
			return fmt.Errorf("%s: %s: %s", method, msg.Error, msg.Message)
		}
		if result != nil {
			if err := json.Unmarshal(msg.Result, result); err != nil {
				return fmt.Errorf("%s: decode result: %w", method, err)
			}
		}
		return nil
	case <-c.closed:
		c.mu.Lock()
		defer c.mu.Unlock()
		return fmt.Errorf("%s: %w: %v", method, errClosed, c.readErr)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// remoteValue is a value from the page, serialized the BiDi way.
type remoteValue struct {
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value"`
	SharedID string          `json:"sharedId"`
}

// goValue turns a page value into Go: nil, bool, float64 or string
// (NaN, Infinity and -0 stay their names), []any, map[string]any. Nodes
// and other objects become their type's name in brackets.
func (v remoteValue) goValue() (any, error) {
	switch v.Type {
	case "undefined", "null":
		return nil, nil
	case "boolean":
		var b bool
		err := json.Unmarshal(v.Value, &b)
		return b, err
	case "string", "bigint":
		var s string
		err := json.Unmarshal(v.Value, &s)
		return s, err
	case "number":
		var f float64
		if err := json.Unmarshal(v.Value, &f); err != nil {
			var special string
			if json.Unmarshal(v.Value, &special) == nil {
				return special, nil
			}
			return nil, err
		}
		return f, nil
	case "array":
		var items []remoteValue
		if err := json.Unmarshal(v.Value, &items); err != nil {
			return nil, err
		}
		out := make([]any, len(items))
		for i, item := range items {
			var err error
			if out[i], err = item.goValue(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "object":
		var pairs [][2]json.RawMessage
		if err := json.Unmarshal(v.Value, &pairs); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(pairs))
		for _, pair := range pairs {
			var key string
			var val remoteValue
			if err := json.Unmarshal(pair[0], &key); err != nil {
				return nil, fmt.Errorf("object key %s: %w", pair[0], err)
			}
			if err := json.Unmarshal(pair[1], &val); err != nil {
				return nil, err
			}
			var err error
			if out[key], err = val.goValue(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return "[" + v.Type + "]", nil
}

// scriptResult is what script.evaluate and script.callFunction answer:
// a value, or the exception the script threw.
type scriptResult struct {
	Type             string      `json:"type"`
	Result           remoteValue `json:"result"`
	ExceptionDetails struct {
		Text       string `json:"text"`
		LineNumber int    `json:"lineNumber"`
	} `json:"exceptionDetails"`
}

func (r scriptResult) value() (any, error) {
	if r.Type == "exception" {
		return nil, fmt.Errorf("script threw: %s (line %d)", r.ExceptionDetails.Text, r.ExceptionDetails.LineNumber+1)
	}
	return r.Result.goValue()
}
