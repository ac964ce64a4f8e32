//go:build !unix

package site

import "time"

// processCPU is unknown here: stage timings show wall time only.
func processCPU() time.Duration { return 0 }
