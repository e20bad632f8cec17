#!/usr/bin/env bash
# Installs Debian's redis-server for the multi-instance tests when it is missing (as root), or says how to.
# Tests start their own redis-server on a free port; nothing is left running.
set -euo pipefail
if command -v redis-server >/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian redis-server for the multi-instance tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package starts a system service; tests use their own instance, so stop it.
  (service redis-server stop || true) >/dev/null 2>&1
else
  echo "redis-server is missing: run 'sudo apt-get install -y redis-server'." >&2
  exit 1
fi
