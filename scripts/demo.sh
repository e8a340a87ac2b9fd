#!/usr/bin/env bash
# The main job on a fresh machine: install, build, bring up a 3-host lab (real sshd, Podman with
# the reverse proxy's image built from Debian packages, and a Pebble ACME server, all in network
# namespaces on 198.18.0.0/15), bootstrap the NGINX container on every host, then put the `web`
# container of h01 behind it by name with a real certificate — twice, the second run changing
# nothing — and fetch it over HTTPS. With VSA_INVENTORY set, it runs the demo playbook on your
# hosts instead (nothing mission-specific is changed there).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
npm run --silent build
export VSA_HOME=${VSA_HOME:-$PWD/.lab/vsa-home${VSA_LAB_SLOT:+-$VSA_LAB_SLOT}}
vsa() { node bin/vsa.js "$@"; }

if [ -n "${VSA_INVENTORY:-}" ]; then
  echo "[demo] running the demo playbook on $VSA_INVENTORY"
  vsa run demo -i "$VSA_INVENTORY" --diff
  vsa run demo -i "$VSA_INVENTORY"
  exit 0
fi

domain=shop.lab.test
# Slot 0 is the developer's lab (.lab/); another slot (.lab/sN) keeps a running one untouched.
slot=${VSA_LAB_SLOT:-0}
lab=.lab
[ "$slot" = 0 ] || lab=.lab/s$slot
npm run --silent lab:up -- --hosts 3 --slot "$slot"
npm run --silent lab:dns -- "$domain" h01 --slot "$slot"
npm run --silent lab:dns -- "www.$domain" h01 --slot "$slot"
inv=$lab/inventory.yml

echo "[demo] vsa bootstrap: directories, flowbiz_ext network, NGINX config and the reverse-proxy container on every host"
# Lab hosts share this machine's /usr: packages are already there and must not be touched.
vsa bootstrap -i "$inv" --no-packages
echo "[demo] vsa site provision: vhosts, a certificate from the lab's ACME server, reload"
vsa site provision -i "$inv" --limit h01 --domain "$domain" --container web --port 8080
echo "[demo] the same again: nothing left to change"
vsa site provision -i "$inv" --limit h01 --domain "$domain" --container web --port 8080
echo "[demo] https://$domain/ served by h01, verified against the lab's ACME root:"
addr=$(awk -v d="$domain" '$2 == d { print $1 }' "$lab/etc-hosts")
curl -sS --fail --cacert "$lab/pebble-root.pem" --resolve "$domain:443:$addr" -D - "https://$domain/" | sed -n '1p;/^strict-transport-security/Ip;$p'
echo "[demo] certificates:"
vsa cert status -i "$inv"
echo "[demo] history:"
vsa history --limit 4
echo "[demo] the lab stays up for you to explore ($inv, VSA_HOME=$VSA_HOME); remove it with: npm run lab:down -- --slot $slot"
