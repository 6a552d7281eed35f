#!/usr/bin/env bash
# The many-small-polygons benchmark file of issue 18: the non-empty US counties of the npm
# package us-atlas (counties-10m.json, TopoJSON, converted with topojson-client), copied 16
# times, each scaled by 1/4 onto a 4 × 4 grid of valid lon/lat — 16 × 3,231 = 51,696 features in
# 35 MB, of which Sozialraum-Atlas imports 51,680 (it skips one county in every copy, and says why).
# Every feature gets `code` (copy and FIPS id, unique), `name` and a numeric `wert` (a fixed
# pseudo-random number from the code, for 5 quantile classes), so every tool colours the same.
#
# Usage: scripts/us_counties_x16.sh [OUT]   (default /tmp/us_counties_x16.geojson)
# Needs node and npm (the packages are fetched from the npm registry into a temporary folder)
# and python3. The output is never committed.
set -euo pipefail
out=${1:-/tmp/us_counties_x16.geojson}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
    cd "$work"
    npm pack --silent us-atlas@3.0.1 topojson-client@3.1.0 >/dev/null
    mkdir us-atlas topojson-client
    tar xzf us-atlas-3.0.1.tgz -C us-atlas --strip-components=1
    tar xzf topojson-client-3.1.0.tgz -C topojson-client --strip-components=1
    node -e '
        const topojson = require("./topojson-client");
        const topo = require("./us-atlas/counties-10m.json");
        process.stdout.write(JSON.stringify(topojson.feature(topo, topo.objects.counties)));
    ' > counties.geojson
)
python3 - "$work/counties.geojson" "$out" <<'EOF'
import json
import sys
import zlib

source, out = sys.argv[1], sys.argv[2]
counties = [
    f for f in json.load(open(source))["features"]
    if f.get("geometry") and f["geometry"].get("coordinates")
]
# us-atlas 3.0.1 has 3,231 counties with geometry (the issue counted 3,230 areas).
print(f"{len(counties)} counties with geometry", file=sys.stderr)


def moved(coords, i, j):
    """Scaled by 1/4 into cell (i, j): lon -180 + 90 i .. , lat -60 + 30 j .."""
    if isinstance(coords[0], (int, float)):
        lon, lat = coords[0], coords[1]
        return [round(-180 + 90 * i + (lon + 180) / 4, 6), round(-60 + 30 * j + (lat - 15) / 4, 6)]
    return [moved(c, i, j) for c in coords]


features = []
for i in range(4):
    for j in range(4):
        for f in counties:
            code = f"{i}{j}-{f['id']}"
            features.append({
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name": f["properties"].get("name", ""),
                    "wert": zlib.crc32(code.encode()) % 10000 / 100,
                },
                "geometry": {
                    "type": f["geometry"]["type"],
                    "coordinates": moved(f["geometry"]["coordinates"], i, j),
                },
            })
with open(out, "w") as f:
    json.dump({"type": "FeatureCollection", "name": "us_counties_x16", "features": features}, f)
print(f"{out}: {len(features)} polygons")
EOF
