//go:build unix

package input

import "syscall"

// openNonBlocking makes open(2) return at once on a named pipe with no
// writer; it changes nothing for regular files and folders.
const openNonBlocking = syscall.O_NONBLOCK
