# An independent computation of cl-rollup on an Online Retail export
# (InvoiceNo, Quantity, UnitPrice, InvoiceDate, CustomerID) with Python's
# decimal module, for tests/cli/exports.sh: the returns policy of
# docs/cl-rollup.1 written again from its text. Usage: rollup_ref.py FILE [PREFIX]
import csv, sys, datetime
from decimal import Decimal, ROUND_HALF_UP
path, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else '')
def dec(s):
    return Decimal(s), (-Decimal(s).as_tuple().exponent if '.' in s else 0)
cust = {}
rev_dec = 0
maxday = None
for row in csv.DictReader(open(path, newline='', encoding='utf-8')):
    c = row['CustomerID']
    if c.strip() == '':
        continue
    q, qd = dec(row['Quantity']); p, pd = dec(row['UnitPrice'])
    amount = q * p; rev_dec = max(rev_dec, min(qd + pd, 6))
    inv = row['InvoiceNo']
    credit = prefix != '' and inv.startswith(prefix)
    if credit and amount > 0:
        amount, q = -amount, -q
    is_return = credit or amount < 0
    day = datetime.date.fromisoformat(row['InvoiceDate'][:10])
    maxday = day if maxday is None or day > maxday else maxday
    k = cust.setdefault(c, dict(rev=Decimal(0), ret=Decimal(0), qty=Decimal(0), lines=0,
                                orders=set(), first=day, last=day, order_day={},
                                by_day={}))
    k['order_day'][inv] = min(k['order_day'].get(inv, day), day)
    k['by_day'][day] = k['by_day'].get(day, Decimal(0)) + amount
    k['rev'] += amount; k['qty'] += q; k['lines'] += 1
    if is_return: k['ret'] -= amount
    else: k['orders'].add(inv)
    k['first'] = min(k['first'], day); k['last'] = max(k['last'], day)
asof = maxday + datetime.timedelta(days=1)
with_returns = any(k['ret'] != 0 or False for k in cust.values())
fmt = lambda d, n: f"{d.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP):.{n}f}"
out = ['customer,revenue,quantity,lines,orders,first_date,last_date,recency_days,'
       'tenure_days,avg_order,purchase_days,first_day_revenue' +
       (',gross_revenue,returns,return_rate' if with_returns else '')]
for c in sorted(cust, key=lambda s: s.encode()):
    k = cust[c]; o = len(k['orders']); avgd = max(rev_dec, 2)
    row = [c, fmt(k['rev'], rev_dec), fmt(k['qty'], 0), str(k['lines']), str(o),
           str(k['first']), str(k['last']), str((asof - k['last']).days),
           str((k['last'] - k['first']).days), fmt(k['rev'] / o, avgd) if o else '',
           # purchase days: the distinct first days of every order, credit notes too
           str(len(set(k['order_day'].values()))),
           fmt(k['by_day'][k['first']], rev_dec)]
    if with_returns:
        gross = k['rev'] + k['ret']
        row += [fmt(gross, rev_dec), fmt(k['ret'], rev_dec),
                fmt(k['ret'] / gross, 4) if gross > 0 else '']
    out.append(','.join(row))
print('\n'.join(out))
