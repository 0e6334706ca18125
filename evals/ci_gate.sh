#!/usr/bin/env bash
# CI eval gate: grade the example calibration set with the embedded model and check it
# against evals/sets/example/gate.yaml. Exit 0 pass, 1 a threshold failed (each one is
# named, and listed in junit.xml), 2 bad input. See docs/calibration.md for why.
#
# Persist .grader-cache/ between CI runs. It holds the answer cache, whose keys include the
# rubric version, the prompt templates' hash and the model, and the last run's grade log,
# which --resume reuses only for the same model, rubric and prompt versions. So a change to
# any of those re-grades for real, and any other change replays the stored grades in seconds
# (unscored ones included, which the answer cache alone would ask again).
set -uo pipefail
cd "$(dirname "$0")/.."

export GRADER_CACHE_DIR="${GRADER_CACHE_DIR:-.grader-cache}"
out="${EVAL_GATE_OUT:-out/eval-gate}"
kept="$GRADER_CACHE_DIR/eval-gate-grades.jsonl"
mkdir -p "$out" "$GRADER_CACHE_DIR"
[ -f "$kept" ] && cp "$kept" "$out/grades.jsonl"

.venv/bin/grader eval evals/sets/example \
    --model local \
    --limit "${EVAL_GATE_LIMIT:-12}" \
    --out "$out" \
    --resume \
    "$@"
status=$?

[ -f "$out/grades.jsonl" ] && cp "$out/grades.jsonl" "$kept"
exit $status
