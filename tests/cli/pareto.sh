# cl-pareto: every figure against a second computation in awk (money in
# integer cents, so sums and comparisons are exact), plus hand cases.
. "$CL_TESTS/lib.sh"

# reference KEYCOL VALCOL [cut|quota] BOUNDS < csv-without-header
# Ranks by sort(1) (value descending, then key), then in awk, with cents:
# writes key,rank,share,cum_share,cum_clients_share,class for every row,
# and "#summary" lines: positive, total_cents, share_top20, clients_for_80, gini.
reference() {
    keycol=$1 valcol=$2 rule=$3 bounds=$4
    awk -F, -v k="$keycol" -v v="$valcol" 'BEGIN { OFS = "," }
        { x = $v; neg = (x ~ /^-/); sub(/^-/, "", x); n = split(x, p, ".");
          c = p[1] * 100 + (n > 1 ? substr(p[2] "00", 1, 2) + 0 : 0);
          print $k, (neg ? -c : c) }' |
    sort -t, -k2,2nr -k1,1 |
    awk -F, -v rule="$rule" -v bounds="$bounds" '
        { key[NR] = $1; x[NR] = $2 + 0; if (x[NR] > 0) { np++; total += x[NR] } }
        END {
            nb = split(bounds, b, ",");
            if (rule == "quota") { s = 0; for (j = 1; j <= nb; j++) { s += b[j]; q[j] = s } }
            top = int((np + 4) / 5); cls = 1; cum = 0; for80 = 0; gnum = 0
            for (i = 1; i <= NR; i++) {
                if (i > np) { print key[i] "," i ",,,,-"; continue }
                # position class: bounds reached before this client
                while (cls <= nb) {
                    if (rule == "quota") reached = (i - 1 >= ceil(np * q[cls] / 100))
                    else reached = (cum * 100 >= b[cls] * total)
                    if (!reached) break; cls++
                }
                c = cls; if (i > 1 && x[i] == x[i - 1]) c = last
                last = c
                cum += x[i]
                if (!for80 && 5 * cum >= 4 * total) for80 = i
                if (i == top) t20 = cum / total
                gnum += (np + 1 - 2 * i) * x[i]
                printf "%s,%d,%.15g,%.15g,%.15g,%c\n", key[i], i, x[i] / total, cum / total, i / np, 64 + c
            }
            printf "#summary,%d,%d,%.15g,%d,%.15g\n", np, total, t20, for80, gnum / (np * total)
        }
        function ceil(a) { return (a == int(a)) ? a : int(a) + 1 }'
}

# compare_rows NAME PARETO_OUTPUT REFERENCE KEYCOL FIRST_ADDED_COL: every
# row's rank and class equal, shares within 1e-12
compare_rows() {
    tail -n +2 "$2" | awk -F, -v k="$4" -v a="$5" '{ print $k "," $a "," $(a+1) "," $(a+2) "," $(a+3) "," $(a+4) }' > "$T/got.rows"
    grep -v '^#' "$3" > "$T/want.rows"
    bad=$(awk -F, 'NR == FNR { want[FNR] = $0; n = FNR; next }
        { split(want[FNR], w, ",")
          if ($1 != w[1] || $2 != w[2] || $6 != w[6]) { print FNR ": " $0 " vs " want[FNR]; next }
          for (j = 3; j <= 5; j++) { d = $j - w[j]; if (d < 0) d = -d; if (($j == "") != (w[j] == "") || d > 1e-12) { print FNR ": " $0 " vs " want[FNR]; next } } }
        END { if (FNR != n) print "rows: " FNR " vs " n }' "$T/want.rows" "$T/got.rows" | head -3)
    t_eq "$1" "$bad" ""
}

# metric FILE NAME: the value of a summary metric
metric() { awk -F, -v m="$2" '$1 == m { print $2 }' "$1"; }

# --- the sample, by the default cut 80,95 ----------------------------------
tail -n +2 "$SAMPLES/customers.csv" | reference 1 3 cut 80,95 > "$T/ref"
t_run "pareto: sample runs" 0 cl-pareto "$SAMPLES/customers.csv"
t_eq "pareto: header = input columns + the five" "$(head -1 "$T/out")" \
    "customer,country,revenue,margin,orders,recency_days,potential,relation,rank,share,cum_share,cum_clients_share,class"
compare_rows "pareto: sample, every rank, share and class as awk computes them" "$T/out" "$T/ref" 1 9
t_eq "pareto: input columns kept as written" "$(sed -n 2p "$T/out" | cut -d, -f1-8)" \
    "C001,FR,18250.00,4120.50,24,3,6000.00,4"
# hand check of the sample: C006 and C007 both 3200.00, ranked by key
t_eq "pareto: a tie in value is ranked by key" "$(grep -n '^C00[67]' "$T/out" | cut -d, -f1,9 | tr '\n' ' ')" \
    "7:C006,6 8:C007,7 "

t_run "pareto: sample summary" 0 cl-pareto --summary "$SAMPLES/customers.csv"
ref=$(grep '^#summary' "$T/ref")
t_eq "pareto: summary clients, positive, nonpositive" \
    "$(metric "$T/out" clients),$(metric "$T/out" positive),$(metric "$T/out" nonpositive)" "21,19,2"
t_eq "pareto: summary total printed exactly (awk: $(echo "$ref" | cut -d, -f3) cents)" \
    "$(metric "$T/out" total)" "62748.70"
t_eq "pareto: nonpositive_total = 0.00 - 45.20" "$(metric "$T/out" nonpositive_total)" "-45.20"
t_close "pareto: share_top20 as awk" "$(metric "$T/out" share_top20)" "$(echo "$ref" | cut -d, -f4)" 1e-12
t_eq "pareto: clients_for_80 as awk" "$(metric "$T/out" clients_for_80)" "$(echo "$ref" | cut -d, -f5)"
t_close "pareto: gini as awk" "$(metric "$T/out" gini)" "$(echo "$ref" | cut -d, -f6)" 1e-12
t_eq "pareto: class counts = the rows' classes" \
    "$(metric "$T/out" class_A_clients),$(metric "$T/out" class_B_clients),$(metric "$T/out" class_C_clients)" \
    "$(grep -c ',A$' "$T/ref"),$(grep -c ',B$' "$T/ref"),$(grep -c ',C$' "$T/ref")"
# class A value share = 18250+9400+7320.40+5100+4980.75+3200+3200 = 51451.15 of 62748.70
t_close "pareto: class_A_value_share by hand (51451.15 / 62748.70)" \
    "$(metric "$T/out" class_A_value_share)" "$(awk 'BEGIN { printf "%.17g", 5145115 / 6274870 }')" 1e-15

# --- quota, and four classes --------------------------------------------
tail -n +2 "$SAMPLES/customers.csv" | reference 1 3 quota 20,30 > "$T/ref"
t_run "pareto: --quota 20,30" 0 cl-pareto --quota 20,30 "$SAMPLES/customers.csv"
compare_rows "pareto: quota classes as awk computes them" "$T/out" "$T/ref" 1 9
# 19 positive: A = ceil(3.8) = 4, B up to ceil(9.5) = 10
t_eq "pareto: quota 20,30 of 19 clients: 4 A, 6 B, 9 C, 2 -" \
    "$(cut -d, -f13 "$T/out" | tail -n +2 | sort | uniq -c | awk '{ printf "%s %s ", $1, $2 }')" "2 - 4 A 6 B 9 C "
tail -n +2 "$SAMPLES/customers.csv" | reference 1 4 cut 50,80,95 > "$T/ref"
t_run "pareto: --value margin --cut 50,80,95" 0 cl-pareto --value margin --cut 50,80,95 "$SAMPLES/customers.csv"
compare_rows "pareto: by margin, four classes, as awk computes them" "$T/out" "$T/ref" 1 9
t_grep "pareto: C004 has a negative margin: last, class -" "C004,UK,5100.00,-240.00,15,8,800.00,2,21,,,,-" "$T/out"

# --- a larger generated case: ties, zeros, returns --------------------------
awk 'BEGIN { srand(7); print "id,revenue";
    for (i = 1; i <= 3000; i++) {
        r = rand()
        if (r < 0.02) v = -int(rand() * 5000) / 100
        else if (r < 0.03) v = 0
        else if (r < 0.2) v = int(rand() * 20) * 50    # many ties
        else v = int(rand() ^ 4 * 5000000) / 100
        printf "k%05d,%.2f\n", (i * 7919) % 100000, v } }' > "$T/big.csv"
for rule in "cut 80,95" "quota 20,30" "cut 33.5,60,90,99"; do
    set -- $rule
    tail -n +2 "$T/big.csv" | reference 1 2 "$1" "$2" > "$T/ref"
    t_run "pareto: 3000 generated clients, --$1 $2" 0 cl-pareto --"$1" "$2" "$T/big.csv"
    compare_rows "pareto: 3000 clients, --$1 $2: every row as awk" "$T/out" "$T/ref" 1 3
done
t_run "pareto: 3000 clients, summary" 0 cl-pareto --summary "$T/big.csv"
ref=$(grep '^#summary' "$T/ref")
t_eq "pareto: 3000 clients: positive as awk" "$(metric "$T/out" positive)" "$(echo "$ref" | cut -d, -f2)"
t_close "pareto: 3000 clients: share_top20 as awk" "$(metric "$T/out" share_top20)" "$(echo "$ref" | cut -d, -f4)" 1e-12
t_eq "pareto: 3000 clients: clients_for_80 as awk" "$(metric "$T/out" clients_for_80)" "$(echo "$ref" | cut -d, -f5)"
t_close "pareto: 3000 clients: gini as awk" "$(metric "$T/out" gini)" "$(echo "$ref" | cut -d, -f6)" 1e-12
# gini a third way, on the first 800 rows: mean absolute difference / (2 mean), O(n^2)
head -801 "$T/big.csv" > "$T/part.csv"
gini3=$(awk -F, 'NR > 1 && $2 > 0 { x[++n] = $2 * 100 } END {
    for (i = 1; i <= n; i++) { s += x[i]; for (j = 1; j < i; j++) d += (x[i] > x[j] ? x[i] - x[j] : x[j] - x[i]) }
    printf "%.17g", d / (n * s) }' "$T/part.csv")
t_close "pareto: 800 clients: gini = mean absolute difference / 2 mean" \
    "$(cl-pareto --summary "$T/part.csv" | awk -F, '$1 == "gini" { print $2 }')" "$gini3" 1e-12
# the input order does not matter
{ head -1 "$T/big.csv"; tail -n +2 "$T/big.csv" | sort -r; } > "$T/big-reversed.csv"
cl-pareto "$T/big.csv" > "$T/a.csv"; cl-pareto "$T/big-reversed.csv" > "$T/b.csv"
t_file_eq "pareto: rows in another order give the same output" "$T/b.csv" "$T/a.csv"

# --- the Lorenz curve --------------------------------------------------------
t_run "pareto: --lorenz on the sample" 0 cl-pareto --lorenz "$SAMPLES/customers.csv"
t_eq "pareto: lorenz header" "$(head -1 "$T/out")" "cum_clients_share,cum_share"
t_eq "pareto: lorenz has n + 1 = 20 points, from 0,0 to 1,1" \
    "$(tail -n +2 "$T/out" | wc -l | tr -d ' ') $(sed -n 2p "$T/out") $(tail -1 "$T/out")" "20 0,0 1,1"
# point 3: the 2 smallest positives 150.00 + 215.60 of 62748.70
t_close "pareto: lorenz point 3 by hand" "$(sed -n 4p "$T/out" | cut -d, -f2)" \
    "$(awk 'BEGIN { printf "%.17g", 36560 / 6274870 }')" 1e-15
t_run "pareto: --lorenz on 3000 clients" 0 cl-pareto --lorenz "$T/big.csv"
t_eq "pareto: lorenz keeps at most 1001 points, first 0,0, last 1,1" \
    "$(tail -n +2 "$T/out" | wc -l | tr -d ' ') $(sed -n 2p "$T/out") $(tail -1 "$T/out")" "1001 0,0 1,1"
t_eq "pareto: lorenz points increase" \
    "$(awk -F, 'NR > 2 && ($1 <= x || $2 < y) { print "no" } { x = $1; y = $2 }' "$T/out")" ""

# --- per group -------------------------------------------------------------
t_run "pareto: --group country --summary" 0 cl-pareto --group country --summary "$SAMPLES/customers.csv"
t_eq "pareto: grouped summary header" "$(head -1 "$T/out")" "country,metric,value"
for c in DE FR UK; do
    { head -1 "$SAMPLES/customers.csv"; grep ",$c," "$SAMPLES/customers.csv"; } > "$T/$c.csv"
    cl-pareto --summary "$T/$c.csv" | tail -n +2 | sed "s/^/$c,/" > "$T/$c.sum"
done
tail -n +2 "$T/out" > "$T/grouped.sum"
cat "$T/DE.sum" "$T/FR.sum" "$T/UK.sum" > "$T/separate.sum"
t_file_eq "pareto: --group = each group run alone" "$T/grouped.sum" "$T/separate.sum"
cp "$T/out" "$T/country.sum"
# the group column keeps its name in every output (before 0.2.0: "group")
t_run "pareto: --group country --lorenz" 0 \
    cl-pareto --group country --lorenz "$SAMPLES/customers.csv"
t_eq "pareto: grouped Lorenz header" "$(head -1 "$T/out")" "country,cum_clients_share,cum_share"
# the readers of a summary still see that it is grouped
t_run "pareto: cl-plot abc refuses a grouped summary" 1 cl-plot abc -o "$T/g.png" "$T/country.sum"
t_eq "pareto: ... and says how to pick a group" "$(cat "$T/err")" \
    "cl-plot: $T/country.sum: several country values (\"DE\", \"FR\"...): choose one with \
--where country=VALUE"
t_run "pareto: cl-plot abc takes one group of it" 0 \
    cl-plot abc --where country=FR -o "$T/g.png" "$T/country.sum"
t_run "pareto: cl-workbook --abc refuses a grouped summary" 1 \
    cl-workbook -o "$T/g.xlsx" --abc country country="$T/country.sum"
t_grep "pareto: ... and says why" "not a cl-pareto --summary table without --group" "$T/err"
t_run "pareto: --group rows" 0 cl-pareto --group country "$SAMPLES/customers.csv"
t_eq "pareto: grouped rows: groups in byte order, ranks from 1 in each" \
    "$(cut -d, -f2,9 "$T/out" | awk -F, '$2 == 1' | tr '\n' ' ')" "DE,1 FR,1 UK,1 "

# --- last period: previous_class and the migration matrix ---------------------
cat > "$T/prev.csv" <<'X'
customer,revenue,rank,share,cum_share,cum_clients_share,class
a,60,1,0.6,0.6,0.25,A
b,25,2,0.25,0.85,0.5,B
c,15,3,0.15,1,0.75,C
x,0,4,,,,-
gone,-3,5,,,,-
X
cat > "$T/now.csv" <<'X'
customer,revenue
a,40
b,45
c,5
x,10
new,0
X
# now: b 45 a 40 x 10 c 5 of 100; shares before 0 .45 .85 .95: A A B C; new 0: -
t_run "pareto: --previous" 0 cl-pareto --previous "$T/prev.csv" "$T/now.csv"
t_eq "pareto: previous_class added, empty for a new client" "$(cat "$T/out")" \
"customer,revenue,rank,share,cum_share,cum_clients_share,class,previous_class
b,45,1,0.45,0.45,0.25,A,B
a,40,2,0.4,0.85,0.5,A,A
x,10,3,0.1,0.95,0.75,B,-
c,5,4,0.05,1,1,C,C
new,0,5,,,,-,"
t_run "pareto: --previous --summary" 0 cl-pareto --previous "$T/prev.csv" --summary "$T/now.csv"
# by hand: A>A a; B>A b; C>C c; ->B x; new>- new; - lost: gone
t_eq "pareto: the migration matrix by hand" \
    "$(grep '^migrate_' "$T/out" | awk -F, '$2 != 0' | tr '\n' ' ')" \
    "migrate_A_A,1 migrate_B_A,1 migrate_C_C,1 migrate_-_B,1 migrate_new_-,1 migrate_-_lost,1 "
t_eq "pareto: the full matrix: 4×4 + 4 new + 4 lost rows" "$(grep -c '^migrate_' "$T/out")" "24"
printf 'customer,class\na,A\na,B\n' > "$T/dup.csv"
t_run "pareto: a key twice in --previous" 1 cl-pareto --previous "$T/dup.csv" "$T/now.csv"
t_eq "pareto: ... names it and both lines" "$(cat "$T/err")" \
    "cl-pareto: $T/dup.csv:3: key \"a\" appears twice (also line 2)"
printf 'customer,class\na,A1\n' > "$T/badclass.csv"
t_run "pareto: a bad class in --previous" 1 cl-pareto --previous "$T/badclass.csv" "$T/now.csv"
t_eq "pareto: ... says where" "$(cat "$T/err")" \
    "cl-pareto: $T/badclass.csv:2: class \"A1\" is not a class (A to Z, or -)"
printf 'client,class\na,A\n' > "$T/nokey.csv"
t_run "pareto: --previous without the key column" 1 cl-pareto --previous "$T/nokey.csv" "$T/now.csv"
t_eq "pareto: ... names the columns there" "$(cat "$T/err")" \
    "cl-pareto: $T/nokey.csv: no column \"customer\" (columns: \"client\", \"class\")"

# per group: matched within the group; a group gone this period is all lost
cat > "$T/gprev.csv" <<'X'
customer,region,class
a,north,A
b,north,B
a,south,C
z,west,A
X
printf 'customer,region,revenue\na,north,10\nb,north,30\na,south,5\n' > "$T/gnow.csv"
t_run "pareto: --group with --previous" 0 cl-pareto --group region --previous "$T/gprev.csv" "$T/gnow.csv"
t_eq "pareto: previous classes looked up in the same group" "$(cut -d, -f1,2,8,9 "$T/out" | tr '\n' ' ')" \
    "customer,region,class,previous_class b,north,A,B a,north,A,A a,south,A,C "
t_run "pareto: --group --previous --summary" 0 cl-pareto --group region --previous "$T/gprev.csv" --summary "$T/gnow.csv"
# north: b B>A, a A>A; south: a C>A; west: no client now, z A lost
t_eq "pareto: migration per group, a vanished group reported" \
    "$(grep ',migrate_' "$T/out" | awk -F, '$3 != 0' | tr '\n' ' ')" \
    "north,migrate_A_A,1 north,migrate_B_A,1 south,migrate_C_A,1 west,migrate_A_lost,1 "
t_eq "pareto: the vanished group has 0 clients" "$(grep '^west,clients,' "$T/out")" "west,clients,0"
t_run "pareto: --group but no group column in --previous" 1 cl-pareto --group region --previous "$T/prev.csv" "$T/gnow.csv"
t_eq "pareto: ... names the columns there" "$(cat "$T/err")" \
    "cl-pareto: $T/prev.csv: no column \"region\" (columns: \"customer\", \"revenue\", \"rank\", \"share\", \"cum_share\", \"cum_clients_share\", \"class\")"

# --- bad values, missing columns (a 10 and d 5 left: shares before 0 and .667, both A) ----------------------------------------------
printf 'customer,revenue\na,10\nb,\nc,abc\nd,5\n,7\n' > "$T/bad.csv"
t_run "pareto: unusable rows are left out, not fatal" 0 cl-pareto "$T/bad.csv"
t_eq "pareto: ... each reported with file:line, then counted" "$(cat "$T/err")" \
"cl-pareto: $T/bad.csv:3: revenue is empty (row left out)
cl-pareto: $T/bad.csv:4: revenue \"abc\" is not a number (row left out)
cl-pareto: $T/bad.csv:6: customer (the key) is empty (row left out)
cl-pareto: $T/bad.csv: 3 rows left out of 5 (--strict makes this an error)"
t_eq "pareto: ... and the others ranked" "$(cut -d, -f1,3,7 "$T/out" | tr '\n' ' ')" "customer,rank,class a,1,A d,2,A "
t_run "pareto: --strict makes the first one an error" 1 cl-pareto --strict -o "$T/strict.csv" "$T/bad.csv"
t_eq "pareto: ... with its line" "$(cat "$T/err")" "cl-pareto: $T/bad.csv:3: revenue is empty"
[ -e "$T/strict.csv" ] && fail "pareto: no output file after an error" || ok "pareto: no output file after an error"
t_run "pareto: --value a missing column" 1 cl-pareto --value margin "$T/bad.csv"
t_eq "pareto: ... names the columns that exist" "$(cat "$T/err")" \
    "cl-pareto: $T/bad.csv: no column \"margin\" (columns: \"customer\", \"revenue\"); cl-rollup writes margin only when the sales have a cost or margin column (--cost COL or --margin COL)"
t_run "pareto: a cl-pareto output is not ranked again" 1 cl-pareto "$T/a.csv"
t_grep "pareto: ... says why" "the input has a column \"rank\" already" "$T/err"

# --- usage errors -------------------------------------------------------------
t_run "pareto: --cut and --quota together" 2 cl-pareto --cut 80 --quota 20 "$T/now.csv"
t_eq "pareto: ... one line and the hint" "$(cat "$T/err")" \
"cl-pareto: --cut and --quota are two conventions: give one
Try 'cl-pareto --help'."
t_run "pareto: a bad --cut" 2 cl-pareto --cut 95,80 "$T/now.csv"
t_eq "pareto: ... says why" "$(head -1 "$T/err")" "cl-pareto: --cut: cumulative percents must increase (95,80)"
t_run "pareto: --summary with --lorenz" 2 cl-pareto --summary --lorenz "$T/now.csv"
t_run "pareto: an unknown option" 2 cl-pareto --bogus "$T/now.csv"
t_run "pareto: two input files" 2 cl-pareto "$T/now.csv" "$T/now.csv"
t_run "pareto: --help" 0 cl-pareto --help
t_grep "pareto: --help on stdout" "Usage: cl-pareto" "$T/out"
t_run "pareto: --version" 0 cl-pareto --version
t_run "pareto: no such file" 1 cl-pareto "$T/nope.csv"

# --- dialects and output -------------------------------------------------------
printf 'client;ca\nx;1 000,50\ny;2,25\nz;0\n' > "$T/fr.csv"
# x 1000.50 then y 2.25: y starts at 99.8%, past 95%: C
t_run "pareto: ';' and decimal comma, --customer and --value" 0 cl-pareto --customer client --value ca "$T/fr.csv"
t_eq "pareto: French input: ranks and classes" "$(awk -F, '{ print $1 "," $(NF-4) "," $NF }' "$T/out" | tr '\n' ' ')" "client,rank,class x,1,A y,2,C z,3,- "
t_close "pareto: French input: share of 1 000,50 in 1 002,75" "$(sed -n 2p "$T/out" | awk -F, '{ print $(NF-3) }')" \
    "$(awk 'BEGIN { printf "%.17g", 100050 / 100275 }')" 1e-15
t_run "pareto: --excel" 0 cl-pareto --excel --summary "$SAMPLES/customers.csv"
t_eq "pareto: spreadsheet dialect: BOM, ';', decimal comma, CRLF" "$(sed -n 5p "$T/out")" "$(printf 'total;62748,70\r')"
t_run "pareto: -o writes the file" 0 cl-pareto -o "$T/o.csv" "$T/now.csv"
t_eq "pareto: ... and nothing on stdout" "$(wc -c < "$T/out" | tr -d ' ')" "0"
t_eq "pareto: ... the file has the rows" "$(wc -l < "$T/o.csv" | tr -d ' ')" "6"
t_run "pareto: stdin" 0 sh -c "cl-pareto < '$T/now.csv'"
t_eq "pareto: ... same as the file" "$(cat "$T/out")" "$(cat "$T/o.csv")"
if [ -w /dev/full ]; then
    t_run "pareto: stdout on a full disk is an error" 1 sh -c "cl-pareto '$T/now.csv' > /dev/full"
    t_grep "pareto: ... said" "cl-pareto: write error" "$T/err"
fi

# --- one row per client; something to rank
printf 'customer,revenue\nA,10\nB,3\nA,5\n' > "$T/dup.csv"
t_run "pareto: a client twice is an error" 1 cl-pareto -o "$T/dup-out.csv" "$T/dup.csv"
t_eq "pareto: ... naming both lines" "$(cat "$T/err")" \
  "cl-pareto: $T/dup.csv:4: client \"A\" appears again (first on line 2): cl-pareto wants one row per client; roll sales lines up with cl-rollup first"
[ -e "$T/dup-out.csv" ] && fail "pareto: ... and no output file" || ok "pareto: ... and no output file"
printf 'customer,country,revenue\nA,FR,10\nA,BE,3\n' > "$T/dup-groups.csv"
t_run "pareto: the same client in two groups is fine with --group" 0 cl-pareto --group country "$T/dup-groups.csv"
printf 'customer,revenue\n' > "$T/header-only.csv"
t_run "pareto: header only" 1 cl-pareto "$T/header-only.csv"
t_eq "pareto: ... says so" "$(cat "$T/err")" "cl-pareto: $T/header-only.csv: no data after the header"

# --decimal-comma / --decimal-point: a column where no value tells the mark
printf 'customer|revenue\nA|1,234\nB|12\n' > "$T/marks.csv"
t_run "pareto: \"1,234\" alone is ambiguous" 0 cl-pareto "$T/marks.csv"
t_grep "pareto: ... the row left out, saying why" \
    'revenue "1,234" is ambiguous (decimal comma or thousands separator?) (row left out)' "$T/err"
t_run "pareto: --decimal-comma" 0 cl-pareto --decimal-comma "$T/marks.csv"
t_eq "pareto: ... 1,234 is 1.234: B's share 12/13.234 (awk)" \
    "$(awk -F, '$1 == "B" { print $4 }' "$T/out")" "$(awk 'BEGIN { printf "%.17g", 12 / 13.234 }')"
t_run "pareto: --decimal-point" 0 cl-pareto --decimal-point "$T/marks.csv"
t_eq "pareto: ... 1,234 is 1234: B's share 12/1246 (awk)" \
    "$(awk -F, '$1 == "B" { print $4 }' "$T/out")" "$(awk 'BEGIN { printf "%.17g", 12 / 1246 }')"
t_run "pareto: --decimal-comma --excel" 0 cl-pareto --decimal-comma --excel "$T/marks.csv"
t_eq "pareto: ... copies 1,234 as the number it is" \
    "$(awk -F';' '$1 == "A" { print $2 }' "$T/out")" "1,234"
t_run "pareto: --decimal-comma and --decimal-point" 2 cl-pareto --decimal-comma --decimal-point \
    "$T/marks.csv"
t_eq "pareto: ... one line says so" "$(head -1 "$T/err")" \
    "cl-pareto: --decimal-comma and --decimal-point cannot be used together"

# --- --also: the summary and the Lorenz curve beside the rows -------------------
# each file the bytes of a run with --summary or --lorenz alone
also_case() {
    name=$1; shift
    rm -f "$T/also-rows" "$T/also-sum" "$T/also-lor"
    t_run "pareto: --also ($name)" 0 cl-pareto "$@" -o "$T/also-rows" \
        --also summary="$T/also-sum" --also lorenz="$T/also-lor"
    cl-pareto "$@" -o "$T/alone-rows" 2> /dev/null
    cl-pareto "$@" --summary -o "$T/alone-sum" 2> /dev/null
    t_file_eq "pareto: ... rows as a run alone ($name)" "$T/also-rows" "$T/alone-rows"
    t_file_eq "pareto: ... summary as --summary alone ($name)" "$T/also-sum" "$T/alone-sum"
    if [ -n "$lorenz_alone" ]; then
        cl-pareto $lorenz_alone --lorenz -o "$T/alone-lor" 2> /dev/null
        t_file_eq "pareto: ... Lorenz curve as --lorenz alone ($name)" "$T/also-lor" \
            "$T/alone-lor"
    fi
}
lorenz_alone="$SAMPLES/customers.csv"
also_case "plain" "$SAMPLES/customers.csv"
lorenz_alone="--group country --excel $SAMPLES/customers.csv"
also_case "--group, --excel" --group country --excel "$SAMPLES/customers.csv"
lorenz_alone="--quota 20,30 --output-delimiter ; $SAMPLES/customers.csv"
also_case "--quota, ';'" --quota 20,30 --output-delimiter ';' "$SAMPLES/customers.csv"
# the Lorenz curve takes nothing from --previous: compared with a run without it
lorenz_alone="$T/now.csv"
also_case "--previous" --previous "$T/prev.csv" "$T/now.csv"
t_grep "pareto: ... the summary with the migrations" "migrate_B_A,1" "$T/also-sum"
# the main output the summary, the curve beside it
t_run "pareto: --summary --also lorenz=FILE" 0 cl-pareto --summary --also lorenz="$T/sl-lor" \
    -o "$T/sl-sum" "$SAMPLES/customers.csv"
cl-pareto --lorenz -o "$T/alone-lor" "$SAMPLES/customers.csv"
cl-pareto --summary -o "$T/alone-sum" "$SAMPLES/customers.csv"
t_file_eq "pareto: ... the curve as --lorenz alone" "$T/sl-lor" "$T/alone-lor"
t_file_eq "pareto: ... the summary as --summary alone" "$T/sl-sum" "$T/alone-sum"
t_run "pareto: --also summary=FILE.xlsx" 0 cl-pareto --also summary="$T/also.xlsx" \
    -o "$T/also-rows" "$SAMPLES/customers.csv"
t_eq "pareto: ... a workbook (zip)" "$(head -c 2 "$T/also.xlsx")" "PK"

# --also refused: what it cannot be, twice, the main output again, the same file
t_run "pareto: --also stats=FILE" 2 cl-pareto --also stats="$T/x" "$SAMPLES/customers.csv"
t_eq "pareto: ... says what it takes" "$(head -1 "$T/err")" \
    "cl-pareto: --also stats=$T/x: give summary=FILE or lorenz=FILE"
t_run "pareto: --also summary= (no file)" 2 cl-pareto --also summary= "$SAMPLES/customers.csv"
t_eq "pareto: ... says so" "$(head -1 "$T/err")" \
    "cl-pareto: --also summary=: the file name is empty"
t_run "pareto: --also summary= twice" 2 cl-pareto --also summary="$T/x" \
    --also summary="$T/y" "$SAMPLES/customers.csv"
t_eq "pareto: ... says so" "$(head -1 "$T/err")" "cl-pareto: --also summary= given twice"
t_run "pareto: --summary --also summary=FILE" 2 cl-pareto --summary --also summary="$T/x" \
    "$SAMPLES/customers.csv"
t_grep "pareto: ... the main output already" "--summary is the main output already" "$T/err"
t_run "pareto: --also lorenz=the -o file" 2 cl-pareto -o "$T/same.csv" \
    --also lorenz="$T/same.csv" "$SAMPLES/customers.csv"
t_run "pareto: --also summary=the input" 2 cl-pareto --also summary="$T/now.csv" "$T/now.csv"
t_eq "pareto: ... the input untouched" "$(head -1 "$T/now.csv")" "customer,revenue"
# a data error: neither file written
rm -f "$T/none-rows" "$T/none-sum"
t_run "pareto: --also, no data" 1 cl-pareto -o "$T/none-rows" --also summary="$T/none-sum" \
    "$T/header-only.csv"
t_eq "pareto: ... no file written" "$(ls "$T/none-rows" "$T/none-sum" 2> /dev/null)" ""
