# cl-score: RFM quintiles and grid scores against a second computation in
# awk (ranks by counting, O(n^2): no sorting shared with the program),
# plus hand cases.
. "$CL_TESTS/lib.sh"

# rfm_reference RCOL FCOL MCOL < csv-without-header: key,r,f,m,rfm,segment
# midrank of x = (values below) + (ties + 1) / 2, score 1 + floor(5 (midrank - .5) / n);
# recency: "below" counts the larger values (lower is better).
rfm_reference() {
    awk -F, -v rc="$1" -v fc="$2" -v mc="$3" '
        { key[NR] = $1; r[NR] = $rc + 0; f[NR] = $fc + 0; m[NR] = $mc + 0 }
        function q(a, i, lower,   j, below, ties) {
            below = 0; ties = 0
            for (j = 1; j <= NR; j++) {
                if (a[j] == a[i]) ties++
                else if (lower ? a[j] > a[i] : a[j] < a[i]) below++
            }
            return 1 + int(5 * (2 * below + ties) / (2 * NR))
        }
        END {
            # rows r = 5..1, columns fm = 1..5
            split("new,potential loyalists,potential loyalists,champions,champions", t5, ",")
            split("promising,potential loyalists,potential loyalists,loyal,loyal", t4, ",")
            split("about to sleep,about to sleep,need attention,loyal,loyal", t3, ",")
            split("hibernating,hibernating,at risk,at risk,cannot lose them", t2, ",")
            split("lost,lost,at risk,at risk,cannot lose them", t1, ",")
            for (i = 1; i <= NR; i++) {
                R = q(r, i, 1); F = q(f, i, 0); M = q(m, i, 0); fm = int((F + M + 1) / 2)
                seg = (R == 5 ? t5[fm] : R == 4 ? t4[fm] : R == 3 ? t3[fm] : R == 2 ? t2[fm] : t1[fm])
                print key[i] "," R "," F "," M "," R F M "," seg
            }
        }'
}

# grid_reference "COL:WEIGHT ..." rank|minmax < csv: key,n_1..n_k,score
grid_reference() {
    awk -F, -v spec="$1" -v how="$2" '
        NR == 1 { for (c = 1; c <= NF; c++) col[$c] = c; next }
        { rows++; key[rows] = $1; line[rows] = $0 }
        END {
            k = split(spec, items, " "); wsum = 0
            for (j = 1; j <= k; j++) { split(items[j], p, ":"); name[j] = p[1]; w[j] = p[2] + 0
                wsum += (w[j] < 0 ? -w[j] : w[j]) }
            for (j = 1; j <= k; j++) {
                for (i = 1; i <= rows; i++) { split(line[i], f, ","); v[j, i] = f[col[name[j]]] + 0 }
                min = max = v[j, 1]
                for (i = 1; i <= rows; i++) { if (v[j, i] < min) min = v[j, i]; if (v[j, i] > max) max = v[j, i] }
                for (i = 1; i <= rows; i++) {
                    if (how == "rank") {
                        below = 0; ties = 0
                        for (l = 1; l <= rows; l++) {
                            if (v[j, l] == v[j, i]) ties++
                            else if (w[j] < 0 ? v[j, l] > v[j, i] : v[j, l] < v[j, i]) below++
                        }
                        x = (2 * below + ties) / (2 * rows)
                    } else if (max == min) x = 0.5
                    else x = (w[j] < 0 ? max - v[j, i] : v[j, i] - min) / (max - min)
                    n[j, i] = x
                }
            }
            for (i = 1; i <= rows; i++) {
                out = key[i]; s = 0
                for (j = 1; j <= k; j++) { out = out "," sprintf("%.17g", n[j, i]); s += (w[j] < 0 ? -w[j] : w[j]) / wsum * n[j, i] }
                print out "," sprintf("%.17g", 100 * s)
            }
        }'
}

# compare NAME GOT WANT: same lines, numbers within 1e-12, text equal
compare() {
    bad=$(awk -F, 'NR == FNR { want[FNR] = $0; n = FNR; next }
        { k = split(want[FNR], w, ","); if (k != NF) { print FNR ": " $0 " vs " want[FNR]; next }
          for (j = 1; j <= NF; j++) {
              if ($j ~ /^-?[0-9.]+(e-?[0-9]+)?$/ && w[j] ~ /^-?[0-9.]+(e-?[0-9]+)?$/) {
                  d = $j - w[j]; if (d < 0) d = -d; if (d > 1e-12) { print FNR ": " $0 " vs " want[FNR]; next } }
              else if ($j != w[j]) { print FNR ": " $0 " vs " want[FNR]; next } } }
        END { if (FNR != n) print "rows: " FNR " vs " n }' "$3" "$2" | head -3)
    t_eq "$1" "$bad" ""
}

# --- RFM on the sample ----------------------------------------------------------
t_run "score: --rfm on the sample" 0 cl-score --rfm "$SAMPLES/customers.csv"
t_eq "score: rfm header = input columns + r,f,m,rfm,segment" "$(head -1 "$T/out")" \
    "customer,country,revenue,margin,orders,recency_days,potential,relation,r,f,m,rfm,segment"
tail -n +2 "$SAMPLES/customers.csv" | rfm_reference 6 5 3 > "$T/want"
tail -n +2 "$T/out" | cut -d, -f1,9- > "$T/got"
compare "score: rfm, every client as awk counts it" "$T/got" "$T/want"
# by hand: C001 is the most recent (3 days), most orders (24), most revenue: 555
t_grep "score: C001 is 555, a champion" "C001,FR,18250.00,4120.50,24,3,6000.00,4,5,5,5,555,champions" "$T/out"
# C021: 140 days (5 clients older: rank 6 from worst of 21, 1 + floor(5 × 5.5 / 21) = 2),
# 1 order (6 tied lowest: midrank 3.5, 1 + floor(5 × 3 / 21) = 1), least revenue: 1
t_grep "score: C021 by hand: 2,1,1, hibernating" "C021,UK,-45.20,-45.20,1,140,0.00,1,2,1,1,211,hibernating" "$T/out"

# --- a hand case: five clients ------------------------------------------------------
cat > "$T/five.csv" <<'X'
id,recency_days,orders,revenue
a,10,1,100
b,10,1,50
c,200,3,300
d,30,9,300
e,400,1,20
X
# recency (lower better): 400 < 200 < 30 < 10,10: e mid 1, c 2, d 3, a/b 4.5 → 1+floor(5(m-.5)/5): 1,2,3,5,5
# orders: 1,1,1 (mid 2) → 2; 3 → 4; 9 → 5.  revenue: 20 → 1; 50 → 2; 100 → 3; 300,300 (mid 4.5) → 5
t_run "score: --rfm hand case" 0 cl-score --rfm "$T/five.csv"
t_eq "score: rfm hand case, every score" "$(cut -d, -f1,5- "$T/out")" \
"id,r,f,m,rfm,segment
a,5,2,3,523,potential loyalists
b,5,2,2,522,potential loyalists
c,2,4,5,245,cannot lose them
d,3,5,5,355,loyal
e,1,2,1,121,lost"

# --- RFM on a larger generated table: heavy ties, order independence --------------
awk 'BEGIN { srand(11); print "customer,recency_days,orders,revenue,spend";
    for (i = 1; i <= 400; i++)
        printf "c%04d,%d,%d,%.2f,%d\n", i, int(rand() * 40) * 7, 1 + int(rand() ^ 3 * 12), int(rand() * 60) * 25, int(rand() * 5) }' > "$T/gen.csv"
t_run "score: --rfm on 400 generated clients" 0 cl-score --rfm "$T/gen.csv"
tail -n +2 "$T/gen.csv" | rfm_reference 2 3 4 > "$T/want"
tail -n +2 "$T/out" | cut -d, -f1,6- > "$T/got"
compare "score: 400 clients with ties, every score as awk" "$T/got" "$T/want"
{ head -1 "$T/gen.csv"; tail -n +2 "$T/gen.csv" | sort -r; } > "$T/gen-reversed.csv"
cl-score --rfm "$T/gen-reversed.csv" | tail -n +2 | sort > "$T/b"
tail -n +2 "$T/out" | sort > "$T/a"
t_file_eq "score: rfm does not depend on input order" "$T/b" "$T/a"
t_run "score: --rfm with other columns" 0 cl-score --rfm --value spend --frequency orders --recency recency_days "$T/gen.csv"
tail -n +2 "$T/gen.csv" | rfm_reference 2 3 5 > "$T/want"
tail -n +2 "$T/out" | cut -d, -f1,6- > "$T/got"
compare "score: --monetary spend, as awk" "$T/got" "$T/want"

# --- the grid ------------------------------------------------------------------------
t_run "score: --grid on the sample" 0 cl-score --grid 'margin=0.5,potential=0.3,relation=0.2' "$SAMPLES/customers.csv"
t_eq "score: grid header" "$(head -1 "$T/out")" \
    "customer,country,revenue,margin,orders,recency_days,potential,relation,n_margin,n_potential,n_relation,score"
t_eq "score: weights summing to 1: no note" "$(cat "$T/err")" ""
grid_reference "margin:0.5 potential:0.3 relation:0.2" rank < "$SAMPLES/customers.csv" > "$T/want"
tail -n +2 "$T/out" | cut -d, -f1,9- > "$T/got"
compare "score: grid by rank, every n_ and score as awk" "$T/got" "$T/want"
# by hand: C001 margin is the highest of 21 (n = 20.5/21), potential 2nd (19.5/21),
# relation 4 (15 clients below 4, four 4s: midrank 17.5, 17/21)
t_close "score: C001 by hand" "$(grep '^C001' "$T/out" | cut -d, -f12)" \
    "$(awk 'BEGIN { printf "%.17g", 100 * (0.5 * 20.5 + 0.3 * 19.5 + 0.2 * 17) / 21 }')" 1e-12

t_run "score: --grid with a lower-is-better criterion, --normalize minmax" 0 \
    cl-score --normalize minmax --grid 'revenue=2,recency_days=-1' "$SAMPLES/customers.csv"
t_eq "score: weights not summing to 1: the note says so" "$(cat "$T/err")" \
    "cl-score: note: the weights add up to 3, not 1: each is divided by it"
grid_reference "revenue:2 recency_days:-1" minmax < "$SAMPLES/customers.csv" > "$T/want"
tail -n +2 "$T/out" | cut -d, -f1,9- > "$T/got"
compare "score: grid minmax with -1, as awk" "$T/got" "$T/want"
# by hand: C001 has the top revenue (n 1) and 3 days (range 3..330: n 1): 100
t_eq "score: C001 best on both: 100" "$(grep '^C001' "$T/out" | cut -d, -f9-)" "1,1,100"
# C021: revenue -45.20 the least (0), 140 days: (330-140)/327 × 1/3 × 100
t_close "score: C021 by hand" "$(grep '^C021' "$T/out" | cut -d, -f11)" \
    "$(awk 'BEGIN { printf "%.17g", 100 * (190 / 327) / 3 }')" 1e-12

# then the classes of the grid: "only 20% in class A"
cl-score --grid 'margin=0.5,potential=0.3,relation=0.2' "$SAMPLES/customers.csv" |
    cl-pareto --value score --quota 20,30 > "$T/abc.csv"
# 21 clients, all scores > 0: A = ceil(4.2) = 5, B up to ceil(10.5) = 11
t_eq "score | pareto --by score --quota 20,30: 5 A, 6 B, 10 C" \
    "$(awk -F, 'NR > 1 { n[$NF]++ } END { print n["A"] "," n["B"] "," n["C"] }' "$T/abc.csv")" "5,6,10"

# --- bad values and columns ---------------------------------------------------------------
printf 'id,recency_days,orders,revenue\na,1,2,3\nb,x,2,3\nc,1,,3\nd,2,1,1\n' > "$T/bad.csv"
t_run "score: unusable rows are left out" 0 cl-score --rfm "$T/bad.csv"
t_eq "score: ... each reported with file:line, then counted" "$(cat "$T/err")" \
"cl-score: $T/bad.csv:3: recency_days \"x\" is not a number (row left out)
cl-score: $T/bad.csv:4: orders is empty (row left out)
cl-score: $T/bad.csv: 2 rows left out of 4 (--strict makes this an error)"
t_eq "score: ... the others scored among themselves" "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" "id a d "
t_run "score: --strict" 1 cl-score --rfm --strict -o "$T/s.csv" "$T/bad.csv"
t_eq "score: ... the first bad row is the error" "$(cat "$T/err")" "cl-score: $T/bad.csv:3: recency_days \"x\" is not a number"
[ -e "$T/s.csv" ] && fail "score: no output file after an error" || ok "score: no output file after an error"
t_run "score: a missing column" 1 cl-score --grid 'margin=1' "$T/bad.csv"
t_eq "score: ... names the columns that exist" "$(cat "$T/err")" \
    "cl-score: $T/bad.csv: no column \"margin\" (columns: \"id\", \"recency_days\", \"orders\", \"revenue\"); cl-rollup writes margin only when the sales have a cost or margin column (--cost COL or --margin COL)"
cl-score --rfm "$T/five.csv" > "$T/scored.csv"
t_run "score: an RFM output is not scored again" 1 cl-score --rfm "$T/scored.csv"
t_eq "score: ... says why" "$(cat "$T/err")" "cl-score: $T/scored.csv: the input has a column \"r\" already"

# --- usage ---------------------------------------------------------------------------
t_run "score: no mode" 2 cl-score "$T/five.csv"
t_eq "score: ... one line and the hint" "$(cat "$T/err")" \
"cl-score: say which score: --grid SPEC or --rfm
Try 'cl-score --help'."
t_run "score: both modes" 2 cl-score --rfm --grid a=1 "$T/five.csv"
t_run "score: a bad --grid" 2 cl-score --grid 'revenue=0' "$T/five.csv"
t_eq "score: ... says which weight" "$(head -1 "$T/err")" \
    "cl-score: --grid: weight \"0\" of \"revenue\" is not a non-zero number"
t_run "score: a bad --normalize" 2 cl-score --grid revenue=1 --normalize zscore "$T/five.csv"
t_run "score: --recency without --rfm" 2 cl-score --grid revenue=1 --recency x "$T/five.csv"
t_run "score: one column twice in the grid" 2 cl-score --grid 'revenue=1,Revenue=2' "$T/five.csv"
t_run "score: --help" 0 cl-score --help
t_grep "score: --help on stdout" "Usage: cl-score" "$T/out"

# --- dialects ---------------------------------------------------------------------------
t_run "score: --excel" 0 cl-score --excel --grid revenue=1 "$T/five.csv"
t_eq "score: spreadsheet dialect: BOM, ';', CRLF" "$(sed -n 1p "$T/out")" "$(printf '\357\273\277id;recency_days;orders;revenue;n_revenue;score\r')"
t_eq "score: ... numbers with a decimal comma" "$(sed -n 6p "$T/out")" "$(printf 'e;400;1;20;0,1;10\r')"
if [ -w /dev/full ]; then
    t_run "score: stdout on a full disk is an error" 1 sh -c "cl-score --rfm '$T/five.csv' > /dev/full"
fi
