# Every program reads its inputs by cl-rollup's encoding rule (issue 14): a
# UTF-16 BOM decides, valid UTF-8 is UTF-8, anything else is Windows-1252
# with one line on stderr; --encoding NAME states it. Each program is run on
# a UTF-8 input, its Windows-1252 twin and its UTF-16LE-with-BOM twin (made
# here with iconv, an independent converter), and must write the same bytes.
. "$CL_TESTS/lib.sh"

# names and segments with letters Windows-1252 has and Latin-1 has not (Œ, –)
cat > "$T/sales.csv" <<'X'
invoice,customer,date,amount,margin,région
1,Café Dupré,2024-01-03,120.50,30.10,Île-de-France
2,Müller & Söhne,2024-01-05,80.00,12.00,Rhône
3,Café Dupré,2024-02-10,45.25,9.05,Île-de-France
4,Zoë Œuvre,2024-02-11,300.00,90.00,Provence–Alpes
5,Ångström,2024-03-01,15.00,3.00,Rhône
6,Müller & Söhne,2024-03-15,60.00,15.00,Rhône
7,Zoë Œuvre,2024-04-02,20.00,2.00,Provence–Alpes
8,Garçon,2024-04-20,200.00,50.00,Île-de-France
9,Ångström,2024-05-01,35.00,5.00,Rhône
10,Café Dupré,2024-05-12,10.00,1.00,Île-de-France
X
printf 'région,effective,ncr\nÎle-de-France,10,5\nRhône,8,2\nProvence–Alpes,4,4\n' > "$T/market.csv"
# BG/NBD and Gamma-Gamma parameters, so that cl-clv needs no fit
printf 'parameter,value\nr,0.24\nalpha,4.4\na,0.81\nb,2.5\np,6.2\nq,3.7\ngamma,15.4\nunit_days,7\n' \
  > "$T/model.csv"
cl-rollup --order invoice --group région "$T/sales.csv" > "$T/roll.csv" 2> /dev/null
cl-pareto "$T/roll.csv" > "$T/pareto.csv" 2> /dev/null

# twins NAME: NAME-1252.csv and NAME-16.csv beside NAME.csv
twins() {
    iconv -f UTF-8 -t WINDOWS-1252 "$T/$1.csv" > "$T/$1-1252.csv" &&
    { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$T/$1.csv"; } > "$T/$1-16.csv"
}
for f in sales roll market pareto; do twins $f; done
t_eq "encodings: the Windows-1252 twin is not UTF-8" \
  "$(iconv -f UTF-8 -t UTF-8 "$T/roll-1252.csv" > /dev/null 2>&1; echo $?)" "1"

note='read as Windows-1252; if it is another encoding, give --encoding NAME'
# same NAME FILE-STEM CMD...: CMD with @ replaced by the input, for the
# three encodings; stdout identical, the note on stderr for Windows-1252
# only, nothing about encodings for UTF-8 and UTF-16.
same() {
    _name=$1; _stem=$2; shift 2
    for _enc in utf8 1252 16; do
        case $_enc in utf8) _f="$T/$_stem.csv" ;; *) _f="$T/$_stem-$_enc.csv" ;; esac
        _args=
        for _a in "$@"; do
            case $_a in *@) _a=${_a%@}$_f ;; esac
            _args="$_args $(printf '%s' "$_a" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
        done
        eval "$_args" > "$T/out-$_enc" 2> "$T/err-$_enc"
        echo $? > "$T/rc-$_enc"
    done
    t_eq "encodings: $_name: UTF-8 runs" "$(cat "$T/rc-utf8")" "0"
    t_file_eq "encodings: $_name: Windows-1252 gives the UTF-8 output" "$T/out-1252" "$T/out-utf8"
    t_file_eq "encodings: $_name: UTF-16LE with BOM gives the UTF-8 output" "$T/out-16" \
      "$T/out-utf8"
    t_grep "encodings: $_name: Windows-1252 said on stderr" "$note" "$T/err-1252"
    t_eq "encodings: $_name: UTF-8 and UTF-16 said nothing of encodings" \
      "$(cat "$T/err-utf8" "$T/err-16" | grep -c 'UTF-8\|Windows-1252')" "0"
}

# the sales readers, whose own rule it was: the same message now
same "cl-rollup" sales cl-rollup --order invoice --group région @
same "cl-cohort" sales cl-cohort --where 'région=Rhône|Provence–Alpes' @
same "cl-pareto" roll cl-pareto @
same "cl-pareto --summary" roll cl-pareto --summary @
same "cl-pareto --previous" pareto cl-pareto --previous @ "$T/roll.csv"
same "cl-score --grid" roll cl-score --grid revenue=0.6,margin=0.4 @
same "cl-score --rfm" roll cl-score --rfm @
same "cl-share, its market table" market cl-share --clients "$T/roll.csv" --segment région @
same "cl-share, its --clients roll-up" roll cl-share --clients @ --segment région \
  "$T/market.csv"
same "cl-kmeans" roll cl-kmeans --features revenue,margin --k 2 --seed 1 @
same "cl-plot pareto --script" pareto cl-plot pareto --script @
same "cl-plot lorenz --script" pareto cl-plot lorenz --script @
same "cl-clv --model" roll cl-clv --model "$T/model.csv" @
same "cl-workbook" roll cl-workbook -o "$T/book.xlsx" clients=@
# the workbook's cells are the UTF-8 table's, read back by openpyxl
for enc in 1252 16; do
    cl-workbook -o "$T/book-$enc.xlsx" "clients=$T/roll-$enc.csv" 2> /dev/null
    t_eq "encodings: cl-workbook: the $enc table's sheet holds the UTF-8 text" \
      "$(/usr/bin/python3 "$CL_TESTS/xlsx_read.py" compare "$T/book-$enc.xlsx" clients \
         "$T/roll.csv" dates=first_date,last_date 2>&1 | head -3)" "same"
done

# standard input too (copied to a temporary file, then read by the rule)
cl-pareto < "$T/roll.csv" > "$T/stdin-utf8" 2> /dev/null
cat "$T/roll-1252.csv" | cl-pareto > "$T/stdin-1252" 2> "$T/err"
t_file_eq "encodings: cl-pareto reads Windows-1252 from a pipe" "$T/stdin-1252" "$T/stdin-utf8"
t_eq "encodings: ... and says it of stdin, naming the first line not UTF-8" "$(cat "$T/err")" \
  "cl-pareto: stdin: not UTF-8 (line 1: \"customer,région,revenue,margin,quantity...\"): $note (MACINTOSH, ISO-8859-15, CP850...)"
cat "$T/roll-16.csv" | cl-kmeans --features revenue,margin --k 2 --seed 1 > "$T/stdin-16" \
  2> /dev/null
cl-kmeans --features revenue,margin --k 2 --seed 1 "$T/roll.csv" > "$T/file-utf8" 2> /dev/null
t_file_eq "encodings: cl-kmeans reads UTF-16 from a pipe" "$T/stdin-16" "$T/file-utf8"

# --encoding states it: no note; every input of the run is read so
t_run "encodings: cl-score --encoding WINDOWS-1252" 0 \
  cl-score --encoding WINDOWS-1252 --rfm "$T/roll-1252.csv"
t_eq "encodings: ... says nothing" "$(cat "$T/err")" ""
cl-score --rfm "$T/roll.csv" > "$T/want" 2> /dev/null
t_file_eq "encodings: ... and reads it right" "$T/out" "$T/want"
# ISO-8859-15 has no Œ at 0x8C (it is U+008C there): a stated encoding is obeyed
printf 'customer,revenue\nA\351,10\nB,20\n' > "$T/latin.csv"
t_run "encodings: cl-plot --encoding ISO-8859-15" 0 \
  cl-pareto --encoding ISO-8859-15 "$T/latin.csv"
t_grep "encodings: ... é read as ISO-8859-15" "Aé,10" "$T/out"
# a stated UTF-8 is checked as ever: a byte that is not UTF-8 is an error
t_run "encodings: --encoding UTF-8 on a Windows-1252 file" 1 \
  cl-pareto --encoding UTF-8 "$T/roll-1252.csv"
t_grep "encodings: ... names the line" "roll-1252.csv:1: invalid UTF-8" "$T/err"
# Mac Roman's é (0x8E) is Ž in Windows-1252: the note says so
printf 'customer,revenue\nCaf\216e,10\nB,20\n' > "$T/mac.csv"
t_run "encodings: a Mac Roman file" 0 cl-pareto "$T/mac.csv"
t_grep "encodings: ... its bytes look like Mac Roman" \
  "read as Windows-1252, but its bytes look like Mac Roman: give --encoding MACINTOSH" "$T/err"
t_run "encodings: ... --encoding MACINTOSH" 0 cl-pareto --encoding MACINTOSH "$T/mac.csv"
t_grep "encodings: ... é read as Mac Roman" "Cafée,10" "$T/out"

# an unknown name is a usage error in every program
for p in cl-pareto cl-score cl-share cl-kmeans cl-plot cl-clv cl-workbook; do
    case $p in cl-plot) pre=pareto ;; *) pre= ;; esac
    $p $pre --encoding NO-SUCH-CODE "$T/roll.csv" > /dev/null 2> "$T/err"
    t_eq "encodings: $p --encoding NO-SUCH-CODE exits 2" "$?" "2"
    t_eq "encodings: ... with one line and the hint" "$(cat "$T/err")" \
      "$p: --encoding: \"NO-SUCH-CODE\" is not an encoding iconv knows (iconv -l lists them)
Try '$p --help'."
done
