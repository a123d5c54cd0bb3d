expect "mariadb accepts the root password" 1 \
	dc exec -T db mariadb -h 127.0.0.1 -uroot -pr00t-Maria-pw -N -e 'select 1'
expect "mariadb accepts the user's password on its database" 1 \
	dc exec -T db mariadb -h 127.0.0.1 -ucms -pcms-Maria-pw cms -N -e 'select 1'
expect "mariadb refuses another password" "" \
	dc exec -T db mariadb -h 127.0.0.1 -ucms -pwrong cms -N -e 'select 1'
expect "the JVM service kept its heap committed" "running" \
	docker inspect -f '{{.State.Status}}' "$(dc ps -q search)"
expect "the JVM service was not OOM-killed" "false" \
	docker inspect -f '{{.State.OOMKilled}}' "$(dc ps -q search)"
expect "the JVM service got its database password" cms-Maria-pw \
	dc exec -T search sh -c 'echo "$DB_PASSWORD"'
expect "the worker answers on 127.0.0.1" "worker ok" \
	curl -fsS --max-time 5 http://127.0.0.1:58081/
expect "the worker runs as its own user" 10001 \
	dc exec -T worker id -u
# read VAR: the value as the service reads it, from VAR_FILE when set
read_secret() {
	dc exec -T "$1" sh -c "if [ -n \"\${$2_FILE:-}\" ]; then cat \"\$$2_FILE\"; else printf %s \"\$$2\"; fi"
}
expect "the automation service runs as uid 4321" 4321 \
	dc exec -T automation id -u
expect "the automation service (uid 4321) reads its secret" n8n-Db-pa55word \
	read_secret automation DB_POSTGRESDB_PASSWORD
expect "the root automation service runs as root" 0 \
	dc exec -T automation-root id -u
expect "the root automation service reads its secret" n8n-Queue-pa55word \
	read_secret automation-root QUEUE_BULL_REDIS_PASSWORD
if [ "${mode#write-}" != "$mode" ]; then
	expect "-w moved the uid 4321 service's secret to a file" /run/secrets/db_postgresdb_password \
		dc exec -T automation printenv DB_POSTGRESDB_PASSWORD_FILE
	expect "-w moved the root service's secret to a file" /run/secrets/queue_bull_redis_password \
		dc exec -T automation-root printenv QUEUE_BULL_REDIS_PASSWORD_FILE
	expect "the root service has no capability (cap_drop: [ALL], no DAC_OVERRIDE)" "CapEff:	0000000000000000" \
		dc exec -T automation-root grep CapEff /proc/self/status
	expect "the secret files are 0444 in a 0700 folder" "444 444 700" \
		eval 'stat -c %a secrets/db_postgresdb_password secrets/queue_bull_redis_password secrets | tr "\n" " "'
	expect "git would commit nothing of secrets/ (secrets/.gitignore: *)" "*" \
		grep -x '[*]' secrets/.gitignore
	expect "-w moved the anchored secret once, at the anchor, to .env" \
		"  DB_PASSWORD: \${DB_PASSWORD:?is not set}|DB_PASSWORD='cms-Maria-pw'" \
		eval 'printf "%s|%s" "$(grep "^  DB_PASSWORD:" compose.yaml)" "$(grep "^DB_PASSWORD=" .env)"'
	expect "the search service still reads the anchored environment" "    environment: *search-env" \
		grep -x '    environment: [*]search-env' compose.yaml
fi
