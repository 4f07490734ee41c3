package tests

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// transcriptLine is a line of the test transcripts, and transcriptJSON
// the same line in a JSON string.
const (
	transcriptLine = "12:01 Kari: \"Hei\", sa hun \\ og gikk. Blåbær\t\n"
	transcriptJSON = `12:01 Kari: \"Hei\", sa hun \\ og gikk. Blåbær\u0009\u000a`
)

// textGateway has GetChatTranscript answer from the backend's text, with a
// stream_threshold of 1 KiB.
func textGateway(t *testing.T, be *backend) *gateway {
	return streamGatewayWith(t, be, `chatgate {
		stream_threshold 1KiB
		agent GetChatTranscript GET /s/{ChatSessionId}/transcript
	}`, "flush_interval -1")
}

// textBackend answers /s/N/transcript with text: 1, lines of
// transcriptLine over about a second (lines of them, a multiple of 1,000),
// UTF-8; 2, 64 KiB of windows-1252 as ISO-8859-1; 3, 64 KiB in KOI8-R;
// 4, 1 MB of lines and then a broken connection.
func textBackend(t *testing.T, lines int, lastWrite chan<- time.Time) *backend {
	return newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/s/2/transcript":
			w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
			_, _ = io.WriteString(w, strings.Repeat("\xe6\xf8\xe5 \x93sitat\x94\n", 4<<10))
			return
		case "/s/3/transcript":
			w.Header().Set("Content-Type", "text/plain; charset=koi8-r")
			_, _ = io.WriteString(w, strings.Repeat("\xf0\xd2\xc9\xd7\xc5\xd4\n", 10<<10))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		block := strings.Repeat(transcriptLine, 1000)
		if r.URL.Path == "/s/4/transcript" {
			_, _ = io.WriteString(w, strings.Repeat(block, 20))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // the connection breaks off
		}
		for i := range lines / 1000 {
			if _, err := io.WriteString(w, block); err != nil {
				return
			}
			if i%(lines/1000/40+1) == 0 {
				w.(http.Flusher).Flush()
				time.Sleep(time.Second / 40)
			}
		}
		if lastWrite != nil {
			lastWrite <- time.Now()
		}
	}))
}

// TestTranscriptStreams: a String method's text answer (a transcript)
// streams as a JSON string: its first bytes reach the client before the
// backend's last, every character as it was, over HTTP/1.1 and HTTP/2;
// ISO-8859-1 is read as windows-1252, also into XML; a charset chatgate
// cannot read is a clean 502 that names it; a transcript that breaks off
// ends the answer abnormally, never with a closing quote.
func TestTranscriptStreams(t *testing.T) {
	const lines = 100_000 // 4.6 MB
	lastWrite := make(chan time.Time, 8)
	gw := textGateway(t, textBackend(t, lines, lastWrite))
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			start := time.Now()
			res := postAgent(t, c, gw.URL, "GetChatTranscript", 1)
			answer, firstByte := readTimed(t, res)
			res.Body.Close()
			last := <-lastWrite
			var got string
			if err := json.Unmarshal(answer, &got); err != nil || res.StatusCode != 200 || res.ContentLength != -1 ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || got != strings.Repeat(transcriptLine, lines) {
				t.Fatalf("%d %q, Content-Length %d, %d bytes: %v", res.StatusCode, res.Header.Get("Content-Type"), res.ContentLength, len(answer), err)
			}
			t.Logf("first byte after %v; the backend's last write after %v", firstByte.Sub(start), last.Sub(start))
			if !firstByte.Before(last) {
				t.Fatal("the first byte came after the backend's last")
			}

			res = postAgent(t, c, gw.URL, "GetChatTranscript", 2, "Accept", "application/xml")
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			var text string
			if xerr := xml.Unmarshal(body, &text); err != nil || xerr != nil || res.StatusCode != 200 || res.ContentLength != -1 ||
				!bytes.Contains(body, []byte("<string ")) || text != strings.Repeat("æøå “sitat”\n", 4<<10) {
				t.Fatalf("ISO-8859-1 as XML: %d, Content-Length %d, %.200s: %v %v", res.StatusCode, res.ContentLength, body, err, xerr)
			}

			res = postAgent(t, c, gw.URL, "GetChatTranscript", 3)
			body, _ = io.ReadAll(res.Body)
			res.Body.Close()
			wantError(t, response{res.StatusCode, res.Header, string(body)}, 502, "BadGateway", `charset "koi8-r"`)

			res = postAgent(t, c, gw.URL, "GetChatTranscript", 4)
			body, err = io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || err == nil || bytes.HasSuffix(body, []byte(`"`)) {
				t.Fatalf("a transcript that breaks off: %d, %d bytes ending %q, %v: want an answer that breaks off", res.StatusCode, len(body), body[max(len(body)-10, 0):], err)
			}
		})
	}
}

// TestTranscriptInBoundedMemory: a 200 MB transcript grows the gateway's
// resident memory by less than 32 MB (held whole, it took four times its
// size), and comes out exactly as its JSON string.
func TestTranscriptInBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("streams 200 MB")
	}
	const lines = 4_400_000 // 202 MB
	gw := textGateway(t, textBackend(t, lines, nil))
	c := clients()["HTTP/1.1"]
	_ = postAgent(t, c, gw.URL, "GetChatTranscript", 2).Body.Close() // warm up
	before := procStatus(t, gw.cmd.Process.Pid, "VmRSS")
	res := postAgent(t, c, gw.URL, "GetChatTranscript", 1)
	defer res.Body.Close()
	br := bufio.NewReaderSize(res.Body, 1<<20)
	if b, err := br.ReadByte(); err != nil || b != '"' || res.StatusCode != 200 {
		t.Fatalf("%d, first byte %q, %v", res.StatusCode, b, err)
	}
	got := make([]byte, len(transcriptJSON))
	for i := range lines {
		if _, err := io.ReadFull(br, got); err != nil || string(got) != transcriptJSON {
			t.Fatalf("line %d: %q, %v", i, got, err)
		}
	}
	if rest, err := io.ReadAll(br); err != nil || string(rest) != `"` {
		t.Fatalf("the end: %q, %v", rest, err)
	}
	peak := procStatus(t, gw.cmd.Process.Pid, "VmHWM")
	t.Logf("%d MB of transcript; the gateway's RSS was %d MB, its peak %d MB", lines*len(transcriptLine)>>20, before>>10, peak>>10)
	if peak-before > 32<<10 {
		t.Fatalf("the gateway grew by %d MB", (peak-before)>>10)
	}
}
