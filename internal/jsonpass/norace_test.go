//go:build !race

package jsonpass

const raceEnabled = false
