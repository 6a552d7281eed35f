#!/usr/bin/env python3
"""Writes the indicator-table fixtures in this folder (run: python3 make_fixtures.py).

The files imitate what planners receive: a German Excel CSV in Windows-1252, an English
comma-separated CSV with a UTF-8 BOM, and an XLSX with a merged title row, formulas (with
their cached results, as Excel stores them) and suppressed cells. The XLSX is written by hand
(zip of XML) because the usual Python writers do not store formula results.
"""
import zipfile

# German Excel: note line above the header, ';', decimal comma, thousands dots, quoted fields
# holding ';', suppression markers, a row for no area, a duplicate code, a word in a number
# column, codes written differently ("ac3", " W 1 ").
GERMAN = """\
"Wohngeld – Sozialräume der StädteRegion Aachen, Stand 31.12.2025";;;;
Sozialraum;Name des Gebiets;Wohngeldhaushalte je 1.000 Haushalte;Haushalte gesamt;Fläche in m²
AC 1;"Markt; Innenstadt";12,5;"6.734";1.210.000
AC 2;Theater;"8,25";5.001;998.400
ac3;Lindenplatz;*;4.304;1.000.000
E 1;Röhe;–;1.250;2.500.000
S 2;Mühle;x;99;3.100.000
 W 1 ;Würselen-Mitte;.;850;1.800.000
XY 9;Gibt es nicht;1,0;100;1
AC 2;Theater (doppelt);9,0;5.001;998.400
B 1;Setterich;k. A.;2.000;4.000.000
"""

# English export: ',' separated, decimal points, a UTF-8 BOM, quoted names with commas.
ENGLISH = """\
code,name,benefit_rate,households
AC 1,"Markt, Innenstadt",12.5,6734
AC 2,Theater,8.25,5001
E 1,"Röhe, Eschweiler",3.0,1250
"""


def cell(ref, value=None, formula=None, shared=None):
    if isinstance(value, str) and formula is None:
        return f'<c r="{ref}" t="s"><v>{shared.index(value)}</v></c>'
    f = f"<f>{formula}</f>" if formula else ""
    v = "" if value is None else f"<v>{value}</v>"
    return f'<c r="{ref}">{f}{v}</c>'


def xlsx(path):
    strings = [
        "Kinderarmut nach Sozialräumen (Beispiel)",
        "Code",
        # Named by the convention that links a share to its cases and denominator.
        "Kinderarmut Nenner",
        "Kinderarmut Fälle",
        "Kinderarmut %",
        "AC 1", "AC 2", "AC 3", "E 1", "S 2",
        "*",
    ]
    rows = [
        # Row 1: a title merged over A1:D1; row 2 empty.
        [cell("A1", strings[0], shared=strings)],
        [],
        [cell(f"{c}3", s, shared=strings) for c, s in zip("ABCD", strings[1:5])],
    ]
    data = [("AC 1", 1200, 300), ("AC 2", 800, 96), ("AC 3", 1500, 450), ("E 1", 40, 2), ("S 2", None, None)]
    for i, (code, kids, poor) in enumerate(data, start=4):
        r = [cell(f"A{i}", code, shared=strings)]
        if kids is None:
            r += [cell(f"B{i}", "*", shared=strings), cell(f"C{i}", "*", shared=strings), cell(f"D{i}", "*", shared=strings)]
        else:
            r += [cell(f"B{i}", kids), cell(f"C{i}", poor), cell(f"D{i}", round(100 * poor / kids, 6), formula=f"C{i}/B{i}*100")]
        rows.append(r)
    sheet_rows = "".join(
        f'<row r="{n}">{"".join(cs)}</row>' for n, cs in enumerate(rows, start=1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_rows}</sheetData>"
        '<mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells>'
        "</worksheet>"
    )
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Kinderarmut" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": sst,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 25, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


with open("wohngeld_excel_windows1252.csv", "wb") as f:
    f.write(GERMAN.replace("\n", "\r\n").encode("cp1252"))
with open("benefits_english_bom.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"))
xlsx("kinderarmut_merged_formulas.xlsx")
