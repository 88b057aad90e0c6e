#!/usr/bin/env bash
# Makes VAR_DIR and, unless DJANGO_SECRET_KEY is set, this installation's secret key: a random key in
# $VAR_DIR/secret-key, readable by its owner only, which config/settings.py reads (importing the
# settings writes no file). A second run keeps the key. `make run` runs it before Django starts.
set -euo pipefail
cd "$(dirname "$0")/.."

# NAME as config/settings.py sees it: the environment, else the first NAME=... line of .env.
setting() {
  if [ -n "${!1+set}" ]; then
    printf '%s\n' "${!1}"
  elif [ -f .env ] && ! [[ ${DJANGO_READ_DOTENV:-} =~ ^[[:space:]]*([Ff][Aa][Ll][Ss][Ee]|0|[Nn][Oo]|[Oo][Ff][Ff])[[:space:]]*$ ]]; then
    sed -nE "/^[[:space:]]*$1[[:space:]]*=/{s/^[^=]*=[[:space:]]*//; s/[[:space:]]+\$//; s/^[\"']+//; s/[\"']+\$//; p; q}" .env
  fi
}

var_dir=$(setting VAR_DIR)
var_dir=${var_dir:-var}
mkdir -p "$var_dir"
if [ -n "$(setting DJANGO_SECRET_KEY)" ]; then
  exit 0
fi
key=$var_dir/secret-key
if [ ! -e "$key" ]; then
  draft=$(mktemp "$key.XXXXXX") # made readable by its owner only
  head -c 50 /dev/urandom | base64 -w 0 | tr '+/' '-_' | tr -d '=' >"$draft"
  ln "$draft" "$key" 2>/dev/null || true # a second run at the same moment keeps the first key
  rm -f "$draft"
  echo "已生成密钥 $key（仅属主可读）。"
fi
