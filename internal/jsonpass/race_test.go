//go:build race

package jsonpass

// raceEnabled: the race detector's sync.Pool drops a quarter of what is
// put back, on purpose, so what a Pass borrows is made again there.
const raceEnabled = true
