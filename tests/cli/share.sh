# cl-share: every column on hand-computed cases, totals as ratios of sums,
# the consistency errors, counting from a roll-up, French input, periods.
. "$CL_TESTS/lib.sh"

# --- the optician of docs/share.md, computed by hand:
# Centre: potential 8000+2000 = 10000; 1000/8000 = 0.125; 1000/10000 = 0.1;
#   competitors 8000-1000 = 7000; headroom 10000-1000 = 9000;
#   penetration 8000/16000 = 0.5; share_value 360000/2400000 = 0.15
# Nord: potential 8000; 600/5000 = 0.12; 600/8000 = 0.075; 4400; 7400;
#   5000/12500 = 0.4; 150000/1500000 = 0.1
# Sud: potential 5000; 240/3000 = 0.08; 240/5000 = 0.048; 2760; 4760;
#   3000/6000 = 0.5; 66000/1100000 = 0.06
# TOTAL: sums 1840, 16000, 7000, 23000, 14160, 21160, nca 11500,
#   population 34500, revenue 576000, market 5000000; ratios of the sums:
#   1840/16000 = 0.115 (the mean of the three shares would be 0.1083),
#   1840/23000 = 0.08, 16000/34500 = 0.463768115942029 (15 digits read
#   back exactly), 576000/5000000 = 0.1152
optician="segment,clients,effective,ncr,potential,share_effective,share_potential,competitors,headroom,nca,population,penetration,revenue,market_revenue,share_value
Centre,1000,8000,2000,10000,0.125,0.1,7000,9000,6000,16000,0.5,360000.00,2400000.00,0.15
Nord,600,5000,3000,8000,0.12,0.075,4400,7400,4500,12500,0.4,150000.00,1500000.00,0.1
Sud,240,3000,2000,5000,0.08,0.048,2760,4760,1000,6000,0.5,66000.00,1100000.00,0.06
TOTAL,1840,16000,7000,23000,0.115,0.08,14160,21160,11500,34500,0.463768115942029,576000.00,5000000.00,0.1152"
t_run "share: optician sample runs" 0 cl-share "$SAMPLES/market.csv"
t_eq "share: optician, every column as computed by hand" "$(cat "$T/out")" "$optician"
t_eq "share: optician, nothing on stderr" "$(cat "$T/err")" ""
t_close "share: 16000/34500 by awk" "$(tail -1 "$T/out" | cut -d, -f12)" \
  "$(awk 'BEGIN { printf "%.17g", 16000/34500 }')" 1e-15
t_run "share: --market FILE is the same" 0 cl-share --market "$SAMPLES/market.csv"
t_eq "share: --market output" "$(cat "$T/out")" "$optician"
t_run "share: reads stdin" 0 sh -c "cl-share < '$SAMPLES/market.csv'"
t_eq "share: stdin output" "$(cat "$T/out")" "$optician"

# --- French spreadsheet export: ; BOM CRLF, French headers, "16 000", "2 400 000,00"
t_run "share: French market table runs" 0 cl-share "$SAMPLES/market-fr.csv"
t_eq "share: French headers and numbers give the same table" "$(cat "$T/out")" "$optician"
if locale -a 2>/dev/null | grep -qi '^fr_FR.utf'; then
  t_run "share: under LC_ALL=fr_FR.UTF-8" 0 env LC_ALL=fr_FR.UTF-8 cl-share "$SAMPLES/market-fr.csv"
  t_eq "share: the locale changes nothing" "$(cat "$T/out")" "$optician"
fi

# --- summary: metric,value of the TOTAL row
t_run "share: --summary" 0 cl-share --summary "$SAMPLES/market.csv"
t_eq "share: summary figures (TOTAL row, by hand above)" "$(cat "$T/out")" "metric,value
segments,3
clients,1840
effective,16000
ncr,7000
potential,23000
share_effective,0.115
share_potential,0.08
competitors,14160
headroom,21160
nca,11500
population,34500
penetration,0.463768115942029
revenue,576000.00
market_revenue,5000000.00
share_value,0.1152"

# --- excel dialect
t_run "share: --excel" 0 cl-share --excel "$SAMPLES/market.csv"
t_grep "share: --excel writes ; and decimal commas" "Centre;1000;8000;2000;10000;0,125;0,1;7000;9000;6000;16000;0,5;360000,00;2400000,00;0,15" "$T/out"
t_eq "share: --excel starts with a BOM" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" "efbbbf"

# --- an independent computation: awk recomputes every column of a larger
# generated table (sums with awk, ratios of the sums), compared numerically
awk 'BEGIN {
  print "segment,effective,ncr,nca,clients,market_revenue,revenue"
  seed = 7
  for (i = 1; i <= 40; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648; e = seed % 100000
    seed = (seed * 1103515245 + 12345) % 2147483648; n = seed % 50000
    seed = (seed * 1103515245 + 12345) % 2147483648; a = seed % 20000
    seed = (seed * 1103515245 + 12345) % 2147483648; c = (e > 0) ? seed % (e + 1) : 0
    seed = (seed * 1103515245 + 12345) % 2147483648; m = 1000 + seed % 900000
    seed = (seed * 1103515245 + 12345) % 2147483648; r = seed % m
    printf "S%d,%d,%d,%d,%d,%d.%02d,%d.%02d\n", i, e, n, a, c, m, i % 100, r, (i * 7) % 100
  }
}' > "$T/big.csv"
awk -F, 'NR > 1 {
  e = $2; n = $3; a = $4; c = $5; m = $6; r = $7
  printf "%s,%d,%d,%d,%d,%.17g,%.17g,%d,%d,%d,%d,%.17g,%s,%s,%.17g\n", $1, c, e, n, e+n,
    (e ? c/e : ""), (e+n ? c/(e+n) : ""), e-c, e+n-c, a, e+n+a, e/(e+n+a), r, m, r/m
  C += c; E += e; N += n; A += a; M += m; R += r
}
END {
  printf "TOTAL,%d,%d,%d,%d,%.17g,%.17g,%d,%d,%d,%d,%.17g,%.2f,%.2f,%.17g\n", C, E, N, E+N,
    C/E, C/(E+N), E-C, E+N-C, A, E+N+A, E/(E+N+A), R, M, R/M
}' "$T/big.csv" > "$T/expected"
t_run "share: generated table of 40 segments" 0 cl-share "$T/big.csv"
tail -n +2 "$T/out" > "$T/got"
bad=$(awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) want[FNR, i] = $i; rows = FNR; next }
  { for (i = 1; i <= NF; i++) {
      w = want[FNR, i]; g = $i
      if (i == 1) { if (g != w) print FNR ": " g " != " w; continue }
      d = g - w; if (d < 0) d = -d; t = (w < 0 ? -w : w) * 1e-12
      if (d > t) print FNR "," i ": " g " != " w } }
  END { if (FNR != rows) print "rows " FNR " != " rows }' "$T/expected" "$T/got" | head -5)
t_eq "share: every column of 40 segments and the TOTAL = awk's computation" "$bad" ""

# --- periods: a TOTAL per period, summary with the change
t_run "share: periods" 0 cl-share "$SAMPLES/market-periods.csv"
t_eq "share: periods, TOTAL rows per period" "$(grep TOTAL "$T/out")" \
"2024,TOTAL,1840,16000,7000,23000,0.115,0.08,14160,21160,11500,34500,0.463768115942029,576000.00,5000000.00,0.1152
2025,TOTAL,2200,16000,6000,22000,0.1375,0.1,13800,19800,12500,34500,0.463768115942029,688000.00,5000000.00,0.1376"
t_eq "share: periods, 2025 rows by hand (1200/8000, 1200/10000; 700/5000, 700/7000; 300/3000, 300/5000)" \
  "$(grep '^2025,[CNS]' "$T/out" | cut -d, -f2-9)" "Centre,1200,8000,2000,10000,0.15,0.12,6800
Nord,700,5000,2000,7000,0.14,0.1,4300
Sud,300,3000,2000,5000,0.1,0.06,2700"
t_run "share: periods --summary" 0 cl-share --summary "$SAMPLES/market-periods.csv"
t_eq "share: summary header with periods" "$(head -1 "$T/out")" "period,metric,value,change"
# changes 2024 -> 2025: clients 2200-1840 = 360; ncr 6000-7000 = -1000;
# share_effective 0.1375-0.115 = 0.0225; share_potential 0.1-0.08 = 0.02;
# revenue 688000-576000 = 112000; share_value 0.1376-0.1152 = 0.0224
t_eq "share: per-period shares and their change, by hand" \
  "$(grep -E '^2025,(clients|ncr|share_effective|share_potential|revenue|share_value),' "$T/out")" \
"2025,clients,2200,360
2025,ncr,6000,-1000
2025,share_effective,0.1375,0.0225
2025,share_potential,0.1,0.02
2025,revenue,688000.00,112000.00
2025,share_value,0.1376,0.0224"
t_eq "share: the first period has no change" "$(grep '^2024,share_effective' "$T/out")" "2024,share_effective,0.115,"

# --- clients counted from a roll-up made by cl-rollup
cat > "$T/sales.csv" <<'X'
customer,invoice,date,amount,zone
A,1,2024-01-02,100.10,Centre
A,2,2024-01-05,0.20,Centre
B,3,2024-01-03,50,Centre
A,4,2024-01-09,30,Nord
C,5,2024-01-04,12.5,Est
D,6,2024-01-06,7,centre
X
cat > "$T/market.csv" <<'X'
zone,effective,ncr,market_revenue
Centre,20,5,1000
Nord,10,10,300
Sud,4,1,50
X
cl-rollup --group zone "$T/sales.csv" > "$T/rollup.csv" 2>/dev/null
# Centre: A and B -> 2 clients; revenue 100.10 + 0.20 + 50 = 150.30
#   2/20 = 0.1; 2/25 = 0.08; 18; 23; 150.30/1000 = 0.1503
# Nord: A (also in Centre: counted in both) -> 1; 30; 1/10 = 0.1; 1/20 = 0.05
#   9; 19; 30/300 = 0.1
# Sud: nobody -> 0; 0/4 = 0; 0/5 = 0; 4; 5; 0/50 = 0
# TOTAL: 3 clients; effective 34; ncr 5+10+1 = 16; potential 50;
#   3/34; 3/50 = 0.06; 34-3 = 31; 50-3 = 47; 180.30/1350
t_run "share: --clients counts from a roll-up" 0 cl-share --market "$T/market.csv" --clients "$T/rollup.csv" --segment zone
t_eq "share: roll-up counts, every column by hand" "$(sed '$d' "$T/out")" \
"segment,clients,effective,ncr,potential,share_effective,share_potential,competitors,headroom,revenue,market_revenue,share_value
Centre,2,20,5,25,0.1,0.08,18,23,150.30,1000,0.1503
Nord,1,10,10,20,0.1,0.05,9,19,30.00,300,0.1
Sud,0,4,1,5,0,0,4,5,0.00,50,0"
t_eq "share: roll-up TOTAL by hand (but the two ratios)" "$(tail -1 "$T/out" | cut -d, -f1-5,7-11)" \
  "TOTAL,3,34,16,50,0.06,31,47,180.30,1350"
t_close "share: roll-up TOTAL share_effective = 3/34 (awk)" "$(tail -1 "$T/out" | cut -d, -f6)" "$(awk 'BEGIN { printf "%.17g", 3/34 }')" 1e-17
t_close "share: roll-up TOTAL share_value = 180.30/1350 (awk)" "$(tail -1 "$T/out" | cut -d, -f12)" "$(awk 'BEGIN { printf "%.17g", 180.30/1350 }')" 1e-17
t_eq "share: unmatched segments reported both ways" "$(sed "s|$T/||g" "$T/err")" \
"cl-share: rollup.csv: segment \"Est\" is not in market.csv: 1 client, revenue 12.50 left out
cl-share: rollup.csv: segment \"centre\" is not in market.csv (market.csv:2 has \"Centre\"): 1 client, revenue 7.00 left out
cl-share: market.csv:4: segment \"Sud\" has no clients in rollup.csv"
# --strict: the first roll-up row left out is an error naming its line
t_run "share: --strict with unmatched segments" 1 cl-share --strict -o "$T/strict.csv" \
    --market "$T/market.csv" --clients "$T/rollup.csv" --segment zone
est_line=$(grep -n ',Est,' "$T/rollup.csv" | head -1 | cut -d: -f1)
centre_line=$(grep -n ',centre,' "$T/rollup.csv" | head -1 | cut -d: -f1)
first=$(( est_line < centre_line ? est_line : centre_line ))
[ "$first" = "$est_line" ] && seg='Est' hint='' || seg='centre' hint=' (market.csv:2 has "Centre")'
t_eq "share: --strict names the roll-up's line and segment" "$(sed "s|$T/||g" "$T/err")" \
    "cl-share: rollup.csv:$first: segment \"$seg\" is not in market.csv$hint (--strict)"
t_eq "share: --strict: no output written" "$(ls "$T" | grep -c '^strict')" 0
grep -v ',Est,\|,centre,' "$T/rollup.csv" > "$T/rollup-matched.csv"
t_run "share: --strict when every segment matches" 0 cl-share --strict --market "$T/market.csv" \
    --clients "$T/rollup-matched.csv" --segment zone
t_run "share: --strict on a market table alone (its bad rows are always errors)" 0 \
    cl-share --strict "$SAMPLES/market.csv"
t_eq "share: ... the same table as without it" "$(cat "$T/out")" "$(cl-share "$SAMPLES/market.csv")"
t_run "share: --clients - reads the roll-up from a pipe" 0 sh -c "cl-rollup --group zone '$T/sales.csv' 2>/dev/null | cl-share --clients - --segment zone '$T/market.csv'"
t_eq "share: pipe output = file output" "$(sed -n 2p "$T/out")" "Centre,2,20,5,25,0.1,0.08,18,23,150.30,1000,0.1503"
printf 'zone,effective,ncr\nCentre,1,5\nNord,10,0\n' > "$T/small.csv"
t_run "share: roll-up customers more than consumers" 1 cl-share --market "$T/small.csv" --clients "$T/rollup.csv" --segment zone
t_eq "share: ... error names the segment, the numbers and the roll-up" "$(sed "s|$T/||g" "$T/err" | tail -1)" \
  "cl-share: small.csv:2: segment \"Centre\": 2 clients (counted in rollup.csv) but only 1 effective consumers"
t_run "share: --segment missing from the roll-up" 1 cl-share --market "$T/market.csv" --clients "$T/rollup.csv" --segment region
t_grep "share: ... says which column" 'rollup.csv: no column "region"' "$T/err"

# --- consistency errors: exit 1, a message naming segment and numbers, no output file
err_case() {   # name, market text, expected message
  printf '%s\n' "$2" > "$T/bad.csv"
  rm -f "$T/bad.out"
  t_run "share: error: $1" 1 cl-share -o "$T/bad.out" "$T/bad.csv"
  t_eq "share: error message: $1" "$(sed "s|$T/||g" "$T/err")" "$3"
  [ ! -e "$T/bad.out" ] && ok "share: no output file after: $1" || fail "share: no output file after: $1"
}
err_case "more clients than consumers" "segment,effective,ncr,clients
Sud,10,0,3
Nord,1000,50,1200" 'cl-share: bad.csv:3: segment "Nord": 1200 clients but only 1000 effective consumers'
err_case "negative ncr" "segment,effective,ncr,clients
Nord,1000,-50,12" 'cl-share: bad.csv:2: segment "Nord": negative ncr (-50)'
err_case "negative clients" "segment,effective,ncr,clients
Nord,1000,50,-1" 'cl-share: bad.csv:2: segment "Nord": negative clients (-1)'
err_case "population too small" "segment,effective,ncr,nca,population,clients
Nord,1000,800,3500,5000,10" 'cl-share: bad.csv:2: segment "Nord": population 5000 is smaller than effective + ncr + nca (1000 + 800 + 3500 = 5300)'
err_case "non-integer count" "segment,effective,ncr,clients
Nord,1000,50,12.5" 'cl-share: bad.csv:2: segment "Nord": clients "12.5" is not a whole number'
err_case "a count that is not a number" "segment,effective,ncr,clients
Nord,lots,50,12" 'cl-share: bad.csv:2: segment "Nord": effective "lots" is not a number'
err_case "duplicate segment" "segment,effective,ncr,clients
Nord,10,5,1
Nord,12,5,1" 'cl-share: bad.csv:3: segment "Nord" is listed twice (lines 2 and 3)'
err_case "a totals row" "segment,effective,ncr,clients
Nord,10,5,1
TOTAL,10,5,1" 'cl-share: bad.csv:3: a segment is named "TOTAL": remove the table'"'"'s own total row, cl-share computes the TOTAL'
err_case "revenue above the market" "segment,effective,ncr,clients,revenue,market_revenue
Nord,10,5,1,1500.00,1000.00" 'cl-share: bad.csv:2: segment "Nord": revenue 1500.00 but market revenue only 1000.00'
err_case "no effective column" "segment,ncr,clients
Nord,5,1" 'cl-share: bad.csv: no effective column found (name it with --effective; columns: "segment", "ncr", "clients")'
err_case "ragged row" "segment,effective,ncr,clients
Nord,5,1" 'cl-share: bad.csv:2: 3 fields where the header has 4'

# --- zero denominators: empty cells and a warning naming the segment
printf 'segment,effective,ncr,clients,population,market_revenue,revenue\nA,0,0,0,0,0,0\nB,4,4,1,10,100,5\n' > "$T/zero.csv"
t_run "share: zero denominators are not an error" 0 cl-share "$T/zero.csv"
t_eq "share: zero denominators give empty cells" "$(sed -n 2p "$T/out")" "A,0,0,0,0,,,0,0,0,0,,0,0,"
# B: 1/4 = 0.25, 1/8 = 0.125, nca 10-4-4 = 2, 4/10 = 0.4, 5/100 = 0.05;
# TOTAL: the same sums
t_eq "share: ... and the other rows are computed" "$(sed -n 3,4p "$T/out")" "B,1,4,4,8,0.25,0.125,3,7,2,10,0.4,5,100,0.05
TOTAL,1,4,4,8,0.25,0.125,3,7,2,10,0.4,5,100,0.05"
t_eq "share: zero denominators warn, naming the segment" "$(sed "s|$T/||g" "$T/err")" \
'cl-share: zero.csv:2: segment "A": share_effective left empty: 0 effective consumers
cl-share: zero.csv:2: segment "A": share_potential left empty: potential (effective + ncr) is 0
cl-share: zero.csv:2: segment "A": penetration left empty: population is 0
cl-share: zero.csv:2: segment "A": share_value left empty: market revenue is 0'

# --- large counts stay exact (int64, beyond 2^53)
printf 'segment,effective,ncr,clients\nA,9007199254740993,2,9007199254740993\nB,1,0,0\n' > "$T/large.csv"
t_run "share: large counts" 0 cl-share "$T/large.csv"
t_eq "share: counts beyond 2^53 are summed exactly" "$(tail -1 "$T/out" | cut -d, -f2-5)" "9007199254740993,9007199254740994,2,9007199254740996"

# --- usage errors: exit 2, one line + Try
t_run "share: --clients without --segment" 2 cl-share --clients "$T/rollup.csv" "$T/market.csv"
t_eq "share: ... message" "$(cat "$T/err")" "cl-share: --clients needs --segment COL (the roll-up's segment column)
Try 'cl-share --help'."
t_run "share: both from stdin" 2 cl-share --clients - --segment zone
t_run "share: two market tables" 2 cl-share "$T/market.csv" "$T/market.csv"
t_run "share: unknown option" 2 cl-share --bogus "$T/market.csv"
t_eq "share: unknown option message" "$(head -1 "$T/err")" "cl-share: unknown option --bogus"
t_run "share: --customer without --clients" 2 cl-share --customer id "$T/market.csv"
t_run "share: --help" 0 cl-share --help
t_grep "share: --help shows the usage" "Usage: cl-share" "$T/out"
t_run "share: --version" 0 cl-share --version
t_run "share: no such file" 1 cl-share "$T/nope.csv"
if [ -w /dev/full ]; then
  t_run "share: a write error is an error" 1 sh -c "cl-share '$SAMPLES/market.csv' > /dev/full"
fi

# --- -o writes the file atomically
t_run "share: -o FILE" 0 cl-share -o "$T/share.csv" "$SAMPLES/market.csv"
t_eq "share: -o content" "$(cat "$T/share.csv")" "$optician"

# --- the worked example of docs/share.md is what the program prints
doc="$CL_TESTS/../docs/share.md"
awk '/^<!-- output: market.csv -->/ { on = 1; next } on && /^```$/ { n++; if (n == 2) exit; next } on && n == 1' "$doc" > "$T/doc-out"
t_eq "share: docs/share.md shows the real output for samples/market.csv" "$(cat "$T/doc-out")" "$optician"
