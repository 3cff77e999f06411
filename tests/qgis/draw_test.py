#!/usr/bin/python3
"""ctest: QGIS itself (headless PyQGIS) draws every layer trygg writes.

  draw_test.py --trygg build/bin/trygg demo       # the demo town: trygg demo + trygg run
  draw_test.py --trygg build/bin/trygg portland   # real data: ../shared/data/nij_portland_cfs (hotspots)
  draw_test.py --trygg build/bin/trygg helsinki   # real data: ../shared/data/osm_helsinki_centre (safety)

Runs the project in a temporary folder, then scripts/check_qml.py on the
GeoPackage and every raster beside it (style applied, every feature drawn, the
layer paints pixels, labels where a GIS officer expects them, one feature per
point in output point layers, raster legends rounded with a unit).
Exit 0 = pass, 1 = fail, 77 = skipped (no PyQGIS, or no ../shared/data).
--keep DIR keeps the run's files there.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(SOURCE), "shared", "data")
SKIP = 77

# Known failures (work in progress elsewhere): none. The check is strict.
# Format: "LAYER_GLOB:CHECK" (see scripts/check_qml.py --xfail).
KNOWN = {
    "demo": [],
    "portland": [],
    "helsinki": [],
}


def have_pyqgis():
    return subprocess.run(["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).returncode == 0


def run(cmd, **kw):
    print("$", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        print(r.stdout, r.stderr, sep="\n")
        sys.exit(f"FAILED ({r.returncode}): {' '.join(cmd)}")
    return r


def demo(trygg, work):
    run([trygg, "--quiet", "demo", os.path.join(work, "data")])
    shutil.copy(os.path.join(SOURCE, "demo", "project.yaml"), os.path.join(work, "project.yaml"))
    run([trygg, "--quiet", "run", os.path.join(work, "project.yaml")])
    return os.path.join(work, "output", "angsby.gpkg")


PORTLAND = """\
# Real data: Portland Police Bureau calls for service (NIJ Real-Time Crime
# Forecasting Challenge, CC0), burglary and motor vehicle theft 2012-03..2017-01,
# in the 60 police districts, EPSG:2913 (international feet). ../shared/data/nij_portland_cfs/README.md
project:
  name: Portland burglary and vehicle theft (NIJ RTCFC)
  crs: default
  output: output
  output_name: portland
  time_zone: America/Los_Angeles
layers:
  areas:
    source: {d}/portland_police_districts_epsg2913.gpkg
    columns: {{id: DISTRICT, name: DISTRICT}}
  incidents:
    - name: burglary
      source: {d}/nij_cfs_burglary_2012-03_2017-01.csv
      crs: EPSG:2913
      columns: {{x: x_ft, y: y_ft, time: occ_date, category: category}}
      categories: {{burglary: [BURGLARY], vehicle_crime: [MOTOR VEHICLE THEFT]}}
    - name: vehicle_theft
      source: {d}/nij_cfs_motor_vehicle_theft_2012-03_2017-01.csv
      crs: EPSG:2913
      columns: {{x: x_ft, y: y_ft, time: occ_date, category: category}}
      categories: {{burglary: [BURGLARY], vehicle_crime: [MOTOR VEHICLE THEFT]}}
analyses:
  - method: hotspot.kde
    name: kde_burglary
    categories: [burglary]
    bandwidth: 2000 ft
    cell: 500 ft
  - method: hotspot.kde
    name: kde_all
    bandwidth: 2500 ft
    cell: 500 ft
    output: density
  - method: hotspot.getis_ord
    name: gistar
    cell: 2000 ft
    band: 3000 ft
    permutations: 99
    seed: 1
  - method: hotspot.local_moran
    name: lisa
    cell: 2000 ft
    band: 3000 ft
    permutations: 99
    seed: 1
  - method: hotspot.emerging
    name: emerging
    cell: 3000 ft
    band: 3000 ft
    weights: distance_band
    step: 6 months
    from: 2012-03-01
    to: 2016-12-31
  - method: hotspot.near_repeat
    name: near_repeat_burglary
    categories: [burglary]
    spatial_bands: [0, 400, 800, 1600]
    temporal_bands: [0, 7, 14, 28]
    permutations: 99
    seed: 1
"""


def portland(trygg, work):
    d = os.path.join(SHARED, "nij_portland_cfs")
    if not os.path.exists(os.path.join(d, "nij_cfs_burglary_2012-03_2017-01.csv")):
        print(f"SKIP: no {d} (../shared/data is not beside the repository); the real-data draw test needs it")
        sys.exit(SKIP)
    with open(os.path.join(work, "project.yaml"), "w") as f:
        f.write(PORTLAND.format(d=d))
    run([trygg, "--quiet", "run", os.path.join(work, "project.yaml")])
    return os.path.join(work, "output", "portland.gpkg")


HELSINKI_AREAS = """\
id,name,wkt
W,Kamppi (west half),"POLYGON((24.93518 60.16416,24.9443 60.16416,24.9443 60.17911,24.93518 60.17911,24.93518 60.16416))"
E,Kluuvi (east half),"POLYGON((24.9443 60.16416,24.95341 60.16416,24.95341 60.17911,24.9443 60.17911,24.9443 60.16416))"
"""

HELSINKI = """\
# Real data: central Helsinki from OpenStreetMap (© OpenStreetMap contributors, ODbL),
# ../shared/data/osm_helsinki_centre/README.md: bars, pubs, nightclubs and fast food as
# places, the 586 street lamps as measures, the safety analysis on them (a planner's run
# with street lamps only, no inspections). The two areas are the extract's bounding box
# cut in half (not official boundaries).
project: {{name: Helsinki centre (OSM), crs: EPSG:3067, output: output, output_name: helsinki}}
layers:
  areas: {{source: areas.csv, crs: EPSG:4326, columns: {{id: id, name: name, geometry: wkt}}}}
  places:
    source: {d}/places_poi.geojson
    filter: "amenity IN ('pub', 'bar', 'nightclub', 'fast_food')"
    radius: 50
    columns: {{id: "@id", name: name, kind: amenity}}
  measures:
    - {{name: lamps, source: {d}/street_lamps.geojson, kind: street_light, radius: 20, columns: {{id: "@id"}}}}
analyses:
  - {{method: safety.analysis, name: safety, seed: 1}}
"""


def helsinki(trygg, work):
    d = os.path.join(SHARED, "osm_helsinki_centre")
    if not os.path.exists(os.path.join(d, "places_poi.geojson")):
        print(f"SKIP: no {d} (../shared/data is not beside the repository); the real-data draw test needs it")
        sys.exit(SKIP)
    with open(os.path.join(work, "areas.csv"), "w") as f:
        f.write(HELSINKI_AREAS)
    with open(os.path.join(work, "project.yaml"), "w") as f:
        f.write(HELSINKI.format(d=d))
    run([trygg, "--quiet", "run", os.path.join(work, "project.yaml")])
    return os.path.join(work, "output", "helsinki.gpkg")


CASES = {"demo": demo, "portland": portland, "helsinki": helsinki}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trygg", required=True)
    ap.add_argument("--keep", help="keep the run's files in this folder")
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    if not have_pyqgis():
        print("SKIP: PyQGIS is not installed (Debian's qgis and python3-qgis; scripts/setup.sh installs them)")
        return SKIP
    work = args.keep or tempfile.mkdtemp(prefix=f"trygg_qgis_{args.case}_")
    os.makedirs(work, exist_ok=True)
    try:
        gpkg = CASES[args.case](args.trygg, work)
        cmd = ["/usr/bin/python3", os.path.join(SOURCE, "scripts", "check_qml.py"), gpkg, "--all-rasters"]
        for x in KNOWN[args.case]:
            cmd += ["--xfail", x]
        print("$", " ".join(cmd), flush=True)
        r = subprocess.run(cmd, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        return 1 if r.returncode != 0 else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
