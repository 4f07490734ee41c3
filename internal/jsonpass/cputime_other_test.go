//go:build !linux

package jsonpass

import "github.com/chatgate/chatgate/internal/benchratio"

// cpuRatio falls back to wall time where the thread's CPU time is not read.
func cpuRatio(ours, baseline func()) float64 { return benchratio.Median(ours, baseline) }
