#!/usr/bin/env bash
# On a fresh machine: install what is needed, build, and run the main job
# (sign-off of the shipped SoC example), then render its ParaView views.
# Results: chiptherm-out/soc-demo/ (report.json, blocks.csv, solution.pvd, views/*.png)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
status=0
./build/app/chiptherm signoff examples/soc_demo/soc_demo.yaml -o chiptherm-out/soc-demo || status=$?
if [ -f chiptherm-out/soc-demo/report.json ]; then
  xvfb-run -a pvpython paraview/render_views.py chiptherm-out/soc-demo
fi
exit "$status"
