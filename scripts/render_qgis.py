#!/usr/bin/python3
"""Render every layer of a trygg GeoPackage (and optional GeoTIFFs) to PNG with
QGIS itself, each with the default style stored in the GeoPackage
(layer_styles) or the .qml beside the raster.

  QT_QPA_PLATFORM=offscreen python3 scripts/render_qgis.py out.gpkg outdir/ \
      [--layers areas,incidents] [--raster kde.tif ...] [--base areas] [--width 1000]

Writes outdir/<layer>.png (1000 px wide, the layer's extent plus a margin) and
prints one line per PNG. --base draws that layer (with its own style) under
every other layer, for context. Exit code 1 when a layer fails to load or has
no stored style (QGIS would then show it unstyled).

Needs Debian's python3-qgis; when started by another Python (pyenv), the
script re-runs itself with /usr/bin/python3.
"""
import argparse
import os
import sys


def _ensure_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))
    try:
        import qgis.core  # noqa: F401
    except ImportError:
        if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        sys.exit("render_qgis.py: PyQGIS not found; install Debian's python3-qgis")


_ensure_qgis()

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def gpkg_layers(path):
    md = QgsProviderRegistry.instance().providerMetadata("ogr")
    names = []
    for sub in md.querySublayers(path):
        names.append(sub.name())
    return names


def open_layer(gpkg, name):
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    return layer


def stored_style_of(layer):
    """The name of the default style QGIS found in the database ('' if none)."""
    prov = layer.dataProvider()
    # listStylesInDatabase returns (count, ids, names, descriptions, error)
    count, ids, names, _descr, _err = layer.listStylesInDatabase()
    return names[0] if count > 0 else ""


def render(layers, extent, crs, width, out_png):
    ratio = extent.height() / extent.width() if extent.width() > 0 else 1.0
    height = max(1, int(round(width * ratio)))
    ms = QgsMapSettings()
    ms.setLayers(layers)  # first = top
    ms.setDestinationCrs(crs)
    ms.setExtent(extent)
    ms.setOutputSize(QSize(width, height))
    ms.setBackgroundColor(QColor(255, 255, 255))
    ms.setOutputDpi(96)
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    if not img.save(out_png, "PNG"):
        raise RuntimeError(f"cannot write {out_png}")
    return height


def padded(extent, frac=0.05, min_size=100.0):
    e = QgsRectangle(extent)
    if e.width() <= 0 or e.height() <= 0:
        c = e.center()
        e = QgsRectangle(c.x() - min_size / 2, c.y() - min_size / 2, c.x() + min_size / 2, c.y() + min_size / 2)
    dx = e.width() * frac
    dy = e.height() * frac
    return QgsRectangle(e.xMinimum() - dx, e.yMinimum() - dy, e.xMaximum() + dx, e.yMaximum() + dy)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gpkg", nargs="?", help="GeoPackage written by trygg")
    ap.add_argument("outdir", help="folder for the PNGs")
    ap.add_argument("--layers", default="", help="comma-separated layer names (default: every spatial layer)")
    ap.add_argument("--raster", action="append", default=[], help="GeoTIFF to render with its .qml (repeatable)")
    ap.add_argument("--base", default="", help="layer drawn under every other layer for context")
    ap.add_argument("--width", type=int, default=1000, help="PNG width in pixels (default 1000)")
    args = ap.parse_args()

    app = QgsApplication([], False)
    app.initQgis()
    # Layers must be gone before exitQgis(), or PyQGIS crashes on the way out.
    code = run(args)
    app.exitQgis()
    return code


def run(args):
    os.makedirs(args.outdir, exist_ok=True)
    failures = 0

    base = None
    if args.base and args.gpkg:
        base = open_layer(args.gpkg, args.base)
        if not base.isValid():
            print(f"error: base layer '{args.base}' not found in {args.gpkg}", file=sys.stderr)
            return 1

    names = []
    if args.gpkg:
        wanted = [n for n in args.layers.split(",") if n]
        names = wanted or gpkg_layers(args.gpkg)
    for name in names:
        layer = open_layer(args.gpkg, name)
        if not layer.isValid():
            print(f"error: layer '{name}' not found in {args.gpkg}", file=sys.stderr)
            failures += 1
            continue
        if not layer.isSpatial():
            continue  # attribute tables have nothing to draw
        style = stored_style_of(layer)
        if not style:
            print(f"warning: layer '{name}' has no stored style; rendered with QGIS's random default",
                  file=sys.stderr)
            failures += 1
        extent = layer.extent()
        if base is not None and base.id() != layer.id() and name != args.base:
            extent.combineExtentWith(base.extent())
            # Outlined areas go on top of polygon layers (fills would hide them)
            # and beneath points and lines.
            layers = [base, layer] if layer.geometryType() == 2 else [layer, base]
        else:
            layers = [layer]
        out = os.path.join(args.outdir, f"{name}.png")
        h = render(layers, padded(extent), layer.crs(), args.width, out)
        print(f"{out}\t{args.width}x{h}\t{layer.featureCount()} features\trenderer={layer.renderer().type()}"
              f"\tstyle={style or '-'}")

    for tif in args.raster:
        rl = QgsRasterLayer(tif, os.path.splitext(os.path.basename(tif))[0])
        if not rl.isValid():
            print(f"error: cannot open raster {tif}", file=sys.stderr)
            failures += 1
            continue
        layers = [rl] + ([base] if base is not None else [])
        extent = rl.extent()
        out = os.path.join(args.outdir, os.path.splitext(os.path.basename(tif))[0] + ".png")
        h = render(layers, padded(extent, 0.0), rl.crs(), args.width, out)
        qml = os.path.splitext(tif)[0] + ".qml"
        print(f"{out}\t{args.width}x{h}\trenderer={rl.renderer().type()}"
              f"\tstyle={qml if os.path.exists(qml) else '-'}")

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
