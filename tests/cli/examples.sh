# The README's headline pipeline runs on the bundled data, and cl-share
# --negative-as-zero (the segments checked by an independent awk sum).
. "$CL_TESTS/lib.sh"
cd "$T" || exit 1
s="$SAMPLES/sales-prescribers.csv"     # has a UnitCost column (samples/README.md)
t_grep "examples: the bundled sample has a cost column" "UnitCost" "$s"
t_run "examples: README: cl-rollup | cl-pareto --value margin | cl-plot pareto -o pareto.png" 0 \
    sh -c "cl-rollup '$s' | cl-pareto --value margin | cl-plot pareto -o pareto.png"
t_eq "examples: ... writes a PNG" "$(head -c 4 pareto.png | tail -c 3)" "PNG"
t_grep "examples: the README shows that pipeline" \
    "cl-rollup samples/sales-prescribers.csv | cl-pareto --value margin | cl-plot pareto -o pareto.png" \
    "$CL_TESTS/../README.md"

# cl-share and a segment whose clients' net revenue is below 0 (returns only)
cl-rollup --group Country "$SAMPLES/sales.csv" > rc.csv 2>/dev/null
m="$SAMPLES/market-countries.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
         { sum[$h["Country"]] += $h["revenue"] }
         END { for (c in sum) if (sum[c] < 0) printf "%s %.2f\n", c, sum[c] }' rc.csv | sort > neg.ref
t_eq "examples: the sample has segments whose net revenue is negative" "$(cat neg.ref)" \
    "Portugal -6.24
Switzerland -16.75"
t_run "share: a negative segment is an error by default" 1 \
    cl-share --market "$m" --clients rc.csv --segment Country
line=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["Country"] == "Portugal" && (low == "" || $h["revenue"] + 0 < low) { low = $h["revenue"] + 0; at = NR }
    END { print at }' rc.csv)
t_eq "share: ... naming the roll-up's line, not the market's" "$(cat "$T/err")" \
    "cl-share: rc.csv:$line: segment \"Portugal\": the net revenue of its clients adds up to -6.24, below 0 (this line's client: -6.24, the lowest); --negative-as-zero counts it as 0"
t_run "share: --negative-as-zero" 0 cl-share --negative-as-zero --market "$m" --clients rc.csv --segment Country
t_eq "share: ... counts those segments 0" \
    "$(grep -E '^(Portugal|Switzerland),' "$T/out" | cut -d, -f1,13,15)" \
    "Portugal,0.00,0
Switzerland,0.00,0"
total=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        { sum[$h["Country"]] += $h["revenue"] }
        END { for (c in sum) if (sum[c] > 0 && c ~ /^(United Kingdom|Germany|France|Spain|Belgium|Portugal|Switzerland)$/) t += sum[c]; printf "%.2f", t }' rc.csv)
t_eq "share: ... and the TOTAL revenue is the sum of the others" "$(grep '^TOTAL,' "$T/out" | cut -d, -f13)" "$total"
t_grep "share: ... with a warning per segment" "segment \"Switzerland\": the net revenue of its clients adds up to -16.75, counted as 0" "$T/err"
t_run "share: --negative-as-zero needs --clients" 2 cl-share --negative-as-zero "$SAMPLES/market.csv"

# ---- every command of the README and of the guides of docs/ -----------------
# Each code block (indented by four spaces, or fenced) is run from a folder
# where samples/ is the project's, with the placeholder files the guides
# name: sales.csv (samples/sales.csv), rollup.csv and customers.csv (its
# roll-up), market.csv (samples/market.csv). In a block whose lines start
# with "$ ", each command is run and the lines after it must be in its
# output; in another block, the lines starting with "cl-NAME:" are what the
# block prints on stderr (each must be there) and the rest is run as one
# script (after the variables the guide's earlier blocks set). Guides marked "examples: run by the tests" have their "$ " blocks
# run to the byte by docs_examples.sh: only their other blocks are run here.
# Not run: what needs machines or programs a test box lacks (Hadoop, Spark,
# ssh hosts), the full Online Retail file (not bundled) and make itself.
skip='hadoop|spark|--sshlogin|^#!/bin/sh|online-retail\.csv|^make|export PATH|\$HADOOP'
cd "$T" || exit 1
cl-rollup "$SAMPLES/sales.csv" > customers.ref 2>/dev/null
for doc in "$CL_TESTS"/../README.md "$CL_TESTS"/../docs/*.md; do
    name=$(basename "$doc")
    marked=0
    grep -q '^<!-- examples: run by the tests' "$doc" && marked=1
    rm -rf "$T/g" && mkdir "$T/g" && ln -s "$SAMPLES" "$T/g/samples"
    cp "$SAMPLES/sales.csv" "$T/g/sales.csv"
    cp customers.ref "$T/g/rollup.csv"
    cp customers.ref "$T/g/customers.csv"
    cp "$SAMPLES/market.csv" "$T/g/market.csv"
    rm -f "$T"/blk.* "$T/vars"
    ran=0 skipped=0
    awk -v dir="$T" -v marked="$marked" '
        function flush() { if (n_lines) { nb++; f = dir "/blk." nb; for (i = 1; i <= n_lines; i++) print L[i] > f; close(f) } n_lines = 0 }
        /^```/ { if (!fenced) { fenced = 1; lang = substr($0, 4); next } fenced = 0; flush(); next }
        fenced { if (lang == "sh" || $0 ~ /^\$ /) L[++n_lines] = $0; else if (n_lines && L[1] ~ /^\$ /) L[++n_lines] = $0; next }
        /^    / && !prev_text { L[++n_lines] = substr($0, 5); next }
        /^$/ { if (n_lines) L[++n_lines] = ""; next }
        { flush(); prev_text = 0 }
        END { flush() }' "$doc"
    for blk in "$T"/blk.*; do
        [ -f "$blk" ] || continue
        grep -qE 'cl-|parallel' "$blk" || continue
        grep -qE "$skip" "$blk" && { skipped=$((skipped + 1)); continue; }
        ran=$((ran + 1))
        if head -1 "$blk" | grep -q '^\$ '; then
            [ $marked = 1 ] && continue
            # "$ COMMAND" (continued by lines ending in \), then its output
            awk -v dir="$T" '
                /^\$ / { n++; c = substr($0, 3); print c > (dir "/cmd." n); cont = (c ~ /\\$/); printf "" > (dir "/want." n); next }
                cont { print > (dir "/cmd." n); cont = ($0 ~ /\\$/); next }
                n && $0 != "" { print > (dir "/want." n) }' "$blk"
            i=1
            while [ -f "$T/cmd.$i" ]; do
                label="$(head -1 "$T/cmd.$i" | cut -c1-70)"
                (cd "$T/g" && sh "$T/cmd.$i") > "$T/got" 2>&1
                rc=$?
                t_eq "examples: $name: $label (exit status)" "$rc" "0"
                missing=$(grep -vxF -f "$T/got" "$T/want.$i" | head -3)
                t_eq "examples: $name: ... prints what the guide shows" "$missing" ""
                rm -f "$T/cmd.$i" "$T/want.$i"
                i=$((i + 1))
            done
        else
            # the variables set by the guide's earlier blocks ($f...), then this one
            { cat "$T/vars" 2>/dev/null; grep -v '^cl-[a-z]*: ' "$blk"; } > "$T/script"
            grep -E '^[a-z_]+=[^ ]*$' "$blk" >> "$T/vars"
            # a block of messages only (what a program prints) runs nothing
            grep -v '^cl-[a-z]*: ' "$blk" | grep -q '[^ ]' || continue
            grep '^cl-[a-z]*: ' "$blk" > "$T/want"
            label="$(grep -m1 -E 'cl-|parallel' "$T/script" | cut -c1-70)"
            (cd "$T/g" && EDITOR=true sh -e "$T/script") > "$T/got" 2>&1     # no editor here
            rc=$?
            t_eq "examples: $name: $label (exit status)" "$rc" "0"
            t_eq "examples: $name: ... prints what the guide shows" \
                "$(grep -vxF -f "$T/got" "$T/want" | head -3)" ""
        fi
    done
    # a guide showing commands has them run: here, by docs_examples.sh
    # (marked), or, when every block needs what a test box lacks, by its
    # own test (report.md: report_docs.sh; performance.md: make bench)
    if [ $ran = 0 ] && [ $marked = 0 ] && [ $skipped -gt 0 ]; then
        case $name in
            report.md)
                t_eq "examples: $name: run by report_docs.sh" \
                    "$(ls "$CL_TESTS/cli/report_docs.sh" 2>&1)" "$CL_TESTS/cli/report_docs.sh" ;;
            performance.md) ok "examples: $name: its blocks are make bench's" ;;
            *) fail "examples: $name: none of its commands is run (all skipped)" ;;
        esac
    fi
    # every file a guide writes with -o is there and not empty
    for out in $(cat "$T"/blk.* 2>/dev/null | grep -oE -- '-o [A-Za-z0-9_./-]+\.(png|svg|pdf|xlsx|csv)' | cut -c4- | sort -u); do
        [ -d "$T/g/$out" ] && continue
        case $out in reports*|/*) continue ;; esac
        if [ -s "$T/g/$out" ]; then ok "examples: $name writes $out"; else
            grep -lF -- "-o $out" "$T"/blk.* | xargs grep -qE "$skip" && continue
            [ $marked = 1 ] && continue
            fail "examples: $name writes $out"
        fi
    done
done

# scale.md's claim: the parallel roll-up is the plain one
cd "$T" && rm -rf sc && mkdir sc && cd sc && cp "$SAMPLES/sales.csv" .
awk '/^```sh$/ { on = 1; next } /^```$/ { on = 0 } on' "$CL_TESTS/../docs/scale.md" |
    awk '/^parallel --pipe --header : --block 50M/ { on = 1 } on { print } on && /customers.csv$/ { exit }' > run.sh
t_grep "examples: scale.md: the block of one machine is found" "cl-rollup --merge > customers.csv" run.sh
sh -e run.sh 2>/dev/null
cl-rollup sales.csv 2>/dev/null > plain.csv
t_file_eq "examples: scale.md: parallel --pipe | cl-rollup --merge is the plain roll-up" customers.csv plain.csv
