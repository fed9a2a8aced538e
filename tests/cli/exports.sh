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
t_eq "avg_order: 2.00/3 rounds to 0.67" "$(grep '^A,' "$T/out" | awk -F, '{print $10}')" "0.67"
t_eq "avg_order: 0.01/2 rounds half away from zero to 0.01" \
  "$(grep '^C,' "$T/out" | awk -F, '{print $10}')" "0.01"
t_eq "avg_order: 0.31/6 rounds down to 0.05" "$(grep '^D,' "$T/out" | awk -F, '{print $10}')" "0.05"
printf 'customer,invoice,date,amount\nE,1,2024-01-01,2770.0000\nE,2,2024-01-02,0\nE,3,2024-01-03,0\nE,4,2024-01-04,0\nE,5,2024-01-05,0\nE,6,2024-01-06,0\n' > "$T/avg4.csv"
t_run "avg_order: 4 decimals runs" 0 cl-rollup "$T/avg4.csv"
t_eq "avg_order: 2770.0000/6 = 461.6667 at 4 decimals" \
  "$(tail -1 "$T/out" | awk -F, '{print $10}')" "461.6667"

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
# purchase_days counts the days of every order, credit notes too (A: 2);
# first_day_revenue is the net of the first day (A: 10 - 2).
t_run "returns: hand-made credit notes" 0 cl-rollup "$T/credit.csv"
t_eq "returns: orders count purchase orders only, revenue net, gross/returns/rate" "$(cat "$T/out")" \
"customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue,gross_revenue,returns,return_rate
A,5.00,0,3,1,2024-01-10,2024-01-20,13,10,5.00,2,8.00,10.00,5.00,0.5000
B,15.00,0,2,2,2024-01-15,2024-02-01,1,17,7.50,2,10.00,15.00,0.00,0.0000
C,-7.50,0,1,0,2024-01-05,2024-01-05,28,0,,1,-7.50,0.00,7.50,"
# --credit-prefix C: B's C4 is an unsigned credit note: -5, 1 order, net 5
t_run "returns: --credit-prefix C" 0 cl-rollup --credit-prefix C "$T/credit.csv"
t_eq "returns: an unsigned credit note counts negative" "$(sed -n 3p "$T/out")" \
  "B,5.00,0,2,1,2024-01-15,2024-02-01,1,17,5.00,2,10.00,10.00,5.00,0.5000"
printf 'customer,date,amount\nA,2024-01-01,1\n' > "$T/noorder.csv"
t_run "returns: --credit-prefix without an order column" 1 cl-rollup --credit-prefix C "$T/noorder.csv"
t_eq "returns: ... says what it needs" "$(cat "$T/err")" \
  "cl-rollup: $T/noorder.csv: --credit-prefix needs an order column (name it with --order)"
t_run "returns: an empty --credit-prefix" 2 cl-rollup --credit-prefix '' "$T/noorder.csv"
# no return at all: the three columns do not appear
printf 'customer,invoice,date,amount\nA,1,2024-01-01,1\n' > "$T/noreturn.csv"
t_run "returns: none" 0 cl-rollup "$T/noreturn.csv"
t_eq "returns: no return, no return columns" "$(head -1 "$T/out")" \
  "customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue"
# Online Retail's customer 12346 (the two lines of the public data set):
# 74,215 jars bought and all returned 16 minutes later: 1 order, net 0
cat > "$T/12346.csv" <<'X'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
541431,23166,MEDIUM CERAMIC TOP STORAGE JAR,74215,2011-01-18 10:01:00,1.04,12346,United Kingdom
C541433,23166,MEDIUM CERAMIC TOP STORAGE JAR,-74215,2011-01-18 10:17:00,1.04,12346,United Kingdom
X
t_run "returns: Online Retail 12346" 0 cl-rollup --credit-prefix C "$T/12346.csv"
t_eq "returns: 12346 has 1 order, net 0, gross 77183.60 all returned" "$(tail -1 "$T/out")" \
  "12346,0.00,0,2,1,2011-01-18,2011-01-18,1,0,0.00,1,0.00,77183.60,77183.60,1.0000"
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
  "Z,3,0,2,1,2024-01-01,2024-01-01,1,0,3.00,1,3,4,1,0.2500"

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
cl-rollup --group Country "$SAMPLES/sales.csv" > "$T/plain.csv" 2>/dev/null
cl-rollup --group Country --excel "$SAMPLES/sales.csv" > "$T/excel.csv" 2>/dev/null
same_both() {   # NAME COMMAND... (the input file is appended)
  _n=$1; shift
  "$@" "$T/plain.csv" 2>&1 | sed "s|$T/plain.csv|INPUT|" > "$T/from-plain"
  "$@" "$T/excel.csv" 2>&1 | sed "s|$T/excel.csv|INPUT|" > "$T/from-excel"
  t_file_eq "excel read-back: $_n" "$T/from-excel" "$T/from-plain"
}
same_both "cl-pareto" cl-pareto
same_both "cl-pareto --excel" cl-pareto --excel
same_both "cl-pareto --summary" cl-pareto --summary
same_both "cl-pareto --value gross_revenue" cl-pareto --value gross_revenue
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

# --- columns: an amount with a quantity, more aliases, which column was taken
cat > "$T/pair.csv" <<'X'
Order ID,Order Date,Customer ID,Customer Name,Sales,Quantity,Profit
O1,2024-01-05,C1,Claire,10.50,3,2.25
O1,2024-01-05,C1,Claire,4.50,1,-0.75
O2,2024-01-09,C2,Paul,100,10,30
X
# found automatically: Sales is the amount, Quantity the quantity, Profit
# the margin, the id (not the name) the customer. C1: 15.00, margin 1.50,
# quantity 4; C2: 100.00, 30.00, 10 (amounts 2 decimals, margins 2)
expected_pair="customer,revenue,margin,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue,first_day_margin
C1,15.00,1.50,4,2,1,2024-01-05,2024-01-05,5,0,15.00,1,15.00,1.50
C2,100.00,30.00,10,1,1,2024-01-09,2024-01-09,1,0,100.00,1,100.00,30.00"
t_run "columns: Sales + Quantity + Profit found by name" 0 cl-rollup "$T/pair.csv"
t_eq "columns: ... amount and quantity both read, Profit is the margin" "$(cat "$T/out")" "$expected_pair"
t_run "columns: --amount with --quantity" 0 cl-rollup --amount Sales --quantity Quantity "$T/pair.csv"
t_eq "columns: ... the same roll-up" "$(cat "$T/out")" "$expected_pair"
t_run "columns: --quantity alone finds the amount beside it" 0 cl-rollup --quantity Quantity "$T/pair.csv"
t_eq "columns: ... the same roll-up" "$(cat "$T/out")" "$expected_pair"
t_run "columns: --verbose" 0 cl-rollup --verbose "$T/pair.csv"
t_eq "columns: --verbose says which column took each role" "$(cat "$T/err")" \
  "cl-rollup: $T/pair.csv: columns: customer \"Customer ID\", order \"Order ID\", date \"Order Date\", amount \"Sales\", quantity \"Quantity\", price none, cost none, margin \"Profit\", prescriber none"
t_run "columns: --stats" 0 cl-rollup --stats "$T/stats.csv" "$T/pair.csv"
t_eq "columns: --stats always names them" "$(grep '^column_' "$T/stats.csv" | tr '\n' ' ')" \
  "column_customer,Customer ID column_order,Order ID column_date,Order Date column_amount,Sales column_quantity,Quantity column_price, column_cost, column_margin,Profit column_prescriber, "
t_eq "columns: ... and nothing on stderr without --verbose" "$(cat "$T/err")" ""
# upper-case names of the Kaggle sample; a name column when there is no id
cat > "$T/upper.csv" <<'X'
ORDERNUMBER,QUANTITYORDERED,PRICEEACH,SALES,ORDERDATE,STATUS,CUSTOMERNAME
10100,30,100,3000.00,2003-01-06,Shipped,Online Diecast Creations Co.
10101,25,100,2500.00,2003-01-09,Cancelled,Blauer See Auto
10102,41,50,2050.00,2003-01-10,Shipped,Blauer See Auto
10103,5,10,50.00,2003-01-11,Disputed,Blauer See Auto
X
t_run "columns: upper-case Kaggle headers" 0 cl-rollup --verbose "$T/upper.csv"
t_grep "columns: ... CUSTOMERNAME is the customer, SALES the amount" \
  "customer \"CUSTOMERNAME\", order \"ORDERNUMBER\", date \"ORDERDATE\", amount \"SALES\", quantity \"QUANTITYORDERED\", price none" "$T/err"
# Blauer See: 2500 + 2050 + 50 = 4600.00, 3 orders, avg 1533.33
t_grep "columns: ... Blauer See Auto 4600.00 over 3 orders" "Blauer See Auto,4600.00,71,3,3," "$T/out"
for alias in 'Marge:margin' 'Montant HT:amount' 'Total:amount' 'dollar_value:amount' 'profit:margin'; do
  name=${alias%%:*}; role=${alias#*:}
  if [ "$role" = margin ]; then printf 'client,date,montant,%s\nA,2024-01-01,10,4\n' "$name" > "$T/alias.csv"
  else printf 'client,date,%s\nA,2024-01-01,10\n' "$name" > "$T/alias.csv"; fi
  cl-rollup --verbose "$T/alias.csv" > "$T/out" 2> "$T/err"
  t_grep "columns: \"$name\" is the $role" "$role \"$name\"" "$T/err"
done
t_run "columns: a margin asked of a roll-up without one" 1 cl-pareto --value margin "$SAMPLES/expected/rollup.csv"
t_grep "columns: ... says how to get a margin" \
  "cl-rollup writes margin only when the sales have a cost or margin column (--cost COL or --margin COL)" "$T/err"

# --- --where: lines left out, counted as such (not as rejects)
t_run "where: STATUS!=Cancelled|Disputed" 0 cl-rollup --where 'STATUS!=Cancelled|Disputed' \
  --stats "$T/wstats.csv" "$T/upper.csv"
# kept: 10100 (Online Diecast, 3000), 10102 (Blauer See, 2050)
t_eq "where: ... the cancelled and disputed lines are left out" "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')" \
  "customer,revenue Blauer See Auto,2050.00 Online Diecast Creations Co.,3000.00 "
t_eq "where: ... counted on stderr" "$(cat "$T/err")" "cl-rollup: 2 of 4 lines left out by --where"
t_grep "where: ... and in --stats" "lines_filtered_out,2" "$T/wstats.csv"
t_grep "where: ... not as rejects" "lines_rejected,0" "$T/wstats.csv"
t_run "where: STATUS=Shipped" 0 cl-rollup --where STATUS=Shipped "$T/upper.csv"
t_eq "where: ... keeps the same lines" "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')" \
  "customer,revenue Blauer See Auto,2050.00 Online Diecast Creations Co.,3000.00 "
t_run "where: repeated conditions all hold" 0 cl-rollup --where 'STATUS=Shipped|Cancelled' \
  --where 'CUSTOMERNAME!=Online Diecast Creations Co.' "$T/upper.csv"
t_eq "where: ... Blauer See's shipped and cancelled lines" "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')" \
  "customer,revenue Blauer See Auto,4550.00 "
t_run "where: a missing column" 1 cl-rollup --where NOPE=1 "$T/upper.csv"
t_grep "where: ... names it" "no column \"NOPE\"" "$T/err"
t_run "where: bad syntax" 2 cl-rollup --where STATUS "$T/upper.csv"
t_eq "where: ... says the forms" "$(head -1 "$T/err")" \
  "cl-rollup: --where: \"STATUS\" is not COL=VALUE, COL=A|B or COL!=VALUE"
t_run "where: nothing left" 1 cl-rollup --where STATUS=Lost "$T/upper.csv"
t_eq "where: ... says so" "$(cat "$T/err")" "cl-rollup: 4 of 4 lines left out by --where
cl-rollup: no line meets --where"
t_run "where: with threads" 0 cl-rollup --threads 2 --where 'STATUS!=Cancelled|Disputed' "$T/upper.csv"
t_eq "where: ... the same" "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')" \
  "customer,revenue Blauer See Auto,2050.00 Online Diecast Creations Co.,3000.00 "

# --- encodings: every form gives the same roll-up as the UTF-8 file
# (Café: 12.50 + 7.50 = 20.00 over 2 orders; Zoë: 5,00 -> 5.00)
printf 'client;facture;date;montant\nCafé;1;13/01/2024;12,50\nCafé;2;14/01/2024;7,50\nZoë;3;15/01/2024;5,00\n' > "$T/u8.csv"
expected_enc="customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue
Café,20.00,0,2,2,2024-01-13,2024-01-14,2,1,10.00,2,12.50
Zoë,5.00,0,1,1,2024-01-15,2024-01-15,1,0,5.00,1,5.00"
t_run "encoding: UTF-8" 0 cl-rollup "$T/u8.csv"
t_eq "encoding: UTF-8 roll-up (by hand)" "$(cat "$T/out")" "$expected_enc"
t_eq "encoding: ... nothing said" "$(cat "$T/err")" ""
{ printf '\357\273\277'; cat "$T/u8.csv"; } > "$T/u8bom.csv"
t_run "encoding: UTF-8 with BOM" 0 cl-rollup "$T/u8bom.csv"; t_eq "encoding: ... same" "$(cat "$T/out")" "$expected_enc"
iconv -f UTF-8 -t WINDOWS-1252 "$T/u8.csv" > "$T/cp1252.csv"
t_run "encoding: Windows-1252 without --encoding" 0 cl-rollup "$T/cp1252.csv"
t_eq "encoding: ... read as Windows-1252, output UTF-8" "$(cat "$T/out")" "$expected_enc"
t_eq "encoding: ... one line says so, with the first line not UTF-8" "$(cat "$T/err")" \
  "cl-rollup: $T/cp1252.csv: not UTF-8 (line 2: \"Café;1;13/01/2024;12,50\"): read as Windows-1252; if it is another encoding, give --encoding NAME (MACINTOSH, ISO-8859-15, CP850...)"
t_run "encoding: --encoding WINDOWS-1252" 0 cl-rollup --encoding WINDOWS-1252 "$T/cp1252.csv"
t_eq "encoding: ... same, and nothing said" "$(cat "$T/out")|$(cat "$T/err")" "$expected_enc|"
t_run "encoding: Windows-1252 on stdin" 0 sh -c "cl-rollup < '$T/cp1252.csv'"
t_eq "encoding: ... same" "$(cat "$T/out")" "$expected_enc"
iconv -f UTF-8 -t ISO-8859-15 "$T/u8.csv" > "$T/latin9.csv"
t_run "encoding: --encoding ISO-8859-15" 0 cl-rollup --encoding ISO-8859-15 "$T/latin9.csv"
t_eq "encoding: ... same" "$(cat "$T/out")" "$expected_enc"
iconv -f UTF-8 -t MACINTOSH "$T/u8.csv" > "$T/mac.csv"
t_run "encoding: --encoding MACINTOSH (Mac Roman)" 0 cl-rollup --encoding MACINTOSH "$T/mac.csv"
t_eq "encoding: ... same (é is not read as Ž)" "$(cat "$T/out")" "$expected_enc"
# Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF
sed 's/;/\t/g; s/$/\r/' "$T/u8.csv" | iconv -f UTF-8 -t UTF-16LE > "$T/u16body"
{ printf '\377\376'; cat "$T/u16body"; } > "$T/utf16le.txt"
t_run "encoding: UTF-16 LE with BOM, tab-separated (Excel Unicode text)" 0 cl-rollup --decimal-comma "$T/utf16le.txt"
t_eq "encoding: ... same" "$(cat "$T/out")|$(cat "$T/err")" "$expected_enc|"
sed 's/;/\t/g' "$T/u8.csv" | iconv -f UTF-8 -t UTF-16BE > "$T/u16be"
{ printf '\376\377'; cat "$T/u16be"; } > "$T/utf16be.txt"
t_run "encoding: UTF-16 BE with BOM" 0 cl-rollup --decimal-comma "$T/utf16be.txt"
t_eq "encoding: ... same" "$(cat "$T/out")" "$expected_enc"
printf 'client,date,montant\nA\201,2024-01-01,1\n' > "$T/not1252.csv"
t_run "encoding: a byte Windows-1252 does not have" 1 cl-rollup "$T/not1252.csv"
t_eq "encoding: ... says which and where" "$(tail -1 "$T/err")" \
  "cl-rollup: $T/not1252.csv:2: byte 0x81 is not WINDOWS-1252 text (give --encoding NAME)"
t_run "encoding: an unknown --encoding" 2 cl-rollup --encoding NOPE-42 "$T/u8.csv"
t_eq "encoding: ... is a usage error" "$(head -1 "$T/err")" \
  "cl-rollup: --encoding: \"NOPE-42\" is not an encoding iconv knows (iconv -l lists them)"

# --- Excel's sep= line, repeated header lines of concatenated exports
{ printf 'sep=;\r\n'; cat "$T/u8.csv"; } > "$T/sep.csv"
t_run "sep=: Excel's first line" 0 cl-rollup "$T/sep.csv"
t_eq "sep=: ... skipped, its delimiter used" "$(cat "$T/out")" "$expected_enc"
{ printf 'sep=,\n'; printf 'client,date,montant\nA,2024-01-01,x\n'; } > "$T/sepline.csv"
t_run "sep=: line numbers count it" 1 cl-rollup --strict "$T/sepline.csv"
t_eq "sep=: ... the bad line is line 3" "$(cat "$T/err")" "cl-rollup: $T/sepline.csv:3: unusable amount \"x\""
{ cat "$T/u8.csv"; cat "$T/u8.csv"; } > "$T/twice.csv"
t_run "header again: two exports concatenated" 0 cl-rollup --stats "$T/twice-stats.csv" "$T/twice.csv"
# every line twice: Café 40.00 (orders 1 and 2 again: still 2 orders), Zoë 10.00
t_eq "header again: ... skipped, not a rejected date" "$(cut -d, -f1,2,5 "$T/out" | tr '\n' ' ')" \
  "customer,revenue,orders Café,40.00,2 Zoë,10.00,1 "
t_eq "header again: ... counted on stderr" "$(cat "$T/err")" \
  "cl-rollup: 1 repeated header line skipped (files concatenated)"
t_grep "header again: ... and in --stats" "header_lines_skipped,1" "$T/twice-stats.csv"
t_grep "header again: ... not a line read" "lines_read,6" "$T/twice-stats.csv"
awk 'NR == 1 || FNR > 1 || 1' "$SAMPLES/sales.csv" "$SAMPLES/sales.csv" > "$T/sales-twice.csv"
t_run "header again: a big file read in parallel" 0 cl-rollup --threads 3 "$T/sales-twice.csv"
t_eq "header again: ... skipped there too" "$(cat "$T/err")" \
  "cl-rollup: 1 repeated header line skipped (files concatenated)
cl-rollup: 246 of 16488 lines rejected: 246 no customer id (--rejects FILE keeps them)"

# --- date forms (each roll-up by hand: first_date,last_date of one customer)
dates_of() { cl-rollup "$@" 2>"$T/err" | awk -F, 'NR > 1 { print $6 "," $7 }'; }
printf 'customer,date,quantity,dollar_value\n00001,19970101,1,11.77\n00001,19970312 10:30,2,12.00\n' > "$T/cdnow.csv"
t_eq "dates: YYYYMMDD (CDNOW), with or without a time" "$(dates_of "$T/cdnow.csv")" "1997-01-01,1997-03-12"
printf 'customer,date,amount\nA,13/01/97,1\nA,02/03/05,1\n' > "$T/yy.csv"
# DD/MM/YY (a day over 12 settles the order): 97 -> 1997, 05 -> 2005
t_eq "dates: two-digit years, pivot 69: 97 is 1997, 05 is 2005" "$(dates_of "$T/yy.csv")" "1997-01-13,2005-03-02"
printf 'customer,date,amount\nA,31/12/68,1\nA,01/01/69,1\n' > "$T/pivot.csv"
t_eq "dates: ... 68 is 2068, 69 is 1969" "$(dates_of "$T/pivot.csv")" "1969-01-01,2068-12-31"
printf 'customer,date,amount\nA,12/31/99,1\n' > "$T/yyfmt.csv"
t_eq "dates: --date-format %m/%d/%y" "$(dates_of --date-format %m/%d/%y "$T/yyfmt.csv")" "1999-12-31,1999-12-31"
printf 'CUSTOMERNAME,ORDERDATE,SALES\nA,2/24/2003 0:00,1\nA,12/1/2003 13:45,1\n' > "$T/us-time.csv"
t_run "dates: M/D/YYYY H:MM (a day over 12: month first)" 0 cl-rollup "$T/us-time.csv"
t_eq "dates: ... 2/24/2003 and 12/1/2003 (December 1)" "$(awk -F, 'NR > 1 { print $6 "," $7 }' "$T/out")" \
  "2003-02-24,2003-12-01"
printf 'CUSTOMERNAME,ORDERDATE,SALES\nA,2/24/2003 0:00,1\nA,13/1/2003 13:45,1\n' > "$T/us-mixed.csv"
t_run "dates: a column that fits neither order" 1 cl-rollup "$T/us-mixed.csv"
t_eq "dates: ... the hint keeps the time" "$(cat "$T/err")" \
  "cl-rollup: $T/us-mixed.csv:2: date \"2/24/2003 0:00\" is not DD/MM/YYYY (month over 12); if the file writes MM/DD/YYYY, give --date-format '%m/%d/%Y %H:%M'"
t_run "dates: ... and that hint reads the month-first lines" 0 cl-rollup --date-format '%m/%d/%Y %H:%M' "$T/us-time.csv"
t_eq "dates: ... the same dates" "$(awk -F, 'NR > 1 { print $6 "," $7 }' "$T/out")" "2003-02-24,2003-12-01"
printf 'customer,date,amount\nA,2024-01-31T23:30:00Z,1\nA,2024-02-01T10:00:00+01:00,1\nA,2024-02-02 08:00:00 -0500,1\nA,2024-02-03T09:15:00.250+0530,1\nA,2024-02-04T09:15Z,1\n' > "$T/iso.csv"
t_eq "dates: ISO 8601 with T, Z, offsets and fractions (the date as written)" \
  "$(dates_of "$T/iso.csv")" "2024-01-31,2024-02-04"
t_eq "dates: ... five lines, five days" "$(cl-rollup --order date "$T/iso.csv" 2>/dev/null | cut -d, -f4 | tail -1)" "5"
printf 'customer,date,amount\nA,45123,1\nA,45124.75,1\nA,61,1\n' > "$T/serial.csv"
# Excel serials: 45123 = 1899-12-30 + 45123 days = 2023-07-16; 61 = 1900-03-01
t_eq "dates: Excel serial days with --date-format excel" "$(dates_of --date-format excel "$T/serial.csv")" \
  "1900-03-01,2023-07-17"
t_run "dates: ... without it, a serial is an unusable date" 1 cl-rollup --order date "$T/serial.csv"
t_grep "dates: ... counted as such" "unusable date" "$T/err"
printf 'customer,date,amount\nA,60,1\nA,45123,1\n' > "$T/serial60.csv"
t_run "dates: Excel's serial 60 (1900-02-29 never was)" 0 cl-rollup --date-format excel "$T/serial60.csv"
t_grep "dates: ... is rejected" "1 unusable date" "$T/err"
# ambiguous slash dates: every date fits both orders
printf 'customer,invoice,date,amount\nA,1,04/10/2017,1\nA,2,11/12/2019,1\nA,3,12/11/2019,1\n' > "$T/both.csv"
t_run "dates: a column that fits both orders" 0 cl-rollup "$T/both.csv"
t_eq "dates: ... says so and which order was taken" "$(cat "$T/err")" \
  "cl-rollup: $T/both.csv: every slash date reads both as DD/MM and as MM/DD (\"04/10/2017\"): read as DD/MM; give --date-format %m/%d/%Y if the month comes first"
t_eq "dates: ... DD/MM taken" "$(awk -F, 'NR > 1 { print $6 "," $7 }' "$T/out")" "2017-10-04,2019-12-11"
t_run "dates: ... --strict makes it an error" 1 cl-rollup --strict "$T/both.csv"
t_eq "dates: ... naming both ways out" "$(cat "$T/err")" \
  "cl-rollup: $T/both.csv: every slash date reads both as DD/MM and as MM/DD (\"04/10/2017\"): give --date-format %d/%m/%Y or %m/%d/%Y"
# AA-10315: one date with a day over 12 settles the whole column as month first
printf 'Customer ID,Order ID,Order Date,Sales\nAA-10315,1,10/4/2017,1\nAA-10315,2,11/12/2019,2\nAA-10315,3,12/11/2019,4\nBB-1,4,3/25/2019,8\n' > "$T/us.csv"
t_run "dates: a US column (3/25 settles it)" 0 cl-rollup "$T/us.csv"
t_eq "dates: ... read month first without a word" "$(cat "$T/err")" ""
t_eq "dates: ... AA-10315's first purchase is 2017-10-04" "$(grep '^AA-10315' "$T/out" | cut -d, -f6,7)" \
  "2017-10-04,2019-12-11"
t_run "dates: --month 2019-11 on the US column" 0 cl-rollup --month 2019-11 "$T/us.csv"
t_eq "dates: ... picks November 12 only, not December 11" "$(cut -d, -f1,2,6 "$T/out" | tail -1)" \
  "AA-10315,2,2019-11-12"
t_run "dates: --verbose says the order was decided" 0 cl-rollup --verbose "$T/us.csv"
t_grep "dates: ... with the date that decided it" "dates read as MM/DD (no other order fits \"3/25/2019\")" "$T/err"

# --- number forms, one customer each (the expected value written by hand)
nbsp=$(printf '\302\240'); nnbsp=$(printf '\342\200\257'); minus=$(printf '\342\210\222'); euro=$(printf '\342\202\254')
cat > "$T/forms-point.csv" <<X
customer,date,amount
comma-thousands,2024-01-01,"1,234.56"
comma-millions,2024-01-01,"1,234,567.50"
accounting,2024-01-01,(12.50)
trailing-minus,2024-01-01,12.50-
minus-sign,2024-01-01,${minus}12.50
euro-before,2024-01-01,${euro}12.50
dollar-thousands,2024-01-01,"\$1,234.56"
code-before,2024-01-01,EUR 12.50
code-after,2024-01-01,12.50 USD
minus-dollar,2024-01-01,-\$5.00
dollar-minus,2024-01-01,\$-5.00
accounting-euro,2024-01-01,"(${euro}1,000.00)"
X
t_run "numbers: decimal point forms" 0 cl-rollup "$T/forms-point.csv"
t_eq "numbers: ... each read exactly" "$(tail -n +2 "$T/out" | cut -d, -f1,2 | tr '\n' ' ')" \
  "accounting,-12.50 accounting-euro,-1000.00 code-after,12.50 code-before,12.50 comma-millions,1234567.50 comma-thousands,1234.56 dollar-minus,-5.00 dollar-thousands,1234.56 euro-before,12.50 minus-dollar,-5.00 minus-sign,-12.50 trailing-minus,-12.50 "
t_eq "numbers: ... nothing rejected" "$(cat "$T/err")" ""
cat > "$T/forms-comma.csv" <<X
customer;date;amount
space;2024-01-01;1 234,56
nbsp;2024-01-01;1${nbsp}234,56
nnbsp;2024-01-01;1${nnbsp}234,56
dot-thousands;2024-01-01;1.234,56
euro-after;2024-01-01;12,50 ${euro}
euro-after-nbsp;2024-01-01;1${nnbsp}234,56${nbsp}${euro}
accounting;2024-01-01;(1 234,56)
trailing;2024-01-01;12,50-
X
t_run "numbers: decimal comma forms" 0 cl-rollup "$T/forms-comma.csv"
t_eq "numbers: ... each read exactly" "$(tail -n +2 "$T/out" | cut -d, -f1,2 | tr '\n' ' ')" \
  "accounting,-1234.56 dot-thousands,1234.56 euro-after,12.50 euro-after-nbsp,1234.56 nbsp,1234.56 nnbsp,1234.56 space,1234.56 trailing,-12.50 "
printf 'customer,date,amount\nA,2024-01-01,"(-12.50)"\nB,2024-01-01,EUR\nC,2024-01-01,1\n' > "$T/forms-bad.csv"
t_run "numbers: forms that are no number" 0 cl-rollup "$T/forms-bad.csv"
t_eq "numbers: ... rejected, the first shown with its line" "$(cat "$T/err")" \
  "cl-rollup: 2 of 3 lines rejected: 2 unusable amount (first: line 2, \"(-12.50)\": not a number) (--rejects FILE keeps them)"
# more than 6 decimals: rounded half away from zero to 6, counted, never dropped
cat > "$T/decimals.csv" <<'X'
customer,date,quantity,unit_price,margin
A,2024-01-01,1,10.5,-8.5794000000001
A,2024-01-02,1,1,0.12345675
B,2024-01-01,1,2,-0.12345650
B,2024-01-02,1,2,1.0000004
X
# A: -8.579400 + 0.123457 = -8.455943 ; B: -0.123457 + 1.000000 = 0.876543
t_run "numbers: more than 6 decimals" 0 cl-rollup --stats "$T/dstats.csv" "$T/decimals.csv"
t_eq "numbers: ... rounded half away from zero, no line lost" "$(tail -n +2 "$T/out" | cut -d, -f1,3,5 | tr '\n' ' ')" \
  "A,-8.455943,2 B,0.876543,2 "
t_eq "numbers: ... counted on stderr with the first" "$(cat "$T/err")" \
  "cl-rollup: 4 values with more than 6 decimals rounded to 6 (first: line 2, \"-8.5794000000001\")"
t_grep "numbers: ... and in --stats" "values_rounded,4" "$T/dstats.csv"
# the first unusable value and its line, from the parallel reader too
{ cat "$SAMPLES/sales.csv"; echo '999999,X,Y,1,2011-12-09 10:00:00,abc,12345.0,France'; } > "$T/late-bad.csv"
t_run "numbers: a bad price at the end, 3 threads" 0 cl-rollup --threads 3 "$T/late-bad.csv"
t_eq "numbers: ... its line is found" "$(cat "$T/err")" \
  "cl-rollup: 124 of 8245 lines rejected: 123 no customer id, 1 unusable price (first: line 8246, \"abc\": not a number) (--rejects FILE keeps them)"
t_run "numbers: ... the same read sequentially (--rejects)" 0 cl-rollup --rejects "$T/rj.csv" "$T/late-bad.csv"
t_eq "numbers: ... the same message" "$(cat "$T/err")" \
  "cl-rollup: 124 of 8245 lines rejected: 123 no customer id, 1 unusable price (first: line 8246, \"abc\": not a number)"

# --- the samples of real exports: the same roll-up as the month they hold
cl-rollup --month 2011-11 "$SAMPLES/sales.csv" > "$T/nov.csv" 2>/dev/null
t_run "samples: ventes-1252.csv (Windows-1252, ;, decimal comma)" 0 cl-rollup "$SAMPLES/ventes-1252.csv"
t_file_eq "samples: ... = November of sales.csv" "$T/out" "$T/nov.csv"
t_run "samples: sales-us.csv (M/D/YYYY H:MM)" 0 cl-rollup --threads 2 "$SAMPLES/sales-us.csv"
t_file_eq "samples: ... = November of sales.csv" "$T/out" "$T/nov.csv"
t_eq "samples: ... read month first without a doubt, only the lines without a customer rejected" \
  "$(cat "$T/err")" "cl-rollup: 64 of 3730 lines rejected: 64 no customer id (--rejects FILE keeps them)"

# --- cl-report passes the new input options to cl-rollup
t_run "report: --where on a Windows-1252 export" 0 cl-report --quiet --where 'Pays!=United Kingdom' \
  -o "$T/rep" "$SAMPLES/ventes-1252.csv"
cl-rollup --where 'Country!=United Kingdom' --month 2011-11 "$SAMPLES/sales.csv" > "$T/rep-want.csv" 2>/dev/null
t_file_eq "report: ... its roll-up = cl-rollup --where on the UTF-8 sales" "$T/rep/2011-11/rollup.csv" "$T/rep-want.csv"
t_grep "report: ... the quality section says the encoding" "read as Windows-1252" "$T/rep/2011-11/index.html"
t_grep "report: ... and the lines left out" "left out by --where" "$T/rep/2011-11/index.html"

# --- a byte that is not UTF-8 after the first MiB: the single input was taken
# as UTF-8 from its start, and the run starts again with the file transcoded
{ cat "$SAMPLES/sales.csv"; tail -n +2 "$SAMPLES/sales.csv"; printf '999999,X,CAF\351,1,2011-12-09 10:00:00,1.00,12345.0,France\n'; } > "$T/late1252.csv"
iconv -f WINDOWS-1252 -t UTF-8 "$T/late1252.csv" > "$T/late-utf8.csv"
cl-rollup --rejects "$T/rj-utf8.csv" --stats "$T/st-utf8.csv" "$T/late-utf8.csv" > "$T/late-want.csv" 2>/dev/null
t_eq "encoding: the late byte is after the first MiB" "$(head -c 1048576 "$T/late1252.csv" | grep -c "$(printf '\351')")" "0"
t_run "encoding: Windows-1252 found late" 0 cl-rollup --rejects "$T/rj-late.csv" --stats "$T/st-late.csv" "$T/late1252.csv"
t_file_eq "encoding: ... the roll-up of the whole file as Windows-1252" "$T/out" "$T/late-want.csv"
t_file_eq "encoding: ... the rejects file written once" "$T/rj-late.csv" "$T/rj-utf8.csv"
t_file_eq "encoding: ... the counts once" "$T/st-late.csv" "$T/st-utf8.csv"
t_eq "encoding: ... said once, with the line" "$(cat "$T/err")" \
  "cl-rollup: $T/late1252.csv: not UTF-8 (line 16490: \"999999,X,CAFé,1,2011-12-09 10:00:00,1.0...\"): read as Windows-1252; if it is another encoding, give --encoding NAME (MACINTOSH, ISO-8859-15, CP850...)
cl-rollup: 246 of 16489 lines rejected: 246 no customer id"
t_run "encoding: ... the same from a pipe, in parallel" 0 sh -c "cat '$T/late1252.csv' | cl-rollup --threads 2"
t_file_eq "encoding: ... same roll-up" "$T/out" "$T/late-want.csv"
t_run "dates: a --partial chunk whose dates fit both orders" 1 cl-rollup --partial "$T/both.csv"
t_grep "dates: ... must be told the order" "a --partial run sees only its chunk, give --date-format" "$T/err"
t_run "dates: ... and is, with --date-format" 0 cl-rollup --partial --date-format %m/%d/%Y "$T/both.csv"
# a Mac Roman file without --encoding: read as Windows-1252, but said to look like Mac Roman
printf 'client;date;montant\nClément;13/01/2024;1\n' | iconv -f UTF-8 -t MACINTOSH > "$T/mac-guess.csv"
t_run "encoding: Mac Roman without --encoding" 0 cl-rollup "$T/mac-guess.csv"
t_eq "encoding: ... the line says it looks like Mac Roman" "$(cat "$T/err")" \
  "cl-rollup: $T/mac-guess.csv: not UTF-8 (line 2: \"ClŽment;13/01/2024;1\"): read as Windows-1252, but its bytes look like Mac Roman: give --encoding MACINTOSH if it is"
t_run "encoding: ... --encoding MACINTOSH" 0 cl-rollup --encoding MACINTOSH "$T/mac-guess.csv"
t_eq "encoding: ... reads Clément" "$(tail -1 "$T/out" | cut -d, -f1)" "Clément"
