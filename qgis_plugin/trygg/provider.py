"""The "trygg" Processing provider: one algorithm per method that `trygg
methods --json` lists (generated from the declared parameters), plus the
project commands."""

import os

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import trygg_process
from .algorithms import (BenchAlgorithm, MethodAlgorithm, ReportAlgorithm, RunProjectAlgorithm,
                         ValidateProjectAlgorithm, executable)

ICON = os.path.join(os.path.dirname(__file__), "icon.svg")


def _log(message, level=Qgis.Info):
    QgsMessageLog.logMessage(message, "trygg", level)


class TryggProvider(QgsProcessingProvider):
    def __init__(self):
        super().__init__()
        self._version = ""
        self._settings = False

    def id(self):
        return "trygg"

    def name(self):
        return "trygg"

    def longName(self):
        return "trygg {}".format(self._version).strip()

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):
        return ICON

    def load(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig, Setting
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(
                self.name(), trygg_process.SETTING_EXECUTABLE,
                self.tr("trygg program (empty: $TRYGG_EXECUTABLE, then PATH)"), "", valuetype=Setting.FILE))
            ProcessingConfig.readSettings()
            self._settings = True
        except Exception as e:  # Processing's Python side not initialised: PATH only
            _log("Processing settings unavailable ({}); looking for trygg on PATH".format(e), Qgis.Warning)
        self.refreshAlgorithms()
        return True

    def unload(self):
        if self._settings:
            from processing.core.ProcessingConfig import ProcessingConfig
            ProcessingConfig.removeSetting(trygg_process.SETTING_EXECUTABLE)

    def loadAlgorithms(self):
        exe = executable()
        if not exe:
            _log("The trygg program was not found (PATH, $TRYGG_EXECUTABLE or the Processing setting); only the "
                 "project algorithms are listed, and they will ask for it.", Qgis.Warning)
        else:
            try:
                info = trygg_process.methods_json(exe)
                self._version = info.get("trygg_version", "")
                for method in info.get("methods", []):
                    if method.get("hotspots_command"):
                        self.addAlgorithm(MethodAlgorithm(method))
            except Exception as e:
                _log("`{} methods --json` failed: {}".format(exe, e), Qgis.Critical)
        self.addAlgorithm(RunProjectAlgorithm())
        self.addAlgorithm(ValidateProjectAlgorithm())
        self.addAlgorithm(BenchAlgorithm())
        # `trygg report` is newer than the other commands: listed when this trygg has it.
        if exe and trygg_process.has_command(exe, "report"):
            self.addAlgorithm(ReportAlgorithm())
