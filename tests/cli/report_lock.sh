# cl-report's guarantees: a failed run leaves the last good report as it was
# (a broken program midway), a run waits for or refuses a locked folder, a
# stale lock is taken over, two runs at once never mix.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"
out="$T/reports"
report="$out/2011-11"
snapshot() { (cd "$1" && find . -type f | sort | xargs cksum); }

t_run "report lock: a first report" 0 cl-report --quiet --month 2011-11 -o "$out" "$sales"
snapshot "$report" > "$T/before"

# A suite whose cl-plot breaks on the RFM chart, after the CSVs and the
# first charts were written: cl-report uses the programs beside it.
bin="$T/bin"
suite_beside "$bin"
rm "$bin/cl-plot"
cat > "$bin/cl-plot" <<EOF
#!/bin/sh
[ "\$1" = rfm ] && { echo "cl-plot: broken on purpose" >&2; exit 1; }
exec "$CL_BIN/cl-plot" "\$@"
EOF
chmod +x "$bin/cl-plot"
t_run "report lock: a run that fails midway exits 1" 1 "$bin/cl-report" --quiet --month 2011-11 --lang fr -o "$out" "$sales"
t_grep "report lock: the failing program's message" "cl-plot: broken on purpose" "$T/err"
t_grep "report lock: the reason" "cl-report: the rfm chart failed (exit 1); $report left as it was" "$T/err"
snapshot "$report" > "$T/after"
t_file_eq "report lock: the previous report is untouched" "$T/after" "$T/before"
t_eq "report lock: no work folder left, only the lock file" "$(ls -A "$out" | tr '\n' ' ')" ".cl-report.lock 2011-11 "

# A lock held by a live process: stop after --wait seconds, touch nothing.
( exec 9>> "$out/.cl-report.lock"; flock 9; exec sleep 30 ) &
holder=$!
i=0
while flock -n "$out/.cl-report.lock" true && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
echo "$holder" > "$out/.cl-report.lock"
t_run "report lock: a locked folder, --wait 1" 1 cl-report --quiet --wait 1 --month 2011-11 -o "$out" "$sales"
t_grep "report lock: the message names the holder" "another cl-report (pid $holder) is writing to $out" "$T/err"
snapshot "$report" > "$T/after"
t_file_eq "report lock: the report is untouched while locked" "$T/after" "$T/before"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# Two runs at once (English, then French): one waits for the other, and the
# folder ends as one of them wrote it, complete.
cl-report --month 2011-11 --lang en -o "$out" "$sales" > "$T/run1" 2> "$T/err1" &
one=$!
# the second starts once the first holds the lock (its pid is the script's)
i=0
while [ "$(cat "$out/.cl-report.lock" 2>/dev/null)" != "$one" ] && [ $i -lt 300 ]; do
    sleep 0.05; i=$((i + 1))
done
cl-report --month 2011-11 --lang fr -o "$out" "$sales" > "$T/run2" 2> "$T/err2" &
two=$!
wait "$one"; rc1=$?
wait "$two"; rc2=$?
t_eq "report lock: two runs at once, both succeed" "$rc1 $rc2" "0 0"
t_grep "report lock: the second run waited for the first" "is locked by pid $one; waiting up to 300 s" "$T/err2"
t_eq "report lock: no work folder left after both" "$(ls -A "$out" | tr '\n' ' ')" ".cl-report.lock 2011-11 "
lang=$(sed -n 's/.*<html lang="\([a-z]*\)">.*/\1/p' "$report/index.html")
t_eq "report lock: the winner's page and charts agree" \
    "$(grep -c "$( [ "$lang" = fr ] && printf 'Pareto\342\200\257: chiffre' || echo 'Pareto: revenue')" "$report/index.html")" 1
t_eq "report lock: the file list is complete" "$(snapshot "$report" | awk '{ print $3 }' | tr '\n' ' ')" \
    "$(awk '{ print $3 }' "$T/before" | tr '\n' ' ')"
