#!/usr/bin/python3
"""Load a trygg GeoPackage (and GeoTIFFs) in QGIS and check that QGIS applies
the stored styles: each spatial layer's default style from layer_styles must
give the renderer written in its QML (type, field, number of classes, label
field); each raster's .qml must give its raster renderer.

  QT_QPA_PLATFORM=offscreen python3 scripts/check_qml.py out.gpkg [--raster kde.tif ...]

Prints one tab-separated line per layer:
  <layer>\t<renderer type>\tattr=<field>\tclasses=<n>\tlabels=<field>\tOK|<problem>
Exit code 0 when every layer is styled as stored, 1 otherwise.
"""
import argparse
import os
import sqlite3
import sys
import xml.etree.ElementTree as ET


def _ensure_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))
    try:
        import qgis.core  # noqa: F401
    except ImportError:
        if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        sys.exit("check_qml.py: PyQGIS not found; install Debian's python3-qgis")


_ensure_qgis()

from qgis.core import QgsApplication, QgsRasterLayer, QgsVectorLayer  # noqa: E402


def stored_styles(gpkg):
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    rows = con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault").fetchall()
    con.close()
    return {name: qml for name, qml in rows}


def spatial_tables(gpkg):
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    rows = con.execute("SELECT table_name FROM gpkg_contents WHERE data_type='features' ORDER BY table_name").fetchall()
    con.close()
    return [r[0] for r in rows]


def expected_from_qml(qml):
    root = ET.fromstring(qml.split("\n", 1)[1] if qml.startswith("<!DOCTYPE") else qml)
    r = root.find("renderer-v2")
    exp = {"type": r.get("type") if r is not None else None, "attr": None, "classes": None, "labels": None}
    if r is not None and r.get("type") == "categorizedSymbol":
        exp["attr"] = r.get("attr")
        exp["classes"] = len(r.findall("categories/category"))
    if r is not None and r.get("type") == "graduatedSymbol":
        exp["attr"] = r.get("attr")
        exp["classes"] = len(r.findall("ranges/range"))
    ts = root.find("labeling/settings/text-style")
    if root.get("labelsEnabled") == "1" and ts is not None:
        exp["labels"] = ts.get("fieldName")
    return exp


def actual_from_layer(layer):
    r = layer.renderer()
    act = {"type": r.type(), "attr": None, "classes": None, "labels": None}
    if r.type() == "categorizedSymbol":
        act["attr"] = r.classAttribute()
        act["classes"] = len(r.categories())
    elif r.type() == "graduatedSymbol":
        act["attr"] = r.classAttribute()
        act["classes"] = len(r.ranges())
    if layer.labelsEnabled() and layer.labeling() is not None:
        act["labels"] = layer.labeling().settings().fieldName
    return act


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gpkg", nargs="?")
    ap.add_argument("--raster", action="append", default=[])
    args = ap.parse_args()
    app = QgsApplication([], False)
    app.initQgis()
    # Layers must be gone before exitQgis(), or PyQGIS crashes on the way out.
    code = run(args)
    app.exitQgis()
    return code


def run(args):
    bad = 0
    if args.gpkg:
        styles = stored_styles(args.gpkg)
        for name in spatial_tables(args.gpkg):
            layer = QgsVectorLayer(f"{args.gpkg}|layername={name}", name, "ogr")
            if not layer.isValid():
                print(f"{name}\t-\t-\t-\t-\tnot loadable")
                bad += 1
                continue
            act = actual_from_layer(layer)
            line = f"{name}\t{act['type']}\tattr={act['attr']}\tclasses={act['classes']}\tlabels={act['labels']}"
            if name not in styles:
                print(f"{line}\tno default style stored")
                bad += 1
                continue
            exp = expected_from_qml(styles[name])
            diffs = [f"{k}: stored {exp[k]!r}, QGIS {act[k]!r}" for k in exp if exp[k] != act[k]]
            print(f"{line}\t{'OK' if not diffs else '; '.join(diffs)}")
            bad += bool(diffs)
    for tif in args.raster:
        name = os.path.splitext(os.path.basename(tif))[0]
        rl = QgsRasterLayer(tif, name)
        qml = os.path.splitext(tif)[0] + ".qml"
        if not rl.isValid():
            print(f"{name}\t-\tnot loadable")
            bad += 1
            continue
        want = ET.parse(qml).getroot().find("pipe/rasterrenderer").get("type") if os.path.exists(qml) else None
        got = rl.renderer().type()
        ok = want == got
        print(f"{name}\t{got}\t{'OK' if ok else f'stored {want!r}, QGIS {got!r}'}")
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
