# cl-report's options passed through to the programs, each meaning what it
# means in them (docs/options.md): --excel (the folder's CSVs also in the
# programs' --excel dialect, in excel/, compared with the programs' own
# --excel output), --asof (recency from that day, in every roll-up, against
# a day count made here), --lang for every program that writes words (each
# call logged by a wrapper), --quiet and --verbose.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"
metric() { awk -F, -v m="$2" '$1 == m { print $2; exit }' "$1"; }
# col FILE NAME ID: the cell of column NAME on the row whose first cell is ID
col() {
    awk -F, -v n="$2" -v id="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
        $1 == id { print $c; exit }' "$1"
}
# days A B: days from date A to date B, by Python's calendar (not ours)
days() { python3 -c "import datetime as d, sys; a, b = (d.date.fromisoformat(x) for x in sys.argv[1:]); print((b - a).days)" "$1" "$2"; }

# ---- --excel: the page from plain CSVs, excel/ for spreadsheets
t_run "report options: a report" 0 cl-report --quiet --month 2011-11 -o "$T/plain" "$sales"
t_run "report options: --excel" 0 cl-report --quiet --excel --month 2011-11 -o "$T/xl" "$sales"
p="$T/plain/2011-11" x="$T/xl/2011-11"
t_eq "report options: no excel/ without --excel" "$(ls -d "$p/excel" 2>/dev/null)" ""
t_eq "report options: no step's .err file left in the folder" "$(ls "$p" | grep '\.err$')" ""
grep -v '^<li><a href="excel">excel</a> — ' "$x/index.html" > "$T/xl-page.html"
t_file_eq "report options: --excel, the same page but excel/ in its file list" \
    "$T/xl-page.html" "$p/index.html"
t_eq "report options: ... which names excel/ once" \
    "$(grep -c '^<li><a href="excel">excel</a> — ' "$x/index.html")" 1
same=1
for f in "$p"/*.csv; do cmp -s "$f" "$x/${f##*/}" || same="${f##*/} differs"; done
t_eq "report options: --excel, the folder's CSVs are the same plain CSVs" "$same" "1"
t_eq "report options: ... and excel/ has each of them" "$(cd "$x/excel" && ls | tr '\n' ' ')" \
    "$(cd "$p" && ls *.csv | tr '\n' ' ')"
# each as the program that made it writes it with --excel
cl-rollup --excel --month 2011-11 --asof 2011-12-01 -o "$T/rollup-xl.csv" "$sales" 2>/dev/null
t_file_eq "report options: excel/rollup.csv is cl-rollup --excel's" "$x/excel/rollup.csv" "$T/rollup-xl.csv"
cl-page --copy raw -o "$T/rollup.csv" "$p/rollup.csv"
cl-pareto --excel -o "$T/pareto-xl.csv" "$T/rollup.csv"
t_file_eq "report options: excel/pareto.csv is cl-pareto --excel's" "$x/excel/pareto.csv" "$T/pareto-xl.csv"
cl-pareto --excel --summary -o "$T/summary-xl.csv" "$T/rollup.csv"
t_file_eq "report options: excel/summary.csv is cl-pareto --excel's" "$x/excel/summary.csv" \
    "$T/summary-xl.csv"
t_eq "report options: excel/figures.csv: ';', decimal comma, CRLF" \
    "$(grep -a '^revenue;' "$x/excel/figures.csv" | tr '\r' '#')" "revenue;59144,86#"
t_eq "report options: ... the BOM" "$(head -c 3 "$x/excel/figures.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
# a hostile id: neutralised as cl-rollup --excel does, on the page's side left plain
{
    cat "$sales"
    printf '%s\n' "581001,22356,BAG,2,2011-11-03 10:00,1.25,=1+2,France"
} > "$T/hostile.csv"
t_run "report options: --excel, a hostile id" 0 cl-report --quiet --excel --month 2011-11 \
    -o "$T/xh" "$T/hostile.csv"
cl-rollup --excel --month 2011-11 --asof 2011-12-01 -o "$T/h-xl.csv" "$T/hostile.csv" 2>/dev/null
t_file_eq "report options: ... excel/rollup.csv is cl-rollup --excel's" "$T/xh/2011-11/excel/rollup.csv" \
    "$T/h-xl.csv"
t_grep "report options: ... the id behind an apostrophe" "'=1+2" "$T/xh/2011-11/excel/rollup.csv"
t_run "report options: --excel takes no value" 2 cl-report --excel=yes -o "$T/z" "$sales"

# ---- --asof: recency from that day in the period's roll-up and the history
t_run "report options: --asof" 0 cl-report --quiet --asof 2011-12-15 --month 2011-11 -o "$T/asof" "$sales"
a="$T/asof/2011-11"
t_eq "report options: --asof in figures.csv" "$(metric "$a/figures.csv" asof)" "2011-12-15"
id=$(sed -n 2p "$a/rollup.csv" | cut -d, -f1)
last=$(col "$a/rollup.csv" last_date "$id")
t_eq "report options: ... the period's recency counts from it" "$(col "$a/rollup.csv" recency_days "$id")" \
    "$(days "$last" 2011-12-15)"
id=$(sed -n 2p "$a/history.csv" | cut -d, -f1)
last=$(col "$a/history.csv" last_date "$id")
t_eq "report options: ... and the history's" "$(col "$a/history.csv" recency_days "$id")" \
    "$(days "$last" 2011-12-15)"
t_eq "report options: ... without it, the day after the period" \
    "$(col "$p/history.csv" recency_days "$id")" "$(days "$last" 2011-12-01)"
t_run "report options: --asof=DATE" 0 cl-report --quiet --asof=2011-12-15 --month 2011-11 \
    -o "$T/asof2" "$sales"
t_file_eq "report options: ... the same" "$T/asof2/2011-11/history.csv" "$a/history.csv"
t_run "report options: --asof before the period's last sale: exit 1" 1 cl-report --quiet \
    --asof 2011-11-15 --month 2011-11 -o "$T/asof3" "$sales"
t_grep "report options: ... cl-rollup says why" "--asof 2011-11-15 is before the last sale kept" "$T/err"
t_eq "report options: ... no folder" "$(ls "$T/asof3")" ""
t_run "report options: --asof not a date: exit 2" 2 cl-report --asof 2011-13-01 -o "$T/z" "$sales"
t_grep "report options: ... says so" "--asof: '2011-13-01' is not a date YYYY-MM-DD" "$T/err"

# ---- the history: rolled up beside the period, or the period's own roll-up
# copied when the period starts on or before the first sale (the sales start
# on 2011-10-02); either way what cl-rollup --to gives alone, and the whole
# file's counts what cl-rollup --stats gives
cl-rollup --to 2011-11-30 --asof 2011-12-01 -o "$T/hist-alone.csv" "$sales" 2> /dev/null
cl-rollup --stats "$T/all-alone.csv" -o "$T/all-rollup.csv" "$sales" 2> /dev/null
for from in 2011-10-02 2011-10-03; do
    t_run "report options: --from $from --to 2011-11-30" 0 cl-report --quiet --from "$from" \
        --to 2011-11-30 -o "$T/hist" "$sales"
    h="$T/hist/${from}_2011-11-30"
    t_file_eq "report options: ... history.csv as cl-rollup --to alone" "$h/history.csv" \
        "$T/hist-alone.csv"
    t_file_eq "report options: ... stats-all.csv as cl-rollup --stats" "$h/stats-all.csv" \
        "$T/all-alone.csv"
done
t_file_eq "report options: from the first sale, the period is the history" \
    "$T/hist/2011-10-02_2011-11-30/rollup.csv" "$T/hist-alone.csv"
t_eq "report options: a day later, it is not" \
    "$(cmp -s "$T/hist/2011-10-03_2011-11-30/rollup.csv" "$T/hist-alone.csv" || echo differs)" \
    differs

# ---- --lang for every program that writes words: each call logged
bin="$T/bin"
mkdir -p "$bin"
cp "$CL_BIN/cl-report" "$bin/"
for prog in "$CL_BIN"/cl-*; do
    name=$(basename "$prog")
    [ "$name" = cl-report ] && continue
    printf '#!/bin/sh\nprintf "%%s\\n" "%s $*" >> "%s"\nexec "%s" "$@"\n' \
        "$name" "$T/calls" "$prog" > "$bin/$name"
    chmod +x "$bin/$name"
done
: > "$T/calls"
t_run "report options: --lang fr under CLIENTELE_LANG=en" 0 env CLIENTELE_LANG=en "$bin/cl-report" \
    --quiet --lang fr --month 2011-11 --market "$SAMPLES/market-countries.csv" --segment Country \
    -o "$T/lang" "$sales"
# the programs that take --lang, by their --help
takes=""
for prog in "$CL_BIN"/cl-*; do
    "$prog" --help | grep -q -e '--lang' && takes="$takes $(basename "$prog")"
done
missing=$(while read -r name args; do
    case " $takes " in *" $name "*) ;; *) continue ;; esac
    case " $args " in *" --lang fr "*) ;; *) printf '%s %s\n' "$name" "$args" ;; esac
done < "$T/calls" | head -3)
t_eq "report options: every call of a program with --lang is given --lang fr" "$missing" ""
for name in cl-page cl-plot cl-kmeans cl-workbook cl-clv; do
    t_grep "report options: ... $name was called" "$name " "$T/calls"
done
t_grep "report options: ... the page in French" '<html lang="fr"' "$T/lang/2011-11/index.html"

# ---- --quiet and --verbose
t_run "report options: --quiet, with warnings" 0 cl-report --quiet --month 2011-11 -o "$T/q" "$sales"
t_eq "report options: ... nothing on stdout" "$(cat "$T/out")" ""
t_eq "report options: ... nothing on stderr" "$(cat "$T/err")" ""
t_run "report options: --verbose" 0 cl-report --verbose --month 2011-11 -o "$T/v" "$sales"
t_grep "report options: ... how cl-rollup read the sales (its --verbose)" \
    "cl-rollup: $sales: columns: customer \"CustomerID\"" "$T/err"
t_grep "report options: ... the period" "cl-report: period: 2011-11-01 to 2011-11-30" "$T/err"
cl-report --month 2011-11 -o "$T/n" "$sales" > "$T/n.out" 2> "$T/n.err"
t_eq "report options: ... stdout as without it" "$(sed "s|$T/v|DIR|" "$T/out")" \
    "$(sed "s|$T/n|DIR|" "$T/n.out")"
t_eq "report options: ... nothing on stderr without it" "$(cat "$T/n.err")" ""
t_file_eq "report options: ... the same page" "$T/v/2011-11/index.html" "$T/n/2011-11/index.html"
t_run "report options: --quiet --verbose: exit 2" 2 cl-report --quiet --verbose -o "$T/z" "$sales"
