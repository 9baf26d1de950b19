#!/bin/bash
# Healthcheck of a GridLedger service in its container: exit 0 when GET http://127.0.0.1:PORT/health answers 200
# (Micronaut answers 503 when an indicator is DOWN). Bash's /dev/tcp only: no curl or wget needed in the image.
set -eu
port=${1:?usage: health PORT}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS=' ' read -r _ status _ <&3
exec 3<&-
[[ $status == 200 ]]
