//go:build race

package store

// raceOn: the race detector slows Badger ~15x; the large tests shrink.
const raceOn = true
