#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the quickstart experiment (the two shipped tiny models on
# Shapes, every explainer and every metric; about 3 minutes on 2 cores). Results land in reports/quickstart/.
# Extra arguments go to `lvlm-eval run`, e.g. ./scripts/quickstart.sh --limit 4 --out reports/try
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
out=reports/quickstart
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--out" ]; then j=$((i + 1)); out="${!j}"; fi
done
# A finished quickstart is replaced; an interrupted one is resumed.
if [ -f "$out/manifest.json" ] && grep -q '"finished_utc": null' "$out/manifest.json"; then
  exec ./lvlm-eval run experiments/quickstart.yaml --resume "$@"
fi
rm -rf "$out"
exec ./lvlm-eval run experiments/quickstart.yaml "$@"
