package jsonpass

import (
	"runtime"
	"sort"
	"syscall"
	"time"
)

// cpuRatio is benchratio.Median measured in the calling thread's CPU time
// instead of wall time: on a shared machine whose other work takes the
// cores away, the time a pass spends waiting for a core does not count.
// Each of 5 interleaved rounds runs each side for about 100ms of CPU.
func cpuRatio(ours, baseline func()) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ratios := make([]float64, 5)
	for i := range ratios {
		ratios[i] = cpuNsPerOp(ours) / cpuNsPerOp(baseline)
	}
	sort.Float64s(ratios)
	return ratios[len(ratios)/2]
}

func cpuNsPerOp(fn func()) float64 {
	fn()
	start := threadCPU()
	n := 0
	for threadCPU()-start < 100*time.Millisecond {
		fn()
		n++
	}
	return float64(threadCPU()-start) / float64(n)
}

// threadCPU is the CPU time of the calling thread (RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
