#!/usr/bin/env bash
# One entry point for people: ./hb serve | ./hb build | ./hb test | ./hb check
# Creates .venv and installs requirements.txt on first use (Python 3.11).
set -euo pipefail
cd "$(dirname "$0")"
PY=.venv/bin/python

setup_python() {
  if [ ! -x "$PY" ]; then
    python3 -m venv .venv
  fi
  # Reinstall only when requirements.txt changed since the last install.
  if ! cmp -s requirements.txt .venv/.installed-requirements 2>/dev/null; then
    "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    cp requirements.txt .venv/.installed-requirements
  fi
}

setup_system() {
  # Browser, CJK fonts and PDF tools for the browser and print tests.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  command -v pdffonts >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "缺少系统软件包：${missing[*]}。请运行：sudo apt-get install -y ${missing[*]}" >&2
    fi
  fi
}

cmd=${1:-serve}
shift || true
case "$cmd" in
  serve) setup_python
         # Bad data at start: the editor's messages and exit status 2, as for check and build.
         if ! out=$("$PY" -m handbook check 2>&1); then printf '%s\n' "$out" >&2; exit 2; fi
         exec "$PY" -m mkdocs serve --dev-addr 127.0.0.1:8000 "$@" ;;
  build) setup_python; exec "$PY" -m handbook build "$@" ;;
  check) setup_python; exec "$PY" -m handbook check "$@" ;;
  test)  setup_python; setup_system; exec "$PY" -m pytest "$@" ;;
  *) echo "用法：./hb serve | build | check | test" >&2; exit 64 ;;
esac
