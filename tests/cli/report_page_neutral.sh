# cl-report's CSVs made safe for spreadsheets (cl-page --copy neutral
# --if-changed, in two runs, into .neutral/ until the page is written): on
# sales whose ids and descriptions start with = @ + - and a tab, the
# folder's files are cl-rollup's own outputs made safe by the rule written
# out here in Python (not our code), a file with no cell to change is the
# program's bytes, nothing of the copies is left in the folder, and a copy
# that fails stops the report naming its file, as one run a file did.
. "$CL_TESTS/lib.sh"

# neutral IN OUT: the rule of cl-page --copy neutral, by Python's csv
# module (tests/cli/neutral_rule.py)
neutral() { python3 "$CL_TESTS/cli/neutral_rule.py" "$1" "$2"; }

# the sample's sales, a description in 7 and a customer id in 11 made
# hostile, and rejected lines (a quantity not a number) with hostile
# descriptions
python3 - "$SAMPLES/sales.csv" > "$T/sales.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
bad = ['=1+2', '@SUM(A1)', '+cmd', '-x', '\tTAB', '-', '+', '-5', '=HYPERLINK("x")']
out = csv.writer(sys.stdout, lineterminator='\n')
out.writerow(rows[0])
for i, r in enumerate(rows[1:]):
    if i % 7 == 0:
        r[2] = bad[i // 7 % len(bad)] + ' ' + r[2]
    if i % 11 == 0:
        r[6] = bad[i // 11 % len(bad)] + str(i)
    out.writerow(r)
for i, d in enumerate(['=danger', '@x', '+y', '-z', '\tq', 'ok "quoted"']):
    out.writerow(['58200%d' % i, '22356', d, 'abc', '2011-11-03 10:00', '1.25', '12345.0', 'France'])
PY
t_run "report neutral: hostile ids and descriptions" 0 cl-report --quiet --month 2011-11 \
    -o "$T/r" "$T/sales.csv"
d="$T/r/2011-11"
cl-rollup --month 2011-11 --asof 2011-12-01 --stats "$T/stats.csv" --rejects "$T/rejects.csv" \
    -o "$T/rollup.csv" "$T/sales.csv" 2> /dev/null
neutral "$T/rollup.csv" "$T/rollup-n.csv"
neutral "$T/rejects.csv" "$T/rejects-n.csv"
t_eq "report neutral: ... ids to neutralise in the roll-up" \
    "$(grep -c "^\"'[=@+-]" "$d/rollup.csv")" "$(grep -c "^\"'[=@+-]" "$T/rollup-n.csv")"
t_eq "report neutral: ... (some)" "$(grep -c "^\"'=" "$d/rollup.csv" | grep -c '^0$')" 0
t_file_eq "report neutral: ... rollup.csv is cl-rollup's, made safe by Python's rule" \
    "$d/rollup.csv" "$T/rollup-n.csv"
t_file_eq "report neutral: ... rejects.csv too (descriptions, quotes)" \
    "$d/rejects.csv" "$T/rejects-n.csv"
t_file_eq "report neutral: ... stats.csv, no cell to change, cl-rollup's bytes" \
    "$d/stats.csv" "$T/stats.csv"
t_eq "report neutral: ... nothing of the copies left in the folder" "$(ls -A "$d" | grep -c '^\.')" 0
t_eq "report neutral: ... nor beside it" "$(ls -A "$T/r" | grep -vc -e '^2011-11$' -e '^.cl-report.lock$')" 0
# the page read the files as the programs wrote them: made again from the
# finished folder (read back without the apostrophes), the same page
cl-page -o "$T/again.html" "$d"
t_file_eq "report neutral: ... the page again from the finished folder, the same" \
    "$T/again.html" "$d/index.html"

# ---- a copy that fails: the report stops naming it, the last report kept
mkdir "$T/bin"
for p in "$CL_BIN"/*; do ln -s "$p" "$T/bin/"; done
cp "$CL_BIN/cl-report" "$T/bin/cl-report.tmp" && mv "$T/bin/cl-report.tmp" "$T/bin/cl-report"
rm "$T/bin/cl-page"
cat > "$T/bin/cl-page" <<X
#!/bin/sh
# cl-page, failing for a copy of rfm.csv
case " \$* " in
    *" --copy neutral "*" rfm.csv "*|*" --copy neutral "*" rfm.csv")
        echo "cl-page: rfm.csv: a failure for the test" >&2; exit 1 ;;
esac
exec "$CL_BIN/cl-page" "\$@"
X
chmod +x "$T/bin/cl-page"
t_run "report neutral: a copy fails" 1 "$T/bin/cl-report" --quiet --month 2011-11 -o "$T/r" \
    "$T/sales.csv"
t_eq "report neutral: ... said in its words, named, the report left as it was" "$(cat "$T/err")" \
    "cl-page: rfm.csv: a failure for the test
cl-report: rfm.csv, made safe for spreadsheets failed (exit 1); $T/r/2011-11 left as it was"
t_file_eq "report neutral: ... the last report kept" "$d/rollup.csv" "$T/rollup-n.csv"
t_eq "report neutral: ... no work folder left" "$(ls -A "$T/r" | tr '\n' ' ')" \
    ".cl-report.lock 2011-11 "
