#!/usr/bin/env bash
# The one test command (README, .ci/run): type check, lint, then every jest
# tier against real services; ends with `tests: N passed, N failed[, N skipped]`.
# `scripts/test.sh e2e` runs the end-to-end tier alone, `scripts/test.sh chaos [--long]`
# the fault suite alone (npm run test:chaos; --long: the faults as long as issue 14's table).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-deps.sh
sb_ensure_node
if [ "$(id -u)" = "0" ]; then
  sb_ensure_debian_packages "the test database" "/usr/lib/postgresql:postgresql"
fi
sb_ensure_debian_packages "tests with real services" \
  "redis-server:redis-server" "rtpengine:rtpengine-daemon" "sipp:sip-tester" \
  "chromium:chromium" "espeak-ng:espeak-ng" "sox:sox" "openssl:openssl" \
  "certutil:libnss3-tools" "baresip:baresip-core" \
  "gst-launch-1.0:gstreamer1.0-tools" "/usr/share/doc/gstreamer1.0-plugins-base/copyright:gstreamer1.0-plugins-base" \
  "/usr/share/doc/gstreamer1.0-plugins-good/copyright:gstreamer1.0-plugins-good"

tier=${1:-all}
for arg in "${@:2}"; do
  [ "$arg" = --long ] && export CHAOS_LONG=1
done
status=0
mkdir -p artifacts
if [ "$tier" = all ]; then
  echo "== type check"; npx tsc -p tsconfig.json --noEmit || status=1
  echo "== type check (browser apps)"; npx tsc -p src/web/tsconfig.json --noEmit || status=1
  echo "== lint"; npx eslint . || status=1
fi
echo "== build browser apps"; npx tsx scripts/build-web.ts || status=1
if ! command -v drachtio >/dev/null 2>&1 && [ -z "${DRACHTIO_HOST:-}" ]; then
  echo "!! no drachtio binary on PATH and DRACHTIO_HOST unset: tests that need drachtio-server will be SKIPPED (listed below)"
fi
projects=()
[ "$tier" = e2e ] && projects=(--selectProjects e2e)
[ "$tier" = chaos ] && projects=(--selectProjects chaos)
echo "== jest ${projects[*]:-(unit, integration, e2e, chaos)}"
npx jest "${projects[@]}" --forceExit --json --outputFile=artifacts/jest-results.json || status=1
node scripts/summarise-jest.cjs artifacts/jest-results.json || status=1
exit $status
