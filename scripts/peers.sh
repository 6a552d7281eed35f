#!/usr/bin/env bash
# Side by side, in one run: our `export` of a classified 1920 × 1080 PNG against GDAL's
# classified PNG without legend (gdal_rasterize burns the class of each polygon, computed by
# the same 5 quantile limits in SQLite SQL, into a Byte raster; gdaldem color-relief colours it
# as PNG). Whole process, median of hyperfine runs, peak memory (largest of the processes)
# from /usr/bin/time -v; one Markdown row per file with the ratios.
#
# Usage: scripts/peers.sh [--runs N] FILE:PROPERTY ...
#   e.g. scripts/peers.sh /tmp/de_einwohner.geojson:einwohner /tmp/us_counties_x16.geojson:wert
#   (scripts/germany_population_geojson.py and scripts/us_counties_x16.sh make those files)
# Needs a release build (cargo build --release), hyperfine, GDAL (gdal-bin) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = "--runs" ]; then runs=$2; shift 2; fi
[ $# -gt 0 ] || { sed -n 2,12p "$0"; exit 2; }
ours=target/release/sozialraum-atlas
[ -x "$ours" ] || { echo "build first: cargo build --release" >&2; exit 2; }
for tool in hyperfine gdal_rasterize gdaldem ogrinfo python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '1 255 255 178\n2 254 204 92\n3 253 141 60\n4 240 59 32\n5 189 0 38\n6 200 200 200\nnv 255 255 255\n' \
    > "$work/colours.txt"

# Peak memory of a command in MB: the largest process (GNU time reports the biggest child).
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }
# The median of a hyperfine JSON export, in seconds.
median() { python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }

echo "| input | size | ours (s) | GDAL (s) | ours / GDAL | ours peak (MB) | GDAL peak (MB) |"
echo "|---|---|---|---|---|---|---|"
for spec in "$@"; do
    file=${spec%%:*}
    prop=${spec##*:}
    layer=$(ogrinfo -so -q "$file" | awk -F': ' 'NR==1 {split($2, a, " "); print a[1]}')
    limits=$(python3 - "$file" "$prop" <<'EOF'
import json, sys
values = sorted(
    f["properties"][sys.argv[2]] for f in json.load(open(sys.argv[1]))["features"]
    if isinstance(f["properties"].get(sys.argv[2]), (int, float))
)
n = len(values)
print(" ".join(str(values[min(n - 1, n * k // 5)]) for k in range(1, 5)))
EOF
)
    read -r b1 b2 b3 b4 <<< "$limits"
    sql="SELECT CASE WHEN $prop IS NULL THEN 6 WHEN $prop <= $b1 THEN 1 WHEN $prop <= $b2 THEN 2 \
WHEN $prop <= $b3 THEN 3 WHEN $prop <= $b4 THEN 4 ELSE 5 END AS cls, geometry FROM \"$layer\""
    cat > "$work/gdal.sh" <<EOF
#!/bin/sh
set -e
rm -f "$work/cls.tif"
gdal_rasterize -q -dialect SQLite -sql '$sql' -a cls -ts 1920 1080 -ot Byte -a_nodata 0 \
    "$file" "$work/cls.tif"
gdaldem color-relief -q -nearest_color_entry -of PNG "$work/cls.tif" "$work/colours.txt" "$work/gdal.png"
EOF
    chmod +x "$work/gdal.sh"
    our_cmd="$ours export '$file' --out '$work/ours.png' --color-by $prop --classes quantile:5 --size 1920x1080"
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$work/ours.json" "$our_cmd" >/dev/null
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$work/gdal.json" "$work/gdal.sh" >/dev/null
    t_ours=$(median "$work/ours.json")
    t_gdal=$(median "$work/gdal.json")
    m_ours=$(peak sh -c "$our_cmd")
    m_gdal=$(peak "$work/gdal.sh")
    size=$(du -m "$file" | cut -f1)
    ratio=$(python3 -c "print('%.3f (%.1f× faster)' % ($t_ours / $t_gdal, $t_gdal / $t_ours))")
    echo "| $(basename "$file") | $size MB | $t_ours | $t_gdal | $ratio | $m_ours | $m_gdal |"
done
