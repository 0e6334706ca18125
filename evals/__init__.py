"""Calibrating the grader against people: sets with human labels, agreement, reports, gate.

An eval is composition, set + grader + metrics:

    rubric = default_rubric()
    sets = [load_set("evals/sets/example", rubric)]
    report = await run_eval(sets, rubric_grader(rubric, llm), rubric=rubric, model=llm.model)
    write_reports(report, Path("out/eval"))
"""

from evals._agreement import (
    Estimate,
    NaAgreement,
    consensus,
    na_agreement,
    one_vs_rest,
    ordinal_alpha,
    rank_correlations,
    score_confusion,
    weighted_kappa,
)
from evals._baseline import paired_gain, split_half
from evals._calibration import (
    Calibration,
    CalibrationCheck,
    ElementMap,
    apply_calibration,
    calibration_path,
    cross_validate,
    fit_calibration,
    isotonic_grader,
    load_calibration,
    out_of_fold,
    save_calibration,
    with_isotonic,
)
from evals._compare import Correlation, ElementResult, OutcomeResult
from evals._contrast import (
    ContrastPair,
    ContrastSet,
    ContrastSetError,
    is_contrast_source,
    load_contrast,
    parse_pairs,
)
from evals._contrast_tables import contrast_summary, contrast_tables
from evals._evaluate import EvalOptions, EvalOutcome, evaluate, save_fitted_calibration
from evals._features import TurnVectors, VerdictView, similarity_matrix, text_matrix, turn_vectors
from evals._gate import (
    GateCheck,
    GateConfigError,
    Rule,
    check_gate,
    load_gate,
    merge_rules,
    parse_rule,
)
from evals._html import PLOT_KINDS, render_html
from evals._judge_fit import JudgeFit, agent_text, fit_judges, judge_dirs, politeness_spec
from evals._learned import (
    LearnedCalibration,
    LearningSet,
    TargetModel,
    fit_learned,
    knn_scores,
    predict_targets,
    training_similarity,
)
from evals._learned_apply import (
    apply_learned,
    exemplars_of,
    learned_calibration_path,
    learned_grader,
    load_learned,
    save_learned,
)
from evals._learned_cv import LearnedCheck, TargetCheck, cross_validate_learned
from evals._learned_report import (
    add_learned_results,
    learned_markdown,
    learned_set_report,
    learned_tables,
)
from evals._pairwise import (
    ContrastReport,
    ElementPairwise,
    JudgePairwise,
    PairOutcome,
    TwinView,
    grade_twins,
    measure_contrast,
    pair_credit,
    run_contrast,
)
from evals._reports import markdown_report, write_junit, write_reports
from evals._resume import GradeLog, load_grade_log, logged, resuming, transcript_key
from evals._ridge import LinearMap, fit_ridge
from evals._run import EvalReport, ItemRow, SetReport, measure_set, run_eval
from evals._sets import CalibrationItem, CalibrationSet, CalibrationSetError, load_set, parse_items
from evals._shared import SHARED_SETS, load_politeness, load_stc3, shared_data_dir
from evals._sources import EvalSource, apply_gates, gate_file, load_sources, shared_focus
from evals._stability import ElementStability, Stability, stability
from evals._tables import Table, run_summary, set_summary, set_tables
from evals._targets import human_targets, learning_set, load_verdicts, rater_rows, target_scales

__all__ = [
    "PLOT_KINDS",
    "SHARED_SETS",
    "Calibration",
    "CalibrationCheck",
    "CalibrationItem",
    "CalibrationSet",
    "CalibrationSetError",
    "ContrastPair",
    "ContrastReport",
    "ContrastSet",
    "ContrastSetError",
    "Correlation",
    "ElementMap",
    "ElementPairwise",
    "ElementResult",
    "ElementStability",
    "Estimate",
    "EvalOptions",
    "EvalOutcome",
    "EvalReport",
    "EvalSource",
    "GateCheck",
    "GateConfigError",
    "GradeLog",
    "ItemRow",
    "JudgeFit",
    "JudgePairwise",
    "LearnedCalibration",
    "LearnedCheck",
    "LearningSet",
    "LinearMap",
    "NaAgreement",
    "OutcomeResult",
    "PairOutcome",
    "Rule",
    "SetReport",
    "Stability",
    "Table",
    "TargetCheck",
    "TargetModel",
    "TurnVectors",
    "TwinView",
    "VerdictView",
    "add_learned_results",
    "agent_text",
    "apply_calibration",
    "apply_gates",
    "apply_learned",
    "calibration_path",
    "check_gate",
    "consensus",
    "contrast_summary",
    "contrast_tables",
    "cross_validate",
    "cross_validate_learned",
    "evaluate",
    "exemplars_of",
    "fit_calibration",
    "fit_judges",
    "fit_learned",
    "fit_ridge",
    "gate_file",
    "grade_twins",
    "human_targets",
    "is_contrast_source",
    "isotonic_grader",
    "judge_dirs",
    "knn_scores",
    "learned_calibration_path",
    "learned_grader",
    "learned_markdown",
    "learned_set_report",
    "learned_tables",
    "learning_set",
    "load_calibration",
    "load_contrast",
    "load_gate",
    "load_grade_log",
    "load_learned",
    "load_politeness",
    "load_set",
    "load_sources",
    "load_stc3",
    "load_verdicts",
    "logged",
    "markdown_report",
    "measure_contrast",
    "measure_set",
    "merge_rules",
    "na_agreement",
    "one_vs_rest",
    "ordinal_alpha",
    "out_of_fold",
    "pair_credit",
    "paired_gain",
    "parse_items",
    "parse_pairs",
    "parse_rule",
    "politeness_spec",
    "predict_targets",
    "rank_correlations",
    "rater_rows",
    "render_html",
    "resuming",
    "run_contrast",
    "run_eval",
    "run_summary",
    "save_calibration",
    "save_fitted_calibration",
    "save_learned",
    "score_confusion",
    "set_summary",
    "set_tables",
    "shared_data_dir",
    "shared_focus",
    "similarity_matrix",
    "split_half",
    "stability",
    "target_scales",
    "text_matrix",
    "training_similarity",
    "transcript_key",
    "turn_vectors",
    "weighted_kappa",
    "with_isotonic",
    "write_junit",
    "write_reports",
]
