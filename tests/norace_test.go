package tests

// raceEnabled is set when the tests run with -race, so that the binary under
// test is built with the race detector too.
var raceEnabled bool
