//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package cli

import "os"

func isTerminal(*os.File) bool { return false }

func noEcho(*os.File) func() { return func() {} }
