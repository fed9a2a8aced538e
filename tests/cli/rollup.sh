# cl-rollup: dialects, number and date forms, exact sums, errors, rejects.
. "$CL_TESTS/lib.sh"

# --- the samples: English and French exports give the expected roll-up
t_run "rollup: English sample runs" 0 cl-rollup "$SAMPLES/sales.csv"
t_file_eq "rollup: English sample = expected/rollup.csv" "$T/out" "$SAMPLES/expected/rollup.csv"
t_eq "rollup: rejected lines are counted on stderr" "$(cat "$T/err")" \
  "cl-rollup: 123 of 8244 lines rejected: 123 no customer id (--rejects FILE keeps them)"
t_run "rollup: French spreadsheet export runs" 0 cl-rollup "$SAMPLES/ventes.csv"
t_file_eq "rollup: French export = the same roll-up" "$T/out" "$SAMPLES/expected/rollup.csv"
t_run "rollup: reads stdin" 0 sh -c "cl-rollup - < '$SAMPLES/sales.csv'"
t_file_eq "rollup: stdin = the file" "$T/out" "$SAMPLES/expected/rollup.csv"
if locale -a 2>/dev/null | grep -qi '^fr_FR.utf'; then
  t_run "rollup: under LC_ALL=fr_FR.UTF-8" 0 env LC_ALL=fr_FR.UTF-8 cl-rollup "$SAMPLES/ventes.csv"
  t_file_eq "rollup: the locale changes nothing" "$T/out" "$SAMPLES/expected/rollup.csv"
else
  fail "rollup: no fr_FR.UTF-8 locale on this machine (apt-get install locales; locale-gen)"
fi

# --- a hand-computed case: purchases and returns cancel out exactly
cat > "$T/hand.csv" <<'X'
invoice,customer,date,amount
1,A,2024-01-10,0.1
1,A,2024-01-10,0.2
2,A,2024-01-20,-0.3
3,B,2024-01-15,10
4,B,2024-02-01,5.5
4,B,2024-02-01,4.5
X
t_run "rollup: hand case" 0 cl-rollup "$T/hand.csv"
# A: 0.1+0.2-0.3 = 0 exactly; 3 lines, 1 order (invoice 2 is a credit note:
# a return, not an order), 01-10..01-20; asof = 02-02; 2 days with an order
# (the credit note's too), the first one's revenue 0.1 + 0.2 = 0.3; gross
# 0.3, returned 0.3, rate 1
# B: 20.0, 3 lines, 2 orders, avg 10.00; 2 purchase days, the first 10.0;
# nothing returned
t_eq "rollup: returns cancel to exactly 0, every column as computed by hand" "$(cat "$T/out")" \
"customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue,gross_revenue,returns,return_rate
A,0.0,0,3,1,2024-01-10,2024-01-20,13,10,0.00,2,0.3,0.3,0.3,1.0000
B,20.0,0,3,2,2024-01-15,2024-02-01,1,17,10.00,2,10.0,20.0,0.0,0.0000"

# --- avg_order is rounded once, to the printed decimals: 0.01 / 2 orders is
# 0.005, which rounds half away from zero to 0.01 (and -0.01 / 2 to -0.01);
# 1917.40 / 6 = 319.5666... is 319.57 (rounding to 6 decimals then cutting
# to 2 gave 0.00, -0.00 and 319.56)
cat > "$T/avg.csv" <<'X'
invoice,customer,date,amount
1,A,2024-01-10,0.01
2,A,2024-01-11,0.00
3,B,2024-01-10,-0.01
4,B,2024-01-11,0.00
5,C,2024-01-10,1917.40
6,C,2024-01-11,0
7,C,2024-01-12,0
8,C,2024-01-13,0
9,C,2024-01-14,0
10,C,2024-01-15,0
X
t_run "rollup: averages" 0 cl-rollup "$T/avg.csv"
t_eq "rollup: avg_order rounded half away from zero at the printed decimals" \
  "$(cut -d, -f1,10 "$T/out")" "customer,avg_order
A,0.01
B,-0.01
C,319.57"

# --- dialects: tab, pipe, CRLF, CR only, BOM, quoted newlines, no final newline
expected="customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue
A,12.5,3,2,1,2024-03-01,2024-03-01,1,0,12.50,1,12.5"
printf 'customer\tinvoice\tdate\tquantity\tprice\nA\t1\t2024-03-01\t1\t2.5\nA\t1\t2024-03-01\t2\t5\n' > "$T/tab.csv"
t_run "rollup: tab-separated" 0 cl-rollup "$T/tab.csv"; t_eq "rollup: tab result" "$(cat "$T/out")" "$expected"
printf 'customer|invoice|date|quantity|price\r\nA|1|2024-03-01|1|2.5\r\nA|1|2024-03-01|2|5\r\n' > "$T/pipe.csv"
t_run "rollup: pipe-separated, CRLF" 0 cl-rollup "$T/pipe.csv"; t_eq "rollup: pipe result" "$(cat "$T/out")" "$expected"
printf '\357\273\277customer,invoice,date,quantity,price\rA,1,2024-03-01,1,2.5\rA,1,2024-03-01,2,5' > "$T/cr.csv"
t_run "rollup: CR-only line ends, BOM, no final newline" 0 cl-rollup "$T/cr.csv"; t_eq "rollup: CR result" "$(cat "$T/out")" "$expected"
printf 'customer,note,invoice,date,quantity,price\nA,"two\nlines, and ""quotes""",1,2024-03-01,1,2.5\nA,x,1,2024-03-01,2,5\n' > "$T/quoted.csv"
t_run "rollup: quoted field with newline, comma, quotes" 0 cl-rollup "$T/quoted.csv"; t_eq "rollup: quoted result" "$(cat "$T/out")" "$expected"
printf 'customer;invoice;date;quantity;price\nA;1;01/03/2024;1;2,5\nA;1;01/03/2024 10:15;2;5\n' > "$T/semi.csv"
t_run "rollup: ; with decimal comma and DD/MM/YYYY" 0 cl-rollup "$T/semi.csv"; t_eq "rollup: ; result" "$(cat "$T/out")" "$expected"
printf 'customer,invoice,date,quantity,price\nA,1,03/01/2024,1,2.5\nA,1,03/01/2024,2,5\n' > "$T/us.csv"
t_run "rollup: --date-format %m/%d/%Y" 0 cl-rollup --date-format %m/%d/%Y "$T/us.csv"; t_eq "rollup: US dates result" "$(cat "$T/out")" "$expected"
printf 'client;facture;date;montant\nA;1;2024-03-01;1 234,56\nA;2;2024-03-02;1\302\240000,44\n' > "$T/sp.csv"
t_run "rollup: thousands separated by spaces" 0 cl-rollup "$T/sp.csv"
t_grep "rollup: 1 234,56 + 1 000,44 = 2235.00" "A,2235.00,0,2,2," "$T/out"

# --- columns found by alias, or named; errors name the candidates
printf 'Code Client,N° Facture,Date Facture,Montant\nA,1,2024-03-01,2\n' > "$T/fr.csv"
t_run "rollup: French headers found by alias" 0 cl-rollup "$T/fr.csv"
printf 'customer,client,date,amount\nA,B,2024-03-01,2\n' > "$T/two.csv"
t_run "rollup: two customer columns is an error" 1 cl-rollup "$T/two.csv"
t_eq "rollup: ... naming both" "$(cat "$T/err")" \
  "cl-rollup: $T/two.csv: two columns could be the customer: \"customer\" and \"client\" (name one with --customer)"
t_run "rollup: --customer settles it" 0 cl-rollup --customer client "$T/two.csv"
printf 'who,date,amount\nA,2024-03-01,2\n' > "$T/nocust.csv"
t_run "rollup: no customer column" 1 cl-rollup "$T/nocust.csv"
t_eq "rollup: ... names the columns that exist" "$(cat "$T/err")" \
  "cl-rollup: $T/nocust.csv: no customer column found (name it with --customer; columns: \"who\", \"date\", \"amount\")"
t_run "rollup: --customer with a missing name" 1 cl-rollup --customer nope "$T/hand.csv"
t_eq "rollup: ... says which" "$(cat "$T/err")" \
  "cl-rollup: $T/hand.csv: no column \"nope\" (columns: \"invoice\", \"customer\", \"date\", \"amount\")"

# --- unusable lines: counted, kept with --rejects, fatal with --strict
cat > "$T/bad.csv" <<'X'
customer,invoice,date,amount
A,1,2024-01-10,5
,2,2024-01-10,5
A,3,2024-01-11,abc
A,4,2024-02-30,5
A,5,2024-01-12
B,6,2024-01-12,--
X
t_run "rollup: unusable lines are not fatal" 0 cl-rollup --rejects "$T/rej.csv" "$T/bad.csv"
t_eq "rollup: ... each reason counted" "$(cat "$T/err")" \
  "cl-rollup: 5 of 6 lines rejected: 1 wrong number of fields, 1 no customer id, 1 unusable date (first: line 5, \"2024-02-30\": no such date), 2 unusable amount (first: line 4, \"abc\": not a number)"
t_eq "rollup: ... the rejects file keeps them with line and reason" "$(cat "$T/rej.csv")" \
"customer,invoice,date,amount,line,reason
,2,2024-01-10,5,3,no customer id
A,3,2024-01-11,abc,4,unusable amount
A,4,2024-02-30,5,5,unusable date
A,5,2024-01-12,6,wrong number of fields
B,6,2024-01-12,--,7,unusable amount"
t_run "rollup: --strict stops at the first" 1 cl-rollup --strict "$T/bad.csv"
t_eq "rollup: ... with file and line" "$(cat "$T/err")" "cl-rollup: $T/bad.csv:3: no customer id"
printf 'customer,invoice,date,amount\nA,1,2024-01-10,1\nA,2,2024-01-10,"1,234"\n' > "$T/amb.csv"
t_run "rollup: ambiguous 1,234" 1 cl-rollup "$T/amb.csv"
t_eq "rollup: ... says how to settle it" "$(cat "$T/err")" \
  "cl-rollup: $T/amb.csv:3: amount \"1,234\" is ambiguous: decimal comma or thousands separator? (give --decimal-comma or --decimal-point)"
t_run "rollup: --decimal-point settles it" 0 cl-rollup --decimal-point "$T/amb.csv"
t_grep "rollup: ... 1 + 1234" "A,1235," "$T/out"
printf 'customer,invoice,date,amount\nA,1,05/06/2024,1\nA,2,12/13/2024,1\n' > "$T/mdy.csv"
t_run "rollup: a month over 12 in DD/MM: the column is MM/DD" 0 cl-rollup "$T/mdy.csv"
t_eq "rollup: ... 05/06 is May 6 then, 12/13 December 13" "$(cut -d, -f6,7 "$T/out" | tail -1)" \
  "2024-05-06,2024-12-13"
printf 'customer,invoice,date,amount\nA,1,13/06/2024,1\nA,2,12/13/2024,1\n' > "$T/mixed.csv"
t_run "rollup: a column with both orders" 1 cl-rollup "$T/mixed.csv"
t_eq "rollup: ... says the order cannot be DD/MM" "$(cat "$T/err")" \
  "cl-rollup: $T/mixed.csv:3: date \"12/13/2024\" is not DD/MM/YYYY (month over 12); if the file writes MM/DD/YYYY, give --date-format '%m/%d/%Y'"
printf 'customer,invoice,date,amount\nA,1,2024-01-01,"open\nA,2,2024-01-02,1\n' > "$T/unterminated.csv"
t_run "rollup: unterminated quote" 1 cl-rollup "$T/unterminated.csv"
t_eq "rollup: ... names its line" "$(cat "$T/err")" \
  "cl-rollup: $T/unterminated.csv:2: unterminated quoted field at the end of the file"
printf 'customer,invoice,date,amount\nA,"a\nb",2024-01-01,1\nA,x"y,2024-01-02,1\n' > "$T/stray.csv"
t_run "rollup: a quote inside an unquoted field" 1 cl-rollup "$T/stray.csv"
t_eq "rollup: ... names the physical line after a multi-line field" "$(cat "$T/err")" \
  "cl-rollup: $T/stray.csv:4: malformed CSV: a quote inside an unquoted field, or text after a closing quote"

# --- period, asof, grouping, margin
t_run "rollup: --month" 0 cl-rollup --month 2024-01 "$T/hand.csv"
t_eq "rollup: --month keeps January, asof the day after its last sale" "$(cat "$T/out")" \
"customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue,gross_revenue,returns,return_rate
A,0.0,0,3,1,2024-01-10,2024-01-20,1,10,0.00,2,0.3,0.3,0.3,1.0000
B,10.0,0,1,1,2024-01-15,2024-01-15,6,0,10.00,1,10.0,10.0,0.0,0.0000"
t_run "rollup: --from --to --asof" 0 cl-rollup --from 2024-01-15 --to 2024-01-31 --asof 2024-03-01 "$T/hand.csv"
t_eq "rollup: ... the period and the recency" "$(cut -d, -f1,2,8 "$T/out" | tr '\n' ' ')" \
  "customer,revenue,recency_days A,-0.3,41 B,10.0,46 "
cat > "$T/margin.csv" <<'X'
customer,country,invoice,date,quantity,unit_price,cost
A,FR,1,2024-01-10,2,10.50,7.25
A,FR,1,2024-01-10,-1,10.50,7.25
A,BE,2,2024-01-11,3,1,0.5
X
t_run "rollup: --cost and --group" 0 cl-rollup --group country "$T/margin.csv"
# A/BE: 3 x 1 = 3, margin 3 - 1.5 = 1.5 ; A/FR: 21 - 10.5 = 10.5, margin 10.5 - 7.25 = 3.25
# (the -1 line is a return of 10.50 out of a gross 21.00: rate 0.5)
t_eq "rollup: margin = amount - quantity x cost, per customer and country" "$(cat "$T/out")" \
"customer,country,revenue,margin,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue,first_day_margin,gross_revenue,returns,return_rate
A,BE,3.00,1.50,3,1,1,2024-01-11,2024-01-11,1,0,3.00,1,3.00,1.50,3.00,0.00,0.0000
A,FR,10.50,3.25,1,2,1,2024-01-10,2024-01-10,2,0,10.50,1,10.50,3.25,21.00,10.50,0.5000"

# --- partial aggregates merge to the same bytes, whatever the split and order
head -1 "$SAMPLES/sales.csv" > "$T/h"
tail -n +2 "$SAMPLES/sales.csv" > "$T/body"
split -l 3000 "$T/body" "$T/part."
for p in "$T"/part.*; do cat "$T/h" "$p" > "$p.csv"; cl-rollup --partial "$p.csv" 2>/dev/null; done > "$T/partials"
t_run "rollup: --merge of concatenated partials" 0 cl-rollup --merge "$T/partials"
t_file_eq "rollup: ... equals the single run byte for byte" "$T/out" "$SAMPLES/expected/rollup.csv"
{ head -1 "$T/partials"; grep -v '^customer,' "$T/partials" | sort -r; } > "$T/shuffled"
t_run "rollup: --merge of partial lines in another order" 0 cl-rollup --merge "$T/shuffled"
t_file_eq "rollup: ... still equal" "$T/out" "$SAMPLES/expected/rollup.csv"

# --- output: atomic files, write errors, readers that go away
t_run "rollup: -o writes the file" 0 cl-rollup -o "$T/r.csv" "$T/hand.csv"
t_eq "rollup: ... and nothing on stdout" "$(cat "$T/out")" ""
t_grep "rollup: ... the file is complete" "B,20.0," "$T/r.csv"
t_run "rollup: a failing run keeps no output file" 1 cl-rollup -o "$T/fail.csv" --strict "$T/bad.csv"
t_eq "rollup: ... no file, no temporary" "$(ls "$T" | grep -c '^fail')" "0"
t_run "rollup: unwritable output folder" 1 cl-rollup -o /nonexistent/x.csv "$T/hand.csv"
t_eq "rollup: ... says so" "$(cat "$T/err")" "cl-rollup: cannot write /nonexistent/x.csv: No such file or directory"
if [ -w /dev/full ]; then
  t_run "rollup: a full disk is an error" 1 sh -c "cl-rollup '$SAMPLES/sales.csv' > /dev/full"
  t_grep "rollup: ... with the reason" "write error: No space left on device" "$T/err"
fi
t_run "rollup: a reader that goes away" 0 sh -c "cl-rollup '$SAMPLES/sales.csv' 2>'$T/pipe-err' | head -1 >/dev/null"
t_eq "rollup: ... ends the run quietly" "$(grep -v 'lines rejected' "$T/pipe-err")" ""

# --- usage
t_run "rollup: --help" 0 cl-rollup --help
t_grep "rollup: --help starts with Usage" "Usage: cl-rollup" "$T/out"
t_run "rollup: --version" 0 cl-rollup --version
t_run "rollup: unknown option is a usage error" 2 cl-rollup --bogus
t_grep "rollup: ... with the hint" "Try 'cl-rollup --help'." "$T/err"
t_run "rollup: --month 2024-13" 2 cl-rollup --month 2024-13 "$T/hand.csv"
t_run "rollup: no such file" 1 cl-rollup "$T/none.csv"
t_eq "rollup: ... says so" "$(cat "$T/err")" "cl-rollup: $T/none.csv: No such file or directory"
: > "$T/empty.csv"
t_run "rollup: empty file" 1 cl-rollup "$T/empty.csv"
t_eq "rollup: ... says so" "$(cat "$T/err")" "cl-rollup: $T/empty.csv: empty file (a header line was expected)"

# --- the parallel path over regular files gives the sequential result
for n in 2 3 5; do
  t_run "rollup: --threads $n" 0 cl-rollup --threads $n "$SAMPLES/sales.csv"
  t_file_eq "rollup: --threads $n = one thread, byte for byte" "$T/out" "$SAMPLES/expected/rollup.csv"
  t_eq "rollup: --threads $n counts the same rejects" "$(cat "$T/err")" \
    "cl-rollup: 123 of 8244 lines rejected: 123 no customer id (--rejects FILE keeps them)"
done
# empty dates from the first quarter of the file on: every one rejected at
# any thread count (a range starting on one read it as 1970-01-01 while no
# date was remembered yet, and the lines after it too)
awk 'BEGIN { print "invoice,customer,date,amount"
  for (i = 1; i <= 3000; i++) printf "%d,C%d,2024-01-%02d,1.5\n", i, i % 50, 1 + i % 28
  for (i = 3001; i <= 12000; i++) printf "%d,C%d,,2.5\n", i, i % 50 }' > "$T/empty-dates.csv"
for n in 1 2 3; do
  t_run "rollup: empty dates, --threads $n" 0 cl-rollup --threads $n "$T/empty-dates.csv"
  t_eq "rollup: ... every one rejected" "$(cat "$T/err")" \
    "cl-rollup: 9000 of 12000 lines rejected: 9000 unusable date (first: line 3002, \"\": empty) (--rejects FILE keeps them)"
  [ $n = 1 ] && cp "$T/out" "$T/empty-dates-1.csv"
  t_file_eq "rollup: ... the same roll-up as one thread" "$T/out" "$T/empty-dates-1.csv"
  # with --rejects the chunks go to whichever worker is free: the result
  # depended on timing
  t_run "rollup: empty dates, --rejects, --threads $n" 0 cl-rollup --threads $n \
    --rejects "$T/empty-dates-rej.csv" "$T/empty-dates.csv"
  t_eq "rollup: ... every one in the rejects file" "$(wc -l < "$T/empty-dates-rej.csv")" 9001
  t_file_eq "rollup: ... the same roll-up" "$T/out" "$T/empty-dates-1.csv"
done
# quoted fields with line ends everywhere: the ranges may start inside one,
# which the workers detect; the result must not change
awk 'NR == 1 { print "note," $0; next } { printf "\"multi\nline, \"\"%d\"\"\",%s\n", NR, $0 }' \
  "$SAMPLES/sales.csv" > "$T/multiline.csv"
t_run "rollup: multi-line quoted fields, 4 threads" 0 cl-rollup --threads 4 "$T/multiline.csv"
t_file_eq "rollup: ... same roll-up" "$T/out" "$SAMPLES/expected/rollup.csv"
# a malformed line deep in a file read in parallel: the same message as sequentially
{ cat "$SAMPLES/sales.csv"; echo '999999,X,bad"quote,1,2011-12-09 10:00:00,1.0,12345.0,France'; } > "$T/late-error.csv"
t_run "rollup: an error late in a parallel read" 1 cl-rollup --threads 3 "$T/late-error.csv"
t_eq "rollup: ... names its line" "$(cat "$T/err")" \
  "cl-rollup: $T/late-error.csv:8246: malformed CSV: a quote inside an unquoted field, or text after a closing quote"

# --rejects on the parallel path: each range keeps its rejected rows and
# the true lines are counted after; the same file with one lone CR line end
# (which the scanner leaves to the sequential reader) must give the same rows
grep -v '"' "$SAMPLES/sales.csv" > "$T/unquoted.csv"
awk -F, -v OFS=, 'NR == 1 { print; next }
  NR % 7 == 0 { $6 = "x" $6 } NR % 11 == 0 { $5 = "2011-02-30" }
  NR % 3 == 0 { $3 = "\"multi\nline, " NR "\"" } NR % 13 == 0 { print "" } { print }' \
  "$T/unquoted.csv" > "$T/rejects-par.csv"
{ cat "$T/rejects-par.csv"; printf '1,A,B,1,2011-12-09 10:00:00,1.0,1.0,X\r'
  printf '2,A,B,1,2011-12-09 10:00:00,1.0,1.0,X\n'; } > "$T/rejects-seq.csv"
t_run "rollup: --rejects, sequential reader (a lone CR)" 0 cl-rollup --rejects "$T/rej-seq.csv" \
  "$T/rejects-seq.csv"
cp "$T/err" "$T/err-seq"
for n in 1 2 3 5; do
  t_run "rollup: --rejects, --threads $n" 0 cl-rollup --threads $n --rejects "$T/rej-par.csv" \
    "$T/rejects-par.csv"
  t_file_eq "rollup: ... the same rejects file as the sequential reader" "$T/rej-par.csv" \
    "$T/rej-seq.csv"
  t_eq "rollup: ... the same counts" "$(sed 's/ of [0-9]* lines/ of N lines/' "$T/err")" \
    "$(sed 's/ of [0-9]* lines/ of N lines/' "$T/err-seq")"
done
t_grep "rollup: ... which has rows of every kind" "unusable date" "$T/rej-seq.csv"
grep -v ',,' "$T/late-error.csv" > "$T/late-error-strict.csv"
t_run "rollup: --strict, --threads 3, malformed on the last line" 1 cl-rollup --threads 3 \
  --strict "$T/late-error-strict.csv"
t_eq "rollup: ... names its line as the sequential reader" "$(cat "$T/err")" \
  "cl-rollup: $T/late-error-strict.csv:$(wc -l < "$T/late-error-strict.csv"): malformed CSV: \
a quote inside an unquoted field, or text after a closing quote"
{ cat "$SAMPLES/sales.csv"; echo '999999,X,Y,1,2011-12-09 10:00:00,abc,12345.0,France'; } | \
  grep -v ',,' > "$T/late-reject.csv"
t_run "rollup: --strict, --threads 3, a reject on the last line" 1 cl-rollup --threads 3 \
  --strict "$T/late-reject.csv"
t_eq "rollup: ... named" "$(cat "$T/err")" \
  "cl-rollup: $T/late-reject.csv:$(wc -l < "$T/late-reject.csv"): unusable price \"abc\""

# --- nothing to roll up is an error that says why
printf 'customer,invoice,date,amount\n' > "$T/header-only.csv"
t_run "rollup: header only" 1 cl-rollup "$T/header-only.csv"
t_eq "rollup: ... says there are no data" "$(cat "$T/err")" "cl-rollup: $T/header-only.csv: no data after the header"
t_run "rollup: a period without sales" 1 cl-rollup --month 2020-01 "$T/hand.csv"
t_eq "rollup: ... says so" "$(cat "$T/err")" "cl-rollup: no line in the period (6 lines outside it)"
printf 'customer,invoice,date,amount\n,1,2024-01-01,1\n' > "$T/all-rejected.csv"
t_run "rollup: every line rejected" 1 cl-rollup "$T/all-rejected.csv"
t_eq "rollup: ... counts them, then says so" "$(cat "$T/err")" \
"cl-rollup: 1 of 1 lines rejected: 1 no customer id (--rejects FILE keeps them)
cl-rollup: no usable line"
t_run "rollup: --partial accepts an empty chunk" 0 cl-rollup --partial "$T/header-only.csv"

# --- beyond one machine: GNU parallel splits the file, --merge finishes
if command -v parallel >/dev/null 2>&1; then
  t_run "rollup: parallel --pipe --block 100k -j2 cl-rollup --partial | cl-rollup --merge" 0 sh -c \
    "parallel --will-cite --pipe --header : --block 100k -j2 cl-rollup --partial < '$SAMPLES/sales.csv' 2>/dev/null | cl-rollup --merge"
  t_file_eq "rollup: ... equals the single run byte for byte" "$T/out" "$SAMPLES/expected/rollup.csv"
  t_run "rollup: ... and so does a --by split" 0 sh -c \
    "parallel --will-cite --pipe --header : --block 50k -j2 cl-rollup --partial --group Country < '$SAMPLES/sales.csv' 2>/dev/null | cl-rollup --merge"
  cl-rollup --group Country "$SAMPLES/sales.csv" > "$T/by-country.csv" 2>/dev/null
  t_file_eq "rollup: ... with its --by column" "$T/out" "$T/by-country.csv"
else
  ok "rollup: GNU parallel not installed: the split test is skipped (apt-get install parallel)"
fi

# --- a header ended by a lone CR (an old Mac line end; libcsv's too), the
# rows after it by CRLF: the first reject of each reason named on the line
# the rejects file gives it, read from the file at 1 and 2 threads and from
# a pipe (csvin counts a lone CR as a line end, the range reader did not)
printf 'customer,invoice,date,amount\rA,1,2024-01-05,1\r\nB,2,2024-01-06,x1\r\nC,3,2024-13-01,2\r\nD,4,2024-01-08,3\r\n' > "$T/lone-cr.csv"
for how in "--threads 1 $T/lone-cr.csv" "--threads 2 $T/lone-cr.csv" "- < $T/lone-cr.csv"; do
  t_run "rollup: a header ended by a lone CR ($how)" 0 sh -c "cl-rollup --rejects '$T/lone-cr-rej.csv' $how"
  t_eq "rollup: ... its rejects on lines 3 and 4, said so on stderr ($how)" \
    "$(cut -d, -f5 "$T/lone-cr-rej.csv" | tr '\n' ' ')| $(cat "$T/err")" \
    "line 3 4 | cl-rollup: 2 of 4 lines rejected: 1 unusable date (first: line 4, \"2024-13-01\": no such date), 1 unusable amount (first: line 3, \"x1\": not a number)"
done
