#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine (run as root) and runs it all:
# build, typecheck, lint, and every Jest test, including the end-to-end tests against a real
# OpenVPN server in network namespaces and a real Prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v openvpn >/dev/null || need_packages+=(openvpn)
command -v ip >/dev/null || need_packages+=(iproute2)
command -v openssl >/dev/null || need_packages+=(openssl)
command -v promtool >/dev/null || need_packages+=(prometheus)
command -v ping >/dev/null || need_packages+=(iputils-ping)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "== installing ${need_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi
# Debian starts the packaged daemons on install; the tests start their own.
systemctl disable --now prometheus prometheus-node-exporter openvpn >/dev/null 2>&1 || true

# npm install, not npm ci: the registry here lacks some of @swc/core's optional per-platform
# builds, so the lock file cannot list them and npm ci refuses it; install still follows the lock.
echo "== npm install"
npm install --no-audit --no-fund

echo "== build"
npm run build

echo "== typecheck"
npm run typecheck

echo "== lint"
npm run lint

echo "== tests"
npx jest --ci --maxWorkers 2
