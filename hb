#!/usr/bin/env bash
# One entry point for people: ./hb serve | ./hb build | ./hb test | ./hb check | ./hb new DOC SOURCE
# Creates .venv and installs the locked dependencies on first use (Python 3.11):
# requirements.txt (runtime) for serve/build/check, requirements-dev.txt (runtime +
# test and lint tools) for test; both are generated from pyproject.toml (see their header).
set -euo pipefail
cd "$(dirname "$0")"
PY=.venv/bin/python

setup_python() {
  local lock=$1 stamp=".venv/.installed-${1%.txt}"
  if [ ! -x "$PY" ]; then
    python3 -m venv .venv
  fi
  # Reinstall only when the lock file (or pyproject.toml) changed since the last install.
  if ! cat "$lock" pyproject.toml | cmp -s - "$stamp" 2>/dev/null; then
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$lock"
    # The handbook package itself, editable: hooks, macros and tests import it from here.
    "$PY" -m pip install --quiet --disable-pip-version-check --no-deps --editable .
    cat "$lock" pyproject.toml > "$stamp"
  fi
}

provide() {
  # System packages: CJK fonts for the PDFs (serve, build), plus the browser and PDF tools
  # for the tests. Installed with apt-get when running as root; otherwise named, with the
  # command to run. Without them the site is still built (PDFs are then left out).
  local missing=() pkg
  for pkg in "$@"; do
    case $pkg in
      chromium-headless-shell) [ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell) ;;
      fonts-noto-cjk) fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk) ;;
      poppler-utils) command -v pdffonts >/dev/null || missing+=(poppler-utils) ;;
      zbar-tools) command -v zbarimg >/dev/null || missing+=(zbar-tools) ;;
    esac
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装系统软件包：${missing[*]}……" >&2
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      return 0
    fi
  fi
  echo "缺少系统软件包：${missing[*]}。请运行：sudo apt-get install -y ${missing[*]}" >&2
  return 1
}

cmd=${1:-serve}
shift || true
case "$cmd" in
  serve) setup_python requirements.txt
         provide fonts-noto-cjk || true  # optional: without it the PDFs are left out
         # Bad data at start: the editor's messages and exit status 2, as for check and build.
         if ! out=$("$PY" -m handbook check 2>&1); then printf '%s\n' "$out" >&2; exit 2; fi
         NO_MKDOCS_2_WARNING=1 exec "$PY" -m mkdocs serve --dev-addr 127.0.0.1:8000 "$@" ;;
  build) setup_python requirements.txt; provide fonts-noto-cjk || true; exec "$PY" -m handbook build "$@" ;;
  check) setup_python requirements.txt; exec "$PY" -m handbook check "$@" ;;
  new)   setup_python requirements.txt; exec "$PY" -m handbook new "$@" ;;
  test)
    setup_python requirements-dev.txt; provide chromium-headless-shell fonts-noto-cjk poppler-utils zbar-tools || true
    # Lint, formatting and types first (fast), then the tests.
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/mypy
    exec "$PY" -m pytest "$@" ;;
  *) echo "用法：./hb serve | build | check | test | new <文档标识> <原文.txt>" >&2; exit 64 ;;
esac
