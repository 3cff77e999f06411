"""trygg for QGIS: the trygg program's hotspot methods and project commands as
a Processing provider (docs/qgis.md). Pure Python against QGIS's own API."""


def classFactory(iface):  # QGIS calls this (iface is None in qgis_process)
    from .plugin import TryggPlugin
    return TryggPlugin(iface)
