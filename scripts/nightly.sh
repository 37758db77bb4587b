#!/usr/bin/env bash
# Nightly regression run (docs/NIGHTLY.md): run experiments/nightly.yaml into reports/nightly/DATE, compare it with
# the rolling baseline, and promote it to baseline when nothing regressed. Exit 1 on a regression.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
today="reports/nightly/$(date -u +%F)"
baseline=reports/nightly/baseline
resume=()
[ -f "$today/manifest.json" ] && resume=(--resume)
./lvlm-eval run experiments/nightly.yaml --out "$today" --threads 2 "${resume[@]}"
if [ -d "$baseline" ]; then
  ./lvlm-eval compare "$baseline" "$today" --fail-on-regression --json "$today/compare.json"
fi
rm -rf "$baseline"
cp -r "$today" "$baseline"
echo "nightly: $today promoted to baseline"
