#!/usr/bin/env bash
# SIGINT in the middle of a batch run: status 130, no partial output files, a report that says
# what completed (and that the run was interrupted); a rerun with --resume finishes the rest, and
# the result equals an uninterrupted run, report included.
source "$(dirname "$0")/lib/common.bash"
gen_articles in 3000

"$bin" in -o res -j2 >/dev/null 2>err &
pid=$!
for _ in $(seq 1 600); do
  n=$( (find res -name '*.txt' 2>/dev/null || true) | wc -l)
  [ "$n" -ge 150 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
kill -INT $pid 2>/dev/null || true
status=0
wait $pid || status=$?
if [ "$status" = 0 ]; then
  skip "the run finished before the signal arrived (machine too fast for this corpus)"
fi
[ "$status" = 130 ] || fail "interrupted run exited $status, expected 130: $(cat err)"
expect_in err "decruft: interrupted:"
expect_in err "--resume"
[ -z "$(find res -name '*.tmp*')" ] || fail "temporary files left: $(find res -name '*.tmp*' | head)"
check_accounting res/report.json
[ "$(json res/report.json 'r["summary"]["interrupted"]')" = True ] || fail "report does not say interrupted"
done_docs=$(json res/report.json 'r["summary"]["documents_in"]')
[ "$done_docs" -gt 0 ] && [ "$done_docs" -lt 3000 ] || fail "completed: $done_docs"
# Every file present is listed as kept in the report, and complete.
files=$(find res -name '*.txt' | wc -l)
[ "$files" = "$(json res/report.json 'r["summary"]["kept"]')" ] || fail "$files files for $(json res/report.json 'r["summary"]["kept"]') kept"
for f in $(find res -name '*.txt' | sort | tail -3); do
  cmp -s "$f" <("$bin" "in/$(basename "$f")" 2>/dev/null) || fail "$f is incomplete"
done

# --resume finishes the rest; the output equals an uninterrupted run's, report included.
run 0 "$bin" in -o res -j2 --resume
check_accounting res/report.json
[ "$(json res/report.json 'r["summary"]["documents_in"]')" = 3000 ] || fail "resumed run did not finish"
[ "$(json res/report.json 'r["summary"]["interrupted"]')" = False ] || fail "still interrupted"
run 0 "$bin" in -o fresh -j1
diff -r res fresh >/dev/null || { diff -r res fresh | head -5; fail "resumed output differs from an uninterrupted run"; }
echo ok
