#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks for building, running and testing the kiosk.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# nginx: the load balancer the engine replica tests start themselves (tests/engine/replicas.test.ts).
APT_PACKAGES=(libsecret-1-dev gnome-keyring dbus dbus-x11 procps chromium xvfb xauth nginx rsyslog rsyslog-gnutls openssl)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Electron's postinstall downloads its binary from GitHub. Where that fails (no internet but the
# npm registry), install without it: its type definitions are all the build and tests need.
if [ -n "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] || ! npm ci --no-audit --no-fund; then
  [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] && echo "setup: Electron's binary could not be downloaded; installing without it."
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
# `npm start` on this machine: a development station on the built-in engine with a staff PIN made
# here and printed once. Real kiosks are set up by IT (README, "Setting a station up").
PIN="$(printf '%06d' $(( (RANDOM * 32768 + RANDOM) % 1000000 )))"
out="$(npm run --silent cli -- provision --backend local --station Development --if-not-set-up <<<"$PIN")"
case "$out" in
  *"already set up"*) echo "setup: this station is already set up." ;;
  *) echo "setup: this machine is now a development station on the built-in engine; its staff PIN is $PIN." ;;
esac
