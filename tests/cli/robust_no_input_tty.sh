#!/usr/bin/env bash
# No input at all, with stdin on a terminal: a usage error (status 2) that says what to give,
# instead of waiting silently for text that will never come. Piped empty stdin is a valid, empty
# input (status 0, nothing written).
source "$(dirname "$0")/lib/common.bash"

run 0 "$bin" </dev/null
[ ! -s out ] || fail "output from an empty stdin: $(head -c 200 out)"

command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1 ||
  skip "script(1) (util-linux) cannot open a pseudo-terminal here"
# script(1) gives the command a terminal on stdin, stdout and stderr; `timeout` turns a hang
# (decruft waiting for stdin) into a failure instead of a stuck test.
status=0
script -qec "timeout 20 '$bin'; echo \"status=\$?\"" tty.log </dev/null >/dev/null 2>&1 || status=$?
grep -q "status=2" tty.log || fail "no input on a terminal: expected status 2, got: $(cat -v tty.log)"
grep -q "no input: give files or directories, or pipe text to stdin" tty.log ||
  fail "no input on a terminal: message missing: $(cat -v tty.log)"
