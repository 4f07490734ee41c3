package caddymodule

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig"
	_ "github.com/caddyserver/caddy/v2/modules/standard"
)

var update = flag.Bool("update", false, "rewrite the golden files' JSON with what the adapter gives")

// TestCaddyfileAdapt adapts each testdata/caddyfile_adapt file (a Caddyfile,
// a line of dashes, then the JSON it must become), as Caddy's own
// caddytest/integration/caddyfile_adapt does. Files ending in .error.txt
// hold a Caddyfile and the error it must give instead, which names the file
// and line (", at Caddyfile:4"): a config mistake is found where it is made.
func TestCaddyfileAdapt(t *testing.T) {
	files, err := filepath.Glob("testdata/caddyfile_adapt/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input, want, ok := strings.Cut(string(raw), "\n----------\n")
			if !ok {
				t.Fatalf("%s has no ---------- line", file)
			}
			adapted, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(input), nil)
			if strings.HasSuffix(file, ".error.txt") {
				if !strings.Contains(want, ", at Caddyfile:") {
					t.Fatalf("%s: the error must name the file and line", file)
				}
				if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(want)) {
					t.Fatalf("error = %v; want %q", err, strings.TrimSpace(want))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Indent(&got, adapted, "", "\t"); err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(file, []byte(input+"\n----------\n"+got.String()+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if strings.TrimSpace(got.String()) != strings.TrimSpace(want) {
				t.Fatalf("adapted JSON differs\ngot:\n%s\nwant:\n%s", got.String(), want)
			}
		})
	}
}
