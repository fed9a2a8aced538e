# cl-kmeans: figures checked against a published result and recomputed
# with awk from the program's own rows; errors, models, determinism.
. "$CL_TESTS/lib.sh"
MALL="$SAMPLES/mall-customers.csv"

# ---- a published result: Mall Customers, income and spending, k = 5 ----
# Kaggle's many notebooks (scikit-learn KMeans, k-means++, n_init=10) give
# a within-cluster sum of squares of 44448.4554 and a silhouette of 0.553932
# for k = 5 on the two unscaled columns; k = 1 is the total sum of squares.
t_run "mall select runs" 0 cl-kmeans --scale none -f annual_income_thousands,spending_score \
    --k 1..6 --select "$MALL"
t_close "mall k=5 inertia (published 44448.4554)" "$(awk -F, '$1 == 5 { print $2 }' "$T/out")" 44448.4554 0.0001
t_close "mall k=5 silhouette (published 0.553932)" "$(awk -F, '$1 == 5 { print $3 }' "$T/out")" 0.553932 0.000001
t_eq "mall silhouette chooses k=5" "$(awk -F, '$6 == 1 { print $1 }' "$T/out")" 5
t_eq "select header" "$(head -1 "$T/out")" "k,inertia,silhouette,calinski_harabasz,davies_bouldin,chosen,silhouette_rows"
# k = 1: the total sum of squares about the means, by awk
tss=$(awk -F, 'NR > 1 { n++; a += $4; b += $5; a2 += $4 * $4; b2 += $5 * $5 }
    END { printf "%.6f", (a2 - a * a / n) + (b2 - b * b / n) }' "$MALL")
t_close "k=1 inertia is the total sum of squares" "$(awk -F, '$1 == 1 { print $2 }' "$T/out")" "$tss" 0.000001
t_eq "k=1 has no silhouette" "$(awk -F, '$1 == 1 { print $3 $4 $5 }' "$T/out")" ""
cp "$T/out" "$T/select5"

# ---- the assignments, recomputed with awk ------------------------------
t_run "mall assignments k=5" 0 cl-kmeans --scale none -f annual_income_thousands,spending_score \
    --k 5 "$MALL"
t_eq "assignments header" "$(head -1 "$T/out")" \
    "customer_id,gender,age,annual_income_thousands,spending_score,cluster,distance,pc1,pc2,label"
t_eq "every row assigned" "$(awk 'END { print NR - 1 }' "$T/out")" 200
# cluster means from the rows, then each distance and the inertia
awk -F, 'NR > 1 { c = $6; n[c]++; sx[c] += $4; sy[c] += $5; x[NR] = $4; y[NR] = $5; k[NR] = c; d[NR] = $7 }
    END { bad = 0
          for (i in k) { c = k[i]; dx = x[i] - sx[c] / n[c]; dy = y[i] - sy[c] / n[c]
                         dd = sqrt(dx * dx + dy * dy); w += dd * dd
                         if (dd - d[i] > 1e-9 || d[i] - dd > 1e-9) bad++ }
          printf "%d %.6f\n", bad, w }' "$T/out" > "$T/check"
t_eq "distance = distance to the mean of its cluster (awk)" "$(cut -d' ' -f1 "$T/check")" 0
t_close "sum of squared distances = the select table's inertia" "$(cut -d' ' -f2 "$T/check")" \
    "$(awk -F, '$1 == 5 { print $2 }' "$T/select5")" 0.0001
t_eq "clusters numbered by size, largest first" \
    "$(awk -F, 'NR > 1 { n[$6]++ } END { for (c = 1; c <= 5; c++) printf "%d ", n[c] }' "$T/out")" "81 39 35 23 22 "
# the projection: centred, pc1 carries more variance than pc2, uncorrelated
awk -F, 'NR > 1 { n++; a += $8; b += $9; aa += $8 * $8; bb += $9 * $9; ab += $8 * $9 }
    END { ok = (a / n < 1e-9 && a / n > -1e-9 && b / n < 1e-9 && b / n > -1e-9 &&
               aa >= bb && ab / n < 1e-9 && ab / n > -1e-9); print ok }' "$T/out" > "$T/pca"
t_eq "pc1/pc2: centred, decreasing variance, uncorrelated" "$(cat "$T/pca")" 1

# ---- z scaling, recomputed with awk -----------------------------------
t_run "mall z-scaled k=4" 0 cl-kmeans -f age,annual_income_thousands,spending_score --k 4 "$MALL"
awk -F, 'NR > 1 { r++; for (j = 3; j <= 5; j++) { v[r, j] = $j; s[j] += $j; q[j] += $j * $j }
                  c[r] = $6; d[r] = $7 }
    END { for (j = 3; j <= 5; j++) { m[j] = s[j] / r; sd[j] = sqrt(q[j] / r - m[j] * m[j]) }
          for (i = 1; i <= r; i++) { n[c[i]]++
              for (j = 3; j <= 5; j++) { z[i, j] = (v[i, j] - m[j]) / sd[j]; cs[c[i], j] += z[i, j] } }
          bad = 0
          for (i = 1; i <= r; i++) { dd = 0
              for (j = 3; j <= 5; j++) { e = z[i, j] - cs[c[i], j] / n[c[i]]; dd += e * e }
              dd = sqrt(dd); if (dd - d[i] > 1e-9 || d[i] - dd > 1e-9) bad++ }
          print bad }' "$T/out" > "$T/zcheck"
t_eq "z-scaled distances recomputed by awk" "$(cat "$T/zcheck")" 0

# ---- profiles, recomputed from the assignments ------------------------
cl-kmeans --k 5 --seed 3 "$MALL" > "$T/assign"
t_run "mall profiles" 0 cl-kmeans --k 5 --seed 3 --profiles --describe gender "$MALL"
t_eq "profiles header" "$(head -1 "$T/out")" \
    "cluster,size,share,age_mean,age_median,age_z,annual_income_thousands_mean,annual_income_thousands_median,annual_income_thousands_z,spending_score_mean,spending_score_median,spending_score_z,gender_mode,label"
awk -F, 'NR > 1 { n[$6]++; s[$6] += $3; g[$6 "," $2]++; lab[$6] = $NF }
    END { for (c = 1; c <= 5; c++) { mode = (g[c ",Female"] >= g[c ",Male"]) ? "Female" : "Male"
          printf "%d,%d,%.6f,%.6f,%s\n", c, n[c], n[c] / 200, s[c] / n[c], mode } }' "$T/assign" > "$T/expect"
awk -F, 'NR > 1 { printf "%d,%d,%.6f,%.6f,%s\n", $1, $2, $3, $4, $13 }' "$T/out" > "$T/got"
t_file_eq "profiles: size, share, mean age, gender mode (awk)" "$T/got" "$T/expect"
# medians of age per cluster, by sort
for c in 1 2 3; do
    med=$(awk -F, -v c=$c 'NR > 1 && $6 == c { print $3 }' "$T/assign" | sort -n |
          awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    t_close "profiles: median age of cluster $c (sort)" \
        "$(awk -F, -v c=$c '$1 == c { print $5 }' "$T/out")" "$med" 0
done
# labels of the assignments are the labels of the profiles
sed -E 's/^([^,]*,){5}([0-9]+),[^,]*,[^,]*,[^,]*,(.*)$/\2,\3/' "$T/assign" | sed 1d | sort -u > "$T/l1"
sed -E 's/^([0-9]+),([^,]*,){12}(.*)$/\1,\3/' "$T/out" | sed 1d > "$T/l2"
t_file_eq "labels agree between the two outputs" "$T/l1" "$T/l2"
t_run "labels in French" 0 cl-kmeans --k 5 --seed 3 --profiles --lang fr "$MALL"
t_grep "a French label" "jeune" "$T/out"

# revenue share: a revenue column summed by awk
awk -F, '{ sub(/\r$/, "") } NR == 1 { print $0 ",revenue"; next } { print $0 "," NR * 10 }' "$MALL" > "$T/rev.csv"
cl-kmeans --k 3 "$T/rev.csv" -f age,spending_score > "$T/revassign"
t_run "profiles with a revenue column" 0 cl-kmeans --k 3 -f age,spending_score --profiles "$T/rev.csv"
awk -F, 'NR > 1 { r[$7] += $6; t += $6 } END { for (c = 1; c <= 3; c++) printf "%.9f\n", r[c] / t }' \
    "$T/revassign" > "$T/expect"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "revenue_share") col = i; next }
    { printf "%.9f\n", $col }' "$T/out" > "$T/got"
t_file_eq "revenue share per cluster (awk)" "$T/got" "$T/expect"

# ---- k selection finds the structure ----------------------------------
awk 'BEGIN { srand(7); print "id,x,y";
    for (i = 1; i <= 600; i++) { c = i % 3; cx = (c == 0) ? 0 : (c == 1) ? 20 : 10; cy = (c == 2) ? 20 : 0
        printf "%d,%.4f,%.4f\n", i, cx + rand() * 4 - 2, cy + rand() * 4 - 2 } }' > "$T/blobs.csv"
for how in silhouette ch elbow; do
    cl-kmeans --k 2..7 --select --choose $how "$T/blobs.csv" > "$T/out"
    t_eq "k selection by $how finds the 3 blobs" "$(awk -F, '$6 == 1 { print $1 }' "$T/out")" 3
done
t_run "a range picks k for the assignments" 0 cl-kmeans --k 2..7 "$T/blobs.csv"
t_eq "3 clusters of 200" "$(awk -F, 'NR > 1 { n[$4]++ } END { for (c in n) print n[c] }' "$T/out" | sort -u)" 200

# ---- determinism across threads ---------------------------------------
awk 'BEGIN { srand(11); print "id,a,b,c,d";
    for (i = 1; i <= 30000; i++) printf "%d,%.5f,%.5f,%.5f,%.5f\n", i, rand() * 10, rand() * rand() * 5, rand(), (i % 7) + rand() }' > "$T/big.csv"
for t in 1 2 3; do
    cl-kmeans --k 2..4 --n-init 4 --threads $t --silhouette-sample 700 --select "$T/big.csv" > "$T/sel$t" 2> "$T/err$t"
    cl-kmeans --k 5 --n-init 4 --threads $t "$T/big.csv" > "$T/asg$t"
done
t_file_eq "select: 1 and 2 threads, same bytes" "$T/sel2" "$T/sel1"
t_file_eq "select: 1 and 3 threads, same bytes" "$T/sel3" "$T/sel1"
t_file_eq "assignments: 1 and 2 threads, same bytes" "$T/asg2" "$T/asg1"
t_file_eq "assignments: 1 and 3 threads, same bytes" "$T/asg3" "$T/asg1"
t_eq "sampled silhouette said" "$(cat "$T/err1")" \
    "cl-kmeans: silhouette computed on a seeded sample of 700 of the 30000 rows (--silhouette-sample)"
t_eq "silhouette_rows column" "$(awk -F, 'NR == 2 { print $7 }' "$T/sel1")" 700
# restarts on a sample of 3000 of the 30000 rows: the same bytes on 1 and
# 2 threads, and the clusters a fixed point of Lloyd's step on every row
# (z-scaled, population sd), checked by awk: each centre the mean of its
# rows, no row strictly nearer another centre, the distances written
for t in 1 2; do
    cl-kmeans --k 5 --n-init 4 --threads $t --restart-sample 3000 "$T/big.csv" > "$T/rs$t"
done
t_file_eq "--restart-sample: 1 and 2 threads, same bytes" "$T/rs2" "$T/rs1"
awk -F, 'NR == FNR { if (FNR > 1) { n++; for (j = 2; j <= 5; j++) { s[j] += $j; q[j] += $j * $j } }; next }
    FNR == 1 { for (j = 2; j <= 5; j++) { m[j] = s[j] / n; sd[j] = sqrt(q[j] / n - m[j] * m[j]) }; next }
    { r++; c[r] = $6; w[r] = $7; cnt[$6]++
      for (j = 2; j <= 5; j++) { z[r, j] = ($j - m[j]) / sd[j]; cs[$6, j] += z[r, j] } }
    END { bad = 0; far = 0
          for (i = 1; i <= r; i++) {
              own = 0
              for (j = 2; j <= 5; j++) { e = z[i, j] - cs[c[i], j] / cnt[c[i]]; own += e * e }
              if (sqrt(own) - w[i] > 1e-6 || w[i] - sqrt(own) > 1e-6) far++
              for (k in cnt) { dd = 0
                  for (j = 2; j <= 5; j++) { e = z[i, j] - cs[k, j] / cnt[k]; dd += e * e }
                  if (dd < own - 1e-9) bad++ } }
          print bad, far }' "$T/big.csv" "$T/rs1" > "$T/check"
t_eq "--restart-sample: no row nearer another mean, distances to the means (awk)" \
    "$(cat "$T/check")" "0 0"
t_run "--restart-sample -1: a usage error" 2 cl-kmeans --restart-sample -1 "$T/big.csv"
# the sample is the same for every k: a range saves the model a fit at the
# chosen k saves
cl-kmeans --k 2..4 --n-init 4 --restart-sample 3000 --select --save-model "$T/rs-sel.model" \
    "$T/big.csv" > "$T/rs-sel" 2> "$T/err"
rs_k=$(awk -F, '$6 == 1 { print $1 }' "$T/rs-sel")
cl-kmeans --k "$rs_k" --n-init 4 --restart-sample 3000 --save-model "$T/rs-k.model" \
    "$T/big.csv" > "$T/out" 2> "$T/err"
t_file_eq "--restart-sample: --select saves the model of a fit at its k ($rs_k)" \
    "$T/rs-k.model" "$T/rs-sel.model"
cl-kmeans --k 5 --n-init 4 --seed 2 "$T/big.csv" > "$T/seed2"
if cmp -s "$T/seed2" "$T/asg1"; then fail "another seed changes the draws"; else ok "another seed changes the draws"; fi

# ---- small cases -------------------------------------------------------
printf 'id,x,y\na,0,0\nb,0,1\nc,5,5\nd,6,5\ne,10,0\n' > "$T/five.csv"
t_run "k = n" 0 cl-kmeans --k 5 "$T/five.csv"
t_eq "k = n: every distance 0" "$(awk -F, 'NR > 1 { print $5 }' "$T/out" | sort -u)" 0
t_eq "k = n: five clusters" "$(awk -F, 'NR > 1 { print $4 }' "$T/out" | sort -u | wc -l | tr -d ' ')" 5
t_run "k > n is an error" 1 cl-kmeans --k 6 "$T/five.csv"
t_eq "k > n message" "$(cat "$T/err")" "cl-kmeans: k = 6 is more than the 5 rows to cluster"
t_run "k = 1" 0 cl-kmeans --k 1 --scale none "$T/five.csv"
t_eq "k = 1: one cluster" "$(awk -F, 'NR > 1 { print $4 }' "$T/out" | sort -u)" 1
t_close "k = 1: distance of a to the mean (4.2, 2.2)" "$(awk -F, '$1 == "a" { print $5 }' "$T/out")" \
    "$(awk 'BEGIN { printf "%.12f", sqrt(4.2 * 4.2 + 2.2 * 2.2) }')" 0.000000001
printf 'id,x,y\na,1,1\nb,1,1\nc,1,1\nd,5,5\ne,5,5\nf,5,5\n' > "$T/dups.csv"
t_run "duplicate points" 0 cl-kmeans --k 2 "$T/dups.csv"
t_eq "duplicates: two clusters of three, distance 0" \
    "$(awk -F, 'NR > 1 { n[$4]++; d[$5]++ } END { print n[1], n[2], d[0] }' "$T/out")" "3 3 6"
t_run "more clusters than distinct points" 0 cl-kmeans --k 3 "$T/dups.csv"
t_grep "coinciding centres said" "have the same centre: the data have fewer than 3 distinct points" "$T/err"

# constant feature: dropped with a warning
printf 'id,x,flat,y\na,0,7,0\nb,0,7,1\nc,5,7,5\nd,6,7,5\n' > "$T/flat.csv"
t_run "a constant feature" 0 cl-kmeans --k 2 --profiles "$T/flat.csv"
t_eq "constant feature warning" "$(cat "$T/err")" \
    'cl-kmeans: feature "flat" is constant (same value in every row): dropped'
t_eq "constant feature left out of the profile" "$(head -1 "$T/out" | grep -c flat_)" 0
printf 'id,flat\na,7\nb,7\n' > "$T/allflat.csv"
t_run "only constant features" 1 cl-kmeans --k 1 "$T/allflat.csv"
t_grep "nothing to cluster" "every feature is constant: nothing to cluster" "$T/err"

# missing and non-numeric values: skipped and counted, or an error with --strict
printf 'id,x,y\na,0,0\nb,,1\nc,5,5\nd,6,oops\ne,10,0\nf,11,1\n' > "$T/miss.csv"
t_run "missing values are skipped" 0 cl-kmeans --k 2 "$T/miss.csv"
t_eq "skips reported with file:line and counted" "$(cat "$T/err")" \
"cl-kmeans: $T/miss.csv:3: x is empty (row skipped)
cl-kmeans: $T/miss.csv:5: y \"oops\" is not a number (row skipped)
cl-kmeans: $T/miss.csv: 2 rows skipped (a missing or non-numeric value; --strict makes it an error)"
t_eq "skipped rows are not in the output" "$(awk -F, 'NR > 1 { printf "%s", $1 }' "$T/out")" "acef"
t_run "--strict: a missing value is an error" 1 cl-kmeans --k 2 --strict "$T/miss.csv"
t_eq "--strict message" "$(cat "$T/err")" "cl-kmeans: $T/miss.csv:3: x is empty"

# input the fast reader declines is read again by libcsv: each skip is
# still reported once, and the error has its line
printf 'id,x\na,1\nb,\nc,"2"x\n' > "$T/malformed.csv"
t_run "malformed CSV after a skip" 1 cl-kmeans --k 1 "$T/malformed.csv"
t_eq "malformed: one skip report, then the error" "$(cat "$T/err")" \
"cl-kmeans: $T/malformed.csv:3: x is empty (row skipped)
cl-kmeans: $T/malformed.csv:4: malformed CSV: a quote inside an unquoted field, or text after a closing quote"
printf 'id,x\ra,1\rb,\rc,5\rd,6\r' > "$T/cr.csv"
t_run "lone CR line ends" 0 cl-kmeans --k 2 --scale none "$T/cr.csv"
t_eq "lone CR: one skip report" "$(grep -c '(row skipped)' "$T/err")" 1
t_eq "lone CR: three rows" "$(awk 'END { print NR }' "$T/out")" 4

# decimal commas and ';' sniffed; a reserved output name in the input
printf 'id;x;y;cluster\na;0,5;0;9\nb;0,25;1;9\nc;5,5;5;9\nd;6;5,5;9\n' > "$T/semi.csv"
t_run "';' and decimal commas" 0 cl-kmeans --k 2 --scale none -f x,y "$T/semi.csv"
t_eq "an input column named cluster is replaced" "$(head -1 "$T/out")" "id,x,y,cluster,distance,pc1,pc2,label"
# {a, b} around (0.375, 0.5) and {c, d} around (5.75, 5.25): 2 × (0.125² + 0.5²) + 4 × 0.25²
t_eq "decimal commas read" "$(cl-kmeans --k 2 --scale none --select -f x,y "$T/semi.csv" | awk -F, 'NR == 2 { print $2 }')" 0.78125

# --decimal-comma / --decimal-point: the mark of every number read, when no
# value tells it ("1,234": a decimal comma or a thousands separator?)
printf 'id,x,y\na,"1,234",0\nb,"2,500",1\nc,"3,125",5\nd,"4,000",5\n' > "$T/amb.csv"
tr ',' ';' < "$T/amb.csv" | sed 's/"\([0-9]\);\([0-9]*\)"/\1,\2/' > "$T/amb-semi.csv"
# k = 1 without scaling: the inertia is the total sum of squares, by awk
tss() { awk -v s="$1" 'BEGIN { split("1234 2500 3125 4000", x, " "); split("0 1 5 5", y, " ")
    for (i = 1; i <= 4; i++) { x[i] /= s; mx += x[i] / 4; my += y[i] / 4 }
    for (i = 1; i <= 4; i++) t += (x[i] - mx) ^ 2 + (y[i] - my) ^ 2; printf "%.6f", t }'; }
t_run "no value tells the mark: rows left out" 1 cl-kmeans -f x,y --k 1 --select "$T/amb.csv"
t_grep "ambiguous said" 'x "1,234" is ambiguous' "$T/err"
for file in amb amb-semi; do
    t_run "--decimal-comma ($file)" 0 cl-kmeans -f x,y --k 1 --scale none --select \
        --decimal-comma "$T/$file.csv"
    t_close "--decimal-comma: 1,234 is 1.234 ($file, awk)" \
        "$(awk -F, 'NR == 2 { print $2 }' "$T/out")" "$(tss 1000)" 0.000001
    t_run "--decimal-point ($file)" 0 cl-kmeans -f x,y --k 1 --scale none --select \
        --decimal-point "$T/$file.csv"
    t_close "--decimal-point: 1,234 is 1234 ($file, awk)" \
        "$(awk -F, 'NR == 2 { print $2 }' "$T/out")" "$(tss 1)" 0.000001
done
t_run "--decimal-comma: the assignments" 0 cl-kmeans -f x,y --k 2 --decimal-comma \
    --save-model "$T/amb-model.csv" "$T/amb.csv"
cp "$T/out" "$T/amb-fit"
t_eq "--decimal-comma: numbers copied in the output's dialect" \
    "$(awk -F, 'NR > 1 { printf "%s ", $2 }' "$T/out")" "1.234 2.500 3.125 4.000 "
t_run "--model --decimal-comma" 0 cl-kmeans --model "$T/amb-model.csv" --decimal-comma "$T/amb.csv"
t_file_eq "--model --decimal-comma = the fit's assignments" "$T/out" "$T/amb-fit"
t_run "--decimal-comma and --decimal-point together" 2 cl-kmeans --decimal-comma --decimal-point \
    "$T/amb.csv"
t_eq "both marks: the message" "$(head -1 "$T/err")" \
    "cl-kmeans: --decimal-comma and --decimal-point cannot be used together"

# ---- models -------------------------------------------------------------
t_run "fit and save a model" 0 cl-kmeans --k 5 --log annual_income_thousands --save-model "$T/model.csv" "$MALL"
cp "$T/out" "$T/fit"
t_eq "model: versioned first line" "$(head -1 "$T/model.csv")" "clientele_kmeans_model,1"
t_eq "model: the transforms" "$(grep -c '^feature,annual_income_thousands,log,' "$T/model.csv")" 1
t_run "assign with the model" 0 cl-kmeans --model "$T/model.csv" "$MALL"
t_file_eq "--model on the same rows gives the fit's output" "$T/out" "$T/fit"
head -51 "$MALL" > "$T/new.csv"
t_run "assign new rows" 0 cl-kmeans --model "$T/model.csv" "$T/new.csv"
t_file_eq "new rows get the clusters they had" "$T/out" "$(head -51 "$T/fit" > "$T/fit51"; echo "$T/fit51")"
t_run "refit from the model" 0 cl-kmeans --init-from "$T/model.csv" "$MALL"
t_eq "--init-from keeps the cluster numbers" "$(cut -d, -f6 "$T/out" | md5sum)" "$(cut -d, -f6 "$T/fit" | md5sum)"
cut -d, -f1,2,3,5 "$MALL" > "$T/noincome.csv"
t_run "a model feature missing from the data" 1 cl-kmeans --model "$T/model.csv" "$T/noincome.csv"
t_grep "missing feature named" 'no column "annual_income_thousands"' "$T/err"
t_run "--model takes k from the model" 2 cl-kmeans --model "$T/model.csv" --k 3 "$MALL"
printf 'something else\n' > "$T/notmodel.csv"
t_run "not a model" 1 cl-kmeans --model "$T/notmodel.csv" "$MALL"
t_grep "not a model said" "not a cl-kmeans model" "$T/err"

# ---- fit once: --select saves the chosen k's model, --model writes the rest ----
# (cl-report: one fit, then the clusters and the profiles from the model)
sel_opts="-f age,annual_income_thousands,spending_score --log annual_income_thousands"
# shellcheck disable=SC2086
t_run "--select over a range saves a model" 0 cl-kmeans $sel_opts --k 2..8 --select \
    --save-model "$T/once.csv" -o "$T/once-select.csv" "$T/rev.csv"
k_once=$(awk -F, '$6 == 1 { print $1 }' "$T/once-select.csv")
t_eq "the model has the chosen k's centroids" "$(grep -c '^centroid,' "$T/once.csv")" "$k_once"
# shellcheck disable=SC2086
cl-kmeans $sel_opts --k "$k_once" --save-model "$T/once-fresh.csv" "$T/rev.csv" > "$T/fresh-assign"
t_file_eq "the saved model = the model of a fresh fit at the chosen k" "$T/once.csv" "$T/once-fresh.csv"
t_run "--model: the clusters" 0 cl-kmeans --model "$T/once.csv" "$T/rev.csv"
t_file_eq "--model clusters = a fresh fit's at the chosen k" "$T/out" "$T/fresh-assign"
for lang in en fr; do
    # shellcheck disable=SC2086
    cl-kmeans $sel_opts --k "$k_once" --profiles --describe gender --lang $lang "$T/rev.csv" \
        > "$T/fresh-profiles"
    t_run "--model --profiles ($lang)" 0 cl-kmeans --model "$T/once.csv" --profiles \
        --describe gender --lang $lang "$T/rev.csv"
    t_file_eq "--model profiles = a fresh fit's at the chosen k ($lang)" "$T/out" "$T/fresh-profiles"
done
t_grep "--model profiles: the revenue share" "revenue_share" "$T/out"
# on other rows: the model's clusters, counted by awk from its assignments
sed -n '1p;2,200{/,Male,/p}' "$T/rev.csv" > "$T/men.csv"
cl-kmeans --model "$T/once.csv" "$T/men.csv" > "$T/men-assign"
t_run "--model --profiles on other rows" 0 cl-kmeans --model "$T/once.csv" --profiles "$T/men.csv"
awk -F, 'NR > 1 { n[$7]++; lab[$7] = $NF; t++ }
    END { for (c = 1; c <= '"$k_once"'; c++) printf "%d,%d,%s\n", c, n[c] + 0, n[c] ? lab[c] : "" }' \
    "$T/men-assign" > "$T/expect"
awk -F, 'NR > 1 { printf "%d,%d,%s\n", $1, $2, $2 ? $NF : "" }' "$T/out" > "$T/got"
t_file_eq "profiles on other rows: sizes and labels of the model's assignments (awk)" \
    "$T/got" "$T/expect"
t_run "--model --select is a usage error" 2 cl-kmeans --model "$T/once.csv" --select "$T/rev.csv"
t_grep "--model --select said" "--select is for a fit" "$T/err"

# the fit writes its rows through its own buffer, --model through csvout:
# the same bytes, tricky text included, in both dialects
printf 'id,name,x,y\na,"say ""hi""",0,0\nb,"x;y, z",0,1\nc,=SUM(A1),5,5\nd, padded ,6,5\ne,-1,10,0\nf,"two\nlines",11,1\n' > "$T/tricky.csv"
for dialect in "" "--excel"; do
    # shellcheck disable=SC2086
    cl-kmeans --k 2 $dialect --save-model "$T/tm.csv" "$T/tricky.csv" > "$T/fit.out"
    # shellcheck disable=SC2086
    cl-kmeans --model "$T/tm.csv" $dialect "$T/tricky.csv" > "$T/model.out"
    t_file_eq "fit and --model write the same bytes ${dialect:-plain}" "$T/model.out" "$T/fit.out"
done
t_grep "--excel neutralises a formula" "\"'=SUM(A1)\"" "$T/fit.out"

# ---- output options ----------------------------------------------------
t_run "--excel" 0 cl-kmeans --k 2 --scale none --excel "$T/five.csv"
t_eq "--excel: BOM, ';' and decimal comma" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" "efbbbf"
t_grep "--excel: ';' header" "id;x;y;cluster;distance;pc1;pc2;label" "$T/out"
t_eq "--excel: decimal comma" "$(awk -F';' 'NR == 2 { print ($6 ~ /,/) }' "$T/out")" 1
t_run "-o writes a file" 0 cl-kmeans --k 2 -o "$T/o.csv" "$T/five.csv"
t_eq "-o: nothing on stdout" "$(wc -c < "$T/out" | tr -d ' ')" 0
t_run "-o: no file after an error" 1 cl-kmeans --k 9 -o "$T/o2.csv" "$T/five.csv"
t_eq "-o: no partial file" "$(ls "$T" | grep -c '^o2')" 0
t_run "stdin" 0 sh -c "cl-kmeans --k 2 < '$T/five.csv'"
t_eq "stdin: five rows" "$(awk 'END { print NR }' "$T/out")" 6

# ---- usage ---------------------------------------------------------------
t_run "--help" 0 cl-kmeans --help
t_grep "--help usage line" "Usage: cl-kmeans [OPTION]... [FILE]" "$T/out"
cp "$T/out" "$T/help"
t_run "--version" 0 cl-kmeans --version
for bad in "--profiles --select" "--k 5..2" "--k 0" "--scale zz" "--choose best" "--lang de" \
           "--describe gender" "--revenue age" "--bogus" "--n-init 0" "--tol -1"; do
    # shellcheck disable=SC2086
    t_run "usage error: $bad" 2 cl-kmeans $bad "$MALL"
    t_grep "usage error names help: $bad" "Try 'cl-kmeans --help'." "$T/err"
done

# the outputs shown in docs/kmeans.md are what the program prints
doc="$CL_TESTS/../docs/kmeans.md"
for example in "cl-kmeans --k 2..8 --select samples/mall-customers.csv | cut -d, -f1-6" \
               "cl-kmeans --k 5 samples/mall-customers.csv | head -3"; do
    awk -v cmd="    \$ $example" '$0 == cmd { on = 1; next } on && /^    [^$]/ { print substr($0, 5); next } on { exit }' \
        "$doc" > "$T/doc.out"
    (cd "$CL_TESTS/.." && sh -c "$example") > "$T/doc.run"
    t_file_eq "docs/kmeans.md example: $example" "$T/doc.run" "$T/doc.out"
done

# the guide's fit-once example runs as shown, and fits once
awk '$0 == "    cl-rollup samples/sales.csv -o rollup.csv" { on = 1 } on && /^$/ { exit }
     on { print substr($0, 5) }' "$doc" > "$T/once.sh"
mkdir "$T/once" && ln -s "$SAMPLES" "$T/once/samples"
t_run "docs/kmeans.md fit-once example runs" 0 sh -c "cd '$T/once' && sh '$T/once.sh'"
t_eq "fit-once example: four commands" "$(grep -c '^cl-' "$T/once.sh")" 4
k_doc=$(awk -F, '$6 == 1 { print $1 }' "$T/once/select.csv")
cl-kmeans -f revenue,orders,recency_days --log revenue,orders --k "$k_doc" --profiles \
    "$T/once/rollup.csv" > "$T/once-fresh" 2> /dev/null
t_file_eq "fit-once example: profiles = a fresh fit's" "$T/once/profiles.csv" "$T/once-fresh"

# every option of --help is in the man page, and the other way round
man="$CL_TESTS/../docs/cl-kmeans.1"
grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u > "$T/help.opts"
# (but the old spellings, kept one release: see NEWS)
awk '/^\.SH/ { old = /OLD SPELLINGS/ } !old' "$man" | sed 's/\\-/-/g' |
    grep -o -- '--[a-z][a-z-]*' | sort -u > "$T/man.opts"
t_file_eq "man page and --help list the same options" "$T/man.opts" "$T/help.opts"
t_run "man page renders cleanly" 0 sh -c "nroff -man -ww '$man' > /dev/null"
t_eq "man page: no warnings" "$(cat "$T/err")" ""
