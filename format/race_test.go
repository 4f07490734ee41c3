//go:build race

package format

// raceEnabled: the race detector's sync.Pool drops items on purpose, so
// the allocation tests skip there (.ci/run runs them without -race).
const raceEnabled = true
