# cl-rollup --also summary=FILE: the whole file's counts, from the pass of
# another period, byte for byte what `cl-rollup --summary` (the same input
# options, no period) writes: lines before and after the period, a period
# that holds every day, --also periods (the widest one's table extended),
# --where, --group, a prescriber column, credit notes and orders across the
# period's bounds, long order ids, both readers (--threads 1 and 2), a pipe,
# a late non-UTF-8 byte; the period's own outputs and messages unchanged.
. "$CL_TESTS/lib.sh"

# ~6,000 lines over 2011-2012: orders of three lines on three dates (some
# across a period's bounds), credit notes, long order ids, unusable numbers,
# lines without a customer, a placeholder date far from the others.
awk 'BEGIN {
    print "invoice,customer,date,quantity,amount,cost,shop,ref"
    for (i = 1; i <= 6000; i++) {
        d = sprintf("%04d-%02d-%02d", 2011 + int(i / 7) % 2, 1 + (i * 7) % 12, 1 + (i * 13) % 28)
        c = "C" (int(i / 3) * 31) % 211        # one client per order, mostly
        if (i % 5 == 0) c = "X" i % 400        # clients seen in few months
        a = sprintf("%d.%02d", (i * 17) % 300, i % 100)
        if (i % 11 == 0) a = "-" a              # credit notes
        if (i % 53 == 0) a = "n/a"
        if (i % 307 == 0) c = ""
        if (i == 4321) d = "9999-12-31"
        inv = "I" int(i / 3)
        if (i % 4 == 0) inv = "LONG-INVOICE-" int(i / 3)
        doc = i % 3 == 0 ? "" : "D" i % 17
        print inv "," c "," d "," (i % 5 + 1) "," a "," (i % 7) ".5,S" i % 4 "," doc
    }
}' > "$T/sales.csv"
# a copy whose last line is not UTF-8 (the run starts again, transcoded)
cp "$T/sales.csv" "$T/latin.csv"
printf 'I9,C1,2012-06-10,1,2.50,1.5,S\351,D1\n' >> "$T/latin.csv"

# same NAME FILE HOW THREADS OPTIONS...: --also summary against --summary
# alone (same options, no period), and the period's outputs and messages
# against the same run without --also summary
same() {
    name=$1 f=$2 how=$3 n=$4
    shift 4
    rm -rf "$T/a" "$T/b"; mkdir "$T/a" "$T/b"
    feed() { if [ "$how" = pipe ]; then cat "$f"; fi; }
    if [ "$how" = pipe ]; then src=-; else src=$f; fi
    where=""
    [ -n "${WHERE-}" ] && where="--where $WHERE"
    (cd "$T/a" &&
     feed | cl-rollup --threads $n $where $COLS --summary -o summary.csv "$src" 2> summary.err
     feed | cl-rollup --threads $n $where $COLS "$@" --stats stats.csv --rejects rejects.csv \
        -o rollup.csv "$src" 2> err; echo $? > rc)
    (cd "$T/b" &&
     feed | cl-rollup --threads $n $where $COLS "$@" --stats stats.csv --rejects rejects.csv \
        -o rollup.csv --also summary=summary.csv "$src" 2> all.err; echo $? > rc
     grep -v '^cl-rollup: --also summary: ' all.err > err
     sed -n 's/^cl-rollup: --also summary: /cl-rollup: /p' all.err > summary.err)
    bad=""
    for x in rc summary.csv rollup.csv stats.csv rejects.csv err; do
        cmp -s "$T/a/$x" "$T/b/$x" || bad="$bad $x"
    done
    # the summary's own messages: the whole file's dates far from the others
    grep ' is far outside the other dates ' "$T/a/summary.err" > "$T/a/dates.err"
    cmp -s "$T/a/dates.err" "$T/b/summary.err" || bad="$bad dates"
    t_eq "rollup --also summary: = --summary ($name, $how, $n threads)" "$bad" ""
}

COLS="--customer customer --cost cost"
for how in file pipe; do
    for n in 1 2; do
        same "a month: lines before and after" "$T/sales.csv" $how $n --month 2012-06
        same "the history: lines after" "$T/sales.csv" $how $n --to 2012-06-30
        same "lines before only" "$T/sales.csv" $how $n --from 2011-06-01
        same "every day in the period" "$T/sales.csv" $how $n --from 1900-01-01
        same "--also periods, the widest extended" "$T/sales.csv" $how $n --month 2012-06 \
            --also ..2012-06-30=$T/h.csv --also-stats 2012-05-01..2012-05-09=$T/s.csv
    done
done
same "a late non-UTF-8 byte" "$T/latin.csv" file 2 --month 2012-06 --also ..2012-06-30=$T/h.csv
same "a late non-UTF-8 byte" "$T/latin.csv" file 1 --month 2012-06
WHERE="shop!=S1"
same "--where" "$T/sales.csv" file 2 --month 2012-06 --also ..2012-06-30=$T/h.csv
same "--where" "$T/sales.csv" pipe 1 --from 2011-06-01
WHERE=""
COLS="--customer customer --group shop"
same "--group" "$T/sales.csv" file 2 --month 2012-06
same "--group" "$T/sales.csv" file 1 --month 2012-06
COLS="--customer customer --prescriber ref"
same "a prescriber column" "$T/sales.csv" file 2 --month 2012-06 --also ..2012-06-30=$T/h.csv
same "a prescriber column" "$T/sales.csv" pipe 1 --month 2012-06

# the runs compared are not vacuous: customers and orders (with a purchase
# line) of the whole file against awk's count, and the month's table alone
# holds fewer of each
COLS="--customer customer --cost cost"
cl-rollup $COLS --month 2012-06 --also summary="$T/sum.csv" -o "$T/m.csv" --stats "$T/ms.csv" \
    "$T/sales.csv" 2> /dev/null
metric() { awk -F, -v m="$2" '$1 == m { print $2; exit }' "$1"; }
awk -F, 'NR > 1 && $2 != "" && $3 ~ /^[0-9][0-9][0-9][0-9]-/ && $4 ~ /^[0-9]+$/ &&
         $5 ~ /^-?[0-9.]+$/ {
        c[$2] = 1; if ($5 + 0 >= 0) o[$2 SUBSEP $1] = 1 }
    END { for (k in c) nc++; for (k in o) no++; print nc, no }' "$T/sales.csv" > "$T/awk.txt"
t_eq "rollup --also summary: customers and orders as awk counts them" \
  "$(metric "$T/sum.csv" customers) $(metric "$T/sum.csv" orders)" "$(cat "$T/awk.txt")"
t_eq "rollup --also summary: more than the month's" \
  "$([ "$(metric "$T/sum.csv" customers)" -gt "$(metric "$T/ms.csv" customers)" ] && echo yes)" yes

# with the outputs of --summary: the dialect and the workbook as the others
t_run "rollup --also summary: --excel" 0 cl-rollup $COLS --excel --month 2012-06 \
  --also summary="$T/x.csv" -o "$T/xr.csv" "$T/sales.csv"
cl-rollup $COLS --excel --summary -o "$T/xs.csv" "$T/sales.csv" 2> /dev/null
t_file_eq "rollup --also summary --excel: the spreadsheet dialect of --summary" "$T/x.csv" \
  "$T/xs.csv"

# usage
t_run "rollup --also summary: given twice" 2 cl-rollup --also summary=a.csv \
  --also summary=b.csv "$T/sales.csv"
t_eq "rollup --also summary: says so" "$(head -1 "$T/err")" \
  "cl-rollup: --also: summary is given twice"
t_run "rollup --also summary: not with --partial" 2 cl-rollup --partial --also summary=a.csv \
  "$T/sales.csv"
t_grep "rollup --also summary: says why" 'summary=FILE goes with a roll-up of sales lines' \
  "$T/err"
t_run "rollup --also summary: an empty period is still an error" 1 cl-rollup $COLS \
  --month 2010-01 --also summary="$T/none.csv" "$T/sales.csv"
t_eq "rollup --also summary: no half-written file" "$(ls "$T"/none.csv 2>&1 | grep -c 'No such')" \
  "1"
