"""The reply-framing coach: knowledge base, policy-speak detector, grounded suggestions.

Model answers and policies in chromadb, a detector for curt policy-speak, suggestions that
only promise what a source allows, everyday rewrites, and streaming.

    store = KnowledgeStore("~/.local/share/interaction-grader/store")
    ingest_file(store, "policies", "policies.yaml")
    suggestion = await suggest(draft, transcript.turns, store, LLM("local"))
"""

from grader._embedding_cache import EmbeddingCache
from retrieval._commitments import (
    Backing,
    Commitment,
    CommitmentKind,
    Fact,
    backing_from,
    backing_from_text,
    find_commitments,
    find_facts,
    grounding_problems,
    invented_facts,
    sanitize,
    unbacked_commitments,
)
from retrieval._detector import (
    Detection,
    Detector,
    LabelledDraft,
    PolicySpeakSpan,
    curt_phrases,
    default_detector,
    load_labelled_drafts,
    policy_speak_detector,
    sentence_spans,
)
from retrieval._embedding import EMBEDDING_DIM, MiniLMEmbedding, default_embedding
from retrieval._exemplars import (
    Exemplar,
    ExemplarHit,
    ExemplarStore,
    ExemplarTurn,
    dialogue_similarity,
    side_means,
    weighted_scores,
)
from retrieval._few_shot import few_shot_block, few_shot_provider
from retrieval._guard import GUARD_ELEMENTS, GuardFn, GuardResult, framing_rubric, reply_guard
from retrieval._ingest import (
    DUPLICATE_SIMILARITY,
    IngestReport,
    NearDuplicate,
    RecordIssue,
    ingest_file,
    read_records,
)
from retrieval._records import KnowledgeRecord, ModelAnswer, Policy, Tone
from retrieval._request import CoachRequest, prepare_request, retrieval_query
from retrieval._rewrite import OPERATIONS, Operation, Rewrite, RewriteAnswer, rewrite
from retrieval._store import Hit, KnowledgeStore, RecordKind, UpsertCounts, default_store_dir
from retrieval._stream import can_stream, stream_suggestion, stream_text
from retrieval._suggest import (
    BackedCommitment,
    SuggestFn,
    Suggestion,
    SuggestionAnswer,
    SuggestionParts,
    clean_reply,
    coach,
    suggest,
    suggestion_model,
)

__all__ = [
    "DUPLICATE_SIMILARITY",
    "EMBEDDING_DIM",
    "GUARD_ELEMENTS",
    "OPERATIONS",
    "BackedCommitment",
    "Backing",
    "CoachRequest",
    "Commitment",
    "CommitmentKind",
    "Detection",
    "Detector",
    "EmbeddingCache",
    "Exemplar",
    "ExemplarHit",
    "ExemplarStore",
    "ExemplarTurn",
    "Fact",
    "GuardFn",
    "GuardResult",
    "Hit",
    "IngestReport",
    "KnowledgeRecord",
    "KnowledgeStore",
    "LabelledDraft",
    "MiniLMEmbedding",
    "ModelAnswer",
    "NearDuplicate",
    "Operation",
    "Policy",
    "PolicySpeakSpan",
    "RecordIssue",
    "RecordKind",
    "Rewrite",
    "RewriteAnswer",
    "SuggestFn",
    "Suggestion",
    "SuggestionAnswer",
    "SuggestionParts",
    "Tone",
    "UpsertCounts",
    "backing_from",
    "backing_from_text",
    "can_stream",
    "clean_reply",
    "coach",
    "curt_phrases",
    "default_detector",
    "default_embedding",
    "default_store_dir",
    "dialogue_similarity",
    "few_shot_block",
    "few_shot_provider",
    "find_commitments",
    "find_facts",
    "framing_rubric",
    "grounding_problems",
    "ingest_file",
    "invented_facts",
    "load_labelled_drafts",
    "policy_speak_detector",
    "prepare_request",
    "read_records",
    "reply_guard",
    "retrieval_query",
    "rewrite",
    "sanitize",
    "sentence_spans",
    "side_means",
    "stream_suggestion",
    "stream_text",
    "suggest",
    "suggestion_model",
    "unbacked_commitments",
    "weighted_scores",
]
