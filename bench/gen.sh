#!/usr/bin/env bash
# gen.sh N: a compose file with N realistic services (about 47 lines each),
# with comments, blank lines, block and flow lists, and an anchor merge.
n=${1:?usage: gen.sh N}
awk -v n="$n" 'BEGIN {
  print "# generated benchmark stack"
  print "x-common: &common"
  print "  restart: unless-stopped"
  print "  logging:"
  print "    driver: json-file"
  print ""
  print "services:"
  for (i = 0; i < n; i++) {
    printf "  # service %d\n", i
    printf "  svc%d:\n", i
    print  "    <<: *common"
    printf "    image: registry.example.com/team/app%d:1.%d.0\n", i % 50, i % 10
    printf "    container_name: app-%d\n", i
    print  "    environment:"
    printf "      - APP_NAME=app%d\n", i
    print  "      - LOG_LEVEL=info"
    print  "      - DATABASE_HOST=db"
    print  "      - DATABASE_PORT=5432"
    print  "      - CACHE_URL=redis://cache:6379/0"
    print  "      - FEATURE_FLAGS=a,b,c"
    print  "    ports:"
    printf "      - \"%d:8080\"\n", 10000 + i
    print  "    volumes:"
    printf "      - ./data/app%d:/var/lib/app\n", i
    print  "      - ./config/app.yml:/etc/app/app.yml:ro"
    print  "    depends_on: [db, cache]"
    print  "    networks:"
    print  "      - front"
    print  "      - back"
    print  "    labels:"
    printf "      com.example.service: \"app%d\"\n", i
    print  "      com.example.team: platform"
    print  "    healthcheck:"
    print  "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/health\"]"
    print  "      interval: 30s"
    print  "      timeout: 5s"
    print  "      retries: 3"
    print  "    command: >"
    print  "      app serve"
    print  "      --port 8080"
    print  "      --workers 4"
    print  "    deploy:"
    print  "      replicas: 2"
    print  "      resources:"
    print  "        limits:"
    print  "          memory: 512M"
    print  "    ulimits:"
    print  "      nofile:"
    print  "        soft: 65536"
    print  "        hard: 65536"
    print  "    extra_hosts:"
    print  "      - \"host.docker.internal:host-gateway\""
    print  "    # tmpfs:"
    print  "    #   - /tmp"
    print  ""
  }
  print "networks:"
  print "  front: {}"
  print "  back: {}"
}'
