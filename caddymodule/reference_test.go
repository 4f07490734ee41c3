package caddymodule

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

// The README's config reference is generated from the doc comments of
// Handler's fields (their "Caddyfile:" and "Default:" lines), so the two
// cannot drift: this test fails when the README differs, and
// `go test ./caddymodule -run ConfigReference -update` rewrites it.
const (
	referenceStart = "<!-- config reference: generated from caddymodule/module.go by go test ./caddymodule -run ConfigReference -update -->"
	referenceEnd   = "<!-- end of config reference -->"
)

func TestConfigReferenceIsCurrent(t *testing.T) {
	options := handlerOptions(t)
	table := renderReference(options)
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start, end := strings.Index(text, referenceStart), strings.Index(text, referenceEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no config reference markers")
	}
	current := text[start+len(referenceStart) : end]
	if current != table {
		if *update {
			text = text[:start+len(referenceStart)] + table + text[end:]
			if err := os.WriteFile("../README.md", []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("README.md's config reference is not what module.go's doc comments say; run go test ./caddymodule -run ConfigReference -update\n%s", table)
	}
}

// Every Caddyfile subdirective has a field whose doc comment names it, and
// every field's Caddyfile syntax parses as documented.
func TestEverySubdirectiveIsDocumented(t *testing.T) {
	options := handlerOptions(t)
	documented := map[string]bool{}
	for _, o := range options {
		documented[strings.Fields(o.caddyfile)[0]] = true
	}
	for _, name := range caddyfileSubdirectives(t) {
		if !documented[name] {
			t.Errorf("subdirective %s has no field documenting it", name)
		}
		delete(documented, name)
	}
	for name := range documented {
		t.Errorf("a field documents %s, which UnmarshalCaddyfile does not read", name)
	}
	// The JSON keys are the fields' tags.
	for _, o := range options {
		f, ok := reflect.TypeFor[Handler]().FieldByName(o.field)
		if !ok || strings.Split(f.Tag.Get("json"), ",")[0] != o.json {
			t.Errorf("field %s: JSON key %q", o.field, o.json)
		}
	}
}

// Caddyfile.example is caddy fmt-clean, adapts, and validates (every module
// provisions) as Caddy would load it.
func TestCaddyfileExampleIsCleanAndValid(t *testing.T) {
	body, err := os.ReadFile("../Caddyfile.example")
	if err != nil {
		t.Fatal(err)
	}
	if formatted := caddyfile.Format(body); string(formatted) != string(body) {
		t.Fatalf("Caddyfile.example is not caddy fmt-clean; caddy fmt gives:\n%s", formatted)
	}
	adapted, warnings, err := caddyconfig.GetAdapter("caddyfile").Adapt(body, map[string]any{"filename": "Caddyfile.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Fatalf("adapting Caddyfile.example warns: %v", warnings)
	}
	var cfg caddy.Config
	if err := json.Unmarshal(adapted, &cfg); err != nil {
		t.Fatal(err)
	}
	if err := caddy.Validate(&cfg); err != nil {
		t.Fatalf("Caddyfile.example does not validate: %v", err)
	}
}

// option is one documented Handler field.
type option struct {
	field, json, caddyfile, defaults, meaning, shape string
}

// handlerOptions reads Handler's exported fields from module.go.
func handlerOptions(t *testing.T) []option {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "module.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]*ast.StructType{}
	ast.Inspect(file, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				types[ts.Name.Name] = st
			}
		}
		return true
	})
	var options []option
	for _, f := range types["Handler"].Fields.List {
		if len(f.Names) != 1 || !f.Names[0].IsExported() {
			continue
		}
		o := option{field: f.Names[0].Name, json: jsonKey(f), shape: jsonShape(f.Type, types)}
		var meaning []string
		for _, line := range strings.Split(strings.TrimSpace(f.Doc.Text()), "\n") {
			switch {
			case strings.HasPrefix(line, "Caddyfile: "):
				o.caddyfile = strings.TrimPrefix(line, "Caddyfile: ")
			case strings.HasPrefix(line, "Default: "):
				o.defaults = strings.TrimPrefix(line, "Default: ")
			default:
				meaning = append(meaning, line)
			}
		}
		o.meaning = strings.Join(meaning, " ")
		if o.caddyfile == "" || o.defaults == "" || o.meaning == "" {
			t.Fatalf("field %s: its doc comment needs a description, a Caddyfile: line and a Default: line", o.field)
		}
		options = append(options, o)
	}
	return options
}

func jsonKey(f *ast.Field) string {
	tag, _ := strconv.Unquote(f.Tag.Value)
	return strings.Split(reflect.StructTag(tag).Get("json"), ",")[0]
}

// jsonShape writes the JSON form of a field's type.
func jsonShape(expr ast.Expr, types map[string]*ast.StructType) string {
	switch e := expr.(type) {
	case *ast.Ident:
		switch e.Name {
		case "string":
			return `"..."`
		case "int", "int64":
			return "0"
		case "bool":
			return "true"
		}
		var fields []string
		for _, f := range types[e.Name].Fields.List {
			fields = append(fields, fmt.Sprintf("%q: %s", jsonKey(f), jsonShape(f.Type, types)))
		}
		return "{" + strings.Join(fields, ", ") + "}"
	case *ast.SelectorExpr:
		if e.Sel.Name == "Duration" { // caddy.Duration: a duration string, or nanoseconds
			return `"1m"`
		}
	case *ast.StarExpr:
		return jsonShape(e.X, types)
	case *ast.ArrayType:
		return "[" + jsonShape(e.Elt, types) + "]"
	case *ast.MapType:
		return `{"...": ` + jsonShape(e.Value, types) + "}"
	}
	return "?"
}

func renderReference(options []option) string {
	var b strings.Builder
	b.WriteString("\n| Caddyfile | JSON | default | meaning |\n| --- | --- | --- | --- |\n")
	for _, o := range options {
		fmt.Fprintf(&b, "| `%s` | `\"%s\": %s` | %s | %s |\n", escapeCell(o.caddyfile), o.json, o.shape,
			escapeText(o.defaults), escapeText(o.meaning))
	}
	return b.String()
}

// escapeCell keeps a table cell one cell.
func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// escapeText also keeps <name> from reading as HTML outside code.
func escapeText(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

// caddyfileSubdirectives reads the case labels of UnmarshalCaddyfile's
// switch in caddyfile.go.
func caddyfileSubdirectives(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "caddyfile.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(file, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "UnmarshalCaddyfile" {
			return true
		}
		ast.Inspect(fn, func(n ast.Node) bool {
			if cc, ok := n.(*ast.CaseClause); ok {
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						name, _ := strconv.Unquote(lit.Value)
						names = append(names, name)
					}
				}
			}
			return true
		})
		return false
	})
	slices.Sort(names)
	return names
}
