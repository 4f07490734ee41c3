package selection

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		values  []string
		max     int
		all     bool   // Parse returns nil: everything
		wantErr string // part of the *Error message
	}{
		{name: "none", values: nil, max: 256, all: true},
		{name: "empty", values: []string{""}, max: 256, all: true},
		{name: "only commas and spaces", values: []string{" , ,"}, max: 256, all: true},
		{name: "star", values: []string{"Name,*"}, max: 256, all: true},
		{name: "star in a repeated parameter", values: []string{"Name", " * "}, max: 256, all: true},
		{name: "paths", values: []string{"name,department,category/id"}, max: 256},
		{name: "at the limit", values: []string{"a,b", "c"}, max: 3},
		{name: "over the limit", values: []string{"a,b", "c,d"}, max: 3, wantErr: "more than 3 paths"},
		{name: "deepest path", values: []string{strings.Repeat("a/", MaxDepth-1) + "a"}, max: 256},
		{name: "too deep", values: []string{strings.Repeat("a/", MaxDepth) + "a"}, max: 256, wantErr: "more than 32 names"},
		{name: "empty name", values: []string{"a//b"}, max: 256, wantErr: "empty name"},
		{name: "leading slash", values: []string{"/a"}, max: 256, wantErr: "empty name"},
		{name: "trailing slash", values: []string{"a/"}, max: 256, wantErr: "empty name"},
		{name: "huge input stops at the limit", values: []string{strings.Repeat("a,", 1<<20)}, max: 256, wantErr: "more than 256 paths"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := Parse(tc.values, tc.max)
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(e.Message, tc.wantErr) {
					t.Fatalf("Parse error = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (sel == nil) != tc.all {
				t.Fatalf("Parse = %v; want everything: %v", sel, tc.all)
			}
		})
	}
}
