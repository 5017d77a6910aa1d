#!/usr/bin/env bash
# Runs every test suite. The keychain suite needs a real Secret Service, so the whole run happens
# inside a private D-Bus session with a throwaway, unlocked gnome-keyring and a throwaway HOME:
# the developer's own keyring is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "tests/run.sh: '$tool' is missing; install it with: sudo apt-get install -y dbus gnome-keyring libsecret-1-dev" >&2
    exit 2
  fi
done

# The e2e and packaging suites use the built app: build it (a few seconds) so it is never stale.
node scripts/build-main.mjs
node scripts/copy-detector-assets.mjs >/dev/null
node_modules/.bin/vite build --config renderer/vite.config.ts --logLevel error

TEST_HOME="$(mktemp -d)"
trap 'rm -rf "$TEST_HOME"' EXIT
export KIOSK_REAL_HOME="$HOME" HOME="$TEST_HOME" XDG_CONFIG_HOME="$TEST_HOME/.config" XDG_DATA_HOME="$TEST_HOME/.local/share"
# A DISPLAY would let a locked keyring wait for a prompt forever.
unset DISPLAY

exec dbus-run-session -- bash -c '
  set -euo pipefail
  echo -n kiosk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  export KIOSK_TEST_KEYRING_PID="$(pgrep -n -u "$(id -u)" gnome-keyring-d)"
  node_modules/.bin/vitest run "$@"
' vitest-run "$@"
