package caddymodule

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"
)

// readmeBlock is a fenced code block of README.md.
type readmeBlock struct {
	lang, text string
	line       int // of the opening fence
	skip       bool
}

// noAdapt is the marker of a block that is not config, such as the
// Caddyfile syntax synopsis: an HTML comment on the line before its fence.
const noAdapt = "<!-- not adapted: "

func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	var blocks []readmeBlock
	for i := 0; i < len(lines); i++ {
		lang, ok := strings.CutPrefix(lines[i], "```")
		if !ok || lang == "" {
			continue
		}
		b := readmeBlock{lang: lang, line: i + 1, skip: i > 0 && strings.HasPrefix(lines[i-1], noAdapt)}
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		b.text = strings.Join(body, "\n") + "\n"
		blocks = append(blocks, b)
	}
	return blocks
}

// siteAddress is the first line of a whole Caddyfile site or of a global
// options block: an address (":8080", "example.com", "localhost:80") or "{".
var siteAddress = regexp.MustCompile(`^(\{|[^\s{]*[:.][^\s{]*( [^\s{]+)* \{)\s*$`)

// Every ```caddyfile and ```json block of README.md works when pasted:
//
//   - A Caddyfile block that starts with a site address or global options
//     is adapted as it is; any other (directives, such as a chatgate block
//     or a log snippet) is wrapped in a site, ":8080 { ... }".
//   - A JSON block with "apps" is a whole config; one with "handler" is a
//     handler, wrapped in a minimal config (one server, one route). Other
//     JSON blocks are answers, not config, and are left alone.
//   - A block whose fence follows a line starting "<!-- not adapted: " (the
//     Caddyfile syntax synopsis) is skipped: the comment says why.
//
// Every config is then loaded as Caddy would, without running it
// (caddy.Validate: modules provisioned and validated), so a file it names
// must exist and every value must be right, not only the syntax.
func TestReadmeBlocksAdapt(t *testing.T) {
	n := 0
	for _, b := range readmeBlocks(t) {
		if b.skip || (b.lang != "caddyfile" && b.lang != "json") {
			continue
		}
		var cfgJSON []byte
		switch b.lang {
		case "caddyfile":
			text := b.text
			if !siteAddress.MatchString(strings.SplitN(strings.TrimLeft(text, "\n"), "\n", 2)[0]) {
				text = ":8080 {\n" + text + "}\n"
			}
			adapted, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(text), map[string]any{"filename": "README.md"})
			if err != nil {
				t.Errorf("README.md:%d: the Caddyfile block does not adapt: %v\n%s", b.line, err, text)
				continue
			}
			cfgJSON = adapted
		case "json":
			var probe map[string]json.RawMessage
			if err := json.Unmarshal([]byte(b.text), &probe); err != nil {
				t.Errorf("README.md:%d: the JSON block is not valid JSON: %v", b.line, err)
				continue
			}
			switch {
			case probe["apps"] != nil:
				cfgJSON = []byte(b.text)
			case probe["handler"] != nil:
				cfgJSON = []byte(`{"apps":{"http":{"servers":{"readme":{"listen":[":8080"],"routes":[{"handle":[` + b.text + `]}]}}}}}`)
			default:
				continue // an answer, not config
			}
		}
		var cfg caddy.Config
		if err := json.Unmarshal(cfgJSON, &cfg); err != nil {
			t.Errorf("README.md:%d: %v", b.line, err)
			continue
		}
		if err := caddy.Validate(&cfg); err != nil {
			t.Errorf("README.md:%d: the %s block does not load: %v", b.line, b.lang, err)
		}
		n++
	}
	if n < 5 {
		t.Fatalf("only %d blocks checked", n)
	}
	t.Logf("%d README blocks adapt and load", n)
}
