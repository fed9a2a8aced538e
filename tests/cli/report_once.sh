# cl-report reads the sales once: the period guessed from the file's first
# and last 4 MiB, the roll-up's pass writing stats-all.csv too (cl-rollup
# --also summary), the guess checked on the whole file's dates. The folder
# is the two reads' (--verbose still reads twice, as before) byte for byte:
# a file in date order (one read), one that is not (the guess wrong: the
# pass again), samples/ in both languages, --where, --excel; --rejects FILE
# gets the whole file's unusable lines, as cl-rollup --summary writes them.
. "$CL_TESTS/lib.sh"

# cl-rollup wrapped: each run's arguments logged (cl-report puts its own
# folder first in PATH: a copy of it beside the wrapper)
mkdir "$T/wrap"
cp "$CL_BIN/cl-report" "$T/wrap/cl-report"
cat > "$T/wrap/cl-rollup" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >> "$T/wrap/log"
exec "$CL_BIN/cl-rollup" "\$@"
EOF
chmod +x "$T/wrap/cl-rollup"
PATH="$T/wrap:$PATH"

# reads FILE: how many cl-rollup runs were given FILE (read it whole)
reads() { grep -c " $1\$" "$T/wrap/log"; }

# same NAME DIR1 DIR2: the two report folders hold the same bytes (the
# workbook's creation time and the lock's pid aside)
same() {
    bad=$(cd "$2" && for f in $(find . -type f ! -name '*.xlsx' ! -name .cl-report.lock | sort); do
        cmp -s "$f" "$3/$f" || printf ' %s' "$f"
    done)
    n1=$(cd "$2" && find . -type f | sort | tr '\n' ' ')
    n2=$(cd "$3" && find . -type f | sort | tr '\n' ' ')
    [ "$n1" = "$n2" ] || bad="$bad (not the same files)"
    t_eq "report once: $1" "$bad" ""
}

# ~10 MB of sales over 2012 in date order (more than the guess's 8 MiB),
# long descriptions; the last month partial (to the 20th)
awk 'BEGIN {
    pad = sprintf("%400s", ""); gsub(/ /, "x", pad)
    print "invoice,customer,date,quantity,amount,description"
    for (i = 0; i < 22000; i++) {
        day = 1 + int(i * 354 / 22000)      # day of 2012, 1 to 354 (20 December)
        m = 1; split("31 29 31 30 31 30 31 31 30 31 30 31", len, " ")
        d = day; while (d > len[m]) { d -= len[m]; m++ }
        a = sprintf("%d.%02d", 1 + (i * 37) % 250, i % 100)
        if (i % 97 == 0) a = "n/a"
        printf "I%d,C%d,2012-%02d-%02d,%d,%s,%s\n", int(i / 2), (i * 13) % 300, m, d, 1 + i % 4,
            a, pad
    }
}' > "$T/sorted.csv"
# the same lines, the last 2,000 in the middle: the first and last 4 MiB
# end in November
{ sed -n '1,10001p' "$T/sorted.csv"; tail -n 2000 "$T/sorted.csv"; sed -n '10002,20001p' \
    "$T/sorted.csv"; } > "$T/unsorted.csv"

: > "$T/wrap/log"
t_run "report once: a file in date order" 0 cl-report --quiet -o "$T/once" "$T/sorted.csv"
t_eq "report once: the sales read once" "$(reads "$T/sorted.csv")" 1
t_run "report once: --verbose reads them twice" 0 cl-report --verbose -o "$T/twice" \
  "$T/sorted.csv"
same "the folder of the two reads (in date order)" "$T/once" "$T/twice"
t_eq "report once: the period guessed is the data's" "$(ls "$T/once")" 2012-11
cl-rollup --summary -o "$T/stats-all.csv" "$T/sorted.csv" 2> /dev/null
t_file_eq "report once: stats-all.csv is cl-rollup --summary's" "$T/once/2012-11/stats-all.csv" \
  "$T/stats-all.csv"

: > "$T/wrap/log"
t_run "report once: a file not in date order" 0 cl-report --quiet -o "$T/once-u" \
  "$T/unsorted.csv"
t_eq "report once: the guess wrong, the pass again" "$(reads "$T/unsorted.csv")" 2
t_run "report once: --verbose (not in date order)" 0 cl-report --verbose -o "$T/twice-u" \
  "$T/unsorted.csv"
same "the folder of the two reads (not in date order)" "$T/once-u" "$T/twice-u"

# samples/: both languages, --where, --excel, the user's --rejects
sales="$SAMPLES/sales.csv"
for lang in en fr; do
    : > "$T/wrap/log"
    t_run "report once: samples ($lang)" 0 cl-report --quiet --lang $lang --excel \
      --where 'Country!=France' -o "$T/s1-$lang" "$sales"
    t_eq "report once: samples ($lang), the pass reads the sales once" \
      "$(grep -c ' --also summary=stats-all.csv ' "$T/wrap/log")" 1
    t_run "report once: samples ($lang), --verbose" 0 cl-report --verbose --lang $lang --excel \
      --where 'Country!=France' -o "$T/s2-$lang" "$sales"
    same "samples ($lang), --where, --excel: the two reads' folder" "$T/s1-$lang" "$T/s2-$lang"
done
t_run "report once: --rejects FILE" 0 cl-report --quiet --rejects "$T/rejects.csv" -o "$T/s3" \
  "$sales"
cl-rollup --summary --rejects "$T/rejects-all.csv" -o "$T/s.csv" "$sales" 2> /dev/null
t_file_eq "report once: --rejects FILE holds the whole file's unusable lines" \
  "$T/rejects.csv" "$T/rejects-all.csv"
