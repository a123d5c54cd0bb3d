#!/bin/sh
set -e
if [ "$(id -u)" = 0 ]; then
	mkdir -p /data/www
	chown -R app:app /data
	exec gosu app "$0" "$@"
fi
[ -n "${SESSION_SECRET:-}" ] || { echo "app: SESSION_SECRET is not set" >&2; exit 1; }
[ -n "${DATABASE_URL:-}" ] || { echo "app: DATABASE_URL is not set" >&2; exit 1; }
echo "app ok" >/data/www/index.html
exec "$@"
