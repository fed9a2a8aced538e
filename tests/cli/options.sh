# One command-line language: every program's --help against docs/options.md
# (both ways, short flags included), the common options on every program,
# and the old spellings of renamed options (same output, one line on stderr).
. "$CL_TESTS/lib.sh"
table="$CL_TESTS/../docs/options.md"

# the table: option<TAB>short<TAB>program (one line per program)
/usr/bin/python3 - "$table" > "$T/table" <<'PY'
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^\| `--([a-z0-9-]+)[^`]*` \| (?:`-([A-Za-z])`)? *\| ([^|]+) \|", line)
    if not m:
        continue
    for prog in m.group(3).split(","):
        prog = prog.strip()
        bare = prog.endswith("*")
        print("%s\t%s\tcl-%s" % (m.group(1), "" if bare else (m.group(2) or ""), prog.rstrip("*")))
PY
sort -u "$T/table" -o "$T/table"
t_eq "options: the table has rows" "$([ "$(wc -l < "$T/table")" -gt 150 ] && echo yes)" "yes"

# a short flag means one thing: one long option per short flag
dups=$(awk -F'\t' '$2 != "" { print $2 "\t" $1 }' "$T/table" | sort -u | cut -f1 | uniq -d |
      tr '\n' ' ')
t_eq "options: each short flag has one meaning in the table" "$dups" ""

: > "$T/help"
for bin in "$CL_BIN"/cl-*; do
    name=$(basename "$bin")
    "$bin" --help > "$T/h.$name" 2>&1 || fail "options: $name --help exits 0"
    # "  -x, --long ARG  text" or "      --long ARG  text"
    sed -n -E 's/^  (-([A-Za-z]), |    )--([a-z0-9-]+).*$/\3\t\2/p' "$T/h.$name" |
        awk -v p="$name" -F'\t' '{ print $1 "\t" $2 "\t" p }' >> "$T/help"
done
sort -u "$T/help" -o "$T/help"
t_eq "options: every option of every --help is in docs/options.md, with its short flag" \
    "$(comm -23 "$T/help" "$T/table" | tr '\t\n' ' ;')" ""
t_eq "options: every row of docs/options.md is in the --help of each program it names" \
    "$(comm -13 "$T/help" "$T/table" | tr '\t\n' ' ;')" ""

# help text in one style: --opt ARG, not --opt=ARG (both are accepted)
for bin in "$CL_BIN"/cl-*; do
    name=$(basename "$bin")
    t_eq "options: $name --help writes --opt ARG" \
        "$(grep -E '^  (-[A-Za-z], |    )--[a-z0-9-]+=' "$T/h.$name" | head -3)" ""
done

# the common options' help comes from one place: the same line everywhere
# (cl-report, a shell script, has its own lines)
for opt in '-d, --delimiter' '--quiet' '-v, --verbose' '-h, --help' '-V, --version' '--excel' \
           '--xlsx' '--strict' '--decimal-comma' '--output-delimiter' '--encoding' '--date' \
           '--amount' '--quantity' '--price' '--credit-prefix' '--date-format' \
           '--keep-spaces' '--rejects'; do
    lines=$(ls "$T"/h.cl-* | grep -v report | xargs cat | grep -F -e "  $opt " -e "      $opt " |
        grep -v -- "$opt=" | sort -u | wc -l)
    t_eq "options: the help line of $opt is the same in every program" "$lines" "1"
done
# --where: the same line in the programs that read sales lines (cl-plot's keeps rows to draw)
t_eq "options: the help line of --where is the same in cl-rollup and cl-cohort" \
    "$(grep -h --no-group-separator -A1 -F '      --where ' "$T/h.cl-rollup" "$T/h.cl-cohort" |
        sort -u | wc -l)" "2"

# -h, -V, --quiet and -v on every program
for bin in "$CL_BIN"/cl-*; do
    name=$(basename "$bin")
    t_run "options: $name -h" 0 "$bin" -h
    t_grep "options: ... prints the usage" "Usage: $name" "$T/out"
    t_run "options: $name -V" 0 "$bin" -V
    t_eq "options: ... prints the version" "$(cut -d' ' -f1-2 "$T/out")" "$name (clientele)"
done
for name in cl-rollup cl-pareto cl-score cl-share cl-kmeans cl-clv cl-plot cl-workbook; do
    case $name in cl-plot) pre=pareto ;; *) pre= ;; esac
    t_run "options: $name --quiet --verbose is a usage error" 2 $name $pre --quiet --verbose
    t_eq "options: ... one line says so" "$(head -1 "$T/err")" "$name: --quiet and --verbose: give one"
done

# --quiet: the counts and notes are gone, the output is the same
cl-rollup "$SAMPLES/sales.csv" > "$T/r1" 2> "$T/e1"
cl-rollup --quiet "$SAMPLES/sales.csv" > "$T/r2" 2> "$T/e2"
t_grep "options: cl-rollup counts its rejects" "123 of 8244 lines rejected" "$T/e1"
t_eq "options: cl-rollup --quiet says nothing" "$(cat "$T/e2")" ""
t_file_eq "options: ... and writes the same" "$T/r2" "$T/r1"
printf 'customer,revenue\na,10\nb,x\nc,5\n' > "$T/bad.csv"
cl-pareto "$T/bad.csv" > /dev/null 2> "$T/e1"
t_grep "options: cl-pareto counts a bad row" "left out" "$T/e1"
t_eq "options: cl-pareto --quiet does not" "$(cl-pareto --quiet "$T/bad.csv" 2>&1 >/dev/null)" ""
t_run "options: cl-pareto --quiet --strict still fails" 1 cl-pareto --quiet --strict "$T/bad.csv"
t_grep "options: ... and says why" "bad.csv:3" "$T/err"

# --verbose: the dialect and the column of each role
r="$SAMPLES/expected/rollup.csv"
cl-pareto -v --value quantity "$r" > /dev/null 2> "$T/v"
t_grep "options: cl-pareto -v names the delimiter" "rollup.csv: delimiter ',' (sniffed)" "$T/v"
t_grep "options: ... and the roles" "customer: customer (column 1, the first); value: quantity (column 3)" "$T/v"
cl-score -v --rfm "$r" > /dev/null 2> "$T/v"
t_grep "options: cl-score -v names the RFM columns" "recency: recency_days (column 8)" "$T/v"
tr , ';' < "$r" > "$T/semi.csv"
cl-kmeans -v -d ';' --k 2 -f revenue,orders "$T/semi.csv" > /dev/null 2> "$T/v"
t_grep "options: cl-kmeans -v says the delimiter was given" "semi.csv: delimiter ';' (given)" "$T/v"
t_grep "options: ... and the features" "feature 2: orders" "$T/v"
cl-share -v "$SAMPLES/market.csv" > /dev/null 2> "$T/v"
t_grep "options: cl-share -v" "market.csv: delimiter ',' (sniffed)" "$T/v"

# --lang: CLIENTELE_LANG is the default, --lang wins, a bad value is a usage error
cl-kmeans --k 2 -f revenue,orders --profiles --lang fr "$r" > "$T/fr" 2>/dev/null
CLIENTELE_LANG=fr cl-kmeans --k 2 -f revenue,orders --profiles "$r" > "$T/env" 2>/dev/null
cl-kmeans --k 2 -f revenue,orders --profiles "$r" > "$T/en" 2>/dev/null
t_file_eq "options: CLIENTELE_LANG=fr is --lang fr" "$T/env" "$T/fr"
t_eq "options: ... whose labels differ from English" "$(cmp -s "$T/en" "$T/fr" && echo same)" ""
CLIENTELE_LANG=fr cl-kmeans --lang en --k 2 -f revenue,orders --profiles "$r" > "$T/en2" 2>/dev/null
t_file_eq "options: --lang en wins over CLIENTELE_LANG" "$T/en2" "$T/en"
LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 cl-kmeans --k 2 -f revenue,orders --profiles "$r" > "$T/loc" 2>/dev/null
t_file_eq "options: LANG and LC_ALL do not change the words" "$T/loc" "$T/en"
CLIENTELE_LANG=de cl-plot pareto "$r" > /dev/null 2> "$T/err"
t_eq "options: CLIENTELE_LANG=de is a usage error" "$(head -1 "$T/err")" \
    "cl-plot: CLIENTELE_LANG: \"de\" is not en or fr"
cl-pareto "$r" > "$T/ranked.csv"
CLIENTELE_LANG=fr cl-plot pareto --script "$T/ranked.csv" > "$T/script" 2>/dev/null
t_grep "options: cl-plot takes CLIENTELE_LANG" "Pareto$(printf '\342\200\257'): chiffre d’affaires par client" "$T/script"
cl-plot pareto --lang fr --script "$T/ranked.csv" > "$T/script-fr" 2>/dev/null
t_file_eq "options: ... the same script as --lang fr" "$T/script" "$T/script-fr"

# old spellings: the same output as the new, one line on stderr
old_new() {   # NAME OLD-COMMAND NEW-COMMAND EXPECTED-LINE
    sh -c "$2" > "$T/old" 2> "$T/olderr"
    sh -c "$3" > "$T/new" 2> "$T/newerr"
    t_file_eq "old spelling: $1 writes what the new one does" "$T/old" "$T/new"
    t_eq "old spelling: $1 says so in one line" "$(diff "$T/newerr" "$T/olderr" | grep '^>' | cut -c3-)" "$4"
}
old_new "cl-rollup --by" "cl-rollup --by Country '$SAMPLES/sales.csv'" \
    "cl-rollup --group Country '$SAMPLES/sales.csv'" \
    "cl-rollup: --by is deprecated: use --group (see NEWS)"
old_new "cl-pareto --by" "cl-pareto --by quantity '$r'" "cl-pareto --value quantity '$r'" \
    "cl-pareto: --by is deprecated: use --value (see NEWS)"
old_new "cl-pareto -b" "cl-pareto -b quantity '$r'" "cl-pareto --value quantity '$r'" \
    "cl-pareto: -b is deprecated: use --value (see NEWS)"
old_new "cl-pareto --key" "cl-pareto --key customer '$r'" "cl-pareto --customer customer '$r'" \
    "cl-pareto: --key is deprecated: use --customer (-c) (see NEWS)"
old_new "cl-pareto -k" "cl-pareto -k customer '$r'" "cl-pareto -c customer '$r'" \
    "cl-pareto: -k is deprecated: use --customer (-c) (see NEWS)"
old_new "cl-pareto -c LIST" "cl-pareto -c 70,90 '$r'" "cl-pareto --cut 70,90 '$r'" \
    "cl-pareto: -c LIST is deprecated: use --cut LIST (-c is now --customer) (see NEWS)"
old_new "cl-pareto -c PERCENTS" "cl-pareto -c 70%,90% '$r'" "cl-pareto --cut 70%,90% '$r'" \
    "cl-pareto: -c LIST is deprecated: use --cut LIST (-c is now --customer) (see NEWS)"
old_new "cl-score --monetary" "cl-score --rfm --monetary quantity '$r'" \
    "cl-score --rfm --value quantity '$r'" "cl-score: --monetary is deprecated: use --value (see NEWS)"
old_new "cl-score -g" "cl-score -g revenue=1 '$r'" "cl-score --grid revenue=1 '$r'" \
    "cl-score: -g is deprecated: use --grid (-g is --group in the suite) (see NEWS)"
old_new "cl-kmeans --revenue" "cl-kmeans --k 2 -f orders --profiles --revenue quantity '$r'" \
    "cl-kmeans --k 2 -f orders --profiles --value quantity '$r'" \
    "cl-kmeans: --revenue is deprecated: use --value (see NEWS)"
old_new "cl-share --revenue" "cl-share --revenue revenue '$SAMPLES/market.csv'" \
    "cl-share --value revenue '$SAMPLES/market.csv'" \
    "cl-share: --revenue is deprecated: use --value (see NEWS)"
cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$SAMPLES/cdnow-sample.csv" \
    > "$T/cal.csv" 2>/dev/null
old_new "cl-clv --by" "cl-clv --by revenue --params '$T/cal.csv'" "cl-clv --value revenue --params '$T/cal.csv'" \
    "cl-clv: --by is deprecated: use --value (see NEWS)"
old_new "cl-clv -p" "cl-clv -p '$T/cal.csv'" "cl-clv --params '$T/cal.csv'" \
    "cl-clv: -p is deprecated: use --params (-p is --previous in the suite) (see NEWS)"
old_new "a deprecation line shows under --quiet too" "cl-pareto --quiet --by quantity '$r'" \
    "cl-pareto --quiet --value quantity '$r'" "cl-pareto: --by is deprecated: use --value (see NEWS)"
t_grep "NEWS lists the old spellings" "--monetary" "$CL_TESTS/../NEWS"

# cl-report: -v, the --quiet/--verbose conflict and CLIENTELE_LANG
t_run "options: cl-report --quiet -v is a usage error" 2 cl-report --quiet -v -o "$T/rep" "$SAMPLES/sales.csv"
t_eq "options: ... one line says so" "$(head -1 "$T/err")" "cl-report: --quiet and --verbose: give one"
t_run "options: cl-report -v" 0 cl-report -v --month 2011-11 -o "$T/rep" "$SAMPLES/sales.csv"
t_grep "options: ... names the columns taken" \
    'cl-report: columns: customer "CustomerID", order "InvoiceNo", date "InvoiceDate", quantity "Quantity", price "UnitPrice"' "$T/err"
t_grep "options: ... and the period" "cl-report: period: 2011-11-01 to 2011-11-30 (recency as of 2011-12-01)" "$T/err"
CLIENTELE_LANG=fr cl-report --quiet --month 2011-11 -o "$T/rep-fr" "$SAMPLES/sales.csv" 2>/dev/null
t_grep "options: cl-report takes CLIENTELE_LANG" '<html lang="fr"' "$T/rep-fr/2011-11/index.html"
t_run "options: cl-report: a bad CLIENTELE_LANG is a usage error" 2 env CLIENTELE_LANG=de \
    cl-report -o "$T/rep" "$SAMPLES/sales.csv"
t_eq "options: ... naming the variable" "$(head -1 "$T/err")" "cl-report: CLIENTELE_LANG: 'de' is not en or fr"

# cl-cohort -o NAME.xlsx writes a workbook (it wrote CSV under that name)
cl-cohort "$SAMPLES/invoices.csv" > "$T/coh.csv" 2>/dev/null
t_run "options: cl-cohort -o NAME.xlsx" 0 cl-cohort -o "$T/coh.xlsx" "$SAMPLES/invoices.csv"
t_eq "options: ... is a zip (xlsx)" "$(head -c 2 "$T/coh.xlsx")" "PK"
/usr/bin/python3 - "$T/coh.xlsx" "$T/coh.csv" > "$T/cmp" 2>&1 <<'PY'
import csv, sys, openpyxl
rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
want = list(csv.reader(open(sys.argv[2])))
def same(x, y):
    if isinstance(x, (int, float)):
        return abs(x - float(y)) <= 1e-9 * max(1.0, abs(x))
    return str(x) == y
bad = [i for i, (a, b) in enumerate(zip(rows, want))
       if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b))]
print(len(rows), len(want), bad[:3])
PY
t_eq "options: ... with the CSV's header, rows and values" "$(cat "$T/cmp")" "$(wc -l < "$T/coh.csv" | tr -d ' ') $(wc -l < "$T/coh.csv" | tr -d ' ') []"

# cl-report --rejects: the whole file's unusable lines, as cl-rollup's hint says
cl-rollup --rejects "$T/rej-rollup.csv" "$SAMPLES/sales.csv" > /dev/null 2>&1
t_run "options: cl-report --rejects" 0 cl-report --quiet --month 2011-11 --rejects "$T/rej.csv" \
    -o "$T/rep-rej" "$SAMPLES/sales.csv"
t_file_eq "options: ... writes what cl-rollup --rejects writes" "$T/rej.csv" "$T/rej-rollup.csv"

# --output-delimiter C: every program that writes CSV. The same table as
# without it, read back by Python's csv module (numbers written with a
# decimal comma when C is ';', the suite's rule of a ';' table), and a
# sibling reads it back to the same result.
cl-rollup --quiet --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 \
    "$SAMPLES/cdnow-sample.csv" > "$T/cal.csv"
same_table() {   # same_table PLAIN OTHER DELIM: "same" or the first difference
    /usr/bin/python3 - "$@" <<'PY'
import csv, re, sys
plain = list(csv.reader(open(sys.argv[1], newline="")))
delim = sys.argv[3]
other = list(csv.reader(open(sys.argv[2], newline=""), delimiter=delim))
def back(cell):
    return cell.replace(",", ".") if delim == ";" and re.fullmatch(r"-?\d+,\d+", cell) else cell
other = [[back(c) for c in row] for row in other]
raw = open(sys.argv[2], "rb").read()
if len(plain) < 2:
    print("no rows")
elif raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw or delim.encode() not in raw.split(b"\n")[0]:
    print("not the plain dialect with", repr(delim))
else:
    diff = [i for i, (a, b) in enumerate(zip(plain, other)) if a != b]
    print("same" if len(plain) == len(other) and not diff else
          "row %s: %s / %s" % (diff[0], plain[diff[0]], other[diff[0]]) if diff else "rows differ")
PY
}
while IFS='|' read -r name cmd; do
    eval "$cmd" > "$T/od-plain.csv" 2>/dev/null
    for d in tab ';' '|'; do
        eval "$cmd --output-delimiter '$d'" > "$T/od-other.csv" 2>/dev/null
        [ "$d" = tab ] && c=$(printf '\t') || c=$d
        t_eq "options: $name --output-delimiter $d" \
            "$(same_table "$T/od-plain.csv" "$T/od-other.csv" "$c")" same
    done
done <<EOF2
cl-rollup|cl-rollup --quiet "$SAMPLES/sales.csv"
cl-cohort|cl-cohort --quiet "$SAMPLES/sales.csv"
cl-pareto|cl-pareto "$SAMPLES/customers.csv"
cl-score|cl-score --rfm "$SAMPLES/customers.csv"
cl-share|cl-share "$SAMPLES/market.csv"
cl-kmeans|cl-kmeans --k 3 --seed 1 "$SAMPLES/customers.csv"
cl-clv|cl-clv --quiet --params "$T/cal.csv"
EOF2
cl-rollup --quiet "$SAMPLES/sales.csv" | cl-pareto > "$T/od-pipe.csv"
for d in tab ';' '|'; do
    cl-rollup --quiet --output-delimiter "$d" "$SAMPLES/sales.csv" | cl-pareto > "$T/od-pipe2.csv"
    t_file_eq "options: cl-pareto reads cl-rollup --output-delimiter $d back" \
        "$T/od-pipe2.csv" "$T/od-pipe.csv"
done
t_run "options: --output-delimiter ',' with --excel" 2 cl-pareto --excel --output-delimiter , \
    "$SAMPLES/customers.csv"
t_eq "options: ... says why" "$(head -1 "$T/err")" \
    "cl-pareto: --output-delimiter ',' with --excel: its decimal comma needs another delimiter"
t_run "options: --excel --output-delimiter tab" 0 cl-share --excel --output-delimiter tab \
    "$SAMPLES/market.csv"
t_eq "options: ... a BOM, tabs, decimal commas, CRLF" \
    "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ') $(sed -n 2p "$T/out" | cut -f1,6) \
$(sed -n 2p "$T/out" | tail -c 2 | od -An -c | tr -d ' ')" "efbbbf Centre	0,125 \r\n"
t_run "options: --output-delimiter with a workbook" 2 cl-score --rfm --output-delimiter tab \
    -o "$T/x.xlsx" "$SAMPLES/customers.csv"
t_eq "options: ... says a workbook has none" "$(head -1 "$T/err")" \
    "cl-score: --output-delimiter is for CSV; a workbook (--xlsx, -o NAME.xlsx) has none"
t_run "options: --output-delimiter x" 2 cl-clv --output-delimiter x "$T/cal.csv"
t_eq "options: ... names the option" "$(head -1 "$T/err")" \
    "cl-clv: --output-delimiter: \"x\" is not a delimiter: , ; | or tab"

# --decimal-comma / --decimal-point in cl-score (its columns read as cl-pareto's):
# "1,234" and "2,000" tell no mark; 12 is the largest with a comma, the smallest without
printf 'customer|revenue|recency_days|orders\nA|1,234|3|2\nB|12|5|1\nC|2,000|1|4\n' > "$T/marks.csv"
t_run "options: cl-score --rfm --decimal-comma" 0 cl-score --rfm --decimal-comma "$T/marks.csv"
t_eq "options: ... B has the largest revenue (m)" "$(cut -d, -f1,7 "$T/out" | tr '\n' ' ')" \
    "customer,m A,1 B,5 C,3 "
t_run "options: cl-score --rfm --decimal-point" 0 cl-score --rfm --decimal-point "$T/marks.csv"
t_eq "options: ... B has the smallest (m)" \
    "$(sed 's/"[^"]*"/x/g' "$T/out" | cut -d, -f1,7 | tr '\n' ' ')" \
    "customer,m A,3 B,1 C,5 "
t_run "options: cl-score without a mark" 0 cl-score --rfm "$T/marks.csv"
t_grep "options: ... leaves the ambiguous rows out" 'revenue "1,234" is ambiguous' "$T/err"
