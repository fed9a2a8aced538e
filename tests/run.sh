#!/bin/sh
# The test runner: C unit tests, command-line scripts, golden cases.
# Each test prints "ok - name" or "not ok - name"; the last line here is
# "N passed, N failed". UPDATE=1 rewrites the golden expected files.
#   CL_BIN   folder of the programs   CL_UNIT  folder of the unit tests
#   ONLY     run only the tests whose file name contains this
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CL_BIN:?set CL_BIN}" "${CL_UNIT:?set CL_UNIT}"
export CL_BIN CL_UNIT PATH="$CL_BIN:$PATH" LC_ALL=C TZ=UTC
unset CLIENTELE_LANG    # the default of --lang (docs/options.md): the tests set it themselves
export CL_TESTS="$here"
# one folder per run, so that runs at the same time do not mix
out="$here/out/run.$$"
rm -rf "$out"; mkdir -p "$out"
log="$out/log"
: > "$log"
only=${ONLY:-}

run_one() {   # name, command...
    name=$1; shift
    res="$out/$(echo "$name" | tr '/ ' '__').tap"
    "$@" > "$res" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && ! grep -q '^not ok' "$res"; then
        echo "not ok - $name exited with status $rc" >> "$res"
    fi
    grep -E '^(not )?ok' "$res" | sed "s|^|[$name] |"
    grep '^not ok' "$res" >/dev/null && { echo "---- $name"; cat "$res"; } >> "$log"
    return 0
}

{
for t in "$CL_UNIT"/test_*; do
    [ -x "$t" ] || continue
    case "${t##*/}" in *"$only"*) ;; *) continue ;; esac     # the name, not its folders'
    run_one "unit/$(basename "$t")" "$t"
done
for t in "$CL_UNIT"/replay_fuzz_*; do
    [ -x "$t" ] || continue
    name=${t##*/replay_fuzz_}
    case "fuzz_$name" in *"$only"*) ;; *) continue ;; esac
    files=$(ls "$here/fuzz/corpus/$name"/* "$here/fuzz/crashes/$name"/* 2>/dev/null)
    [ -n "$files" ] || continue
    run_one "fuzz/$name" "$t" $files
done
for t in "$here"/cli/*.sh; do
    [ -f "$t" ] || continue
    case "${t##*/}" in *"$only"*) ;; *) continue ;; esac
    run_one "cli/$(basename "$t" .sh)" sh "$t"
done
case "golden" in *"$only"*) run_golden=1 ;; *) run_golden=0 ;; esac
[ -z "$only" ] && run_golden=1
if [ $run_golden = 1 ]; then
    run_one golden sh "$here/golden.sh"
fi
} | tee "$out/results"

passed=$(grep -c '^\[[^]]*\] ok' "$out/results")
failed=$(grep -c '^\[[^]]*\] not ok' "$out/results")
if [ "$failed" -ne 0 ]; then
    echo
    echo "failures (details in tests/out/run.$$/log):"
    grep '^\[[^]]*\] not ok' "$out/results"
fi
[ "$failed" -eq 0 ] && rm -rf "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
