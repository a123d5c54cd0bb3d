#!/bin/sh
# Written from nginxinc/docker-nginx's docker-entrypoint.sh.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
	for f in /docker-entrypoint.d/*.sh; do
		[ -x "$f" ] && "$f"
	done
	echo "$0: Configuration complete; ready for start up"
fi
exec "$@"
