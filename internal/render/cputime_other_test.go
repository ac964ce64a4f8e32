//go:build !unix

package render

import "time"

// processCPU falls back to wall time where the OS gives no usage.
func processCPU() time.Duration { return time.Duration(time.Now().UnixNano()) }
