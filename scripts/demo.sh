#!/usr/bin/env bash
# Installs what is missing, builds, writes the demo town's input files and runs
# the demo project. Results land in demo/output/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
TARGET=trygg scripts/build.sh
build/bin/trygg demo demo/data
build/bin/trygg run demo/project.yaml
