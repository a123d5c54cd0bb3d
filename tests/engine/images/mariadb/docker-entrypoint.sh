#!/usr/bin/env bash
# Written from the documented behaviour of MariaDB/mariadb-docker's
# docker-entrypoint.sh (file_env, root set-up, gosu, first-start init).
set -Eeo pipefail

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

if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
if [ "$1" = mariadbd ]; then
	# MARIADB_* first, MYSQL_* as their aliases
	file_env MYSQL_ROOT_PASSWORD; file_env MARIADB_ROOT_PASSWORD "$MYSQL_ROOT_PASSWORD"
	file_env MYSQL_DATABASE; file_env MARIADB_DATABASE "$MYSQL_DATABASE"
	file_env MYSQL_USER; file_env MARIADB_USER "$MYSQL_USER"
	file_env MYSQL_PASSWORD; file_env MARIADB_PASSWORD "$MYSQL_PASSWORD"
	mkdir -p /var/lib/mysql /run/mysqld
	if [ "$(id -u)" = 0 ]; then
		find /var/lib/mysql /run/mysqld \! -user mysql \( -exec chown mysql: '{}' + -o -true \)
		exec gosu mysql "$BASH_SOURCE" "$@"
	fi
	if [ ! -d /var/lib/mysql/mysql ]; then
		if [ -z "$MARIADB_ROOT_PASSWORD" ]; then
			echo >&2 "error: database is uninitialized and password option is not specified"
			exit 1
		fi
		mariadb-install-db --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal \
			--rpm --user=mysql >/dev/null
		mariadbd --skip-networking --socket=/run/mysqld/mysqld.sock &
		pid=$!
		for i in $(seq 30); do mariadb-admin --socket=/run/mysqld/mysqld.sock ping >/dev/null 2>&1 && break; sleep 1; done
		esc() { printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g"; }
		{
			# root only at localhost (the socket) and at % (the network)
			echo "DELETE FROM mysql.global_priv WHERE user = 'root' AND host <> 'localhost'; FLUSH PRIVILEGES;"
			echo "SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$(esc "$MARIADB_ROOT_PASSWORD")');"
			echo "CREATE USER 'root'@'%' IDENTIFIED BY '$(esc "$MARIADB_ROOT_PASSWORD")';"
			echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
			[ -n "$MARIADB_DATABASE" ] && echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
			if [ -n "$MARIADB_USER" ]; then
				echo "CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY '$(esc "$MARIADB_PASSWORD")';"
				[ -n "$MARIADB_DATABASE" ] && echo "GRANT ALL ON \`$MARIADB_DATABASE\`.* TO '$MARIADB_USER'@'%';"
			fi
		} | mariadb --socket=/run/mysqld/mysqld.sock -uroot
		kill "$pid"; wait "$pid" || true
		echo "MariaDB init process done. Ready for start up."
	fi
	unset MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD MARIADB_PASSWORD MYSQL_PASSWORD
fi
exec "$@"
