#!/usr/bin/env python3
"""Writes the benchmark file for the export speed figure: all German municipalities
(../shared/data/germany/vg250_gemeinden_2016.geojson) with the Census 2011 population joined
as the numeric property `einwohner` (by RS = the table's AGS without its leading "k").

Usage: python3 scripts/germany_population_geojson.py [OUT]   (default /tmp/de_einwohner.geojson)
Then:  /usr/bin/time -v target/release/sozialraum-atlas export OUT --out de.png \
           --color-by einwohner --classes quantile:5
The output is never committed: it is a copy of the shared data.
"""
import csv
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent / ".." / "shared" / "data" / "germany"
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/de_einwohner.geojson")
population = {}
with open(root / "zensus2011_gemeinden_einwohner.csv", encoding="utf-8", errors="replace") as f:
    lines = f.read().splitlines()[2:]  # a source note and an empty line above the header
    for row in csv.DictReader(lines):
        key = row["AGS"].strip().removeprefix("k")
        value = row["Einwohner am 9. Mai 2011 laut Zensus 2011 "].replace(".", "").strip()
        if value.isdigit():
            population[key] = int(value)
doc = json.load(open(root / "vg250_gemeinden_2016.geojson", encoding="utf-8"))
joined = 0
for feature in doc["features"]:
    value = population.get(feature["properties"]["RS"])
    if value is not None:
        feature["properties"]["einwohner"] = value
        joined += 1
json.dump(doc, open(out, "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))
print(f"{out}: {joined} of {len(doc['features'])} features with einwohner")
