package locale

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

var updateZonesDoc = flag.Bool("update", false, "rewrite ZONES.md from the tables")

// ZONES.md documents every built-in code; this test keeps it and the
// tables the same (go test ./locale -run ZonesDoc -update rewrites it).
func TestZonesDocIsCurrent(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Built-in SO-TimeZone codes\n\n")
	b.WriteString("Generated from `locale/zones*.go` by `go test ./locale -run ZonesDoc -update`; a test keeps the two the same.\n")
	b.WriteString("Any IANA name works too, in any case (`Europe/Oslo`, `europe/oslo`), and `timezone_code` adds or overrides codes.\n\n")
	b.WriteString("## Numeric ids\n\n| id | code | IANA zone |\n| --- | --- | --- |\n")
	ids := make([]int, 0, len(numericZones))
	for id := range numericZones {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	all := map[string]string{"UTC": "UTC"}
	for _, m := range []map[string]string{countryZones, principalZones, subdivisionZones} {
		for k, v := range m {
			all[k] = v
		}
	}
	for _, id := range ids {
		fmt.Fprintf(&b, "| %d | %s | %s |\n", id, numericZones[id], all[numericZones[id]])
	}
	section := func(title, note string, m map[string]string) {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| code | IANA zone |\n| --- | --- |\n", title, note)
		codes := make([]string, 0, len(m))
		for c := range m {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			fmt.Fprintf(&b, "| %s | %s |\n", c, m[c])
		}
	}
	section("Subdivisions", "States and provinces of the United States, Canada and Australia.", subdivisionZones)
	section("Countries with one principal zone", "Multi-zone countries where one zone holds nearly all of the country.", principalZones)
	section("Countries with a single zone", "Every country the tz database lists with one zone, by ISO 3166 code (`gen_zones.go`).", countryZones)
	want := b.String()
	if *updateZonesDoc {
		if err := os.WriteFile("ZONES.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("ZONES.md")
	if err != nil || string(got) != want {
		t.Fatalf("ZONES.md is not current (%v): go test ./locale -run ZonesDoc -update", err)
	}
}
