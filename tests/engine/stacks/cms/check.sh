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
