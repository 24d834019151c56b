#!/usr/bin/env bash
# Sourced by start.sh and test.sh: installs what the system needs. Debian
# packages are installed when running as root; otherwise what is missing is
# named with the command that installs it, and the caller carries on.

SB_APT_UPDATED=0

sb_say() { printf 'switchboard: %s\n' "$*" >&2; }

# Usage: sb_ensure_debian_packages "what it is for" command:package ...
sb_ensure_debian_packages() {
  local purpose=$1; shift
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    if [ "${cmd#/}" != "$cmd" ]; then [ -e "$cmd" ] || missing+=("$pkg"); else command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    sb_say "installing Debian packages for $purpose: ${missing[*]}"
    if [ "$SB_APT_UPDATED" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && SB_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
      || sb_say "could not install ${missing[*]}; the parts that need them will say so"
  else
    sb_say "missing for $purpose: ${missing[*]} — install with: sudo apt-get install ${missing[*]}"
  fi
}

sb_ensure_node() {
  if ! command -v node >/dev/null 2>&1; then
    sb_say "Node.js 20 is required and not installed"; exit 1
  fi
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then sb_say "Node.js >= 20 is required (found $(node --version))"; exit 1; fi
  # Reinstall when the lock file is newer than the installed tree (or nothing is installed).
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    sb_say "installing npm packages"
    # npm ci: exactly the tree the lock file names (the one the tests ran on),
    # and the lock file is never rewritten, so a fresh clone stays clean.
    npm ci --no-audit --no-fund >/dev/null || { sb_say "npm ci failed"; exit 1; }
  fi
}
