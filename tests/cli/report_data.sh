# cl-report and what the data or the machine can do to it: it never writes
# to /dev/null; a month where every client has one order, or with returns
# only, still makes the page and says what could not be computed; a sales
# file that changes during the run; a read-only output folder; a full disk.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"
snapshot() { (cd "$1" && find . -type f | sort | xargs cksum); }

# The suite beside a copy of cl-report, each program behind a wrapper that
# logs its arguments (and runs the hook $T/hook-PROGRAM if present).
bin="$T/bin"
mkdir -p "$bin"
cp "$CL_BIN/cl-report" "$bin/"
for p in "$CL_BIN"/cl-*; do
    name=$(basename "$p")
    [ "$name" = cl-report ] && continue
    {
        echo '#!/bin/sh'
        echo "printf '%s\\n' \"$name \$*\" >> \"$T/calls\""
        echo "[ -f \"$T/hook-$name\" ] && . \"$T/hook-$name\""
        echo "exec \"$p\" \"\$@\""
    } > "$bin/$name"
    chmod +x "$bin/$name"
done

# ---- /dev/null: never an output (as root, a rename over it would replace
# the machine's /dev/null with a file of customer data)
: > "$T/calls"
t_run "report data: a report" 0 "$bin/cl-report" --quiet --month 2011-11 -o "$T/rep" "$sales"
t_eq "report data: ... no program is given /dev/null" "$(grep -c /dev/null "$T/calls")" "0"
if [ "$(id -u)" = 0 ]; then
    if [ -c /dev/null ]; then
        cl-report --quiet --month 2011-10 -o "$T/rep" "$sales"
        t_eq "report data: a root run leaves /dev/null a character device" \
            "$([ -c /dev/null ] && echo device)" "device"
    else
        ok "report data: SKIPPED: /dev/null was already not a character device (broken by another run)"
    fi
fi

# ---- every client has one order: the personas leave orders out, and say so
awk 'BEGIN { print "customer,invoice,date,amount"
             for (i = 1; i <= 30; i++) printf "C%02d,I%02d,2024-03-%02d,%d.50\n", i, i, i % 28 + 1, i * 37 % 500 + 10 }' \
    > "$T/one-order.csv"
t_run "report data: every client with one order: exit 0" 0 cl-report --quiet --month 2024-03 -o "$T/one" "$T/one-order.csv"
page="$T/one/2024-03/index.html"
t_grep "report data: ... the page says orders are left out, and why" \
    "Left out of the personas: orders, the same for every client (1), which tells no one apart." "$page"
t_grep "report data: ... the personas on the other two features" "typical clients found by k-means on days since last order and revenue" "$page"
t_grep "report data: ... the personas table is there" 'id="personas-table"' "$page"
t_eq "report data: ... the page has its personas charts" \
    "$(ls "$T/one/2024-03" | grep -c '^personas\.svg$\|^clusters\.svg$')" "2"
cl-report --quiet --lang fr --month 2024-03 -o "$T/one-fr" "$T/one-order.csv" 2>/dev/null
t_grep "report data: ... and in French" "Écarté des personas&#8239;: commandes, identique pour tous les clients (1)" \
    "$T/one-fr/2024-03/index.html"
# one client in all: no personas at all, and the reason
printf 'customer,invoice,date,amount\nC1,I1,2024-03-04,10\nC1,I2,2024-03-05,12\n' > "$T/single.csv"
t_run "report data: a single client: exit 0" 0 cl-report --quiet --month 2024-03 -o "$T/single" "$T/single.csv"
t_grep "report data: ... the page says why there are no personas" \
    "No personas: 1 clients in the history, too few to group." "$T/single/2024-03/index.html"

# four clients: k tried from 2 to 3 (not to 6), and the page says so
printf 'customer,invoice,date,amount\nA,1,2024-03-01,10\nA,2,2024-03-02,30\nB,3,2024-03-03,200\nC,4,2024-03-04,15\nC,5,2024-03-05,25\nC,6,2024-03-06,5\nD,7,2024-03-20,90\n' > "$T/four.csv"
t_run "report data: four clients: exit 0" 0 cl-report --quiet --month 2024-03 -o "$T/four" "$T/four.csv"
t_grep "report data: ... k chosen among what four clients allow, said on the page" \
    "The number of personas was chosen in 2..3 rather than 2..6: there are 4 clients." "$T/four/2024-03/index.html"
t_eq "report data: ... select.csv tried k = 2 and 3" "$(awk -F, 'NR > 1 { printf "%s ", $1 }' "$T/four/2024-03/select.csv")" "2 3 "

# ---- the history's clients: its records, not its lines. An id with a
# quoted line break is rejected by cl-rollup (a control character): the
# history holds the others, A, B, C and D, counted here by hand (C bought in
# February only; DupontSA, twice in March, is the id over two lines).
cat > "$T/one-line.csv" <<'X'
customer,invoice,date,amount
A,1,2024-02-05,40
C,2,2024-02-12,15
DupontSA,3,2024-03-02,30
A,4,2024-03-03,10
B,5,2024-03-04,200
DupontSA,6,2024-03-06,20
D,7,2024-03-08,55
X
awk '{ sub(/^DupontSA,/, "\"Dupont\nSA\","); print }' "$T/one-line.csv" > "$T/two-lines.csv"
history_clients() { awk -F, '$1 == "history_clients" { print $2 }' "$1/2024-03/figures.csv"; }
t_run "report data: a client id over two lines in the sales: exit 0" 0 \
    cl-report --quiet --month 2024-03 -o "$T/two" "$T/two-lines.csv"
t_eq "report data: ... its lines rejected, and why" \
    "$(grep -c '^SA",[0-9],2024-03-0[26],[0-9]*,[48],control character in an id$' \
       "$T/two/2024-03/rejects.csv")" 2
t_eq "report data: ... the history's clients, the four others" "$(history_clients "$T/two")" 4
# No sales file puts such an id in history.csv, but the figure counts its
# records whatever it holds (it was once its lines less the header): here
# cl-rollup's history gets DupontSA over two lines from a hook of the
# wrapper above; five clients by hand, on six lines.
cat > "$T/hook-cl-rollup" <<'X'
"$CL_BIN/cl-rollup" "$@" || exit
if [ -f history.csv ]; then
    awk '{ sub(/^DupontSA,/, "\"Dupont\nSA\","); print }' history.csv > history.two &&
        mv history.two history.csv || exit
fi
exit 0
X
t_run "report data: a history with a client over two lines: exit 0" 0 \
    "$bin/cl-report" --quiet --month 2024-03 -o "$T/hist-two" "$T/one-line.csv"
rm -f "$T/hook-cl-rollup"
hist="$T/hist-two/2024-03/history.csv"
t_eq "report data: ... (history.csv: a header and six lines, one DupontSA's second)" \
    "$(grep -c '' "$hist") $(grep -c '^SA",' "$hist")" "7 1"
t_eq "report data: ... the history's clients, five" "$(history_clients "$T/hist-two")" 5

# ---- a month with returns only: no Pareto, and the sentence why
awk 'BEGIN { print "customer,invoice,date,amount"
             for (i = 1; i <= 30; i++) printf "C%02d,I%02d,2024-03-%02d,%d.50\n", i, i, i % 28 + 1, i * 37 % 500 + 10
             for (i = 1; i <= 30; i += 2) printf "C%02d,J%02d,2024-03-%02d,%d.00\n", i, i, i % 28 + 1, i * 11 % 90 + 5
             for (i = 1; i <= 10; i++) printf "C%02d,R%02d,2024-04-%02d,-%d.00\n", i, i, i + 2, i * 3 }' > "$T/returns.csv"
t_run "report data: a month of returns only: exit 0" 0 cl-report --quiet --month 2024-04 -o "$T/ret" "$T/returns.csv"
page="$T/ret/2024-04/index.html"
t_grep "report data: ... the brief says what cannot be computed and why" \
    "No client has a positive net revenue in this period (returns only): the Pareto ranking, the Lorenz curve, the A/B/C classes and the Gini index cannot be computed." "$page"
t_grep "report data: ... and so does the Pareto section" 'id="nc-pareto-1"' "$page"
t_eq "report data: ... no Pareto, Lorenz or A/B/C chart" \
    "$(ls "$T/ret/2024-04" | grep -c '^pareto\.svg\|^pareto\.png\|^lorenz\.svg\|^lorenz\.png\|^abc\.')" "0"
# (a negative amount written with the minus sign U+2212)
t_eq "report data: ... the revenue is the sum of the returns (awk)" \
    "$(sed -n 's/.*id="kf-revenue">\([^<]*\)<.*/\1/p' "$page")" \
    "$(awk -F, '$3 ~ /^2024-04/ { s += $4 } END { printf "%.2f", s }' "$T/returns.csv" | sed 's/^-/−/')"
t_grep "report data: ... the personas, on the history, are there" 'id="personas-table"' "$page"

# ---- a sales file that grows while the report reads it
cp "$sales" "$T/growing.csv"
cl-report --quiet --month 2011-11 -o "$T/grow" "$T/growing.csv" 2>/dev/null
snapshot "$T/grow/2011-11" > "$T/before"
echo "tail -1 \"$T/growing.csv\" >> \"$T/growing.csv\"" > "$T/hook-cl-rollup"
t_run "report data: the sales file grows during the run: exit 1" 1 \
    "$bin/cl-report" --quiet --month 2011-11 -o "$T/grow" "$T/growing.csv"
rm -f "$T/hook-cl-rollup"
t_grep "report data: ... says it changed, with the sizes" "$T/growing.csv changed while the report read it (" "$T/err"
snapshot "$T/grow/2011-11" > "$T/after"
t_file_eq "report data: ... the report is left as it was" "$T/after" "$T/before"

# a child of the report may still hold the folder for a moment: wait, then detach
unmount() { umount "$1" 2>/dev/null || { sleep 2; umount "$1" 2>/dev/null; } || umount -l "$1"; }

# ---- a read-only output folder: said at once, not after --wait seconds
mkdir -p "$T/ro"
if [ "$(id -u)" = 0 ]; then
    mounted=0
    mount -t tmpfs -o ro,size=64k tmpfs "$T/ro" 2>/dev/null && mounted=1
else
    chmod 555 "$T/ro"; mounted=1
fi
if [ $mounted = 1 ]; then
    timeout 60 cl-report --quiet --month 2011-11 -o "$T/ro" "$sales" > /dev/null 2> "$T/err"
    t_eq "report data: a read-only output folder: exit 1 at once" "$?" "1"
    t_grep "report data: ... says so, with the system's words" "cannot write in the output folder: " "$T/err"
    [ "$(id -u)" = 0 ] && t_grep "report data: ... Read-only file system" "Read-only file system" "$T/err"
    [ "$(id -u)" = 0 ] && unmount "$T/ro"
else
    ok "report data: SKIPPED: cannot mount a read-only tmpfs here"
fi

# ---- -o onto a file or a FIFO: said as such, and the file left as it was
printf 'keep\n' > "$T/plain"
t_run "report data: -o onto a file: exit 1" 1 cl-report --quiet --month 2011-11 -o "$T/plain" "$sales"
t_grep "report data: ... not a folder" "cl-report: $T/plain: not a folder: -o names the folder" "$T/err"
t_eq "report data: ... the file as it was" "$(cat "$T/plain")" "keep"
if mkfifo "$T/fifo" 2>/dev/null; then
    timeout 60 cl-report --quiet --month 2011-11 -o "$T/fifo" "$sales" > /dev/null 2> "$T/err"
    t_eq "report data: -o onto a FIFO: exit 1, not blocked" "$?" "1"
    t_grep "report data: ... not a folder" "$T/fifo: not a folder" "$T/err"
else
    ok "report data: SKIPPED: no FIFO here"
fi

# ---- a full disk: the system's message, the last report as it was
# (2200k: one report, about 1.5 MB with its report.xlsx, fits; a second beside it does not)
mkdir -p "$T/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2200k tmpfs "$T/full" 2>/dev/null; then
    t_run "report data: a first report on a small disk" 0 cl-report --quiet --month 2011-11 -o "$T/full" "$sales"
    snapshot "$T/full/2011-11" > "$T/before"
    t_run "report data: the next one fills the disk: exit 1" 1 cl-report --quiet --month 2011-11 --lang fr -o "$T/full" "$sales"
    t_grep "report data: ... the system's message" "cl-report: $T/full: No space left on device" "$T/err"
    snapshot "$T/full/2011-11" > "$T/after"
    t_file_eq "report data: ... the last report as it was" "$T/after" "$T/before"
    t_eq "report data: ... nothing else left" "$(ls -A "$T/full" | tr '\n' ' ')" ".cl-report.lock 2011-11 "
    unmount "$T/full"
else
    ok "report data: SKIPPED: cannot mount a small tmpfs here (not root)"
fi

# ---- a client name of a megabyte: read in linear time, cut on the page
awk 'BEGIN { print "customer,invoice,date,amount"
             big = "\""; for (i = 0; i < 200000; i++) big = big "Nom, "; big = big "\"\"x\"\"\""
             acc = ""; for (i = 0; i < 100; i++) acc = acc "\303\251"
             for (i = 1; i <= 40; i++) {
                 c = i == 1 ? big : i == 2 ? acc : sprintf("C%02d", i)
                 printf "%s,I%02d,2024-03-%02d,%d.50\n", c, i, i % 28 + 1, i <= 2 ? 9000 + i : i * 37 % 500 + 10
                 printf "%s,J%02d,2024-03-%02d,%d.50\n", c, i, (i + 3) % 28 + 1, i * 17 % 300 + 10
                 if (i % 3 == 0) printf "%s,K%02d,2024-03-%02d,%d.50\n", c, i, (i + 5) % 28 + 1, i * 13 % 200 + 10 } }' > "$T/big.csv"
t_run "report data: a 1 MB client name: exit 0 (timeout 120 s: was 22 s and more)" 0 \
    timeout 120 cl-report --quiet --month 2024-03 -o "$T/big" "$T/big.csv"
page="$T/big/2024-03/index.html"
t_eq "report data: ... the page stays small (under 300 kB)" \
    "$(wc -c < "$page" | awk '{ print ($1 < 300000) }')" "1"
t_grep "report data: ... the name cut to 60 characters and an ellipsis" \
    "<td class=\"id\">$(awk 'BEGIN { for (i = 0; i < 12; i++) printf "Nom, "; printf "\342\200\246" }')</td>" "$page"
t_grep "report data: ... a name of 100 é cut at a character boundary" \
    "<td class=\"id\">$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "\303\251"; printf "\342\200\246" }')</td>" "$page"
t_eq "report data: ... the CSVs keep the whole name (a line of over 1,000,000 bytes)" \
    "$(awk 'length($0) > 1000000 { n++ } END { print n + 0 }' "$T/big/2024-03/pareto.csv")" "1"

# ---- the CSVs of the folder are safe in a spreadsheet: no cell a formula
cat > "$T/hostile.csv" <<'X'
customer,invoice,date,amount,country
"=cmd|' /C calc'!A0",1,2024-02-03,50,@evil
@SUM(1+1),2,2024-02-04,70,=1+1
-2+3,3,2024-02-05,30,+x
C4,4,2024-02-06,20,Land
C5,5,2024-02-07,25,Land
"=cmd|' /C calc'!A0",6,2024-03-02,55,@evil
@SUM(1+1),7,2024-03-03,-5,=1+1
-2+3,8,2024-03-04,7,+x
C4,9,2024-03-05,12,Land
C5,10,2024-03-06,40,Land
C5,11,2024-03-07,15,Land
C6,12,2024-02-08,33,Land
C6,13,2024-03-08,31,Land
C7,14,2024-02-09,12,Land
C7,15,2024-03-09,19,Land
C7,16,2024-03-10,21,Land
C8,17,2024-02-10,64,Land
C8,18,2024-03-11,8,Land
X
cl-report --quiet --month 2024-02 -o "$T/hos" "$T/hostile.csv" 2>/dev/null
t_run "report data: hostile ids: exit 0" 0 cl-report --quiet --month 2024-03 --previous auto -o "$T/hos" "$T/hostile.csv"
if command -v python3 > /dev/null; then
    python3 - "$T/hos/2024-03" > "$T/formulas" <<'X'
import csv, glob, re, sys
number = re.compile(r'^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$')
for path in sorted(glob.glob(sys.argv[1] + '/*.csv')):
    with open(path, newline='') as f:
        for row in csv.reader(f):
            for cell in row:
                if cell[:1] in ('=', '+', '-', '@', '\t', '\r') and cell not in ('-', '+') \
                        and not number.match(cell):
                    print(path.rsplit('/', 1)[1], cell)
X
    t_eq "report data: ... no cell of any of its CSVs starts a formula (python csv)" \
        "$(ls "$T/hos/2024-03"/*.csv 2>/dev/null | wc -l | awk '{ print ($1 >= 10) }') $(cat "$T/formulas")" "1 "
fi
t_grep "report data: ... the id kept behind an apostrophe" "\"'=cmd|' /C calc'!A0\"" "$T/hos/2024-03/pareto.csv"
t_grep "report data: ... negative amounts stay numbers" ",-5," "$T/hos/2024-03/rollup.csv"
t_grep "report data: ... the page shows the id as it is, escaped" "=cmd|&#39; /C calc&#39;!A0" "$T/hos/2024-03/index.html"
t_eq "report data: ... --previous still matches the hostile ids (none new)" \
    "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(sum(1 for x in r if x["previous_class"] == ""))' "$T/hos/2024-03/pareto.csv")" "0"
