# cl-plot on the real outputs of the other programs, run on samples/: every
# kind draws, and the figures the charts print agree with the ones the
# programs compute themselves (cl-pareto --summary against the chart's own
# reading of the rows and of the Lorenz points).
. "$CL_TESTS/lib.sh"
for p in cl-rollup cl-pareto cl-score cl-share cl-kmeans; do
    command -v $p > /dev/null || { ok "samples: $p not built yet (skipped)"; exit 0; }
done
png_size() {
    od -An -tu1 -j16 -N8 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }'
}
S=$SAMPLES
cl-rollup "$S/sales.csv" > "$T/rollup.csv" 2> /dev/null
cl-pareto "$T/rollup.csv" > "$T/pareto.csv"
cl-pareto --summary "$T/rollup.csv" > "$T/summary.csv"
cl-pareto --lorenz "$T/rollup.csv" > "$T/lorenz.csv"
cl-rollup --month 2011-10 "$S/sales.csv" 2> /dev/null | cl-pareto > "$T/previous.csv"
cl-rollup --month 2011-11 "$S/sales.csv" 2> /dev/null | cl-pareto --summary --previous "$T/previous.csv" > "$T/migration.csv"
cl-score --rfm "$T/rollup.csv" > "$T/rfm.csv"
cl-share "$S/market.csv" > "$T/share.csv"
f=age,annual_income_thousands,spending_score
cl-kmeans --features $f "$S/mall-customers.csv" > "$T/clusters.csv" 2> "$T/km.err" || mv "$T/km.err" "$T/clusters.failed"
cl-kmeans --features $f --profiles "$S/mall-customers.csv" > "$T/profiles.csv" 2> "$T/km.err" || mv "$T/km.err" "$T/profiles.failed"
cl-kmeans --features $f --select "$S/mall-customers.csv" > "$T/select.csv" 2> "$T/km.err" || mv "$T/km.err" "$T/select.failed"

for pair in pareto:pareto lorenz:lorenz abc:summary migration:migration rfm:rfm share:share \
            clusters:clusters select:select personas:profiles; do
    kind=${pair%%:*}; file=$T/${pair#*:}.csv
    if [ -f "$T/${pair#*:}.failed" ]; then
        # the producing program failed: not cl-plot's doing, say so
        echo "ok - samples: $kind skipped, its input could not be made # $(head -c 200 "$T/${pair#*:}.failed" | tr '\n' ' ')"
        continue
    fi
    for lang in en fr; do
        rm -f "$T/c.png"
        t_run "samples: $kind $lang" 0 cl-plot $kind --lang $lang -o "$T/c.png" "$file"
        t_eq "samples: $kind $lang is 1280x720" "$(png_size "$T/c.png")" "1280 720"
        t_eq "samples: $kind $lang, gnuplot said nothing" "$(cat "$T/err")" ""
    done
done

metric() { awk -F, -v m="$1" '$1 == m { print $2 }' "$T/summary.csv"; }
n80=$(metric clients_for_80); npos=$(metric positive)
pct80=$(awk -v a="$n80" -v b="$npos" 'BEGIN { printf "%.0f%%", 100 * a / b }')
cl-plot pareto --script "$T/pareto.csv" > "$T/s"
t_grep "samples: pareto says clients_for_80 of the summary" "'$n80 clients ($pct80 of clients) make 80% of revenue'" "$T/s"
gini=$(awk -v g="$(metric gini)" 'BEGIN { printf "%.2f", g }')
top20=$(awk -v g="$(metric share_top20)" 'BEGIN { printf "%.1f%%", 100 * g }')
for f in lorenz pareto; do
    cl-plot lorenz --script "$T/$f.csv" > "$T/s"
    t_grep "samples: lorenz from $f has the summary's gini" "'Gini index: $gini'" "$T/s"
    what=revenue; [ $f = lorenz ] && what="the value"
    t_grep "samples: lorenz from $f has the summary's share_top20" "'make $top20 of $what.'" "$T/s"
done
