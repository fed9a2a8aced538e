#!/usr/bin/env python3
"""An independent cohort table, to check cl-cohort's output cell by cell.

Reads the sales CSV with Python's csv module, money with Decimal (amount
= quantity x price rounded half away from zero to 6 decimals, as the suite
reads money), periods with datetime's calendar and ISO weeks, and the
definitions of cl-cohort(1): a purchase is a line above zero, the cohort
is the period of the first purchase, active = bought in that period (or
then or later with --unbounded), revenue is net, lines before the first
purchase are left out. It shares no code with clientele.

  cohort_reference.py --check OUTPUT.csv [--unit P] [--unbounded]
      [--from LABEL] [--to LABEL] [--summary] [--until DATE] [--delimiter C]
      [--customer COL --date COL (--amount COL | --quantity COL --price COL)] SALES.csv

Exit 0 when every cell matches (prints how many were checked), 1 otherwise
with the first differences. Ratios are compared as the nearest double to
the exact fraction; money exactly, as decimal text.
"""
import argparse
import csv
import datetime as dt
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

ap = argparse.ArgumentParser()
ap.add_argument("--check", required=True)
ap.add_argument("--unit", "--period", dest="period", default="month")
ap.add_argument("--unbounded", action="store_true")
ap.add_argument("--from", dest="first")
ap.add_argument("--to", dest="last")
ap.add_argument("--summary", action="store_true")
ap.add_argument("--until")
ap.add_argument("--delimiter", default=",")
ap.add_argument("--customer", default="CustomerID")
ap.add_argument("--date", default="InvoiceDate")
ap.add_argument("--amount")
ap.add_argument("--quantity", default="Quantity")
ap.add_argument("--price", default="UnitPrice")
ap.add_argument("sales")
a = ap.parse_args()


def period_of(d):
    if a.period == "month":
        return (d.year, d.month)
    if a.period == "quarter":
        return (d.year, (d.month - 1) // 3 + 1)
    iso = d.isocalendar()
    return (iso[0], iso[1])


def label(p):
    if a.period == "month":
        return "%04d-%02d" % p
    if a.period == "quarter":
        return "%04d-Q%d" % p
    return "%04d-W%02d" % p


def first_day(p):
    if a.period == "month":
        return dt.date(p[0], p[1], 1)
    if a.period == "quarter":
        return dt.date(p[0], 3 * p[1] - 2, 1)
    return dt.date.fromisocalendar(p[0], p[1], 1)


def next_period(p):
    if a.period == "week":
        return period_of(first_day(p) + dt.timedelta(days=7))
    if a.period == "month":
        return (p[0] + (p[1] == 12), p[1] % 12 + 1)
    return (p[0] + (p[1] == 4), p[1] % 4 + 1)


def read_date(text):
    text = text.strip()
    if "/" in text:
        day = dt.datetime.strptime(text.split(" ")[0], "%d/%m/%Y")
    else:
        day = dt.datetime.strptime(text[:10], "%Y-%m-%d")
    return day.date()


def money(text):
    return Decimal(text.strip().replace(",", "."))


SCALE = Decimal("0.000001")
cells = {}          # (client, period) -> [net amount, bought]
last_day = None
with open(a.sales, newline="", encoding="utf-8-sig") as f:
    rows = csv.reader(f, delimiter=a.delimiter)
    header = next(rows)
    col = {name: i for i, name in enumerate(header)}
    for row in rows:
        if not row or len(row) != len(header):
            continue
        client = row[col[a.customer]].strip()     # ids are trimmed, as cl-cohort does
        if client == "":
            continue
        day = read_date(row[col[a.date]])
        if a.until and day > dt.date.fromisoformat(a.until):
            continue
        if a.amount:
            amount = money(row[col[a.amount]])
        else:
            amount = (money(row[col[a.quantity]]) * money(row[col[a.price]])).quantize(
                SCALE, rounding=ROUND_HALF_UP)
        cell = cells.setdefault((client, period_of(day)), [Decimal(0), False])
        cell[0] += amount
        cell[1] = cell[1] or amount > 0
        last_day = day if last_day is None or day > last_day else last_day

if a.until:
    last_day = max(last_day, dt.date.fromisoformat(a.until))
last_period = period_of(last_day)
partial_last = last_day != first_day(next_period(last_period)) - dt.timedelta(days=1)
# all periods from the earliest to the last, in order
bought = {}
for (client, p), (amount, b) in cells.items():
    if b:
        bought.setdefault(client, []).append(p)
acquired = {c: min(ps) for c, ps in bought.items()}
last_buy = {c: max(ps) for c, ps in bought.items()}


def keep(p):
    return (a.first is None or label(p) >= a.first) and (a.last is None or label(p) <= a.last)


periods = [min(acquired.values())]
while periods[-1] != last_period:
    periods.append(next_period(periods[-1]))
index = {p: i for i, p in enumerate(periods)}
size = {}
for c, p in acquired.items():
    if keep(p):
        size[p] = size.get(p, 0) + 1
expected = []       # rows of the table, as (label, k, size, active, retention, revenue, ...)
table = {}
for p in periods:
    if p not in size:
        continue
    revenue0 = None
    cumulative = Decimal(0)
    members = [c for c, cp in acquired.items() if cp == p]
    for k in range(len(periods) - index[p]):
        q = periods[index[p] + k]
        if a.unbounded:
            active = sum(1 for c in members if index[last_buy[c]] >= index[q])
        else:
            active = sum(1 for c in members if (c, q) in cells and cells[(c, q)][1])
        revenue = sum((cells[(c, q)][0] for c in members if (c, q) in cells), Decimal(0))
        if k == 0:
            revenue0 = revenue
        cumulative += revenue
        table[(p, k)] = (size[p], active, revenue, cumulative)
        expected.append([label(p), k, size[p], active, Fraction(active, size[p]), revenue,
                         Fraction(revenue) / Fraction(revenue0) if revenue0 > 0 else None,
                         cumulative, int(partial_last and q == last_period)])

with open(a.check, newline="", encoding="utf-8") as f:
    got = list(csv.reader(f))
errors = []
checked = 0


def same_ratio(text, exact):
    if exact is None:
        return text == ""
    return text != "" and float(text) == float(exact)


def same_money(text, exact):
    return text != "" and Decimal(text) == exact


def same_per_client(text, total, n):
    """total / n rounded half away from zero to the decimals written."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    scaled = Fraction(total) / n * 10 ** decimals
    units = int(abs(scaled) + Fraction(1, 2))
    return Decimal(text) == Decimal(units if scaled >= 0 else -units).scaleb(-decimals)


if not a.summary:
    want_header = ["cohort", "period", "cohort_size", "active", "retention", "revenue",
                   "revenue_retention", "cumulative_revenue_per_client", "partial"]
    if got[0] != want_header:
        errors.append("header %r" % got[0])
    if len(got) - 1 != len(expected):
        errors.append("%d rows, expected %d" % (len(got) - 1, len(expected)))
    for row, exp in zip(got[1:], expected):
        checks = [row[0] == exp[0], int(row[1]) == exp[1], int(row[2]) == exp[2],
                  int(row[3]) == exp[3], same_ratio(row[4], exp[4]), same_money(row[5], exp[5]),
                  same_ratio(row[6], exp[6]), same_per_client(row[7], exp[7], exp[2]),
                  int(row[8]) == exp[8]]
        checked += len(checks)
        for i, ok in enumerate(checks):
            if not ok:
                errors.append("%s period %s, %s: got %r, expected %s"
                              % (exp[0], exp[1], got[0][i], row[i], exp[i]))
else:
    want_header = ["period", "cohorts", "clients", "active", "retention", "retention_min",
                   "retention_max", "cumulative_revenue_per_client"]
    if got[0] != want_header:
        errors.append("header %r" % got[0])
    rows = []
    longest = max(len(periods) - index[p] for p in size)
    for k in range(longest):
        members = [(p, table[(p, k)]) for p in size if (p, k) in table
                   and not (partial_last and periods[index[p] + k] == last_period)]
        if not members:
            continue
        clients = sum(t[0] for _, t in members)
        active = sum(t[1] for _, t in members)
        ratios = [Fraction(t[1], t[0]) for _, t in members]
        rows.append([k, len(members), clients, active, Fraction(active, clients), min(ratios),
                     max(ratios), sum(t[3] for _, t in members), clients])
    if len(got) - 1 != len(rows):
        errors.append("%d rows, expected %d" % (len(got) - 1, len(rows)))
    for row, exp in zip(got[1:], rows):
        checks = [int(row[0]) == exp[0], int(row[1]) == exp[1], int(row[2]) == exp[2],
                  int(row[3]) == exp[3], same_ratio(row[4], exp[4]), same_ratio(row[5], exp[5]),
                  same_ratio(row[6], exp[6]), same_per_client(row[7], exp[7], exp[8])]
        checked += len(checks)
        for i, ok in enumerate(checks):
            if not ok:
                errors.append("period %s, %s: got %r, expected %s"
                              % (exp[0], got[0][i], row[i], exp[i]))
if errors:
    print("\n".join(errors[:20]))
    sys.exit(1)
print("%d cells checked" % checked)
