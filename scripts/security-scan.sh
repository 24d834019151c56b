#!/usr/bin/env bash
# npm run security:scan (README): installs sipvicious when root (else names
# what is missing; the SIP part then counts as a finding, never as a pass) and
# runs scripts/security-scan.ts. Exit status 1 on any finding.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-deps.sh
sb_ensure_node
sb_ensure_debian_packages "the security scan's SIP attacks" "svcrack:sipvicious"
if ! command -v drachtio >/dev/null 2>&1; then
  sb_say "no drachtio binary on PATH: the test instance has no SIP, and the scan reports its SIP part as not run"
fi
exec npx tsx scripts/security-scan.ts "$@"
