#!/usr/bin/env bash
# `make run`: the web server, and a Celery worker with beat on the embedded broker (a SQLite file,
# no server needed). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-*}
HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
mkdir -p var
.venv/bin/celery -A config worker --beat --concurrency=1 --loglevel=INFO >var/celery.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
lan=$(hostname -I 2>/dev/null | awk '{print $1}')
cat <<TXT

  工会干部培训班管理系统已启动（Celery worker 与 beat 日志：var/celery.log）
    本机访问：  http://127.0.0.1:${PORT}/
    局域网访问：http://${lan:-本机IP}:${PORT}/   （学员手机连同一网络即可打开）
  登录信息见上方“演示账户”。按 Ctrl-C 停止。

TXT
.venv/bin/python manage.py runserver "$HOST:$PORT"
