"""The reply-framing coach: knowledge base, policy-speak detector, grounded suggestions.

Model answers and policies in chromadb, a detector for curt policy-speak, suggestions that
only promise what a source allows, everyday rewrites, and streaming.

    store = KnowledgeStore("~/.local/share/interaction-grader/store")
    ingest_file(store, "policies", "policies.yaml")
    suggestion = await suggest(draft, transcript.turns, store, LLM("local"))
"""

from grader._embedding_cache import EmbeddingCache
from retrieval._case import CaseFacts, case_facts
from retrieval._checks import ReplyChecks, check_reply, judge_replies
from retrieval._coach import (
    GroundedSuggestion,
    SuggestFn,
    checked_grounded,
    coach,
    grounded_suggestion,
    is_capable,
    offer,
    suggest,
)
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
from retrieval._compose import Composition, compose
from retrieval._conversation import Conversation, load_conversation
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
    Suggestion,
    SuggestionAnswer,
    SuggestionParts,
    clean_reply,
    suggestion_model,
)

__all__ = [
    "DUPLICATE_SIMILARITY",
    "EMBEDDING_DIM",
    "OPERATIONS",
    "BackedCommitment",
    "Backing",
    "CaseFacts",
    "CoachRequest",
    "Commitment",
    "CommitmentKind",
    "Composition",
    "Conversation",
    "Detection",
    "Detector",
    "EmbeddingCache",
    "Exemplar",
    "ExemplarHit",
    "ExemplarStore",
    "ExemplarTurn",
    "Fact",
    "GroundedSuggestion",
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
    "ReplyChecks",
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
    "case_facts",
    "check_reply",
    "checked_grounded",
    "clean_reply",
    "coach",
    "compose",
    "curt_phrases",
    "default_detector",
    "default_embedding",
    "default_store_dir",
    "dialogue_similarity",
    "few_shot_block",
    "few_shot_provider",
    "find_commitments",
    "find_facts",
    "grounded_suggestion",
    "grounding_problems",
    "ingest_file",
    "invented_facts",
    "is_capable",
    "judge_replies",
    "load_conversation",
    "load_labelled_drafts",
    "offer",
    "policy_speak_detector",
    "prepare_request",
    "read_records",
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
