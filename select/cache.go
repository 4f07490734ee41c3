package selection

import "sync"

// MaxCachedText is the longest $select text a Cache keeps.
const MaxCachedText = 1024

// Cache keeps parsed selections by their $select text, so that the few
// $select a client sends again and again are parsed once. It is safe for
// concurrent use, holds at most a fixed number of selections (a full cache
// forgets one to take the next), and keeps no errors and no text longer
// than MaxCachedText, so that its memory stays small whatever clients send.
type Cache struct {
	maxPaths, maxKept int

	mu     sync.RWMutex
	parsed map[string]*Selection // nil: everything
}

// NewCache returns a cache of at most maxKept selections, each parsed with
// at most maxPaths paths.
func NewCache(maxPaths, maxKept int) *Cache {
	return &Cache{maxPaths: maxPaths, maxKept: maxKept, parsed: make(map[string]*Selection)}
}

// Parse is Parse of the single value text, remembered.
func (c *Cache) Parse(text string) (*Selection, error) {
	c.mu.RLock()
	sel, ok := c.parsed[text]
	c.mu.RUnlock()
	if ok {
		return sel, nil
	}
	sel, err := Parse([]string{text}, c.maxPaths)
	if err != nil || len(text) > MaxCachedText {
		return sel, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.parsed) >= c.maxKept {
		for forget := range c.parsed {
			delete(c.parsed, forget)
			break
		}
	}
	c.parsed[text] = sel
	return sel, nil
}
