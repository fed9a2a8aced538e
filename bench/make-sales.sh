#!/bin/sh
# Build the benchmark sales file deterministically: a source export repeated
# COPIES times with customer and invoice ids offset per copy, so that each
# copy adds new customers and orders (20 copies of Online Retail: 10.8 M
# lines, 1 GB, 87 k customers).
#   make-sales.sh SOURCE(.csv|.csv.gz) COPIES OUT
set -eu
src=$1 copies=$2 out=$3
case "$src" in *.gz) cat="gzip -dc" ;; *) cat="cat" ;; esac
tmp="$out.tmp.$$"
$cat "$src" | awk -v copies="$copies" -F, -v OFS=, '
    NR == 1 { print; next }
    { line[++n] = $0 }
    END {
        for (c = 0; c < copies; c++)
            for (i = 1; i <= n; i++) {
                $0 = line[i]
                if (c > 0) {
                    inv = $1; pre = ""
                    if (substr(inv, 1, 1) ~ /[A-Za-z]/) { pre = substr(inv, 1, 1); inv = substr(inv, 2) }
                    $1 = pre (inv + c * 1000000)
                    if ($(NF - 1) != "") {
                        id = $(NF - 1); suffix = ""
                        if (id ~ /\.0$/) { suffix = ".0"; id = substr(id, 1, length(id) - 2) }
                        $(NF - 1) = (id + c * 100000) suffix
                    }
                }
                print
            }
    }' > "$tmp"
mv "$tmp" "$out"
