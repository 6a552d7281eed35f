#!/usr/bin/env python3
"""Writes a large GeoJSON for the load tests of issue 7: copies of all German municipalities
(../shared/data/germany), each copy shifted so that none overlaps, with codes made unique,
until the file reaches the size asked for (default 500 MB).

Usage: python3 scripts/large_geojson.py [OUT] [MEGABYTES]   (default /tmp/de_500mb.geojson 500)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "shared", "data", "germany", "vg250_gemeinden_2016.geojson")
out_path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/de_500mb.geojson"
target = int(sys.argv[2]) if len(sys.argv) > 2 else 500
with open(SOURCE, encoding="utf-8") as f:
    source = json.load(f)

# Shifts in degrees (longitude, latitude): a grid of Germanys around the original.
SHIFTS = [(dx, dy) for dy in (0, 9, -9, 18) for dx in (0, 11, -11, 22, -22)]


def shifted(coords, dx, dy):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0] + dx, 7), round(coords[1] + dy, 7)]
    return [shifted(c, dx, dy) for c in coords]


written = 0
copies = 0
with open(out_path, "w", encoding="utf-8") as out:
    out.write('{"type":"FeatureCollection","name":"gross","features":[\n')
    first = True
    for copy, (dx, dy) in enumerate(SHIFTS):
        if written >= target * 1_000_000:
            break
        copies += 1
        for feature in source["features"]:
            props = dict(feature["properties"])
            props["AGS"] = f"{copy:02d}-{props['AGS']}"
            props["GEN"] = f"{props['GEN']} ({copy + 1})"
            geometry = {
                "type": feature["geometry"]["type"],
                "coordinates": shifted(feature["geometry"]["coordinates"], dx, dy),
            }
            text = json.dumps({"type": "Feature", "properties": props, "geometry": geometry},
                              ensure_ascii=False, separators=(",", ":"))
            if not first:
                out.write(",\n")
            first = False
            out.write(text)
            written += len(text.encode("utf-8")) + 2
    out.write("\n]}\n")
print(f"{out_path}: {os.path.getsize(out_path) / 1e6:.0f} MB, {copies} copies of "
      f"{len(source['features'])} municipalities")
