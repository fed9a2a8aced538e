#!/usr/bin/env python3
"""An independent computation of cl-rollup's prescriber outputs, in exact
decimals (tests/cli/prescribers.sh runs it).

Usage: prescribers_check.py SALES CLIENTS PRESCRIBERS

SALES is a sales file with the columns InvoiceNo, Quantity, InvoiceDate,
UnitPrice, UnitCost, CustomerID and Prescriber (comma-separated, dates
ISO); CLIENTS is `cl-rollup SALES`, PRESCRIBERS `cl-rollup --per-prescriber
SALES`. Every cell of both is compared with what this script computes from
SALES by the definitions of docs/columns.md: money and counts exactly (as
Decimal), ratios as the double nearest to the exact fraction. Prints one
"ok"/"not ok" line per table, with the first differences.
"""
import csv
import sys
from datetime import date
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction


def day(text):
    return date.fromisoformat(text[:10])


def new_totals():
    return {"revenue": Decimal(0), "margin": Decimal(0), "quantity": Decimal(0), "lines": 0,
            "orders": set(), "first": None, "last": None, "others": set(),
            "prescribed_through": Decimal(0)}


def add(t, line, order, other):
    t["revenue"] += line["amount"]
    t["margin"] += line["margin"]
    t["quantity"] += line["quantity"]
    t["lines"] += 1
    if line["amount"] >= 0:
        t["orders"].add(order)      # a return (a negative line) is not an order
    d = line["day"]
    t["first"] = d if t["first"] is None or d < t["first"] else t["first"]
    t["last"] = d if t["last"] is None or d > t["last"] else t["last"]
    if other:
        t["others"].add(other)


def read_sales(path):
    lines = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if not row["CustomerID"].strip():
                continue    # rejected: no customer id
            quantity = Decimal(row["Quantity"])
            amount = quantity * Decimal(row["UnitPrice"])
            lines.append({
                "customer": row["CustomerID"], "prescriber": row["Prescriber"].strip(),
                "order": row["InvoiceNo"], "day": day(row["InvoiceDate"]),
                "quantity": quantity, "amount": amount,
                "margin": amount - quantity * Decimal(row["UnitCost"]),
            })
    return lines


def expected_tables(lines):
    asof = max(line["day"] for line in lines).toordinal() + 1
    clients, prescribers, prescribed = {}, {}, {}
    for line in lines:
        c, p = line["customer"], line["prescriber"]
        t = clients.setdefault(c, new_totals())
        add(t, line, line["order"], p)
        if p:
            t["prescribed_through"] += line["amount"]
            # a prescriber's order is a client's order
            add(prescribers.setdefault(p, new_totals()), line, (c, line["order"]), c)
            prescribed[p] = prescribed.get(p, Decimal(0)) + line["amount"]
    return asof, clients, prescribers, prescribed


def common(t, asof):
    orders = len(t["orders"])
    return {
        "revenue": t["revenue"], "margin": t["margin"], "quantity": t["quantity"],
        "lines": Decimal(t["lines"]), "orders": Decimal(orders),
        "first_date": t["first"].isoformat(), "last_date": t["last"].isoformat(),
        "recency_days": Decimal(asof - t["last"].toordinal()),
        "tenure_days": Decimal((t["last"] - t["first"]).days),
        "avg_order": t["revenue"] / orders if orders else None,   # rounded when compared
    }


def compare(name, path, key_name, expected):
    """expected: key -> {column: Decimal, str or float}."""
    problems = []
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if [r[key_name] for r in rows] != sorted(expected, key=lambda k: k.encode()):
        problems.append("the keys differ: %d rows, %d expected" % (len(rows), len(expected)))
    for row in rows:
        want = expected.get(row[key_name])
        if want is None:
            continue
        for column, value in want.items():
            got = row[column]
            if column == "avg_order" and value is not None:
                places = Decimal(1).scaleb(-len(got.split(".")[1]))
                value = value.quantize(places, rounding=ROUND_HALF_UP)
            if isinstance(value, float):
                ok = got != "" and float(got) == value
            elif value is None:
                ok = got == ""
            elif isinstance(value, str):
                ok = got == value
            else:
                ok = got != "" and Decimal(got) == value
            if not ok:
                problems.append("%s %s: %s, expected %s" % (row[key_name], column, got, value))
    if problems:
        print("not ok - %s: every cell as computed in exact decimals" % name)
        for p in problems[:10]:
            print("# " + p)
    else:
        print("ok - %s: every cell of %d rows as computed in exact decimals" % (name, len(rows)))


def main():
    sales, clients_csv, prescribers_csv = sys.argv[1:4]
    lines = read_sales(sales)
    asof, clients, prescribers, prescribed = expected_tables(lines)
    want = {}
    for c, t in clients.items():
        row = common(t, asof)
        row["prescribers"] = Decimal(len(t["others"]))
        row["prescription_share"] = (float(Fraction(t["prescribed_through"]) /
                                           Fraction(t["revenue"]))
                                     if t["revenue"] > 0 else None)
        row["prescribed_revenue"] = prescribed.get(c, Decimal(0))
        want[c] = row
    compare("per-client prescriber columns", clients_csv, "customer", want)
    want = {}
    for p, t in prescribers.items():
        row = common(t, asof)
        row["clients"] = Decimal(len(t["others"]))
        want[p] = row
    compare("per-prescriber roll-up", prescribers_csv, "prescriber", want)
    direct = [line for line in lines if not line["prescriber"]]
    print("# direct lines: %d, revenue %s" % (len(direct), sum(l["amount"] for l in direct)))


if __name__ == "__main__":
    main()
