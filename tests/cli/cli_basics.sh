#!/usr/bin/env bash
# CLI manners: --help/--version/--steps/--disable, exit statuses, `decruft:` errors, pipe mode,
# stdin, broken pipe.
source "$(dirname "$0")/lib/common.bash"

# --help: groups and the exit statuses; -h too.
run 0 "$bin" --help
for s in Input: Output: Pipeline: Deduplication: Run: "EXIT STATUS" "130" "--resume" "--max-bytes" "-j,--threads"; do
  expect_in out "$s"
done
run 0 "$bin" -h
expect_in out "Usage:"

run 0 "$bin" --version
grep -qE '^decruft [0-9]+\.[0-9]+\.[0-9]+$' out || fail "--version: $(cat out)"

# --steps: the pipeline in order, one per line with on/off.
run 0 "$bin" --steps
[ "$(head -1 out | awk '{print $1}')" = decode ] || fail "first step is not decode"
expect_in out "exact_dedup"
grep -qE '^near_dedup +on' out || fail "near_dedup not on by default"
run 0 "$bin" --steps --disable near_dedup
grep -qE '^near_dedup +off' out || fail "--disable near_dedup did not switch it off"

# Usage errors: status 2, message on stderr prefixed "decruft:", nothing on stdout.
run 2 "$bin" --disable no_such_step "$src/raw"
expect_in err "decruft: unknown step 'no_such_step'"
[ ! -s out ] || fail "stdout not empty on a usage error"
run 2 "$bin" --no-such-flag
expect_in err "decruft: "
run 2 "$bin" --format xml "$src/raw"
expect_in err "decruft: "
run 2 "$bin" "$work/does-not-exist.txt"
expect_in err "decruft: $work/does-not-exist.txt: No such file or directory"

# Pipe mode: stdin to stdout, as text; `-` is stdin too.
f="$src/raw/000_62f8316c858fee73.txt"
cat "$f" | "$bin" >piped.txt 2>err || fail "pipe mode failed: $(cat err)"
[ -s piped.txt ] || fail "pipe mode wrote nothing"
"$bin" - <"$f" >dash.txt 2>/dev/null || fail "'-' failed"
cmp -s piped.txt dash.txt || fail "'-' and implicit stdin differ"
"$bin" "$f" >file.txt 2>/dev/null
cmp -s piped.txt file.txt || fail "stdin and file input differ"
# The output is a subset of the input lines (nothing invented), title first.
head -1 file.txt | grep -qF "$(head -1 "$f" | cut -c1-20)" || fail "title is not first"

# Two documents on stdout are separated by one blank line.
gen_articles two 2
run 0 "$bin" two/0000.txt two/0001.txt
[ "$(grep -c '^$' out)" = 1 ] || fail "expected one blank line between two documents"

# A broken pipe ends quietly with status 0.
gen_articles many 300
set +o pipefail
"$bin" -j2 many 2>err | head -1 >/dev/null
status=${PIPESTATUS[0]}
set -o pipefail
[ "$status" = 0 ] || fail "broken pipe: status $status"
[ ! -s err ] || fail "broken pipe: stderr not empty: $(cat err)"

# A full stdout (not a pipe) is an output error: status 2 with a message.
if [ -w /dev/full ]; then
  run 2 "$bin" many -o /dev/null/x
  "$bin" many >/dev/full 2>err && fail "writing to /dev/full succeeded"
  expect_in err "decruft: <stdout>: write failed"
fi

# Quiet: no summary on stderr.
run 0 "$bin" -q two -o outdir
[ ! -s err ] || fail "-q still printed: $(cat err)"
run 0 "$bin" two -o outdir
expect_in err "2 documents: 2 kept, 0 dropped, 0 failed"
echo "ok"
