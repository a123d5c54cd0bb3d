expect "syncthing answers on 127.0.0.1" "syncthing ok" \
	curl -fsS --max-time 5 http://127.0.0.1:58384/
expect "/init is PID 1 in syncthing" "/bin/sh /init" \
	dc exec -T syncthing sh -c 'tr "\0" " " </proc/1/cmdline | sed "s/ $//"'
expect "/init is PID 1 in homepage" "/bin/sh /init" \
	dc exec -T homepage sh -c 'tr "\0" " " </proc/1/cmdline | sed "s/ $//"'
expect "the service runs as the app user" 911 \
	dc exec -T syncthing sh -c 'stat -c %u /proc/$(pgrep -f "httpd -f") '
