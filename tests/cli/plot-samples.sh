# cl-plot on the real outputs of the other programs, run on samples/: every
# kind draws, and the figures the charts print agree with the ones the
# programs compute themselves (cl-pareto --summary against the chart's own
# reading of the rows and of the Lorenz points); in both languages no text
# runs into another or off the image, and no label is cut.
. "$CL_TESTS/lib.sh"
for p in cl-rollup cl-pareto cl-score cl-share cl-kmeans; do
    command -v $p > /dev/null || { ok "samples: $p not built yet (skipped)"; exit 0; }
done
png_size() {
    od -An -tu1 -j16 -N8 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }'
}
S=$SAMPLES
cl-rollup "$S/sales.csv" > "$T/rollup.csv" 2> /dev/null
cl-pareto "$T/rollup.csv" > "$T/pareto.csv"
cl-pareto --summary "$T/rollup.csv" > "$T/summary.csv"
cl-pareto --lorenz "$T/rollup.csv" > "$T/lorenz.csv"
cl-rollup --month 2011-10 "$S/sales.csv" 2> /dev/null | cl-pareto > "$T/previous.csv"
cl-rollup --month 2011-11 "$S/sales.csv" 2> /dev/null | cl-pareto --summary --previous "$T/previous.csv" > "$T/migration.csv"
cl-score --rfm "$T/rollup.csv" > "$T/rfm.csv"
cl-share "$S/market.csv" > "$T/share.csv"
f=age,annual_income_thousands,spending_score
cl-kmeans --features $f "$S/mall-customers.csv" > "$T/clusters.csv" 2> "$T/km.err" || mv "$T/km.err" "$T/clusters.failed"
cl-kmeans --features $f --profiles "$S/mall-customers.csv" > "$T/profiles.csv" 2> "$T/km.err" || mv "$T/km.err" "$T/profiles.failed"
cl-kmeans --features $f --select "$S/mall-customers.csv" > "$T/select.csv" 2> "$T/km.err" || mv "$T/km.err" "$T/select.failed"

for pair in pareto:pareto lorenz:lorenz abc:summary migration:migration rfm:rfm share:share \
            clusters:clusters select:select personas:profiles; do
    kind=${pair%%:*}; file=$T/${pair#*:}.csv
    if [ -f "$T/${pair#*:}.failed" ]; then
        # the producing program failed: not cl-plot's doing, say so
        echo "ok - samples: $kind skipped, its input could not be made # $(head -c 200 "$T/${pair#*:}.failed" | tr '\n' ' ')"
        continue
    fi
    for lang in en fr; do
        rm -f "$T/c.png"
        t_run "samples: $kind $lang" 0 cl-plot $kind --lang $lang -o "$T/c.png" "$file"
        t_eq "samples: $kind $lang is 1280x720" "$(png_size "$T/c.png")" "1280 720"
        t_eq "samples: $kind $lang, gnuplot said nothing" "$(cat "$T/err")" ""
    done
done

metric() { awk -F, -v m="$1" '$1 == m { print $2 }' "$T/summary.csv"; }
n80=$(metric clients_for_80); npos=$(metric positive)
pct80=$(awk -v a="$n80" -v b="$npos" 'BEGIN { printf "%.0f%%", 100 * a / b }')
cl-plot pareto --script "$T/pareto.csv" > "$T/s"
t_grep "samples: pareto says clients_for_80 of the summary" "'$n80 clients ($pct80 of clients) make 80% of revenue'" "$T/s"
gini=$(awk -v g="$(metric gini)" 'BEGIN { printf "%.2f", g }')
top20=$(awk -v g="$(metric share_top20)" 'BEGIN { printf "%.1f%%", 100 * g }')
for f in lorenz pareto; do
    cl-plot lorenz --script "$T/$f.csv" > "$T/s"
    t_grep "samples: lorenz from $f has the summary's gini" "'Gini index: $gini'" "$T/s"
    what=revenue; [ $f = lorenz ] && what="the value"
    t_grep "samples: lorenz from $f has the summary's share_top20" "'make $top20 of $what.'" "$T/s"
done

# ---- layout: no text runs into another, none leaves the image, none is cut
cat > "$T/svgcheck.py" <<'PYEOF'
# svgcheck.py FILE...: in a gnuplot SVG, the text boxes that overlap or
# nearly touch (less than 6 px apart side by side) or leave the image, at
# the size the PNG of the same chart draws them too: pngcairo draws N
# points at 96 dpi (N x 4/3 px), and cl-plot gives the svg terminal, which
# would write N points as N px, fontscale 4/3. A box is as wide as the text set
# in DejaVu Sans (the advance widths read from the font file that fc-match
# names, bold for bold text), from 0.76 em above the baseline to 0.24 em
# below. A text drawn twice at one place (gnuplot's boxed labels) counts once.
import html, re, struct, subprocess, sys

def font_widths(path):
    data = open(path, 'rb').read()
    ntables = struct.unpack('>H', data[4:6])[0]
    tables = {}
    for i in range(ntables):
        tag, _, offset, length = struct.unpack('>4sIII', data[12 + 16 * i:28 + 16 * i])
        tables[tag.decode('latin-1')] = offset
    units = struct.unpack('>H', data[tables['head'] + 18:tables['head'] + 20])[0]
    nmetrics = struct.unpack('>H', data[tables['hhea'] + 34:tables['hhea'] + 36])[0]
    hmtx = tables['hmtx']
    advance = [struct.unpack('>H', data[hmtx + 4 * i:hmtx + 4 * i + 2])[0] for i in range(nmetrics)]
    cmap = tables['cmap']
    nsub = struct.unpack('>H', data[cmap + 2:cmap + 4])[0]
    glyph = {}
    for i in range(nsub):
        pid, eid, off = struct.unpack('>HHI', data[cmap + 4 + 8 * i:cmap + 12 + 8 * i])
        sub = cmap + off
        if struct.unpack('>H', data[sub:sub + 2])[0] != 4 or (pid, eid) not in ((3, 1), (0, 3)):
            continue
        segs = struct.unpack('>H', data[sub + 6:sub + 8])[0] // 2
        ends = struct.unpack('>%dH' % segs, data[sub + 14:sub + 14 + 2 * segs])
        starts = struct.unpack('>%dH' % segs, data[sub + 16 + 2 * segs:sub + 16 + 4 * segs])
        deltas = struct.unpack('>%dh' % segs, data[sub + 16 + 4 * segs:sub + 16 + 6 * segs])
        ro_at = sub + 16 + 6 * segs
        offsets = struct.unpack('>%dH' % segs, data[ro_at:ro_at + 2 * segs])
        for s in range(segs):
            for ch in range(starts[s], ends[s] + 1):
                if ch == 0xFFFF:
                    continue
                if offsets[s] == 0:
                    g = (ch + deltas[s]) & 0xFFFF
                else:
                    at = ro_at + 2 * s + offsets[s] + 2 * (ch - starts[s])
                    g = struct.unpack('>H', data[at:at + 2])[0]
                    g = (g + deltas[s]) & 0xFFFF if g else 0
                glyph[ch] = g
        break
    return {ch: advance[min(g, nmetrics - 1)] / units for ch, g in glyph.items()}

def font_file(pattern):
    try:
        return subprocess.run(['fc-match', '-f', '%{file}', pattern], capture_output=True,
                              text=True).stdout
    except OSError:
        return ''

regular, bold = font_file('DejaVu Sans'), font_file('DejaVu Sans:Bold')
widths = {False: font_widths(regular) if regular.endswith('.ttf') else {},
          True: font_widths(bold) if bold.endswith('.ttf') else {}}

def text_width(text, size, is_bold):
    return sum(widths[is_bold].get(ord(ch), 0.62) for ch in text) * size

GAP = 6     # px: closer than this, two texts read as one
bad = 0
for path in sys.argv[1:]:
    svg = open(path, encoding='utf-8').read()
    m = re.search(r'<svg[^>]*width="(\d+)"[^>]*height="(\d+)"', svg)
    width, height = float(m.group(1)), float(m.group(2))
    boxes = []
    for g in re.finditer(r'<g transform="translate\(([-\d.]+),([-\d.]+)\)( rotate\(([-\d.]+)\))?"'
                         r'([^>]*)>\s*<text>(.*?)</text>', svg, re.S):
        x, y, rot, attrs = float(g.group(1)), float(g.group(2)), g.group(4), g.group(5)
        text = html.unescape(re.sub(r'<[^>]+>', '', g.group(6)))
        if not text.strip():
            continue
        size = float(re.search(r'font-size="([\d.]+)"', attrs).group(1))
        anchor = re.search(r'text-anchor="(\w+)"', attrs).group(1)
        w = text_width(text, size, 'font-weight="bold"' in attrs)
        along0 = 0 if anchor == 'start' else -w / 2 if anchor == 'middle' else -w
        if rot and abs(abs(float(rot)) - 90) < 1:   # vertical text: the axis labels
            up = float(rot) < 0
            y0, y1 = (y - along0 - w, y - along0) if up else (y + along0, y + along0 + w)
            boxes.append((x - 0.76 * size, y0, x + 0.24 * size, y1, text))
        elif not rot:
            boxes.append((x + along0, y - 0.76 * size, x + along0 + w, y + 0.24 * size, text))
    boxes = sorted(set(boxes))
    for i, (a0, b0, a1, b1, t) in enumerate(boxes):
        if a0 < 0 or a1 > width or b0 < 0 or b1 > height:
            print(f'{path}: "{t}" leaves the image ({a0:.0f}..{a1:.0f} x {b0:.0f}..{b1:.0f})')
            bad += 1
        for (c0, d0, c1, d1, u) in boxes[i + 1:]:
            if min(a1, c1) - max(a0, c0) > -GAP and min(b1, d1) - max(b0, d0) > -1:
                print(f'{path}: "{t}" and "{u}" overlap or touch')
                bad += 1
sys.exit(1 if bad else 0)
PYEOF
cl-kmeans --features $f --profiles --lang fr "$S/mall-customers.csv" > "$T/profiles-fr.csv" 2> /dev/null
for pair in pareto:pareto lorenz:lorenz lorenz:pareto abc:summary abc:pareto migration:migration \
            rfm:rfm share:share clusters:clusters select:select personas:profiles personas:profiles-fr; do
    kind=${pair%%:*}; file=$T/${pair#*:}.csv
    [ -f "$T/${pair#*:}.failed" ] && continue
    for lang in en fr; do
        cl-plot $kind --lang $lang -o "$T/c.svg" "$file" 2> /dev/null
        t_eq "samples: $kind from ${pair#*:} $lang: no text collides or leaves the image" \
            "$(python3 "$T/svgcheck.py" "$T/c.svg" | sed "s|$T/c.svg: ||" | head -3)" ""
        cl-plot $kind --lang $lang --script "$file" > "$T/c.gp" 2> /dev/null
        t_eq "samples: $kind from ${pair#*:} $lang: no label cut" "$(grep -c '…' "$T/c.gp")" 0
    done
done

# ---- every kind as the report puts it in its page (issue 17): the SVG of
# each kind, in both languages, from the real outputs of the programs
# (cl-cohort's and cl-clv's too), keeps its bold as a weight, has no
# tooltip but the document's title (gnuplot writes one per plot: its id,
# or the last tic label with a literal "\n"), no escaped newline shown as
# text, text legible when the 1280 px chart is shown 1000 px wide (no font
# under 14.08 px there, 11 px in the page), nothing colliding, and the
# typography of its language: ’ never ', − for a negative number, numbers
# grouped with a narrow no-break space in French.
C="$S/cdnow-sample.csv"
all="pareto:pareto lorenz:lorenz lorenz:pareto abc:summary abc:pareto migration:migration rfm:rfm
     share:share clusters:clusters select:select personas:profiles"
if command -v cl-cohort > /dev/null && command -v cl-clv > /dev/null; then
    cl-cohort "$S/invoices.csv" > "$T/cohort.csv" 2> /dev/null
    cl-cohort --summary "$S/invoices.csv" > "$T/retention.csv" 2> /dev/null
    cl-rollup --date-format %Y%m%d --to 1997-09-30 --asof 1997-09-30 "$C" > "$T/cal.csv" 2> /dev/null
    cl-rollup --date-format %Y%m%d --from 1997-10-01 --to 1998-06-30 --asof 1998-06-30 "$C" \
        > "$T/hold.csv" 2> /dev/null
    cl-rollup --date-format %Y%m%d --partial "$C" > "$T/orders.csv" 2> /dev/null
    cl-clv "$T/cal.csv" > "$T/alive.csv" 2> /dev/null
    cl-clv --holdout "$T/hold.csv" "$T/cal.csv" > "$T/holdout.csv" 2> /dev/null
    cl-clv --tracking "$T/orders.csv" "$T/cal.csv" > "$T/tracking.csv" 2> /dev/null
    cl-pareto --value revenue "$T/alive.csv" > "$T/value.csv" 2> /dev/null
    all="$all cohort:cohort retention:cohort retention:retention alive:alive holdout:holdout
         tracking:tracking value:value"
fi
cat > "$T/texts.py" <<'PYEOF'
# texts.py LANG FILE: the problems of the texts drawn in a cl-plot SVG
import html, re, sys
lang, svg = sys.argv[1], open(sys.argv[2], encoding='utf-8').read()
for t in sorted(set(html.unescape(m) for m in re.findall(r'<text>(.*?)</text>', svg, re.S))):
    if "'" in t:
        print(f'straight apostrophe: {t}')
    if re.search(r'(^|[\s(])-\d', t):
        print(f'hyphen for a minus: {t}')
    if lang == 'fr' and re.search(r'\d[, ]\d{3}(\D|$)', t):
        print(f'digits grouped without a narrow no-break space: {t}')
    if lang == 'fr' and re.search(r'\d ?%', t):
        print(f'percent sign without a narrow no-break space: {t}')
PYEOF
for pair in $all; do
    kind=${pair%%:*}; file=$T/${pair#*:}.csv
    [ -f "$T/${pair#*:}.failed" ] && continue
    for lang in en fr; do
        what="samples: $kind from ${pair#*:} $lang, svg"
        t_run "$what" 0 cl-plot $kind --lang $lang --subtitle "Q4 2011" -o "$T/k.svg" "$file"
        t_eq "$what: the document's title only, no plot tooltip" \
            "$(grep -o '<title>[^<]*</title>' "$T/k.svg" | tr '\n' ' ')" "<title>Gnuplot</title> "
        t_eq "$what: no escaped newline shown as text" "$(grep -cF '\n' "$T/k.svg")" 0
        t_eq "$what: bold kept as a weight (the title at least)" \
            "$(grep -c 'font-weight="bold"' "$T/k.svg" | awk '{ print ($1 > 0) }') $(grep -c ':Bold' "$T/k.svg")" \
            "1 0"
        t_eq "$what: no text under 11 px in a 1000 px column" \
            "$(grep -o 'font-size="[0-9.]*"' "$T/k.svg" | tr -dc '0-9.\n' |
               awk '$1 * 1000 / 1280 < 11 { print }' | sort -u)" ""
        t_eq "$what: ${lang}'s typography" "$(python3 "$T/texts.py" $lang "$T/k.svg" | head -3)" ""
        case $kind in pareto|lorenz|abc|migration|rfm|share|clusters|select|personas) ;;
        *) t_eq "$what: no text collides or leaves the image" \
               "$(python3 "$T/svgcheck.py" "$T/k.svg" | sed "s|$T/k.svg: ||" | head -3)" "" ;;
        esac
    done
done
