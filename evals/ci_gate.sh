#!/usr/bin/env bash
# CI eval gate: grade the example calibration set with the embedded model and check it
# against evals/sets/example/gate.yaml. Exit 0 pass, 1 a threshold failed (each one is
# named), 2 bad input. See docs/calibration.md for why it runs this way.
#
# The answer cache is kept in .grader-cache/ (persist it between CI runs): its keys include
# the rubric version, the prompt templates' hash and the model, so a change to any of them
# re-grades for real, and an unrelated change replays the stored answers in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

export GRADER_CACHE_DIR="${GRADER_CACHE_DIR:-.grader-cache}"
exec .venv/bin/grader eval evals/sets/example \
    --model local \
    --limit "${EVAL_GATE_LIMIT:-12}" \
    --out "${EVAL_GATE_OUT:-out/eval-gate}" \
    "$@"
