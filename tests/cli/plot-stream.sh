# cl-plot's streamed read (lib/plot_stream.c): the pareto, lorenz, abc,
# rfm and clusters charts of a regular ',' file are made from its rows read
# in blocks, not from the table loaded whole. The same input on standard
# input goes the table's way (a pipe is never streamed): both scripts must
# be the same bytes, on files the stream takes and on files it hands back
# (unsorted rows, gaps, numbers it does not read, another delimiter,
# --where, quoted cells, CRLF, blank lines), with the table's messages.
. "$CL_TESTS/lib.sh"

# same NAME KIND FILE [OPTION...]: the script from the file, and from a pipe
same() {
    _n=$1 _k=$2 _f=$3; shift 3
    cl-plot "$_k" --script "$@" "$_f" > "$T/file.gp" 2> "$T/file.err"; _a=$?
    cl-plot "$_k" --script "$@" - < "$_f" > "$T/pipe.gp" 2> "$T/pipe.err"; _b=$?
    sed 's/^cl-plot: stdin/cl-plot: FILE/' "$T/pipe.err" > "$T/pipe.err2"
    sed "s|^cl-plot: $_f|cl-plot: FILE|" "$T/file.err" > "$T/file.err2"
    if [ "$_a" = "$_b" ] && cmp -s "$T/file.gp" "$T/pipe.gp" && cmp -s "$T/file.err2" "$T/pipe.err2"
    then ok "$_n"
    else fail "$_n" "exit $_a/$_b" "$(diff "$T/pipe.gp" "$T/file.gp" | head -5 | tr '\n' '|')" \
        "$(cat "$T/file.err" "$T/pipe.err" | head -4 | tr '\n' '|')"; fi
}

# cl-pareto's rows: 30,000 clients, 17-digit shares, the last 40 at 0 ("-")
awk 'BEGIN { srand(7); n = 30000; m = n - 40
    for (i = 1; i <= m; i++) { v[i] = sprintf("%.2f", 5000 / (i + 3) + (m - i) / 1000); t += v[i] }
    print "customer,revenue,orders,first_date,rank,share,cum_share,cum_clients_share,class"
    for (i = 1; i <= m; i++) { c += v[i]
        printf "c%d,%s,%d,2024-01-%02d,%d,%.17g,%.17g,%.17g,%s\n", i, v[i], i % 9 + 1, i % 28 + 1,
            i, v[i] / t, c / t, i / m, c / t <= 0.8 ? "A" : c / t <= 0.95 ? "B" : "C" }
    for (i = m + 1; i <= n; i++) printf "z%d,0.00,1,2024-02-01,%d,,,,-\n", i, i }' > "$T/p.csv"
for k in pareto lorenz abc; do
    same "$k: the streamed read, the table's script" "$k" "$T/p.csv"
    same "$k, fr, --top 7: the same" "$k" "$T/p.csv" --lang fr --top 7
done
same "pareto --value orders (not the shares' column): the same" pareto "$T/p.csv" --value orders
same "pareto --value first_date: the table's message" pareto "$T/p.csv" --value first_date
t_run "pareto: six images in one run" 0 cl-plot pareto -o "$T/p.svg" --also "$T/p.png" \
    --also lorenz="$T/l.svg" --also abc="$T/a.png" "$T/p.csv"
cl-plot lorenz -o "$T/l2.svg" - < "$T/p.csv"
t_file_eq "lorenz: the SVG of one run is the table's" "$T/l.svg" "$T/l2.svg"

# files the stream hands back to the table
{ head -1 "$T/p.csv"; tail -n +2 "$T/p.csv" | sed -n '2p;1p;3,$p'; } > "$T/unsorted.csv"
same "pareto, rows out of rank order: the same" pareto "$T/unsorted.csv"
sed '5s/,A$/,A/; 5s/,\([0-9.e-]*\),\([0-9.e-]*\),\([0-9.e-]*\),A$/,,\2,\3,A/' "$T/p.csv" > "$T/gap.csv"
same "pareto, a share missing: the same, the gap said" pareto "$T/gap.csv"
t_grep "pareto, a share missing: said" "share is empty" "$T/file.err"
same "abc, a share missing, --strict: the same error" abc "$T/gap.csv" --strict
sed '3s/^c2,[0-9.]*/c2,"1 234.5"/' "$T/p.csv" > "$T/spaced.csv"
same "lorenz, a value with a space: the same" lorenz "$T/spaced.csv"
sed '4s/,2,/,1,/' "$T/p.csv" > "$T/ones.csv"
same "pareto, rank 1 twice: the same" pareto "$T/ones.csv"
sed '6s/,\([0-9.e-]*\),A$/,80%,A/' "$T/p.csv" > "$T/pct.csv"
same "pareto, a percent sign: the same" pareto "$T/pct.csv"
sed 's/$/\r/' "$T/p.csv" > "$T/crlf.csv"
same "pareto, CRLF: the same" pareto "$T/crlf.csv"
{ head -3 "$T/p.csv"; echo; tail -n +4 "$T/p.csv"; } > "$T/blank.csv"
same "abc, a blank line: the same" abc "$T/blank.csv"
tr ',' ';' < "$T/p.csv" | sed 's/\([0-9]\)\.\([0-9]\)/\1,\2/g' > "$T/semi.csv"
same "pareto, ';' and decimal commas: the same" pareto "$T/semi.csv"
same "pareto --where class=A: the same" pareto "$T/p.csv" --where class=A
sed '7s/,A$/,A,x/' "$T/p.csv" > "$T/ragged.csv"
same "pareto, a ragged row: the same message" pareto "$T/ragged.csv"
printf 'c1,"\377",1\n' | cat "$T/p.csv" - > "$T/latin.csv"
same "pareto, a byte not UTF-8: the same" pareto "$T/latin.csv"

# cl-score --rfm's rows
awk 'BEGIN { split("champions,loyal,potential loyalists,at risk,lost,new", s, ",")
    print "customer,revenue,orders,r,f,m,segment"
    for (i = 1; i <= 25000; i++) printf "c%d,%.2f,%d,%d,%d,%d,%s\n", i, (i * 7919) % 100000 / 100,
        i % 5 + 1, i % 5 + 1, i % 4 + 1, i % 3 + 1, s[i % 6 + 1] }' > "$T/rfm.csv"
same "rfm: the streamed read, the table's script" rfm "$T/rfm.csv"
same "rfm, fr: the same" rfm "$T/rfm.csv" --lang fr
same "rfm --value orders: the same" rfm "$T/rfm.csv" --value orders
same "rfm --value nothing: the table's message" rfm "$T/rfm.csv" --value nothing
sed '9s/,[0-9.]*,\([0-9]*,[0-9],[0-9],[0-9],\)/,,\1/' "$T/rfm.csv" > "$T/rfm-gap.csv"
same "rfm, a revenue missing: the same, the gap said" rfm "$T/rfm-gap.csv"
sed '9s/,lost$/,"lost, or not"/' "$T/rfm.csv" > "$T/rfm-quoted.csv"
same "rfm, a quoted segment: the same" rfm "$T/rfm-quoted.csv"
cut -d, -f1,3- "$T/rfm.csv" > "$T/rfm-count.csv"
same "rfm without a revenue column: the same" rfm "$T/rfm-count.csv"

# cl-kmeans' assignments past the sample's 20,000 clients, labels quoted
awk 'BEGIN { print "customer,spend,first,visits,score,cluster,distance,pc1,pc2,label"
    for (i = 1; i <= 26000; i++) { k = i <= 60 ? 3 : i % 2 + 1
        printf "k%d,%d,2024-01-01,%d,%.17g,%d,0.5,%.3f,%.3f,%s\n", i, k * 100 + i % 97,
            k * 10 + i % 13, (i % 101) / 7, k, i % 17 / 10, i % 19 / 10,
            k == 3 ? "\"few, loyal\"" : k == 1 ? "odd" : "even" } }' > "$T/k.csv"
same "clusters of 26,000: the streamed read, the table's script" clusters "$T/k.csv"
same "clusters, fr: the same" clusters "$T/k.csv" --lang fr
sed '20000s/,[0-9]*,2024/,x,2024/' "$T/k.csv" > "$T/k-text.csv"
same "clusters, a feature not a number on a row: the same" clusters "$T/k-text.csv"
awk -F, 'NR == 1 || NR % 1000 != 5 { print; next } { $5 = ""; print }' OFS=, "$T/k.csv" \
    > "$T/k-gaps.csv"
same "clusters, a feature empty on some rows: the same" clusters "$T/k-gaps.csv"
cut -d, -f1,6- "$T/k.csv" > "$T/k-pc.csv"
same "clusters without features (pc1, pc2): the same" clusters "$T/k-pc.csv"
awk -F, 'NR == 1 { print; next } { $6 = NR % 120; print }' OFS=, "$T/k.csv" > "$T/k-many.csv"
same "clusters, 120 clusters: the same message" clusters "$T/k-many.csv"
t_run "clusters of 26,000: drawn, SVG and PNG" 0 cl-plot clusters -o "$T/k.svg" --also "$T/k.png" \
    "$T/k.csv"
cl-plot clusters -o "$T/k2.png" - < "$T/k.csv"
t_file_eq "clusters: the PNG of one run is the table's" "$T/k.png" "$T/k2.png"
