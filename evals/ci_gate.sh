#!/usr/bin/env bash
# CI eval gate: grade the example calibration set and the contrast pairs with the code
# judges of the embedded default (no LLM call: about a minute on 2 cores) and check them
# against evals/sets/example/gate.yaml (rank correlation with the raters, agreement) and
# evals/sets/contrast/gate.yaml (pairwise accuracy, uncertain elements). Exit 0 pass, 1 a
# threshold failed (each one is named, and listed in junit.xml), 2 bad input. See
# docs/calibration.md for why.
#
# Learned scorers stored in the cache (grader eval politeness --fit-judges) would change
# the numbers, so the gate runs with its own empty cache folder unless GRADER_CACHE_DIR is
# set. Extra arguments are passed on (e.g. --model openai/gpt-4o-mini adds the LLM's vote).
set -uo pipefail
cd "$(dirname "$0")/.."

export GRADER_CACHE_DIR="${GRADER_CACHE_DIR:-.grader-cache}"
out="${EVAL_GATE_OUT:-out/eval-gate}"
mkdir -p "$out" "$GRADER_CACHE_DIR"

.venv/bin/grader eval evals/sets/example evals/sets/contrast \
    --model local \
    --out "$out" \
    --bootstrap 200 \
    "$@"
