"""What a trygg run wrote, and opening it in a QGIS project with trygg's styles."""

import os
import sqlite3

from qgis.core import QgsApplication, QgsRasterLayer, QgsVectorLayer


def headless():
    """True in qgis_process (no project to open layers in)."""
    app = QgsApplication.instance()
    try:
        return app is not None and app.platform() == "qgis_process"
    except AttributeError:
        return False


def reported_files(stdout_lines, require_exists=False):
    """The paths trygg lists after "Results:" (and any other line that is an existing output path)."""
    files, in_results = [], False
    for line in stdout_lines:
        text = line.strip()
        if text == "Results:":
            in_results = True
            continue
        if in_results and line.startswith("  ") and text:
            files.append(text)
            continue
        in_results = False
        if text and os.path.isabs(text) and os.path.isfile(text):
            files.append(text)
    if require_exists:
        files = [f for f in files if os.path.isfile(f)]
    return files


def gpkg_layers(path):
    """(table, data_type) of a GeoPackage's contents, in their order ('features' or 'attributes')."""
    if not path or not os.path.isfile(path):
        return []
    db = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    try:
        return [(r[0], r[1]) for r in db.execute("SELECT table_name, data_type FROM gpkg_contents ORDER BY rowid")]
    finally:
        db.close()


def gpkg_uri(path, table):
    return "{}|layername={}".format(path, table)


def load_into_project(project, group_name, vectors, rasters, feedback=None):
    """Adds the layers to `project` in a new top group `group_name`, each with its stored trygg style:
    the GeoPackage's default style (layer_styles) for vector layers, the .qml beside each GeoTIFF.
    Returns the layers added."""
    root = project.layerTreeRoot()
    group = root.insertGroup(0, group_name)
    added = []
    for path in rasters:
        layer = QgsRasterLayer(path, os.path.splitext(os.path.basename(path))[0], "gdal")
        if not layer.isValid():
            if feedback:
                feedback.reportError("Could not open {}".format(path), False)
            continue
        qml = os.path.splitext(path)[0] + ".qml"
        if os.path.isfile(qml):
            layer.loadNamedStyle(qml)
        added.append(layer)
    for uri, name in vectors:
        layer = QgsVectorLayer(uri, name, "ogr")
        if not layer.isValid():
            if feedback:
                feedback.reportError("Could not open {}".format(uri), False)
            continue
        # The constructor already applies the GeoPackage's default style; apply it
        # again explicitly so that a provider setting cannot leave a plain symbol.
        if layer.isSpatial():
            msg, ok = layer.loadDefaultStyle()
            if not ok and feedback:
                feedback.pushInfo("{}: {}".format(name, msg))
        added.append(layer)
    # Points above lines above polygons above rasters, as on a map; tables last.
    def order(layer):
        if isinstance(layer, QgsRasterLayer):
            return 3
        return {0: 0, 1: 1, 2: 2}.get(int(layer.geometryType()), 0) if layer.isSpatial() else 4
    for layer in sorted(added, key=order):
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return added
