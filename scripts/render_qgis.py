#!/usr/bin/python3
"""Render every layer of a trygg GeoPackage (and optional GeoTIFFs) to PNG with
QGIS itself, each with the default style stored in the GeoPackage
(layer_styles) or the .qml beside the raster.

  QT_QPA_PLATFORM=offscreen python3 scripts/render_qgis.py out.gpkg outdir/ \
      [--layers areas,incidents] [--raster kde.tif ...] [--all-rasters] [--base areas] [--width 800]

Writes outdir/<layer>.png (the map 800 px wide over the layer's extent plus a
margin, and right of it a panel with a title and the layer's legend as QGIS
builds it from the style; an 8-bit palette PNG when a full-colour one would
pass 150 KB) and prints one line per PNG.
--base draws that layer (with its own style) with every other layer, for
context. --all-rasters renders every .tif beside the GeoPackage. Exit code 1
when a layer fails to load or has no stored style (QGIS would then show it
unstyled).

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
    QgsLayerTreeLayer,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QRectF, QSize, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPen  # noqa: E402


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


def legend_entries(layer, limit=20):
    """(icon QImage or QColor, text) per legend node, as QGIS's layer tree shows them."""
    out = []
    if isinstance(layer, QgsRasterLayer):
        band = layer.dataProvider().displayBandName(1)
        out.append((None, band))
        for label, colour in layer.renderer().legendSymbologyItems():
            out.append((colour, label))
        return out[:limit]
    for item in layer.renderer().legendSymbolItems():
        sym = item.symbol()
        icon = sym.asImage(QSize(14, 14)) if sym is not None else None
        out.append((icon, item.label() or layer.name()))  # a single symbol's item has no label
    if len(out) > limit:
        out = out[:limit - 1] + [(None, f"... {len(out) - limit + 1} more")]
    return out


LEGEND_ROW = 17


def legend_size(title, entries):
    img = QImage(10, 10, QImage.Format_ARGB32)
    p = QPainter(img)
    font = QFont("DejaVu Sans", 8)
    bold = QFont("DejaVu Sans", 9)
    bold.setBold(True)
    p.setFont(bold)
    title_w = p.fontMetrics().horizontalAdvance(title)
    p.setFont(font)
    fm = p.fontMetrics()
    w = max([fm.horizontalAdvance(t or "") + 34 for _, t in entries] + [title_w + 16])
    p.end()
    return min(w, 320), LEGEND_ROW * (len(entries) + 1) + 10


def draw_legend(img, x0, y0, w, h, title, entries):
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    font = QFont("DejaVu Sans", 8)
    bold = QFont("DejaVu Sans", 9)
    bold.setBold(True)
    p.setFont(font)
    fm = p.fontMetrics()
    row = LEGEND_ROW
    p.setPen(QPen(QColor(120, 120, 120)))
    p.setBrush(QColor(255, 255, 255))
    p.drawRect(QRectF(x0, y0, w, h))
    p.setPen(QColor(20, 20, 20))
    p.setFont(bold)
    p.drawText(QRectF(x0 + 6, y0 + 4, w - 10, row), Qt.AlignLeft | Qt.AlignVCenter,
               p.fontMetrics().elidedText(title, Qt.ElideRight, int(w - 10)))
    p.setFont(font)
    y = y0 + 4 + row
    for icon, text in entries:
        if isinstance(icon, QImage):
            p.drawImage(int(x0 + 6), int(y + 1), icon)
        elif isinstance(icon, QColor):
            p.setPen(QPen(QColor(90, 90, 90)))
            p.setBrush(icon)
            p.drawRect(QRectF(x0 + 7, y + 2, 12, 12))
            p.setPen(QColor(20, 20, 20))
        p.drawText(QRectF(x0 + 26, y, w - 30, row), Qt.AlignLeft | Qt.AlignVCenter,
                   fm.elidedText(text or "", Qt.ElideRight, int(w - 30)))
        y += row
    p.end()


def render(layers, extent, crs, width, out_png, title=None, legend=None):
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
    if title is not None:
        # The legend sits in a panel right of the map, so it never hides data.
        lw, lh = legend_size(title, legend or [])
        full = QImage(width + lw + 16, max(height, lh + 16), QImage.Format_RGB32)
        full.fill(QColor(255, 255, 255))
        p = QPainter(full)
        p.drawImage(0, 0, img)
        p.setPen(QPen(QColor(200, 200, 200)))
        p.drawLine(width, 0, width, full.height())
        p.end()
        draw_legend(full, width + 8, 8, lw, lh, title, legend or [])
        img = full
    if not img.save(out_png, "PNG", 0):
        raise RuntimeError(f"cannot write {out_png}")
    if os.path.getsize(out_png) > 150_000:
        # A palette of 256 colours keeps a busy map (20 000 points) under 150 KB.
        img = img.convertToFormat(QImage.Format_Indexed8, Qt.ThresholdDither | Qt.AvoidDither)
        img.save(out_png, "PNG", 0)
    return img.width(), img.height()


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
    ap.add_argument("--width", type=int, default=800, help="PNG width in pixels (default 800)")
    ap.add_argument("--all-rasters", action="store_true", help="render every .tif beside the GeoPackage")
    args = ap.parse_args()

    app = QgsApplication([], False)
    app.initQgis()
    code = run(args)
    sys.stdout.flush()
    os._exit(code)  # PyQGIS may crash in its teardown; everything is written


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
            # A labelled polygon layer (area change: "Centrum: 31 % improved") labels the
            # same centroids as the base's names; the layer's own labels win.
            base.setLabelsEnabled(not (layer.labelsEnabled() and layer.geometryType() == 2))
        else:
            layers = [layer]
        out = os.path.join(args.outdir, f"{name}.png")
        title = f"{name} ({layer.featureCount()} features)"
        w, h = render(layers, padded(extent), layer.crs(), args.width, out, title, legend_entries(layer))
        print(f"{out}\t{w}x{h}\t{layer.featureCount()} features\trenderer={layer.renderer().type()}"
              f"\tstyle={style or '-'}")

    rasters = list(args.raster)
    if args.all_rasters and args.gpkg:
        import glob
        rasters += sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(args.gpkg)), "*.tif")))
    for tif in rasters:
        rl = QgsRasterLayer(tif, os.path.splitext(os.path.basename(tif))[0])
        if not rl.isValid():
            print(f"error: cannot open raster {tif}", file=sys.stderr)
            failures += 1
            continue
        layers = [rl] + ([base] if base is not None else [])
        extent = rl.extent()
        out = os.path.join(args.outdir, os.path.splitext(os.path.basename(tif))[0] + ".png")
        w, h = render(layers, padded(extent, 0.0), rl.crs(), args.width, out, rl.name(), legend_entries(rl))
        qml = os.path.splitext(tif)[0] + ".qml"
        print(f"{out}\t{w}x{h}\trenderer={rl.renderer().type()}"
              f"\tstyle={qml if os.path.exists(qml) else '-'}")

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
