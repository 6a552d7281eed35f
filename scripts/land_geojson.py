#!/usr/bin/env python3
"""Writes the municipalities of one German Land from ../shared/data/germany/vg250_gemeinden_2016.geojson
(land areas only, GF = 4), for the per-municipality benchmark of issue 18.

Usage: python3 scripts/land_geojson.py [SN_L] [OUT]   (default 05 = Nordrhein-Westfalen, /tmp/nrw.geojson)
Then:  target/release/sozialraum-atlas export OUT --municipality-field GEN --per-municipality DIR
       (396 pages for NRW, each municipality zoomed with its neighbours greyed)
The output is never committed: it is a copy of the shared data.
"""
import json
import pathlib
import sys

land = sys.argv[1] if len(sys.argv) > 1 else "05"
out = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/nrw.geojson")
root = pathlib.Path(__file__).resolve().parent.parent / ".." / "shared" / "data" / "germany"
doc = json.load(open(root / "vg250_gemeinden_2016.geojson", encoding="utf-8"))
features = [
    f for f in doc["features"]
    if f["properties"].get("SN_L") == land and f["properties"].get("GF") == 4
]
json.dump({"type": "FeatureCollection", "features": features}, open(out, "w", encoding="utf-8"))
print(f"{out}: {len(features)} municipalities of Land {land}")
