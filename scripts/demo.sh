#!/usr/bin/env bash
# The main job on a fresh machine: install, build, bring up a 3-host lab (unless VSA_INVENTORY
# names real hosts) and run the demo playbook twice — the second run must change nothing.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
npm run --silent build
if [ -n "${VSA_INVENTORY:-}" ]; then
  inv=$VSA_INVENTORY
  keys=()
else
  npm run --silent lab:up -- --hosts 3
  inv=.lab/inventory.yml
  keys=(--known-hosts .lab/known_hosts)
fi
echo "[demo] first run: creates the site skeleton on every host"
node bin/vsa.js run demo -i "$inv" "${keys[@]}" --diff
echo "[demo] second run: nothing left to change"
node bin/vsa.js run demo -i "$inv" "${keys[@]}"
echo "[demo] history:"
node bin/vsa.js history --limit 2
[ -n "${VSA_INVENTORY:-}" ] || echo "[demo] the lab stays up for you to explore (.lab/inventory.yml); remove it with: npm run lab:down"
