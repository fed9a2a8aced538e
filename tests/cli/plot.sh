# cl-plot: every kind in every format, the asked size, --script equal to the
# chart, the figures written on the charts (checked against hand
# computations on tests/data-plot/), errors, atomic output.
. "$CL_TESTS/lib.sh"
D="$CL_TESTS/data-plot"

# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk, or "" when not a PNG
png_size() {
    sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] || { echo ""; return; }
    [ "$(dd if="$1" bs=1 skip=12 count=4 2>/dev/null)" = IHDR ] || { echo ""; return; }
    od -An -tu1 -j16 -N8 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }'
}
# svg_size FILE: width and height of the root <svg> element
svg_size() {
    tr '\n' ' ' < "$1" | sed -n 's/.*<svg *width="\([0-9]*\)" *height="\([0-9]*\)".*/\1 \2/p' | head -1
}
# pdf_size FILE: the MediaBox, in points
pdf_size() {
    [ "$(head -c 5 "$1")" = "%PDF-" ] || { echo ""; return; }
    grep -a -o 'MediaBox *\[ *0 0 [0-9.]* [0-9.]* *\]' "$1" | head -1 | awk '{ print $5, $6 }' | tr -d ']'
}

kinds="pareto:pareto lorenz:lorenz abc:summary migration:summary rfm:rfm share:share clusters:clusters select:select personas:profiles"
for pair in $kinds; do
    kind=${pair%%:*}; file=$D/${pair#*:}.csv
    for lang in en fr; do
        t_run "$kind $lang: png" 0 cl-plot "$kind" --lang $lang -o "$T/$kind.png" "$file"
        t_eq "$kind $lang: png is 1280x720" "$(png_size "$T/$kind.png")" "1280 720"
        t_eq "$kind $lang: gnuplot said nothing" "$(cat "$T/err")" ""
    done
    t_run "$kind: svg" 0 cl-plot "$kind" -o "$T/$kind.svg" "$file"
    t_eq "$kind: svg root is 1280x720" "$(svg_size "$T/$kind.svg")" "1280 720"
    t_run "$kind: pdf" 0 cl-plot "$kind" -o "$T/$kind.pdf" "$file"
    t_eq "$kind: pdf page is 1280x720 points" "$(pdf_size "$T/$kind.pdf")" "1280 720"
    t_run "$kind: size 800x600" 0 cl-plot "$kind" --size 800x600 -o "$T/small.png" "$file"
    t_eq "$kind: png is 800x600" "$(png_size "$T/small.png")" "800 600"
    # the printed script, run by gnuplot, makes the same chart
    cl-plot "$kind" --script --format svg "$file" > "$T/$kind.gp"
    # (cl-plot writes gnuplot's "Font:Bold" family as font-weight="bold",
    # numbers the plots' ids once through the file, drops their tooltips)
    gnuplot -d "$T/$kind.gp" 2> "$T/err" |
        sed 's/font-family="\([^":]*\):Bold"/font-family="\1" font-weight="bold"/g' |
        sed 's|\(id="gnuplot_plot_[^"]*" *>\)<title>[^<]*</title>|\1|; s/id="gnuplot_plot_[^"]*"/id="gnuplot_plot"/g' \
        > "$T/from-script.svg"
    sed 's/id="gnuplot_plot_[^"]*"/id="gnuplot_plot"/g' "$T/$kind.svg" > "$T/direct.svg"
    t_file_eq "$kind: --script run by gnuplot gives the same svg" "$T/from-script.svg" "$T/direct.svg"
    t_eq "$kind: svg bold as font-weight, no ':Bold' family" "$(grep -c ':Bold' "$T/$kind.svg")" 0
    t_eq "$kind: svg ids unique" "$(grep -o ' id=["'"'"'][^"'"'"']*' "$T/$kind.svg" | sort | uniq -d)" ""
    t_eq "$kind: svg without gnuplot_plot tooltips" "$(grep -c '<title>gnuplot_plot' "$T/$kind.svg")" 0
    t_eq "$kind: svg: no plot tooltip at all (only the document's title)" \
        "$(grep -c '<title>' "$T/$kind.svg")" 1
    t_eq "$kind: svg text drawn as the png's (fontscale 4/3)" \
        "$(grep -c "^set terminal svg .* fontscale 1.3333 " "$T/$kind.gp")" 1
    cl-plot "$kind" --script "$file" > "$T/$kind-png.gp"
    gnuplot -d "$T/$kind-png.gp" > "$T/from-script.png" 2> "$T/err"
    cl-plot "$kind" -o "$T/direct.png" "$file"
    t_file_eq "$kind: --script run by gnuplot gives the same png" "$T/from-script.png" "$T/direct.png"
    # the text preview
    t_run "$kind: text preview" 0 cl-plot "$kind" "$file"
    t_eq "$kind: text preview has lines" "$([ "$(wc -l < "$T/out")" -gt 10 ] && echo yes)" "yes"
done

# --script -o: the script writes the file itself
( cd "$T" && cl-plot abc --script -o 'it'"'"'s here.png' "$D/summary.csv" > s.gp && gnuplot -d s.gp )
t_eq "script with -o writes that file" "$(png_size "$T/it's here.png")" "1280 720"

# ---- figures on the charts, computed by hand --------------------------
# pareto.csv: positive values 50,20,10,5,5,4,3,2,1 (total 100) and two
# clients <= 0. 80% is reached by the 3rd client (50+20+10); 3/9 = 33%.
cl-plot pareto --script "$D/pareto.csv" > "$T/s"
t_grep "pareto: clients for 80%" "'3 clients (33% of clients) make 80% of revenue'" "$T/s"
t_grep "pareto: the 80% point named" "'3 clients (33%): 80%'" "$T/s"
# the curve on a true scale: the 80% point at 3/9 of the clients, the
# curve's last point at 100% of them (no compressed tail)
t_eq "pareto: 80% point at x = 3/9" "$(awk '/^\$reach80/ { getline; print ($1 == 3/9) }' "$T/s")" 1
t_eq "pareto: curve ends at 100% of clients" \
    "$(awk '/^\$curve/ { on = 1; next } on && /^EOD/ { print last; exit } on { last = $1 }' "$T/s")" 1
t_grep "pareto: class A legend" "'class A: 3 clients, 80% of revenue'" "$T/s"
t_grep "pareto: class B legend (5+5+4+3)" "'class B: 4 clients, 17% of revenue'" "$T/s"
t_grep "pareto: class C legend (2+1)" "'class C: 2 clients, 3.0% of revenue'" "$T/s"
t_grep "pareto: non-positive clients noted" "'2 clients with no positive revenue are left out.'" "$T/s"
t_grep "pareto: the value column found and named" "'Pareto: revenue by client'" "$T/s"
t_grep "pareto: the top clients' panel" "'The 9 largest clients'" "$T/s"
t_grep "pareto: the top clients' share (50+20+10+5+5+4+3+2+1)" "'together: 100.0% of revenue'" "$T/s"
cl-plot pareto --lang fr --script "$D/pareto.csv" > "$T/s"
nbsp=$(printf '\342\200\257')
apos=$(printf '\342\200\231')
t_grep "pareto fr: words and numbers" "'3 clients (33${nbsp}% des clients) font 80${nbsp}% du chiffre d${apos}affaires'" "$T/s"
t_grep "pareto fr: decimal comma" "set decimalsign ','" "$T/s"
# --top 2 names two clients in the second panel
cl-plot pareto --top 2 --script "$D/pareto.csv" > "$T/s"
t_grep "pareto --top 2: the panel" "'The 2 largest clients'" "$T/s"
t_grep "pareto --top 2: their share (50+20)" "'together: 70.0% of revenue'" "$T/s"
t_eq "pareto --top 2: third client not named" "$(grep -c "'Gamma'" "$T/s")" "0"
# Gini of 1,2,3,4,5,5,10,20,50 by sum (2i-n-1)x/(n sum x) = 530/900 = 0.589;
# the top 2 of 9 clients (ceil 1.8) make 70%. Both curve orders.
for f in lorenz pareto; do
    cl-plot lorenz --script "$D/$f.csv" > "$T/s"
    t_grep "lorenz from $f: gini" "'Gini index: 0.59'" "$T/s"
    what=revenue; [ $f = lorenz ] && what="the value"   # --lorenz does not say what was ranked
    t_grep "lorenz from $f: top 20%" "'make 70.0% of $what.'" "$T/s"
    # the fifths: 50+20 | 10+5 (ceil 3.6 = 4 clients) | 5+4 | 3+2 | 1, of 100
    t_eq "lorenz from $f: the fifths" \
        "$(awk '/^\$fifths/ { on = 1; next } on && /^EOD/ { exit } on { printf "%.4f ", $2 }' "$T/s")" \
        "0.7000 0.1500 0.0900 0.0500 0.0100 "
done
cl-plot lorenz --lang fr --script "$D/lorenz.csv" > "$T/s"
t_grep "lorenz fr: gini with a comma" "'Indice de Gini${nbsp}: 0,59'" "$T/s"
# abc: shares as written in the summary, rounded
cl-plot abc --script "$D/summary.csv" > "$T/s"
for label in 33% 80% 44% 17% 22% 3.0%; do
    t_grep "abc: label $label" "set label 1" "$T/s"
    t_eq "abc: label $label" "$(grep -c "^set label [0-9]* '$label' at" "$T/s")" 1
done
t_grep "abc: class with its clients" "'Class A' . \"\\n\" . '3 clients'" "$T/s"
# migration: each count in its cell (column = class now, row = before)
cl-plot migration --script "$D/summary.csv" > "$T/s"
t_grep "migration: C -> lost is 3, in column 5 row 3" "'3' at 5, 3 " "$T/s"
t_grep "migration: new -> B is 1, in column 2 row 5" "'1' at 2, 5 " "$T/s"
t_eq "migration: new -> lost has no label" "$(grep -c " at 5, 5 " "$T/s")" 0
# rfm: champions 2 of 4 clients and 150 of 200; at risk 1 and 40; lost 1 and 10
cl-plot rfm --script "$D/rfm.csv" > "$T/s"
t_grep "rfm: champions first" "'Champions (2)' 1" "$T/s"
t_grep "rfm: at risk before lost" "'At risk (1)' 2, 'Lost (1)' 3" "$T/s"
for label in 50% 75% 25% 20% 5.0%; do
    t_eq "rfm: label $label" "$(grep -c "^set label [0-9]* '$label' at" "$T/s")" \
        "$([ $label = 25% ] && echo 2 || echo 1)"
done
# share: 1000/8000 = 12.5%, 1000/10000 = 10.0%; totals from the TOTAL row
cl-plot share --script "$D/share.csv" > "$T/s"
t_grep "share: effective, in the bar's row" "'12.5%' at 0.125, 0.820 " "$T/s"
t_grep "share: potential, in the bar's row" "'10.0%' at 0.10000000000000001, 1.180 " "$T/s"
t_grep "share: our clients named at the bar's end (8000 + 2000)" "'our clients: 1,000' at 10000, 1 " "$T/s"
t_grep "share: totals" "'All segments: 11.5% of effective demand, 8.0% of potential demand.'" "$T/s"
t_eq "share: TOTAL is not a bar" "$(grep -c "'TOTAL'" "$T/s")" 0
# clusters: on the features (age, income), not the components; the centres
# are the medians: cluster 1 ages 20, 22, 24 and incomes 15, 17, 16
cl-plot clusters --script "$D/clusters.csv" > "$T/s"
t_grep "clusters: centre of cluster 1" "set label 10 '1' at 22, 16 " "$T/s"
t_grep "clusters: x axis is a feature" "set xlabel 'Age'" "$T/s"
t_grep "clusters: y axis is a feature" "set ylabel 'Income'" "$T/s"
t_grep "clusters: legend" "'1 · young, low income'" "$T/s"
t_grep "clusters: legend's counts" "'3 clients, 43%'" "$T/s"
cl-plot select --script "$D/select.csv" > "$T/s"
t_grep "select: chosen k" "'chosen: k = 3'" "$T/s"
cl-plot personas --script "$D/profiles.csv" > "$T/s"
t_grep "personas: z label" "'+1.3' at 2, 2 " "$T/s"
t_grep "personas: mean label" "'mean 85.0' at 2, 2 " "$T/s"
t_grep "personas: row label" "'1 · young, low income' . ' (43%)'" "$T/s"

# ---- hostile text: drawn, never run ----------------------------------
mkdir "$T/h"
cat > "$T/h/pareto.csv" <<'EOF'
customer,revenue,rank,share,cum_share,cum_clients_share,class
`touch BQ`,5,1,0.5,0.5,0.2,A
"system(""touch SYS"")",2,2,0.2,0.7,0.4,A
"x'; set output ""OUT""; print 'y",1,3,0.1,0.8,0.6,A
"a
set output ""NL""
plot 1",1,4,0.1,0.9,0.8,B
EOD,1,5,0.1,1,1,C
EOF
cat > "$T/h/rfm.csv" <<'EOF'
customer,revenue,segment
a,1,`touch SEG`
b,2,"load ""LOAD"" # \"
c,3,EOD
d,4,"print system(""touch PR"")"
e,5,"'''; system('touch Q3'); '"
f,6,%s%n{/Symbol a}@x ^{2}
EOF
cat > "$T/h/prof.csv" <<'EOF'
cluster,size,share,x_z,label
1,1,0.5,1,`touch LB`
2,1,0.5,-1,"'; system(""touch Q"")"
EOF
(
    cd "$T/h" || exit 1
    for f in png svg pdf; do
        cl-plot pareto --title '`touch TITLE`' --subtitle "'; system('touch SUB'); '" -o "c.$f" pareto.csv
        cl-plot rfm -o "r.$f" rfm.csv
        cl-plot personas -o "p.$f" prof.csv
    done
    cl-plot pareto pareto.csv > /dev/null
    cl-plot pareto --script pareto.csv > s.gp && gnuplot -d s.gp > s.png
)
t_eq "hostile names: only the charts were written" "$(cd "$T/h" && ls | tr '\n' ' ')" \
    "c.pdf c.png c.svg p.pdf p.png p.svg pareto.csv prof.csv r.pdf r.png r.svg rfm.csv s.gp s.png "
t_eq "hostile names: drawn as written" "$(grep -c 'touch BQ' "$T/h/c.svg")" 1
t_eq "hostile names: title drawn as written" "$(grep -c 'touch TITLE' "$T/h/c.svg")" 1
t_eq "hostile names: no data line ends a datablock early" \
    "$(awk '/<< EOD/ { n++ } /^EOD$/ { e++ } END { print n == e }' "$T/h/s.gp")" 1
t_eq "hostile names: every text line is a quoted string" \
    "$(grep -c 'touch' "$T/h/s.gp")" "$(grep -c "'[^']*touch[^']*'" "$T/h/s.gp")"

# markup in a label stays text in an SVG (a page inlines it): every kind
# that draws a label from the data, its tic labels included (gnuplot made
# the last one a plot's tooltip, now dropped)
printf 'customer,revenue,segment\na,1,"</title><script>alert(1)</script>"\nb,2,<b>x</b>&amp;\n' \
    > "$T/h/rfm-markup.csv"
awk -F, -v OFS=, 'NR > 1 && $NF == "C" { $NF = "\"</title><script>x</script>\"" } { print }' \
    "$D/pareto.csv" > "$T/h/pareto-markup.csv"
for pair in rfm:rfm-markup abc:pareto-markup pareto:pareto-markup; do
    cl-plot ${pair%%:*} -o "$T/h/m.svg" "$T/h/${pair#*:}.csv"
    t_eq "markup in labels, ${pair%%:*}: no element from the data, one title" \
        "$(grep -c '<script\|<b>' "$T/h/m.svg") $(grep -c '<title>' "$T/h/m.svg")" "0 1"
    t_eq "markup in labels, ${pair%%:*}: drawn as text" "$(grep -c '&lt;script>' "$T/h/m.svg")" 1
done

# ---- errors and atomic output ----------------------------------------
t_run "missing column" 1 cl-plot share -o "$T/x.png" "$D/rfm.csv"
t_grep "missing column: message" "no column \"clients\": the share chart reads cl-share" "$T/err"
t_eq "missing column: no file" "$(ls "$T" | grep -c '^x\.png')" 0
t_run "gnuplot missing" 1 env GNUPLOT=/nonexistent/gnuplot cl-plot abc -o "$T/x.png" "$D/summary.csv"
t_grep "gnuplot missing: names the package" "install the Debian package gnuplot-nox" "$T/err"
t_eq "gnuplot missing: no file, no temporary" "$(ls "$T" | grep -c '^x\.png')" 0
printf '#!/bin/sh\ncat > /dev/null\necho "line 3: bad thing" >&2\nexit 1\n' > "$T/badplot"
chmod +x "$T/badplot"
cp "$T/abc.png" "$T/keep.png"
t_run "gnuplot fails" 1 env GNUPLOT="$T/badplot" cl-plot abc -o "$T/keep.png" "$D/summary.csv"
t_grep "gnuplot fails: its message shown" "cl-plot: gnuplot: line 3: bad thing" "$T/err"
t_file_eq "gnuplot fails: the old chart is untouched" "$T/keep.png" "$T/abc.png"
t_eq "gnuplot fails: no temporary left" "$(ls "$T" | grep -c '^keep\.png\.')" 0
# The script reaches gnuplot as a file to load (/dev/fd/N, read in blocks),
# not on its standard input, which gnuplot reads one byte a read(2): a
# 653 KB Pareto script took 0.96 CPU s that way, 0.05 s as a file.
printf '#!/bin/sh\ncase "$2" in /dev/fd/*) cat "$2" > "%s/seen.gp" ;; esac\nwc -c > "%s/stdin-bytes"\nexec gnuplot "$1" "%s/seen.gp"\n' "$T" "$T" "$T" > "$T/spyplot"
chmod +x "$T/spyplot"
cl-plot abc --script "$D/summary.csv" > "$T/abc-script.gp"
t_run "script as a file" 0 env GNUPLOT="$T/spyplot" cl-plot abc -o "$T/spy.png" "$D/summary.csv"
t_file_eq "script as a file: gnuplot loads it from /dev/fd" "$T/seen.gp" "$T/abc-script.gp"
t_eq "script as a file: nothing on gnuplot's standard input" "$(tr -d ' ' < "$T/stdin-bytes")" 0
cl-plot abc -o "$T/plain.png" "$D/summary.csv"
t_file_eq "script as a file: the same chart" "$T/spy.png" "$T/plain.png"
# gnuplot names the file of a failing line: ours, not the user's, dropped
printf '#!/bin/sh\necho "\"$2\" line 7: undefined function: foo" >&2\nexit 1\n' > "$T/namedplot"
chmod +x "$T/namedplot"
t_run "gnuplot fails in the file" 1 env GNUPLOT="$T/namedplot" cl-plot abc -o "$T/keep.png" "$D/summary.csv"
t_grep "gnuplot fails in the file: its line shown" "cl-plot: gnuplot: line 7: undefined function: foo" "$T/err"
t_eq "gnuplot fails in the file: no /dev/fd name" "$(grep -c /dev/fd "$T/err")" 0
t_run "several groups" 1 cl-plot abc "$CL_TESTS/data-plot/summary.csv" --where metric=nothing
t_grep "--where keeping nothing" "no rows to plot (--where kept none)" "$T/err"
t_run "bad kind" 2 cl-plot pie "$D/summary.csv"
t_run "unknown extension" 2 cl-plot abc -o "$T/x.gif" "$D/summary.csv"
t_run "bad size" 2 cl-plot abc --size 12 -o "$T/x.png" "$D/summary.csv"
t_run "not a number" 1 cl-plot select "$D/rfm.csv" --where customer=C1
t_grep "not a number: no k column" "no column \"k\"" "$T/err"
printf 'k,inertia,silhouette\n2,abc,0.5\n' > "$T/bad.csv"
t_run "bad number" 1 cl-plot select -o "$T/x.png" "$T/bad.csv"
t_grep "bad number: file and line" "bad.csv:2: inertia \"abc\" is not a number" "$T/err"

# ---- --strict: a gap (an empty value where the program always writes a
# number) is drawn as none and counted, or an error; a value that is not a
# number is an error either way; an empty value by design is neither
mkdir -p "$T/g"
printf 'customer,revenue,segment\nc1,120,champions\nc2,,lost\nc3,,lost\nc4,5,lost\n' > "$T/g/rfm.csv"
t_run "gap: rfm draws" 0 cl-plot rfm -o "$T/g/r.png" "$T/g/rfm.csv"
t_eq "gap: one line naming the first, counting both" "$(cat "$T/err")" \
    "cl-plot: $T/g/rfm.csv:3: revenue is empty, drawn as no value (2 empty values where the program writes a number; --strict makes this an error)"
cl-plot rfm --script "$T/g/rfm.csv" > "$T/g/s.gp" 2> /dev/null
# the lost segment: 3 of 4 clients, 5 of 125 revenue (the gaps add nothing)
t_grep "gap: the segment keeps its clients, the gaps add no value" "'4.0%'" "$T/g/s.gp"
t_run "gap: --quiet says nothing" 0 cl-plot rfm --quiet -o "$T/g/r.png" "$T/g/rfm.csv"
t_eq "gap: --quiet: stderr empty" "$(cat "$T/err")" ""
rm -f "$T/g/r.png"
t_run "gap --strict: an error" 1 cl-plot rfm --strict -o "$T/g/r.png" "$T/g/rfm.csv"
t_eq "gap --strict: file, line, column" "$(cat "$T/err")" \
    "cl-plot: $T/g/rfm.csv:3: revenue is empty (--strict)"
t_eq "gap --strict: no chart written" "$(ls "$T/g")" "rfm.csv
s.gp"
printf 'customer,revenue,segment\nc1,120,champions\nc2,x,lost\n' > "$T/g/bad.csv"
for strict in "" --strict; do
    t_run "not a number ${strict:-(default)}: an error" 1 cl-plot rfm $strict --script "$T/g/bad.csv"
    t_eq "not a number ${strict:-(default)}: file, line, column" "$(cat "$T/err")" \
        "cl-plot: $T/g/bad.csv:3: revenue \"x\" is not a number"
done
# cl-pareto's rows: the left-out clients (class -) have no share by design;
# a ranked client without one is a gap
t_run "by design: class - without shares, --strict" 0 cl-plot pareto --strict --script "$D/pareto.csv"
t_eq "by design: two such rows, nothing said" "$(grep -c ',,,-$' "$D/pareto.csv") $(cat "$T/err")" "2 "
awk -F, -v OFS=, 'NR == 3 { $5 = "" } { print }' "$D/pareto.csv" > "$T/g/pareto.csv"
t_run "gap in a ranked row: drawn" 0 cl-plot pareto --script "$T/g/pareto.csv"
t_grep "gap in a ranked row: named" "pareto.csv:3: cum_share is empty, drawn as no value (1 empty" "$T/err"
# (the gap is where the curve crosses 80%: the point is the next client's,
# gnuplot was given "nan" for it and failed)
t_run "gap in a ranked row: an image" 0 cl-plot pareto -o "$T/g/gap.svg" "$T/g/pareto.csv"
cl-plot pareto --script "$T/g/pareto.csv" 2> /dev/null |
    awk 'f { print; exit } /^\$reach80 << EOD$/ { f = 1 }' > "$T/g/reach"
t_eq "gap in a ranked row: the 80% point, the third client's" "$(cat "$T/g/reach")" \
    "0.33333333333333331 0.80000000000000004"
t_run "gap in a ranked row --strict" 1 cl-plot pareto --strict --script "$T/g/pareto.csv"
t_grep "gap in a ranked row --strict: named" "pareto.csv:3: cum_share is empty (--strict)" "$T/err"

# ---- nothing drawn at the image's left edge: the French axis title beside
# the wider ticks ("100 %") was cut there (ImageMagick reads the pixels)
if command -v convert >/dev/null 2>&1; then
    mkdir -p "$T/edge"
    for kind in pareto lorenz; do
        for lang in en fr; do
            cl-plot "$kind" --lang "$lang" -o "$T/edge/$kind-$lang.png" "$D/pareto.csv" 2> /dev/null
            t_eq "edge: $kind, $lang: the 4 leftmost columns of pixels are blank" \
                "$(convert "$T/edge/$kind-$lang.png" -crop 4x720+0+0 +repage \
                   -format '%[fx:minima.intensity]' info: 2>&1)" "1"
        done
    done
fi

# ---- --also: both images of a chart from one run, each the same bytes as
# its own run; the input's gaps said once; both written or neither
mkdir -p "$T/also"
for pair in $kinds; do
    kind=${pair%%:*}; file=$D/${pair#*:}.csv
    t_run "also $kind: svg and png in one run" 0 cl-plot "$kind" --subtitle 'x' \
        -o "$T/also/one.svg" --also "$T/also/one.png" "$file"
    cl-plot "$kind" --subtitle 'x' -o "$T/also/own.svg" "$file" 2> /dev/null
    cl-plot "$kind" --subtitle 'x' -o "$T/also/own.png" "$file" 2> /dev/null
    t_eq "also $kind: the svg as its own run's" \
        "$(cmp "$T/also/one.svg" "$T/also/own.svg" 2>&1 && echo same)" "same"
    t_eq "also $kind: the png as its own run's" \
        "$(cmp "$T/also/one.png" "$T/also/own.png" 2>&1 && echo same)" "same"
done
t_run "also, fr 800x600: pdf then svg" 0 cl-plot lorenz --lang fr --size 800x600 \
    -o "$T/also/l.pdf" --also "$T/also/l.svg" "$D/pareto.csv"
cl-plot lorenz --lang fr --size 800x600 -o "$T/also/own.svg" "$D/pareto.csv" 2> /dev/null
cl-plot lorenz --lang fr --size 800x600 -o "$T/also/own.pdf" "$D/pareto.csv" 2> /dev/null
t_eq "also, fr 800x600: the pdf's page as its own run's (a pdf holds its date)" \
    "$(pdf_size "$T/also/l.pdf")" "$(pdf_size "$T/also/own.pdf")"
t_eq "also, fr 800x600: the svg as its own run's" \
    "$(cmp "$T/also/l.svg" "$T/also/own.svg" 2>&1 && echo same)" "same"
t_run "also: the gaps said once" 0 cl-plot rfm -o "$T/also/g.svg" --also "$T/also/g.png" \
    "$T/g/rfm.csv"
t_eq "also: one line, counting the input's 2 gaps" "$(cat "$T/err")" \
    "cl-plot: $T/g/rfm.csv:3: revenue is empty, drawn as no value (2 empty values where the program writes a number; --strict makes this an error)"
t_run "also: not with --script" 2 cl-plot abc --script --also "$T/also/x.png" "$D/summary.csv"
t_grep "also: not with --script: said" "--also draws a second image" "$T/err"
t_run "also: not without -o" 2 cl-plot abc --also "$T/also/x.png" "$D/summary.csv"
t_grep "also: not without -o: said" "give -o with an image" "$T/err"
t_run "also: an image name" 2 cl-plot abc -o "$T/also/x.png" --also "$T/also/x.txt" \
    "$D/summary.csv"
t_grep "also: an image name: said" "name the chart .png, .svg or .pdf" "$T/err"
t_run "also: not -o's file" 2 cl-plot abc -o "$T/also/x.png" --also "$T/also/x.png" \
    "$D/summary.csv"
t_run "also: an image that cannot be written" 1 cl-plot abc -o "$T/also/new.svg" \
    --also "$T/also/no/such/dir.png" "$D/summary.csv"
t_eq "also: an image that cannot be written: neither written" \
    "$(ls "$T/also" | grep -c '^new')" "0"

# ---- --also KIND=FILE: the charts of cl-pareto's rows from one run, each
# image the same bytes as its own run's; the gaps said once; a bad number
# named with file and line; every image written or none
mkdir -p "$T/kinds"
for lang in en fr; do
    for file in "$D/pareto.csv" "$T/h/pareto-markup.csv"; do
        t_run "also KIND $lang $(basename "$file"): six images in one run" 0 \
            cl-plot pareto --lang $lang --subtitle 'x' -o "$T/kinds/pareto.svg" \
            --also "$T/kinds/pareto.png" --also "lorenz=$T/kinds/lorenz.svg" \
            --also "lorenz=$T/kinds/lorenz.png" --also "abc=$T/kinds/abc.svg" \
            --also "abc=$T/kinds/abc.png" "$file"
        for kind in pareto lorenz abc; do
            for f in svg png; do
                cl-plot $kind --lang $lang --subtitle 'x' -o "$T/kinds/own.$f" "$file" 2> /dev/null
                t_eq "also KIND $lang $(basename "$file"): $kind.$f as its own run's" \
                    "$(cmp "$T/kinds/$kind.$f" "$T/kinds/own.$f" 2>&1 && echo same)" "same"
            done
        done
    done
done
# another order, sizes and kinds: lorenz first, then the rfm chart is not of
# these rows (an error, nothing written); abc from a summary beside migration
t_run "also KIND: lorenz first, 800x600" 0 cl-plot lorenz --size 800x600 \
    -o "$T/kinds/l2.png" --also "abc=$T/kinds/a2.png" --also "pareto=$T/kinds/p2.svg" \
    "$D/pareto.csv"
for pair in lorenz:l2.png abc:a2.png pareto:p2.svg; do
    cl-plot ${pair%%:*} --size 800x600 -o "$T/kinds/own.${pair##*.}" "$D/pareto.csv" 2> /dev/null
    t_eq "also KIND: ${pair%%:*} at 800x600 as its own run's" \
        "$(cmp "$T/kinds/${pair#*:}" "$T/kinds/own.${pair##*.}" 2>&1 && echo same)" "same"
done
t_run "also KIND: abc and migration of a summary" 0 cl-plot abc -o "$T/kinds/sa.svg" \
    --also "migration=$T/kinds/sm.svg" "$D/summary.csv"
cl-plot migration -o "$T/kinds/own.svg" "$D/summary.csv" 2> /dev/null
t_eq "also KIND: migration as its own run's" \
    "$(cmp "$T/kinds/sm.svg" "$T/kinds/own.svg" 2>&1 && echo same)" "same"
t_run "also KIND: a kind the input cannot draw" 1 cl-plot pareto -o "$T/kinds/n1.svg" \
    --also "rfm=$T/kinds/n2.svg" "$D/pareto.csv"
t_eq "also KIND: a kind the input cannot draw: nothing written" \
    "$(ls "$T/kinds" | grep -c '^n[12]')" "0"
# (a ranked client's share left empty: each kind draws it, and says so)
awk -F, -v OFS=, 'NR == 3 { $4 = "" } { print }' "$D/pareto.csv" > "$T/kinds/gap.csv"
t_run "also KIND: the gaps said once" 0 cl-plot pareto -o "$T/kinds/g.svg" \
    --also "lorenz=$T/kinds/gl.svg" --also "abc=$T/kinds/ga.svg" "$T/kinds/gap.csv"
for kind in pareto lorenz abc; do
    t_eq "also KIND: the gaps said once: one line, as the $kind run's" "$(cat "$T/err")" \
        "$(cl-plot $kind -o "$T/kinds/own.svg" "$T/kinds/gap.csv" 2>&1)"
done
t_grep "also KIND: the gaps said once: the line" "gap.csv:3: share is empty, drawn as no value" \
    "$T/err"
# a kind that fails on its own fails the run (lorenz reads no gap in cum_share)
t_run "also KIND: as its own run, an error" 1 cl-plot abc -o "$T/kinds/c1.svg" \
    --also "lorenz=$T/kinds/c2.svg" "$T/g/pareto.csv"
t_grep "also KIND: as its own run, an error: file and line" "pareto.csv:3: cum_share \"\" is empty" \
    "$T/err"
t_eq "also KIND: as its own run, an error: nothing written" \
    "$(ls "$T/kinds" | grep -c '^c[12]')" "0"
awk -F, -v OFS=, 'NR == 4 { $4 = "x" } { print }' "$D/pareto.csv" > "$T/kinds/bad.csv"
t_run "also KIND: a bad number" 1 cl-plot lorenz -o "$T/kinds/b1.svg" \
    --also "pareto=$T/kinds/b2.svg" "$T/kinds/bad.csv"
t_grep "also KIND: a bad number: file and line" "bad.csv:4: share \"x\" is not a number" \
    "$T/err"
t_eq "also KIND: a bad number: nothing written" "$(ls "$T/kinds" | grep -c '^b[12]')" "0"
t_run "also KIND: not -o's file" 2 cl-plot pareto -o "$T/kinds/x.svg" \
    --also "abc=$T/kinds/x.svg" "$D/pareto.csv"
t_grep "also KIND: not -o's file: said" "the same file as -o" "$T/err"
t_run "also KIND: not another --also's file" 2 cl-plot pareto -o "$T/kinds/x.svg" \
    --also "abc=$T/kinds/y.svg" --also "lorenz=$T/kinds/y.svg" "$D/pareto.csv"
t_grep "also KIND: not another --also's file: said" "the same file as another --also" "$T/err"
t_run "also KIND: an image name" 2 cl-plot pareto -o "$T/kinds/x.svg" \
    --also "abc=$T/kinds/y.txt" "$D/pareto.csv"
t_grep "also KIND: an image name: said" "abc=$T/kinds/y.txt: name the chart" "$T/err"
t_run "also KIND: at most 7" 2 cl-plot pareto -o "$T/kinds/x.svg" --also a1.svg --also a2.svg \
    --also a3.svg --also a4.svg --also a5.svg --also a6.svg --also a7.svg --also a8.svg \
    "$D/pareto.csv"
t_grep "also KIND: at most 7: said" "7 images at most in one run" "$T/err"
# a file whose name starts with something else than a kind, with an '=':
# the same chart into that file
t_run "also: a file named with '='" 0 cl-plot abc -o "$T/kinds/e.svg" \
    --also "$T/kinds/k=v.png" "$D/summary.csv"
cl-plot abc -o "$T/kinds/own.png" "$D/summary.csv" 2> /dev/null
t_eq "also: a file named with '=': the same chart" \
    "$(cmp "$T/kinds/k=v.png" "$T/kinds/own.png" 2>&1 && echo same)" "same"
