package tests

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Hostile backends: slow, large, broken, lying and oddly chunked answers,
// each through the real binary, asked once with a transform ($select) and
// once without (passthrough), over HTTP/1.1 and HTTP/2. What the client must
// see comes from SPEC.md's "Response pipeline": a transformed answer within
// stream_threshold (64KiB) is whole with a Content-Length, or a clean 502
// with the error body; a longer one streams and, broken, ends abnormally
// (never cleanly); a passthrough is the backend's bytes, untouched, ending
// as the backend's did.

// hostileSelect is the transform every case asks for.
const hostileSelect = "$select=CustomerName,Status,Rate"

// rec is a JSON value as the backend sends it and as hostileSelect makes it.
type rec struct{ raw, sel string }

func plainRec(i int, name string) rec {
	return rec{
		fmt.Sprintf(`{"ChatSessionId":%d,"CustomerName":"%s","Status":4}`, i, name),
		fmt.Sprintf(`{"ChatSessionId":null,"CustomerName":"%s","Status":4}`, name),
	}
}

// trickyRec has every token a split can fall inside of: escapes (\", \\,
// \/, \u00f8, a surrogate pair), UTF-8 of 2, 3 and 4 bytes, a negative
// number with a fraction and an exponent, true, false and null, and white
// space between the tokens (which the projection drops).
var trickyRec = rec{
	`{"ChatSessionId": 12345, "CustomerName": "Bj\u00f8rn \"Ærø\" \ud83d\ude00 日本 😀 \\ \/", "Status": true, "Rate": -12.5e+3, "Tags": [null, false, "\u0041"]}`,
	`{"ChatSessionId":null,"CustomerName":"Bj\u00f8rn \"Ærø\" \ud83d\ude00 日本 😀 \\ \/","Status":true,"Rate":-12.5e+3,"Tags":null}`,
}

func array(recs ...rec) rec {
	raws, sels := make([]string, len(recs)), make([]string, len(recs))
	for i, r := range recs {
		raws[i], sels[i] = r.raw, r.sel
	}
	return rec{"[" + strings.Join(raws, ",") + "]", "[" + strings.Join(sels, ",") + "]"}
}

func repeatRec(n int, f func(i int) rec) []rec {
	out := make([]rec, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

const hostileThreshold = 64 << 10 // stream_threshold's default

var (
	xName      = strings.Repeat("x", 80)
	smallPlain = array(repeatRec(50, func(i int) rec { return plainRec(i, xName) })...)   // ~6 KB
	bigPlain   = array(repeatRec(2000, func(i int) rec { return plainRec(i, xName) })...) // ~250 KB
	smallTrick = array(repeatRec(5, func(int) rec { return trickyRec })...)
	// badUTF8 holds bytes that are not UTF-8 in a string: a Latin-1 byte,
	// a sequence cut by an ASCII byte, a surrogate written in UTF-8, a
	// sequence cut by the closing quote; badUTF8Late a Latin-1 byte after
	// 250 KB of valid JSON.
	badUTF8     = "[{\"ChatSessionId\":1,\"CustomerName\":\"a\xffb\xc3(c\xed\xa0\x80d\xc3\",\"Status\":4}]"
	badUTF8Late = bigPlain.raw[:len(bigPlain.raw)-1] + ",{\"ChatSessionId\":1,\"CustomerName\":\"Bj\xf8rn\",\"Status\":4}]"
	oddChunked  = array(repeatRec(600, func(int) rec { return trickyRec })...) // ~90 KB
	// randBig does not compress well: gzipped it is still far over stream_threshold.
	randBig = array(repeatRec(4000, func(i int) rec {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		return plainRec(i, fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()))
	})...)
)

// nearThreshold is 6 bytes under stream_threshold; gzStored, its gzip
// without compression, is over it.
var nearThreshold = array(plainRec(1, strings.Repeat("x", hostileThreshold-6-len(array(plainRec(1, "")).raw))))

func gzStored(s string) string {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.NoCompression)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	return b.String()
}

// dripDoc is a document in three parts: the first (just under
// stream_threshold) sent at once, the second a byte at a time (the
// threshold is passed inside it), the third at once.
var dripDoc = func() (d struct {
	parts [3]string
	sel   string
}) {
	var head []rec
	for n := 1; n < hostileThreshold-400; n += len(plainRec(0, xName).raw) + 1 {
		head = append(head, plainRec(len(head), xName))
	}
	mid := repeatRec(12, func(int) rec { return trickyRec })
	tail := repeatRec(300, func(i int) rec { return plainRec(i, xName) })
	all := array(append(append(head, mid...), tail...)...)
	h, m := array(head...), array(mid...)
	d.parts[0] = h.raw[:len(h.raw)-1] + ","
	d.parts[1] = m.raw[1:len(m.raw)-1] + ","
	d.parts[2] = all.raw[len(d.parts[0])+len(d.parts[1]):]
	d.sel = all.sel
	return d
}()

func gz(s string) string {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	return b.String()
}

// gzLate is gzip of 512 KB of random white space, then {"Status":4}: over
// stream_threshold compressed, and nothing for the engine to write until
// its last bytes.
var gzLate, deflateLate = func() (string, string) {
	r := rand.New(rand.NewPCG(1, 2))
	ws := make([]byte, 512<<10)
	for i := range ws {
		ws[i] = " \t\r\n"[r.IntN(4)]
	}
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = io.WriteString(w, string(ws)+`{"Status":4}`)
	_ = w.Close()
	return gz(string(ws) + `{"Status":4}`), b.String()
}()

// rawConn is the backend's side of one connection: it writes HTTP/1.1 as
// raw bytes, so it can lie as no Go server will.
type rawConn struct{ net.Conn }

func (c rawConn) head(status int, headers ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	b.WriteString("Connection: close\r\n\r\n")
	_, _ = io.WriteString(c, b.String())
}

// whole answers with a Content-Length.
func (c rawConn) whole(status int, contentType, body string, headers ...string) {
	c.head(status, append([]string{"Content-Type", contentType, "Content-Length", itoa(len(body))}, headers...)...)
	_, _ = io.WriteString(c, body)
}

// chunked starts a chunked answer.
func (c rawConn) chunked(contentType string, headers ...string) {
	c.head(200, append([]string{"Content-Type", contentType, "Transfer-Encoding", "chunked"}, headers...)...)
}

func (c rawConn) chunk(s string) {
	if s != "" {
		_, _ = fmt.Fprintf(c, "%x\r\n%s\r\n", len(s), s)
	}
}

// drip sends s one byte per chunk, pausing between them so that the
// gateway reads them one by one.
func (c rawConn) drip(s string) {
	for i := range len(s) {
		c.chunk(s[i : i+1])
		time.Sleep(50 * time.Microsecond)
	}
}

// end sends the last chunk and the trailers (name, value pairs).
func (c rawConn) end(trailers ...string) {
	var b strings.Builder
	b.WriteString("0\r\n")
	for i := 0; i+1 < len(trailers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", trailers[i], trailers[i+1])
	}
	b.WriteString("\r\n")
	_, _ = io.WriteString(c, b.String())
}

// reset closes the connection with a TCP RST.
func (c rawConn) reset() {
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

type hostileRoute func(c rawConn, r *http.Request)

// hostileBackend serves each request by its path's route, then closes the
// connection.
func hostileBackend(t *testing.T, routes map[string]hostileRoute) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				route, ok := routes[r.URL.Path]
				if !ok {
					_, _ = io.WriteString(conn, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
					return
				}
				route(rawConn{conn}, r)
			}()
		}
	}()
	return l.Addr().String()
}

const ctJSON = "application/json; charset=utf-8"

func hostileRoutes() map[string]hostileRoute {
	halfSmall := len(smallPlain.raw) / 2
	gzSmall, gzRand := gz(smallPlain.raw), gz(randBig.raw)
	// valid for 100 KB, then not
	badAfter100K := bigPlain.raw[:strings.Index(bigPlain.raw[100<<10:], "},")+100<<10+1] + ",x]"
	randBadAfter := randBig.raw[:strings.Index(randBig.raw[300<<10:], "},")+300<<10+1] + ",x]"
	deep := strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)
	deepLate := bigPlain.raw[:len(bigPlain.raw)-1] + "," + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "]"
	num1MB := `{"ChatSessionId":1,"Status":1` + strings.Repeat("0", 1<<20) + `}`
	html := "<!DOCTYPE html><html><head><title>502</title></head><body>" + strings.Repeat("<p>Oops</p>", 10) + "</body></html>"
	bigHTML := "<!DOCTYPE html><html><body>" + strings.Repeat("<p>Oops, something went wrong</p>\n", 4000) + "</body></html>"
	return map[string]hostileRoute{
		// drips
		"/drip/small": func(c rawConn, r *http.Request) { c.chunked(ctJSON); c.drip(smallTrick.raw); c.end() },
		"/drip/big": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk(dripDoc.parts[0])
			c.drip(dripDoc.parts[1])
			c.chunk(dripDoc.parts[2])
			c.end()
		},
		"/stall/small": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk(smallPlain.raw[:halfSmall])
			time.Sleep(3 * time.Second)
			c.chunk(smallPlain.raw[halfSmall:])
			c.end()
		},
		"/stall/big": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk(bigPlain.raw[:200000])
			time.Sleep(3 * time.Second)
			c.chunk(bigPlain.raw[200000:])
			c.end()
		},
		// chunking
		"/chunks/odd": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			sizes := []int{1, 2, 3, 5, 7, 11, 13, 1, 1, 4}
			for i, n := 0, 0; i < len(oddChunked.raw); n++ {
				size := min(sizes[n%len(sizes)], len(oddChunked.raw)-i)
				c.chunk(oddChunked.raw[i : i+size])
				if i += size; n%8 == 0 {
					time.Sleep(20 * time.Microsecond)
				}
			}
			c.end()
		},
		"/trailers/small": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON, "Trailer", "X-Checksum")
			c.chunk(smallPlain.raw[:1000])
			c.chunk(smallPlain.raw[1000:])
			c.end("X-Checksum", "abc")
		},
		"/trailers/big": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON, "Trailer", "X-Checksum")
			for i := 0; i < len(bigPlain.raw); i += 10000 {
				c.chunk(bigPlain.raw[i:min(i+10000, len(bigPlain.raw))])
			}
			c.end("X-Checksum", "abc")
		},
		// lies
		"/lie/short/small": func(c rawConn, r *http.Request) {
			c.head(200, "Content-Type", ctJSON, "Content-Length", itoa(len(smallPlain.raw)-10))
			_, _ = io.WriteString(c, smallPlain.raw)
		},
		"/lie/short/big": func(c rawConn, r *http.Request) {
			c.head(200, "Content-Type", ctJSON, "Content-Length", itoa(len(bigPlain.raw)-10))
			_, _ = io.WriteString(c, bigPlain.raw)
		},
		"/lie/long/small": func(c rawConn, r *http.Request) {
			c.head(200, "Content-Type", ctJSON, "Content-Length", itoa(len(smallPlain.raw)+1000))
			_, _ = io.WriteString(c, smallPlain.raw)
		},
		"/lie/long/big": func(c rawConn, r *http.Request) {
			c.head(200, "Content-Type", ctJSON, "Content-Length", itoa(len(bigPlain.raw)+1000))
			_, _ = io.WriteString(c, bigPlain.raw)
		},
		"/lie/204": func(c rawConn, r *http.Request) { c.whole(204, ctJSON, `{"a":1,"b":2}`) },
		"/lie/304": func(c rawConn, r *http.Request) { c.whole(304, ctJSON, `{"a":1,"b":2}`, "ETag", `"v1"`) },
		"/head": func(c rawConn, r *http.Request) {
			c.head(200, "Content-Type", ctJSON, "Content-Length", itoa(len(smallPlain.raw)), "ETag", `"v1"`)
			if r.Method != http.MethodHead {
				_, _ = io.WriteString(c, smallPlain.raw)
			}
		},
		"/head/body": func(c rawConn, r *http.Request) { // a body even on HEAD
			c.whole(200, ctJSON, smallPlain.raw, "ETag", `"v1"`)
		},
		// broken
		"/reset/small": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk(smallPlain.raw[:3000])
			time.Sleep(50 * time.Millisecond)
			c.reset()
		},
		"/reset/big": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk(bigPlain.raw[:200000])
			time.Sleep(50 * time.Millisecond)
			c.reset()
		},
		"/gzip/truncated/small": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gzSmall[:len(gzSmall)*2/3], "Content-Encoding", "gzip")
		},
		"/gzip/truncated/big": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gzRand[:len(gzRand)*2/3], "Content-Encoding", "gzip")
		},
		"/gzip/invalid-after-100k": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gz(badAfter100K), "Content-Encoding", "gzip")
		},
		"/gzip/invalid-after-300k/big": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gz(randBadAfter), "Content-Encoding", "gzip")
		},
		"/gzip/trailers/late": func(c rawConn, r *http.Request) { // nothing to write until the end
			c.chunked(ctJSON, "Content-Encoding", "gzip", "Trailer", "X-Checksum")
			for i := 0; i < len(gzLate); i += 8192 {
				c.chunk(gzLate[i:min(i+8192, len(gzLate))])
			}
			c.end("X-Checksum", "abc")
		},
		"/deflate/trailers/late": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON, "Content-Encoding", "deflate", "Trailer", "X-Checksum")
			for i := 0; i < len(deflateLate); i += 8192 {
				c.chunk(deflateLate[i:min(i+8192, len(deflateLate))])
			}
			c.end("X-Checksum", "abc")
		},
		"/gzip/plain/small": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, smallPlain.raw, "Content-Encoding", "gzip")
		},
		"/gzip/plain/big": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, bigPlain.raw, "Content-Encoding", "gzip") },
		"/gzip/stored/near": func(c rawConn, r *http.Request) {
			if len(nearThreshold.raw) > hostileThreshold || len(gzStored(nearThreshold.raw)) <= hostileThreshold {
				panic("the fixture does not straddle stream_threshold")
			}
			c.whole(200, ctJSON, gzStored(nearThreshold.raw), "Content-Encoding", "gzip")
		},
		// chunked: reverse_proxy flushes each of its writes
		"/gzip/chunked/small": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON, "Content-Encoding", "gzip")
			body := gz(smallPlain.raw)
			c.chunk(body[:len(body)/2])
			time.Sleep(10 * time.Millisecond)
			c.chunk(body[len(body)/2:])
			c.end()
		},
		"/gzip/chunked/truncated": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON, "Content-Encoding", "gzip")
			c.chunk(gzSmall[:len(gzSmall)/3])
			time.Sleep(10 * time.Millisecond)
			c.chunk(gzSmall[len(gzSmall)/3 : len(gzSmall)*2/3])
			c.end()
		},
		"/gzip2/small": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gz(gz(smallPlain.raw)), "Content-Encoding", "gzip, gzip")
		},
		"/gzip2/big": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gz(gz(randBig.raw)), "Content-Encoding", "gzip, gzip")
		},
		// gzip on two lines: gzip(gzip(JSON)), whatever the request asked
		"/gzip2/two-lines": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, gz(gz(smallPlain.raw)), "Content-Encoding", "gzip", "Content-Encoding", "gzip")
		},
		// as most backends compress: gzip only when asked; over 1 MiB
		// plain, and gzipped too (randBig compresses little)
		"/gzip/if-asked/over-max": func(c rawConn, r *http.Request) {
			body := randBig.raw + strings.Repeat(" ", 1<<20)
			if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				c.whole(200, ctJSON, gz(randBig.raw)+gzStored(strings.Repeat(" ", 1<<20)), "Content-Encoding", "gzip")
				return
			}
			c.whole(200, ctJSON, body)
		},
		"/br/small": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, smallPlain.raw, "Content-Encoding", "br") },
		"/br/big":   func(c rawConn, r *http.Request) { c.whole(200, ctJSON, bigPlain.raw, "Content-Encoding", "br") },
		// large
		"/number1mb": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, num1MB) },
		"/deep":      func(c rawConn, r *http.Request) { c.whole(200, ctJSON, deep) },
		"/deep/paused": func(c rawConn, r *http.Request) { // the gateway reads 40,000 bytes, then the rest
			c.chunked(ctJSON)
			c.chunk(deep[:40000])
			time.Sleep(20 * time.Millisecond)
			c.chunk(deep[40000:])
			c.end()
		},
		"/gzip/deep": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, gz(deep), "Content-Encoding", "gzip") },
		"/deep/late": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, deepLate) },
		"/ws/small":  func(c rawConn, r *http.Request) { c.whole(200, ctJSON, strings.Repeat(" \n", 500)) },
		"/ws/big":    func(c rawConn, r *http.Request) { c.whole(200, ctJSON, strings.Repeat(" \r\n\t", 50000)) },
		"/empty":     func(c rawConn, r *http.Request) { c.whole(200, ctJSON, "") },
		"/empty/chunked": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.end()
		},
		"/bom/small": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, "\ufeff"+smallPlain.raw) },
		"/bom/big":   func(c rawConn, r *http.Request) { c.whole(200, ctJSON, "\ufeff"+bigPlain.raw) },
		"/utf8":      func(c rawConn, r *http.Request) { c.whole(200, ctJSON, badUTF8) },
		"/utf8/big":  func(c rawConn, r *http.Request) { c.whole(200, ctJSON, badUTF8Late) },
		"/surrogate": func(c rawConn, r *http.Request) {
			c.whole(200, ctJSON, `[{"ChatSessionId":1,"CustomerName":"a\ud800b\udfffc\ud800\u0041","Status":4}]`)
		},
		// wrong types and errors
		"/html/small": func(c rawConn, r *http.Request) { c.whole(200, ctJSON, html) },
		"/html/big":   func(c rawConn, r *http.Request) { c.whole(200, ctJSON, bigHTML) },
		"/text":       func(c rawConn, r *http.Request) { c.whole(200, "text/plain; charset=utf-8", smallPlain.raw) },
		"/500/json":   func(c rawConn, r *http.Request) { c.whole(500, ctJSON, `{"error":"boom","Status":1}`) },
		"/500/html":   func(c rawConn, r *http.Request) { c.whole(500, "text/html", html) },
		"/over-max": func(c rawConn, r *http.Request) { // to the site with max_response_body 1MiB
			c.chunked(ctJSON)
			c.chunk("[")
			for range 10 {
				c.chunk(bigPlain.raw[1:len(bigPlain.raw)-1] + ",")
			}
			c.chunk(`1]`)
			c.end()
		},
	}
}

// hostileSites is one Caddy (admin on, for the goroutine count; HTTP/1.1
// and h2c) with three chatgate sites in front of one hostile backend:
// defaults; max_response_body 1MiB; and a reverse_proxy read_timeout.
type hostileSites struct {
	admin, main, small, timeout string
	gateway                     *gateway
}

func startHostileSites(t *testing.T, backendAddr string) hostileSites {
	t.Helper()
	admin, main, small, timeout := freePort(t), freePort(t), freePort(t), freePort(t)
	caddyfile := fmt.Sprintf(`{
	admin localhost:%d
	auto_https off
	persist_config off
	servers {
		protocols h1 h2c
	}
}
:%d {
	chatgate
	reverse_proxy %s
}
:%d {
	chatgate {
		max_response_body 1MiB
	}
	reverse_proxy %s
}
:%d {
	chatgate
	reverse_proxy %s {
		transport http {
			read_timeout 500ms
		}
	}
}
`, admin, main, backendAddr, small, backendAddr, timeout, backendAddr)
	gw := startWithCaddyfile(t, caddyfile, main, nil)
	url := func(port int) string { return fmt.Sprintf("http://127.0.0.1:%d", port) }
	return hostileSites{url(admin), url(main), url(small), url(timeout), gw}
}

// hostileClients are an HTTP/1.1 and an h2c client that leave the body's
// coding alone.
func hostileClients() map[string]*http.Client {
	h1 := &http.Transport{Protocols: new(http.Protocols), DisableCompression: true}
	h1.Protocols.SetHTTP1(true)
	h2 := &http.Transport{Protocols: new(http.Protocols), DisableCompression: true}
	h2.Protocols.SetUnencryptedHTTP2(true)
	return map[string]*http.Client{
		"HTTP/1.1": {Transport: h1, Timeout: 60 * time.Second},
		"HTTP/2":   {Transport: h2, Timeout: 60 * time.Second},
	}
}

// outcome is an answer as the client saw it: err is how its body ended.
type outcome struct {
	status   int
	header   http.Header
	trailer  http.Header
	body     string
	err      error
	length   int64 // the Content-Length, -1 if none
	took     time.Duration
	protocol string
}

func fetch(t *testing.T, c *http.Client, method, url string, headers ...string) outcome {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer e2e-token")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return outcome{res.StatusCode, res.Header, res.Trailer, string(body), err, res.ContentLength, time.Since(start), res.Proto}
}

func (o outcome) String() string {
	b := o.body
	if len(b) > 160 {
		b = b[:80] + fmt.Sprintf("...(%d bytes)...", len(b)) + b[len(b)-80:]
	}
	return fmt.Sprintf("%s %d, Content-Length %d, end %v, after %v: %q", o.protocol, o.status, o.length, o.err, o.took.Round(time.Millisecond), b)
}

// wantWhole: a clean answer with its Content-Length.
func (o outcome) wantWhole(t *testing.T, status int, body string) {
	t.Helper()
	if o.err != nil || o.status != status || o.body != body || o.length != int64(len(body)) {
		t.Fatalf("got %v; want %d, whole, with its Content-Length: %.200q", o, status, body)
	}
}

// wantStreamed: a clean answer without a Content-Length.
func (o outcome) wantStreamed(t *testing.T, body string) {
	t.Helper()
	if o.err != nil || o.status != 200 || o.body != body || o.length != -1 {
		t.Fatalf("got %v; want 200, streamed, ending cleanly: %.200q", o, body)
	}
}

// wantClean: exactly status and body, ending cleanly (a passthrough).
func (o outcome) wantClean(t *testing.T, status int, body string) {
	t.Helper()
	if o.err != nil || o.status != status || o.body != body {
		t.Fatalf("got %v; want %d, ending cleanly: %.200q", o, status, body)
	}
}

// wantBadGateway: a clean 502 with the contract's error body.
func (o outcome) wantBadGateway(t *testing.T, messagePart string) {
	t.Helper()
	var e struct {
		Error                                *bool
		ErrorType, ErrorMessage, ErrorSource string
	}
	if o.err != nil || o.status != 502 || !strings.HasPrefix(o.header.Get("Content-Type"), "application/json") ||
		json.Unmarshal([]byte(o.body), &e) != nil || e.Error == nil || !*e.Error || e.ErrorType != "BadGateway" ||
		e.ErrorSource != "chatgate" || !strings.Contains(e.ErrorMessage, messagePart) || o.length != int64(len(o.body)) {
		t.Fatalf("got %v; want a clean 502 error body saying %q", o, messagePart)
	}
}

// wantAbnormal: status, then an abnormal end (HTTP/1.1: no last chunk or
// short of the Content-Length; HTTP/2: a reset), after at least one byte
// when sent is set; what did arrive is a prefix of want.
func (o outcome) wantAbnormal(t *testing.T, status int, sent bool, want string) {
	t.Helper()
	if o.status != status || o.err == nil || (sent && o.body == "") || !strings.HasPrefix(want, o.body) {
		t.Fatalf("got %v; want %d ending abnormally (sent: %v) with a prefix of %.100q", o, status, sent, want)
	}
	var ne net.Error
	if errors.As(o.err, &ne) && ne.Timeout() {
		t.Fatalf("got %v: the client timed out instead of seeing the end", o)
	}
}

// wantWellFormedXML: a clean 200 that is XML without errors.
func (o outcome) wantWellFormedXML(t *testing.T, contains string) {
	t.Helper()
	if o.err != nil || o.status != 200 || !strings.Contains(o.body, contains) {
		t.Fatalf("got %v; want 200 XML containing %q", o, contains)
	}
	dec := xml.NewDecoder(strings.NewReader(o.body))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("the XML is not well-formed (%v): %s", err, o)
		}
	}
}

// hostileCase is one backend behaviour: the path, the site, and what the
// client must see with the transform and without (nil: not asked).
type hostileCase struct {
	name, path  string
	site        func(s hostileSites) string // nil: main
	headers     []string
	transformed func(t *testing.T, o outcome)
	passthrough func(t *testing.T, o outcome)
}

var acceptXML = []string{"Accept", "application/xml"}

var acceptCodings = []string{"Accept-Encoding", "gzip, deflate, zstd"}

func hostileCases() []hostileCase {
	notJSON := func(t *testing.T, o outcome) { o.wantBadGateway(t, "not valid JSON") }
	brokeOff := func(t *testing.T, o outcome) { o.wantBadGateway(t, "broke off") }
	undecodable := func(t *testing.T, o outcome) { o.wantBadGateway(t, "could not be decoded") }
	notJSONXML := func(t *testing.T, o outcome) {
		if o.err != nil || o.status != 502 || !strings.HasPrefix(o.header.Get("Content-Type"), "application/xml") ||
			!strings.Contains(o.body, "answer is not valid JSON</ErrorMessage>") {
			t.Fatalf("got %v; want a clean 502 with the XML error body", o)
		}
	}
	unreadable := func(t *testing.T, o outcome) { o.wantBadGateway(t, "content encoding chatgate cannot read") }
	tooLarge := func(t *testing.T, o outcome) { o.wantBadGateway(t, "larger than max_response_body") }
	// a compressed answer that decodes within stream_threshold, asked as
	// XML: whole, with its Content-Length and one declaration; broken, a
	// clean 502 with the XML error body (nothing went out before)
	wholeXML := func(t *testing.T, o outcome) {
		o.wantWellFormedXML(t, "<ArrayOf")
		if o.length != int64(len(o.body)) || strings.Count(o.body, "<?xml") != 1 {
			t.Fatalf("got %v; want the XML whole, with its Content-Length and one declaration", o)
		}
	}
	undecodableXML := func(t *testing.T, o outcome) {
		if o.err != nil || o.status != 502 || !strings.HasPrefix(o.header.Get("Content-Type"), "application/xml") ||
			strings.Count(o.body, "<?xml") != 1 || !strings.Contains(o.body, "could not be decoded") || o.length != int64(len(o.body)) {
			t.Fatalf("got %v; want a clean 502 with the XML error body", o)
		}
	}
	whole := func(body string) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) { o.wantWhole(t, 200, body) }
	}
	streamed := func(body string) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) { o.wantStreamed(t, body) }
	}
	clean := func(status int, body string) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) { o.wantClean(t, status, body) }
	}
	abnormal := func(sent bool, prefixOf string) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) { o.wantAbnormal(t, 200, sent, prefixOf) }
	}
	// broken just past stream_threshold, with less than 4 KiB made of it:
	// a clean 502 while that output still waits (flushDelay, 20 ms), an
	// abnormal end once it went out; never a clean 200
	brokenPastThreshold := func(message, prefixOf string) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) {
			t.Helper()
			if o.status == 502 {
				o.wantBadGateway(t, message)
				return
			}
			o.wantAbnormal(t, 200, true, prefixOf)
		}
	}
	quick := func(check func(*testing.T, outcome)) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) {
			t.Helper()
			check(t, o)
			if o.took > 2500*time.Millisecond {
				t.Fatalf("took %v: read_timeout is 500ms", o.took)
			}
		}
	}
	withTrailer := func(body string) func(*testing.T, outcome) {
		return func(t *testing.T, o outcome) {
			o.wantClean(t, 200, body)
			if o.trailer.Get("X-Checksum") != "abc" {
				t.Fatalf("trailers %v; want X-Checksum: abc", o.trailer)
			}
		}
	}
	timeoutSite := func(s hostileSites) string { return s.timeout }
	smallSite := func(s hostileSites) string { return s.small }
	gzSmall, gzRand := gz(smallPlain.raw), gz(randBig.raw)
	return []hostileCase{
		{name: "drip below stream_threshold", path: "/drip/small",
			transformed: whole(smallTrick.sel), passthrough: clean(200, smallTrick.raw)},
		{name: "drip across stream_threshold", path: "/drip/big",
			transformed: streamed(dripDoc.sel), passthrough: clean(200, strings.Join(dripDoc.parts[:], ""))},
		{name: "stall past read_timeout below stream_threshold", path: "/stall/small", site: timeoutSite,
			transformed: quick(brokeOff), passthrough: quick(abnormal(false, smallPlain.raw))},
		{name: "stall past read_timeout above stream_threshold", path: "/stall/big", site: timeoutSite,
			transformed: quick(abnormal(true, bigPlain.sel)), passthrough: quick(abnormal(true, bigPlain.raw))},
		{name: "odd chunk sizes", path: "/chunks/odd",
			transformed: streamed(oddChunked.sel), passthrough: clean(200, oddChunked.raw)},
		{name: "trailers below stream_threshold", path: "/trailers/small",
			transformed: whole(smallPlain.sel), passthrough: withTrailer(smallPlain.raw)},
		{name: "trailers above stream_threshold", path: "/trailers/big",
			transformed: streamed(bigPlain.sel), passthrough: withTrailer(bigPlain.raw)},
		{name: "Content-Length shorter than the body below stream_threshold", path: "/lie/short/small",
			passthrough: clean(200, smallPlain.raw[:len(smallPlain.raw)-10])}, // transformed: TestFaults
		{name: "Content-Length shorter than the body above stream_threshold", path: "/lie/short/big",
			transformed: abnormal(true, bigPlain.sel), passthrough: clean(200, bigPlain.raw[:len(bigPlain.raw)-10])},
		{name: "Content-Length longer than the body below stream_threshold", path: "/lie/long/small",
			passthrough: abnormal(true, smallPlain.raw)}, // transformed: TestFaults
		{name: "Content-Length longer than the body above stream_threshold", path: "/lie/long/big",
			transformed: abnormal(true, bigPlain.sel), passthrough: abnormal(true, bigPlain.raw)},
		{name: "a body on a 204", path: "/lie/204", transformed: clean(204, ""), passthrough: clean(204, "")},
		{name: "a body on a 304", path: "/lie/304", transformed: clean(304, ""), passthrough: clean(304, "")},
		{name: "connection reset below stream_threshold", path: "/reset/small",
			transformed: brokeOff, passthrough: abnormal(true, smallPlain.raw)},
		{name: "connection reset above stream_threshold", path: "/reset/big",
			transformed: abnormal(true, bigPlain.sel), passthrough: abnormal(true, bigPlain.raw)},
		{name: "truncated gzip below stream_threshold", path: "/gzip/truncated/small", headers: acceptCodings,
			transformed: undecodable, passthrough: clean(200, gzSmall[:len(gzSmall)*2/3])},
		{name: "truncated gzip above stream_threshold", path: "/gzip/truncated/big", headers: acceptCodings,
			transformed: abnormal(true, randBig.sel), passthrough: clean(200, gzRand[:len(gzRand)*2/3])},
		// no Accept-Encoding from the client: chatgate asks for identity, so
		// that Go's transport neither asks for gzip itself nor decodes
		// what comes out of chatgate's sight
		{name: "truncated gzip, no Accept-Encoding from the client", path: "/gzip/truncated/small",
			transformed: undecodable},
		{name: "gzip, gzip on two lines, no Accept-Encoding from the client", path: "/gzip2/two-lines",
			transformed: whole(smallPlain.sel)},
		{name: "gzip, gzip on two lines, br alone accepted", path: "/gzip2/two-lines", headers: []string{"Accept-Encoding", "br"},
			transformed: whole(smallPlain.sel)},
		{name: "Content-Length over max_response_body, no Accept-Encoding from the client", path: "/gzip/if-asked/over-max", site: smallSite,
			transformed: tooLarge},
		{name: "Content-Length over max_response_body, gzip accepted", path: "/gzip/if-asked/over-max", site: smallSite, headers: acceptCodings,
			transformed: tooLarge},
		{name: "small gzip decoding to invalid JSON after 100 KB", path: "/gzip/invalid-after-100k", headers: acceptCodings,
			transformed: abnormal(true, bigPlain.sel)},
		{name: "gzip over stream_threshold decoding to invalid JSON after 300 KB", path: "/gzip/invalid-after-300k/big", headers: acceptCodings,
			transformed: abnormal(true, randBig.sel)},
		{name: "gzip with trailers, written at its end", path: "/gzip/trailers/late", headers: acceptCodings,
			transformed: streamed(`{"Status":4}`), passthrough: withTrailer(gzLate)},
		{name: "deflate with trailers, written at its end", path: "/deflate/trailers/late", headers: acceptCodings,
			transformed: streamed(`{"Status":4}`), passthrough: withTrailer(deflateLate)},
		{name: "Content-Encoding gzip on plain bytes below stream_threshold", path: "/gzip/plain/small", headers: acceptCodings,
			transformed: undecodable, passthrough: clean(200, smallPlain.raw)},
		{name: "Content-Encoding gzip on plain bytes above stream_threshold", path: "/gzip/plain/big", headers: acceptCodings,
			transformed: undecodable, passthrough: clean(200, bigPlain.raw)},
		{name: "gzip below stream_threshold, as XML", path: "/gzip2/small", headers: append(acceptXML, acceptCodings...),
			transformed: wholeXML},
		{name: "truncated gzip below stream_threshold, as XML", path: "/gzip/truncated/small", headers: append(acceptXML, acceptCodings...),
			transformed: undecodableXML},
		{name: "chunked gzip below stream_threshold, as XML", path: "/gzip/chunked/small", headers: append(acceptXML, acceptCodings...),
			transformed: wholeXML},
		{name: "chunked truncated gzip below stream_threshold, as XML", path: "/gzip/chunked/truncated", headers: append(acceptXML, acceptCodings...),
			transformed: undecodableXML},
		{name: "gzip over stream_threshold that decodes within it", path: "/gzip/stored/near", headers: acceptCodings,
			transformed: whole(nearThreshold.sel), passthrough: clean(200, gzStored(nearThreshold.raw))},
		{name: "gzip, gzip below stream_threshold", path: "/gzip2/small", headers: acceptCodings,
			transformed: whole(smallPlain.sel), passthrough: clean(200, gz(gz(smallPlain.raw)))},
		{name: "gzip, gzip above stream_threshold", path: "/gzip2/big", headers: acceptCodings,
			transformed: streamed(randBig.sel), passthrough: clean(200, gz(gz(randBig.raw)))},
		{name: "unknown coding br below stream_threshold", path: "/br/small", headers: acceptCodings,
			transformed: unreadable, passthrough: clean(200, smallPlain.raw)},
		{name: "unknown coding br above stream_threshold", path: "/br/big", headers: acceptCodings,
			transformed: unreadable, passthrough: clean(200, bigPlain.raw)},
		{name: "a 1 MB number", path: "/number1mb",
			transformed: brokenPastThreshold("not valid JSON", `{"ChatSessionId":null,"Status":`), passthrough: clean(200, `{"ChatSessionId":1,"Status":1`+strings.Repeat("0", 1<<20)+`}`)},
		{name: "100,000-deep objects", path: "/deep", transformed: notJSON,
			passthrough: clean(200, strings.Repeat(`{"a":`, 100000)+"1"+strings.Repeat("}", 100000))},
		{name: "100,000-deep objects as XML", path: "/deep", headers: acceptXML, transformed: notJSONXML},
		{name: "100,000-deep objects read 40,000 bytes first", path: "/deep/paused", transformed: notJSON},
		{name: "100,000-deep objects read 40,000 bytes first, as XML", path: "/deep/paused", headers: acceptXML, transformed: notJSONXML},
		{name: "100,000-deep objects gzipped", path: "/gzip/deep", headers: acceptCodings, transformed: notJSON},
		// What went out is the projection up to the deep arrays, and
		// perhaps the brackets that opened before the 10,000th: when a
		// piece of the input ends among them, its output goes on if it
		// brings the engine's to 48 KiB, or 20 ms later.
		{name: "100,000-deep arrays after 250 KB", path: "/deep/late",
			transformed: abnormal(true, bigPlain.sel[:len(bigPlain.sel)-1]+","+strings.Repeat("[", 10000))},
		{name: "only white space below stream_threshold", path: "/ws/small",
			transformed: notJSON, passthrough: clean(200, strings.Repeat(" \n", 500))},
		{name: "only white space above stream_threshold", path: "/ws/big",
			transformed: notJSON, passthrough: clean(200, strings.Repeat(" \r\n\t", 50000))},
		{name: "an empty 200 application/json", path: "/empty", transformed: notJSON, passthrough: clean(200, "")},
		{name: "an empty chunked 200 application/json", path: "/empty/chunked", transformed: notJSON, passthrough: clean(200, "")},
		{name: "a byte order mark below stream_threshold", path: "/bom/small",
			transformed: whole(smallPlain.sel), passthrough: clean(200, "\ufeff"+smallPlain.raw)},
		{name: "a byte order mark above stream_threshold", path: "/bom/big",
			transformed: streamed(bigPlain.sel), passthrough: clean(200, "\ufeff"+bigPlain.raw)},
		{name: "invalid UTF-8 in a string", path: "/utf8", transformed: notJSON, passthrough: clean(200, badUTF8)},
		{name: "invalid UTF-8 in a string after 250 KB", path: "/utf8/big",
			transformed: abnormal(true, bigPlain.sel[:len(bigPlain.sel)-1]+","), passthrough: clean(200, badUTF8Late)},
		{name: "invalid UTF-8 in a string as XML", path: "/utf8", headers: acceptXML, transformed: notJSONXML},
		{name: "lone surrogate escapes", path: "/surrogate",
			transformed: whole(`[{"ChatSessionId":null,"CustomerName":"a\ud800b\udfffc\ud800\u0041","Status":4}]`)},
		{name: "lone surrogate escapes as XML", path: "/surrogate", headers: acceptXML,
			transformed: func(t *testing.T, o outcome) { o.wantWellFormedXML(t, "a\ufffdb\ufffdc\ufffdA") }},
		{name: "HTML labelled application/json below stream_threshold", path: "/html/small",
			transformed: notJSON, passthrough: clean(200, "<!DOCTYPE html><html><head><title>502</title></head><body>"+strings.Repeat("<p>Oops</p>", 10)+"</body></html>")},
		{name: "HTML labelled application/json above stream_threshold", path: "/html/big", transformed: notJSON},
		{name: "text/plain", path: "/text", transformed: func(t *testing.T, o outcome) {
			o.wantWhole(t, 200, smallPlain.raw)
			if ct := o.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Fatalf("Content-Type %q", ct)
			}
		}},
		{name: "a 500 with a JSON body", path: "/500/json", transformed: clean(500, `{"error":"boom","Status":1}`)},
		{name: "a 500 with an HTML body", path: "/500/html",
			transformed: clean(500, "<!DOCTYPE html><html><head><title>502</title></head><body>"+strings.Repeat("<p>Oops</p>", 10)+"</body></html>")},
		{name: "passing max_response_body while streaming", path: "/over-max", site: smallSite,
			transformed: abnormal(true, "["+strings.Repeat(bigPlain.sel[1:len(bigPlain.sel)-1]+",", 10))},
	}
}

// TestHostileBackends runs every hostile case over HTTP/1.1 and HTTP/2; then
// nothing has panicked and the gateway's goroutines are back where they were.
func TestHostileBackends(t *testing.T) {
	s := startHostileSites(t, hostileBackend(t, hostileRoutes()))
	cs := hostileClients()
	_ = fetch(t, cs["HTTP/1.1"], "GET", s.main+"/bom/big?"+hostileSelect) // warm up
	_ = fetch(t, cs["HTTP/2"], "GET", s.main+"/bom/big?"+hostileSelect)
	before := hostileGoroutines(t, s, cs, 0)
	start := time.Now()
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			site := s.main
			if tc.site != nil {
				site = tc.site(s)
			}
			for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
				c := cs[proto]
				t.Run(proto, func(t *testing.T) {
					if tc.transformed != nil {
						t.Run("transformed", func(t *testing.T) {
							tc.transformed(t, fetch(t, c, "GET", site+tc.path+"?"+hostileSelect, tc.headers...))
						})
					}
					if tc.passthrough != nil {
						t.Run("passthrough", func(t *testing.T) {
							tc.passthrough(t, fetch(t, c, "GET", site+tc.path, tc.headers...))
						})
					}
				})
			}
		})
	}
	t.Logf("the cases took %v", time.Since(start).Round(time.Millisecond))

	t.Run("HEAD", func(t *testing.T) {
		for proto, c := range cs {
			for _, path := range []string{"/head", "/head/body"} {
				get := fetch(t, c, "GET", s.main+"/head?"+hostileSelect)
				get.wantWhole(t, 200, smallPlain.sel)
				head := fetch(t, c, "HEAD", s.main+path+"?"+hostileSelect)
				if head.err != nil || head.status != 200 || head.body != "" || head.header.Get("Content-Length") != "" ||
					head.header.Get("ETag") != `W/"v1"` || head.header.Get("ETag") != get.header.Get("ETag") ||
					head.header.Get("Content-Type") != get.header.Get("Content-Type") {
					t.Fatalf("%s %s: HEAD %v %v; GET %v", proto, path, head, head.header, get.header)
				}
				plain := fetch(t, c, "HEAD", s.main+path)
				if plain.err != nil || plain.status != 200 || plain.body != "" || plain.header.Get("ETag") != `"v1"` ||
					plain.header.Get("Content-Length") != itoa(len(smallPlain.raw)) {
					t.Fatalf("%s %s: passthrough HEAD %v %v", proto, path, plain, plain.header)
				}
			}
		}
	})

	// An HTTP/1.0 answer has no end but the connection's close: one that
	// ends abnormally must end with a reset, not a close that reads as its
	// end; a clean one closes cleanly.
	t.Run("HTTP/1.0", func(t *testing.T) {
		for _, tc := range []struct {
			path  string
			clean bool
		}{{"/utf8/big", false}, {"/bom/big", true}} {
			body, err := fetchHTTP10(t, s.main, tc.path+"?"+hostileSelect)
			if tc.clean && (err != nil || !strings.HasSuffix(body, bigPlain.sel)) {
				t.Fatalf("%s: %v, %d bytes ending %q; want a clean end", tc.path, err, len(body), body[max(0, len(body)-40):])
			}
			if !tc.clean && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("%s: the answer ended with %v after %d bytes; want a connection reset", tc.path, err, len(body))
			}
		}
	})

	if after := hostileGoroutines(t, s, cs, before); after > before {
		res, _ := http.Get(s.admin + "/debug/pprof/goroutine?debug=1")
		dump, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Fatalf("%d goroutines before, %d after:\n%s", before, after, dump)
	}
	if logs := s.gateway.logs.String(); strings.Contains(logs, "panic") || strings.Contains(logs, "DATA RACE") {
		t.Fatalf("a panic or a data race in the logs:\n%s", logs)
	}
}

// fetchHTTP10 sends an HTTP/1.0 GET of target to site over a raw
// connection and reads until the connection ends: the answer's body, and
// how it ended (nil for a clean close).
func fetchHTTP10(t *testing.T, site, target string) (string, error) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(site, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.0\r\nAuthorization: Bearer e2e-token\r\n\r\n", target)
	answer, err := io.ReadAll(conn)
	_, body, found := strings.Cut(string(answer), "\r\n\r\n")
	if !found || !strings.HasPrefix(string(answer), "HTTP/1.0 200 ") {
		t.Fatalf("%s: not a 200 answer: %.200q (%v)", target, answer, err)
	}
	return body, err
}

// hostileGoroutines closes the clients' idle connections and returns the
// gateway's goroutine count once it is at most want (or, want 0, once it
// has held for a second); it gives up after 15 s.
func hostileGoroutines(t *testing.T, s hostileSites, cs map[string]*http.Client, want int) int {
	t.Helper()
	return settleGoroutines(t, s.admin, want, func() {
		for _, c := range cs {
			c.CloseIdleConnections()
		}
	})
}

// TestHostileLargeAnswers: 200 MB through $select, and a 10 MB string, in
// bounded memory; a tiny "gzip, gzip" answer that decodes to 128 MB is not
// held whole either.
func TestHostileLargeAnswers(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("streams 200 MB")
	}
	item := plainRec(7, xName)
	piece := strings.Repeat(item.raw+",", (64<<10)/(len(item.raw)+1))
	perPiece := (64 << 10) / (len(item.raw) + 1)
	const pieces = 200 << 20 / (64 << 10) // 200 MB
	str10MB := strings.Repeat("abcdéfgh 日本 ", 10<<20/18)
	var bombOnce sync.Once
	var bomb string
	routes := map[string]hostileRoute{
		"/200mb": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk("[")
			for range pieces {
				c.chunk(piece)
			}
			c.chunk(item.raw + "]")
			c.end()
		},
		"/string10mb": func(c rawConn, r *http.Request) {
			c.chunked(ctJSON)
			c.chunk(`{"ChatSessionId":1,"CustomerName":"`)
			for i := 0; i < len(str10MB); i += 1 << 20 {
				c.chunk(str10MB[i:min(i+1<<20, len(str10MB))])
			}
			c.chunk(`","Status":4}`)
			c.end()
		},
		"/bomb": func(c rawConn, r *http.Request) {
			bombOnce.Do(func() { bomb = gz(gz("[" + strings.Repeat(" ", 128<<20) + `{"Status":4}]`)) })
			c.whole(200, ctJSON, bomb, "Content-Encoding", "gzip, gzip")
		},
	}
	s := startHostileSites(t, hostileBackend(t, routes))
	c := hostileClients()["HTTP/1.1"]
	_ = fetch(t, c, "GET", s.main+"/string10mb?$select=Status") // warm up
	pid := s.gateway.cmd.Process.Pid
	before := procStatus(t, pid, "VmRSS")

	t.Run("200 MB", func(t *testing.T) {
		start := time.Now()
		req, _ := http.NewRequest("GET", s.main+"/200mb?"+hostileSelect, nil)
		req.Header.Set("Authorization", "Bearer e2e-token")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 || res.ContentLength != -1 {
			t.Fatalf("%d, Content-Length %d", res.StatusCode, res.ContentLength)
		}
		// The answer is exactly [sel,sel,...,sel]: checked as it comes.
		br := bufio.NewReaderSize(res.Body, 1<<20)
		want := []byte(item.sel + ",")
		got := make([]byte, len(want))
		if b, err := br.ReadByte(); err != nil || b != '[' {
			t.Fatalf("first byte %q, %v", b, err)
		}
		for i := range pieces * perPiece {
			if _, err := io.ReadFull(br, got); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("item %d: %q, %v", i, got, err)
			}
		}
		rest, err := io.ReadAll(br)
		if err != nil || string(rest) != item.sel+"]" {
			t.Fatalf("the end: %q, %v", rest, err)
		}
		peak := procStatus(t, pid, "VmHWM")
		t.Logf("200 MB through $select in %v; the gateway's RSS was %d MB, its peak %d MB",
			time.Since(start).Round(time.Millisecond), before>>10, peak>>10)
		if peak-before > 32<<10 {
			t.Fatalf("the gateway grew by %d MB", (peak-before)>>10)
		}
	})
	t.Run("10 MB string", func(t *testing.T) {
		o := fetch(t, c, "GET", s.main+"/string10mb?"+hostileSelect)
		o.wantStreamed(t, `{"ChatSessionId":null,"CustomerName":"`+str10MB+`","Status":4}`)
		o = fetch(t, c, "GET", s.main+"/string10mb?$select=Status")
		o.wantStreamed(t, `{"ChatSessionId":null,"CustomerName":null,"Status":4}`)
		o = fetch(t, c, "GET", s.main+"/string10mb")
		o.wantClean(t, 200, `{"ChatSessionId":1,"CustomerName":"`+str10MB+`","Status":4}`)
		if peak := procStatus(t, pid, "VmHWM"); peak-before > 48<<10 {
			t.Fatalf("the gateway grew by %d MB", (peak-before)>>10)
		}
	})
	t.Run("gzip, gzip bomb", func(t *testing.T) {
		o := fetch(t, c, "GET", s.main+"/bomb?"+hostileSelect, acceptCodings...)
		peak := procStatus(t, pid, "VmHWM")
		t.Logf("%d bytes of gzip, gzip decoded to 128 MB in %v; the gateway's peak %d MB", len(bomb), o.took.Round(time.Millisecond), peak>>10)
		if peak-before > 48<<10 {
			t.Fatalf("the gateway grew by %d MB", (peak-before)>>10)
		}
		// It decodes past stream_threshold: it streams, as it would uncompressed.
		o.wantStreamed(t, `[{"Status":4}]`)
		// Past max_response_body (1MiB): a clean 502 while its "[" waits
		// for more (flushDelay), an abnormal end once it went out.
		o = fetch(t, c, "GET", s.small+"/bomb?"+hostileSelect, acceptCodings...)
		if o.status == 502 {
			o.wantBadGateway(t, "larger than max_response_body")
		} else {
			o.wantAbnormal(t, 200, true, "[")
		}
	})
	if logs := s.gateway.logs.String(); strings.Contains(logs, "panic") {
		t.Fatalf("a panic in the logs:\n%s", logs)
	}
}
