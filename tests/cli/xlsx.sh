# Workbooks (.xlsx): every table program's workbook read back with openpyxl
# (an independent reader) and compared cell by cell with the CSV the same
# program writes: values and types, ids as text, dates as dates, ratios as
# percentages, the header bold and frozen, the filter set, widths fitted.
# Then hostile text, Excel's limits, atomic output, cl-workbook's sheets,
# ABC sheet, charts, images and properties.
. "$CL_TESTS/lib.sh"
READ="$CL_TESTS/xlsx_read.py"
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    fail "xlsx: python3-openpyxl is installed (apt-get install python3-openpyxl)"
    exit 0
fi
read_book() { "$PY" "$READ" "$@"; }
# same NAME BOOK SHEET CSV [ids=..] [dates=..] [percent=..]
same() {
    _n=$1; shift
    t_eq "$_n" "$(read_book compare "$@" 2>&1)" "same"
}
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
cd "$T" || exit 1

# --- cl-rollup: ids such as 12346.0 stay text, dates are dates, money exact
cl-rollup "$SAMPLES/sales.csv" -o rollup.csv 2>/dev/null
t_run "xlsx: cl-rollup -o rollup.xlsx" 0 cl-rollup "$SAMPLES/sales.csv" -o rollup.xlsx
same "xlsx: cl-rollup workbook = its CSV, cell by cell" rollup.xlsx rollup rollup.csv \
    ids=customer dates=first_date,last_date
t_eq "xlsx: rollup id 12346.0 style is a text cell" \
    "$(read_book cell rollup.xlsx rollup A2)" "s|$(sed -n 2p rollup.csv | cut -d, -f1)|General"
t_eq "xlsx: rollup revenue has two decimals shown" \
    "$(read_book cell rollup.xlsx rollup B2 | cut -d'|' -f3)" "#,##0.00"
t_eq "xlsx: rollup first_date is a date" \
    "$(read_book cell rollup.xlsx rollup F2)" "d|$(sed -n 2p rollup.csv | cut -d, -f6)|yyyy-mm-dd"
t_eq "xlsx: rollup lines is a whole number" \
    "$(read_book cell rollup.xlsx rollup D2 | cut -d'|' -f1,3)" "n|#,##0"
t_eq "xlsx: title in the workbook properties" "$(read_book props rollup.xlsx)" \
    "cl-rollup (clientele)|None"
t_run "xlsx: --xlsx on a redirected stdout" 0 sh -c \
    "cl-rollup --xlsx '$SAMPLES/sales.csv' > stdout.xlsx"
same "xlsx: the stdout workbook = the CSV" stdout.xlsx rollup rollup.csv \
    ids=customer dates=first_date,last_date
t_eq "xlsx: a workbook on stdout names its sheet after the program" \
    "$(read_book sheets stdout.xlsx)" "rollup"

# --- cl-pareto: shares as percentages, the summary typed by its metric
cl-pareto rollup.csv -o pareto.csv
t_run "xlsx: cl-pareto -o pareto.xlsx" 0 cl-pareto rollup.csv -o pareto.xlsx
same "xlsx: cl-pareto workbook = its CSV" pareto.xlsx pareto pareto.csv ids=customer \
    dates=first_date,last_date percent=share,cum_share,cum_clients_share
cl-pareto --summary rollup.csv -o summary.csv
t_run "xlsx: cl-pareto --summary -o summary.xlsx" 0 cl-pareto --summary rollup.csv -o summary.xlsx
same "xlsx: cl-pareto summary workbook = its CSV" summary.xlsx summary summary.csv
row() { grep -n "^$1," summary.csv | cut -d: -f1; }
t_eq "xlsx: summary share_top20 is a percentage" \
    "$(read_book cell summary.xlsx summary "B$(row share_top20)" | cut -d'|' -f3)" "0.00%"
t_eq "xlsx: summary total is money" \
    "$(read_book cell summary.xlsx summary "B$(row total)" | cut -d'|' -f3)" "#,##0.00"
t_eq "xlsx: summary clients is a count" \
    "$(read_book cell summary.xlsx summary "B$(row clients)" | cut -d'|' -f3)" "#,##0"
t_eq "xlsx: summary gini is a plain number" \
    "$(read_book cell summary.xlsx summary "B$(row gini)" | cut -d'|' -f1,3)" "n|General"
cl-pareto --lorenz rollup.csv -o lorenz.csv
cl-pareto --lorenz rollup.csv -o lorenz.xlsx
same "xlsx: cl-pareto --lorenz workbook = its CSV" lorenz.xlsx lorenz lorenz.csv \
    percent=cum_share,cum_clients_share

# --- cl-score: rfm "545" is text, quintiles are numbers
cl-score --rfm rollup.csv -o rfm.csv
t_run "xlsx: cl-score --rfm -o rfm.xlsx" 0 cl-score --rfm rollup.csv -o rfm.xlsx
same "xlsx: cl-score workbook = its CSV" rfm.xlsx rfm rfm.csv ids=customer,rfm \
    dates=first_date,last_date
cl-score --grid revenue=2,orders=1 rollup.csv -o grid.csv
cl-score --grid revenue=2,orders=1 rollup.csv -o grid.xlsx
same "xlsx: cl-score --grid workbook = its CSV" grid.xlsx grid grid.csv ids=customer \
    dates=first_date,last_date

# --- cl-share: counts, money, fractions; periods as text
cl-share "$SAMPLES/market.csv" -o share.csv
t_run "xlsx: cl-share -o share.xlsx" 0 cl-share "$SAMPLES/market.csv" -o share.xlsx
same "xlsx: cl-share workbook = its CSV" share.xlsx share share.csv \
    percent=share_effective,share_potential,penetration,share_value
cl-share --summary "$SAMPLES/market-periods.csv" -o periods.csv
cl-share --summary "$SAMPLES/market-periods.csv" -o periods.xlsx
same "xlsx: cl-share --summary with periods = its CSV" periods.xlsx periods periods.csv ids=period
t_eq "xlsx: the period 2024 is text, not a number" \
    "$(read_book cell periods.xlsx periods A2)" "s|2024|General"

# --- cl-kmeans: ids 0001 stay text; the threads' CSV and the workbook agree
M="$SAMPLES/mall-customers.csv"
cl-kmeans --k 4 --seed 7 "$M" -o assign.csv
t_run "xlsx: cl-kmeans -o assign.xlsx" 0 cl-kmeans --k 4 --seed 7 "$M" -o assign.xlsx
same "xlsx: cl-kmeans assignments workbook = its CSV" assign.xlsx assign assign.csv \
    ids=customer_id
t_eq "xlsx: id 0001 is the text 0001" "$(read_book cell assign.xlsx assign A2)" "s|0001|General"
cl-kmeans --k 4 --seed 7 --profiles "$M" -o profiles.csv
cl-kmeans --k 4 --seed 7 --profiles "$M" -o profiles.xlsx
same "xlsx: cl-kmeans --profiles workbook = its CSV" profiles.xlsx profiles profiles.csv \
    percent=share
cl-kmeans --k 2..5 --seed 7 --select "$M" -o select.csv
cl-kmeans --k 2..5 --seed 7 --select "$M" -o select.xlsx
same "xlsx: cl-kmeans --select workbook = its CSV" select.xlsx select select.csv

cl-kmeans --k 4 --seed 7 --save-model model.csv "$M" > /dev/null
cl-kmeans --model model.csv "$M" -o model-assign.csv
cl-kmeans --model model.csv "$M" -o model-assign.xlsx
same "xlsx: cl-kmeans --model workbook = its CSV" model-assign.xlsx model-assign \
    model-assign.csv ids=customer_id

# --- cl-clv: money, probabilities as percentages
cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$SAMPLES/cdnow-sample.csv" \
    > cal.csv 2>/dev/null
cl-clv cal.csv -o clv.csv
t_run "xlsx: cl-clv -o clv.xlsx" 0 cl-clv cal.csv -o clv.xlsx
same "xlsx: cl-clv workbook = its CSV" clv.xlsx clv clv.csv ids=customer \
    dates=first_date,last_date percent=p_alive
cl-clv --params cal.csv -o params.csv
cl-clv --params cal.csv -o params.xlsx
same "xlsx: cl-clv --params workbook = its CSV" params.xlsx params params.csv

# --- Excel keeps 15 digits: a count with more stays exact, as text
printf 'segment,effective,ncr,clients\nBig,12345678901234567,10,3\n' > big.csv
cl-share big.csv -o big.csv.out
cl-share big.csv -o big.xlsx
t_eq "xlsx: a 17-digit count is the exact text" "$(read_book cell big.xlsx big C2)" \
    "s|12345678901234567|General"
t_eq "xlsx: a small count beside it is a number" "$(read_book cell big.xlsx big B2)" \
    "n|3|#,##0"

# --- --xlsx on a terminal (script gives the program one), when script is there
if command -v script >/dev/null 2>&1; then
    SHELL=/bin/sh script -qec "cl-pareto --xlsx rollup.csv" /dev/null > tty.out 2>&1
    t_eq "xlsx: --xlsx on a terminal is a usage error" "$(tr -d '\r' < tty.out)" \
        "cl-pareto: --xlsx: standard output is a terminal; use -o NAME.xlsx or a redirection
Try 'cl-pareto --help'."
fi

# --- hostile text is a text cell, never a formula
printf '%s\n' 'customer,date,amount' \
    "\"=cmd|' /C calc'!A0\",2024-01-02,10.00" \
    '+SUM(1;2),2024-01-03,5.50' '@A1,2024-01-04,1.25' '-2+3,2024-01-05,2.00' \
    '"=HYPERLINK(""http://x"")",2024-01-06,3.00' > hostile.csv
t_run "xlsx: hostile names roll up" 0 cl-rollup hostile.csv -o hostile.xlsx
cl-rollup hostile.csv -o hostile-rollup.csv
same "xlsx: hostile names are the same text cells" hostile.xlsx hostile hostile-rollup.csv \
    ids=customer dates=first_date,last_date
t_eq "xlsx: =cmd|' /C calc'!A0 is a text cell" \
    "$(read_book cell hostile.xlsx hostile A5)" "s|=cmd|' /C calc'!A0|General"
t_eq "xlsx: no formula in the hostile workbook" "$(read_book formulas hostile.xlsx)" "0"
printf 'segment,label\nA,"=cmd|'"'"' /C calc'"'"'!A0"\nB,@SUM(A1)\n' > labels.csv
cl-workbook labels.csv -o labels.xlsx
same "xlsx: cl-workbook keeps hostile labels as text" labels.xlsx labels labels.csv
t_eq "xlsx: no formula from cl-workbook either" "$(read_book formulas labels.xlsx)" "0"

# --- options, limits and atomic output
t_run "xlsx: --excel with a workbook is a usage error" 2 cl-pareto --excel rollup.csv -o x.xlsx
t_eq "xlsx: --excel with a workbook, the message" "$(cat "$T/err")" \
    "cl-pareto: --excel writes CSV; a workbook (--xlsx, -o NAME.xlsx) is already for Excel
Try 'cl-pareto --help'."
t_eq "xlsx: nothing written on a usage error" "$(ls x.xlsx* 2>/dev/null)" ""
printf 'customer,revenue\nC1,10\nC2,ten\n' > bad.csv
t_run "xlsx: a data error" 1 cl-pareto --strict bad.csv -o bad.xlsx
t_eq "xlsx: no half workbook after a data error" "$(ls bad.xlsx* 2>/dev/null)" ""
long=$(awk 'BEGIN { while (n++ < 40000) printf "x" }')
printf 'customer,revenue\n%s,1\nC2,2\n' "$long" > long.csv
t_run "xlsx: a text over Excel's 32,767 characters" 1 cl-pareto long.csv -o long.xlsx
t_eq "xlsx: the limit, named" "$(cut -c1-90 "$T/err")" \
    "cl-pareto: sheet \"long\", row 3, column 1: a text over Excel's 32,767 characters"
t_eq "xlsx: no workbook over the limit" "$(ls long.xlsx* 2>/dev/null)" ""
t_run "xlsx: a full disk is an error" 1 sh -c "cl-pareto --xlsx rollup.csv > /dev/full"
t_eq "xlsx: no temporary file left in TMPDIR" "$(ls "$TMPDIR")" ""

# --- cl-workbook: sheets, names, ABC, charts, images, properties, French
cl-plot pareto pareto.csv -o pareto.png
t_run "xlsx: cl-workbook builds a workbook" 0 cl-workbook --title "Monthly report" \
    --period 2011-10 --abc summary --pareto-chart Pareto --image Pareto=pareto.png \
    --image Charts=pareto.png Pareto=pareto.csv summary.csv rfm.csv -o book.xlsx
t_eq "xlsx: sheets in order, ABC after the summary, Charts last" \
    "$(read_book sheets book.xlsx | tr '\n' ' ')" "Pareto summary ABC rfm Charts "
t_eq "xlsx: title and period" "$(read_book props book.xlsx)" "Monthly report|2011-10"
same "xlsx: cl-workbook Pareto sheet = pareto.csv" book.xlsx Pareto pareto.csv ids=customer \
    dates=first_date,last_date percent=share,cum_share,cum_clients_share
same "xlsx: cl-workbook summary sheet = summary.csv" book.xlsx summary summary.csv
same "xlsx: cl-workbook rfm sheet = rfm.csv" book.xlsx rfm rfm.csv ids=customer,rfm \
    dates=first_date,last_date
t_eq "xlsx: a native chart and an image beside the Pareto table" \
    "$(read_book objects book.xlsx Pareto)" "1|1"
t_eq "xlsx: a native chart on the ABC sheet" "$(read_book objects book.xlsx ABC)" "1|0"
t_eq "xlsx: an image-only sheet" "$(read_book objects book.xlsx Charts)" "0|1"
# libxlsxwriter's fixed level 6 replaced by level 1 (lib/xlsx.c): every part,
# images and charts too, deflated at the fastest level
t_eq "xlsx: every part deflated at zlib's level 1" "$(read_book deflate book.xlsx)" "8|6"
# each sheet's rows deflated on a second thread and spliced into the zip
# (lib/xlsx.c): unzipped (CRCs checked), every part is the one the library
# writes by itself (--threads 1), save the creation time; a sheet of 24 MB
# of XML goes through many blocks and waits for the deflater
awk 'BEGIN { print "customer,revenue,orders,first_date,share"
             for (i = 1; i <= 200000; i++)
                 printf "C%06d,%d.%02d,%d,2011-%02d-%02d,0.%07d\n", i, i % 9973, i % 100,
                        i % 17, i % 12 + 1, i % 28 + 1, (i * 7919) % 10000000 }' > big.csv
# parts_same A.xlsx B.xlsx: tests/lib.sh
# with two threads the rows' XML is written by lib/xlsx.c, not the library,
# save a row with a cell the library writes otherwise (escaped text, spaces
# at an end, control bytes, "_x", non-ASCII ends, exponents): rows of each
# kind between plain ones, a last row of each kind, empty cells and rows
printf '%s\n' 'name,amount,when,note' 'plain,1.5,2011-01-02,ok' \
    'a & b,2,2011-01-03,x' 'plain2,-0.25,,' 'a <b,2,,' 'a> b,2,,' '"a ""b""",2,,' \
    "a'b,2,," '" lead",3,2011-01-04,y' \
    'trail ,1e-7,2011-01-05,z' '"tab	in",1e20,2011-01-06,w' '_x0041_,4,2011-01-07,v' \
    'Zoë,5,2011-01-08,é' 'ok,6,2011-01-09,Œuvre' ',,,' 'next,7,2011-01-10,' \
    "$(printf 'ctl\001x,8,2011-01-11,u')" 'plain3,9,2011-01-12,t' '=1+1,10,,"a,b"' \
    > odd.csv
printf 'name,amount\nplain,1\nlast &,2\n' > odd-last.csv
printf 'name,amount\nplain,1\n,\n' > odd-empty.csv
for threads in 1 2; do
    t_run "xlsx: cl-workbook --threads $threads" 0 cl-workbook --threads $threads \
        --title "Monthly report" --period 2011-10 --abc summary --pareto-chart Pareto \
        --image Pareto=pareto.png --image Charts=pareto.png Pareto=pareto.csv summary.csv \
        rfm.csv big.csv odd.csv odd-last.csv odd-empty.csv -o "t$threads.xlsx"
done
t_eq "xlsx: one thread or two, the same parts" "$(parts_same t1.xlsx t2.xlsx)" "same"
# --images-from: the same images as --image, read once the tables are
# written, a line each up to an empty line (what follows is not read) or
# the end; from a FIFO written to once the workbook has started, as
# cl-report hands over its charts while the tables are typed
printf 'Pareto=pareto.png\nCharts=pareto.png\n\nnot an image line\n' > images.txt
t_run "xlsx: cl-workbook --images-from a file, ended by an empty line" 0 cl-workbook \
    --threads 1 --title "Monthly report" --period 2011-10 --abc summary \
    --pareto-chart Pareto --images-from images.txt Pareto=pareto.csv summary.csv \
    rfm.csv big.csv odd.csv odd-last.csv odd-empty.csv -o l1.xlsx
t_eq "xlsx: ... the same parts as with --image" "$(parts_same t1.xlsx l1.xlsx)" "same"
rm -f images.fifo
mkfifo images.fifo
cl-workbook --title "Monthly report" --period 2011-10 --abc summary --pareto-chart Pareto \
    --image Pareto=pareto.png --images-from images.fifo Pareto=pareto.csv summary.csv \
    rfm.csv big.csv odd.csv odd-last.csv odd-empty.csv -o l2.xlsx 2> l2.err &
l2=$!
# (the write waits for the workbook to open the FIFO; bounded, should it never)
timeout 120 sh -c 'printf "Charts=pareto.png\n" > images.fifo'
wait $l2
t_eq "xlsx: cl-workbook --images-from a FIFO written to later: exit 0" "$?" "0"
t_eq "xlsx: ... the same parts as with --image" "$(parts_same t2.xlsx l2.xlsx)" "same"
printf 'Pareto=pareto.png\nno sign equal\n' > bad-images.txt
t_run "xlsx: --images-from, a line that is not SHEET=PNG" 1 cl-workbook \
    --images-from bad-images.txt Pareto=pareto.csv -o bad-images.xlsx
t_grep "xlsx: ... named by its file and line" \
    'bad-images.txt:2: "no sign equal" is not SHEET=FILE.png' "$T/err"
t_eq "xlsx: ... and no workbook" "$([ -e bad-images.xlsx ] && echo left)" ""
cp images.txt images-kept.txt
t_run "xlsx: --images-from, -o the list itself" 2 cl-workbook --images-from images.txt \
    Pareto=pareto.csv -o images.txt
t_file_eq "xlsx: ... the list untouched" images.txt images-kept.txt
t_run "xlsx: --images-from a missing file" 1 cl-workbook --images-from nowhere.txt \
    Pareto=pareto.csv -o bad-images.xlsx
t_grep "xlsx: ... named" "nowhere.txt: No such file or directory" "$T/err"
# a 65th image in the list: the list's line named, exit 1 (not a usage
# error: the command line was right), no workbook; a list that cannot be
# read (a folder): the system's words
i=0; while [ $i -lt 65 ]; do echo "S$i=pareto.png"; i=$((i + 1)); done > many-images.txt
t_run "xlsx: --images-from, a 65th image" 1 cl-workbook --images-from many-images.txt \
    Pareto=pareto.csv -o bad-images.xlsx
t_grep "xlsx: ... named by its line" "many-images.txt:65: more than 64 images in all" "$T/err"
t_eq "xlsx: ... and no workbook" "$([ -e bad-images.xlsx ] && echo left)" ""
head -n 64 many-images.txt > some-images.txt
t_run "xlsx: --images-from, 64 images" 0 cl-workbook --images-from some-images.txt \
    Pareto=pareto.csv -o some-images.xlsx
t_eq "xlsx: ... each in the workbook" "$(unzip -l some-images.xlsx | grep -c 'xl/drawings/drawing[0-9]*\.xml$')" 64
mkdir -p list-dir
t_run "xlsx: --images-from a folder" 1 cl-workbook --images-from list-dir \
    Pareto=pareto.csv -o bad-images.xlsx
t_grep "xlsx: ... the system's words" "list-dir: Is a directory" "$T/err"
t_run "xlsx: --images-from - beside a table from standard input" 2 sh -c \
    'cl-workbook --images-from - - -o bad-images.xlsx < summary.csv'
t_grep "xlsx: ... standard input read once only" "standard input can be read once only" "$T/err"
t_eq "xlsx: the spliced sheets deflated at level 1 too" "$(read_book deflate t2.xlsx)" "8|6"
same "xlsx: the big sheet written on two threads = its CSV" t2.xlsx big big.csv ids=customer \
    dates=first_date
t_run "xlsx: cl-pareto --xlsx, rows deflated on a second thread" 0 cl-pareto rollup.csv \
    -o p2.xlsx
t_eq "xlsx: ... the same parts as cl-workbook --threads 1 of its CSV" \
    "$(cl-workbook --threads 1 --title 'cl-pareto (clientele)' p2=pareto.csv -o p1.xlsx &&
       parts_same p1.xlsx p2.xlsx)" "same"
# the ABC sheet, rebuilt here from summary.csv by awk
awk -F, 'BEGIN { print "class,clients,clients_share,value_share" }
    $1 ~ /^class_[A-Z]_clients$/ { c = substr($1, 7, 1); order[++n] = c; cl[c] = $2 }
    $1 ~ /_clients_share$/ { cs[substr($1, 7, 1)] = $2 }
    $1 ~ /_value_share$/ { vs[substr($1, 7, 1)] = $2 }
    END { for (i = 1; i <= n; i++) { c = order[i]; print c "," cl[c] "," cs[c] "," vs[c] } }' \
    summary.csv > abc.csv
same "xlsx: the ABC sheet holds the summary's class figures" book.xlsx ABC abc.csv \
    ids=class percent=clients_share,value_share
t_run "xlsx: cl-workbook --lang fr" 0 cl-workbook --lang fr rollup.csv share.csv -o fr.xlsx
t_eq "xlsx: French dates" "$(read_book cell fr.xlsx rollup F2 | cut -d'|' -f3)" "dd/mm/yyyy"
t_eq "xlsx: French percentages" "$(read_book cell fr.xlsx share F2 | cut -d'|' -f3)" "0.00 %"
# a program with --lang writes its workbook in that language's formats
t_run "xlsx: cl-kmeans --profiles --lang fr" 0 cl-kmeans --profiles --lang fr rollup.csv -o pfr.xlsx
t_eq "xlsx: cl-kmeans --lang fr: French percentages" \
    "$(read_book cell pfr.xlsx pfr C2 | cut -d'|' -f3)" "0.00 %"
t_run "xlsx: cl-kmeans --profiles" 0 cl-kmeans --profiles rollup.csv -o pen.xlsx
t_eq "xlsx: cl-kmeans without --lang: English percentages" \
    "$(read_book cell pen.xlsx pen C2 | cut -d'|' -f3)" "0.00%"
# an input named as the output too: refused, the input untouched
cp rollup.csv same.csv
t_run "xlsx: cl-workbook -o INPUT INPUT: exit 2" 2 cl-workbook -o same.csv same.csv
t_file_eq "xlsx: ... the input is intact" same.csv rollup.csv
cp rollup.csv 'a[b]c:d.csv'
t_run "xlsx: cl-workbook, odd and repeated names" 0 cl-workbook 'a[b]c:d.csv' \
    'a_b_c_d=rollup.csv' 'A very long sheet name that Excel would refuse=rollup.csv' -o names.xlsx
t_eq "xlsx: names made acceptable to Excel, and unique" "$(read_book sheets names.xlsx)" \
    "a_b_c_d
a_b_c_d (2)
A very long sheet name that Exc"
t_run "xlsx: --abc names a sheet that is not there" 2 cl-workbook --abc nope rollup.csv -o y.xlsx
t_eq "xlsx: --abc, the message" "$(head -1 "$T/err")" "cl-workbook: --abc: no sheet named \"nope\""
t_eq "xlsx: no workbook after cl-workbook's usage error" "$(ls y.xlsx* 2>/dev/null)" ""
t_run "xlsx: --image must be a PNG" 1 cl-workbook --image rollup=rollup.csv rollup.csv -o z.xlsx
t_eq "xlsx: --image, the message" "$(cat "$T/err")" "cl-workbook: rollup.csv: not a PNG image"
t_run "xlsx: --abc on a table that is no summary" 1 cl-workbook --abc rollup rollup.csv -o z.xlsx
t_eq "xlsx: no workbook after cl-workbook's data error" "$(ls z.xlsx* 2>/dev/null)" ""
t_eq "xlsx: still no temporary file in TMPDIR" "$(ls "$TMPDIR")" ""
