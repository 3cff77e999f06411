#!/usr/bin/python3
"""Ask QGIS itself (headless) whether every layer of a trygg GeoPackage, and
every GeoTIFF beside it, DRAWS what it holds with its stored default style.

  QT_QPA_PLATFORM=offscreen python3 scripts/check_qml.py out.gpkg [--raster kde.tif ...] [--all-rasters]

Per feature layer (one tab-separated line):
  <layer> <renderer> attr=<field> classes=<n> labels=<field> drawn=<d>/<n> per_point=<x> painted=<px> OK|<problems>

checks, each a problem when it fails:
  style    the default style from layer_styles is applied (QGIS's renderer is the stored one,
           same class attribute and number of classes);
  draw     the renderer gives a symbol to EVERY feature (a categorised value with no category,
           a boolean categorised as '1'/'0' that QGIS reads as true/false, a NULL outside every
           class all draw nothing); a rule-based renderer may filter, and says so;
  classes  every non-NULL value of a categorised field has a category of its own (not only
           the grey catch-all "other" class);
  paint    rendering the layer alone paints pixels (symbols are not transparent);
  labels   layers a GIS officer reads by name are labelled (and the label text is not empty
           everywhere): areas, area_summary, places,
           <analysis>_places_*, _place_changes, _area_change, _action_plan (--label LAYER=WHY
           expects labels on LAYER too; the label field must be a field of the layer);
  stack    output point layers hold one feature per point (more than 1.05 features per
           distinct point hides all but the top one); input layers (incidents, observations,
           perception, measures, rejected) may stack, real data do.
Per raster: the .qml beside it is applied, the band has a description (not only
"Band 1 (Gray)"), the legend labels are rounded and the top one carries a unit.

--xfail LAYER_GLOB:CHECK marks a known failure (printed XFAIL, not counted; an XPASS is
printed when it passes). Exit code 0 when everything else passes, 1 otherwise.
A last line sums up: "drawn whole N of M layers; stacked K; ...".
"""
import argparse
import fnmatch
import glob
import os
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET


def _ensure_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))
    os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    try:
        import qgis.core  # noqa: F401
    except ImportError:
        if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        sys.exit("check_qml.py: PyQGIS not found; install Debian's qgis and python3-qgis (scripts/setup.sh)")


_ensure_qgis()

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsExpressionContextUtils,
    QgsLayerTreeLayer,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRenderContext,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import NULL, QSize, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

# The input data as loaded: real data stack (a geocoder's fallback point, a lamp post's
# two lamps); every other point layer is an analysis output and must not.
INPUT_LAYERS = {"incidents", "observations", "perception_pins", "measures_points", "rejected"}
# (layer-name pattern, why a GIS officer expects labels there)
LABELLED = [
    (r"^areas$", "area names"),
    (r"^area_summary$", "area names"),
    (r"^places$", "place names"),
    (r"_places_[^_]+$", "place names on the headline map"),
    (r"_place_changes$", "place names and what changed"),
    (r"_area_change$", "area names and share improved"),
    (r"_action_plan$", "rank and place name"),
]


def stored_styles(gpkg):
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault").fetchall()
    except sqlite3.OperationalError:
        rows = []
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


def qgis_text(v):
    """A value as QGIS's categorised renderer matches it (QVariant::toString)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def uncategorised(layer):
    """(count, example) of non-NULL values that only the catch-all "" class draws: a
    category written for another kind of value ('1' for a boolean QGIS reads as true)."""
    r = layer.renderer()
    if r.type() != "categorizedSymbol":
        return 0, None
    values = {str(c.value()) for c in r.categories() if str(c.value()) not in ("", "NULL")}
    idx = layer.fields().indexFromName(r.classAttribute())
    if idx < 0:
        return 0, None
    n, example = 0, None
    for f in layer.getFeatures():
        v = f.attribute(idx)
        if v is None or v == NULL or v == "":
            continue  # NULL and empty text belong to the catch-all class
        t = qgis_text(v)
        if t not in values:
            n += 1
            example = example or t
    return n, example


def count_drawn(layer):
    """Features the renderer gives a symbol to, all features, features per distinct point."""
    r = layer.renderer().clone()
    ctx = QgsRenderContext()
    ctx.expressionContext().appendScope(QgsExpressionContextUtils.layerScope(layer))
    r.startRender(ctx, layer.fields())
    drawn = total = 0
    pts = {}
    for f in layer.getFeatures():
        total += 1
        ctx.expressionContext().setFeature(f)
        if r.symbolsForFeature(f, ctx):
            drawn += 1
        g = f.geometry()
        if g and not g.isNull() and QgsWkbTypes.geometryType(g.wkbType()) == QgsWkbTypes.PointGeometry \
                and not g.isMultipart():
            p = g.asPoint()
            key = (round(p.x(), 3), round(p.y(), 3))
            pts[key] = pts.get(key, 0) + 1
    r.stopRender(ctx)
    per_point = (sum(pts.values()) / len(pts)) if pts else 1.0
    return drawn, total, per_point


def painted_pixels(layer, size=160):
    """Pixels that rendering the layer alone paints (0 = nothing visible)."""
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(layer.crs())
    ext = layer.extent()
    if ext.isEmpty():
        ext = ext.buffered(10)
    ms.setExtent(ext.buffered(max(ext.width(), ext.height()) * 0.02 + 1))
    ms.setOutputSize(QSize(size, size))
    ms.setBackgroundColor(QColor(255, 255, 255, 0))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    n = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            v = img.pixel(x, y)  # ARGB
            if (v >> 24) & 0xFF > 0 and (v & 0xFFFFFF) != 0xFFFFFF:
                n += 1
    return n


def label_expectation(name, extra):
    for pat, why in LABELLED:
        if re.search(pat, name):
            return why
    return extra.get(name)


def raster_legend(rl):
    """(band display name, legend labels) as QGIS's layer tree shows them."""
    nodes = rl.legend().createLayerTreeModelLegendNodes(QgsLayerTreeLayer(rl))
    texts = [n.data(Qt.DisplayRole) for n in nodes]
    items = [label for label, _ in rl.renderer().legendSymbologyItems()]
    return texts, items


ROUNDED = re.compile(r"^-?[\d\u202f ]+(\.\d{1,3})?(\s|$)")


def check_raster(tif):
    name = os.path.splitext(os.path.basename(tif))[0]
    problems = []
    rl = QgsRasterLayer(tif, name)
    if not rl.isValid():
        return name, "-", ["not loadable"]
    qml = os.path.splitext(tif)[0] + ".qml"
    want = ET.parse(qml).getroot().find("pipe/rasterrenderer").get("type") if os.path.exists(qml) else None
    got = rl.renderer().type()
    if want != got:
        problems.append(f"style: stored {want!r}, QGIS {got!r}")
    texts, items = raster_legend(rl)
    band = rl.dataProvider().displayBandName(1)
    if ":" not in band:
        problems.append(f"legend: the band has no description ({band!r})")
    if not items:
        problems.append("legend: no legend items")
    for lab in items:
        if not ROUNDED.match(lab.strip()):
            problems.append(f"legend: label {lab!r} is not a rounded number")
    if items and not re.search(r"[a-zA-Z²]", items[-1].replace("transparent", "")):
        problems.append(f"legend: the top label {items[-1]!r} has no unit")
    info = f"band={band}\tlegend={' | '.join(items)}"
    return name, f"{got}\t{info}", problems


def check_vector(gpkg, name, styles, extra_labels, render):
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    if not layer.isValid():
        return f"{name}\t-", {"load": "not loadable"}, (0, 0, 1.0)
    problems = {}
    act = actual_from_layer(layer)
    if name not in styles:
        problems["style"] = "no default style stored"
    else:
        exp = expected_from_qml(styles[name])
        diffs = [f"{k}: stored {exp[k]!r}, QGIS {act[k]!r}" for k in exp if exp[k] != act[k]]
        if diffs:
            problems["style"] = "; ".join(diffs)
    drawn, total, per_point = count_drawn(layer)
    if drawn < total:
        if act["type"] == "RuleRenderer":
            pass  # a rule-based renderer documents its filter in its rules
        else:
            problems["draw"] = f"draws {drawn} of {total} features"
    n_other, example = uncategorised(layer)
    if n_other:
        problems["classes"] = (f"{n_other} features have values with no category of their own "
                               f"(e.g. {example!r}); they draw only as 'other'")
    painted = -1
    if render and total > 0:
        painted = painted_pixels(layer)
        if painted == 0:
            problems["paint"] = "rendering the layer paints nothing"
    why = label_expectation(name, extra_labels)
    if why and not act["labels"]:
        problems["labels"] = f"no labels ({why} expected)"
    elif why and layer.fields().indexFromName(act["labels"]) < 0:
        problems["labels"] = f"label field {act['labels']!r} is not a field"
    elif why and total > 0:
        li = layer.fields().indexFromName(act["labels"])
        texts = sum(1 for f in layer.getFeatures() if f.attribute(li) not in (None, NULL, ""))
        if texts == 0:
            problems["labels"] = f"label field {act['labels']!r} is empty on all {total} features"
    is_input = name in INPUT_LAYERS
    if per_point > 1.05 and not is_input:
        problems["stack"] = f"{per_point:.2f} features per point (stacked)"
    line = (f"{name}\t{act['type']}\tattr={act['attr']}\tclasses={act['classes']}\tlabels={act['labels']}"
            f"\tdrawn={drawn}/{total}\tper_point={per_point:.2f}\tpainted={painted}")
    return line, problems, (drawn, total, per_point)


def run(args):
    xfail = [x.split(":", 1) for x in args.xfail]
    extra = dict(x.split("=", 1) for x in args.label)
    bad = 0
    n_layers = n_whole = n_stacked = n_xfail = 0

    def judge(name, problems):
        nonlocal bad, n_xfail
        real, expected = [], []
        for check, msg in problems.items():
            if any(fnmatch.fnmatch(name, g) and (c == check or c == "*") for g, c in xfail):
                expected.append(f"XFAIL {check}: {msg}")
            else:
                real.append(f"{check}: {msg}")
        for g, c in xfail:
            if g == name and c != "*" and c not in problems:  # named exactly: it was expected to fail
                expected.append(f"XPASS {c}")
        n_xfail += sum(1 for e in expected if e.startswith("XFAIL"))
        bad += bool(real)
        verdict = "OK" if not real else "; ".join(real)
        return verdict + ("" if not expected else "\t(" + "; ".join(expected) + ")")

    if args.gpkg:
        styles = stored_styles(args.gpkg)
        for name in spatial_tables(args.gpkg):
            line, problems, (drawn, total, per_point) = check_vector(args.gpkg, name, styles, extra, args.render)
            n_layers += 1
            n_whole += drawn == total and "load" not in problems
            n_stacked += "stack" in problems
            print(f"{line}\t{judge(name, problems)}", flush=True)
    rasters = list(args.raster)
    if args.all_rasters and args.gpkg:
        rasters += sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(args.gpkg)), "*.tif")))
    for tif in rasters:
        name, info, problems = check_raster(tif)
        print(f"{name}\t{info}\t{judge(name, {f'raster{i}': p for i, p in enumerate(problems)})}", flush=True)
    print(f"drawn whole {n_whole} of {n_layers} layers; stacked output point layers {n_stacked}; "
          f"rasters {len(rasters)}; known failures {n_xfail}; failing {bad}", flush=True)
    return 1 if bad or (args.gpkg and n_layers == 0) else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gpkg", nargs="?")
    ap.add_argument("--raster", action="append", default=[])
    ap.add_argument("--all-rasters", action="store_true", help="check every .tif beside the GeoPackage")
    ap.add_argument("--label", action="append", default=[], metavar="LAYER=WHY", help="expect labels on LAYER")
    ap.add_argument("--xfail", action="append", default=[], metavar="GLOB:CHECK",
                    help="known failure: check (style, draw, classes, paint, labels, stack, or *) on layers matching GLOB")
    ap.add_argument("--no-render", dest="render", action="store_false", help="skip the paint check")
    args = ap.parse_args()
    app = QgsApplication([], False)
    app.initQgis()
    code = run(args)
    sys.stdout.flush()
    os._exit(code)  # PyQGIS may crash in its teardown; the verdict is already printed


if __name__ == "__main__":
    main()
