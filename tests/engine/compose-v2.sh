#!/usr/bin/env bash
# compose-v2.sh CACHE: makes Docker Compose v2 available as a CLI plugin and
# prints the DOCKER_CONFIG folder that holds it (CACHE/docker-config).
#
# Debian bookworm has only Compose v1; the next release's `docker-compose`
# package is v2. That one .deb is fetched with apt through a sources list of
# its own (the machine's apt configuration is not touched), extracted with
# dpkg-deb, and its plugin binary copied to CACHE/docker-config/cli-plugins.
# A second call finds it there. Exits 77 (skip) when it cannot be had.
set -euo pipefail
cache=$1
cfg=$cache/docker-config
plugin=$cfg/cli-plugins/docker-compose
# tests that run side by side share the cache: one fetch at a time
mkdir -p "$cache"
exec 8>"$cache/.compose-v2.lock"
flock 8
if [ -x "$plugin" ] && DOCKER_CONFIG=$cfg docker compose version >/dev/null 2>&1; then
  echo "$cfg"; exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
  { echo "compose-v2: apt-get and dpkg-deb are needed" >&2; exit 77; }
apt=$cache/compose-apt
mkdir -p "$apt/lists/partial" "$apt/deb" "$cfg/cli-plugins"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [signed-by=$keyring] http://deb.debian.org/debian trixie main" >"$apt/sources.list"
opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=-
      -o "Dir::State::Lists=$apt/lists" -o APT::Get::List-Cleanup=0
      -o APT::Sandbox::User=root -qq)
apt-get "${opts[@]}" update >&2 ||
  { echo "compose-v2: cannot read the trixie package list" >&2; exit 77; }
(cd "$apt/deb" && rm -f docker-compose_*.deb && apt-get "${opts[@]}" download docker-compose >&2) ||
  { echo "compose-v2: cannot download docker-compose from trixie" >&2; exit 77; }
rm -rf "$apt/x"
dpkg-deb -x "$apt"/deb/docker-compose_*.deb "$apt/x"
install -m 0755 "$apt/x/usr/libexec/docker/cli-plugins/docker-compose" "$plugin"
DOCKER_CONFIG=$cfg docker compose version >&2 ||
  { echo "compose-v2: the plugin does not run" >&2; exit 77; }
echo "$cfg"
