# cl-plot: the words of the charts. French agrees with the measure (margin
# is feminine), the measure comes from the input's columns, the labels say
# which base a percentage has and what a marked point shows, the migration
# colours say a direction, small shares keep their digits, and the charts
# use the typographic apostrophe and the minus sign.
. "$CL_TESTS/lib.sh"
D="$CL_TESTS/data-plot"
nbsp=$(printf '\342\200\257')
apos=$(printf '\342\200\231')

# ---- margin, from the rows of cl-pareto --value margin (tests/data-plot/
# pareto-margin.csv: margins 60, 25, 10, 5 and -3; revenue is not the
# ranking). The value column is found from share = margin / 100.
cl-plot pareto --lang fr --script "$D/pareto-margin.csv" > "$T/s"
t_grep "margin fr: title" "'Pareto${nbsp}: marge par client'" "$T/s"
t_grep "margin fr: de la marge (not du)" "'2 clients (50${nbsp}% des clients) font 80${nbsp}% de la marge'" "$T/s"
t_grep "margin fr: Part cumulée de la marge" "set ylabel 'Part cumulée de la marge'" "$T/s"
t_grep "margin fr: classés par marge décroissante" "'Part des clients, classés par marge décroissante'" "$T/s"
t_grep "margin fr: sans marge positive, one client" "'1 client sans marge positive est exclu.'" "$T/s"
t_grep "margin fr: a class of one client" "'classe B${nbsp}: 1 client, 10${nbsp}% de la marge'" "$T/s"
cl-plot pareto --script "$D/pareto-margin.csv" > "$T/s"
t_grep "margin en: of margin" "'2 clients (50% of clients) make 80% of margin'" "$T/s"
t_grep "margin en: one client left out" "'1 client with no positive margin is left out.'" "$T/s"
# abc and lorenz from the same rows know the measure too: no --measure
cl-plot abc --lang fr --script "$D/pareto-margin.csv" > "$T/s"
t_grep "abc from rows fr: the measure" "'Classes ABC${nbsp}: part des clients et de la marge'" "$T/s"
t_grep "abc from rows fr: the base (4 positive of 5)" \
    "'Parts des 4 clients à marge positive${nbsp}; l${apos}autre est exclu (5 au total).'" "$T/s"
# the rows give the same bars as the summary would: A 2 of 4 clients, 85%
t_eq "abc from rows: the shares (2/4, 0.85; 1/4, 0.1; 1/4, 0.05)" \
    "$(awk '/^\$shares/ { on = 1; next } on && /^EOD/ { exit } on { printf "%s %.4f %.4f|", $1, $2, $3 }' "$T/s")" \
    "1 0.5000 0.8500|2 0.2500 0.1000|3 0.2500 0.0500|"
cl-plot lorenz --lang fr --script "$D/pareto-margin.csv" > "$T/s"
t_grep "lorenz from rows fr: the measure" "'Concentration de la marge (courbe de Lorenz)'" "$T/s"
# a summary does not say what was ranked: neither revenue nor margin
cl-plot abc --script "$D/summary.csv" > "$T/s"
t_grep "abc from a summary: the neutral word" "'ABC classes: share of clients and of the value'" "$T/s"
t_grep "abc from a summary: the base of the percentages" \
    "'Shares of the 9 clients with a positive value; the other 2 are left out (11 in all).'" "$T/s"
cl-plot abc --lang fr --measure margin --script "$D/summary.csv" > "$T/s"
t_grep "abc --measure margin fr" "'Classes ABC${nbsp}: part des clients et de la marge'" "$T/s"
# plural and elision
cl-plot abc --lang fr --measure orders --script "$D/summary.csv" > "$T/s"
t_grep "measure orders fr: des commandes, positives" "clients à commandes positives" "$T/s"
cl-plot abc --lang fr --measure encours --script "$D/summary.csv" > "$T/s"
t_grep "measure encours fr: de l'encours" "'Classes ABC${nbsp}: part des clients et de l${apos}encours'" "$T/s"

# ---- lorenz: the marked point says what it shows. Smallest first
# (cl-pareto --lorenz): 7 of 9 clients (78%) make 1+2+3+4+5+5+10 = 30.
cl-plot lorenz --script "$D/lorenz.csv" > "$T/s"
t_grep "lorenz: the point is the smallest clients" "'the smallest 78% of clients: 30.0%' at 0.77777777777777779, 0.29999999999999999 " "$T/s"
t_grep "lorenz: the rest is the top, up to 100%" "'the top 22%: 70.0%'" "$T/s"
t_grep "lorenz: the arrow from the point to 100%" "set arrow 3 from 0.77777777777777779, 0.29999999999999999 to 0.77777777777777779, 1 heads" "$T/s"
# largest first (the rows): the point is the top clients
cl-plot lorenz --script "$D/pareto.csv" > "$T/s"
t_grep "lorenz from rows: the point is the top clients" "'the top 22% of clients: 70.0%' at 0.22222222222222221, 0.69999999999999996 " "$T/s"

# ---- migration: the colour says where the clients went. summary.csv:
# A -> A 2 (kept: blue), A -> lost 1 (red), new -> B 1 (green).
cl-plot migration --script "$D/summary.csv" > "$T/s"
cell_rgb() {   # column row: "R G B" of the cell
    awk -v x="$1" -v y="$2" '/^\$cells/ { on = 1; next } on && /^EOD/ { exit }
        on && $1 == x && $2 == y { c = $3; printf "%d %d %d", int(c / 65536), int(c / 256) % 256, c % 256 }' "$T/s"
}
t_eq "migration: kept (A -> A) is blue" "$(cell_rgb 1 1 | awk '{ print ($3 > $1 && $3 > $2) }')" 1
t_eq "migration: lost (A -> lost) is red" "$(cell_rgb 5 1 | awk '{ print ($1 > $2 && $1 > $3) }')" 1
t_eq "migration: down (A -> B) is red" "$(cell_rgb 2 1 | awk '{ print ($1 > $2 && $1 > $3) }')" 1
t_eq "migration: up (B -> A) is green" "$(cell_rgb 1 2 | awk '{ print ($2 > $1 && $2 > $3) }')" 1
t_eq "migration: new (new -> B) is green" "$(cell_rgb 2 5 | awk '{ print ($2 > $1 && $2 > $3) }')" 1
t_grep "migration: the diagonal framed" "set object 40 rect from 0.50, 0.50 to 1.50, 1.50 fs empty border" "$T/s"
t_grep "migration: a colour key" "'moved down, or lost'" "$T/s"
cl-plot migration --lang fr --script "$D/summary.csv" > "$T/s"
t_grep "migration fr: 'aucune (≤ 0)' on two lines above its column" "'aucune' . \"\\n\" . '(≤ 0)' 4" "$T/s"

# ---- share: a small share keeps two significant digits (0.045%, not 0.0%)
printf 'segment,clients,effective,ncr,share_effective,share_potential\nES,1,700,1500,0.0014285714285714286,0.00045454545454545455\n' > "$T/share.csv"
cl-plot share --lang fr --script "$T/share.csv" > "$T/s"
t_grep "share: 0.045% as 0,045 %" "'0,045${nbsp}%'" "$T/s"
t_grep "share: 0.14% as 0,14 %" "'0,14${nbsp}%'" "$T/s"
t_eq "share: no double space in the note" "$(grep -c "effectifs ;  pot" "$T/s")" 0

# ---- typography: our words use ’ and −, never ' or - (the data here have
# neither); tic labels are ours, so a negative one has the minus sign
for kind in pareto:pareto lorenz:lorenz abc:summary migration:summary rfm:rfm share:share \
            clusters:clusters select:select personas:profiles; do
    for lang in en fr; do
        cl-plot ${kind%%:*} --lang $lang --script "$D/${kind#*:}.csv" > "$T/s"
        t_eq "${kind%%:*} $lang: no straight apostrophe in the words" "$(grep -c "\"'\"" "$T/s")" 0
        t_eq "${kind%%:*} $lang: no hyphen as a minus in a label" \
            "$(grep -v '^#' "$T/s" | grep -c "'-[0-9]")" 0
    done
done
cl-plot personas --script "$D/profiles.csv" > "$T/s"
t_grep "personas: a negative z with the minus sign" "'−1.1'" "$T/s"
