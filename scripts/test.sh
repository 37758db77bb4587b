#!/usr/bin/env bash
# Runs the whole test suite (after setup). Extra arguments go to `dotnet test`, e.g. --filter Name~Softmax.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" || exit 1
cd "$root"
log="$(mktemp)"
dotnet test tests/LvlmEval.Tests/LvlmEval.Tests.csproj -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One plain summary line that any log reader understands.
summary=$(grep -E 'Failed: *[0-9]+, *Passed: *[0-9]+' "$log" | tail -n 1)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
rm -f "$log"
exit "$status"
