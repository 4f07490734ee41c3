//go:build race

package selection

// raceEnabled: the race detector's sync.Pool drops items on purpose, so a
// pooled pass is not reused there.
const raceEnabled = true
