# cl-rollup --also / --also-stats: several periods rolled up in one pass
# over the input give, byte for byte, what separate runs with --from/--to
# give (outputs, stats, the run's own rejects and messages), on the
# parallel ranges (--threads 2) and the sequential reader (--threads 1),
# from a file and from a pipe; each line's diagnostics come once.
. "$CL_TESTS/lib.sh"

# ~5,000 lines over 2011-2012: unusable numbers in every period (rejected
# only in the periods that hold their date), lines without a customer,
# values rounded, ids with spaces, a placeholder date far from the others.
awk 'BEGIN {
    print "invoice,customer,date,quantity,amount,cost"
    for (i = 1; i <= 5000; i++) {
        d = sprintf("%04d-%02d-%02d", 2011 + int(i / 7) % 2, 1 + (i * 7) % 12, 1 + (i * 13) % 28)
        c = "C" (i * 31) % 97
        a = sprintf("%d.%02d", (i * 17) % 300, i % 100)
        if (i % 53 == 0) a = "n/a"
        if (i % 307 == 0) c = ""
        if (i % 401 == 0) a = "1.1234567"
        if (i % 503 == 0) c = " " c " "
        if (i == 4321) d = "9999-12-31"
        if (i % 89 == 0) print "," c ",,,,"
        q = i % 5 + 1
        if (i % 601 == 0) q = "?"
        print "I" int(i / 3) "," c "," d "," q "," a "," (i % 7) ".5"
    }
}' > "$T/sales.csv"
cp "$T/sales.csv" "$T/big.csv"
for i in 1 2 3 4 5 6 7 8; do tail -n +2 "$T/sales.csv" >> "$T/big.csv"; done

compare() {     # compare NAME FILE THREADS HOW(file|pipe)
    name=$1 f=$2 n=$3 how=$4
    rm -rf "$T/sep" "$T/one"; mkdir "$T/sep" "$T/one"
    if [ "$how" = pipe ]; then src=-; else src=$f; fi
    feed() { if [ "$how" = pipe ]; then cat "$f"; else : ; fi; }
    common="--threads $n --cost cost --asof 2013-01-01"
    (cd "$T/sep" &&
     feed | cl-rollup $common --from 2012-06-01 --to 2012-06-30 --stats stats.csv \
        --rejects rejects.csv -o month.csv "$src" 2> err; echo $? > rc
     feed | cl-rollup $common --to 2012-06-30 --stats history-stats.csv -o history.csv \
        "$src" 2> /dev/null
     feed | cl-rollup $common --from 2012-05-01 --to 2012-05-09 \
        --stats same-days-stats.csv -o same-days.csv "$src" 2> /dev/null
     rm same-days.csv
     feed | cl-rollup $common --from 2011-03-01 --to 2012-12-31 -o later.csv "$src" 2> /dev/null
     feed | cl-rollup $common --from 2011-12-01 --to 2011-12-31 -o dec.csv "$src" 2> /dev/null)
    (cd "$T/one" &&
     feed | cl-rollup $common --from 2012-06-01 --to 2012-06-30 --stats stats.csv \
        --rejects rejects.csv -o month.csv --also ..2012-06-30=history.csv \
        --also-stats ..2012-06-30=history-stats.csv \
        --also-stats 2012-05-01..2012-05-09=same-days-stats.csv \
        --also 2011-03-01..2012-12-31=later.csv \
        --also 2011-12=dec.csv "$src" 2> err; echo $? > rc)
    bad=""
    for x in rc err month.csv stats.csv rejects.csv history.csv history-stats.csv \
             same-days-stats.csv later.csv dec.csv; do
        cmp -s "$T/sep/$x" "$T/one/$x" || bad="$bad $x"
    done
    t_eq "rollup --also: one pass = separate runs ($name, $n threads, $how)" "$bad" ""
}
for how in file pipe; do
    for n in 1 2; do
        compare "small file" "$T/sales.csv" $n $how
        compare "45,000 lines" "$T/big.csv" $n $how
    done
done
# the runs compared did their work: unusable numbers rejected in the month
# and in the history, each counted where its date is (counted here by awk)
count() {   # count DATE-REGEX FIELD VALUE: lines of big.csv with a customer
    awk -F, -v d="$1" -v f="$2" -v v="$3" \
        'NR > 1 && $3 ~ d && $2 !~ /^ *$/ && $f == v { n++ } END { print n + 0 }' "$T/big.csv"
}
month_amount=$(count '^2012-06' 5 n/a)
history_amount=$(count '^(2011-|2012-0[1-6])' 5 n/a)
history_quantity=$(count '^(2011-|2012-0[1-6])' 4 '?')
t_eq "rollup --also: the month's rejected rows are the month's" \
  "$(grep -c ',unusable amount$' "$T/one/rejects.csv")" "$month_amount"
t_eq "rollup --also: the history counts its own rejects" \
  "$(grep -E '^rejected_unusable_(amount|quantity),' "$T/one/history-stats.csv" | tr '\n' ' ')" \
  "rejected_unusable_amount,$history_amount rejected_unusable_quantity,$history_quantity "
t_eq "rollup --also: the data exercise both" \
  "$([ "$month_amount" -gt 0 ] && [ "$history_amount" -gt "$month_amount" ] && echo yes)" "yes"
t_eq "rollup --also: each message once" "$(grep -c 'rounded to 6' "$T/one/err")" "1"

# --strict: a line rejected in any period is the error a run of that period gives
printf 'invoice,customer,date,amount\n1,A,2012-01-05,10\n2,B,2012-02-05,x\n3,A,2012-03-05,5\n' \
  > "$T/strict.csv"
t_run "rollup --also --strict: the history's reject stops the run" 1 \
  cl-rollup --strict --from 2012-03-01 --also ..2012-03-31=$T/h.csv "$T/strict.csv"
t_eq "rollup --also --strict: the same message as the history's run" "$(cat "$T/err")" \
  "cl-rollup: $T/strict.csv:3: unusable amount \"x\""
t_run "rollup --also: the month alone is fine" 0 cl-rollup --strict --from 2012-03-01 "$T/strict.csv"

# usage
t_run "rollup --also: a period that is not one" 2 cl-rollup --also 2012-13=x.csv "$T/strict.csv"
t_grep "rollup --also: says which" 'is not a period' "$T/err"
t_run "rollup --also: an empty period" 2 cl-rollup --also 2012-03-05..2012-03-01=x.csv "$T/strict.csv"
t_run "rollup --also: not with --partial" 2 cl-rollup --partial --also 2012-03=x.csv "$T/strict.csv"
t_run "rollup --also: at most 8 output files" 2 cl-rollup --stats s --rejects r \
  --also 2012-01=a --also 2012-02=b --also 2012-03=c --also 2012-04=d --also 2012-05=e \
  --also 2012-06=f "$T/strict.csv"
t_grep "rollup --also: says so" 'too many output files (9)' "$T/err"
t_run "rollup --also: a period given twice" 2 \
  cl-rollup --also 2012-03=x.csv --also 2012-03=y.csv "$T/strict.csv"
t_run "rollup --also: an empty period is an error, named" 1 \
  cl-rollup --also 2010-01=$T/x.csv "$T/strict.csv"
t_eq "rollup --also: names the period" "$(cat "$T/err")" \
  "cl-rollup: --also 2010-01: no line in the period (3 lines outside it)"
t_eq "rollup --also: no half-written file" "$(ls "$T"/x.csv 2>&1 | grep -c 'No such')" "1"

# --summary: the counts of --stats as the output, byte for byte, with the
# same rejects and messages, and no roll-up written (the --also periods'
# outputs are unchanged); on both readers, from a file and from a pipe
for n in 1 2; do
  for how in file pipe; do
    rm -rf "$T/st" "$T/su"; mkdir "$T/st" "$T/su"
    if [ $how = pipe ]; then src=-; else src="$T/big.csv"; fi
    (cd "$T/st" && cat "$T/big.csv" | cl-rollup --threads $n --cost cost --rejects rejects.csv \
       --stats stats.csv -o rollup.csv --also ..2012-06-30=history.csv "$src" 2> err)
    (cd "$T/su" && cat "$T/big.csv" | cl-rollup --threads $n --cost cost --rejects rejects.csv \
       --summary -o stats.csv --also ..2012-06-30=history.csv "$src" 2> err)
    for x in stats.csv rejects.csv history.csv err; do
      t_file_eq "rollup --summary ($how, --threads $n): $x as with --stats" "$T/su/$x" "$T/st/$x"
    done
    t_eq "rollup --summary ($how, --threads $n): no roll-up written" "$(ls "$T/su")" \
      "$(printf 'err\nhistory.csv\nrejects.csv\nstats.csv')"
  done
done
t_grep "rollup --summary: the counts of a run with rejects" "lines_rejected," "$T/su/stats.csv"
t_grep "rollup --summary: the exact totals" "orders," "$T/su/stats.csv"
# on standard output by default; --merge's counts too
cl-rollup --cost cost --stats "$T/st/s.csv" -o "$T/st/r.csv" "$T/sales.csv" 2> /dev/null
t_run "rollup --summary: to standard output" 0 cl-rollup --cost cost -s "$T/sales.csv"
t_file_eq "rollup --summary: the same bytes" "$T/out" "$T/st/s.csv"
cl-rollup --cost cost --partial -o "$T/st/p.csv" "$T/sales.csv" 2> /dev/null
cl-rollup --merge --stats "$T/st/ms.csv" -o "$T/st/m.csv" "$T/st/p.csv" 2> /dev/null
t_run "rollup --summary --merge" 0 cl-rollup --merge --summary "$T/st/p.csv"
t_file_eq "rollup --summary --merge: the counts of --merge --stats" "$T/out" "$T/st/ms.csv"
# the output's dialect: --excel as for the roll-up (';', decimal comma, BOM, CRLF)
t_run "rollup --summary --excel" 0 cl-rollup --cost cost --summary --excel "$T/sales.csv"
t_eq "rollup --summary --excel: the spreadsheet dialect" \
  "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')$(sed -n 2p "$T/out" | tr -d '\r')" \
  "efbbbflines_read;$(sed -n 2p "$T/st/s.csv" | cut -d, -f2)"
t_run "rollup --summary: not with --stats" 2 cl-rollup --summary --stats x.csv "$T/sales.csv"
t_eq "rollup --summary: says so" "$(head -1 "$T/err")" \
  "cl-rollup: --summary writes the counts of --stats as the output: give one"
t_run "rollup --summary: not with --partial" 2 cl-rollup --summary --partial "$T/sales.csv"
t_eq "rollup --summary: says so (--partial)" "$(head -1 "$T/err")" \
  "cl-rollup: --summary and --partial are two outputs: give one"
