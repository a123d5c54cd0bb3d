# Sourced by stacks.sh in the stack's folder, with `dc` running docker compose
# for this project. The secrets reached the services and work.
expect "postgres accepts the password" 1 \
	dc exec -T db env PGPASSWORD=Sup3rS3cret-pg psql -h 127.0.0.1 -U app -d app -tAc 'select 1'
expect "postgres refuses another password" "" \
	dc exec -T db env PGPASSWORD=wrong psql -h 127.0.0.1 -U app -d app -tAc 'select 1'
expect "redis AUTH works" PONG \
	dc exec -T cache redis-cli -a r3dis-Pa55word --no-auth-warning ping
expect "redis refuses without AUTH" "NOAUTH Authentication required." \
	dc exec -T cache redis-cli ping
expect "the app answers through the proxy on 127.0.0.1" "app ok" \
	curl -fsS --max-time 5 http://127.0.0.1:58080/
expect "the app got its database URL" postgres://app:Sup3rS3cret-pg@db:5432/app \
	dc exec -T app sh -c 'echo "$DATABASE_URL"'
expect "the app got its session secret" 8f14e45fceea167a5a36dedd4bea2543 \
	dc exec -T app sh -c 'echo "$SESSION_SECRET"'
