package caddymodule

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// zstdFrame is a zstd frame (RFC 8878 3.1.1) of spaces white spaces (in
// RLE blocks) and content (a raw block), its header declaring the window
// windowLog gives or, when windowLog is 0, a single segment.
func zstdFrame(windowLog, spaces int, content string) []byte {
	frame := []byte{0x28, 0xb5, 0x2f, 0xfd}
	if windowLog == 0 {
		frame = append(frame, 2<<6|1<<5) // Single_Segment, with a 4-byte Frame_Content_Size
		frame = binary.LittleEndian.AppendUint32(frame, uint32(spaces+len(content)))
	} else {
		frame = append(frame, 0, byte(windowLog-10)<<3) // a Window_Descriptor, no content size
	}
	block := func(size int, rle, last bool) {
		h := uint32(size) << 3
		if rle {
			h |= 1 << 1
		}
		if last {
			h |= 1
		}
		frame = append(frame, byte(h), byte(h>>8), byte(h>>16))
	}
	for ; spaces > 0; spaces -= 128 << 10 {
		block(min(spaces, 128<<10), true, false)
		frame = append(frame, ' ')
	}
	block(len(content), false, true)
	return append(frame, content...)
}

// TestZstdWindowLimit: a zstd frame that declares a window larger than
// 8 MiB (RFC 9659) is refused before its window is allocated, with a
// clean 502, whether its answer is held whole or reaches the stream; one
// within it decodes.
func TestZstdWindowLimit(t *testing.T) {
	const doc = `[{"Id":1,"Name":"a"}]`
	coded := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"zstd"}}
	var streamed bytes.Buffer
	zw, _ := zstd.NewWriter(&streamed) // past one block: the library's default window, 8 MiB, declared
	_, _ = zw.Write([]byte("[" + strings.Repeat(doc[1:len(doc)-1]+",", 10000) + doc[1:]))
	_ = zw.Close()
	for _, tc := range []struct {
		name       string
		body       []byte
		wantWindow uint64 // as the frame header declares it
		wantErr    bool
	}{
		{name: "512 MiB window, 200 MiB of white space", body: zstdFrame(29, 200<<20, doc), wantWindow: 512 << 20, wantErr: true}, // 6 KiB
		{name: "16 MiB window", body: zstdFrame(24, 0, doc), wantWindow: 16 << 20, wantErr: true},
		{name: "single segment of 16 MiB", body: zstdFrame(0, 16<<20-len(doc), doc), wantWindow: 16 << 20, wantErr: true},
		{name: "8 MiB window", body: zstdFrame(23, 0, doc), wantWindow: 8 << 20},
		{name: "the default encoder's stream", body: streamed.Bytes(), wantWindow: 8 << 20},
	} {
		var hdr zstd.Header
		if err := hdr.Decode(tc.body); err != nil {
			t.Fatal(err)
		}
		window := hdr.WindowSize
		if hdr.SingleSegment {
			window = hdr.FrameContentSize // RFC 8878 3.1.1.1.2
		}
		if window != tc.wantWindow {
			t.Fatalf("%s: the frame declares a window of %d", tc.name, window)
		}
		for _, threshold := range []int64{64 << 10, 16} { // held whole; past the threshold, in the stream
			t.Run(fmt.Sprintf("%s, stream_threshold %d", tc.name, threshold), func(t *testing.T) {
				h := provisioned(t, Handler{StreamThreshold: threshold})
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				rec, aborted := serveAborting(h, inPieces(coded, tc.body, 8), "/x?$select=Id")
				runtime.ReadMemStats(&after)
				if aborted {
					t.Fatal("aborted")
				}
				if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 32<<20 {
					t.Fatalf("one answer allocated %d MiB", allocated>>20)
				}
				if tc.wantErr {
					assertError(t, rec, 502, "BadGateway", "could not be decoded")
					return
				}
				if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), `[{"Id":1,"Name":null}`) {
					t.Fatalf("%d %.100s", rec.Code, rec.Body)
				}
			})
		}
	}
	if _, err := decodeContent("zstd", zstdFrame(29, 0, doc), 1<<20); err == nil || err.Error() != "zstd: window size exceeded (a zstd answer's window may be at most 8 MiB, RFC 9659)" {
		t.Fatalf("error %v does not name the window limit", err)
	}
}

// TestDecodedThresholdEdge: the held bytes are counted decoded. A body
// that decodes to exactly stream_threshold bytes is answered whole with its
// Content-Length, one of a byte more streams, however it was compressed
// and in whatever pieces it arrives.
func TestDecodedThresholdEdge(t *testing.T) {
	const threshold = 64
	h := provisioned(t, Handler{StreamThreshold: threshold})
	codings := []struct {
		name   string
		coding string
		encode func([]byte) []byte
	}{
		{"identity", "", func(b []byte) []byte { return b }},
		{"gzip", "gzip", gzipped},
		{"gzip, stored (longer)", "gzip", func(b []byte) []byte { return compressed(string(b)) }},
		{"deflate (zlib)", "deflate", zlibbed},
		{"deflate (raw)", "deflate", rawDeflated},
		{"zstd", "zstd", zstded},
	}
	for _, c := range codings {
		for _, size := range []int{threshold, threshold + 1} {
			doc := []byte(`{"a":"` + strings.Repeat("x", size-8) + `"}`)
			header := http.Header{"Content-Type": {"application/json"}}
			if c.coding != "" {
				header.Set("Content-Encoding", c.coding)
			}
			for _, piece := range []int{7, 1 << 20} {
				rec, aborted := serveAborting(h, inPieces(header, c.encode(doc), piece), "/x?$select=a")
				whole := rec.Header().Get("Content-Length") != ""
				if aborted || rec.Code != 200 || rec.Body.String() != string(doc) || whole != (size <= threshold) {
					t.Fatalf("%s, %d bytes decoded, in pieces of %d: aborted %v, %d, whole %v, %q",
						c.name, size, piece, aborted, rec.Code, whole, rec.Body)
				}
			}
		}
	}
}

// TestCompressedXMLAnsweredWhole: a compressed answer that decodes within
// stream_threshold, asked as XML, is answered whole as its uncompressed
// twin is (a Content-Length, one XML declaration), and a broken one is a
// clean 502 with the XML error body, for every coding and in whatever
// pieces it arrives: no byte of the answer goes out before the decoded
// body is known to end within the threshold.
func TestCompressedXMLAnsweredWhole(t *testing.T) {
	h := provisioned(t, Handler{})
	doc := []byte(`[{"Id":1,"Name":"a"},{"Id":2,"Name":"b"}]`)
	xmlRequest := func() *http.Request {
		req := httptest.NewRequest("GET", "/x?$select=Id", nil)
		req.Header.Set("Accept", "application/xml")
		return req
	}
	jsonType := http.Header{"Content-Type": {"application/json"}}
	want, _ := serveRequestAborting(h, inPieces(jsonType, doc, 1<<20), xmlRequest())
	if want.Code != 200 || strings.Count(want.Body.String(), "<?xml") != 1 {
		t.Fatalf("uncompressed: %d, %q", want.Code, want.Body)
	}
	for _, c := range []struct {
		coding string
		encode func([]byte) []byte
	}{{"gzip", gzipped}, {"deflate", zlibbed}, {"zstd", zstded}} {
		header := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {c.coding}}
		for _, piece := range []int{7, 1 << 20} {
			for _, feed := range []struct {
				how    string
				pieces func(http.Header, []byte, int) *fakeNext
			}{{"in pieces", inPieces}, {"flushed", inFlushedPieces}} {
				rec, aborted := serveRequestAborting(h, feed.pieces(header, c.encode(doc), piece), xmlRequest())
				if aborted {
					t.Errorf("%s %s of %d: aborted", c.coding, feed.how, piece)
				} else if rec.Code != 200 || rec.Body.String() != want.Body.String() ||
					rec.Header().Get("Content-Length") != strconv.Itoa(want.Body.Len()) {
					t.Errorf("%s %s of %d: %d, Content-Length %q, %q", c.coding, feed.how, piece, rec.Code,
						rec.Header().Get("Content-Length"), rec.Body)
				}
				rec, aborted = serveRequestAborting(h, feed.pieces(header, c.encode(doc[:len(doc)-3]), piece), xmlRequest())
				if aborted {
					t.Errorf("%s, broken, %s of %d: the answer went out and was aborted", c.coding, feed.how, piece)
				} else if rec.Code != 502 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") ||
					strings.Count(rec.Body.String(), "<?xml") != 1 || !strings.Contains(rec.Body.String(), "chatgate") {
					t.Errorf("%s, broken, %s of %d: %d, %q", c.coding, feed.how, piece, rec.Code, rec.Body)
				}
			}
		}
	}
}

// TestTrailingDataAfterCompressedBody: bytes after the end of a compressed
// stream are an error for every coding: a clean 502 within the held
// bytes, an abnormal end after bytes went out; never ignored.
func TestTrailingDataAfterCompressedBody(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64})
	small := []byte(`{"a":1,"b":2}`)
	large := []byte(`[` + strings.Repeat(`{"a":1,"b":2},`, 1000) + `{"a":1,"b":2}]`) // its output passes firstPiece
	for _, c := range []struct {
		coding string
		encode func([]byte) []byte
	}{
		{"gzip", gzipped},
		{"deflate", zlibbed},
		{"deflate", rawDeflated},
		{"zstd", zstded},
	} {
		header := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {c.coding}}
		rec, aborted := serveAborting(h, inPieces(header, append(c.encode(small), "junk"...), 5), "/x?$select=a")
		if aborted {
			t.Fatalf("%s: a small body with trailing data was aborted", c.coding)
		}
		assertError(t, rec, 502, "BadGateway", "could not be decoded")
		if _, aborted := serveAborting(h, inPieces(header, append(c.encode(large), "junk"...), 100), "/x?$select=a"); !aborted {
			t.Fatalf("%s: a streamed body with trailing data ended cleanly", c.coding)
		}
		if rec, aborted := serveAborting(h, inPieces(header, c.encode(large), 100), "/x?$select=a"); aborted || rec.Code != 200 {
			t.Fatalf("%s: aborted %v, %d", c.coding, aborted, rec.Code)
		}
	}
}

// TestCompressedAnswerOverTheLimit: max_response_body bounds both the
// bytes the backend sends and the bytes they decode to. A declared
// Content-Length over it is a 502 up front; passing it otherwise is a 502
// or, once bytes went out, an abnormal end; never a clean answer.
func TestCompressedAnswerOverTheLimit(t *testing.T) {
	const limit = 4 << 10
	h := provisioned(t, Handler{StreamThreshold: 64, MaxResponseBody: limit})
	doc := func(items int) string { return "[" + strings.Repeat(`{"a":1},`, items) + `{"a":1}]` }
	gz := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}
	for _, tc := range []struct {
		name     string
		body     []byte
		declared bool
	}{
		{name: "declared", body: compressed(doc(1000)), declared: true},
		{name: "decoded past it", body: gzipped([]byte(doc(1000)))},
		{name: "sent past it, decoded within", body: compressed(doc(509))},
	} {
		header := gz.Clone()
		if tc.declared {
			header.Set("Content-Length", fmt.Sprint(len(tc.body)))
		}
		rec, aborted := serveAborting(h, inPieces(header, tc.body, 100), "/x?$select=a")
		if tc.declared && aborted {
			t.Fatalf("%s: aborted, not refused up front", tc.name)
		}
		if !aborted {
			assertError(t, rec, 502, "BadGateway", "larger than max_response_body")
		}
	}
	if n := len(compressed(doc(509))); n <= limit || len(doc(509)) > limit {
		t.Fatalf("%d bytes sent for %d decoded", n, len(doc(509)))
	}
}

func zlibbed(b []byte) []byte {
	return packed(b, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
}

func rawDeflated(b []byte) []byte {
	return packed(b, func(w io.Writer) io.WriteCloser {
		fw, _ := flate.NewWriter(w, flate.DefaultCompression)
		return fw
	})
}

func zstded(b []byte) []byte {
	zw, _ := zstd.NewWriter(nil)
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// TestContentEncodingOnTwoLines: codings the backend sent on two header
// lines are one list (RFC 9110 5.3), all of them undone.
func TestContentEncodingOnTwoLines(t *testing.T) {
	h := provisioned(t, Handler{})
	body := string(gzipped(gzipped([]byte(`{"a":1,"b":2}`))))
	for _, method := range []string{"GET", "HEAD"} {
		next := answering(200, http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip", "gzip"}}, body)
		rec := serve(h, next, request(method, "/x?$select=a"))
		if rec.Code != 200 || method == "GET" && rec.Body.String() != `{"a":1,"b":null}` || rec.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%s: answer %d %q %v", method, rec.Code, rec.Body, rec.Header())
		}
	}
}
