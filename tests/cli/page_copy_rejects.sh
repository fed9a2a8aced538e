# A rejects file (cl-rollup --rejects: the sales' columns, then line and
# reason) keeps a line rejected for its number of fields with that number:
# its copies made safe for spreadsheets (--copy neutral, --copy excel) keep
# such rows as they are, each cell made safe, where they stopped the copy,
# and with it the whole report. Any other table with a row of another width
# is still refused, naming the line. The expected cells are Python's csv
# module's reading of the rejects file and the page's rule, not our code's.
. "$CL_TESTS/lib.sh"

sales="$T/sales.csv"
{
    cat "$SAMPLES/sales.csv"
    # one field too many, the extra one a formula; one too few
    echo '569999,22138,EXTRA,1,2011-10-02 14:00:00,4.95,15701.0,United Kingdom,"=HYPERLINK(""x"")"'
    echo '569998,22138,SHORT,1,2011-10-02 14:00:00,4.95'
} > "$sales"

t_run "rejects copy: cl-rollup --rejects of lines of other widths" 0 \
    cl-rollup --rejects "$T/rejects.csv" -o "$T/rollup.csv" "$sales"
t_grep "rejects copy: ... the longer line kept with its 9 fields" \
    '"=HYPERLINK(""x"")",8246,wrong number of fields' "$T/rejects.csv"
t_grep "rejects copy: ... the shorter one with its 6" \
    '569998,22138,SHORT,1,2011-10-02 14:00:00,4.95,8247,wrong number of fields' "$T/rejects.csv"

t_run "rejects copy: --copy neutral of it" 0 cl-page --copy neutral -o "$T/neutral.csv" \
    "$T/rejects.csv"
t_run "rejects copy: --copy excel of it" 0 cl-page --copy excel -o "$T/excel.csv" \
    "$T/rejects.csv"

# the reference: each row's cells as Python reads them, a cell a spreadsheet
# could run (= + - @ tab CR first, not a number or a lone sign) given a quote
python3 - "$T" <<'PY' > "$T/check"
import csv, re, sys
t = sys.argv[1]
num = re.compile(r'^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$')
def safe(x):
    if x[:1] in ('=', '+', '-', '@', '\t', '\r') and x not in ('-', '+') and not num.match(x):
        return "'" + x
    return x
src = list(csv.reader(open(f"{t}/rejects.csv", newline='')))
neu = list(csv.reader(open(f"{t}/neutral.csv", newline='')))
exc = list(csv.reader(open(f"{t}/excel.csv", encoding='utf-8-sig', newline=''), delimiter=';'))
print("rows", len(src) == len(neu) == len(exc))
print("neutral", all([safe(c) for c in s] == n for s, n in zip(src, neu)))
print("widths", [len(r) for r in src] == [len(r) for r in exc])
print("excel extra", exc[-2][8] == "'=HYPERLINK(\"x\")")
print("ragged", sorted({len(r) for r in src}))
PY
t_eq "rejects copy: ... every row of the neutral copy, Python's cells made safe" \
    "$(cat "$T/check")" "rows True
neutral True
widths True
excel extra True
ragged [8, 10, 11]"

# any other table: a row of another width is refused, with its line
printf 'customer,revenue\nA,1\nB,2,3\n' > "$T/table.csv"
t_run "rejects copy: a table that is not a rejects file, a longer row" 1 \
    cl-page --copy neutral -o "$T/t.csv" "$T/table.csv"
t_eq "rejects copy: ... is refused naming its line" "$(cat "$T/err")" \
    "cl-page: $T/table.csv:3: 3 fields where the header has 2"
t_eq "rejects copy: ... and no copy" "$(ls "$T" | grep -c '^t\.csv')" "0"

# the report: one line of another width no longer stops it
t_run "rejects copy: cl-report on sales with lines of other widths" 0 \
    cl-report --quiet -o "$T/report" "$sales"
t_grep "rejects copy: ... its rejects.csv holds the longer line, made safe" \
    "\"'=HYPERLINK(\"\"x\"\")\",8246,wrong number of fields" "$T/report/2011-11/rejects.csv"
t_grep "rejects copy: ... and says why the lines were left out" \
    "2 wrong number of fields" "$T/report/2011-11/warnings.txt"
