# cl-clv --tracking: the cumulative repeat purchases week by week on CDNOW
# (Fader, Hardie & Lee 2005, figure 2), the actual counts recomputed by
# Python from the raw log, the predictions by a second method (scipy's
# hyp2f1 in the closed form of E[X(t)]), cl-plot tracking, mismatched files,
# and cl-clv's messages in French.
. "$CL_TESTS/lib.sh"
CDNOW="$SAMPLES/cdnow-sample.csv"
param() { awk -F, -v p="$1" '$1 == p { print $2 }' "$2"; }
col() { awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$2"; }

cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$CDNOW" > "$T/cal.csv"
t_run "cl-rollup --partial of the whole log" 0 cl-rollup --date-format %Y%m%d --partial "$CDNOW"
cp "$T/out" "$T/orders.csv"
t_run "--tracking" 0 cl-clv --tracking "$T/orders.csv" "$T/cal.csv"
cp "$T/out" "$T/track.csv"
t_eq "tracking header" "$(head -1 "$T/track.csv")" \
    "period,end_date,calibration,actual,predicted,cumulative_actual,cumulative_predicted"
t_eq "78 weeks, 1997-01-01 to 1998-06-30" \
    "$(awk -F, 'NR == 2 { f = $2 } END { print NR - 1, f, $2 }' "$T/track.csv")" \
    "78 1997-01-07 1998-06-30"
t_eq "weeks 1-39 calibration, 40-78 not" \
    "$(awk -F, 'NR > 1 { n[$3]++; if ($3 == 1) last = $1 } END { print n[1], n[0], last }' "$T/track.csv")" \
    "39 39 39"
t_eq "the cumulative columns are the running sums" \
    "$(awk -F, 'NR > 1 { a += $4; p += $5; d = p - $7
                         if (a != $6 || d > 0.0005 || d < -0.0005) bad++ } END { print bad + 0 }' "$T/track.csv")" 0

# ---- actual: every purchase day of a client but his first, per week from
# 1997-01-01, by Python's datetime on the raw log
/usr/bin/python3 - "$CDNOW" > "$T/py-actual" <<'PY'
import csv, datetime, sys
days = {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        days.setdefault(row["customer_id"], set()).add(
            datetime.datetime.strptime(row["date"], "%Y%m%d").date())
origin = min(min(d) for d in days.values())
weeks = [0] * 78
for ds in days.values():
    for d in sorted(ds)[1:]:
        weeks[(d - origin).days // 7] += 1
print(origin, " ".join(map(str, weeks)))
PY
t_eq "actual per week = Python on the raw log (origin 1997-01-01)" \
    "1997-01-01 $(awk -F, 'NR > 1 { s = s (NR > 2 ? " " : "") $4 } END { print s }' "$T/track.csv")" \
    "$(cat "$T/py-actual")"
cl-clv "$T/cal.csv" > "$T/clients.csv"
t_eq "cumulative actual at week 39 = the calibration's repeat purchases (sum of frequency)" \
    "$(awk -F, '$1 == 39 { print $6 }' "$T/track.csv")" \
    "$(col frequency "$T/clients.csv" | awk '{ s += $1 } END { print s }')"
# the holdout table's actual mean, times the clients, is the last 39 weeks' sum
cl-rollup --date-format %Y%m%d --from 1997-10-01 --to 1998-06-30 --asof 1998-06-30 \
    "$CDNOW" > "$T/hold.csv"
cl-clv --holdout "$T/hold.csv" "$T/cal.csv" > "$T/holdout.csv"
t_eq "weeks 40-78 actual = the holdout table's (mean x 2357)" \
    "$(awk -F, 'NR > 1 && $3 == 0 { s += $4 } END { print s }' "$T/track.csv")" \
    "$(awk -F, '$1 == "all" { printf "%.0f", $4 * $2 }' "$T/holdout.csv")"

# ---- predicted: the unconditional E[X(t)] of BG/NBD in its closed form,
# (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))],
# with scipy's hyp2f1 (cl-clv sums a transformed series of its own), for
# every client at the end of every week (his age from his first purchase)
cl-clv --params "$T/cal.csv" > "$T/params.csv"
if /usr/bin/python3 -c 'import scipy' 2> /dev/null; then
    /usr/bin/python3 - "$T/params.csv" "$T/cal.csv" "$T/track.csv" > "$T/py-pred" <<'PY'
import csv, datetime, sys
from scipy.special import hyp2f1
p = {row["parameter"]: float(row["value"]) for row in csv.DictReader(open(sys.argv[1]))}
r, al, a, b = p["r"], p["alpha"], p["a"], p["b"]
def E(t):
    if t <= 0:
        return 0.0
    return (a + b - 1) / (a - 1) * (1 - (al / (al + t)) ** r * hyp2f1(r, b, a + b - 1, t / (al + t)))
first = [datetime.date.fromisoformat(row["first_date"]) for row in csv.DictReader(open(sys.argv[2]))]
worst = 0.0     # the table has 4 decimals
for row in csv.DictReader(open(sys.argv[3])):
    end = datetime.date.fromisoformat(row["end_date"])
    ours = float(row["cumulative_predicted"])
    theirs = sum(E((end - f).days / 7) for f in first)
    worst = max(worst, abs(ours - theirs))
print("ok" if worst <= 0.00005 + 1e-9 else "worst difference %g" % worst)
PY
    t_eq "cumulative predicted = sum of E[X(age)] by scipy's hyp2f1, every week (to the 4 decimals written)" \
        "$(cat "$T/py-pred")" ok
else
    ok "scipy check skipped: no python3 with scipy (apt-get install python3-scipy)"
fi
# a hand case: one client, t = 1 week, a = 2 (the series of E[X(t)] then has
# b as its only non-trivial parameter): E[X(t)] from the NBD while alive
printf 'parameter,value\nr,1\nalpha,1\na,2\nb,1\nunit_days,7\n' > "$T/hand-model.csv"
printf 'customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,tenure_days,avg_order,purchase_days,first_day_revenue\nc1,10,1,1,1,2020-01-01,2020-01-01,6,0,10,1,10\n' \
    > "$T/hand-cal.csv"
printf 'customer,order,revenue,quantity,lines,first_date,last_date,returns,return_lines\nc1,o1,10,1,1,2020-01-01,2020-01-01,0,0\nc1,o2,5,1,1,2020-01-10,2020-01-10,0,0\n' \
    > "$T/hand-orders.csv"
t_run "a hand case: one client, calibration to 2020-01-07, a purchase on 2020-01-10" 0 cl-clv --model "$T/hand-model.csv" \
    --tracking "$T/hand-orders.csv" "$T/hand-cal.csv"
# r = alpha = 1, a = 2, b = 1: E[X(t)] = 2 [1 - (1/(1+t)) 2F1(1, 1; 2; z)], z = t/(1+t),
# 2F1(1, 1; 2; z) = -ln(1 - z)/z, so E[X(t)] = 2 [1 - ln(1 + t)/t]; at t = 6/7
# and 9/7 (the first week ends on day 6 of the client's life, the second,
# cut at the last day of the orders, on day 9)
t_eq "... E[X(6/7)], E[X(9/7)] = 2 (1 - ln(1 + t)/t), the repeat purchase in week 2" \
    "$(awk -F, 'NR > 1 { print $1, $2, $3, $4, $7 }' "$T/out")" \
    "$(awk 'BEGIN { t = 6 / 7; printf "1 2020-01-07 1 0 %.4f\n", 2 * (1 - log(1 + t) / t)
                    t = 9 / 7; printf "2 2020-01-10 0 1 %.4f", 2 * (1 - log(1 + t) / t) }')"

# ---- the chart
t_run "cl-plot tracking --script" 0 cl-plot tracking --script "$T/track.csv"
t_eq "tracking: the curves are the table's cumulative columns" \
    "$(awk '/^\$track << EOD/ { on = 1; next } /^EOD/ { on = 0 } on { printf "%d %d %.4f\n", $1, $2, $3 }' "$T/out" | md5sum)" \
    "$(awk -F, 'NR > 1 { printf "%d %d %.4f\n", $1, $6, $7 }' "$T/track.csv" | md5sum)"
t_grep "tracking: the end of the calibration marked at week 39" "set arrow 1 from 39, 0" "$T/out"
t_run "cl-plot tracking draws" 0 cl-plot tracking -o "$T/track.png" "$T/track.csv"
t_eq "... a PNG" "$(head -c 4 "$T/track.png" | tail -c 3)" "PNG"
t_run "tracking chart on another table" 1 cl-plot tracking "$T/holdout.csv"
t_eq "... names the column" "$(cat "$T/err")" \
    "cl-plot: $T/holdout.csv: no column \"period\": the tracking chart reads cl-clv --tracking"

# ---- other units: days
t_run "--tracking --unit day" 0 cl-clv --unit day --tracking "$T/orders.csv" "$T/cal.csv"
t_eq "546 days, the same repeat purchases in all" \
    "$(awk -F, 'END { print NR - 1, $6 }' "$T/out")" "546 $(awk -F, 'END { print $6 }' "$T/track.csv")"

# ---- clients who first bought after the calibration: left out, counted
{ cat "$CDNOW"; printf '99998,19980105,1,10.00\n99998,19980301,1,12.00\n99999,19980401,2,20.00\n'; } \
    > "$T/more.csv"
cl-rollup --date-format %Y%m%d --partial "$T/more.csv" > "$T/more-orders.csv"
t_run "newcomers in the orders" 0 cl-clv --tracking "$T/more-orders.csv" "$T/cal.csv"
t_eq "... counted on stderr" "$(cat "$T/err")" \
    "cl-clv: 2 clients of $T/more-orders.csv first bought after the calibration: left out"
t_file_eq "... and left out of every count" "$T/out" "$T/track.csv"

# ---- the orders of other data: an error naming the client, no output
grep -v '^00004,19970118,' "$CDNOW" > "$T/less.csv"
cl-rollup --date-format %Y%m%d --partial "$T/less.csv" > "$T/less-orders.csv"
t_run "orders missing a calibration purchase" 1 cl-clv --tracking "$T/less-orders.csv" "$T/cal.csv"
t_eq "... names the client and the counts" "$(cat "$T/err")" \
    "cl-clv: $T/less-orders.csv: client \"00004\" bought on 2 days up to 1997-09-30, but on 3 in $T/cal.csv: not the same data"
t_eq "... and writes nothing" "$(cat "$T/out")" ""
grep -v '^00004,19970101,' "$CDNOW" > "$T/late.csv"
cl-rollup --date-format %Y%m%d --partial "$T/late.csv" > "$T/late-orders.csv"
t_run "orders with another first day" 1 cl-clv --tracking "$T/late-orders.csv" "$T/cal.csv"
t_eq "... names both days" "$(cat "$T/err")" \
    "cl-clv: $T/late-orders.csv: client \"00004\" first bought on 1997-01-18, but on 1997-01-01 in $T/cal.csv: not the same data"
printf 'customer_id,date,cds,amount\n77777,19970301,1,5.00\n' | cat "$CDNOW" - > "$T/extra.csv"
cl-rollup --date-format %Y%m%d --partial "$T/extra.csv" > "$T/extra-orders.csv"
t_run "a client of the calibration period missing from the roll-up" 1 \
    cl-clv --tracking "$T/extra-orders.csv" "$T/cal.csv"
t_grep "... named" "client \"77777\" bought on 1997-03-01, within the calibration (to 1997-09-30), but is not in the calibration roll-up" "$T/err"
t_run "a roll-up instead of orders" 1 cl-clv --tracking "$T/hold.csv" "$T/cal.csv"
t_eq "... says what it reads" "$(cat "$T/err")" \
    "cl-clv: $T/hold.csv: no \"order\" and \"first_date\" columns: the tracking reads the output of cl-rollup --partial"
t_run "--tracking with --params" 2 cl-clv --params --tracking "$T/orders.csv" "$T/cal.csv"

# ---- messages in French (--lang fr), as the French report shows them
t_run "--lang fr: the same error in French" 1 cl-clv --lang fr --tracking "$T/hold.csv" "$T/cal.csv"
t_eq "... the French message" "$(cat "$T/err")" \
    "cl-clv: $T/hold.csv : pas de colonnes « order » et « first_date » : le suivi lit la sortie de cl-rollup --partial"
awk -F, 'NR == 3 { $11 = "x2" } { print }' OFS=, "$T/cal.csv" > "$T/bad.csv"
t_run "--lang fr: a bad cell" 1 cl-clv --lang fr "$T/bad.csv"
t_eq "... file, line, column, value in French" "$(cat "$T/err")" \
    "cl-clv: $T/bad.csv:3 : purchase_days « x2 » n’est pas un nombre entier >= 1"
t_run "--lang de" 2 cl-clv --lang de "$T/cal.csv"
t_eq "... a usage error" "$(head -1 "$T/err")" "cl-clv: --lang: \"de\" is not en or fr"
t_run "--lang fr: the output is the same" 0 cl-clv --lang fr "$T/cal.csv"
t_file_eq "... (only messages change)" "$T/out" "$T/clients.csv"

# ---- the bundled retail sample: ten weeks without a drop-out. The message
# says so plainly, in both languages; Python checks independently that the
# data cannot support the fit (the likelihood's supremum is the no-drop-out
# limit, the NBD model, not a point of BG/NBD)
cl-rollup "$SAMPLES/sales.csv" > "$T/retail.csv" 2> /dev/null
# the clients and the longest T (tenure + recency) of the roll-up, by awk
n=$(awk 'END { print NR - 1 }' "$T/retail.csv")
longest=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    { t = $h["tenure_days"] + $h["recency_days"]; if (t > m) m = t } END { print m }' "$T/retail.csv")
t_run "retail sample: no fit" 1 cl-clv "$T/retail.csv"
t_grep "... says why, with the clients and the longest history (awk)" \
    "the BG/NBD model cannot be fitted to these $n clients, followed for $longest days at most: they show no sign of leaving" "$T/err"
t_grep "... and what would help" "a longer history is needed" "$T/err"
t_run "retail sample, --lang fr" 1 cl-clv --lang fr "$T/retail.csv"
t_grep "... in French" \
    "le modèle BG/NBD ne peut pas être ajusté à ces $n clients, suivis $longest jours au plus : ils ne montrent aucun signe de départ" "$T/err"
t_eq "... and no output" "$(cat "$T/out")" ""
if /usr/bin/python3 -c 'import scipy' 2> /dev/null; then
    /usr/bin/python3 - "$T/retail.csv" > "$T/py-edge" <<'PY'
# The BG/NBD log-likelihood maximised with the drop-out probability's mean
# m = a/(a+b) held at 0.1, 0.01, 0.001 (over r, alpha and a+b), and the NBD
# (no drop-out: the limit m -> 0): the profile rises as m falls, up to the NBD.
import csv, sys
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, betaln
rows = list(csv.DictReader(open(sys.argv[1])))
x = np.array([float(r["purchase_days"]) - 1 for r in rows])
tx = np.array([float(r["tenure_days"]) / 7 for r in rows])
T = tx + np.array([float(r["recency_days"]) / 7 for r in rows])
def bgnbd(r, al, a, b):
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(al)
    a2 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(al + T)
    a3 = np.where(x > 0, betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b)
                  - (r + x) * np.log(al + tx), -np.inf)
    return np.sum(a1 + np.logaddexp(a2, a3))
def nbd(r, al):
    return np.sum(gammaln(r + x) - gammaln(r) + r * np.log(al) - (r + x) * np.log(al + T))
def best(f, k):
    found = None
    for start in ([0.0] * k, [1.0] * k, [-1.0] * k, [2.0] * k):
        res = minimize(lambda u: -f(*np.exp(u)), start, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
        if found is None or res.fun < found:
            found = res.fun
    return -found
profile = [best(lambda r, al, s: bgnbd(r, al, m * s, (1 - m) * s), 3) for m in (0.1, 0.01, 0.001)]
limit = best(nbd, 2)
rising = profile[0] < profile[1] < profile[2] <= limit + 1e-6
print("rising" if rising else "not rising: %s, NBD %s" % (profile, limit))
PY
    t_eq "Python: the profile likelihood rises to the no-drop-out limit (no interior maximum)" \
        "$(cat "$T/py-edge")" rising
else
    ok "scipy check skipped: no python3 with scipy (apt-get install python3-scipy)"
fi

# ---- the French report on the bundled sample: cl-clv's message in French
t_run "cl-report --lang fr on the retail sample" 0 cl-report --quiet --lang fr -o "$T/rep" \
    "$SAMPLES/sales.csv"
t_eq "... the page says in French why there are no lifetime values" \
    "$(cat "$T"/rep/*/index.html | grep -c 'ils ne montrent aucun signe de départ' | awk '{ print ($1 > 0) }')" 1
t_eq "... and not in English" "$(cat "$T"/rep/*/index.html | grep -c 'no sign of leaving')" 0
