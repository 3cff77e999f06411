"""The trygg algorithms: one per method of `trygg methods --json` (generated
from the methods' declared parameters), plus Run project, Validate project,
Report and Benchmark."""

import datetime
import json
import os
import re

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingOutputHtml,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication, QUrl, QUrlQuery

from . import results, trygg_process
from .trygg_process import TryggCanceled, TryggError

# Parameters every hotspot algorithm has (the `trygg hotspots` input flags);
# a method parameter whose upper-case name collides gets the suffix _OPTION
# (kde's `output` is OUTPUT_OPTION, since OUTPUT is the output folder).
FIXED = ("INPUT", "TIME_FIELD", "TIME_FROM_FIELD", "TIME_TO_FIELD", "CATEGORY_FIELD", "WEIGHT_FIELD", "AREAS",
         "WORKING_CRS", "TIME_ZONE", "LOAD_OUTPUTS", "OUTPUT", "GEOPACKAGE", "SUMMARY", "RASTER", "LAYERS")

# Formats trygg reads directly (through GDAL); other layers go through a temporary GeoPackage.
DIRECT_FORMATS = ["gpkg", "shp", "geojson", "json", "fgb", "sqlite", "gml", "kml", "tab", "mif"]


def tr(text):
    return QCoreApplication.translate("trygg", text)


def qgis_name(trygg_name):
    """The Processing parameter name of a method parameter: BANDWIDTH for bandwidth."""
    name = re.sub(r"[^A-Za-z0-9]", "_", trygg_name).upper()
    return name + "_OPTION" if name in FIXED else name


def executable():
    """The trygg program (Processing setting, $TRYGG_EXECUTABLE, PATH), or None."""
    setting = None
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
        setting = ProcessingConfig.getSetting(trygg_process.SETTING_EXECUTABLE)
    except Exception:  # Processing not initialised (a bare PyQGIS script): environment and PATH only
        setting = None
    return trygg_process.find_trygg(setting)


def require_executable():
    exe = executable()
    if not exe:
        raise QgsProcessingException(tr(
            "The trygg program was not found: put it on PATH or set Settings > Options > Processing > "
            "Providers > trygg > trygg program."))
    return exe


def _number_text(v):
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _on_main_thread():
    app = QCoreApplication.instance()
    from qgis.PyQt.QtCore import QThread
    return app is not None and QThread.currentThread() == app.thread()


class TryggAlgorithm(QgsProcessingAlgorithm):
    """Shared plumbing: running trygg with progress and cancel, loading results after the run."""

    def __init__(self):
        super().__init__()
        self._load = None  # what postProcessAlgorithm loads: dict(group=..., vectors=[(uri, name)], rasters=[path])

    def flags(self):
        return super().flags() | QgsProcessingAlgorithm.FlagCanCancel | QgsProcessingAlgorithm.FlagSupportsBatch

    def _run(self, args, feedback, stages=None, cwd=None, on_start=None):
        exe = require_executable()
        try:
            return trygg_process.run_trygg(exe, args, feedback, stages=stages, cwd=cwd, on_start=on_start)
        except TryggCanceled:
            raise QgsProcessingException(tr("Canceled: the trygg process was stopped and its partial output removed."))
        except TryggError as e:
            raise QgsProcessingException(str(e))

    def _add_load_param(self):
        self.addParameter(QgsProcessingParameterBoolean(
            "LOAD_OUTPUTS", tr("Open the results in the project (in a group named after the run)"), defaultValue=True))

    def postProcessAlgorithm(self, context, feedback):
        # Runs on the main thread after a dialog or batch run; in the modeler's
        # thread and in qgis_process nothing is added to a project.
        if self._load and _on_main_thread() and context.project() is not None and not results.headless():
            results.load_into_project(context.project(), self._load["group"], self._load["vectors"],
                                      self._load["rasters"], feedback)
        return {}


class MethodAlgorithm(TryggAlgorithm):
    """One trygg method, its parameters generated from `trygg methods --json`."""

    def __init__(self, method):
        super().__init__()
        self._m = method

    def createInstance(self):
        return MethodAlgorithm(self._m)

    def name(self):
        return self._m["hotspots_command"]

    def displayName(self):
        d = self._m["description"]
        short = d.split(" (")[0]
        return "{} ({})".format(short, self._m["hotspots_command"])

    def group(self):
        return tr("Hotspot methods")

    def groupId(self):
        return "hotspots"

    def shortHelpString(self):
        m = self._m
        lines = ["<p>{}</p>".format(m["description"]),
                 "<p>Runs <code>trygg hotspots {}</code> on the input points; the results (GeoPackage layers, "
                 "GeoTIFF rasters with their styles, the run summary) are written to the output folder and "
                 "opened in a group named after the run.</p>".format(m["hotspots_command"])]
        if m.get("doc_page"):
            lines.append("<p>Method documentation: {} in the trygg sources.</p>".format(m["doc_page"]))
        lines.append("<dl>")
        for p in m["parameters"]:
            extra = []
            if p.get("range_text"):
                extra.append(p["range_text"])
            if p.get("default_text"):
                extra.append("default " + p["default_text"])
            lines.append("<dt><b>{}</b> ({})</dt><dd>{}{}</dd>".format(
                qgis_name(p["name"]), p["name"], p["help"], " [{}]".format("; ".join(extra)) if extra else ""))
        lines.append("</dl>")
        return "\n".join(lines)

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", tr("Incidents (points)"), [QgsProcessing.TypeVectorPoint]))
        fields = (("TIME_FIELD", tr("Time field"), False), ("CATEGORY_FIELD", tr("Category field"), False),
                  ("TIME_FROM_FIELD", tr("Start of time span field"), True),
                  ("TIME_TO_FIELD", tr("End of time span field"), True),
                  ("WEIGHT_FIELD", tr("Weight field"), True))
        for name, label, advanced in fields:
            p = QgsProcessingParameterField(name, label, None, "INPUT", QgsProcessingParameterField.Any, False, True)
            if advanced:
                p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        self.addParameter(QgsProcessingParameterFeatureSource(
            "AREAS", tr("Study area polygons (default: the input's bounding box)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        for p in self._method_parameters():
            self.addParameter(p)
        crs = QgsProcessingParameterCrs("WORKING_CRS", tr("Working CRS (default: the input's when projected)"),
                                        optional=True)
        tz = QgsProcessingParameterString("TIME_ZONE", tr("Time zone of times without one"),
                                          defaultValue="Europe/Stockholm")
        for p in (crs, tz):
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        self._add_load_param()
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile("GEOPACKAGE", tr("GeoPackage")))
        self.addOutput(QgsProcessingOutputFile("SUMMARY", tr("Run summary (JSON)")))
        self.addOutput(QgsProcessingOutputRasterLayer("RASTER", tr("Raster (methods that write one)")))
        self.addOutput(QgsProcessingOutputMultipleLayers("LAYERS", tr("Result layers")))

    def _method_parameters(self):
        out = []
        for p in self._m["parameters"]:
            name, t = qgis_name(p["name"]), p["type"]
            label = p["help"] + (" [{}]".format(p["unit"]) if p.get("unit") else "")
            optional = not p.get("required", False)
            default = p.get("default")
            if t in ("double", "length", "int", "uint64"):
                kind = QgsProcessingParameterNumber.Double if t in ("double", "length") else QgsProcessingParameterNumber.Integer
                kwargs = {}
                if p.get("min") is not None:
                    kwargs["minValue"] = p["min"]
                if p.get("max") is not None:
                    kwargs["maxValue"] = p["max"]
                q = QgsProcessingParameterNumber(name, label, kind, default, optional, **kwargs)
            elif t == "bool":
                q = QgsProcessingParameterBoolean(name, label, bool(default), optional)
            elif t == "choice":
                q = QgsProcessingParameterEnum(name, label, p["choices"], False, default, optional)
                q.setUsesStaticStrings(True)
            elif t == "string_list" and p.get("choices"):
                q = QgsProcessingParameterEnum(name, label, p["choices"], True, default or None, True)
                q.setUsesStaticStrings(True)
            else:  # string, or a list without fixed choices: comma-separated text
                text = ",".join(default) if isinstance(default, list) else (default or "")
                q = QgsProcessingParameterString(name, label, text, False, optional or not text)
            if hasattr(q, "setHelp"):
                q.setHelp("{} — trygg parameter `{}`{}".format(
                    p["help"], p["name"], "; " + p["range_text"] if p.get("range_text") else ""))
            out.append(q)
        return out

    def _method_flags(self, parameters, context):
        """--name value for every method parameter that differs from trygg's default."""
        args = []
        for p in self._m["parameters"]:
            name, t = qgis_name(p["name"]), p["type"]
            if parameters.get(name) is None:
                continue
            default = p.get("default")
            if t in ("double", "length", "int", "uint64"):
                v = self.parameterAsDouble(parameters, name, context)
                if default is not None and float(v) == float(default):
                    continue
                text = _number_text(v)
            elif t == "bool":
                v = self.parameterAsBool(parameters, name, context)
                if v == bool(default):
                    continue
                text = "true" if v else "false"
            elif t == "choice":
                text = self.parameterAsEnumString(parameters, name, context)
                if not text or text == default:
                    continue
            elif t == "string_list" and p.get("choices"):
                items = self.parameterAsEnumStrings(parameters, name, context)
                if list(items) == list(default or []):
                    continue
                text = ",".join(items)
                if not text:
                    continue
            else:
                text = self.parameterAsString(parameters, name, context).strip()
                default_text = ",".join(default) if isinstance(default, list) else (default or "")
                if text == default_text or not text:
                    continue
            args += ["--" + p["name"], text]
        return args

    def _input_args(self, parameters, name, context, feedback, flag="--input", layer_flag="--layer"):
        """trygg's flags for a vector input: the layer's own file when trygg reads it, else a temporary GeoPackage."""
        value = parameters.get(name)
        whole = not (isinstance(value, QgsProcessingFeatureSourceDefinition) and
                     (value.selectedFeaturesOnly or value.featureLimit != -1 or getattr(value, "filterExpression", "")))
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is not None and whole and layer.providerType() == "delimitedtext" and not layer.subsetString():
            csv = _plain_xy_csv(layer)
            if csv:
                path, x, y = csv
                args = [flag, path]
                if flag == "--input":
                    args += ["--x", x, "--y", y]
                    if layer.crs().isValid():
                        args += ["--crs", layer.crs().authid() or layer.crs().toWkt()]
                return args, path
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, name, context, DIRECT_FORMATS, "gpkg", feedback)
        if not path:
            raise QgsProcessingException(tr("Could not read the layer of {}").format(name))
        args = [flag, path]
        if layer_name:
            args += [layer_flag, layer_name]
        return args, path

    def processAlgorithm(self, parameters, context, feedback):
        args = ["hotspots", self._m["hotspots_command"]]
        input_args, input_path = self._input_args(parameters, "INPUT", context, feedback)
        args += input_args
        for pname, flag in (("TIME_FIELD", "--time"), ("TIME_FROM_FIELD", "--time-from"), ("TIME_TO_FIELD", "--time-to"),
                            ("CATEGORY_FIELD", "--category"), ("WEIGHT_FIELD", "--weight")):
            fields = self.parameterAsFields(parameters, pname, context)
            if fields:
                args += [flag, fields[0]]
        if parameters.get("AREAS") is not None:
            area_args, _ = self._input_args(parameters, "AREAS", context, feedback, "--areas", "--areas-layer")
            args += area_args
        crs = self.parameterAsCrs(parameters, "WORKING_CRS", context)
        if parameters.get("WORKING_CRS") and crs.isValid():
            args += ["--working-crs", crs.authid() or crs.toWkt()]
        tz = self.parameterAsString(parameters, "TIME_ZONE", context)
        if tz:
            args += ["--time-zone", tz]
        args += self._method_flags(parameters, context)

        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        created = not os.path.isdir(out) or not os.listdir(out)
        before = trygg_process.snapshot(out)
        os.makedirs(out, exist_ok=True)
        args += ["--out", out]
        try:
            _, stdout, _ = self._run(args, feedback, stages=3, cwd=out)
        except BaseException:
            trygg_process.remove_new_entries(out, before, created)
            raise
        files = results.reported_files(stdout)
        summary_path = next((f for f in files if f.endswith("_summary.json")), None)
        if not summary_path:
            raise QgsProcessingException(tr("trygg did not report its run summary"))
        with open(summary_path, encoding="utf-8") as f:
            summary = json.load(f)
        gpkg = summary.get("outputs", {}).get("geopackage")
        analysis = summary["analyses"][0]["name"] if summary.get("analyses") else self.name()
        vectors = [(results.gpkg_uri(gpkg, t), t) for t, _ in results.gpkg_layers(gpkg)
                   if t == analysis or t.startswith(analysis + "_")] if gpkg else []
        rasters = [f for a in summary.get("analyses", []) for f in a.get("files", []) if f.lower().endswith(".tif")]
        label = os.path.splitext(os.path.basename(input_path))[0]
        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        if layer is not None:
            label = layer.name()
        self._load = None
        if self.parameterAsBool(parameters, "LOAD_OUTPUTS", context):
            self._load = {"group": "trygg {}: {} {}".format(self.name(), label, datetime.datetime.now().strftime("%H:%M:%S")),
                          "vectors": vectors, "rasters": rasters}
        return {"OUTPUT": out, "GEOPACKAGE": gpkg, "SUMMARY": summary_path,
                "RASTER": rasters[0] if rasters else None,
                "LAYERS": [u for u, _ in vectors] + rasters}


def _plain_xy_csv(layer):
    """(path, x field, y field) when a delimited-text layer is a plain x/y CSV trygg reads as it is, else None."""
    url = QUrl(layer.source())
    query = QUrlQuery(url)
    keys = {k for k, _ in query.queryItems()}
    x, y = query.queryItemValue("xField"), query.queryItemValue("yField")
    if not x or not y or keys & {"wktField", "skipLines", "decimalPoint", "xyDms", "skipEmptyFields"}:
        return None
    if query.queryItemValue("useHeader").lower() == "no" or query.queryItemValue("type") not in ("", "csv"):
        return None
    if query.queryItemValue("delimiter") not in ("", ",", ";", "\t", "|", "%09"):
        return None
    if query.queryItemValue("encoding").upper() not in ("", "UTF-8", "UTF8"):
        return None
    path = url.toLocalFile()
    if not path.lower().endswith((".csv", ".txt")) or not os.path.isfile(path):
        return None
    return path, x, y


class ProjectAlgorithm(TryggAlgorithm):
    """A trygg command on a project file (docs/project-file.md)."""

    def group(self):
        return tr("Project")

    def groupId(self):
        return "project"

    def _add_project_param(self):
        self.addParameter(QgsProcessingParameterFile(
            "PROJECT", tr("Project file (YAML)"), QgsProcessingParameterFile.File, fileFilter=tr("trygg project (*.yaml *.yml)")))

    def _project(self, parameters, context):
        path = self.parameterAsFile(parameters, "PROJECT", context)
        if not path or not os.path.isfile(path):
            raise QgsProcessingException(tr("Project file not found: {}").format(path))
        return path


def project_output_dir(yaml_path):
    """The project's output folder: its top-level `output:` key (default `output`), relative to the file."""
    folder = "output"
    try:
        with open(yaml_path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^output:\s*(.*?)\s*(#.*)?$", line.rstrip("\n"))
                if m and m.group(1):
                    folder = m.group(1).strip("'\"")
    except OSError:
        pass
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(yaml_path)), os.path.expanduser(folder)))


class RunProjectAlgorithm(ProjectAlgorithm):
    def createInstance(self):
        return RunProjectAlgorithm()

    def name(self):
        return "run_project"

    def displayName(self):
        return tr("Run project")

    def shortHelpString(self):
        return tr("<p>Runs <code>trygg run PROJECT.yaml</code>: imports every layer, runs every analysis of the "
                  "project file (hotspot methods and the safety analysis) and writes the styled GeoPackage, the "
                  "rasters with their styles and the run summary to the project's output folder, then opens the "
                  "map layers in a group named after the run.</p><p>ONLY limits the run to some analyses (names or "
                  "method ids, comma-separated); PUBLISH applies the publish profile.</p>")

    def initAlgorithm(self, config=None):
        self._add_project_param()
        self.addParameter(QgsProcessingParameterString("ONLY", tr("Only these analyses (comma-separated)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterBoolean("PUBLISH", tr("Publish profile"), defaultValue=False))
        no_report = QgsProcessingParameterBoolean(
            "NO_REPORT", tr("No workshop report (trygg run --no-report, where trygg has it)"), defaultValue=False)
        no_report.setFlags(no_report.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(no_report)
        self._add_load_param()
        self.addOutput(QgsProcessingOutputFolder("OUTPUT", tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile("GEOPACKAGE", tr("GeoPackage")))
        self.addOutput(QgsProcessingOutputFile("SUMMARY", tr("Run summary (JSON)")))
        self.addOutput(QgsProcessingOutputMultipleLayers("LAYERS", tr("Result layers")))

    def processAlgorithm(self, parameters, context, feedback):
        project = self._project(parameters, context)
        args = ["run", project]
        only = self.parameterAsString(parameters, "ONLY", context).strip()
        if only:
            args += ["--only", only]
        if self.parameterAsBool(parameters, "PUBLISH", context):
            args.append("--publish")
        if self.parameterAsBool(parameters, "NO_REPORT", context) and \
                trygg_process.has_option(require_executable(), ["run"], "--no-report"):
            args.append("--no-report")
        started = []
        try:
            _, stdout, _ = self._run(args, feedback, cwd=os.path.dirname(os.path.abspath(project)),
                                     on_start=started.append)
        except BaseException:
            # Every trygg output is written to a temporary name and renamed when complete; a
            # stopped run leaves only those temporary files, removed here.
            if started:
                trygg_process.remove_temp_files(project_output_dir(project), started[0].pid)
            raise
        files = results.reported_files(stdout)
        summary_path = next((f for f in files if f.endswith("_summary.json")), None)
        gpkg = next((f for f in files if f.endswith(".gpkg")), None)
        vectors = [(results.gpkg_uri(gpkg, t), t) for t, kind in results.gpkg_layers(gpkg) if kind == "features"] \
            if gpkg else []
        rasters = [f for f in files if f.lower().endswith(".tif")]
        self._load = None
        if self.parameterAsBool(parameters, "LOAD_OUTPUTS", context):
            name = os.path.splitext(os.path.basename(gpkg or project))[0]
            self._load = {"group": "trygg run: {} {}".format(name, datetime.datetime.now().strftime("%H:%M:%S")),
                          "vectors": vectors, "rasters": rasters}
        return {"OUTPUT": os.path.dirname(gpkg) if gpkg else project_output_dir(project), "GEOPACKAGE": gpkg,
                "SUMMARY": summary_path, "LAYERS": [u for u, _ in vectors] + rasters}


class ValidateProjectAlgorithm(ProjectAlgorithm):
    def createInstance(self):
        return ValidateProjectAlgorithm()

    def name(self):
        return "validate_project"

    def displayName(self):
        return tr("Validate project")

    def shortHelpString(self):
        return tr("<p>Runs <code>trygg validate PROJECT.yaml</code>: reads every layer and reports rows read, loaded, "
                  "repaired and rejected by reason, with the first rejected rows in full. Writes nothing. STRICT "
                  "fails when any row is rejected.</p>")

    def initAlgorithm(self, config=None):
        self._add_project_param()
        self.addParameter(QgsProcessingParameterBoolean("STRICT", tr("Fail when any row is rejected"),
                                                        defaultValue=False))
        self.addOutput(QgsProcessingOutputString("REPORT", tr("Validation report")))

    def processAlgorithm(self, parameters, context, feedback):
        args = ["validate", self._project(parameters, context)]
        if self.parameterAsBool(parameters, "STRICT", context):
            args.append("--strict")
        _, stdout, _ = self._run(args, feedback)
        return {"REPORT": "\n".join(stdout)}


class ReportAlgorithm(ProjectAlgorithm):
    def createInstance(self):
        return ReportAlgorithm()

    def name(self):
        return "report"

    def displayName(self):
        return tr("Report")

    def shortHelpString(self):
        return tr("<p>Runs <code>trygg report PROJECT.yaml</code>: the workshop report (HTML, and PDF unless NO_PDF) "
                  "from the project's last run.</p>")

    def initAlgorithm(self, config=None):
        self._add_project_param()
        self.addParameter(QgsProcessingParameterBoolean("PUBLISH", tr("Publish profile"), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean("NO_PDF", tr("HTML only (no PDF)"), defaultValue=False))
        self.addOutput(QgsProcessingOutputHtml("HTML", tr("Report (HTML)")))
        self.addOutput(QgsProcessingOutputFile("PDF", tr("Report (PDF)")))

    def processAlgorithm(self, parameters, context, feedback):
        project = self._project(parameters, context)
        args = ["report", project]
        if self.parameterAsBool(parameters, "PUBLISH", context):
            args.append("--publish")
        if self.parameterAsBool(parameters, "NO_PDF", context):
            args.append("--no-pdf")
        _, stdout, _ = self._run(args, feedback, cwd=os.path.dirname(os.path.abspath(project)))
        files = results.reported_files(stdout, require_exists=True)
        return {"HTML": next((f for f in files if f.lower().endswith(".html")), None),
                "PDF": next((f for f in files if f.lower().endswith(".pdf")), None)}


class BenchAlgorithm(TryggAlgorithm):
    def createInstance(self):
        return BenchAlgorithm()

    def name(self):
        return "bench"

    def displayName(self):
        return tr("Benchmark")

    def group(self):
        return tr("Project")

    def groupId(self):
        return "project"

    def shortHelpString(self):
        return tr("<p>Runs <code>trygg bench BENCH.yaml</code>: scores hotspot forecasting methods by PAI, PEI*, hit "
                  "rate and RRI over rolling forecast dates (docs/bench.md). OUTPUT overrides the file's "
                  "<code>output:</code>.</p>")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "CONFIG", tr("Bench file (YAML)"), QgsProcessingParameterFile.File, fileFilter=tr("trygg bench (*.yaml *.yml)")))
        self.addParameter(QgsProcessingParameterNumber("THREADS", tr("Worker threads (0 = all cores)"),
                                                       QgsProcessingParameterNumber.Integer, 0, False, 0))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", tr("Output folder"), optional=True))

    def processAlgorithm(self, parameters, context, feedback):
        config = self.parameterAsFile(parameters, "CONFIG", context)
        args = ["bench", config]
        threads = self.parameterAsInt(parameters, "THREADS", context)
        if threads:
            args += ["--threads", str(threads)]
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context) if parameters.get("OUTPUT") else ""
        if out:
            os.makedirs(out, exist_ok=True)
            args += ["--out", out]
        self._run(args, feedback, cwd=os.path.dirname(os.path.abspath(config)))
        return {"OUTPUT": out or None}

