#!/usr/bin/python3
"""The trygg QGIS plugin end to end (docs/qgis.md), headless.

Installs the plugin with scripts/install-qgis-plugin.sh into a temporary QGIS
profile, then:
  1. `qgis_process list` shows every algorithm (one per method of `trygg methods --json`, plus the project ones);
  2. every hotspot algorithm runs through qgis_process on a GeoPackage of demo incidents and through PyQGIS
     `processing.run` on the demo CSV (a delimited-text layer) and on an in-memory layer (exported to a temporary
     GeoPackage), and each output equals the same method run by the trygg CLI directly: the GeoTIFF's bytes, every
     row of the result tables (geometry included), the CSV/text files;
  3. results open in the project in a group named after the run, with trygg's styles;
  4. cancelling a long run stops the trygg process and leaves no output folder;
  5. a model with trygg:kde gives the same raster; Validate project and Run project run; Report (when this trygg
     has `trygg report`) is listed and writes the HTML.
Exit 0 pass, 1 fail, 77 skip (no PyQGIS / qgis_process).
Usage: plugin_test.py --trygg build/bin/trygg [--keep]
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
N_POINTS = 2500
# Small settings so the five methods run in seconds (the comparison is what matters, not the statistics).
SETTINGS = {
    "kde": {"bandwidth": "200"},
    "getis_ord": {"permutations": "99"},
    "local_moran": {"permutations": "99"},
    "emerging": {},
    "near_repeat": {"permutations": "19"},
}

failures = []

TINY_PROJECT = """project:
  name: tiny
  crs: EPSG:3006
  output: output
  output_name: tiny
layers:
  areas:
    source: {areas}
    layer: areas
    columns: {{id: id, name: name}}
  incidents:
    name: reports
    source: {csv}
    crs: EPSG:3006
    columns: {{id: id, x: x, y: y, time: time, category: category}}
analyses:
  - method: hotspot.kde
    name: kde_all
    bandwidth: 200
    cell: 20
"""


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg, flush=True)
    if not cond:
        failures.append(msg)
    return cond


def qgis_process_exe():
    # Debian 12's /usr/bin/qgis_process wrapper passes --noversioncheck (from /etc/default/qgis), which
    # qgis_process 3.22 refuses; the real program is qgis_process.bin beside it.
    for name in ("qgis_process.bin", "qgis_process"):
        path = shutil.which(name) or (os.path.join("/usr/bin", name) if os.path.exists(os.path.join("/usr/bin", name)) else None)
        if path:
            return path
    return None


def table_rows(gpkg, table):
    db = sqlite3.connect("file:{}?mode=ro".format(gpkg), uri=True)
    try:
        cols = [r[1] for r in db.execute('PRAGMA table_info("{}")'.format(table))]
        rows = db.execute('SELECT * FROM "{}" ORDER BY 1'.format(table)).fetchall()
        return cols, rows
    finally:
        db.close()


def result_tables(gpkg, analysis):
    db = sqlite3.connect("file:{}?mode=ro".format(gpkg), uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")]
    finally:
        db.close()
    return sorted(n for n in names if n == analysis or n.startswith(analysis + "_"))


def compare_outputs(method, ref_dir, ref_stem, got_dir, got_stem, how):
    """The run in got_dir equals the CLI's in ref_dir: rasters byte for byte, result tables row for row, text files."""
    ok = True
    ref_files = sorted(f for f in os.listdir(ref_dir) if f.startswith(ref_stem + "_" + method))
    check(bool(ref_files) or method != "kde", "{}: the CLI wrote the method's files".format(method))
    for f in ref_files:
        got = os.path.join(got_dir, got_stem + f[len(ref_stem):])
        if not check(os.path.isfile(got), "{} {}: {} exists".format(how, method, os.path.basename(got))):
            ok = False
            continue
        with open(os.path.join(ref_dir, f), "rb") as a, open(got, "rb") as b:
            ok &= check(a.read() == b.read(), "{} {}: {} identical to the CLI's".format(how, method, f))
    ref_gpkg, got_gpkg = os.path.join(ref_dir, ref_stem + ".gpkg"), os.path.join(got_dir, got_stem + ".gpkg")
    tables = result_tables(ref_gpkg, method)
    check(bool(tables) or method == "kde", "{}: the CLI wrote result tables {}".format(method, tables))
    for t in tables:
        rc, rr = table_rows(ref_gpkg, t)
        gc, gr = table_rows(got_gpkg, t)
        ok &= check(rc == gc and rr == gr and len(rr) > 0,
                    "{} {}: table {} identical to the CLI's ({} rows, {} fields)".format(how, method, t, len(rr), len(rc)))
    return ok


def run(cmd, env=None, timeout=600):
    t = time.time()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace"), time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trygg", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    trygg = os.path.abspath(args.trygg)
    qp = qgis_process_exe()
    try:
        import qgis.core  # noqa: F401
    except ImportError:
        print("skip: no PyQGIS (python3-qgis)")
        return 77
    if not qp:
        print("skip: no qgis_process")
        return 77

    work = tempfile.mkdtemp(prefix="trygg-qgis-plugin-")
    t0 = time.time()
    try:
        return body(trygg, qp, work)
    finally:
        print("total {:.1f} s".format(time.time() - t0))
        if args.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def body(trygg, qp, work):
    # Demo data: the first N incidents as a CSV (x, y, time, category in EPSG:3006) and as a GeoPackage.
    rc, out, _ = run([trygg, "demo", os.path.join(work, "data")])
    assert rc == 0, out
    csv = os.path.join(work, "incidents.csv")
    with open(os.path.join(work, "data", "incidents.csv"), encoding="utf-8") as f, open(csv, "w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i > N_POINTS:
                break
            g.write(line)
    gpkg = os.path.join(work, "incidents.gpkg")
    rc, out, _ = run(["ogr2ogr", "-f", "GPKG", gpkg, csv, "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y",
                      "-a_srs", "EPSG:3006", "-nln", "incidents", "-nlt", "POINT"])
    assert rc == 0, out

    # The plugin, installed by the documented script into a temporary profile.
    config = os.path.join(work, "qgis-config")
    profile = os.path.join(config, "profiles", "default")
    rc, out, _ = run([os.path.join(ROOT, "scripts", "install-qgis-plugin.sh"), profile])
    check(rc == 0 and os.path.isfile(os.path.join(profile, "python", "plugins", "trygg", "metadata.txt")),
          "install-qgis-plugin.sh installs into the profile: " + out.strip().splitlines()[0] if out.strip() else "")
    zip_path = os.path.join(work, "trygg.zip")
    rc, out, _ = run([os.path.join(ROOT, "scripts", "install-qgis-plugin.sh"), "--zip", zip_path])
    import zipfile
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
    check(rc == 0 and "trygg/metadata.txt" in names and "trygg/__init__.py" in names,
          "install-qgis-plugin.sh --zip builds a zip with trygg/metadata.txt")

    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=config,
               PATH=os.path.dirname(trygg) + os.pathsep + env.get("PATH", ""))
    env.pop("TRYGG_EXECUTABLE", None)
    methods = json.loads(subprocess.run([trygg, "methods", "--json"], stdout=subprocess.PIPE, check=True).stdout)
    commands = [m["hotspots_command"] for m in methods["methods"] if m.get("hotspots_command")]
    check(set(SETTINGS) <= set(commands), "trygg methods --json lists the five hotspot methods: {}".format(commands))

    # 1. qgis_process list
    rc, out, secs = run([qp, "list"], env)
    listed = {line.split()[0] for line in out.splitlines() if line.strip().startswith("trygg:")}
    expected = {"trygg:" + c for c in commands} | {"trygg:run_project", "trygg:validate_project", "trygg:bench"}
    check(rc == 0 and expected <= listed, "qgis_process list shows {} ({:.1f} s)".format(sorted(expected), secs))
    sys.path.insert(0, os.path.join(profile, "python", "plugins"))
    from trygg import trygg_process
    has_report = trygg_process.has_command(trygg, "report")
    check(("trygg:report" in listed) == has_report,
          "Report is listed exactly when this trygg has `trygg report` ({})".format(has_report))

    # 2a. The CLI directly, on the GeoPackage and on the CSV.
    ref = {}
    for c in SETTINGS:
        for kind, src, extra in (("gpkg", gpkg, []), ("csv", csv, ["--x", "x", "--y", "y", "--crs", "EPSG:3006"])):
            out_dir = os.path.join(work, "cli", kind, c)
            flags = [x for k, v in SETTINGS[c].items() for x in ("--" + k, v)]
            rc, out, secs = run([trygg, "-q", "hotspots", c, "--input", src] + extra +
                                ["--time", "time", "--category", "category", "--out", out_dir] + flags)
            assert rc == 0, out
            ref[(kind, c)] = out_dir
        print("     CLI {} done".format(c), flush=True)

    # 2b. qgis_process run trygg:<method> on the GeoPackage.
    for c in SETTINGS:
        out_dir = os.path.join(work, "qgis_process", c)
        params = ["INPUT=" + gpkg, "TIME_FIELD=time", "CATEGORY_FIELD=category", "OUTPUT=" + out_dir]
        params += ["{}={}".format(k.upper(), v) for k, v in SETTINGS[c].items()]
        rc, out, secs = run([qp, "run", "trygg:" + c, "--"] + params, env)
        if not check(rc == 0, "qgis_process run trygg:{} ({:.1f} s)".format(c, secs)):
            print(out)
            continue
        check("Reading incidents" in out, "qgis_process run trygg:{}: trygg's progress stages reach the feedback".format(c))
        compare_outputs(c, ref[("gpkg", c)], "incidents", out_dir, "incidents", "qgis_process")

    # 2c. PyQGIS processing.run, in this process.
    os.environ.update(env)
    from qgis.core import (QgsApplication, QgsFeature, QgsProcessingContext, QgsProcessingFeedback, QgsProject,
                           QgsRasterLayer, QgsVectorLayer)
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing
    Processing.initialize()
    import trygg as trygg_plugin
    plugin = trygg_plugin.classFactory(None)
    plugin.initProcessing()
    check(QgsApplication.processingRegistry().algorithmById("trygg:kde") is not None,
          "PyQGIS: the provider registers trygg:kde")

    uri = "file://{}?type=csv&xField=x&yField=y&crs=EPSG:3006&detectTypes=yes&geomType=point".format(csv)
    csv_layer = QgsVectorLayer(uri, "incidents", "delimitedtext")
    check(csv_layer.isValid() and csv_layer.featureCount() == N_POINTS, "PyQGIS: the CSV opens as a point layer")
    project = QgsProject.instance()
    project.addMapLayer(csv_layer)
    for c in SETTINGS:
        context = QgsProcessingContext()
        context.setProject(project)
        feedback = Feedback()
        out_dir = os.path.join(work, "pyqgis", c)
        params = {"INPUT": csv_layer, "TIME_FIELD": "time", "CATEGORY_FIELD": "category", "OUTPUT": out_dir}
        params.update({k.upper(): v for k, v in SETTINGS[c].items()})
        t = time.time()
        try:
            res = processing.run("trygg:" + c, params, context=context, feedback=feedback)
        except Exception as e:  # noqa: BLE001
            check(False, "processing.run trygg:{}: {}\n{}".format(c, e, "\n".join(feedback.log)))
            continue
        check(True, "processing.run trygg:{} ({:.1f} s)".format(c, time.time() - t))
        check(any("--x x --y y" in l for l in feedback.log),
              "processing.run trygg:{}: the delimited-text CSV goes to trygg as it is".format(c))
        check(feedback.progress_values and max(feedback.progress_values) == 100.0 and
              feedback.progress_values == sorted(feedback.progress_values),
              "processing.run trygg:{}: the progress bar rises to 100 ({} updates)".format(c, len(feedback.progress_values)))
        compare_outputs(c, ref[("csv", c)], "incidents", out_dir, "incidents", "processing.run")
        check(os.path.isfile(res.get("SUMMARY") or ""), "processing.run trygg:{}: SUMMARY output".format(c))
        # 3. The results are in the project, in a group named after the run, styled.
        groups = [g for g in project.layerTreeRoot().children() if g.name().startswith("trygg {}:".format(c))]
        if check(len(groups) == 1, "trygg:{}: one layer group named after the run ({})".format(
                c, [g.name() for g in groups])):
            layers = [l.layer() for l in groups[0].findLayers()]
            check(len(layers) == len(res["LAYERS"]) and len(layers) > 0,
                  "trygg:{}: the group holds the {} result layers".format(c, len(res["LAYERS"])))
            for layer in layers:
                if isinstance(layer, QgsRasterLayer):
                    check(layer.renderer().type() == "singlebandpseudocolor",
                          "trygg:{}: raster {} drawn with its .qml ({})".format(c, layer.name(), layer.renderer().type()))
                elif layer.isSpatial():
                    check(layer.renderer().type() in ("categorizedSymbol", "graduatedSymbol", "RuleRenderer"),
                          "trygg:{}: layer {} drawn with the GeoPackage's style ({})".format(
                              c, layer.name(), layer.renderer().type()))

    # 2d. A layer trygg cannot read (in memory): exported to a temporary GeoPackage, same result.
    mem = QgsVectorLayer("Point?crs=EPSG:3006", "incidents in memory", "memory")
    mem.dataProvider().addAttributes(csv_layer.fields().toList())
    mem.updateFields()
    mem.dataProvider().addFeatures([QgsFeature(f) for f in csv_layer.getFeatures()])
    out_dir = os.path.join(work, "pyqgis_memory", "kde")
    feedback = Feedback()
    res = processing.run("trygg:kde", {"INPUT": mem, "TIME_FIELD": "time", "CATEGORY_FIELD": "category",
                                       "BANDWIDTH": 200, "LOAD_OUTPUTS": False, "OUTPUT": out_dir}, feedback=feedback)
    stem = os.path.basename(res["GEOPACKAGE"])[:-len(".gpkg")]
    compare_outputs("kde", ref[("csv", "kde")], "incidents", out_dir, stem, "memory layer")

    # In a model (what the graphical modeler builds): the model's input feeds trygg:kde, same raster.
    from qgis.core import (QgsProcessing, QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                           QgsProcessingModelChildParameterSource, QgsProcessingModelOutput,
                           QgsProcessingModelParameter, QgsProcessingParameterFeatureSource)
    model = QgsProcessingModelAlgorithm("trygg kde model", "tests")
    model.addModelParameter(QgsProcessingParameterFeatureSource("points", "points", [QgsProcessing.TypeVectorPoint]),
                            QgsProcessingModelParameter("points"))
    child = QgsProcessingModelChildAlgorithm("trygg:kde")
    child.setChildId("kde")
    child.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromModelParameter("points")])
    for name, value in (("TIME_FIELD", "time"), ("CATEGORY_FIELD", "category"), ("BANDWIDTH", 200)):
        child.addParameterSources(name, [QgsProcessingModelChildParameterSource.fromStaticValue(value)])
    folder = QgsProcessingModelOutput("folder", "folder")
    folder.setChildOutputName("OUTPUT")
    child.setModelOutputs({"folder": folder})
    model.addChildAlgorithm(child)
    model.initAlgorithm({})
    out_dir = os.path.join(work, "model", "kde")
    try:
        res = processing.run(model, {"points": gpkg + "|layername=incidents", "kde:folder": out_dir},
                             feedback=Feedback())
        check(res["CHILD_RESULTS"]["kde"]["RASTER"].endswith("incidents_kde.tif"), "a model runs trygg:kde")
        compare_outputs("kde", ref[("gpkg", "kde")], "incidents", out_dir, "incidents", "model")
    except Exception as e:  # noqa: BLE001
        check(False, "a model runs trygg:kde: {}".format(e))

    # 4. Cancel a long run: the trygg process goes, the output folder does not stay.
    cancel_dir = os.path.join(work, "cancel", "out")
    feedback = Feedback()
    seen = {}

    def canceller():
        end = time.time() + 120
        while time.time() < end:
            pid = find_process(cancel_dir)
            if pid:
                seen["pid"] = pid
                time.sleep(1.5)
                seen["alive_before"] = process_alive(pid)
                feedback.cancel()
                return
            time.sleep(0.05)

    t = threading.Thread(target=canceller)
    t.start()
    t_cancel = time.time()
    try:
        processing.run("trygg:near_repeat", {
            "INPUT": csv_layer, "TIME_FIELD": "time",
            "PERMUTATIONS": 99999, "OUTPUT": cancel_dir}, feedback=feedback)
        canceled = False
    except Exception as e:  # noqa: BLE001
        canceled = "Canceled" in str(e)
    t.join()
    check(canceled and seen.get("alive_before"),
          "cancel: the run stops with 'Canceled' after {:.1f} s".format(time.time() - t_cancel))
    check(seen.get("pid") and not process_alive(seen["pid"]) and not find_process(cancel_dir),
          "cancel: the trygg process (pid {}) is gone".format(seen.get("pid")))
    check(not os.path.exists(cancel_dir), "cancel: no partial output left ({} does not exist)".format(cancel_dir))

    # An error of trygg's reaches the log as it is.
    feedback = Feedback()
    try:
        processing.run("trygg:kde", {"INPUT": csv_layer, "TIME_FIELD": "time", "HOURS": "25-99",
                                     "OUTPUT": os.path.join(work, "bad")}, feedback=feedback)
        failed = None
    except Exception as e:  # noqa: BLE001
        failed = str(e)
    check(failed and "hours" in failed and any("hours" in l for l in feedback.errors),
          "a bad parameter fails with trygg's own message: {}".format((failed or "").strip().splitlines()[:1]))

    # 5. Validate project on the demo project.
    demo = os.path.join(work, "demo")
    shutil.copytree(os.path.join(work, "data"), os.path.join(demo, "data"))
    shutil.copy(os.path.join(ROOT, "demo", "project.yaml"), demo)
    feedback = Feedback()
    res = processing.run("trygg:validate_project", {"PROJECT": os.path.join(demo, "project.yaml")}, feedback=feedback)
    check("reports" in res["REPORT"] and "loaded" in res["REPORT"], "Validate project returns trygg's report")
    check(not os.path.exists(os.path.join(demo, "output")), "Validate project writes nothing")

    # Run project on a small project (areas + the 2 500 incidents + one kde): the GeoPackage and
    # raster it writes, opened in a group named after the run.
    tiny = os.path.join(work, "tiny")
    os.makedirs(tiny)
    with open(os.path.join(tiny, "project.yaml"), "w", encoding="utf-8") as f:
        f.write(TINY_PROJECT.format(areas=os.path.join(work, "data", "areas.gpkg"), csv=csv))
    feedback = Feedback()
    try:
        res = processing.run("trygg:run_project", {"PROJECT": os.path.join(tiny, "project.yaml"), "NO_REPORT": True},
                             context=context, feedback=feedback)
    except Exception as e:  # noqa: BLE001
        res = {}
        print("\n".join(feedback.log + feedback.errors), e)
    check(os.path.isfile(res.get("GEOPACKAGE") or "") and res["GEOPACKAGE"].endswith("tiny.gpkg"),
          "Run project writes the project's GeoPackage ({})".format(res.get("GEOPACKAGE")))
    check(any(l.endswith("tiny_kde_all.tif") for l in res.get("LAYERS", [])), "Run project reports the raster")
    groups = [g for g in project.layerTreeRoot().children() if g.name().startswith("trygg run: tiny")]
    check(len(groups) == 1 and any(l.name() == "tiny_kde_all" for l in groups[0].findLayers()),
          "Run project opens its layers in a group named after the run")

    if has_report:
        feedback = Feedback()
        try:
            res = processing.run("trygg:report", {"PROJECT": os.path.join(tiny, "project.yaml"), "NO_PDF": True},
                                 feedback=feedback)
            check(os.path.isfile(res.get("HTML") or ""), "Report writes the HTML report ({})".format(res.get("HTML")))
        except Exception as e:  # noqa: BLE001
            check(False, "Report: {}\n{}".format(e, "\n".join(feedback.log + feedback.errors)))
    else:
        print("skip: Report (this trygg has no `trygg report`)")

    app.exitQgis()
    print("{} failure(s)".format(len(failures)))
    return 1 if failures else 0


class Feedback:
    """Records what the algorithm reports; cancel() from another thread, like the dialog's Cancel button."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _F(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.log, self.errors, self.progress_values = [], [], []
                self.progressChanged.connect(self.progress_values.append)

            def pushInfo(self, info):
                self.log.append(info)
                super().pushInfo(info)

            def pushCommandInfo(self, info):
                self.log.append(info)
                super().pushCommandInfo(info)

            def reportError(self, error, fatalError=False):
                self.errors.append(error)
                super().reportError(error, fatalError)

        return _F()


def find_process(marker):
    """The pid of a trygg process whose command line mentions `marker`, or None."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/{}/cmdline".format(pid), "rb") as f:
                cmd = f.read().split(b"\0")
        except OSError:
            continue
        if cmd and os.path.basename(cmd[0]) == b"trygg" and any(marker.encode() in c for c in cmd):
            return int(pid)
    return None


def process_alive(pid):
    try:
        with open("/proc/{}/stat".format(pid)) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
