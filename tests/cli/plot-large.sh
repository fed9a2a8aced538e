# cl-plot on many clients (docs/plot.md, "Millions of clients: what is
# drawn"): a curve past 4,000 clients thinned by the box rule, checked
# point by point against the file in awk; a scatter plot past 20,000
# clients a sample that says so, keeps a small persona whole, and draws
# the same clients whatever the order of the rows.
. "$CL_TESTS/lib.sh"

# 50,000 clients ranked, values falling: what cl-pareto writes
awk 'BEGIN { n = 50000; for (i = 1; i <= n; i++) { v[i] = 1000 / i + 1; t += v[i] }
    print "customer,revenue,rank,share,cum_share,cum_clients_share,class"
    for (i = 1; i <= n; i++) { c += v[i]; printf "c%d,%.6f,%d,%.17g,%.17g,%.17g,%s\n", i, v[i], i,
        v[i] / t, c / t, i / n, c / t <= 0.8 ? "A" : c / t <= 0.95 ? "B" : "C" } }' > "$T/ranked.csv"

# check_curve KIND: every client left out is within t (a quarter pixel of
# 1280) of the last point drawn before it, in x and y; the ends are drawn
check_curve() {
    cl-plot "$1" --script "$T/ranked.csv" > "$T/$1.gp"
    awk -F, -v t="$(awk 'BEGIN { printf "%.17g", 0.25 / 1280 }')" -v kind="$1" '
        FNR == NR { if (/^\$curve << EOD/) on = 1; else if (/^EOD/) on = 0;
                    else if (on) { split($0, p, " "); drawn[p[1] + 0] = p[2] + 0; nd++ } next }
        FNR == 1 { next }
        { x = kind == "pareto" ? (FNR - 1) / 50000 : $6 + 0; y = $5 + 0; n++
          if (x in drawn) { lx = x; ly = y; last = 1; next }
          last = 0
          if (x - lx > t || lx - x > t || y - ly > t || ly - y > t) bad++ }
        END { print nd < n / 2 && last && (0 in drawn) && !bad ? "ok" : "bad " nd " " n " " bad }
    ' "$T/$1.gp" "$T/ranked.csv"
}
t_eq "pareto of 50,000 clients: the curve within a quarter pixel" "$(check_curve pareto)" ok
t_eq "lorenz of 50,000 clients: the curve within a quarter pixel" "$(check_curve lorenz)" ok
t_run "pareto of 50,000 clients: drawn" 0 cl-plot pareto -o "$T/p.png" "$T/ranked.csv"
t_run "lorenz of 50,000 clients: drawn" 0 cl-plot lorenz -o "$T/l.png" "$T/ranked.csv"

# 30,000 clients in three personas, the third of 50 clients
awk 'BEGIN { print "customer,spend,visits,cluster"
    for (i = 1; i <= 30000; i++) { k = i <= 50 ? 3 : i % 2 + 1
        printf "k%d,%d,%d,%d\n", i, k * 100 + i % 97, k * 10 + i % 13, k } }' > "$T/clusters.csv"
points() {      # the points of each persona's block, sorted
    awk '/^\$cluster[0-9]+ << EOD/ { name = $1; next } /^EOD/ { name = "" } name { print name, $0 }' \
        "$1" | sort
}
cl-plot clusters --script "$T/clusters.csv" > "$T/c.gp"
t_grep "clusters of 30,000: the sample said" "'A sample of 2" "$T/c.gp"
t_grep "clusters of 30,000: the sample's words" "of the 30,000 clients," "$T/c.gp"
drawn=$(points "$T/c.gp" | wc -l)
t_eq "clusters of 30,000: about 20,000 drawn" \
    "$(awk -v n="$drawn" 'BEGIN { print (n > 19000 && n < 21000 ? "yes" : n) }')" yes
t_eq "clusters of 30,000: the small persona whole" "$(points "$T/c.gp" | grep -c '^\$cluster3 ')" 50
{ head -1 "$T/clusters.csv"; tail -n +2 "$T/clusters.csv" | sort -t, -k2,2n -k1,1; } > "$T/shuffled.csv"
cl-plot clusters --script "$T/shuffled.csv" > "$T/s.gp"
t_eq "clusters of 30,000: the same clients in another order" \
    "$(points "$T/s.gp" | cksum)" "$(points "$T/c.gp" | cksum)"
cl-plot clusters --lang fr --script "$T/clusters.csv" > "$T/f.gp"
t_grep "clusters of 30,000, fr: an échantillon" "Un échantillon de" "$T/f.gp"
t_run "clusters of 30,000: drawn" 0 cl-plot clusters -o "$T/c.png" "$T/clusters.csv"
head -20001 "$T/clusters.csv" > "$T/c20k.csv"
cl-plot clusters --script "$T/c20k.csv" > "$T/c20k.gp"
t_eq "clusters of 20,000: every client drawn" "$(points "$T/c20k.gp" | wc -l | tr -d ' ')" 20000
t_eq "clusters of 20,000: no sample said" "$(grep -c 'sample' "$T/c20k.gp")" 0
