package cli

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bantin/bantin/internal/editor"
)

// runPasswd sets an editor's password in the site's password file. The
// password is read from stdin: typed twice, unseen, at a terminal; the
// first line otherwise (for scripts).
func runPasswd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("bantin passwd", flag.ContinueOnError)
	flags.SetOutput(stderr)
	source := flags.String("source", ".", "the site's folder (with site.toml)")
	user := flags.String("user", "bientap", "the editor's user `NAME`")
	file := flags.String("password-file", "", "the password `FILE` (default: "+editor.PasswordFile+" in the site's folder)")
	if !parseNoArgs(flags, args, stderr) {
		return 2
	}
	if *file == "" {
		*file = filepath.Join(*source, filepath.FromSlash(editor.PasswordFile))
	}
	var password string
	if term, ok := stdin.(*os.File); ok && isTerminal(term) {
		first, err := readSecret(term, stderr, "Mật khẩu mới / New password: ")
		if err != nil {
			return report(stderr, err)
		}
		again, err := readSecret(term, stderr, "Nhập lại / Again: ")
		if err != nil {
			return report(stderr, err)
		}
		if first != again {
			fmt.Fprintln(stderr, "bantin passwd: the two passwords differ; nothing was changed")
			return 1
		}
		password = first
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(stderr, "bantin passwd: give the password on standard input, e.g. a line from a password manager")
			return 2
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if err := editor.SetPassword(*file, *user, password); err != nil {
		return report(stderr, fmt.Errorf("bantin passwd: %w", err))
	}
	fmt.Fprintf(stdout, "password of %s set in %s\n", *user, *file)
	return 0
}

// readSecret reads a line from a terminal without echoing it.
func readSecret(term *os.File, prompt io.Writer, text string) (string, error) {
	fmt.Fprint(prompt, text)
	restore := noEcho(term)
	line, err := bufio.NewReader(term).ReadString('\n')
	restore()
	fmt.Fprintln(prompt)
	if err != nil && line == "" {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
