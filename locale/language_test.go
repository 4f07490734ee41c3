package locale

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPick(t *testing.T) {
	l, _ := NewLanguages("nb", nil, "")
	none, _ := NewLanguages("", nil, "")
	for _, tc := range []struct {
		l                *Languages
		so, accept, want string
	}{
		{l, "sv", "de", "sv"},
		{l, "en-US", "", "en"},
		{l, "", "de-CH;q=0.5, fr;q=0.9, en;q=0.8", "fr"},
		{l, "", "da, fr;q=1", "da"}, // equal q: the first
		{l, "", "fr;q=0, *;q=0", "nb"},
		{l, "", "", "nb"},
		{l, "*", "fr", ""},
		{l, "x", "fr", ""},
		{l, "", "*", ""},
		{none, "", "", ""},
		{none, "", "en_GB", "en"},
		{l, "", "fr;q=abc, de;q=0.1", "de"},
		{l, "-", "fr", ""},
		{l, " nb-NO ", "fr", "nb"},
		{l, "zh-Hant-TW", "", "zh"},
		{l, "English", "", "english"},
		{l, "", "nb no, 12, -, sv;q=0.5", "sv"}, // entries that are no language range passed over
		{l, "", "en-, _en, de;q=0.2", "de"},
	} {
		if got, err := tc.l.Pick(tc.so, tc.accept); got != tc.want || err != nil {
			t.Errorf("Pick(%q, %q) = %q, %v; want %q", tc.so, tc.accept, got, err, tc.want)
		}
	}
}

// TestPickRefusesAMalformedSOLanguage: an SO-Language that is not a
// language tag is an error naming it, whatever Accept-Language says:
// "nb,en" is also how two SO-Language fields read once combined.
func TestPickRefusesAMalformedSOLanguage(t *testing.T) {
	l, _ := NewLanguages("nb", nil, "")
	for _, so := range []string{"nb,en", "n b", "12", "en-", "-en", "en--US", "en-_US", "_", "*en", "nb;q=1", "abcdefghi", "en-US-abcdefghi", "ø", "1en"} {
		got, err := l.Pick(so, "sv")
		if err == nil || got != "" || !strings.Contains(err.Error(), "SO-Language") || !strings.Contains(err.Error(), strings.TrimSpace(so)) {
			t.Errorf("Pick(%q, sv) = %q, %v; want an error naming it", so, got, err)
		}
	}
}

func TestTranslate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "strings.json")
	_ = os.WriteFile(path, []byte(`{"SR_SUPPLIER":{"en":"Supplier","nb":"Leverandør"},"SR_ONLY_EN":{"en":"English"}}`), 0o600)
	l, err := NewLanguages("", map[string]string{"de": "DE"}, path)
	if err != nil {
		t.Fatal(err)
	}
	const ml = `US:"Supplier";NO:"Leverandør";GE:"Lieferant"`
	for _, tc := range []struct {
		in, lang, want string
		changed        bool
	}{
		{ml, "en", "Supplier", true},
		{ml, "nb", "Leverandør", true},
		{ml, "nn", "Leverandør", true},
		{ml, "sv", "Supplier", true}, // missing: the first
		{ml, "de", "Supplier", true}, // de is DE by override, which the value lacks
		{`GE:"x";DE:"Lieferant"`, "de", "Lieferant", true},
		{`US:"Say \"hi\"";NO:"a\\b";`, "nb", `a\b`, true},
		{`US:"Say \"hi\"";NO:"x";`, "en", `Say "hi"`, true},
		{`US:"a";NO:"b"x`, "nb", `US:"a";NO:"b"x`, false},
		{`US:"unterminated`, "en", `US:"unterminated`, false},
		{`Us:"a"`, "en", `Us:"a"`, false},
		{"[SR_SUPPLIER]", "nb", "Leverandør", true},
		{"[SR_SUPPLIER]", "no", "Leverandør", true}, // no is NO, as nb
		{"A [SR_SUPPLIER] and [SR_ONLY_EN].", "nb", "A Leverandør and English.", true},
		{"[SR_UNKNOWN] stays", "nb", "[SR_UNKNOWN] stays", false},
		{"[SR_SUPP LIER]", "nb", "[SR_SUPP LIER]", false},
		{"plain", "nb", "plain", false},
	} {
		got, changed := l.Translate(tc.in, tc.lang)
		if got != tc.want || changed != tc.changed {
			t.Errorf("Translate(%q, %s) = %q, %v; want %q, %v", tc.in, tc.lang, got, changed, tc.want, tc.changed)
		}
	}
}

func TestStringsFileErrors(t *testing.T) {
	if _, err := NewLanguages("", nil, "/nonexistent/strings.json"); err == nil {
		t.Fatal("a missing file loaded")
	}
	path := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(path, []byte(`{"SR_X": "not an object"}`), 0o600)
	if _, err := NewLanguages("", nil, path); err == nil || !strings.Contains(err.Error(), "SR_NAME") {
		t.Fatalf("err = %v", err)
	}
}
