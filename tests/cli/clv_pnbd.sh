# cl-clv --model-kind pnbd: the Pareto/NBD fit on CDNOW against the published
# figures (Fader, Hardie & Lee 2005: r = 0.553, alpha = 10.58, s = 0.606,
# beta = 11.67, log-likelihood -9595.0), against an independent fit and the
# per-client formulas in Python with scipy's hyp2f1, saved models, the
# holdout and tracking tables with it.
. "$CL_TESTS/lib.sh"
CDNOW="$SAMPLES/cdnow-sample.csv"
param() { awk -F, -v p="$1" '$1 == p { print $2 }' "$2"; }

cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$CDNOW" > "$T/cal.csv"
t_run "acceptance: cl-rollup | cl-clv --model-kind pnbd --params" 0 sh -c \
    "cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 '$CDNOW' | cl-clv --model-kind pnbd --params"
cp "$T/out" "$T/params"
t_close "Pareto/NBD r = 0.553 (published)" "$(param r "$T/params")" 0.553 0.0005
t_close "Pareto/NBD alpha = 10.58 (published)" "$(param alpha "$T/params")" 10.58 0.005
t_close "Pareto/NBD s = 0.606 (published)" "$(param s "$T/params")" 0.606 0.0005
t_close "Pareto/NBD beta = 11.67 (published)" "$(param beta "$T/params")" 11.67 0.005
t_close "Pareto/NBD log-likelihood = -9595.0 (published)" \
    "$(param pnbd_log_likelihood "$T/params")" -9595.0 0.05
t_eq "on 2357 clients, converged, no BG/NBD rows" \
    "$(param pnbd_n "$T/params") $(param pnbd_converged "$T/params") $(grep -c '^bgnbd_\|^a,\|^b,' "$T/params")" \
    "2357 1 0"
t_eq "every parameter has a standard error" \
    "$(awk -F, '$1 ~ /^(r|alpha|s|beta|p|q|gamma)$/ && !($3 > 0) { print $1 }' "$T/params")" ""
t_close "Gamma-Gamma unchanged: p = 6.25" "$(param p "$T/params")" 6.25 0.005

# ---- Python: the log-likelihood of the note with scipy's hyp2f1, at our
# estimates, and a fit of its own (Nelder-Mead on the logs, as lifetimes)
t_run "per client, Pareto/NBD" 0 cl-clv --model-kind pnbd "$T/cal.csv"
cp "$T/out" "$T/clients.csv"
if /usr/bin/python3 -c 'import scipy' 2> /dev/null; then
    /usr/bin/python3 - "$T/params" "$T/clients.csv" > "$T/py" <<'PY'
import csv, sys
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1
p = {}
for row in csv.DictReader(open(sys.argv[1])):
    p[row["parameter"]] = float(row["value"])
    if row["std_error"]:
        p["se_" + row["parameter"]] = float(row["std_error"])
rows = list(csv.DictReader(open(sys.argv[2])))
x = np.array([float(r["frequency"]) for r in rows])
tx = np.array([float(r["tenure_days"]) / 7 for r in rows])
T = np.array([(float(r["tenure_days"]) + float(r["recency_days"])) / 7 for r in rows])
def a0(r, al, s, be):
    if al >= be:
        f = lambda t: hyp2f1(r + s + x, s + 1, r + s + x + 1, (al - be) / (al + t)) / (al + t) ** (r + s + x)
    else:
        f = lambda t: hyp2f1(r + s + x, r + x, r + s + x + 1, (be - al) / (be + t)) / (be + t) ** (r + s + x)
    return f(tx) - f(T)
def ll(r, al, s, be):
    head = gammaln(r + x) - gammaln(r) + r * np.log(al) + s * np.log(be)
    return np.sum(head + np.log(1 / ((al + T) ** (r + x) * (be + T) ** s) + s / (r + s + x) * a0(r, al, s, be)))
r, al, s, be = p["r"], p["alpha"], p["s"], p["beta"]
ours = p["pnbd_log_likelihood"]
print("ll_at_ours", "ok" if abs(ll(r, al, s, be) - ours) <= 1e-9 * abs(ours) else ll(r, al, s, be))
res = minimize(lambda u: -ll(*np.exp(u)), np.log([1, 1, 1, 1]), method="Nelder-Mead",
               options={"xatol": 1e-9, "fatol": 1e-9, "maxiter": 20000, "maxfev": 40000})
print("scipy_fit", "ok" if abs(-res.fun - ours) <= 1e-6 * abs(ours) and -res.fun <= ours + 1e-6 * abs(ours)
      else "%r against %r" % (-res.fun, ours))
# P(alive) and E[X(52)] of the note, per client
alive = 1 / (1 + s / (r + s + x) * (al + T) ** (r + x) * (be + T) ** s * a0(r, al, s, be))
e52 = (r + x) * (be + T) / ((al + T) * (s - 1)) * (1 - ((be + T) / (be + T + 52)) ** (s - 1)) * alive
got_alive = np.array([float(r["p_alive"]) for r in rows])
got_e = np.array([float(r["expected_purchases"]) for r in rows])
# standard errors: the inverse of minus the Hessian by second differences
# of the log-likelihood (steps of 1e-3 relative)
th = np.array([r, al, s, be]); h = 1e-3; H = np.zeros((4, 4))
for i in range(4):
    for j in range(4):
        def f(di, dj):
            t = th.copy(); t[i] += di * h * th[i]; t[j] += dj * h * th[j]; return ll(*t)
        H[i, j] = (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * h * h * th[i] * th[j])
se = np.sqrt(np.diag(np.linalg.inv(-H)))
ours_se = np.array([p["se_" + k] for k in ("r", "alpha", "s", "beta")])
print("se", "ok" if np.max(np.abs(ours_se / se - 1)) <= 1e-3 else "%r against %r" % (ours_se, se))
print("p_alive", "ok" if np.max(np.abs(alive - got_alive)) <= 6e-7 else np.max(np.abs(alive - got_alive)))
print("expected", "ok" if np.max(np.abs(e52 - got_e)) <= 6e-7 else np.max(np.abs(e52 - got_e)))
PY
    t_eq "Python: our log-likelihood = the note's with scipy's hyp2f1 (1e-9)" \
        "$(awk '$1 == "ll_at_ours" { print $2 }' "$T/py")" ok
    t_eq "Python: scipy's own fit reaches the same maximum (1e-6), not a higher one" \
        "$(awk '$1 == "scipy_fit" { $1 = ""; print substr($0, 2) }' "$T/py")" ok
    t_eq "Python: standard errors = the inverse Hessian of second differences (1e-3)" \
        "$(awk '$1 == "se" { $1 = ""; print substr($0, 2) }' "$T/py")" ok
    t_eq "Python: every client's p_alive = the note's formula" \
        "$(awk '$1 == "p_alive" { print $2 }' "$T/py")" ok
    t_eq "Python: every client's E[X(52)] = the note's formula" \
        "$(awk '$1 == "expected" { print $2 }' "$T/py")" ok
else
    ok "scipy check skipped: no python3 with scipy (apt-get install python3-scipy)"
fi
t_eq "no NaN, p_alive in [0, 1]" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        !($h["p_alive"] >= 0 && $h["p_alive"] <= 1) || $h["expected_purchases"] !~ /^[0-9.]+$/ { n++ }
        END { print n + 0 }' "$T/clients.csv")" 0

# ---- saved models
t_run "--save-model" 0 cl-clv --model-kind pnbd --save-model "$T/model.csv" "$T/cal.csv"
t_file_eq "--save-model does not change the output" "$T/out" "$T/clients.csv"
t_run "--model reads a Pareto/NBD fit" 0 cl-clv --model "$T/model.csv" "$T/cal.csv"
t_file_eq "... the same predictions" "$T/out" "$T/clients.csv"
t_run "--model --params" 0 cl-clv --model "$T/model.csv" --params "$T/cal.csv"
t_eq "... its parameters" "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" \
    "parameter r alpha s beta p q gamma unit_days "
t_run "--model-kind with --model" 2 cl-clv --model "$T/model.csv" --model-kind pnbd "$T/cal.csv"
t_run "--model-kind unknown" 2 cl-clv --model-kind mbgnbd "$T/cal.csv"
t_eq "... the message" "$(head -1 "$T/err")" "cl-clv: --model-kind: \"mbgnbd\" is not bgnbd or pnbd"

# ---- holdout and tracking with Pareto/NBD
cl-rollup --date-format %Y%m%d --from 1997-10-01 --to 1998-06-30 --asof 1998-06-30 \
    "$CDNOW" > "$T/hold.csv"
t_run "--holdout" 0 cl-clv --model "$T/model.csv" --holdout "$T/hold.csv" "$T/cal.csv"
cp "$T/out" "$T/holdout.csv"
cl-clv --model "$T/model.csv" --horizon 39 "$T/cal.csv" > "$T/h39.csv"
t_close "holdout predicted mean = mean E[X(39) | calibration]" \
    "$(awk -F, '$1 == "all" { print $3 }' "$T/holdout.csv")" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } { s += $h["expected_purchases"] }
                END { printf "%.6f", s / 2357 }' "$T/h39.csv")" 0.000001
cl-rollup --date-format %Y%m%d --partial "$CDNOW" > "$T/orders.csv"
t_run "--tracking" 0 cl-clv --model "$T/model.csv" --tracking "$T/orders.csv" "$T/cal.csv"
cp "$T/out" "$T/track.csv"
# the unconditional E[X(t)] of Pareto/NBD: r beta / (alpha (s - 1)) [1 - (beta/(beta+t))^(s-1)]
t_eq "tracking: cumulative predicted = sum of the unconditional E[X(age)] (awk)" \
    "$(awk -F, -v r="$(param r "$T/model.csv")" -v al="$(param alpha "$T/model.csv")" \
           -v s="$(param s "$T/model.csv")" -v be="$(param beta "$T/model.csv")" '
        function days(d,   y, m) {   # days since 1970-01-01 of YYYY-MM-DD (civil calendar)
            y = substr(d, 1, 4) + 0; m = substr(d, 6, 2) + 0
            if (m <= 2) { y--; m += 12 }
            return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + substr(d, 9, 2) - 719469 }
        function E(t) { return t <= 0 ? 0 : r * be / (al * (s - 1)) * (1 - (be / (be + t)) ^ (s - 1)) }
        NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) h[$i] = i } else first[++n] = days($h["first_date"]); next }
        FNR > 1 { sum = 0; end = days($2); for (i = 1; i <= n; i++) sum += E((end - first[i]) / 7)
                  d = sum - $7; if (d > 0.0005 || d < -0.0005) bad++ }
        END { print bad + 0 }' "$T/cal.csv" "$T/track.csv")" 0
t_eq "tracking: the actual counts do not depend on the model" \
    "$(cut -d, -f1-4,6 "$T/track.csv")" \
    "$(cl-clv --tracking "$T/orders.csv" "$T/cal.csv" | cut -d, -f1-4,6)"
