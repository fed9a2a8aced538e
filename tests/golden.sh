#!/bin/sh
# Golden command-line cases: tests/golden/<tool>/<case>/ holds `cmd` (one
# shell command run in that folder, the programs on PATH), optionally
# `stdin`, and the expected `out`, `err` and `rc` (default 0). A case may
# omit `out` or `err` to leave that stream unchecked. UPDATE=1 rewrites
# the expected files after a deliberate change.
set -u
here=$(cd "$(dirname "$0")" && pwd)
for case in "$here"/golden/*/*/; do
    [ -f "$case/cmd" ] || continue
    name=${case%/}; name=${name#"$here"/golden/}
    tmp=$(mktemp -d)
    if [ -f "$case/stdin" ]; then in="$case/stdin"; else in=/dev/null; fi
    (cd "$case" && sh ./cmd < "$in" > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/rc")
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp/out" "$case/out"; cp "$tmp/err" "$case/err"
        if [ "$(cat "$tmp/rc")" = 0 ]; then rm -f "$case/rc"; else cp "$tmp/rc" "$case/rc"; fi
    fi
    expected_rc=0; [ -f "$case/rc" ] && expected_rc=$(cat "$case/rc")
    bad=""
    [ "$(cat "$tmp/rc")" = "$expected_rc" ] || bad="$bad exit $(cat "$tmp/rc") (expected $expected_rc);"
    if [ -f "$case/out" ] && ! cmp -s "$tmp/out" "$case/out"; then
        bad="$bad stdout differs;"; diff "$case/out" "$tmp/out" | head -20 | sed 's/^/# /'
    fi
    if [ -f "$case/err" ] && ! cmp -s "$tmp/err" "$case/err"; then
        bad="$bad stderr differs;"; diff "$case/err" "$tmp/err" | head -20 | sed 's/^/# /'
    fi
    if [ -z "$bad" ]; then echo "ok - $name"; else echo "not ok - $name:$bad"; fi
    rm -rf "$tmp"
done
exit 0
