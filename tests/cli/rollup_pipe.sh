# cl-rollup from a pipe, read while it arrives: the rejected rows in file
# order with their true lines, the counts and the roll-up, at 1 and 2
# threads, equal to the sequential reader's on the same bytes; quoted
# fields with many line ends everywhere (so that the 4 MiB cuts of the pipe
# fall near them), blank lines, CRLF, and more than 8 MiB of rejected rows.
. "$CL_TESTS/lib.sh"

grep -v '"' "$SAMPLES/sales.csv" > "$T/unquoted.csv"
# 12 times the body: 9 lines in 10 get an unusable price, every third a
# description of 3 to 40 quoted lines with a doubled quote
{ head -1 "$T/unquoted.csv"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do tail -n +2 "$T/unquoted.csv"; done; } |
  awk -F, -v OFS=, 'NR == 1 { print; next }
    NR % 10 != 0 { $6 = "x" $6 }
    NR % 3 == 0 { d = "\"" $3; for (k = 0; k < 3 + NR % 38; k++) d = d "\nline " k " \"\"of\"\" it";
                  $3 = d "\"" }
    NR % 13 == 0 { printf "\r\n" } NR % 17 == 0 { printf "%s\r\n", $0; next } { print }' \
    > "$T/big.csv"
# the same bytes, then two lines with a lone CR between: the sequential reader
{ cat "$T/big.csv"; printf '1,A,B,1,2011-12-09 10:00:00,1.0,1.0,X\r'
  printf '2,A,B,1,2011-12-09 10:00:00,1.0,1.0,X\n'; } > "$T/big-seq.csv"
t_eq "rollup from a pipe: the test file is over 8 MiB" \
  "$(test "$(wc -c < "$T/big.csv")" -gt 8388608 && echo yes)" "yes"

t_run "rollup from a pipe: the sequential reference" 0 cl-rollup --rejects "$T/rej-seq.csv" \
  "$T/big-seq.csv"
sed 's/ of [0-9]* lines/ of N lines/' "$T/err" > "$T/err-seq"
t_eq "rollup from a pipe: ... more than 8 MiB of rejected rows" \
  "$(test "$(wc -c < "$T/rej-seq.csv")" -gt 8388608 && echo yes)" "yes"
t_grep "rollup from a pipe: ... some of them on lines after quoted line ends" \
  'line 2 ""of"" it' "$T/rej-seq.csv"
t_run "rollup from a pipe: the file in parallel" 0 cl-rollup --threads 2 "$T/big.csv"
cp "$T/out" "$T/out-file"
for n in 1 2; do
  t_run "rollup from a pipe: --threads $n --rejects" 0 sh -c \
    "cat '$T/big.csv' | cl-rollup --threads $n --rejects '$T/rej-pipe.csv' -"
  t_file_eq "rollup from a pipe: ... the rejects file of the sequential reader, lines included" \
    "$T/rej-pipe.csv" "$T/rej-seq.csv"
  t_eq "rollup from a pipe: ... the same counts" \
    "$(sed 's/ of [0-9]* lines/ of N lines/' "$T/err")" "$(cat "$T/err-seq")"
  t_file_eq "rollup from a pipe: ... the roll-up of the file" "$T/out" "$T/out-file"
  t_run "rollup from a pipe: --threads $n" 0 sh -c "cat '$T/big.csv' | cl-rollup --threads $n -"
  t_file_eq "rollup from a pipe: ... the roll-up of the file" "$T/out" "$T/out-file"
done
# a pipe whose writer delivers a line at a time, slowly at first
t_run "rollup from a pipe: a writer of short pieces" 0 sh -c \
  "{ head -200 '$T/big.csv'; sleep 0.2; tail -n +201 '$T/big.csv'; } |
   cl-rollup --threads 2 --rejects '$T/rej-pipe.csv' -"
t_file_eq "rollup from a pipe: ... the rejects file of the sequential reader" \
  "$T/rej-pipe.csv" "$T/rej-seq.csv"
t_file_eq "rollup from a pipe: ... the roll-up of the file" "$T/out" "$T/out-file"
