package tests

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// streamBackend answers /slow with a 4 MB JSON array sent over about a
// second, /broken with 1 MB of valid JSON and then garbage, /small and
// /smallbad with short bodies.
func streamBackend(t *testing.T, lastWrite chan<- time.Time) *backend {
	item := `{"ChatSessionId":1,"CustomerName":"` + strings.Repeat("x", 80) + `","Status":4}`
	return newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/small":
			_, _ = io.WriteString(w, `{"a":1,"b":2}`)
			return
		case "/smallbad":
			_, _ = io.WriteString(w, `{"a":1,`)
			return
		}
		total, pieces := 4<<20, 40
		if r.URL.Path == "/broken" {
			total, pieces = 1<<20, 10
		}
		per := total / pieces / (len(item) + 1)
		_, _ = io.WriteString(w, "[")
		for p := range pieces {
			var b strings.Builder
			for i := range per {
				if p > 0 || i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(item)
			}
			_, _ = io.WriteString(w, b.String())
			w.(http.Flusher).Flush()
			time.Sleep(time.Second / time.Duration(pieces))
		}
		if r.URL.Path == "/broken" {
			_, _ = io.WriteString(w, `,x]`)
		} else {
			_, _ = io.WriteString(w, "]")
		}
		if lastWrite != nil && r.URL.Path == "/slow" {
			lastWrite <- time.Now()
		}
	}))
}

// streamGateway serves HTTP/1.1 and unencrypted HTTP/2 (h2c), with
// reverse_proxy flushing after every write of the backend.
func streamGateway(t *testing.T, be *backend) *gateway {
	return streamGatewayFlushing(t, be, "flush_interval -1")
}

// streamGatewayFlushing is streamGateway with reverse_proxy's flushing
// option as given ("" for its default, no flushing).
func streamGatewayFlushing(t *testing.T, be *backend, flushing string) *gateway {
	return streamGatewayWith(t, be, "chatgate", flushing)
}

// streamGatewayWith is streamGateway with the chatgate directive (and its
// block) and reverse_proxy's flushing option as given.
func streamGatewayWith(t *testing.T, be *backend, chatgate, flushing string) *gateway {
	port := freePort(t)
	caddyfile := fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
	servers {
		protocols h1 h2c
	}
}

:%d {
	%s
	reverse_proxy %s {
		%s
	}
}
`, port, chatgate, be.addr(), flushing)
	return startWithCaddyfile(t, caddyfile, port, nil)
}

// clients are an HTTP/1.1 client and an h2c one.
func clients() map[string]*http.Client {
	h1 := &http.Transport{Protocols: new(http.Protocols)}
	h1.Protocols.SetHTTP1(true)
	h2 := &http.Transport{Protocols: new(http.Protocols)}
	h2.Protocols.SetUnencryptedHTTP2(true)
	return map[string]*http.Client{
		"HTTP/1.1": {Transport: h1, Timeout: 30 * time.Second},
		"HTTP/2":   {Transport: h2, Timeout: 30 * time.Second},
	}
}

// readTimed reads an answer whole and says when its first byte came.
func readTimed(t *testing.T, res *http.Response) (body []byte, firstByte time.Time) {
	t.Helper()
	first := make([]byte, 1)
	if _, err := io.ReadFull(res.Body, first); err != nil {
		t.Fatal(err)
	}
	firstByte = time.Now()
	rest, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return append(first, rest...), firstByte
}

func get(t *testing.T, c *http.Client, url string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer e2e-token")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestStreamFirstByteBeforeLast: a 4 MB answer sent over a second reaches
// the client transformed, its first bytes before the backend's last and
// within 0.3 s.
func TestStreamFirstByteBeforeLast(t *testing.T) {
	lastWrite := make(chan time.Time, 4)
	gw := streamGateway(t, streamBackend(t, lastWrite))
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			start := time.Now()
			res := get(t, c, gw.URL+"/slow?$select=Status")
			defer res.Body.Close()
			if res.StatusCode != 200 || res.ContentLength != -1 || (res.ProtoMajor == 2) != (proto == "HTTP/2") {
				t.Fatalf("%s %d, Content-Length %d", res.Proto, res.StatusCode, res.ContentLength)
			}
			answer, firstByte := readTimed(t, res)
			last := <-lastWrite
			body := string(answer)
			if !strings.HasPrefix(body, `[{"ChatSessionId":null,"CustomerName":null,"Status":4},`) || !strings.HasSuffix(body, "]") {
				t.Fatalf("answer %.100s...%s", body, body[max(0, len(body)-50):])
			}
			t.Logf("%s: first byte after %v; the backend's last write after %v", proto, firstByte.Sub(start), last.Sub(start))
			if !firstByte.Before(last) {
				t.Fatal("the first byte came after the backend's last")
			}
			if ttfb := firstByte.Sub(start); ttfb > 300*time.Millisecond {
				t.Fatalf("the first byte took %v (goal: under 0.3 s)", ttfb)
			}
		})
	}
}

// TestStreamOutputWaitsAtMostAMoment: a streamed answer's output is sent
// in pieces, but what the engine wrote does not wait for the backend's next
// bytes: with reverse_proxy's default (no flushing for an answer of known
// length), the item the backend sends before it pauses for a second
// reaches the client during the pause.
func TestStreamOutputWaitsAtMostAMoment(t *testing.T) {
	paused := make(chan time.Time, 4)
	pieces := []string{`[{"Status":1,"CustomerName":"` + strings.Repeat("x", 100<<10) + `"}`, `,{"Status":7,"CustomerName":"y"}`, `]`}
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(strings.Join(pieces, ""))))
		_, _ = io.WriteString(w, pieces[0])
		w.(http.Flusher).Flush()
		time.Sleep(50 * time.Millisecond)
		_, _ = io.WriteString(w, pieces[1])
		w.(http.Flusher).Flush()
		paused <- time.Now()
		time.Sleep(time.Second)
		_, _ = io.WriteString(w, pieces[2])
	}))
	gw := streamGatewayFlushing(t, be, "")
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			res := get(t, c, gw.URL+"/x?$select=Status")
			defer res.Body.Close()
			var got []byte
			buf := make([]byte, 32<<10)
			for !strings.Contains(string(got), `{"Status":7,"CustomerName":null}`) {
				n, err := res.Body.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					t.Fatalf("the answer ended before its second item: %v: %.100s", err, got)
				}
			}
			late := time.Since(<-paused)
			t.Logf("%s: the second item came %v after the backend sent it", proto, late)
			if late > 500*time.Millisecond {
				t.Fatalf("the second item waited %v for the backend's next bytes", late)
			}
			if rest, err := io.ReadAll(res.Body); err != nil || string(rest) != "]" {
				t.Fatalf("the answer ended with %q, %v", rest, err)
			}
		})
	}
}

// TestStreamInvalidEndsAbnormally: an answer that turns invalid after its
// first bytes went out never ends cleanly: HTTP/1.1 closes without the last
// chunk, HTTP/2 resets the stream.
func TestStreamInvalidEndsAbnormally(t *testing.T) {
	gw := streamGateway(t, streamBackend(t, nil))
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			res := get(t, c, gw.URL+"/broken?$select=Status")
			defer res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			body, err := io.ReadAll(res.Body)
			if err == nil {
				t.Fatalf("the answer ended cleanly after %d bytes: %s", len(body), body[max(0, len(body)-80):])
			}
			if len(body) == 0 {
				t.Fatal("nothing streamed before the end")
			}
			t.Logf("%s: %d bytes, then %v", proto, len(body), err)
		})
	}
}

// TestStreamSmallAnswersWhole: an answer within stream_threshold is sent
// whole with its Content-Length, and invalid JSON there is a clean 502.
func TestStreamSmallAnswersWhole(t *testing.T) {
	gw := streamGateway(t, streamBackend(t, nil))
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			res := get(t, c, gw.URL+"/small?$select=a")
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || string(body) != `{"a":1,"b":null}` || res.ContentLength != int64(len(body)) {
				t.Fatalf("%d %s, Content-Length %d", res.StatusCode, body, res.ContentLength)
			}
			res = get(t, c, gw.URL+"/smallbad?$select=a")
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 502 || !strings.Contains(string(body), "not valid JSON") {
				t.Fatalf("%d %s (%v)", res.StatusCode, body, err)
			}
		})
	}
}

// TestStreamGigabyteInBoundedMemory: 1 GB of JSON through $select grows
// the gateway's resident memory (its peak, VmHWM, over its RSS before) by
// less than 32 MB.
func TestStreamGigabyteInBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("streams 1 GB")
	}
	item := `{"ChatSessionId":1,"CustomerName":"` + strings.Repeat("x", 80) + `","Status":4}`
	piece := strings.Repeat(item+",", (64<<10)/(len(item)+1))
	const total = 1e9 // 1 GB, under max_response_body's default 1GiB
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "[")
		for sent := 0; sent < total; sent += len(piece) {
			if _, err := io.WriteString(w, piece); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, item+"]")
	}))
	gw := streamGateway(t, be)
	_ = get(t, clients()["HTTP/1.1"], gw.URL+"/small?$select=a").Body.Close() // warm up
	before := procStatus(t, gw.cmd.Process.Pid, "VmRSS")
	res := get(t, clients()["HTTP/1.1"], gw.URL+"/big?$select=Status")
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%d after %d bytes: %v", res.StatusCode, n, err)
	}
	peak := procStatus(t, gw.cmd.Process.Pid, "VmHWM")
	t.Logf("1 GB in, %d MB out; the gateway's RSS was %d MB, its peak %d MB", n>>20, before>>10, peak>>10)
	if peak-before > 32<<10 {
		t.Fatalf("the gateway grew by %d MB", (peak-before)>>10)
	}
}

// procStatus reads a kB field of /proc/<pid>/status.
func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skip("no /proc here")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			_, _ = fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
