package caddymodule

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// contentCoding is a message's Content-Encoding, every line of it joined
// as one list (RFC 9110 5.3): a coding on a second line is not missed.
func contentCoding(hdr http.Header) string {
	switch values := hdr.Values("Content-Encoding"); len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	default:
		return strings.Join(values, ", ")
	}
}

// decodeContent undoes a response's Content-Encoding (see decoding). The
// decoded body may be at most limit bytes, so a small compressed body
// cannot grow without bound.
func decodeContent(contentEncoding string, body []byte, limit int64) ([]byte, error) {
	src := bytes.NewReader(body)
	r, release, err := decoding(contentEncoding, src)
	if err != nil {
		return nil, err
	}
	defer release()
	if r == io.Reader(src) { // identity
		return body, nil
	}
	decoded, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", contentEncoding, err)
	}
	if int64(len(decoded)) > limit {
		return nil, errBodyTooLarge
	}
	return decoded, nil
}

// decoding returns r decoded from contentEncoding (RFC 9110 8.4): the
// codings decoderOf reads, undone in the reverse of the order applied, as
// a stream; and release, which frees the decoders once the caller is done.
func decoding(contentEncoding string, r io.Reader) (decoded io.Reader, release func(), err error) {
	var zstds []*zstd.Decoder
	release = func() {
		for _, d := range zstds {
			d.Close()
		}
	}
	codings := strings.Split(contentEncoding, ",")
	for i := len(codings) - 1; i >= 0; i-- {
		decode, ok := decoderOf(codings[i])
		if !ok {
			release()
			return nil, nil, fmt.Errorf("%s: %w %q", contentEncoding, errUnsupportedCoding, strings.TrimSpace(codings[i]))
		}
		if decode == nil { // identity
			continue
		}
		var z *zstd.Decoder
		if r, z, err = decode(r); err != nil {
			release()
			return nil, nil, fmt.Errorf("%s: %w", contentEncoding, err)
		}
		if z != nil {
			zstds = append(zstds, z)
		}
	}
	return r, release, nil
}

// decoderOf returns the decoder of one content coding chatgate reads, by
// its name in any case: gzip (x-gzip), deflate and zstd; nil for none (""
// or identity). ok is false for a coding it does not read. A zstd decoder
// is returned to be closed.
func decoderOf(coding string) (decode func(io.Reader) (io.Reader, *zstd.Decoder, error), ok bool) {
	switch strings.ToLower(strings.TrimSpace(coding)) {
	case "", "identity":
		return nil, true
	case "gzip", "x-gzip":
		return func(r io.Reader) (io.Reader, *zstd.Decoder, error) {
			z, err := gzip.NewReader(r)
			return z, nil, err
		}, true
	case "deflate":
		return func(r io.Reader) (io.Reader, *zstd.Decoder, error) {
			d, err := zlibOrRawDeflate(r)
			return d, nil, err
		}, true
	case "zstd":
		return func(r io.Reader) (io.Reader, *zstd.Decoder, error) {
			d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow))
			if err != nil {
				return nil, nil, err
			}
			return zstdReader{d}, d, nil
		}, true
	}
	return nil, false
}

// readsContent reports whether chatgate decodes every coding of a
// Content-Encoding.
func readsContent(contentEncoding string) bool {
	for coding := range strings.SplitSeq(contentEncoding, ",") {
		if _, ok := decoderOf(coding); !ok {
			return false
		}
	}
	return true
}

// errUnsupportedCoding is a Content-Encoding chatgate does not read, as
// opposed to one it reads whose data is corrupt.
var errUnsupportedCoding = errors.New("unsupported content coding")

// maxZstdWindow is the largest window a zstd answer may use. A decoder
// holds its window in memory, up to what the frame declares: RFC 9659
// limits the HTTP zstd coding's to 8 MB, where the library's default (512
// MiB) let a 7 KB answer take half a gigabyte.
const maxZstdWindow = 8 << 20

// zstdReader is a zstd decoder whose error names the window limit when a
// frame passes it.
type zstdReader struct{ *zstd.Decoder }

func (z zstdReader) Read(p []byte) (int, error) {
	n, err := z.Decoder.Read(p)
	// Decoding a stream, the library refuses a window over the limit with
	// the first, or, a single segment's (its content size), the second.
	if errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded) {
		err = errZstdWindow
	}
	return n, err
}

var errZstdWindow = fmt.Errorf("%w (a zstd answer's window may be at most 8 MiB, RFC 9659)", zstd.ErrWindowSizeExceeded)

// zlibOrRawDeflate reads "deflate", which RFC 9110 defines as zlib but some
// servers send as a raw deflate stream, told apart by the zlib header's
// check (RFC 1950 2.2).
func zlibOrRawDeflate(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil || head[0]&0x0f != 8 || head[0]>>4 > 7 || (uint16(head[0])<<8|uint16(head[1]))%31 != 0 {
		return deflateReader{flate.NewReader(br), br}, nil
	}
	zr, err := zlib.NewReader(br)
	if err != nil {
		return nil, err
	}
	return deflateReader{zr, br}, nil
}

// deflateReader is a deflate stream that must end where its input ends,
// as a gzip or zstd stream must: bytes after it are an error, not ignored.
type deflateReader struct {
	io.Reader
	rest *bufio.Reader // the input; the decoder reads it byte by byte, never past its end
}

func (d deflateReader) Read(p []byte) (int, error) {
	n, err := d.Reader.Read(p)
	if err == io.EOF {
		if _, perr := d.rest.Peek(1); perr == nil {
			err = errDeflateTrailingData
		} else if perr != io.EOF {
			err = perr
		}
	}
	return n, err
}

var errDeflateTrailingData = errors.New("data after the end of the deflate stream")
