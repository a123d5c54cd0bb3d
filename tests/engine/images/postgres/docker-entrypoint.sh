#!/usr/bin/env bash
# Written from the documented behaviour of docker-library/postgres's
# docker-entrypoint.sh (file_env, root set-up, gosu, first-start init).
set -Eeo pipefail

# file_env VAR [DEFAULT]: VAR from VAR or from the file VAR_FILE names.
file_env() {
	local var=$1 fileVar=${1}_FILE def=${2:-}
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		echo >&2 "error: both $var and $fileVar are set (but are exclusive)"
		exit 1
	fi
	local val=$def
	if [ "${!var:-}" ]; then
		val=${!var}
	elif [ "${!fileVar:-}" ]; then
		val=$(<"${!fileVar}")
	fi
	export "$var"="$val"
	unset "$fileVar"
}

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" = postgres ]; then
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	mkdir -p "$PGDATA"
	if [ "$(id -u)" = 0 ]; then
		find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
		chmod 00700 "$PGDATA"
		mkdir -p /var/run/postgresql
		find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
		chmod 03775 /var/run/postgresql
		exec gosu postgres "$BASH_SOURCE" "$@"
	fi
	if [ ! -s "$PGDATA/PG_VERSION" ]; then
		if [ -z "$POSTGRES_PASSWORD" ]; then
			echo >&2 "error: database is uninitialized and superuser password is not specified"
			exit 1
		fi
		initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
			--auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA" >/dev/null
		printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
		pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
		if [ "$POSTGRES_DB" != postgres ]; then
			psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname postgres \
				-c "CREATE DATABASE \"$POSTGRES_DB\""
		fi
		pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
		echo "PostgreSQL init process complete; ready for start up."
	fi
	unset POSTGRES_PASSWORD
	exec "$@" -c listen_addresses='*'
fi
exec "$@"
