"""Screenshots for docs/qgis.md, taken by QGIS itself (run inside QGIS with --code).

    tests/qgis_plugin/screenshots.sh build/bin/trygg docs/qgis

runs QGIS under Xvfb with the plugin installed into a temporary profile; this
file opens the Processing toolbox on the trygg provider and the kernel density
dialog, grabs both, runs the dialog, grabs the main window with the result in
its group, and quits.
"""
import os

from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtWidgets import QDockWidget, QTreeView
from qgis.utils import iface

OUT = os.environ["TRYGG_SHOTS"]
state = {}


def toolbox_shot():
    mw = iface.mainWindow()
    mw.resize(1100, 760)
    dock = next(d for d in mw.findChildren(QDockWidget) if d.objectName() == "ProcessingToolbox")
    dock.show()
    dock.raise_()
    # Show the trygg provider, expanded, by filtering the toolbox on its name.
    from qgis.gui import QgsFilterLineEdit
    box = dock.findChild(QgsFilterLineEdit)
    if box is not None:
        box.setText("trygg")
    tree = dock.findChild(QTreeView)
    if tree is not None:
        tree.expandAll()
    dock.setFloating(True)
    dock.resize(460, 520)
    dock.move(40, 40)
    QTimer.singleShot(1500, lambda: grab_dock(dock))


def save(widget, name):
    # 8-bit palette PNGs: a fraction of the size, the same picture for a dialog.
    image = widget.grab().toImage().convertToFormat(QImage.Format_Indexed8, Qt.ThresholdDither)
    image.save(os.path.join(OUT, name), "PNG", 9)


def grab_dock(dock):
    save(dock, "toolbox.png")
    dock.hide()
    import processing
    from qgis.core import QgsProject, QgsVectorLayer
    csv = os.path.join(os.environ["TRYGG_DEMO"], "incidents.csv")
    layer = QgsVectorLayer("file://{}?type=csv&xField=x&yField=y&crs=EPSG:3006&detectTypes=yes".format(csv),
                           "incidents", "delimitedtext")
    QgsProject.instance().addMapLayer(layer)
    state["layer"] = layer
    dlg = processing.createAlgorithmDialog("trygg:kde", {
        "INPUT": layer.id(), "TIME_FIELD": "time", "CATEGORY_FIELD": "category", "BANDWIDTH": 200})
    dlg.resize(980, 720)
    dlg.show()
    state["dlg"] = dlg
    QTimer.singleShot(2500, grab_dialog)


def grab_dialog():
    dlg = state["dlg"]
    save(dlg, "dialog.png")
    # Run it, as the Run button does (a background task; the results open on the main thread).
    dlg.runAlgorithm()
    state["tries"] = 0
    QTimer.singleShot(1000, wait_for_results)


def wait_for_results():
    from qgis.core import QgsProject
    root = QgsProject.instance().layerTreeRoot()
    groups = [g for g in root.children() if g.name().startswith("trygg kde:")]
    state["tries"] += 1
    if not groups and state["tries"] < 90:
        QTimer.singleShot(1000, wait_for_results)
        return
    state["dlg"].close()
    # The result on its own: the input points hidden, the run's group open.
    root.findLayer(state["layer"].id()).setItemVisibilityChecked(False)
    for g in groups:
        g.setExpanded(True)
        for node in g.findLayers():
            node.setExpanded(True)
    mw = iface.mainWindow()
    mw.resize(1000, 640)
    iface.mapCanvas().zoomToFullExtent()
    QTimer.singleShot(500, iface.layerTreeView().expandAll)
    QTimer.singleShot(3000, grab_main)


def grab_main():
    save(iface.mainWindow(), "results.png")
    QTimer.singleShot(300, iface.actionExit().trigger)


QTimer.singleShot(4000, toolbox_shot)
