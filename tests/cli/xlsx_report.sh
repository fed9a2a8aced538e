# cl-report's report.xlsx, read back with openpyxl: the key figures first,
# then one sheet per table of the folder, each equal cell by cell to the CSV
# beside it; the native Pareto and ABC charts and the PNGs in place; the
# title and the period in the properties; French sheet names and formats.
. "$CL_TESTS/lib.sh"
READ="$CL_TESTS/xlsx_read.py"
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    fail "report xlsx: python3-openpyxl is installed (apt-get install python3-openpyxl)"
    exit 0
fi
read_book() { "$PY" "$READ" "$@"; }
same() {
    _n=$1; shift
    t_eq "$_n" "$(read_book compare "$@" 2>&1)" "same"
}
market="$SAMPLES/market-countries.csv"
cl-report --quiet --month 2011-10 --market "$market" --segment Country -o "$T/r" \
    "$SAMPLES/sales.csv" 2> "$T/err"
t_run "report xlsx: November with October before it" 0 cl-report --quiet --previous auto \
    --market "$market" --segment Country -o "$T/r" "$SAMPLES/sales.csv"
d="$T/r/2011-11"
b="$d/report.xlsx"
t_eq "report xlsx: report.xlsx beside index.html" "$(ls "$d/report.xlsx" "$d/index.html" | wc -l)" 2
t_eq "report xlsx: the sheets, key figures first" "$(read_book sheets "$b" | tr '\n' '/')" \
    "Key figures/Pareto/Summary/ABC/Lorenz/RFM/RFM segments/Personas/Clusters/k selection/$(
    )Customers/Market shares/Market shares (TOTAL)/"
t_eq "report xlsx: title and period" "$(read_book props "$b")" "Customer report|2011-11"
same "report xlsx: key figures = key-figures.csv" "$b" "Key figures" "$d/key-figures.csv" \
    ids=label dates=from,to
# key-figures.csv: figures.csv's rows, and October's value beside, joined here
# (the rows about the report itself, asof to segment_column, are not key figures)
awk -F, 'NR == FNR { old[$1] = $2; next } $1 ~ /^(asof|persona_features|sales_file|market_file|segment_column)$/ { next }
    FNR > 1 { print $1 "," $2 "," old[$1] }' \
    "$T/r/2011-10/figures.csv" "$d/figures.csv" > "$T/kf.want"
awk -F, 'NR > 1 { print $1 "," $(NF - 1) "," $NF }' "$d/key-figures.csv" > "$T/kf.got"
t_file_eq "report xlsx: key figures with October's beside them" "$T/kf.got" "$T/kf.want"
rev_row=$(grep -n '^revenue,' "$d/figures.csv" | cut -d: -f1)
t_eq "report xlsx: the revenue is money" "$(read_book cell "$b" "Key figures" "C$rev_row")" \
    "n|$(grep '^revenue,' "$d/figures.csv" | cut -d, -f2 | sed 's/0*$//; s/\.$//')|#,##0.00"
t_eq "report xlsx: the previous revenue is money" \
    "$(read_book cell "$b" "Key figures" "D$rev_row" | cut -d'|' -f1,3)" \
    "n|#,##0.00"
t_eq "report xlsx: a key figure's label" "$(read_book cell "$b" "Key figures" B5)" \
    "s|Revenue|General"
same "report xlsx: Pareto = pareto.csv (with previous_class)" "$b" Pareto "$d/pareto.csv" \
    ids=customer dates=first_date,last_date percent=share,cum_share,cum_clients_share
same "report xlsx: Summary = summary.csv (with the migrations)" "$b" Summary "$d/summary.csv"
same "report xlsx: Lorenz = lorenz.csv" "$b" Lorenz "$d/lorenz.csv"
same "report xlsx: RFM = rfm.csv" "$b" RFM "$d/rfm.csv" ids=customer,rfm \
    dates=first_date,last_date
same "report xlsx: RFM segments = rfm-segments.csv" "$b" "RFM segments" "$d/rfm-segments.csv" \
    percent=clients_share,revenue_share
same "report xlsx: Personas = profiles.csv" "$b" Personas "$d/profiles.csv" percent=share
same "report xlsx: Clusters = clusters.csv" "$b" Clusters "$d/clusters.csv" ids=customer \
    dates=first_date,last_date
same "report xlsx: k selection = select.csv" "$b" "k selection" "$d/select.csv"
same "report xlsx: Customers = rollup.csv" "$b" Customers "$d/rollup.csv" ids=customer \
    dates=first_date,last_date
same "report xlsx: Market shares = share.csv" "$b" "Market shares" "$d/share.csv" \
    percent=share_effective,share_potential,penetration,share_value
same "report xlsx: Market shares (TOTAL) = share-summary.csv" "$b" "Market shares (TOTAL)" \
    "$d/share-summary.csv"
t_eq "report xlsx: Pareto has its native chart and pareto.png" \
    "$(read_book objects "$b" Pareto)" "1|1"
t_eq "report xlsx: ABC has its native chart and abc.png" "$(read_book objects "$b" ABC)" "1|1"
t_eq "report xlsx: the migration chart on the Summary sheet" \
    "$(read_book objects "$b" Summary)" "0|1"
t_eq "report xlsx: no formula anywhere" "$(read_book formulas "$b")" 0
t_eq "report xlsx: October has no migration chart" \
    "$(read_book objects "$T/r/2011-10/report.xlsx" Summary)" "0|0"
t_run "report xlsx: in French" 0 cl-report --quiet --lang fr --month 2011-10 -o "$T/fr" \
    "$SAMPLES/sales.csv"
fr="$T/fr/2011-10/report.xlsx"
t_eq "report xlsx: French sheet names" "$(read_book sheets "$fr" | head -3 | tr '\n' '/')" \
    "Chiffres clés/Pareto/Résumé/"
t_eq "report xlsx: French dates" \
    "$(read_book cell "$T/fr/2011-10/report.xlsx" "Chiffres clés" C3 | cut -d'|' -f3)" "dd/mm/yyyy"
t_eq "report xlsx: a French label" \
    "$(read_book cell "$fr" "Chiffres clés" B5)" "s|Chiffre d’affaires|General"
t_eq "report xlsx: no previous column without a previous report" \
    "$(head -1 "$T/fr/2011-10/key-figures.csv")" "metric,label,value"

# a month the page can only half tell (one client: no personas; returns
# only: no Pareto chart): the workbook holds the tables there are
printf 'customer,date,amount\nC1,2024-03-05,10.00\nC1,2024-03-06,5.00\n' > "$T/one.csv"
t_run "report xlsx: a single client" 0 cl-report --quiet --month 2024-03 -o "$T/one" "$T/one.csv"
t_eq "report xlsx: ... the sheets there are, no personas" \
    "$(read_book sheets "$T/one/2024-03/report.xlsx" | tr '\n' '/')" \
    "Key figures/Pareto/Summary/ABC/Lorenz/RFM/RFM segments/Customers/"
same "report xlsx: ... its Pareto sheet = pareto.csv" "$T/one/2024-03/report.xlsx" Pareto \
    "$T/one/2024-03/pareto.csv" ids=customer dates=first_date,last_date \
    percent=share,cum_share,cum_clients_share
printf 'customer,date,amount\nC1,2024-04-05,-10.00\nC2,2024-04-06,-5.00\n' > "$T/ret.csv"
t_run "report xlsx: returns only" 0 cl-report --quiet --month 2024-04 -o "$T/ret" "$T/ret.csv"
t_eq "report xlsx: ... no chart, no picture on the Pareto sheet" \
    "$(read_book objects "$T/ret/2024-04/report.xlsx" Pareto)" "0|0"

# a name Excel cannot hold in a cell: the page is made, the workbook not,
# and the warning says why
long=$(awk 'BEGIN { while (n++ < 40000) printf "x" }')
printf 'customer,date,amount\n%s,2024-03-05,10.00\nC2,2024-03-06,5.00\n' "$long" > "$T/long.csv"
t_run "report xlsx: a 40,000-character name" 0 cl-report --quiet --month 2024-03 -o "$T/long" \
    "$T/long.csv"
t_eq "report xlsx: ... the page, no workbook" \
    "$(cd "$T/long/2024-03" && ls index.html report.xlsx* 2>/dev/null)" "index.html"
why="sheet \"Pareto\", row 2, column 1: a text over Excel's 32,767 characters"
t_grep "report xlsx: ... the warning says why" \
    "report.xlsx not written: cl-workbook: pareto.csv: $why" "$T/long/2024-03/warnings.txt"

# with cl-clv's tables (CDNOW, whose ids 00004 must stay text)
t_run "report xlsx: CDNOW, with lifetime values" 0 cl-report --quiet --date-format %Y%m%d \
    --month 1997-09 -o "$T/cd" "$SAMPLES/cdnow-sample.csv"
c="$T/cd/1997-09"
t_eq "report xlsx: ... the at-risk and lifetime value sheets after the customers" \
    "$(read_book sheets "$c/report.xlsx" | tail -4 | tr '\n' '/')" \
    "Customers/A clients at risk/Lifetime value summary/Lifetime value/"
same "report xlsx: ... A clients at risk = at-risk.csv" "$c/report.xlsx" "A clients at risk" \
    "$c/at-risk.csv" ids=customer percent=p_alive
same "report xlsx: ... lifetime value = clv.csv" "$c/report.xlsx" "Lifetime value" "$c/clv.csv" \
    ids=customer dates=first_date,last_date percent=p_alive
same "report xlsx: ... its summary = clv-summary.csv" "$c/report.xlsx" "Lifetime value summary" \
    "$c/clv-summary.csv"
t_eq "report xlsx: ... the id 00004 is text" \
    "$(read_book cell "$c/report.xlsx" Customers A2 | cut -d'|' -f1,2)" \
    "s|$(sed -n 2p "$c/rollup.csv" | cut -d, -f1)"
