#!/usr/bin/env bash
# The man page (docs/decruft.1) matches --help: every long option of `decruft --help` and
# `decruft explain --help` is documented there and every option it documents exists; the option
# groups, exit statuses and examples of --help are there too; groff reads it without a warning;
# `cmake --install` installs it.
source "$(dirname "$0")/lib/common.bash"

page="$src/docs/decruft.1"
[ -f "$page" ] || fail "docs/decruft.1 is missing"
run 0 "$bin" --help
mv out help.txt
run 0 "$bin" explain --help
mv out explain-help.txt

python3 - "$page" <<'PY' || fail "the man page and --help disagree"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
text = page.replace("\\-", "-").replace("\\(em", "—")
help_text = open("help.txt", encoding="utf-8").read() + open("explain-help.txt", encoding="utf-8").read()
ok = True
def bad(msg):
    global ok
    ok = False
    print("FAIL:", msg, file=sys.stderr)

# Options: the long ones of the option lines (indented, starting with '-').
in_help = set()
for line in help_text.splitlines():
    m = re.match(r"^\s+(-\S+)", line)
    if m:
        in_help.update(re.findall(r"--[a-z][a-z-]*", m.group(1)))
in_page = set(re.findall(r"--[a-z][a-z-]*[a-z]", text))
for o in sorted(in_help - in_page):
    bad(f"{o} is in --help but not in the man page")
for o in sorted(in_page - in_help):
    bad(f"{o} is in the man page but not in --help")
# Short options too.
for s in set(re.findall(r"^\s+(-[a-zA-Z]),", help_text, re.M)):
    if not re.search(r"\\f[BR]" + re.escape(s) + r"\b|^\.B[IR]? " + re.escape(s) + r"\b", text, re.M):
        bad(f"short option {s} not in the man page")
# Groups.
for g in re.findall(r"^([A-Z][a-z]+):$", help_text, re.M):
    if g in ("Positionals", "Options", "Subcommands"):
        continue
    if f".SS {g}" not in page:
        bad(f"option group {g} is not a .SS section")
# Exit statuses.
status = help_text.split("EXIT STATUS:", 1)[1]
for code in re.findall(r"^\s+(\d+)\s", status, re.M):
    if not re.search(rf"^\.B {code}$", page, re.M):
        bad(f"exit status {code} is not in EXIT STATUS")
# Examples: each command of --help's EXAMPLES is one of the page's.
examples = help_text.split("EXAMPLES:", 1)[1].split("EXIT STATUS:", 1)[0]
for line in examples.splitlines():
    if len(line) - len(line.lstrip()) > 8:
        continue  # a description continued on its own line
    cmd = re.split(r"\s{2,}", line.strip())[0] if line.strip() else ""
    if cmd and cmd not in text:
        bad(f"example '{cmd}' is not in the man page")
if ok:
    print(f"{len(in_help)} long options, all documented")
sys.exit(0 if ok else 1)
PY

if command -v groff >/dev/null 2>&1; then
  LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>groff.err || fail "groff failed: $(cat groff.err)"
  [ ! -s groff.err ] || fail "groff warnings: $(cat groff.err)"
fi

# `cmake --install` puts it in share/man/man1 (the binary's directory is the build directory).
build=$(dirname "$bin")
if [ -f "$build/cmake_install.cmake" ] && command -v cmake >/dev/null 2>&1; then
  cmake --install "$build" --prefix "$work/prefix" >install.log 2>&1 || fail "cmake --install failed: $(cat install.log)"
  [ -f "$work/prefix/share/man/man1/decruft.1" ] ||
    fail "cmake --install did not install share/man/man1/decruft.1 (re-run cmake once docs/decruft.1 exists)"
  cmp -s "$page" "$work/prefix/share/man/man1/decruft.1" || fail "the installed man page differs from docs/decruft.1"
fi
echo "ok"
