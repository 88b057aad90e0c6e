#!/usr/bin/env bash
# Exit 0 when every URL's host:port accepts a TCP connection within two seconds.
for url in "$@"; do
  hostport=${url#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
  timeout 2 bash -c "exec 3<>/dev/tcp/${hostport%:*}/${hostport##*:}" 2>/dev/null || exit 1
done
