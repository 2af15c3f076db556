#!/bin/sh
# The container's command: `pushport start` in the foreground, exec'd so that it is PID 1 and gets docker stop's SIGTERM.
# The text port answers whoever reaches it unless it asks for the token, so it leaves the container's own
# loopback only when PUSH_TOKEN is set (each text connection then sends the token as its first line).
set -eu
if [ -z "${TEXT_HOST:-}" ]; then
  if [ -n "${PUSH_TOKEN:-}" ]; then TEXT_HOST=0.0.0.0; else TEXT_HOST=127.0.0.1; fi
  export TEXT_HOST
fi
exec node dist/bin/pushport.js start "$@"
