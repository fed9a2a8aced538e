# cl-clv: the published CDNOW fits from the raw log, an independent scipy
# fit, the roll-up columns recomputed with awk, predictions checked for
# consistency, saved models, the holdout table, errors.
. "$CL_TESTS/lib.sh"
CDNOW="$SAMPLES/cdnow-sample.csv"
param() { awk -F, -v p="$1" '$1 == p { print $2 }' "$2"; }
# the key and cl-clv's nine columns of a per-client output, in place
ours() { awk -F, -v OFS=, '{ k = $1; for (i = NF - 8; i <= NF; i++) k = k OFS $i; print k }' \
    "$1" > "$1.ours" && mv "$1.ours" "$1"; }

# ---- the acceptance run: Fader, Hardie & Lee (2005), calibration to 1997-09-30
cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$CDNOW" > "$T/cal.csv"
t_run "acceptance: cl-rollup | cl-clv --params" 0 sh -c \
    "cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 '$CDNOW' | cl-clv --params"
cp "$T/out" "$T/params"
t_eq "params: header" "$(head -1 "$T/params")" "parameter,value,std_error"
t_close "BG/NBD r = 0.243 (published)" "$(param r "$T/params")" 0.243 0.0005
t_close "BG/NBD alpha = 4.414 (published)" "$(param alpha "$T/params")" 4.414 0.0005
t_close "BG/NBD a = 0.793 (published)" "$(param a "$T/params")" 0.793 0.0005
t_close "BG/NBD b = 2.426 (published)" "$(param b "$T/params")" 2.426 0.0005
t_close "BG/NBD log-likelihood = -9582.4 (published)" \
    "$(param bgnbd_log_likelihood "$T/params")" -9582.4 0.05
t_eq "BG/NBD on 2357 clients, converged" \
    "$(param bgnbd_n "$T/params") $(param bgnbd_converged "$T/params")" "2357 1"
t_close "Gamma-Gamma p = 6.25 (published)" "$(param p "$T/params")" 6.25 0.005
t_close "Gamma-Gamma q = 3.74 (published)" "$(param q "$T/params")" 3.74 0.005
t_close "Gamma-Gamma gamma = 15.44 (published)" "$(param gamma "$T/params")" 15.44 0.005
t_eq "Gamma-Gamma on the 946 repeat buyers" "$(param gg_n "$T/params")" 946
t_eq "unit: weeks by default" "$(param unit_days "$T/params")" 7
t_eq "every parameter has a standard error" \
    "$(awk -F, '$1 ~ /^(r|alpha|a|b|p|q|gamma)$/ && !($3 > 0) { print $1 }' "$T/params")" ""
# lifetimes' summary of the same fit prints these standard errors
t_close "se(r) = 0.0126 (lifetimes)" "$(awk -F, '$1 == "r" { print $3 }' "$T/params")" 0.0126 0.0001
t_close "se(alpha) = 0.378 (lifetimes)" \
    "$(awk -F, '$1 == "alpha" { print $3 }' "$T/params")" 0.378 0.001

# ---- the roll-up columns the models read, recomputed from the raw log
awk -F, 'NR > 1 && $2 <= 19970930 { k = $1 SUBSEP $2
            if (!(k in seen)) { seen[k] = 1; days[$1]++ }
            if (!($1 in first) || $2 < first[$1]) { first[$1] = $2; fr[$1] = 0 }
            if ($2 == first[$1]) fr[$1] += $4 }
         END { for (c in days) printf "%s,%d,%.2f\n", c, days[c], fr[c] }' "$CDNOW" \
    | sort > "$T/awk-days"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
         { printf "%s,%d,%.2f\n", $1, $col["purchase_days"], $col["first_day_revenue"] }' \
    "$T/cal.csv" | sort > "$T/our-days"
t_file_eq "purchase_days and first_day_revenue = awk on the raw log" "$T/our-days" "$T/awk-days"
t_eq "946 clients with more than one purchase day" \
    "$(awk -F, '$2 > 1' "$T/awk-days" | wc -l | tr -d ' ')" 946

# ---- per client
t_run "per-client table" 0 cl-clv "$T/cal.csv"
t_eq "per-client header: the roll-up's columns, then cl-clv's" "$(head -1 "$T/out")" \
    "$(head -1 "$T/cal.csv"),frequency,recency,T,monetary_value,p_alive,expected_purchases,avg_spend,expected_spend,clv"
t_eq "the roll-up's columns as written" "$(cut -d, -f1-12 "$T/out")" "$(cat "$T/cal.csv")"
cp "$T/out" "$T/clients-full"
cp "$T/out" "$T/clients"
ours "$T/clients"
t_eq "one row per client" "$(awk 'END { print NR - 1 }' "$T/clients")" 2357
first=$(awk -F, '$6 == "1997-01-01" { print $1; exit }' "$T/cal.csv")
t_eq "T of a client first buying 1997-01-01 = 38.86 weeks (272 days / 7)" \
    "$(awk -F, -v c="$first" '$1 == c { print $4 }' "$T/clients")" 38.8571
t_eq "no NaN, no inf" "$(grep -ci 'nan\|inf' "$T/clients")" 0
t_eq "p_alive in [0, 1], expected purchases >= 0" \
    "$(awk -F, 'NR > 1 && ($6 < 0 || $6 > 1 || $7 < 0)' "$T/clients" | wc -l | tr -d ' ')" 0
t_eq "expected_spend = expected_purchases x avg_spend; clv = it undiscounted" \
    "$(awk -F, 'NR > 1 { d = $7 * $8 - $9; e = $9 - $10; tol = 0.005 * $7 + 0.006
                         if (d > tol || d < -tol || e != 0) n++ }
                END { print n + 0 }' "$T/clients")" 0
# p_alive recomputed by awk from the published formula and the fitted parameters
r=$(param r "$T/params"); al=$(param alpha "$T/params"); a=$(param a "$T/params"); b=$(param b "$T/params")
t_eq "p_alive = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x)) (awk, from the days)" \
    "$(awk -F, -v r="$r" -v al="$al" -v a="$a" -v b="$b" '
        NR == FNR { if (FNR > 1) { x[$1] = $11 - 1; tx[$1] = $9 / 7; T[$1] = ($8 + $9) / 7 }; next }
        FNR > 1 { k = $1
        p = x[k] == 0 ? 1 : 1 / (1 + a / (b + x[k] - 1) * ((al + T[k]) / (al + tx[k])) ^ (r + x[k]))
        d = p - $6; if (d > 6e-7 || d < -6e-7) n++ } END { print n + 0 }' "$T/cal.csv" "$T/clients")" 0
t_eq "client 00004 (x=2, tx=30.43, T=38.86): E[X(52)]" \
    "$(awk -F, '$1 == "00004" { print $2, $3, $4, $7 }' "$T/clients")" "2 30.4286 38.8571 1.558686"
t_run "--discount lowers clv" 0 cl-clv --discount 0.01 "$T/cal.csv"
ours "$T/out"
t_eq "discounted clv < undiscounted, for every client with a value" \
    "$(awk -F, 'NR > 1 && $9 > 0 && !($10 < $9)' "$T/out" | wc -l | tr -d ' ')" 0
# the discounted value by hand for 00004: sum of weekly increments of E[X(t)]
t_run "--horizon 1" 0 cl-clv --horizon 1 --discount 0.01 "$T/cal.csv"
ours "$T/out"
t_eq "one period: clv = E[X(1)] x avg_spend / 1.01" \
    "$(awk -F, '$1 == "00004" { v = $7 * $8 / 1.01 - $10; print (v < 0.006 && v > -0.006) }' "$T/out")" 1

# ---- an independent fit: scipy, the way lifetimes does it
PY=
for p in python3 /usr/bin/python3; do
    if command -v "$p" > /dev/null && "$p" -c 'import scipy' 2> /dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
    "$PY" "$CL_TESTS/../bench/clv-scipy.py" log "$CDNOW" 1997-09-30 > "$T/scipy"
    t_eq "scipy: the same clients" "$(param bgnbd_n "$T/scipy") $(param gg_n "$T/scipy")" "2357 946"
    for p in bgnbd_log_likelihood gg_log_likelihood; do
        t_eq "scipy: $p equal to 1e-6 relative" "$(awk -v a="$(param $p "$T/params")" \
            -v b="$(param $p "$T/scipy")" 'BEGIN { d = (a - b) / b; print (d < 1e-6 && d > -1e-6) }')" 1
    done
    for p in r alpha a b p q gamma; do
        t_close "scipy: $p to 1e-4" "$(param $p "$T/params")" "$(param $p "$T/scipy")" 0.0001
    done
else
    ok "scipy check skipped: no python3 with scipy (apt-get install python3-scipy)"
fi

# ---- saved models: next month's clients scored with this month's fit
t_run "--save-model" 0 cl-clv --save-model "$T/model.csv" "$T/cal.csv"
t_file_eq "--save-model does not change the output" "$T/out" "$T/clients-full"
t_run "--model" 0 cl-clv --model "$T/model.csv" "$T/cal.csv"
t_file_eq "--model gives the same predictions as the fit" "$T/out" "$T/clients-full"
t_run "--model --params" 0 cl-clv --model "$T/model.csv" --params "$T/cal.csv"
t_eq "a loaded model has its parameters, no fit figures" \
    "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" "parameter r alpha a b p q gamma unit_days "
t_run "--model with another --unit" 2 cl-clv --model "$T/model.csv" --unit day "$T/cal.csv"
t_eq "--unit against the model's: the message" "$(head -1 "$T/err")" \
    "cl-clv: --unit day: the model $T/model.csv is in units of 7 days"
printf 'parameter,value\nr,0.2\nalpha,abc\n' > "$T/badmodel.csv"
t_run "bad model file" 1 cl-clv --model "$T/badmodel.csv" "$T/cal.csv"
t_eq "bad model: file, line, value" "$(cat "$T/err")" \
    "cl-clv: $T/badmodel.csv:3: alpha \"abc\" is not a positive number"

# ---- units
t_run "--unit day" 0 cl-clv --unit day --params "$T/cal.csv"
t_close "days: r does not depend on the unit" "$(param r "$T/out")" "$r" 0.00001
t_close "days: alpha = 7 x alpha in weeks" "$(param alpha "$T/out")" \
    "$(awk -v a="$al" 'BEGIN { print 7 * a }')" 0.001
t_close "days: the log-likelihood shifts by -(sum of x) log 7 (a density in time)" \
    "$(param bgnbd_log_likelihood "$T/out")" \
    "$(awk -F, -v ll="$(param bgnbd_log_likelihood "$T/params")" \
        'NR > 1 { s += $2 } END { printf "%.4f", ll - s * log(7) }' "$T/clients")" 0.001

# ---- holdout: 1997-10-01 to 1998-06-30, 39 weeks
cl-rollup --date-format %Y%m%d --from 1997-10-01 --to 1998-06-30 --asof 1998-06-30 \
    "$CDNOW" > "$T/hold.csv"
t_run "--holdout" 0 cl-clv --holdout "$T/hold.csv" "$T/cal.csv"
cp "$T/out" "$T/holdout"
t_eq "holdout header" "$(head -1 "$T/holdout")" "frequency,clients,predicted,actual,holdout_units"
t_eq "holdout rows: 0..6, 7+, all" "$(cut -d, -f1 "$T/holdout" | tr '\n' ' ')" \
    "frequency 0 1 2 3 4 5 6 7+ all "
t_eq "holdout length 39 weeks" "$(awk -F, '$1 == "all" { print $5 }' "$T/holdout")" 39.0000
actual=$(awk -F, 'NR == FNR { if (FNR > 1) cal[$1] = 1; next }
    FNR > 1 && $2 >= 19971001 && $2 <= 19980630 && ($1 in cal) && !(($1, $2) in seen) {
        seen[$1, $2] = 1; n++ } END { printf "%.6f", n / 2357 }' "$T/cal.csv" "$CDNOW")
t_eq "holdout actual mean = distinct holdout days per client (awk on the log)" \
    "$(awk -F, '$1 == "all" { print $4 }' "$T/holdout")" "$actual"
cl-clv --horizon 39 "$T/cal.csv" > "$T/h39"
ours "$T/h39"
t_close "holdout predicted mean = mean E[X(39) | calibration]" \
    "$(awk -F, '$1 == "all" { print $3 }' "$T/holdout")" \
    "$(awk -F, 'NR > 1 { s += $7 } END { printf "%.6f", s / 2357 }' "$T/h39")" 0.000001
t_eq "holdout groups add up to all the clients" \
    "$(awk -F, '$1 != "all" && NR > 1 { s += $2 } END { print s }' "$T/holdout")" 2357

# ---- repeat spend <= 0: left out of Gamma-Gamma, counted, no value
awk -F, 'NR == 2 { $2 = $11 } { print }' OFS=, "$T/cal.csv" > "$T/zero.csv"
zero=$(awk -F, 'NR == 2 { print $1 }' "$T/zero.csv")
t_run "a client whose repeat spend is 0" 0 cl-clv "$T/zero.csv"
ours "$T/out"
t_eq "counted on stderr" "$(cat "$T/err")" \
    "cl-clv: 1 clients with repeat purchases worth <= 0 left out of Gamma-Gamma; they get no value"
t_eq "no value, still a p_alive" "$(awk -F, -v c="$zero" '$1 == c { print $6 != "", $8 $9 $10 }' "$T/out")" "1 "

# ---- errors
t_run "not a roll-up" 1 cl-clv "$SAMPLES/customers.csv"
t_eq "not a roll-up: the message" "$(cat "$T/err")" \
    "cl-clv: $SAMPLES/customers.csv: no \"purchase_days\" column: cl-clv reads the output of cl-rollup (with purchase_days and first_day_revenue)"
awk -F, 'NR == 3 { $11 = "x2" } { print }' OFS=, "$T/cal.csv" > "$T/bad.csv"
t_run "a bad cell" 1 cl-clv "$T/bad.csv"
t_eq "a bad cell: file, line, column, value" "$(cat "$T/err")" \
    "cl-clv: $T/bad.csv:3: purchase_days \"x2\" is not a whole number >= 1"
t_eq "no output on error" "$(cat "$T/out")" ""
awk -F, 'NR == 3 { $8 = $8 + 1 } { print }' OFS=, "$T/cal.csv" > "$T/asof.csv"
t_run "two as-of dates" 1 cl-clv "$T/asof.csv"
t_grep "two as-of dates: named" "one roll-up has one --asof" "$T/err"
# nobody came back: the BG/NBD maximum is at the edge of the parameter space
awk -F, 'NR == 1 || $11 == 1' "$T/cal.csv" > "$T/once.csv"
t_run "no repeat purchase at all: the fit fails" 1 cl-clv --params "$T/once.csv"
t_grep "the failure says so" "the BG/NBD fit" "$T/err"
t_eq "and writes nothing" "$(cat "$T/out")" ""
t_run "usage: --value" 2 cl-clv --value volume "$T/cal.csv"
t_eq "usage: --value message" "$(cat "$T/err")" "cl-clv: --value: \"volume\" is not revenue or margin
Try 'cl-clv --help'."
t_run "usage: --unit" 2 cl-clv --unit year "$T/cal.csv"
t_run "usage: --horizon" 2 cl-clv --horizon -3 "$T/cal.csv"
t_run "--value margin without a margin column" 1 cl-clv --value margin "$T/cal.csv"
t_grep "--by margin: names the column" 'no "margin" column' "$T/err"

# ---- the new roll-up columns on the retail sample, by Python's decimal
python3 - "$SAMPLES/sales.csv" > "$T/py-days" <<'PY'
import csv, sys
from decimal import Decimal
days, first = {}, {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        c = row["CustomerID"]
        if not c:
            continue
        d = row["InvoiceDate"][:10]
        v = Decimal(row["Quantity"]) * Decimal(row["UnitPrice"])
        days.setdefault(c, set()).add(d)
        if c not in first or d < first[c][0]:
            first[c] = [d, Decimal(0)]
        if d == first[c][0]:
            first[c][1] += v
for c in sorted(days):
    print("%s,%d,%s" % (c, len(days[c]), first[c][1].quantize(Decimal("0.01"))))
PY
cl-rollup "$SAMPLES/sales.csv" 2> /dev/null | awk -F, 'NR > 1 { print $1 "," $11 "," $12 }' > "$T/our-retail"
t_file_eq "retail sample: purchase_days and first_day_revenue = Python decimal" \
    "$T/our-retail" "$T/py-days"
# (orders counts purchase orders only, purchase_days every order's day, a
# credit note's too: a client with a credit note alone on a day has more days)
t_eq "retail sample: some clients have two invoices on one day" \
    "$(cl-rollup "$SAMPLES/sales.csv" 2> /dev/null | awk -F, 'NR > 1 && $11 < $5 { n++ } END { print (n > 0) }')" "1"

# ---- --by margin: a margin of exactly half the amount halves gamma and
# the values, and leaves p, q and the purchase model unchanged
awk -F, '{ sub(/\r$/, "") } NR == 1 { print $0 ",margin"; next }
    { printf "%s,%.3f\n", $0, $4 / 2 }' "$CDNOW" > "$T/half.csv"
cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 --margin margin "$T/half.csv" \
    > "$T/half-roll.csv" 2> /dev/null
t_run "--value margin" 0 cl-clv --value margin --params "$T/half-roll.csv"
t_close "margin: p unchanged" "$(param p "$T/out")" "$(param p "$T/params")" 0.0001
t_close "margin: q unchanged" "$(param q "$T/out")" "$(param q "$T/params")" 0.0001
t_close "margin: gamma halved" "$(param gamma "$T/out")" \
    "$(awk -v g="$(param gamma "$T/params")" 'BEGIN { print g / 2 }')" 0.0001
t_eq "margin: the purchase model unchanged" "$(param bgnbd_log_likelihood "$T/out")" \
    "$(param bgnbd_log_likelihood "$T/params")"
t_run "--value margin, per client" 0 cl-clv --value margin "$T/half-roll.csv"
ours "$T/out"
t_eq "margin: 00004's monetary value is half its revenue's" \
    "$(awk -F, '$1 == "00004" { print $5 }' "$T/out")" \
    "$(awk -F, '$1 == "00004" { printf "%.2f", $5 / 2 }' "$T/clients")"

# ---- input columns named like ours are replaced, not doubled
cl-clv "$T/cal.csv" > "$T/again-in.csv"
t_run "cl-clv on its own output" 0 cl-clv "$T/again-in.csv"
t_file_eq "... the same table" "$T/out" "$T/clients-full"

# ---- no drop-out in the data: the maximum is at the edge, and the message
# says where (the report's 2011-11 history of the retail sample; scipy's
# Nelder-Mead stops there too, at a = 0.0002, b = 213474, without saying so)
cl-rollup --to 2011-11-30 --asof 2011-12-01 "$SAMPLES/sales.csv" > "$T/retail.csv" 2> /dev/null
t_run "retail history: no drop-out to fit" 1 cl-clv "$T/retail.csv"
t_grep "... the message says where the likelihood goes" \
    "the likelihood keeps rising towards a drop-out probability of 0" "$T/err"
t_eq "... and no output" "$(cat "$T/out")" ""

# ---- the monthly report's section: class A clients at risk
t_run "cl-report on CDNOW, September 1997" 0 cl-report --quiet --date-format %Y%m%d \
    --month 1997-09 -o "$T/reports" "$CDNOW"
R="$T/reports/1997-09"
t_eq "at-risk.csv: header and 10 rows" "$(head -1 "$R/at-risk.csv") $(awk 'END { print NR - 1 }' "$R/at-risk.csv")" \
    "customer,revenue,p_alive,expected_purchases,clv 10"
# recomputed: the class A clients of pareto.csv, their p_alive in clv.csv, lowest first
awk -F, 'NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) h[$i] = i
                     else if ($h["class"] == "A") a[$1] = 1; next }
         FNR == 1 { for (i = 1; i <= NF; i++) g[$i] = i; next }
         $1 in a { print $g["p_alive"], $1 }' "$R/pareto.csv" "$R/clv.csv" | sort -n > "$T/a-palive"
t_eq "the first at risk has the lowest p_alive of the class A clients" \
    "$(awk -F, 'NR == 2 { print $3, $1 }' "$R/at-risk.csv")" "$(head -1 "$T/a-palive")"
t_eq "clv-summary: class A clients counted" "$(awk -F, '$1 == "a_clients" { print $2 }' "$R/clv-summary.csv")" \
    "$(wc -l < "$T/a-palive" | tr -d ' ')"
t_eq "clv-summary: below one half counted" "$(awk -F, '$1 == "a_below_half" { print $2 }' "$R/clv-summary.csv")" \
    "$(awk '$1 < 0.5' "$T/a-palive" | wc -l | tr -d ' ')"
t_grep "the page has the section" '<section id="clv">' "$R/index.html"
t_eq "the page lists the 10" "$(awk '/<table id="at-risk">/,/<\/table>/' "$R/index.html" | grep -c '<td class="id">')" 10
first=$(awk -F, 'NR == 2 { print $1 }' "$R/at-risk.csv")
t_grep "the first one named, with its p_alive in percent" "<td class=\"id\">$first</td>" "$R/index.html"
# without cl-clv beside it: no section, nothing said
mkdir "$T/noclv"
for p in "$CL_BIN"/cl-*; do
    case $p in */cl-clv) ;; */cl-report) cp "$p" "$T/noclv/" ;; *) ln -s "$p" "$T/noclv/" ;; esac
done
t_run "cl-report without cl-clv" 0 env PATH="$T/noclv:/usr/bin:/bin" "$T/noclv/cl-report" --quiet \
    --date-format %Y%m%d --month 1997-09 -o "$T/reports2" "$CDNOW"
t_eq "... no section, no clv files" \
    "$(grep -c 'id="clv"' "$T/reports2/1997-09/index.html"; ls "$T/reports2/1997-09" | grep -c 'clv\|at-risk')" "0
0"

# ---- charts: cl-plot alive, holdout, value; their numbers recomputed
cl-clv "$T/cal.csv" > "$T/rows.csv"
t_run "cl-plot alive --script" 0 cl-plot alive --script "$T/rows.csv"
awk '/^\$cells << EOD/ { on = 1; next } /^EOD/ { on = 0 }
     on { printf "%d %d %.6f\n", $2, int($3 / ($4 - $3) + 0.5), $7 }' \
    "$T/out" | sort > "$T/cells-plot"
# the same cells by awk: 20 recency bins over 0..max, frequencies capped where
# 99% of the clients are (at least 5), the mean p_alive of each cell
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    { n++; f[n] = $h["frequency"]; r[n] = $h["recency"]; p[n] = $h["p_alive"]
      if (r[n] > rmax) rmax = r[n]; if (f[n] > fmax) fmax = f[n]; cnt[f[n]]++ }
    END { cap = 0; below = 0
          while (cap < fmax && below + cnt[cap] < 0.99 * n) { below += cnt[cap]; cap++ }
          if (cap < 5) cap = fmax < 5 ? fmax : 5
          w = rmax / 20
          for (i = 1; i <= n; i++) { row = f[i] > cap ? cap : f[i]; bin = int(r[i] / w); if (bin >= 20) bin = 19
                                     k = row " " bin; c[k]++; s[k] += p[i] }
          for (k in c) { split(k, a, " "); printf "%d %d %.6f\n", a[1], a[2], s[k] / c[k] } }' \
    "$T/rows.csv" | sort > "$T/cells-awk"
awk '{ print $1 "_" $2, $3 }' "$T/cells-plot" | sort > "$T/cells-plot-k"
awk '{ print $1 "_" $2, $3 }' "$T/cells-awk" | sort > "$T/cells-awk-k"
t_eq "alive: every cell's mean p_alive = awk's" \
    "$(join -j1 "$T/cells-plot-k" "$T/cells-awk-k" |
       awk '{ d = $2 - $3; if (d > 1e-5 || d < -1e-5) bad++ } END { print NR, bad + 0 }') $(wc -l < "$T/cells-plot" | tr -d ' ')" \
    "$(wc -l < "$T/cells-awk" | tr -d ' ') 0 $(wc -l < "$T/cells-awk" | tr -d ' ')"
t_eq "alive: the cell of the clients who never came back is 1" \
    "$(awk '$1 == 0 && $2 == 0 { print $3 }' "$T/cells-plot")" "1.000000"
t_run "cl-plot holdout --script" 0 cl-plot holdout --script "$T/holdout"
t_eq "holdout: the bars are the table's means" \
    "$(awk '/^\$groups << EOD/ { on = 1; next } /^EOD/ { on = 0 } on { printf "%.4f %.4f ", $2, $3 }' "$T/out")" \
    "$(awk -F, 'NR > 1 && $1 != "all" { printf "%.4f %.4f ", $3, $4 }' "$T/holdout")"
cl-pareto --value revenue "$T/rows.csv" > "$T/ranked.csv"
t_run "cl-plot value --script" 0 cl-plot value --script "$T/ranked.csv"
t_eq "value: the curve ends at 100%" \
    "$(awk '/^\$curve << EOD/ { on = 1; next } /^EOD/ { on = 0 } on { last = $3 } END { print last }' "$T/out")" 1
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["clv"] != "" { s[$h["class"]] += $h["clv"]; n[$h["class"]]++; t += $h["clv"] }
    END { for (c in s) printf "%s: %.1f%%, %d clients\n", c, 100 * s[c] / t, n[c] }' "$T/ranked.csv" |
    sort > "$T/shares"
t_eq "value: each class's share of the expected value, as awk sums it" \
    "$(grep -o "'[A-Z-]: [0-9.]*%, [0-9]* clients'" "$T/out" | tr -d "'" | sort)" "$(cat "$T/shares")"
t_run "cl-plot value draws" 0 cl-plot value -o "$T/value.png" "$T/ranked.csv"
t_eq "... a PNG" "$(head -c 4 "$T/value.png" | tail -c 3)" "PNG"
# hostile text in a class name is drawn, never run
awk -F, -v OFS=, 'NR == 2 { $NF = "\"x'"'"'; system(\"\"touch '"$T"'/PWNED\"\"); y\"" } { print }' \
    "$T/ranked.csv" > "$T/hostile.csv"
t_run "a hostile class name" 0 cl-plot value -o "$T/hostile.png" "$T/hostile.csv"
t_eq "... runs nothing" "$(ls "$T" | grep -c PWNED)" 0
t_run "alive on a table without p_alive" 1 cl-plot alive "$T/cal.csv"
t_eq "... names the column" "$(cat "$T/err")" \
    "cl-plot: $T/cal.csv: no column \"frequency\": the alive chart reads the rows of cl-clv"

# ---- cl-rollup --excel read back: ';' and decimal commas give the same fit
cl-rollup --excel --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$CDNOW" \
    > "$T/cal-excel.csv" 2> /dev/null
cl-clv --params "$T/cal.csv" > "$T/params-plain.csv"
t_run "--excel roll-up read back" 0 cl-clv --params "$T/cal-excel.csv"
t_file_eq "... the same parameters as from the plain roll-up" "$T/out" "$T/params-plain.csv"

# ---- --decimal-comma / --decimal-point: the money columns' mark
tr ',' ';' < "$T/cal.csv" > "$T/semi-point.csv"   # a ';' table with decimal points
t_run "a ';' roll-up with decimal points: an error, not misread" 1 cl-clv --params "$T/semi-point.csv"
t_eq "... naming the line and the value" "$(cat "$T/err")" \
    "cl-clv: $T/semi-point.csv:2: revenue \"$(awk -F, 'NR == 2 { print $2 }' "$T/cal.csv")\" is not an amount"
t_run "... read with --decimal-point" 0 cl-clv --params --decimal-point "$T/semi-point.csv"
t_file_eq "... the plain roll-up's parameters" "$T/out" "$T/params-plain.csv"
awk -F, -v OFS=, 'NR > 1 { for (i = 2; i <= 12; i += 10) { sub(/\./, ",", $i); $i = "\"" $i "\"" } }
                  { print }' "$T/cal.csv" > "$T/comma.csv"
t_run "quoted decimal commas in a ',' roll-up: an error" 1 cl-clv --params "$T/comma.csv"
t_run "... read with --decimal-comma" 0 cl-clv --params --decimal-comma "$T/comma.csv"
t_file_eq "... the plain roll-up's parameters" "$T/out" "$T/params-plain.csv"
t_run "--decimal-comma and --decimal-point together" 2 cl-clv --decimal-comma --decimal-point \
    "$T/cal.csv"

# ---- --strict: a client left out of Gamma-Gamma is an error
t_run "--strict: a client whose repeat spend is 0" 1 cl-clv --strict "$T/zero.csv"
t_eq "... names the file, the line and the client" "$(cat "$T/err")" \
    "cl-clv: $T/zero.csv:2: client \"$zero\": repeat purchases worth <= 0, left out of Gamma-Gamma (--strict makes this an error)"
t_eq "... no output" "$(cat "$T/out")" ""
t_run "--strict with --model: the same error" 1 cl-clv --strict --model "$T/model.csv" "$T/zero.csv"
t_run "--strict on a roll-up where no client is left out" 0 cl-clv --strict "$T/cal.csv"
t_file_eq "... the same table as without it" "$T/out" "$T/clients-full"
