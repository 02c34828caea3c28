package main

import (
	"fmt"
	"io"
)

// report counts checks and prints one line per check; the last line is `N passed, N failed`,
// which `npm test` (infra/scripts/test.mjs) reads.
type report struct {
	out            io.Writer
	passed, failed int
}

func (r *report) check(name string, err error) {
	if err != nil {
		r.failed++
		fmt.Fprintf(r.out, "FAIL %s: %v\n", name, err)
		return
	}
	r.passed++
	fmt.Fprintf(r.out, "ok   %s\n", name)
}

// refuses records a check that passes when err is not nil: the checker must reject bad input.
func (r *report) refuses(name string, err error) {
	if err == nil {
		r.check(name, fmt.Errorf("accepted, but must be refused"))
		return
	}
	r.check(name+" (refused: "+firstLine(err.Error())+")", nil)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
