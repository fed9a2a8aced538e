# The README's headline pipeline runs on the bundled data, and cl-share
# --negative-as-zero (the segments checked by an independent awk sum).
. "$CL_TESTS/lib.sh"
cd "$T" || exit 1
s="$SAMPLES/sales-prescribers.csv"     # has a UnitCost column (samples/README.md)
t_grep "examples: the bundled sample has a cost column" "UnitCost" "$s"
t_run "examples: README: cl-rollup | cl-pareto --value margin | cl-plot pareto -o pareto.png" 0 \
    sh -c "cl-rollup '$s' | cl-pareto --value margin | cl-plot pareto -o pareto.png"
t_eq "examples: ... writes a PNG" "$(head -c 4 pareto.png | tail -c 3)" "PNG"
t_grep "examples: the README shows that pipeline" \
    "cl-rollup samples/sales-prescribers.csv | cl-pareto --value margin | cl-plot pareto -o pareto.png" \
    "$CL_TESTS/../README.md"

# cl-share and a segment whose clients' net revenue is below 0 (returns only)
cl-rollup --group Country "$SAMPLES/sales.csv" > rc.csv 2>/dev/null
m="$SAMPLES/market-countries.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
         { sum[$h["Country"]] += $h["revenue"] }
         END { for (c in sum) if (sum[c] < 0) printf "%s %.2f\n", c, sum[c] }' rc.csv | sort > neg.ref
t_eq "examples: the sample has segments whose net revenue is negative" "$(cat neg.ref)" \
    "Portugal -6.24
Switzerland -16.75"
t_run "share: a negative segment is an error by default" 1 \
    cl-share --market "$m" --clients rc.csv --segment Country
line=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["Country"] == "Portugal" && (low == "" || $h["revenue"] + 0 < low) { low = $h["revenue"] + 0; at = NR }
    END { print at }' rc.csv)
t_eq "share: ... naming the roll-up's line, not the market's" "$(cat "$T/err")" \
    "cl-share: rc.csv:$line: segment \"Portugal\": the net revenue of its clients adds up to -6.24, below 0 (this line's client: -6.24, the lowest); --negative-as-zero counts it as 0"
t_run "share: --negative-as-zero" 0 cl-share --negative-as-zero --market "$m" --clients rc.csv --segment Country
t_eq "share: ... counts those segments 0" \
    "$(grep -E '^(Portugal|Switzerland),' "$T/out" | cut -d, -f1,13,15)" \
    "Portugal,0.00,0
Switzerland,0.00,0"
total=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        { sum[$h["Country"]] += $h["revenue"] }
        END { for (c in sum) if (sum[c] > 0 && c ~ /^(United Kingdom|Germany|France|Spain|Belgium|Portugal|Switzerland)$/) t += sum[c]; printf "%.2f", t }' rc.csv)
t_eq "share: ... and the TOTAL revenue is the sum of the others" "$(grep '^TOTAL,' "$T/out" | cut -d, -f13)" "$total"
t_grep "share: ... with a warning per segment" "segment \"Switzerland\": the net revenue of its clients adds up to -16.75, counted as 0" "$T/err"
t_run "share: --negative-as-zero needs --clients" 2 cl-share --negative-as-zero "$SAMPLES/market.csv"
