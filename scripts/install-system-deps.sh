#!/usr/bin/env bash
# Debian packages vsa's lab, tests and benchmark use: real sshd, NGINX, Podman (as `docker`),
# Pebble (ACME), certbot, Chromium, ansible-core (for the compatibility tests and the benchmark) and
# sudo (become with a password, tested on a lab host).
set -Eeuo pipefail
packages=(
  openssh-server openssh-client nginx certbot pebble podman runc podman-compose docker-compose
  podman-docker busybox-static apache2-utils iproute2 util-linux chromium ansible-core curl openssl
  ca-certificates cron mmdebstrap apt-cacher-ng docker-registry sudo
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[deps] all Debian packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "[deps] missing Debian packages: ${missing[*]}" >&2
  echo "[deps] run as root (sudo $0) to install them" >&2
  exit 1
fi
echo "[deps] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"
