#!/usr/bin/env bash
# Writes var/dev.env once with fresh random keys, for `make run` on this machine only.
set -euo pipefail
mkdir -p var
if [ ! -f var/dev.env ]; then
  key() { python3 -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"; }
  umask 077
  {
    echo "SECRET_KEY=$(key)$(key)"
    echo "SRBGOV_FIELD_KEY=$(key)"
    echo "SRBGOV_TIPS_KEY=$(key)"
  } > var/dev.env
  echo "已生成开发用密钥 var/dev.env（请勿用于生产）。"
fi
