#!/usr/bin/env bash
# Installs everything LvlmEval needs on a fresh Debian machine. Idempotent; silent when all is present.
#   native libraries: OpenBLAS (sgemm), libjpeg-turbo, libspng, ICU (Unicode normalization for tokenizers)
#   test oracles:     Debian's python3 with PyTorch, NumPy, Pillow and matplotlib; Node packages in tests/oracles
#   reports:          DejaVu fonts for chart text (ScottPlot); Chromium only runs the report's and explorer's browser tests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

debian_packages=(
  libopenblas0-pthread
  libturbojpeg0
  libspng0
  libicu72
  python3-torch
  python3-numpy
  python3-pil
  python3-sklearn
  python3-matplotlib
  fonts-dejavu-core
  chromium
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node oracles (HF tokenizers): pinned by the committed package-lock.json. `npm ci` installs exactly the lock and
# never rewrites it, so a fresh clone stays clean (`npm install` may re-resolve and rewrite the committed lock).
oracles="$root/tests/oracles"
if [ -f "$oracles/package-lock.json" ]; then
  stamp="$oracles/node_modules/.lvlmeval-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$oracles/package-lock.json" "$stamp"; then
    echo "setup: installing Node oracle packages (tests/oracles)"
    (cd "$oracles" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$oracles/package-lock.json" "$stamp"
  fi
fi
