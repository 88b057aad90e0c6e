#!/usr/bin/env bash
# `make run`: the web server, and a Celery worker with beat on the embedded broker (a SQLite file,
# no server needed). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-*}
HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
lan=$(hostname -I 2>/dev/null | awk '{print $1}')
# Printed QR codes (certificates, badges, sign-in sheets) need an address phones can open: the LAN
# address, unless SITE_URL is set here or in .env.
if [ -z "${SITE_URL:-}" ] && ! grep -qE '^[[:space:]]*SITE_URL=[^[:space:]]' .env 2>/dev/null; then
  export SITE_URL="http://${lan:-127.0.0.1}:${PORT}"
fi
mkdir -p var
.venv/bin/python manage.py load_demo
.venv/bin/celery -A config worker --beat --concurrency=1 --loglevel=INFO >var/celery.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
cat <<TXT

  工会干部培训班管理系统已启动（Celery worker 与 beat 日志：var/celery.log）
    本机访问：  http://127.0.0.1:${PORT}/
    局域网访问：http://${lan:-本机IP}:${PORT}/   （学员手机连同一网络即可打开）
    二维码网址：${SITE_URL:-（见 .env 中的 SITE_URL）}
  登录信息见上方“演示账户”。按 Ctrl-C 停止。

TXT
.venv/bin/python manage.py runserver "$HOST:$PORT"
