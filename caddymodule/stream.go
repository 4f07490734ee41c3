package caddymodule

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/internal/jsonpass"
)

// answerStream is an answer to transform: it goes through the JSON engine
// as it arrives. Until the backend's bytes (decoded, for a compressed
// answer) pass stream_threshold, what the engine makes of them is held: an
// answer that ends within the threshold goes out whole, with its
// Content-Length, and invalid JSON within it is a clean 502 the moment it
// arrives, not when the backend ends. Past the threshold, what the engine
// writes goes on to the client; the status and headers go out with its
// first bytes, so a failure before them can still be answered 502, and
// after them the answer ends abnormally.
//
// The first bytes go out at once; then the engine hands its output on in
// pieces of 48 KiB or a little more, and what waits is sent at most
// flushDelay after it was written: a flush after every write of the
// backend would cost a chunk, and up to three system calls, for each of
// them. An explicit Flush (reverse_proxy's flush_interval) still flushes
// at once.
type answerStream struct {
	w       http.ResponseWriter
	status  int
	limit   int64
	hold    int64 // stream_threshold: the decoded bytes held before any goes out
	written int64 // the backend's bytes so far (as sent: compressed or not)
	start   time.Time
	sent    atomic.Bool // the status and the first bytes went out
	refused bool        // the stream refused the backend's bytes: an error of the handlers after it follows from that

	// mu guards the engine, w and err between the backend's writes (or the
	// decoding goroutine's) and the delayed flush.
	mu     sync.Mutex
	pass   *jsonpass.Pass
	opts   jsonpass.Options
	result *agent.ResultWriter // an agent answer whose result is a field of it: what reads it into pass
	text   *agent.TextWriter   // a String method's text answer: what writes it into pass as a JSON string
	// input is where the backend's (decoded) bytes go: the text's writer,
	// the result's reader, an agent answer's agent.KindWriter, the pass,
	// the first of them the answer has, each writing into the next.
	input  io.Writer
	err    error // the first failure, as the backend's writer sees it
	timer  *time.Timer
	armed  bool // the delayed flush is due
	closed bool // the answer ended: nothing more goes to w
	// undecided: the answer has not yet passed stream_threshold. Until it
	// has, the engine's output goes to held and nothing goes to w, not even
	// on a Flush of the handlers after chatgate (reverse_proxy flushes each
	// write of an answer of unknown length).
	undecided bool
	// gathering: the answer passed stream_threshold, but its output so far
	// is less than firstPiece; it waits in held until there is that much,
	// flushDelay has passed, or the answer ends. An encode directive after
	// chatgate decides on the first write whether to compress the whole
	// answer, and a $select that leaves little of the threshold's bytes
	// made that first write too short to compress.
	gathering bool
	held      *[]byte // the engine's output while undecided or gathering
	// blank: an agent call's answer whose bytes (decoded) so far are JSON
	// white space after a byte order mark at its start (markRead of its
	// bytes), or none. One that ends so while undecided is "nothing
	// there", as a 404 is (errNothingThere), not the engine's to read.
	blank    bool
	markRead int8

	// A compressed answer is decoded in a goroutine of its own, fed
	// through a pipe.
	pipe *io.PipeWriter
	done chan error
	// decodeFailed: the decoding goroutine stopped with an error, which
	// close answers; until then nothing more goes out (with mu held)
	decodeFailed bool
	late         http.Header     // what the handlers after chatgate set in the header while it streams (see responseWriter.Header)
	client       syscall.RawConn // corked around the large writes (transform.client)
	corked       bool            // flushOut corked client: the writes in it are not corked again
}

// flushDelay is the longest a streamed answer's output waits to be sent.
const flushDelay = 20 * time.Millisecond

// firstPiece is the least output a streamed answer's first write carries,
// unless flushDelay passes first: more than the minimum_length of Caddy's
// encode (512 bytes by default), which compresses an answer of unknown
// length only when its first write is longer.
const firstPiece = 4 << 10

// chunkDataAt is where net/http splits a write of 4 to 64 KiB to an
// HTTP/1.1 answer of unknown length, a chunk, into its two system calls:
// its 4 KiB connection buffer takes the last chunk's CRLF, this chunk's
// size in hex and a CRLF (8 bytes) and the write's first 4,088 bytes, and
// the rest goes to the socket straight from the write. The engine places
// its output for that second call (jsonpass.Options.AlignAt). For HTTP/2,
// which copies the writes into frames of its own, and HTTP/1.0, which
// sends them unchunked, the placement costs nothing but up to 63 bytes of
// the output's array.
const chunkDataAt = 4<<10 - len("\r\nffff\r\n")

// startStream turns the answer into a streamed one, undecided. An agent
// call's is blank until a byte that is not blank comes.
func (rw *responseWriter) startStream() {
	w := rw.ResponseWriterWrapper.ResponseWriter
	hdr := w.Header()
	coding, decodes := contentCoding(hdr), encoded(hdr)
	textType := hdr.Get("Content-Type") // a text answer's, by which it is decoded
	if rw.text {
		hdr.Set("Content-Type", "application/json; charset=utf-8")
	}
	rw.transformedHeader(hdr)
	rw.holding, rw.answered = false, true
	s := &answerStream{w: w, status: rw.status, limit: rw.limit, hold: rw.threshold, start: time.Now(),
		opts: rw.transform.options(), undecided: true, held: getBytes(), blank: rw.returns != nil}
	s.opts.AlignAt = chunkDataAt
	s.client = rw.transform.client
	s.pass = passes.Get().(*jsonpass.Pass)
	s.pass.Reset(streamSink{s}, s.opts)
	s.input = s.pass
	if rw.returns != nil {
		s.input = agent.NewKindWriter(s.input, rw.returns)
	}
	if rw.transform.result != nil {
		s.result = agent.NewResultWriter(s.input, rw.transform.result)
		s.input = s.result
	}
	if rw.text {
		s.text = agent.NewTextWriter(s.input, textType)
		s.input = s.text
	}
	rw.stream = s
	if decodes {
		pr, pw := io.Pipe()
		s.pipe, s.done = pw, make(chan error, 1)
		go func() {
			err := s.decode(coding, pr)
			if err != nil {
				s.mu.Lock()
				s.decodeFailed = true
				s.mu.Unlock()
			}
			_ = pr.CloseWithError(err)
			s.done <- err
		}()
	}
}

// encoded reports an answer whose Content-Encoding chatgate decodes.
func encoded(hdr http.Header) bool {
	coding := strings.TrimSpace(contentCoding(hdr))
	return coding != "" && !strings.EqualFold(coding, "identity")
}

// unsent reports a stream none of which has reached the client.
func (rw *responseWriter) unsent() bool {
	return rw.stream != nil && !rw.stream.sent.Load()
}

// write takes the backend's next bytes.
func (s *answerStream) write(p []byte) (n int, err error) {
	defer func() { s.refused = s.refused || err != nil }()
	s.mu.Lock()
	if s.err == nil {
		if s.written += int64(len(p)); s.written > s.limit {
			s.err = errBodyTooLarge
		}
	}
	if err := s.err; err != nil {
		s.mu.Unlock()
		return 0, err
	}
	if s.pipe != nil {
		s.mu.Unlock() // the decoding goroutine takes it
		if _, err := s.pipe.Write(p); err != nil {
			s.mu.Lock()
			s.err = cmp.Or(s.err, err)
			s.mu.Unlock()
			return 0, err
		}
		return len(p), nil
	}
	defer s.mu.Unlock()
	if err := s.engine(p, s.written-int64(len(p))); err != nil {
		s.err = err
		return 0, err
	}
	s.flushLater()
	return len(p), nil
}

// engine writes the body's next bytes p, which follow the first before of
// it, into the engine (with mu held). The answer is decided, and its held
// output goes out, at exactly stream_threshold bytes, however the bytes
// arrive: invalid JSON within the first stream_threshold bytes is always a
// clean 502, and one byte more, even the body's last, and it streams. An
// answer read from a field is decided once its field has begun, past the
// threshold, and an agent answer blank to there once its value has begun:
// until then the engine has made nothing of it (an XML answer only its
// declaration), and a refusal (a value of the wrong kind) is still a
// clean 502.
func (s *answerStream) engine(p []byte, before int64) error {
	if !s.undecided || before+int64(len(p)) <= s.hold {
		s.noteBlank(p, before)
		return s.feed(p)
	}
	within := max(s.hold-before, 0)
	s.noteBlank(p[:within], before)
	if err := s.feed(p[:within]); err != nil {
		return err
	}
	blankToHere := s.blank && s.text == nil // (a text's blanks are its text, written as they come)
	s.noteBlank(p[within:], before+within)
	if s.result != nil || blankToHere {
		// Decided once its value has begun: its field, or its first byte
		// that is not blank (whose kind is checked as it goes in).
		if err := s.feed(p[within:]); err != nil {
			return err
		}
		if s.result != nil && !s.result.Found() || s.result == nil && s.blank && s.text == nil {
			return nil
		}
		return s.decide()
	}
	if err := s.decide(); err != nil {
		return err
	}
	return s.feed(p[within:])
}

// feed writes the body's next bytes into the engine, through its input.
func (s *answerStream) feed(p []byte) error {
	_, err := s.input.Write(p)
	return err
}

// errNothingThere ends an agent call's answer that was empty or blank:
// "nothing there", which the method answers in its own terms.
var errNothingThere = errors.New("the backend's answer is empty")

// byteOrderMark is UTF-8's, which may begin an answer.
const byteOrderMark = "\xef\xbb\xbf"

// noteBlank notes whether an agent answer stays blank with p, which
// follows its first before bytes.
func (s *answerStream) noteBlank(p []byte, before int64) {
	if s.blank {
		s.blank = s.stillBlank(p, before)
	}
}

// stillBlank reports whether the answer stays blank with p, which follows
// its first before bytes: JSON white space, after a whole byte order mark
// at its start.
func (s *answerStream) stillBlank(p []byte, before int64) bool {
	for i, c := range p {
		if at := before + int64(i); at == int64(s.markRead) && at < int64(len(byteOrderMark)) && c == byteOrderMark[at] {
			s.markRead++
			continue
		}
		if s.markRead > 0 && s.markRead < int8(len(byteOrderMark)) {
			return false // a mark cut short
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// closeEngine ends the engine's input at the body's end: an agent call's
// answer that ended blank while undecided (of any length, but a text's
// past the threshold, which streamed) is errNothingThere.
func (s *answerStream) closeEngine() error {
	if s.blank && s.undecided && (s.markRead == 0 || s.markRead == int8(len(byteOrderMark))) {
		return errNothingThere
	}
	if s.text != nil {
		if err := s.text.Close(); err != nil {
			return err
		}
	}
	if s.result != nil {
		if err := s.result.Close(); err != nil {
			return err
		}
	}
	return s.pass.Close()
}

// decide starts the answer that passed stream_threshold: the output made
// so far goes out at once, with the status and headers, when it is at
// least firstPiece; else it gathers (with mu held).
func (s *answerStream) decide() error {
	s.undecided, s.gathering = false, true
	s.flushLocked()
	return s.err
}

// sendHeld ends the gathering: the output held so far goes out, with the
// status and headers (with mu held).
func (s *answerStream) sendHeld() error {
	s.gathering = false
	held := s.held
	s.held = nil
	defer putBytes(held)
	if len(*held) > 0 {
		if _, err := (streamSink{s}).Write(*held); err != nil {
			return err
		}
	}
	return nil
}

// answerWhole sends an answer that ended within stream_threshold, its
// output held whole, with its Content-Length (with mu held). The backend's
// trailers, and their announcement, are dropped: they were of its body,
// not this one.
func (s *answerStream) answerWhole() {
	hdr := s.w.Header()
	dropTrailers(hdr)
	hdr.Set("Content-Length", strconv.Itoa(len(*s.held)))
	s.sent.Store(true)
	s.w.WriteHeader(s.status)
	_, _ = writeCorked(s.w, s.client, *s.held) // a client gone away: nothing more to do
}

// flushLater sends the answer's first bytes as soon as there are enough
// of them, and arms the delayed flush for what follows (with mu held).
func (s *answerStream) flushLater() {
	if !s.sent.Load() {
		s.flushLocked()
		return
	}
	s.arm()
}

// arm arms the delayed flush, unless it is armed (with mu held).
func (s *answerStream) arm() {
	if s.armed || s.closed {
		return
	}
	s.armed = true
	if s.timer == nil {
		s.timer = time.AfterFunc(flushDelay, s.delayedFlush)
	} else {
		s.timer.Reset(flushDelay)
	}
}

// flush sends what the engine has written so far, now.
func (s *answerStream) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
}

func (s *answerStream) flushLocked() { s.flushOut(false) }

// flushOut sends what the engine has written so far (with mu held); while
// the answer gathers, only once there is firstPiece of it, unless forced
// (the delayed flush, the answer's end).
func (s *answerStream) flushOut(force bool) {
	if s.err != nil || s.decodeFailed || s.closed || s.undecided {
		return
	}
	if s.gathering && !force && len(*s.held)+s.pass.Buffered() < firstPiece {
		s.arm()
		return
	}
	pending := s.pass.Buffered()
	if s.gathering {
		pending += len(*s.held)
	}
	if pending >= chunkDataAt && s.client != nil {
		// the output's chunks and the flush after them: one segment
		setCork(s.client, true)
		s.corked = true
		defer func() { setCork(s.client, false); s.corked = false }()
	}
	if s.gathering {
		if err := s.sendHeld(); err != nil {
			s.err = err
			return
		}
	}
	if s.pass.Buffered() > 0 {
		if err := s.pass.Flush(); err != nil {
			s.err = err
			return
		}
	}
	if s.sent.Load() {
		_ = http.NewResponseController(s.w).Flush()
	}
}

func (s *answerStream) delayedFlush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = false
	s.flushOut(true)
}

// stop ends the delayed flush for good (with mu held): after it, nothing
// but the caller writes to w.
func (s *answerStream) stop() {
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
}

// close ends the stream at the backend's end (err: how the backend's side
// ended) and returns the first failure: then the answer must not end
// cleanly.
func (s *answerStream) close(err error) error {
	piped := s.pipe != nil
	var derr error
	if piped {
		s.mu.Lock()
		serr := s.err
		s.mu.Unlock()
		if err != nil || serr != nil {
			_ = s.pipe.CloseWithError(errors.Join(err, serr, errAborted))
		} else {
			_ = s.pipe.Close()
		}
		derr = <-s.done
		s.pipe = nil
	}
	// With mu held the delayed flush cannot run: the header is the
	// handlers' again.
	s.mu.Lock()
	defer s.mu.Unlock()
	// An agent call's empty body is empty whatever its Content-Encoding
	// says (a gzip reader refuses no bytes at all, a zstd one reads them
	// as nothing): nothing there.
	empty := piped && s.written == 0 && s.blank && err == nil && s.err == nil
	if !empty {
		s.err = cmp.Or(s.err, derr)
	}
	if (!piped || empty) && s.err == nil && err == nil {
		s.err = s.closeEngine()
	}
	s.err = cmp.Or(s.err, err)
	switch {
	case s.err == nil && s.undecided:
		s.answerWhole()
	case s.err == nil:
		// The status and headers go out (if the output gathered) before
		// the trailers, as reverse_proxy set them, are set.
		s.flushOut(true)
		for name, values := range s.late {
			s.w.Header()[name] = values
		}
		s.flushOut(true)
	}
	s.stop()
	return s.err
}

// release stops a decoding goroutine still running (the handler panicked)
// and returns the engine to its pool.
func (s *answerStream) release() {
	if s.pipe != nil {
		_ = s.pipe.CloseWithError(errAborted)
		<-s.done
		s.pipe = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stop()
	if s.held != nil {
		putBytes(s.held)
		s.held = nil
	}
	if s.pass != nil {
		s.pass.Reset(nil, jsonpass.Options{})
		passes.Put(s.pass)
		s.pass = nil
	}
}

// decode reads the compressed answer from r into the engine, flushing as
// it goes. Its decoded bytes count against stream_threshold and
// max_response_body, as an uncompressed answer's do.
func (s *answerStream) decode(contentEncoding string, r io.Reader) error {
	r, release, err := decoding(contentEncoding, r)
	if err != nil {
		return err
	}
	defer release()
	pooled := getBytes()
	defer putBytes(pooled)
	*pooled = slices.Grow((*pooled)[:0], 32<<10)[:32<<10]
	buf := *pooled
	var decoded int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if decoded += int64(n); decoded > s.limit {
				return errBodyTooLarge
			}
			if werr := s.decoded(buf[:n], decoded-int64(n)); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return s.end()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", contentEncoding, err)
		}
	}
}

// end ends the engine's input at the decoded body's end.
func (s *answerStream) end() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeEngine()
}

// decoded writes decoded bytes, which follow the first before of the
// decoded body, into the engine.
func (s *answerStream) decoded(p []byte, before int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.engine(p, before); err != nil {
		return err
	}
	s.flushLater()
	return nil
}

// streamSink is where the engine writes: held while the answer is
// undecided or gathers; then the status goes out first.
type streamSink struct{ s *answerStream }

func (k streamSink) Write(p []byte) (int, error) {
	if k.s.undecided || k.s.gathering {
		*k.s.held = append(*k.s.held, p...)
		if k.s.gathering && len(*k.s.held) >= firstPiece {
			// enough for a first write: held no longer than one of the
			// engine's pieces, however much one write of the backend makes
			return len(p), k.s.sendHeld()
		}
		return len(p), nil
	}
	if !k.s.sent.Load() {
		k.s.sent.Store(true)
		k.s.w.WriteHeader(k.s.status)
	}
	if k.s.corked {
		return k.s.w.Write(p)
	}
	return writeCorked(k.s.w, k.s.client, p)
}
