# cl-report's prescribers section: there only when the sales have a
# prescriber column; its figures, each top prescriber's clients and the
# prescribers who stopped, against sums made here from the sales lines in
# exact decimals (python3); a month without any prescribed sale; hostile ids.
. "$CL_TESTS/lib.sh"
S="$SAMPLES/sales-prescribers.csv"
out="$T/reports"

t_run "report prescribers: October" 0 cl-report --quiet --month 2011-10 -o "$out" "$S"
t_run "report prescribers: November against October" 0 cl-report --quiet --month 2011-11 \
  --previous auto -o "$out" "$S"
nov="$out/2011-11"
page="$nov/index.html"
missing=""
for f in prescribers.csv prescribers-pareto.csv prescribers-summary.csv prescriber-clients.csv \
         prescribers-stopped.csv; do
  [ -f "$nov/$f" ] || missing="$missing $f"
done
t_eq "report prescribers: the section's files are in the folder" "$missing" ""
t_grep "report prescribers: the page has the section" '<section id="prescribers">' "$page"
t_grep "report prescribers: ... listed among the files" '<a href="prescriber-clients.csv">' "$page"

# What the section should say, from the November lines themselves.
python3 - "$S" > "$T/expected" <<'PY'
import csv, sys
from decimal import Decimal
def month(path, m):
    per, pairs, clients, prescribed_clients = {}, {}, set(), set()
    total = Decimal(0)
    for r in csv.DictReader(open(path, newline="")):
        if not r["CustomerID"] or not r["InvoiceDate"].startswith(m):
            continue
        amount = Decimal(r["Quantity"]) * Decimal(r["UnitPrice"])
        c, p = r["CustomerID"], r["Prescriber"]
        clients.add(c); total += amount
        if p:
            prescribed_clients.add(c)
            per[p] = per.get(p, Decimal(0)) + amount
            pairs[p, c] = pairs.get((p, c), Decimal(0)) + amount
    return per, pairs, clients, prescribed_clients, total
nov, pairs, clients, prescribed_clients, total = month(sys.argv[1], "2011-11")
octo = month(sys.argv[1], "2011-10")[0]
prescribed = sum(nov.values())
print("brief %d prescribers brought %s of the revenue (%.1f%%), through %d of the %d clients"
      % (len(nov), "{:,.2f}".format(prescribed), prescribed / total * 100,
         len(prescribed_clients), len(clients)))
top = max(nov, key=lambda p: (nov[p], [-ord(ch) for ch in p]))
mine = sorted(((v, c) for (p, c), v in pairs.items() if p == top), key=lambda x: (-x[0], x[1]))
print("top %s %s" % (top, ", ".join("%s (%s)" % (c, "{:,.2f}".format(v)) for v, c in mine[:3])
                     + (", %d more" % (len(mine) - 3) if len(mine) > 3 else "")))
print("pairs %d" % len(pairs))
stopped = sorted((p for p in octo if p not in nov), key=lambda p: (-octo[p], p.encode()))
print("stopped %d %s" % (len(stopped), " ".join(stopped)))
PY
t_grep "report prescribers: the brief, as summed from the lines" \
  "$(sed -n 's/^brief //p' "$T/expected")" "$page"
top=$(sed -n 's/^top \([^ ]*\) .*/\1/p' "$T/expected")
t_grep "report prescribers: the first prescriber and its three main clients, as summed" \
  "<td class=\"id\">$top</td>" "$page"
t_grep "report prescribers: ... its main clients" "$(sed -n 's/^top [^ ]* //p' "$T/expected")" "$page"
t_eq "report prescribers: prescriber-clients.csv has one row per (prescriber, client)" \
  "pairs $(($(wc -l < "$nov/prescriber-clients.csv") - 1))" "$(grep '^pairs' "$T/expected")"
t_eq "report prescribers: prescribers-stopped.csv = October's prescribers absent in November" \
  "stopped $(($(wc -l < "$nov/prescribers-stopped.csv") - 1)) $(tail -n +2 "$nov/prescribers-stopped.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')" \
  "$(grep '^stopped' "$T/expected")"
t_grep "report prescribers: ... the first of them named on the page, with what it brought" \
  "<p id=\"stopped\">$(sed -n '2p' "$nov/prescribers-stopped.csv" | cut -d, -f1) (" "$page"
t_eq "report prescribers: figures.csv has the prescribed revenue" \
  "$(awk -F, '$1 == "prescribed_revenue" { print $2 }' "$nov/figures.csv")" \
  "$(sed -n 's/^brief [0-9]* prescribers brought \([0-9,.]*\) .*/\1/p' "$T/expected" | tr -d ,)"
t_grep "report prescribers: October, no previous: says how to see who stopped" \
  "Give the previous report (--previous) to see the prescribers who stopped." "$out/2011-10/index.html"

# --- without a prescriber column: no section, no files
t_run "report prescribers: sales without a prescriber column" 0 cl-report --quiet --month 2011-11 \
  -o "$T/plain" "$SAMPLES/sales.csv"
t_eq "report prescribers: ... no section" "$(grep -c 'id="prescribers"' "$T/plain/2011-11/index.html")" "0"
t_eq "report prescribers: ... no prescriber files" "$(ls "$T/plain/2011-11" | grep -c prescri)" "0"

# --- a month where no sale names a prescriber, and hostile ids
python3 - "$S" > "$T/modified.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(rows[0])
for r in rows[1:]:
    if r[3].startswith("2011-11"):
        r[7] = ""                       # November: every sale direct
    elif r[7] == "D22":
        r[7] = "<i>D22</i>&\"'"         # the largest prescriber of October, hostile
    w.writerow(r)
PY
t_run "report prescribers: October, a hostile prescriber id" 0 cl-report --quiet --month 2011-10 \
  -o "$T/mod" "$T/modified.csv"
t_grep "report prescribers: ... escaped in the page" \
  "<td class=\"id\">&lt;i&gt;D22&lt;/i&gt;&amp;&quot;&#39;</td>" "$T/mod/2011-10/index.html"
t_eq "report prescribers: ... never as markup" "$(grep -c '<i>D22' "$T/mod/2011-10/index.html")" "0"
t_run "report prescribers: November, no sale with a prescriber" 0 cl-report --quiet --month 2011-11 \
  --previous auto -o "$T/mod" "$T/modified.csv"
t_grep "report prescribers: ... says so" \
  "No sale of the period names a prescriber: every sale was direct." "$T/mod/2011-11/index.html"
t_eq "report prescribers: ... every October prescriber stopped" \
  "$(($(wc -l < "$T/mod/2011-11/prescribers-stopped.csv") - 1))" \
  "$(($(wc -l < "$T/mod/2011-10/prescribers.csv") - 1))"
t_eq "report prescribers: ... figures.csv says 0 prescribers" \
  "$(grep -E '^(prescribed_clients|prescribers|prescribed_revenue),' "$T/mod/2011-11/figures.csv" | tr '\n' ' ')" \
  "prescribed_clients,0 prescribers,0 prescribed_revenue,0.00 "

# --- French
t_run "report prescribers: --lang fr" 0 cl-report --quiet --lang fr --month 2011-11 -o "$T/fr" "$S"
t_grep "report prescribers: ... the section in French" "<h2>Prescripteurs&#8239;: qui fait acheter</h2>" \
  "$T/fr/2011-11/index.html"

# --- --prescriber names a column no alias finds
sed '1s/Prescriber/Recommended by/' "$S" > "$T/named.csv"
t_run "report prescribers: --prescriber COL" 0 cl-report --quiet --prescriber 'Recommended by' \
  --month 2011-11 -o "$T/named" "$T/named.csv"
t_eq "report prescribers: ... the same prescribers table" \
  "$(cat "$T/named/2011-11/prescribers.csv")" "$(cat "$nov/prescribers.csv")"

# --- three-decimal prices: the prescribed revenue is exact (cl-rollup's
# totals), against a sum in decimals made here from the lines
awk -F, -v OFS=, 'NR > 1 && $4 ~ /^2011-11/ && $5 ~ /^[0-9]+\.[0-9][0-9]$/ { $5 = $5 "7" } { print }' \
  "$S" > "$T/milli.csv"
t_run "report prescribers: three-decimal prices" 0 cl-report --quiet --month 2011-11 \
  -o "$T/milli" "$T/milli.csv"
want=$(python3 - "$T/milli.csv" <<'PY'
import csv, sys
from decimal import Decimal
s = Decimal(0)
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["CustomerID"] and r["Prescriber"] and r["InvoiceDate"].startswith("2011-11"):
        s += Decimal(r["Quantity"]) * Decimal(r["UnitPrice"])
print(s.quantize(Decimal("0.001")))
PY
)
t_eq "report prescribers: ... the prescribed revenue to the thousandth" \
  "$(awk -F, '$1 == "prescribed_revenue" { print $2 }' "$T/milli/2011-11/figures.csv")" "$want"
t_eq "report prescribers: ... a thousandth is there to be kept (the case is tested)" \
  "$(echo "$want" | grep -c '[1-9]$')" 1
