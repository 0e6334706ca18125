"""Deterministic signals: waits, handle time, escalations, policy-speak."""

from __future__ import annotations

from factories import make_transcript

from grader import Role, compute_signals, find_policy_speak, redact_pii


def test_first_response_longest_wait_and_handle_time() -> None:
    t = make_transcript(
        texts=[
            (Role.CUSTOMER, "hi"),
            (Role.CUSTOMER, "hello??"),
            (Role.AGENT, "Hi!"),
            (Role.CUSTOMER, "where is it"),
            (Role.AGENT, "Checking."),
        ],
        gap_minutes=[0, 2, 3, 1, 25],
    )
    s = compute_signals(t)
    assert s.first_response_seconds == 300  # from the first unanswered customer message
    assert s.longest_customer_wait_seconds == 25 * 60
    assert s.handle_time_seconds == 31 * 60
    assert (s.customer_turns, s.agent_turns) == (3, 2)


def test_no_timestamps_no_times() -> None:
    t = make_transcript()
    t = t.model_copy(update={"turns": [x.model_copy(update={"timestamp": None}) for x in t.turns]})
    s = compute_signals(t)
    assert s.first_response_seconds is None and s.handle_time_seconds is None


def test_escalations_bot_to_human_and_supervisor() -> None:
    t = make_transcript(
        texts=[
            (Role.CUSTOMER, "I want a human"),
            (Role.BOT, "I can help with orders."),
            (Role.SYSTEM, "Conversation transferred to a human agent"),
            (Role.AGENT, "Hi, I'm Sam."),
            (Role.AGENT, "Let me escalate this to my supervisor."),
            (Role.SUPERVISOR, "Hello, I'm Dana, the team lead."),
        ]
    )
    kinds = [(e.kind, e.turn_index) for e in compute_signals(t).escalations]
    assert ("bot_to_human", 3) in kinds and ("to_supervisor", 5) in kinds
    assert ("transfer_announced", 2) in kinds and ("transfer_announced", 4) in kinds


def test_policy_speak_in_agent_turns_only_and_explained_flag() -> None:
    t = make_transcript(
        texts=[
            (Role.CUSTOMER, "That's your policy? Rules are rules, I guess."),
            (Role.AGENT, "Sorry, that's our policy. There's nothing I can do."),
            (
                Role.AGENT,
                "It's our policy to wait 30 days because carriers need that time to trace a parcel.",
            ),
        ]
    )
    hits = compute_signals(t).policy_speak
    assert [(h.turn_index, h.kind, h.explained) for h in hits] == [
        (1, "policy_citation", False),
        (1, "nothing_to_do", False),
        (2, "policy_citation", True),
    ]


def test_policy_speak_spans() -> None:
    text = "Rules are rules. You should have read the terms."
    hits = find_policy_speak(text)
    assert [text[h.start : h.end] for h in hits] == ["Rules are rules", "You should have read"]


def test_redaction_masks_email_phone_and_valid_cards_only() -> None:
    text = "jane.doe@example.com, call 555-014-2222, card 4111 1111 1111 1111, order 48213-22"
    out = redact_pii(text)
    assert "<EMAIL_1>" in out and "<PHONE_1>" in out and "<CARD_1>" in out
    assert "48213-22" in out
    assert "<CARD" not in redact_pii("ref 1234 5678 9012 3456"), "fails Luhn: not a card"
