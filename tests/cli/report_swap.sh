# cl-report never loses the previous report: SIGTERM and SIGKILL at each
# step of the swap (old report aside, new one in), then the next run's
# recovery; work folders of dead runs removed; six runs started together on
# a folder a killed run left behind never hold the lock two at a time.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"
snapshot() { (cd "$1" && find . -type f | sort | xargs cksum); }
page_lang() { sed -n 's/.*<html lang="\([a-z]*\)">.*/\1/p' "$1/index.html"; }

# The suite beside a copy of cl-report (which puts its own folder first in
# PATH), with an mv that signals cl-report at the swap step SWAP_AT:
#   aside-before  before the old report is renamed aside (the rename not done)
#   aside-after   right after it (the month's folder is missing)
#   in-after      right after the new report was renamed in (the old one aside)
bin="$T/bin"
suite_beside "$bin"
real_mv=$(command -v mv)
{
    echo '#!/bin/sh'
    echo 'case "$*" in'
    echo '    *.cl-report-old-*) step=aside ;;'
    echo '    *.cl-report-[0-9]*) step=in ;;'
    echo '    *) step=other ;;'
    echo 'esac'
    echo 'if [ "${SWAP_AT:-}" = "$step-before" ]; then kill -s "$SWAP_SIG" $PPID; exit 1; fi'
    echo "\"$real_mv\" \"\$@\" || exit"
    echo '[ "${SWAP_AT:-}" = "$step-after" ] && kill -s "$SWAP_SIG" $PPID'
    echo 'exit 0'
} > "$bin/mv"
chmod +x "$bin/mv"

for sig in TERM KILL; do
    for at in aside-before aside-after in-after; do
        out="$T/$sig-$at"
        "$bin/cl-report" --quiet --month 2011-11 --lang en -o "$out" "$sales" 2>/dev/null
        snapshot "$out/2011-11" > "$T/old"
        SWAP_AT=$at SWAP_SIG=$sig "$bin/cl-report" --quiet --month 2011-11 --lang fr \
            -o "$out" "$sales" > /dev/null 2>&1
        rc=$?
        expected=en
        [ $at = in-after ] && expected=fr
        if [ $sig = TERM ]; then
            t_eq "report swap: SIGTERM at $at: exit 1" "$rc" "1"
            t_eq "report swap: ... the trap leaves the $expected report, nothing else" \
                "$(page_lang "$out/2011-11") $(ls -A "$out" | tr '\n' ' ')" \
                "$expected .cl-report.lock 2011-11 "
        else
            t_eq "report swap: SIGKILL at $at: killed" "$rc" "137"
            if [ $at = aside-after ]; then
                t_eq "report swap: ... the month's folder is missing, for now" \
                    "$([ -e "$out/2011-11" ] && echo there)" ""
            fi
            # the next run (here one that fails on its own, after taking the
            # lock) recovers what the killed one left
            "$bin/cl-report" --month 1999-01 -o "$out" "$sales" > /dev/null 2> "$T/err"
            t_eq "report swap: ... the next run recovers the $expected report, nothing else" \
                "$(page_lang "$out/2011-11") $(ls -A "$out" | tr '\n' ' ')" \
                "$expected .cl-report.lock 2011-11 "
            if [ $at = aside-after ]; then
                t_grep "report swap: ... and says so" \
                    "$out/2011-11: recovered, as an interrupted run had left it aside" "$T/err"
            fi
        fi
        if [ $expected = en ]; then
            snapshot "$out/2011-11" > "$T/now"
            t_file_eq "report swap: ... the old report whole, as it was" "$T/now" "$T/old"
        else
            t_eq "report swap: ... the new report whole" \
                "$(snapshot "$out/2011-11" | awk '{ print $3 }' | tr '\n' ' ')" \
                "$(awk '{ print $3 }' "$T/old" | tr '\n' ' ')"
        fi
    done
done
rm -f "$bin/mv"

# --previous auto finds the recovered report
out="$T/KILL-aside-after"
t_run "report swap: after the recovery, --previous auto" 0 "$bin/cl-report" --quiet \
    --from 2011-12-01 --to 2011-12-09 --previous auto -o "$out" "$sales"
t_grep "report swap: ... compares with the recovered November" "compared with November 2011" \
    "$out/2011-12-01_2011-12-09/index.html"

# Six runs started together, on a folder that a killed run left with its
# lock file and work folder (and an old-style stale .lock folder): a
# cl-rollup that counts the work folders present shows one holder at a time.
out="$T/race"
mkdir -p "$out/.cl-report-999999" "$out/.lock"
echo "999999 $(uname -n)" > "$out/.lock/owner"
echo 999999 > "$out/.cl-report.lock"
rm "$bin/cl-rollup"
{
    echo '#!/bin/sh'
    echo "n=\$(ls -d \"$out\"/.cl-report-[0-9]* | wc -l)"
    echo "[ \"\$n\" -gt 1 ] && echo \"\$n work folders at once\" >> \"$T/overlap\""
    echo 'sleep 0.1'
    echo "exec \"$CL_BIN/cl-rollup\" \"\$@\""
} > "$bin/cl-rollup"
chmod +x "$bin/cl-rollup"
: > "$T/overlap"
pids=""
for i in 1 2 3 4 5 6; do
    "$bin/cl-report" --quiet --month 1999-01 -o "$out" "$sales" > /dev/null 2> "$T/race-err.$i" &
    pids="$pids $!"
done
rcs=""
for p in $pids; do wait "$p"; rcs="$rcs$? "; done
t_eq "report swap: six runs at once: each fails on its own month, not on the lock" \
    "$rcs $(cat "$T"/race-err.* | grep -c 'no line in the period')" "1 1 1 1 1 1  6"
t_eq "report swap: ... never two holding the lock" "$(cat "$T/overlap")" ""
t_eq "report swap: ... the dead run's work folder removed" \
    "$(ls -A "$out" | tr '\n' ' ')" ".cl-report.lock .lock "

# A SIGTERM while steps run beside each other (charts that do not end):
# the run exits 1 and leaves no process behind, neither the steps nor what
# runs them, and no work folder.
bin="$T/bin-kill"
suite_beside "$bin"
rm "$bin/cl-plot"
{
    echo '#!/bin/sh'
    echo "echo \$\$ >> \"$T/plots\""
    echo 'exec sleep 60'
} > "$bin/cl-plot"
chmod +x "$bin/cl-plot"
out="$T/kill"
"$bin/cl-report" --quiet --month 2011-11 -o "$out" "$sales" > /dev/null 2>&1 &
report=$!
i=0
while [ ! -s "$T/plots" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3       # (the recipe waiting for a core, or going on beside the chart)
kill -s TERM "$report"
wait "$report"
t_eq "report swap: SIGTERM while charts run: exit 1" "$?" "1"
left=""
for p in $(cat "$T/plots"); do
    kill -0 "$p" 2>/dev/null && { left="$left $p"; kill "$p"; }
done
t_eq "report swap: ... no chart left running" "$left" ""
left=""
if [ -d /proc/self ]; then
    for p in /proc/[0-9]*; do
        case $(readlink "$p/cwd" 2>/dev/null) in
            "$out/.cl-report-$report"*) left="$left ${p#/proc/}" ;;
        esac
    done
fi
t_eq "report swap: ... nor what ran them" "$left" ""
t_eq "report swap: ... no work folder" "$(ls -A "$out" | tr '\n' ' ')" ".cl-report.lock "
