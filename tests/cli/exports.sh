# cl-rollup on real exports as they come (issue 14): average order rounding,
# returns and credit notes, column roles, filters, date, number and encoding
# forms. Each expected roll-up is computed by hand (in the comments) or by an
# independent awk / python3 Decimal computation.
. "$CL_TESTS/lib.sh"

# --- avg_order: revenue / orders rounded half away from zero at the printed
# scale (here the revenue's 2 or 4 decimals), not cut
cat > "$T/avg.csv" <<'X'
customer,invoice,date,amount
A,1,2024-01-01,1.00
A,2,2024-01-02,0.50
A,3,2024-01-03,0.50
C,1,2024-01-01,0.01
C,2,2024-01-02,0.00
D,1,2024-01-01,0.05
D,2,2024-01-02,0.05
D,3,2024-01-03,0.05
D,4,2024-01-04,0.05
D,5,2024-01-05,0.05
D,6,2024-01-06,0.06
X
# A 2.00/3 = 0.666.. -> 0.67
# C 0.01/2 = 0.005 -> 0.01 (a half goes away from zero); D 0.31/6 = 0.05166 -> 0.05
t_run "avg_order: runs" 0 cl-rollup --order invoice "$T/avg.csv"
t_eq "avg_order: 2.00/3 rounds to 0.67" "$(grep '^A,' "$T/out" | awk -F, '{print $NF}')" "0.67"
t_eq "avg_order: 0.01/2 rounds half away from zero to 0.01" \
  "$(grep '^C,' "$T/out" | awk -F, '{print $NF}')" "0.01"
t_eq "avg_order: 0.31/6 rounds down to 0.05" "$(grep '^D,' "$T/out" | awk -F, '{print $NF}')" "0.05"
printf 'customer,invoice,date,amount\nE,1,2024-01-01,2770.0000\nE,2,2024-01-02,0\nE,3,2024-01-03,0\nE,4,2024-01-04,0\nE,5,2024-01-05,0\nE,6,2024-01-06,0\n' > "$T/avg4.csv"
t_run "avg_order: 4 decimals runs" 0 cl-rollup "$T/avg4.csv"
t_eq "avg_order: 2770.0000/6 = 461.6667 at 4 decimals" \
  "$(tail -1 "$T/out" | awk -F, '{print $NF}')" "461.6667"

# --- returns and credit notes: a return is not an order; revenue is net
cat > "$T/credit.csv" <<'X'
invoice,customer,date,amount
1,A,2024-01-10,10.00
1,A,2024-01-10,-2.00
C2,A,2024-01-20,-3.00
3,B,2024-01-15,10.00
C4,B,2024-02-01,5.00
5,C,2024-01-05,-7.50
X
# by sign only: A: invoice 1 is an order (a purchase line), C2 is a credit
# note: 1 order; gross 10, returned 2 + 3 = 5, net 5, rate 0.5.
# B: C4 is positive, so a purchase without the prefix: 2 orders, net 15.
# C: returns only: 0 orders, avg_order empty, gross 0 so no rate.
t_run "returns: hand-made credit notes" 0 cl-rollup "$T/credit.csv"
t_eq "returns: orders count purchase orders only, revenue net, gross/returns/rate" "$(cat "$T/out")" \
"customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,gross_revenue,returns,return_rate
A,5.00,0,3,1,2024-01-10,2024-01-20,13,10,5.00,10.00,5.00,0.5000
B,15.00,0,2,2,2024-01-15,2024-02-01,1,17,7.50,15.00,0.00,0.0000
C,-7.50,0,1,0,2024-01-05,2024-01-05,28,0,,0.00,7.50,"
# --credit-prefix C: B's C4 is an unsigned credit note: -5, 1 order, net 5
t_run "returns: --credit-prefix C" 0 cl-rollup --credit-prefix C "$T/credit.csv"
t_eq "returns: an unsigned credit note counts negative" "$(sed -n 3p "$T/out")" \
  "B,5.00,0,2,1,2024-01-15,2024-02-01,1,17,5.00,10.00,5.00,0.5000"
printf 'customer,date,amount\nA,2024-01-01,1\n' > "$T/noorder.csv"
t_run "returns: --credit-prefix without an order column" 1 cl-rollup --credit-prefix C "$T/noorder.csv"
t_eq "returns: ... says what it needs" "$(cat "$T/err")" \
  "cl-rollup: $T/noorder.csv: --credit-prefix needs an order column (name it with --order)"
t_run "returns: an empty --credit-prefix" 2 cl-rollup --credit-prefix '' "$T/noorder.csv"
# no return at all: the three columns do not appear
printf 'customer,invoice,date,amount\nA,1,2024-01-01,1\n' > "$T/noreturn.csv"
t_run "returns: none" 0 cl-rollup "$T/noreturn.csv"
t_eq "returns: no return, no return columns" "$(head -1 "$T/out")" \
  "customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order"
# Online Retail's customer 12346 (the two lines of the public data set):
# 74,215 jars bought and all returned 16 minutes later: 1 order, net 0
cat > "$T/12346.csv" <<'X'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
541431,23166,MEDIUM CERAMIC TOP STORAGE JAR,74215,2011-01-18 10:01:00,1.04,12346,United Kingdom
C541433,23166,MEDIUM CERAMIC TOP STORAGE JAR,-74215,2011-01-18 10:17:00,1.04,12346,United Kingdom
X
t_run "returns: Online Retail 12346" 0 cl-rollup --credit-prefix C "$T/12346.csv"
t_eq "returns: 12346 has 1 order, net 0, gross 77183.60 all returned" "$(tail -1 "$T/out")" \
  "12346,0.00,0,2,1,2011-01-18,2011-01-18,1,0,0.00,77183.60,77183.60,1.0000"
# the same policy through --partial / --merge and threads
cl-rollup --credit-prefix C "$T/credit.csv" > "$T/single.csv" 2>/dev/null
head -4 "$T/credit.csv" > "$T/c1.csv"; { head -1 "$T/credit.csv"; tail -n +5 "$T/credit.csv"; } > "$T/c2.csv"
{ cl-rollup --partial --credit-prefix C "$T/c2.csv"; cl-rollup --partial --credit-prefix C "$T/c1.csv"; } \
  > "$T/cparts" 2>/dev/null
t_run "returns: --merge of partials" 0 cl-rollup --merge "$T/cparts"
t_file_eq "returns: --partial/--merge = one run" "$T/out" "$T/single.csv"
# one order split across two chunks: its purchase in one, its return in the other
printf 'invoice,customer,date,amount\n9,Z,2024-01-01,-1\n' > "$T/z1.csv"
printf 'invoice,customer,date,amount\n9,Z,2024-01-01,4\n' > "$T/z2.csv"
{ cl-rollup --partial "$T/z1.csv"; cl-rollup --partial "$T/z2.csv"; } > "$T/zparts" 2>/dev/null
t_run "returns: an order split across partials" 0 cl-rollup --merge "$T/zparts"
t_eq "returns: ... is one order with a return" "$(tail -1 "$T/out")" \
  "Z,3,0,2,1,2024-01-01,2024-01-01,1,0,3.00,4,1,0.2500"

# --- Online Retail excerpt against an independent Decimal computation
if command -v python3 >/dev/null 2>&1; then
  python3 "$CL_TESTS/cli/rollup_ref.py" "$SAMPLES/sales.csv" > "$T/ref.csv"
  t_run "returns: samples/sales.csv" 0 cl-rollup "$SAMPLES/sales.csv"
  t_file_eq "returns: the roll-up = Python Decimal, every row and column" "$T/out" "$T/ref.csv"
  t_file_eq "returns: ... = samples/expected/rollup.csv" "$T/ref.csv" "$SAMPLES/expected/rollup.csv"
  python3 "$CL_TESTS/cli/rollup_ref.py" "$SAMPLES/sales.csv" C > "$T/refc.csv"
  t_run "returns: samples/sales.csv --credit-prefix C" 0 cl-rollup --credit-prefix C --threads 3 \
    "$SAMPLES/sales.csv"
  t_file_eq "returns: ... = Python Decimal with the prefix, 3 threads" "$T/out" "$T/refc.csv"
  head -1 "$SAMPLES/sales.csv" > "$T/h"; tail -n +2 "$SAMPLES/sales.csv" | split -l 2000 - "$T/sp."
  for p in "$T"/sp.*; do cat "$T/h" "$p" | cl-rollup --partial --credit-prefix C - 2>/dev/null; done \
    > "$T/sparts"
  t_run "returns: merged partials of the sample" 0 cl-rollup --merge "$T/sparts"
  t_file_eq "returns: ... = Python Decimal with the prefix" "$T/out" "$T/refc.csv"
  t_eq "returns: the sample has customers with returns only (avg_order empty)" \
    "$(awk -F, 'NR > 1 && $5 == 0' "$T/ref.csv" | wc -l)" "6"
else
  fail "returns: python3 is needed for the Decimal reference (apt-get install python3)"
fi

# --- every program reads its siblings' --excel output (';', decimal comma,
# BOM, CRLF, formulas behind an apostrophe) as it reads their plain output,
# and writes its own dialect: plain output from an --excel input is the
# same bytes as from the plain input, and --excel from either is the same
cl-rollup --by Country "$SAMPLES/sales.csv" > "$T/plain.csv" 2>/dev/null
cl-rollup --by Country --excel "$SAMPLES/sales.csv" > "$T/excel.csv" 2>/dev/null
same_both() {   # NAME COMMAND... (the input file is appended)
  _n=$1; shift
  "$@" "$T/plain.csv" 2>&1 | sed "s|$T/plain.csv|INPUT|" > "$T/from-plain"
  "$@" "$T/excel.csv" 2>&1 | sed "s|$T/excel.csv|INPUT|" > "$T/from-excel"
  t_file_eq "excel read-back: $_n" "$T/from-excel" "$T/from-plain"
}
same_both "cl-pareto" cl-pareto
same_both "cl-pareto --excel" cl-pareto --excel
same_both "cl-pareto --summary" cl-pareto --summary
same_both "cl-pareto --by gross_revenue" cl-pareto --by gross_revenue
same_both "cl-score --rfm" cl-score --rfm
same_both "cl-score --grid" cl-score --grid 'revenue=0.5,orders=0.3,recency_days=-0.2'
same_both "cl-score --rfm --excel" cl-score --rfm --excel
same_both "cl-kmeans" cl-kmeans --k 3 --features revenue,orders,recency_days --log revenue,orders
same_both "cl-kmeans --excel" cl-kmeans --excel --k 3 --features revenue,orders --log revenue,orders
same_both "cl-kmeans --profiles" cl-kmeans --profiles --k 3 --features revenue,orders
cl-kmeans --k 3 --features revenue,orders --save-model "$T/model" "$T/plain.csv" > /dev/null
same_both "cl-kmeans --model" cl-kmeans --model "$T/model"
printf 'segment,effective,ncr\nFrance,40,60\nGermany,100,50\n' > "$T/market.csv"
same_both "cl-share --clients" cl-share --segment Country --market "$T/market.csv" --clients
# the plain figures are the plain input's: no decimal comma left in a copied cell
t_eq "excel read-back: cl-pareto's copied cells have decimal points" \
  "$(cl-pareto "$T/excel.csv" | sed -n 2p | cut -d, -f3)" "$(cl-pareto "$T/plain.csv" | sed -n 2p | cut -d, -f3)"
t_eq "excel read-back: ... and no quoted cell" "$(cl-pareto "$T/excel.csv" | grep -c '"')" "0"
# second generation: a sibling's --excel output of an --excel output
cl-pareto --excel "$T/excel.csv" > "$T/pareto-x.csv"
cl-pareto "$T/plain.csv" > "$T/pareto-p.csv"
for kind in pareto lorenz; do
  cl-plot $kind --script "$T/pareto-p.csv" > "$T/plot-p" 2>&1
  cl-plot $kind --script "$T/pareto-x.csv" > "$T/plot-x" 2>&1
  t_file_eq "excel read-back: cl-plot $kind (a '- class cell reads back as -)" "$T/plot-x" "$T/plot-p"
done
cl-score --rfm --excel "$T/excel.csv" > "$T/rfm-x.csv"; cl-score --rfm "$T/plain.csv" > "$T/rfm-p.csv"
cl-plot rfm --script "$T/rfm-p.csv" > "$T/plot-p" 2>&1; cl-plot rfm --script "$T/rfm-x.csv" > "$T/plot-x" 2>&1
t_file_eq "excel read-back: cl-plot rfm" "$T/plot-x" "$T/plot-p"
cl-rollup --partial --excel "$SAMPLES/sales.csv" > "$T/partial-x.csv" 2>/dev/null
t_run "excel read-back: cl-rollup --merge of --excel partials" 0 cl-rollup --merge "$T/partial-x.csv"
t_file_eq "excel read-back: ... = the single run" "$T/out" "$SAMPLES/expected/rollup.csv"
printf 'customer,invoice,date,amount\n=cmd,-1,2024-01-01,2\n' > "$T/formula.csv"
cl-rollup --partial --excel "$T/formula.csv" > "$T/formula-x.csv"
cl-rollup "$T/formula.csv" > "$T/formula-single.csv"
t_run "excel read-back: --merge of --excel partials with neutralised text" 0 cl-rollup --merge "$T/formula-x.csv"
t_file_eq "excel read-back: ... the ids read back as they were" "$T/out" "$T/formula-single.csv"
