#!/usr/bin/env bash
# Installs what trygg needs from Debian 12's packages (idempotent; run as root
# or with sudo available). Skips apt entirely when everything is present.
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data libboost-dev
  libsqlite3-dev libspatialite-dev libsqlite3-mod-spatialite sqlite3
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libtbb-dev libhowardhinnant-date-dev tzdata
  googletest libgtest-dev libgmock-dev libbenchmark-dev xz-utils
  qgis qgis-providers python3-qgis fonts-dejavu-core  # tests/qgis: QGIS itself draws every output layer (headless)
  libmapnik-dev chromium poppler-utils)  # the workshop report: maps (Mapnik), PDF and browser test (Chromium, pdftoppm)
# Extra packages for the reference-value scripts and plots
# (not needed to build or test): scripts/setup.sh --reference
if [ "${1:-}" = "--reference" ]; then
  PKGS+=(r-base-core r-cran-spdep r-cran-spatstat r-cran-sf
         python3-numpy python3-gdal python3-matplotlib gnuplot-nox time bc)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PKGS[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
