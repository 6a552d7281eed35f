#!/usr/bin/env python3
"""Writes the bad-and-awkward-input corpus in this folder (run: python3 make_corpus.py).

Every file imitates something planners receive: broken downloads, exports of other programs,
hand-edited JSON, Excel CSVs. `tests/bad_input_corpus.rs` states, for each file, the clear
message or the correct load it must give. Inputs that are large (a 10 MB property, JSON
nested a million deep), need the file system (a folder, no read permission) or a path with
spaces and umlauts are made by the test itself. The Shapefile and GeoPackage "from other
programs" are written by GDAL's ogr2ogr (the library QGIS uses) when it is installed.
"""
import json
import os
import shutil
import subprocess
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def square(x, y, d=0.01):
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def feature(code, coordinates, gtype="Polygon", **props):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"Gebiet {code}", "kommune": "Aachen", **props},
        "geometry": {"type": gtype, "coordinates": coordinates},
    }


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)},
                      ensure_ascii=False)


GOOD = collection(feature("A 1", square(6.05, 50.75)), feature("A 2", square(6.07, 50.75)))

# --- broken JSON -------------------------------------------------------------------------
write("truncated_in_coordinates.geojson", GOOD[: GOOD.index("50.76") + 2])
write("truncated_after_first_feature.geojson", GOOD[: GOOD.index("}}") + 2])
write("empty_file.geojson", "")
write("only_whitespace.geojson", "  \n\t \n")
write("trailing_comma.geojson", GOOD.replace("}]}", "},]}"))
write("comments_in_json.geojson", "// exported by hand\n" + GOOD)
write("html_error_page.geojson",
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
write("zip_named_geojson.geojson", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
write("utf16_le_with_bom.geojson", b"\xff\xfe" + GOOD.encode("utf-16-le"))
write("two_documents_concatenated.geojson", GOOD + "\n" + GOOD)

# --- valid JSON, wrong GeoJSON -----------------------------------------------------------
write("empty_feature_collection.geojson", collection())
write("features_is_an_object.geojson", '{"type":"FeatureCollection","features":{}}')
write("top_level_array.geojson", json.dumps([json.loads(GOOD)]))
write("coordinates_as_strings.geojson",
      collection(feature("S 1", [[["6.05", "50.75"], ["6.06", "50.75"], ["6.06", "50.76"],
                                  ["6.05", "50.75"]]])))
write("properties_is_an_array.geojson",
      GOOD.replace('"properties": {"code": "A 2", "name": "Gebiet A 2", "kommune": "Aachen"}',
                   '"properties": [1, 2, 3]'))
write("all_geometries_null.geojson", json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "N 1"}, "geometry": None},
    {"type": "Feature", "properties": {"code": "N 2"}, "geometry": None}]}))
write("points_and_lines_only.geojson", collection(
    feature("P 1", [6.05, 50.75], "Point"),
    feature("L 1", [[6.05, 50.75], [6.06, 50.76]], "LineString")))
write("geometry_collection.geojson", json.dumps({"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"code": "G 1"},
    "geometry": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "coordinates": square(6.05, 50.75)},
        {"type": "Point", "coordinates": [6.0, 50.0]}]}}]}))
write("single_feature.geojson", json.dumps(feature("F 1", square(6.05, 50.75))))
write("bare_polygon_geometry.geojson",
      json.dumps({"type": "Polygon", "coordinates": square(6.05, 50.75)}))
write("unknown_geometry_type.geojson", collection(feature("U 1", square(6.05, 50.75), "Polygonn"),
                                                   feature("A 2", square(6.07, 50.75))))
write("unknown_crs.geojson", collection(
    feature("C 1", square(6.05, 50.75)),
    crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::99999"}}))

# --- numbers -----------------------------------------------------------------------------
write("nan_coordinates.geojson", GOOD.replace("6.05, 50.75]", "NaN, 50.75]", 1))
write("infinity_coordinates.geojson", GOOD.replace("6.06, 50.75]", "Infinity, 50.75]", 1))
write("number_beyond_double.geojson", GOOD.replace("6.06, 50.75]", "1e400, 50.75]", 1))
write("gigantic_coordinates.geojson", collection(
    feature("R 1", square(1e300, 1e300, 1e299)), feature("R 2", square(-1e308, 1e308, 1e307))))
write("one_gigantic_among_good.geojson", collection(
    feature("R 1", square(6.05, 50.75)),
    feature("R 2", [[[6.05, 50.75], [1e250, 50.75], [6.06, 50.76], [6.05, 50.75]]]),
    feature("R 3", square(6.09, 50.75))))
write("nan_and_infinity_indicators.geojson", collection(
    feature("I 1", square(6.05, 50.75), quote="NaN", arbeitslose=12.5),
    feature("I 2", square(6.07, 50.75), quote="Infinity", arbeitslose="-Infinity"),
    feature("I 3", square(6.09, 50.75), quote=1.5, arbeitslose=3.0)))
write("null_island.geojson", collection(feature("Z 1", [[[0, 0], [0, 0], [0, 0], [0, 0]]])))

# --- awkward polygons --------------------------------------------------------------------
write("self_intersecting_bowtie.geojson", collection(
    feature("B 1", [[[6.05, 50.75], [6.06, 50.76], [6.06, 50.75], [6.05, 50.76], [6.05, 50.75]]]),
    feature("B 2", square(6.08, 50.75))))
write("zero_area_polygon.geojson", collection(
    feature("Z 1", [[[6.05, 50.75], [6.06, 50.76], [6.07, 50.77], [6.05, 50.75]]]),
    feature("Z 2", square(6.08, 50.75))))
write("two_point_ring.geojson", collection(
    feature("T 1", [[[6.05, 50.75], [6.06, 50.76]]]), feature("T 2", square(6.08, 50.75))))
write("unclosed_ring.geojson", collection(
    feature("O 1", [[[6.05, 50.75], [6.06, 50.75], [6.06, 50.76], [6.05, 50.76]]])))
write("hole_outside_its_polygon.geojson", collection(
    feature("H 1", square(6.05, 50.75) + square(6.20, 50.90, 0.001))))
write("duplicate_codes.geojson", collection(
    feature("D 1", square(6.05, 50.75)), feature("D 1", square(6.07, 50.75)),
    feature("D 2", square(6.09, 50.75))))
write("missing_codes.geojson", json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
                                                       "coordinates": square(6.05, 50.75)}},
    {"type": "Feature", "properties": None, "geometry": {"type": "Polygon",
                                                         "coordinates": square(6.07, 50.75)}}]}))
write("utf8_bom.geojson", b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
write("windows1252_properties.geojson",
      GOOD.replace("Gebiet A 1", "Gebiet M\u00fchle").encode("utf-8").replace(
          "M\u00fchle".encode("utf-8"), b"M\xfchle"))
write("deeply_nested_property.geojson",
      GOOD.replace('"kommune": "Aachen"}', '"kommune": "Aachen", "tiefe": '
                   + "[" * 20000 + "]" * 20000 + "}", 1))

# --- tables (indicator tables and measure lists) -----------------------------------------
write("table_empty.csv", "")
write("table_one_column.csv", "code\nAC 1\nAC 2\n")
write("table_windows1252.csv",
      "Sozialraum;Bev\xf6lkerung;Anteil \xfcber 65\nAC 1;1.234;12,5\nAC 2;2.345;8,25\n"
      .encode("latin-1"))
write("table_utf8_bom.csv", b"\xef\xbb\xbf" + "code;wert\nAC 1;1,5\nAC 2;2,5\n".encode())
write("table_unbalanced_quote.csv", 'code;name;wert\nAC 1;"Markt;1,5\nAC 2;Theater;2,5\n')
write("table_ragged_rows.csv", "code;a;b\nAC 1;1\nAC 2;1;2;3;4\nAC 3;;\n")
write("table_utf16.csv", b"\xff\xfe" + "code;wert\nAC 1;1,5\n".encode("utf-16-le"))
write("table_binary_named_csv.csv", bytes(range(256)) * 4)
write("table_csv_named_xlsx.xlsx", "code;wert\nAC 1;1,5\n")
write("table_truncated.xlsx",
      open(os.path.join(HERE, "..", "tables", "kinderarmut_merged_formulas.xlsx"), "rb").read()[:900])
with zipfile.ZipFile(os.path.join(HERE, "table_zip_without_workbook.xlsx"), "w") as z:
    z.writestr("hello.txt", "not a workbook")

# --- files of other programs (GDAL = what QGIS writes) -----------------------------------
if shutil.which("ogr2ogr"):
    src = os.path.join(HERE, "_gdal_source.geojson")
    write("_gdal_source.geojson", collection(
        feature("AC 1", square(6.05, 50.75), einwohner=1234),
        feature("AC 2", square(6.07, 50.75), einwohner=2345),
        feature("AC 3", square(6.09, 50.75), einwohner=3456)).replace("Gebiet AC 3", "Gebiet Würselen"))
    for ext in ["shp", "shx", "dbf", "prj", "cpg"]:
        p = os.path.join(HERE, f"qgis_shapefile_etrs89.{ext}")
        if os.path.exists(p):
            os.remove(p)
    subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", "-t_srs", "EPSG:25832",
                    "-lco", "ENCODING=UTF-8",
                    os.path.join(HERE, "qgis_shapefile_etrs89.shp"), src], check=True)
    for name, extra in [("qgis_geopackage_etrs89.gpkg", ["-t_srs", "EPSG:25832", "-nln", "bezirke"]),
                        ("gdal_geopackage_points_only.gpkg", ["-nlt", "POINT", "-dialect", "SQLite",
                                                               "-sql", "SELECT ST_Centroid(geometry) AS geometry, code FROM _gdal_source"])]:
        p = os.path.join(HERE, name)
        if os.path.exists(p):
            os.remove(p)
        subprocess.run(["ogr2ogr", "-f", "GPKG", *extra, p, src], check=True)
    os.remove(src)
    shp = open(os.path.join(HERE, "qgis_shapefile_etrs89.shp"), "rb").read()
    shutil.copy(os.path.join(HERE, "qgis_shapefile_etrs89.dbf"), os.path.join(HERE, "shapefile_truncated.dbf"))
    write("shapefile_truncated.shp", shp[: len(shp) - 40])
write("sqlite_not_geopackage.gpkg", b"SQLite format 3\x00" + bytes(4080))
write("text_named_gpkg.gpkg", "das ist keine Datenbank\n")
