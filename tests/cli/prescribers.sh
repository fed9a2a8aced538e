# cl-rollup and prescribers: the per-client prescriber columns and the
# per-prescriber roll-up, against a hand case and an independent exact
# computation (prescribers_check.py), direct sales, a client who is also a
# prescriber, and the same output through threads and --partial/--merge.
. "$CL_TESTS/lib.sh"
S="$SAMPLES/sales-prescribers.csv"
# pick COL,COL... FILE: those columns, by name (fields without commas), so
# that columns added to the roll-up later change nothing here
pick() {
    awk -F, -v want="$1" 'NR == 1 { n = split(want, w, ","); for (i = 1; i <= NF; i++) h[$i] = i }
        { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? "," : "") (w[i] in h ? $h[w[i]] : "?")
          print line }' "$2"
}

# --- the sample is what its stated rule gives on samples/sales.csv
python3 "$CL_TESTS/../scripts/prescriber-sample" < "$SAMPLES/sales.csv" > "$T/regenerated.csv"
t_file_eq "prescribers: the sample is scripts/prescriber-sample applied to sales.csv" \
  "$T/regenerated.csv" "$S"

# --- a hand case: every figure below was computed by hand
cat > "$T/hand.csv" <<'X'
invoice,customer,date,amount,prescriber
1,A,2024-01-10,10,P1
1,A,2024-01-10,5,
2,A,2024-01-20,20,B
3,B,2024-01-15,100,P1
4,B,2024-02-01,7.5,
5,C,2024-02-01,30,P2
6,C,2024-02-02,-10,P2
7,D,2024-01-12,5,P1
8,D,2024-01-13,-5,
X
t_run "prescribers: hand case, per client" 0 cl-rollup "$T/hand.csv"
# A: 35 in all, 30 through P1 and B (2 prescribers): 30/35 = 0.857142...;
# B: 100 of 107.5 through P1 (0.9302325581...) and prescribed A's 20;
# C: all through P2; D: a net revenue of 0, so no share; asof = 02-03;
# the negative lines (C's 6, D's 8) are returns, not orders
t_eq "prescribers: prescribers, prescription_share, prescribed_revenue as by hand" \
  "$(pick customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,prescribers,prescription_share,prescribed_revenue "$T/out")" \
"customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,prescribers,prescription_share,prescribed_revenue
A,35.0,0,3,2,2024-01-10,2024-01-20,14,10,17.50,2,0.8571428571428571,0.0
B,107.5,0,2,2,2024-01-15,2024-02-01,2,17,53.75,1,0.93023255813953487,20.0
C,20.0,0,2,1,2024-02-01,2024-02-02,1,1,20.00,1,1,0.0
D,0.0,0,2,1,2024-01-12,2024-01-13,21,1,0.00,1,,0.0"
t_eq "prescribers: nothing on stderr per client" "$(cat "$T/err")" ""

t_run "prescribers: hand case, per prescriber" 0 cl-rollup --per-prescriber --stats "$T/stats" \
  "$T/hand.csv"
# P1: A's 10 (order 1), B's 100 (order 3), D's 5 (order 7): 3 clients;
# B (a client too): A's 20; P2: C's 30 in one order, and its return of 10
t_eq "prescribers: the per-prescriber roll-up as by hand" \
  "$(pick prescriber,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,clients "$T/out")" \
"prescriber,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,clients
B,20.0,0,1,1,2024-01-20,2024-01-20,14,0,20.00,1
P1,115.0,0,3,3,2024-01-10,2024-01-15,19,5,38.33,3
P2,20.0,0,2,1,2024-02-01,2024-02-02,1,1,20.00,1"
t_eq "prescribers: the direct sales are counted on stderr, not dropped" "$(cat "$T/err")" \
  "cl-rollup: note: 3 lines without a prescriber (direct sales, revenue 7.5) are in no row"
printf 'customer,date,amount,prescriber\nA,2024-01-10,1,P\nB,2024-01-12,2,\n' > "$T/late.csv"
t_run "prescribers: --asof before the last sale, a direct one" 1 \
  cl-rollup --per-prescriber --asof 2024-01-11 "$T/late.csv"
t_grep "prescribers: ... is an error, as per client" \
  "cl-rollup: --asof 2024-01-11 is before the last sale kept (2024-01-12)" "$T/err"
t_run "prescribers: the default as-of date counts the direct sales" 0 \
  cl-rollup --per-prescriber "$T/late.csv"
t_eq "prescribers: ... P's recency from 2024-01-13" "$(pick prescriber,recency_days "$T/out" | tail -1)" "P,3"
cl-rollup --per-prescriber --stats "$T/stats" "$T/hand.csv" > /dev/null 2>&1
t_eq "prescribers: --stats counts the direct lines and their revenue" \
  "$(grep -E '^(lines_direct|direct_revenue|last_date),' "$T/stats" | tr '\n' ' ')" \
  "last_date,2024-02-02 lines_direct,3 direct_revenue,7.5 "

# the same order id in two clients' names is two orders of the prescriber;
# without an order column a client's day is an order, for the prescriber too
cat > "$T/orders.csv" <<'X'
invoice,customer,date,amount,prescriber
1,A,2024-01-10,1,P
1,B,2024-01-10,2,P
X
t_run "prescribers: an order id shared by two clients" 0 cl-rollup --per-prescriber "$T/orders.csv"
t_eq "prescribers: ... is two orders" "$(pick prescriber,orders,clients "$T/out" | tail -1)" "P,2,2"
cut -d, -f2- "$T/orders.csv" > "$T/days.csv"
t_run "prescribers: no order column" 0 cl-rollup --per-prescriber "$T/days.csv"
t_eq "prescribers: ... two clients on one day are two orders" \
  "$(pick prescriber,orders "$T/out" | tail -1)" "P,2"

# --by: per prescriber and value; a client-prescriber's prescribed revenue
# is read in the same group
cat > "$T/by.csv" <<'X'
customer,date,amount,country,prescriber
A,2024-01-10,10,FR,B
A,2024-01-11,4,DE,B
B,2024-01-12,7,FR,
X
t_run "prescribers: --group, per client" 0 cl-rollup --group country "$T/by.csv"
t_eq "prescribers: --by, prescribed revenue in its own group" \
  "$(pick customer,country,prescribers,prescription_share,prescribed_revenue "$T/out")" \
  "customer,country,prescribers,prescription_share,prescribed_revenue
A,DE,1,1,0
A,FR,1,1,0
B,FR,0,0,10"
t_run "prescribers: --group, per prescriber" 0 cl-rollup --per-prescriber --group country "$T/by.csv"
t_eq "prescribers: --by, one row per prescriber and value" "$(pick prescriber,country,revenue,clients "$T/out")" \
"prescriber,country,revenue,clients
B,DE,4,1
B,FR,10,1"

# the prescriber is an id like the customer's: trimmed the same way (so
# that the same id in both columns is one), a control byte rejects the line
printf 'customer,date,amount,prescriber\nA,2024-01-10,1, B\302\240\nB ,2024-01-11,2,\nC,2024-01-11,4,"X\001"\n' \
  > "$T/spaces.csv"
t_run "prescribers: padded prescriber ids" 0 cl-rollup --stats "$T/stats" "$T/spaces.csv"
t_eq "prescribers: ... trimmed, so that B is the prescriber of A's sale" \
  "$(pick customer,revenue,prescribers,prescription_share,prescribed_revenue "$T/out")" \
  "customer,revenue,prescribers,prescription_share,prescribed_revenue
A,1,1,1,0
B,2,0,0,1"
t_eq "prescribers: ... a control byte in a prescriber rejects the line, trimmed lines counted" \
  "$(grep -E '^(rejected_control_character_in_an_id|ids_trimmed),' "$T/stats" | tr '\n' ' ')" \
  "rejected_control_character_in_an_id,1 ids_trimmed,2 "
t_run "prescribers: --keep-spaces keeps them" 0 cl-rollup --keep-spaces "$T/spaces.csv"
t_eq "prescribers: ... then \"B \" prescribed nothing and \" B\" is not a client" \
  "$(pick customer,prescribed_revenue "$T/out" | tr '\n' ' ')" "customer,prescribed_revenue A,0 \"B \",0 "

# --- the sample, against an independent computation in exact decimals
t_run "prescribers: sample, per client" 0 cl-rollup "$S"
cp "$T/out" "$T/clients.csv"
t_run "prescribers: sample, per prescriber" 0 cl-rollup --per-prescriber --stats "$T/stats" "$S"
cp "$T/out" "$T/prescribers.csv"
python3 "$CL_TESTS/cli/prescribers_check.py" "$S" "$T/clients.csv" "$T/prescribers.csv" \
  > "$T/check"
cat "$T/check"
direct=$(sed -n 's/^# direct lines: \([0-9]*\), revenue \(.*\)$/\1 \2/p' "$T/check")
t_eq "prescribers: sample, direct lines and revenue as computed" \
  "$(awk -F, '$1 == "lines_direct" { l = $2 } $1 == "direct_revenue" { r = $2 } END { print l, r }' \
     "$T/stats")" "$direct"
# nothing lost: per client = the plain roll-up of the same lines
t_eq "prescribers: per client, the usual columns are the plain roll-up's" \
  "$(pick "$(head -1 "$SAMPLES/expected/rollup.csv")" "$T/clients.csv")" \
  "$(cat "$SAMPLES/expected/rollup.csv")"
t_eq "prescribers: prescribed + direct = all the revenue, exactly" \
  "$(python3 -c 'import csv, sys
from decimal import Decimal as D
c = sum(D(r["revenue"]) for r in csv.DictReader(open(sys.argv[1])))
p = sum(D(r["revenue"]) for r in csv.DictReader(open(sys.argv[2])))
print(c == p + D(sys.argv[3]))' "$T/clients.csv" "$T/prescribers.csv" "${direct#* }")" "True"
t_eq "prescribers: a client who is also a prescriber has prescribed_revenue" \
  "$(pick customer,revenue,margin,prescribers,prescription_share,prescribed_revenue "$T/clients.csv" | grep '^12569.0,')" \
  "12569.0,1939.01,626.97,4,0.47462364815034475,1738.44"

# --- the same bytes at any thread count, from stdin, and through partials
for mode in "" --per-prescriber; do
  name=${mode:-per-client}
  cl-rollup $mode --threads 1 "$S" > "$T/one.csv" 2>/dev/null
  same=yes
  for n in 2 3 5 8; do
    cl-rollup $mode --threads $n "$S" 2>/dev/null | cmp -s - "$T/one.csv" || same="no ($n threads)"
  done
  t_eq "prescribers: $name, byte-identical with 1, 2, 3, 5 and 8 threads" "$same" "yes"
  cl-rollup $mode - < "$S" 2>/dev/null | cmp -s - "$T/one.csv" && ok "prescribers: $name, stdin = file" \
    || fail "prescribers: $name, stdin = file"
done
head -1 "$S" > "$T/h"
tail -n +2 "$S" | split -l 2000 - "$T/part."
for p in "$T"/part.*; do cat "$T/h" "$p" > "$p.csv"; cl-rollup --partial --threads 3 "$p.csv" > "$p.partial" 2>/dev/null; done
t_grep "prescribers: --partial ends with the prescriber" \
  "last_date,returns,return_lines,prescriber" "$T/part.aa.partial"
cat "$T"/part.*.partial > "$T/all.partial"
ls -r "$T"/part.*.partial | xargs cat > "$T/reversed.partial"
for input in all reversed; do
  t_run "prescribers: --merge of the $input partials" 0 cl-rollup --merge "$T/$input.partial"
  t_eq "prescribers: ... = the per-client roll-up of the whole file" \
    "$(sed 1d "$T/out")" "$(sed 1d "$T/clients.csv")"
  t_run "prescribers: --merge --per-prescriber of the $input partials" 0 \
    cl-rollup --merge --per-prescriber "$T/$input.partial"
  t_file_eq "prescribers: ... = the per-prescriber roll-up of the whole file" \
    "$T/out" "$T/prescribers.csv"
done

# a byte that is not UTF-8 after the first MiB: the run starts again with
# the file read as Windows-1252, the prescriber column with it
{ cat "$S"; tail -n +2 "$S"; printf '999999,X,1,2011-12-09 10:00:00,1.00,0.50,12345.0,CAF\351,France\n'; } \
  > "$T/late1252.csv"
iconv -f WINDOWS-1252 -t UTF-8 "$T/late1252.csv" > "$T/late-utf8.csv"
for mode in "" --per-prescriber; do
  name=${mode:-per-client}
  cl-rollup $mode "$T/late-utf8.csv" > "$T/late-want.csv" 2>/dev/null
  t_run "prescribers: $name, a late Windows-1252 byte" 0 cl-rollup $mode "$T/late1252.csv"
  t_file_eq "prescribers: $name, ... read again as Windows-1252, the same table" \
    "$T/out" "$T/late-want.csv"
done
t_grep "prescribers: ... its prescriber read as Windows-1252" "CAFé," "$T/out"

# --- the per-client programs work on prescribers unchanged
cl-rollup --per-prescriber "$S" 2>/dev/null > "$T/p.csv"
t_run "prescribers: cl-pareto --summary" 0 cl-pareto --summary "$T/p.csv"
t_eq "prescribers: ... its total is the positive prescribed revenue" \
  "$(grep '^total,' "$T/out")" \
  "total,$(awk -F, 'NR > 1 && $2 > 0 { s += $2 * 100 } END { printf "%.2f", s / 100 }' "$T/p.csv")"
t_run "prescribers: cl-pareto --value margin" 0 cl-pareto --value margin "$T/p.csv"
t_eq "prescribers: ... D22 brings the most margin" "$(sed -n 2p "$T/out" | cut -d, -f1)" "D22"
t_run "prescribers: cl-score --rfm" 0 cl-score --rfm "$T/p.csv"
t_run "prescribers: cl-score --grid with clients brought" 0 \
  cl-score --grid 'margin=0.6,clients=0.4' "$T/p.csv"
t_run "prescribers: cl-kmeans" 0 cl-kmeans --k 3 --features revenue,orders,clients "$T/p.csv"
cl-pareto "$T/p.csv" > "$T/pareto.csv"
t_run "prescribers: cl-plot pareto" 0 cl-plot pareto -o "$T/pareto.png" "$T/pareto.csv"
t_eq "prescribers: ... writes a PNG" "$(head -c 4 "$T/pareto.png" | tail -c 3)" "PNG"

# --- columns and errors
t_run "prescribers: --verbose" 0 cl-rollup --verbose "$S"
t_grep "prescribers: ... names the prescriber column found" 'margin none, prescriber "Prescriber"' \
  "$T/err"
cl-rollup --stats "$T/stats" "$S" > /dev/null 2>&1
t_grep "prescribers: --stats names it too" "column_prescriber,Prescriber" "$T/stats"
printf 'customer,date,amount,Médecin\nA,2024-01-10,1,Dr X\n' > "$T/fr.csv"
t_run "prescribers: found by alias (Médecin)" 0 cl-rollup --per-prescriber "$T/fr.csv"
t_eq "prescribers: ... its id kept as written" "$(sed -n 2p "$T/out" | cut -d, -f1)" "Dr X"
t_run "prescribers: no prescriber column, --per-prescriber" 1 cl-rollup --per-prescriber \
  "$SAMPLES/sales.csv"
t_grep "prescribers: ... says so and how to name it" \
  "cl-rollup: $SAMPLES/sales.csv: no prescriber column found (name it with --prescriber; columns: \"InvoiceNo\"" \
  "$T/err"
t_run "prescribers: without a prescriber column, no prescriber columns" 0 cl-rollup "$SAMPLES/sales.csv"
t_file_eq "prescribers: ... the roll-up is unchanged" "$T/out" "$SAMPLES/expected/rollup.csv"
t_run "prescribers: --prescriber names a missing column" 1 cl-rollup --prescriber nope "$T/hand.csv"
t_eq "prescribers: ... says which" "$(cat "$T/err")" \
  "cl-rollup: $T/hand.csv: no column \"nope\" (columns: \"invoice\", \"customer\", \"date\", \"amount\", \"prescriber\")"
printf 'customer,date,amount,referral\nA,2024-01-10,1,Y\n' > "$T/flag.csv"
t_run "prescribers: a yes/no 'referral' column is not taken for a prescriber" 0 cl-rollup "$T/flag.csv"
t_eq "prescribers: ... no prescriber columns" "$(head -1 "$T/out" | grep -c prescri)" "0"
printf 'customer,date,amount,referrer,apporteur\nA,2024-01-10,1,X,Y\n' > "$T/two.csv"
t_run "prescribers: two prescriber columns" 1 cl-rollup "$T/two.csv"
t_eq "prescribers: ... names both" "$(cat "$T/err")" \
  "cl-rollup: $T/two.csv: two columns could be the prescriber: \"referrer\" and \"apporteur\" (name one with --prescriber)"
t_run "prescribers: --prescriber settles it" 0 cl-rollup --prescriber apporteur --per-prescriber \
  "$T/two.csv"
t_eq "prescribers: ... with the named one" "$(sed -n 2p "$T/out" | cut -d, -f1)" "Y"
t_run "prescribers: --prescriber on the customer column" 1 cl-rollup --prescriber customer "$T/two.csv"
t_eq "prescribers: ... is an error" "$(cat "$T/err")" \
  "cl-rollup: $T/two.csv: \"customer\" cannot be both the customer and the prescriber column"
printf 'customer,date,amount,prescriber\nA,2024-01-10,1,\nB,2024-01-11,2, \n' > "$T/direct.csv"
t_run "prescribers: no sale with a prescriber, per prescriber" 1 cl-rollup --per-prescriber \
  "$T/direct.csv"
t_eq "prescribers: ... is an error, not an empty table" "$(cat "$T/err")" \
  "cl-rollup: no sale has a prescriber (2 direct lines)"
t_run "prescribers: files with and without a prescriber column" 1 cl-rollup "$T/hand.csv" \
  "$SAMPLES/sales.csv"
t_eq "prescribers: ... do not mix" "$(cat "$T/err")" \
  "cl-rollup: $SAMPLES/sales.csv: has no prescriber column, unlike the first file"
t_run "prescribers: --partial --per-prescriber" 2 cl-rollup --partial --per-prescriber "$S"
t_eq "prescribers: ... is a usage error that says why" "$(head -1 "$T/err")" \
  "cl-rollup: --per-prescriber goes with --merge: --partial writes the same partials for both roll-ups"
t_run "prescribers: --merge with --prescriber" 2 cl-rollup --merge --prescriber x "$T/all.partial"
cl-rollup --partial "$SAMPLES/sales.csv" > "$T/plain.partial" 2>/dev/null
t_run "prescribers: --merge --per-prescriber of partials without one" 1 \
  cl-rollup --merge --per-prescriber "$T/plain.partial"
t_eq "prescribers: ... says why" "$(cat "$T/err")" \
  "cl-rollup: $T/plain.partial: no \"prescriber\" column: --per-prescriber needs partials of sales with a prescriber column"
