# cl-pareto and cl-score --threads: the rows formatted by two threads (the
# default, for many rows) are the bytes of one thread (--threads 1).
. "$CL_TESTS/lib.sh"
# 150,000 clients (more than the four blocks of 32,768 rows that make two
# threads worth it), values with ties and cents, recency and orders
awk 'BEGIN { print "customer,revenue,orders,recency_days"
             for (i = 1; i <= 150000; i++)
                 printf "C%06d,%d.%02d,%d,%d\n", (i * 7919) % 1000003, i % 5000, i % 100,
                        1 + i % 17, i % 365 }' > "$T/many.csv"
for args in "" "--excel" "--output-delimiter ;"; do
    t_run "cl-pareto $args --threads 1" 0 cl-pareto $args --threads 1 "$T/many.csv"
    mv "$T/out" "$T/one"
    t_run "cl-pareto $args (two threads)" 0 cl-pareto $args "$T/many.csv"
    t_file_eq "cl-pareto $args: the same bytes with one thread and two" "$T/out" "$T/one"
    t_run "cl-score --rfm $args --threads 1" 0 cl-score --rfm $args --threads 1 "$T/many.csv"
    mv "$T/out" "$T/one"
    t_run "cl-score --rfm $args (two threads)" 0 cl-score --rfm $args "$T/many.csv"
    t_file_eq "cl-score --rfm $args: the same bytes with one thread and two" "$T/out" "$T/one"
done
t_eq "... and every client is there" "$(awk 'END { print NR - 1 }' "$T/out")" 150000
t_run "--threads 0: a usage error" 2 cl-pareto --threads 0 "$T/many.csv"
