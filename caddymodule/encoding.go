package caddymodule

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// decodeContent undoes a response's Content-Encoding (RFC 9110 8.4): gzip,
// deflate and zstd, in the order applied. The decoded body may be at most
// limit bytes, so a small compressed body cannot grow without bound.
func decodeContent(contentEncoding string, body []byte, limit int64) ([]byte, error) {
	codings := strings.Split(contentEncoding, ",")
	for i := len(codings) - 1; i >= 0; i-- {
		coding := strings.ToLower(strings.TrimSpace(codings[i]))
		var r io.Reader
		var err error
		switch coding {
		case "", "identity":
			continue
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(bytes.NewReader(body))
		case "deflate":
			r, err = zlibOrRawDeflate(body)
		case "zstd":
			var d *zstd.Decoder
			d, err = zstd.NewReader(bytes.NewReader(body), zstd.WithDecoderConcurrency(1))
			if err == nil {
				defer d.Close()
				r = d
			}
		default:
			return nil, fmt.Errorf("%w %q", errUnsupportedCoding, coding)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", coding, err)
		}
		decoded, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", coding, err)
		}
		if int64(len(decoded)) > limit {
			return nil, errBodyTooLarge
		}
		body = decoded
	}
	return body, nil
}

// errUnsupportedCoding is a Content-Encoding decodeContent does not read,
// as opposed to one it reads whose data is corrupt.
var errUnsupportedCoding = errors.New("unsupported content coding")

// zlibOrRawDeflate reads "deflate", which RFC 9110 defines as zlib but some
// servers send as a raw deflate stream.
func zlibOrRawDeflate(body []byte) (io.Reader, error) {
	r, err := zlib.NewReader(bytes.NewReader(body))
	if errors.Is(err, zlib.ErrHeader) {
		return flate.NewReader(bytes.NewReader(body)), nil
	}
	return r, err
}
