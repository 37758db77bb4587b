#!/usr/bin/env bash
# The main job. Until the experiment harness lands, it runs the tensor-engine benchmark
# (sgemm and a Llama decoder block, side by side with PyTorch CPU).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
if [ $# -eq 0 ]; then set -- sgemm block; fi
dotnet run -c Release --project bench/LvlmEval.Bench -- "$@"
