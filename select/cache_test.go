package selection

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	c := NewCache(2, 3)
	first, err := c.Parse("a,b/c")
	if err != nil || first == nil {
		t.Fatalf("Parse = %v, %v", first, err)
	}
	if again, _ := c.Parse("a,b/c"); again != first {
		t.Fatal("the same text was parsed again")
	}
	out, _ := first.Project(nil, []byte(`{"a":1,"b":{"c":2,"d":3},"e":4}`))
	if string(out) != `{"a":1,"b":{"c":2,"d":null},"e":null}` {
		t.Fatalf("remembered selection projects %s", out)
	}
	if everything, err := c.Parse("*"); everything != nil || err != nil {
		t.Fatalf(`Parse("*") = %v, %v; want everything`, everything, err)
	}
	var e *Error
	if _, err := c.Parse("a,b,c"); !errors.As(err, &e) {
		t.Fatalf("more than maxPaths: %v", err)
	}
	for i := range 10 {
		if _, err := c.Parse(fmt.Sprint("p", i)); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.parsed) > 3 {
		t.Fatalf("the cache holds %d selections; the bound is 3", len(c.parsed))
	}
	long := strings.Repeat("x", MaxCachedText+1)
	if sel, err := c.Parse(long); sel == nil || err != nil {
		t.Fatalf("a long $select: %v, %v", sel, err)
	}
	if _, kept := c.parsed[long]; kept {
		t.Fatal("a $select longer than MaxCachedText was kept")
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(256, 8)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				sel, err := c.Parse(fmt.Sprint("a", (g+i)%12, ",b"))
				if err != nil || sel == nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
