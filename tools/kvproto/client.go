package kvproto

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	log "github.com/sirupsen/logrus"
)

// ErrTimeout reports a request that got no complete reply in any attempt.
var ErrTimeout = errors.New("no reply")

// Defaults of a new Client; generous because tests run on busy machines.
const (
	DefaultTimeout = 2 * time.Second
	DefaultRetries = 2
)

// Client talks to one server over UDP. Its methods are safe for concurrent
// use but serialised: one request is outstanding at a time.
type Client struct {
	// Timeout bounds each attempt of a request.
	Timeout time.Duration
	// Retries is how many times a request is resent after a timeout. A
	// retried add or delete may report NOT_STORED/NOT_FOUND when only the
	// first reply was lost.
	Retries int

	mu     sync.Mutex
	conn   *net.UDPConn
	nextID uint16
	buf    []byte
}

// Dial opens a UDP socket connected to addr ("host:port").
func Dial(addr string) (*Client, error) {
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", addr, err)
	}
	conn, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		return nil, fmt.Errorf("dial udp %s: %w", addr, err)
	}
	return &Client{
		Timeout: DefaultTimeout,
		Retries: DefaultRetries,
		conn:    conn,
		// Random start so that two clients on one port do not share ids.
		nextID: uint16(time.Now().UnixNano()),
		buf:    make([]byte, 65536),
	}, nil
}

// Close releases the socket.
func (c *Client) Close() error {
	return c.conn.Close()
}

// Set stores value under key.
func (c *Client) Set(key string, value []byte, flags uint32) error {
	return c.store("set", key, value, flags)
}

// Add stores value only if key is absent; ErrNotStored otherwise.
func (c *Client) Add(key string, value []byte, flags uint32) error {
	return c.store("add", key, value, flags)
}

// Replace stores value only if key is present; ErrNotStored otherwise.
func (c *Client) Replace(key string, value []byte, flags uint32) error {
	return c.store("replace", key, value, flags)
}

func (c *Client) store(cmd, key string, value []byte, flags uint32) error {
	req, err := EncodeStorage(cmd, key, value, flags)
	if err != nil {
		return err
	}
	reply, err := c.Raw(req)
	if err != nil {
		return err
	}
	return ParseStorageReply(reply)
}

// Delete removes key; ErrNotFound if it is absent.
func (c *Client) Delete(key string) error {
	req, err := EncodeDelete(key)
	if err != nil {
		return err
	}
	reply, err := c.Raw(req)
	if err != nil {
		return err
	}
	return ParseDeleteReply(reply)
}

// Get returns the items found among keys; misses are absent from the map.
func (c *Client) Get(keys ...string) (map[string]Item, error) {
	return c.retrieve("get", keys)
}

// Gets is Get with each item's CAS value.
func (c *Client) Gets(keys ...string) (map[string]Item, error) {
	return c.retrieve("gets", keys)
}

func (c *Client) retrieve(cmd string, keys []string) (map[string]Item, error) {
	req, err := EncodeRetrieval(cmd, keys...)
	if err != nil {
		return nil, err
	}
	reply, err := c.Raw(req)
	if err != nil {
		return nil, err
	}
	items, err := ParseValues(reply, cmd == "gets")
	if err != nil {
		return nil, err
	}
	found := make(map[string]Item, len(items))
	for _, it := range items {
		found[it.Key] = it
	}
	return found, nil
}

// Version returns the server's version string.
func (c *Client) Version() (string, error) {
	reply, err := c.Raw(EncodeSimple("version"))
	if err != nil {
		return "", err
	}
	return ParseVersionReply(reply)
}

// Stats returns the server's general statistics.
func (c *Client) Stats() (map[string]string, error) {
	reply, err := c.Raw(EncodeSimple("stats"))
	if err != nil {
		return nil, err
	}
	return ParseStatsReply(reply)
}

// Raw sends payload (a text command, framed here) and returns the whole
// reassembled reply payload, unparsed.
func (c *Client) Raw(payload []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for attempt := 0; attempt <= c.Retries; attempt++ {
		// A fresh id per attempt, so a late reply to an earlier attempt
		// cannot mix its datagrams into this one's.
		c.nextID++
		reply, err := c.attempt(c.nextID, payload)
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return reply, err
		}
		log.Debugf("kvproto: request %d timed out (attempt %d)", c.nextID, attempt+1)
	}
	return nil, fmt.Errorf("%s after %d attempts of %v: %w", c.conn.RemoteAddr(), c.Retries+1, c.Timeout, ErrTimeout)
}

func (c *Client) attempt(id uint16, payload []byte) ([]byte, error) {
	if _, err := c.conn.Write(Frame(id, payload)); err != nil {
		return nil, fmt.Errorf("send to %s: %w", c.conn.RemoteAddr(), err)
	}
	if err := c.conn.SetReadDeadline(time.Now().Add(c.Timeout)); err != nil {
		return nil, fmt.Errorf("set deadline: %w", err)
	}
	var reply []byte
	asm := NewAssembler(id)
	for {
		n, err := c.conn.Read(c.buf)
		if err != nil {
			return nil, fmt.Errorf("receive from %s: %w", c.conn.RemoteAddr(), err)
		}
		done, err := asm.Add(c.buf[:n])
		if err != nil {
			// Stale replies and stray datagrams are not ours to answer.
			log.Debugf("kvproto: discarded datagram: %v", err)
			continue
		}
		if !done {
			continue
		}
		// A reply may span several messages of this id (see
		// ReplyComplete); they arrive in order on loopback.
		reply = append(reply, asm.Payload()...)
		if ReplyComplete(reply) {
			return reply, nil
		}
		asm = NewAssembler(id)
	}
}

// SendRaw sends datagram exactly as given, without a frame header, and
// awaits nothing: for garbage and truncated datagrams in tests.
func (c *Client) SendRaw(datagram []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.conn.Write(datagram); err != nil {
		return fmt.Errorf("send raw to %s: %w", c.conn.RemoteAddr(), err)
	}
	return nil
}
