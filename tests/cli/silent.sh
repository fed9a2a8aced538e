# No silent wrong result, and no data reaching the terminal raw (issue 13):
# each check here failed before its fix.
. "$CL_TESTS/lib.sh"

# ---- header names reach stderr escaped ---------------------------------
printf 'who\033[2J,date,amount\nC1,2024-01-02,10\n' > "$T/esc-header.csv"
printf 'who\302\233,segment,effective,ncr,clients\nC1,a,10,1,2\n' > "$T/c1-header.csv"
for prog in "cl-rollup" "cl-pareto" "cl-score --grid revenue=1" "cl-kmeans --features revenue --k 1" \
            "cl-plot pareto" "cl-share"; do
    $prog "$T/esc-header.csv" > /dev/null 2> "$T/err"
    if LC_ALL=C grep -q "$(printf '\033')" "$T/err"; then
        fail "silent: ${prog%% *}: an ESC in a header name is not written to stderr raw" "$(cat -v "$T/err")"
    else ok "silent: ${prog%% *}: an ESC in a header name is not written to stderr raw"; fi
    $prog "$T/c1-header.csv" > /dev/null 2> "$T/err"
    if LC_ALL=C grep -q "$(printf '\302\233')" "$T/err"; then
        fail "silent: ${prog%% *}: a C1 CSI in a header name is not written raw" "$(cat -v "$T/err")"
    else ok "silent: ${prog%% *}: a C1 CSI in a header name is not written raw"; fi
done
cl-rollup "$T/esc-header.csv" > /dev/null 2> "$T/err"
t_grep "silent: the header is shown escaped in the column list" '"who\x1b[2J"' "$T/err"
