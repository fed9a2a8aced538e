#!/usr/bin/env python3
"""An independent BG/NBD (and Gamma-Gamma) fit with scipy, as lifetimes does
it: the log-likelihood in numpy with gammaln/betaln/logaddexp, minimised
over the logs of the parameters by scipy.optimize.minimize (see fit), one
row per client (no grouping).

  clv-scipy.py log FILE END    a purchase log customer_id,date(YYYYMMDD),amount:
                               days merged, calibration to END (YYYY-MM-DD)
  clv-scipy.py rollup FILE     a cl-rollup table (purchase_days, tenure_days,
                               recency_days, revenue, first_day_revenue)

Prints parameter,value rows: r, alpha, a, b, bgnbd_log_likelihood, n, and
with a log or revenue columns p, q, gamma, gg_log_likelihood, gg_n."""
import csv, datetime, sys
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, betaln


def from_log(path, end):
    end = datetime.date.fromisoformat(end)
    days = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            d = datetime.datetime.strptime(row["date"], "%Y%m%d").date()
            if d > end:
                continue
            per = days.setdefault(row["customer_id"], {})
            per[d] = per.get(d, 0.0) + float(row["amount"])
    x, tx, T, m = [], [], [], []
    for per in days.values():
        ds = sorted(per)
        x.append(len(ds) - 1)
        tx.append((ds[-1] - ds[0]).days / 7)
        T.append((end - ds[0]).days / 7)
        m.append(sum(per[d] for d in ds[1:]) / (len(ds) - 1) if len(ds) > 1 else 0.0)
    return np.array(x, float), np.array(tx), np.array(T), np.array(m)


def from_rollup(path):
    cols = {"purchase_days": [], "tenure_days": [], "recency_days": [],
            "revenue": [], "first_day_revenue": []}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for k in cols:
                cols[k].append(float(row[k]))
    days = np.array(cols["purchase_days"])
    tenure = np.array(cols["tenure_days"])
    x = days - 1
    rep = np.array(cols["revenue"]) - np.array(cols["first_day_revenue"])
    m = np.where(x > 0, rep / np.maximum(x, 1), 0.0)
    return x, tenure / 7, (tenure + np.array(cols["recency_days"])) / 7, m


def bgnbd_ll(params, x, tx, T):
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    a3 = np.where(x > 0, betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b)
                  - (r + x) * np.log(alpha + tx), -np.inf)
    return np.sum(a1 + np.logaddexp(a2, a3))


def gg_ll(params, x, m):
    p, q, g = params
    return np.sum(gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(g)
                  + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(g + m * x))


def fit(ll, k, *data):
    """Minimise -ll over the logs of the parameters as lifetimes does:
    scipy.optimize.minimize with its default method (BFGS, here with
    finite-difference gradients; lifetimes uses autograd's), tol 1e-7, from
    0.1 for every log-parameter; Nelder-Mead from there when BFGS fails."""
    def f(u):
        v = ll(np.exp(u), *data)
        return -v if np.isfinite(v) else np.inf
    res = minimize(f, 0.1 * np.ones(k), tol=1e-7)
    if not res.success:
        res = minimize(f, res.x, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000,
                                "maxfev": 40000})
    return np.exp(res.x), -res.fun


def fit_bgnbd(x, tx, T):
    """lifetimes scales the times to a maximum T of 10 before fitting, then
    scales alpha back; the log-likelihood is computed again unscaled."""
    scale = 10 / T.max()
    params, _ = fit(bgnbd_ll, 4, x, tx * scale, T * scale)
    params[1] /= scale
    return params, bgnbd_ll(params, x, tx, T)


def main():
    if sys.argv[1] == "log":
        x, tx, T, m = from_log(sys.argv[2], sys.argv[3])
    else:
        x, tx, T, m = from_rollup(sys.argv[2])
    params, ll = fit_bgnbd(x, tx, T)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["parameter", "value"])
    for name, v in zip(["r", "alpha", "a", "b"], params):
        out.writerow([name, repr(float(v))])
    out.writerow(["bgnbd_log_likelihood", repr(float(ll))])
    out.writerow(["bgnbd_n", len(x)])
    keep = (x > 0) & (m > 0)
    if keep.sum() >= 2:
        params, ll = fit(gg_ll, 3, x[keep], m[keep])
        for name, v in zip(["p", "q", "gamma"], params):
            out.writerow([name, repr(float(v))])
        out.writerow(["gg_log_likelihood", repr(float(ll))])
        out.writerow(["gg_n", int(keep.sum())])


if __name__ == "__main__":
    main()
