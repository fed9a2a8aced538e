#!/bin/sh
# make check-browser: the report pages render in a real browser.
# Runs after make demo: the English demo page (demo-out/2011-11), and a
# French one made here from samples/. For each page, headless Chromium:
#   1. dumps the DOM without scripts: each chart's inline SVG kept all the
#      path and text elements of its .svg file (no markup broke the parse);
#   2. loads a copy with a probe script: each chart is laid out (a box of
#      non-zero size), has paths of non-zero length, and drawn on a canvas
#      it inks more than 1% of it;
#   3. takes a full-page screenshot (build/browser/report-LANG.png, to look
#      at), and with ImageMagick checks that each chart's area is inked.
# Prints "ok - ..." or "not ok - ..." lines, then "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${CL_BIN:-$top/build/release/bin}
shots="$top/build/browser"
mkdir -p "$shots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "# $l"; done; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

browser=""
for b in chromium chromium-browser google-chrome; do
    command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
    fail "a headless Chromium is installed" "install it: sudo apt-get install -y chromium"
    finish
fi
ok "a headless Chromium is installed ($browser)"

# chrome ARGS...: one headless run with a fresh profile and no network use
chrome() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$(mktemp -d -p "$tmp")" "$@" 2>> "$tmp/chrome.log"
}

en_dir="$top/demo-out/2011-11"
[ -f "$en_dir/index.html" ] || { fail "the demo report exists (run make demo)"; finish; }
fr_out="$tmp/fr"
if "$bin/cl-report" --quiet --lang fr --month 2011-11 --previous "$top/demo-out/2011-10" \
        --market "$top/samples/market-countries.csv" --segment Country \
        -o "$fr_out" "$top/samples/sales.csv" 2> "$tmp/fr.err"; then
    ok "a French report to render"
else
    fail "a French report to render" "$(cat "$tmp/fr.err")"
    finish
fi

# The probe: for each chart, its box, its paths of non-zero length, and the
# ink of the SVG drawn alone on a 640x360 canvas; written into the page.
cat > "$tmp/probe.html" <<'EOF'
<script>
window.addEventListener('load', function () {
  var out = [], svgs = document.querySelectorAll('svg.chart'), pending = svgs.length;
  function done() {
    var pre = document.createElement('pre'); pre.id = 'probe';
    pre.textContent = 'height ' + document.documentElement.scrollHeight + '\n' + out.join('\n') + '\nend';
    document.body.appendChild(pre);
  }
  if (pending === 0) done();
  svgs.forEach(function (svg) {
    var fig = svg.closest('figure'), r = svg.getBoundingClientRect(), n = 0;
    svg.querySelectorAll('path').forEach(function (p) { try { if (p.getTotalLength() > 0) n++; } catch (e) {} });
    var img = new Image();
    img.onload = function () {
      var c = document.createElement('canvas'); c.width = 640; c.height = 360;
      var g = c.getContext('2d'), ink = 0, d, i;
      g.fillStyle = '#fff'; g.fillRect(0, 0, 640, 360); g.drawImage(img, 0, 0, 640, 360);
      try { d = g.getImageData(0, 0, 640, 360).data;
            for (i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++; }
      catch (e) { ink = -1; }
      out.push(fig.id + ' ' + Math.round(r.left) + ' ' + Math.round(r.top + window.scrollY) + ' ' +
               Math.round(r.width) + ' ' + Math.round(r.height) + ' ' + n + ' ' + ink);
      if (--pending === 0) done();
    };
    img.onerror = function () { out.push(fig.id + ' 0 0 0 0 ' + n + ' -2'); if (--pending === 0) done(); };
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  });
});
</script>
EOF

check_page() {     # check_page LANG DIR
    lang=$1 dir=$2 page="$2/index.html"
    kinds=$(sed -n 's/^<figure class="chart" id="fig-\([a-z]*\)">$/\1/p' "$page" | tr '\n' ' ')
    expected="pareto lorenz abc migration rfm personas clusters share select "
    # the cohort heat map, when cl-cohort is built beside cl-report
    [ -x "$bin/cl-cohort" ] && expected="pareto lorenz abc migration rfm personas clusters cohort share select "
    if [ "$kinds" = "$expected" ]; then ok "$lang: the page has every chart"; else
        fail "$lang: the page has every chart" "got: $kinds" "expected: $expected"; fi

    # 1. the DOM as parsed, without scripts
    chrome --window-size=1280,2400 --dump-dom "file://$page" > "$tmp/dom-$lang.html"
    for k in $kinds; do
        in_file=$(grep -o '<path ' "$dir/$k.svg" | wc -l)
        texts=$(grep -o '<text' "$dir/$k.svg" | wc -l)
        awk -v k="$k" '$0 ~ "<figure class=\"chart\" id=\"fig-" k "\">" { on = 1 } on { print } on && /<\/figure>/ { exit }' \
            "$tmp/dom-$lang.html" > "$tmp/fig"
        in_dom=$(grep -o '<path ' "$tmp/fig" | wc -l)
        texts_dom=$(grep -o '<text' "$tmp/fig" | wc -l)
        if [ "$in_file" -gt 0 ] && [ "$in_dom" = "$in_file" ] && [ "$texts_dom" = "$texts" ]; then
            ok "$lang: $k: the parsed page keeps the SVG's $in_file paths and $texts texts"
        else
            fail "$lang: $k: the parsed page keeps the SVG's paths and texts" \
                "paths: $in_dom in the DOM, $in_file in $k.svg; texts: $texts_dom, $texts"
        fi
    done

    # 2. laid out and drawn, seen by a script in a copy of the page
    sed '/<\/body>/{
        r '"$tmp/probe.html"'
    }' "$page" > "$dir/.probe.html"
    chrome --window-size=1280,2400 --virtual-time-budget=10000 --dump-dom "file://$dir/.probe.html" |
        sed -n '/<pre id="probe">/,/^end/p' | sed 's/<pre id="probe">//' > "$tmp/probe-$lang"
    rm -f "$dir/.probe.html"
    height=$(awk '$1 == "height" { print $2 }' "$tmp/probe-$lang")
    if [ -z "$height" ]; then
        fail "$lang: the probe ran" "$(tail -5 "$tmp/chrome.log")"
        return
    fi
    ok "$lang: the probe ran (page $height px high)"
    for k in $kinds; do
        set -- $(awk -v id="fig-$k" '$1 == id { print $2, $3, $4, $5, $6, $7 }' "$tmp/probe-$lang")
        if [ $# = 6 ] && [ "$3" -gt 600 ] && [ "$4" -gt 300 ] && [ "$5" -gt 0 ] && [ "$6" -gt 2304 ]; then
            ok "$lang: $k: laid out ${3}x$4, $5 paths drawn, $6 inked pixels of 230400"
        else
            fail "$lang: $k: laid out and drawn" "probe: x y w h paths ink = $*"
        fi
    done

    # 3. the screenshot, whole page
    shot="$shots/report-$lang.png"
    rm -f "$shot"
    chrome --window-size="1280,$height" --screenshot="$shot" "file://$page" > /dev/null
    if [ -s "$shot" ]; then ok "$lang: screenshot $shot"; else fail "$lang: screenshot $shot"; return; fi
    if command -v convert >/dev/null 2>&1; then
        for k in $kinds; do
            set -- $(awk -v id="fig-$k" '$1 == id { print $2, $3, $4, $5 }' "$tmp/probe-$lang")
            [ $# = 4 ] || continue
            # the share of pixels darker than 92% grey (the chart's frame alone is 0.5%)
            white=$(convert "$shot" -crop "${3}x$4+$1+$2" +repage -colorspace gray -threshold 92% \
                -format '%[fx:mean]' info: 2>/dev/null)
            ink=$(awk -v w="$white" 'BEGIN { if (w != "") printf "%.1f", 100 * (1 - w) }')
            if awk -v i="$ink" 'BEGIN { exit !(i != "" && i > 2) }'; then
                ok "$lang: $k: the screenshot is drawn there ($ink% of its pixels inked)"
            else
                fail "$lang: $k: the screenshot is drawn there" "inked: $ink%"
            fi
        done
    else
        echo "# ImageMagick's convert is missing: the screenshot was not checked pixel by pixel"
    fi
}

check_page en "$en_dir"
check_page fr "$fr_out/2011-11"
cp "$fr_out/2011-11/index.html" "$shots/report-fr.html" 2>/dev/null
finish
