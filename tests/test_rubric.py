"""The rubric: the shipped default, profile selection, versioning and clear validation errors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader._errors import RubricError
from grader._rubric import Rubric, Scenario, default_rubric, load_rubric, rubric_problems
from grader._transcript import Channel, Role

DEFAULT_YAML = Path(__file__).resolve().parents[1] / "grader" / "rubrics" / "default.yaml"


# ---------------------------------------------------------------- helpers


def _element(element_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": element_id,
        "name": element_id.title(),
        "description": f"{element_id} description",
        "how_to_apply": f"Look for {element_id}.",
        "levels": {0: "bad", 1: "poor", 2: "good", 3: "great"},
        **extra,
    }


def minimal_rubric() -> dict[str, Any]:
    """A small valid rubric as a dict; tests mutate a fresh copy."""
    return {
        "id": "mini",
        "name": "Mini rubric",
        "dimensions": [
            {
                "id": "timing",
                "name": "Timing",
                "question": "Was time valued?",
                "elements": [_element("responsiveness")],
            },
            {
                "id": "connection",
                "name": "Connection",
                "question": "Did the agent connect?",
                "elements": [_element("courtesy"), _element("empathy")],
            },
        ],
        "scenarios": {
            "inquiry_types": {"order_status": "Where is my order", "other": "Anything else"},
            "customer_states": {"calm": "Calm", "angry": "Angry"},
            "objectives": {"resolve": "Fix a problem"},
        },
        "weight_profiles": [
            {"id": "balanced", "dimensions": {"timing": 1, "connection": 1}},
            {
                "id": "upset",
                "when": {"customer_state": ["angry"]},
                "dimensions": {"timing": 1, "connection": 2},
                "elements": {"empathy": 2},
            },
        ],
    }


def write_yaml(tmp_path: Path, data: Any, name: str = "rubric.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def load_error(tmp_path: Path, data: Any) -> str:
    """Load `data` as a rubric file and return the `RubricError` text it must raise."""
    with pytest.raises(RubricError) as info:
        load_rubric(write_yaml(tmp_path, data))
    return str(info.value)


def scenario(
    touchpoint: Channel = Channel.CHAT,
    inquiry_type: str = "other",
    customer_state: str = "calm",
    objective: str = "resolve",
) -> Scenario:
    return Scenario(
        touchpoint=touchpoint,
        inquiry_type=inquiry_type,
        customer_state=customer_state,
        objective=objective,
    )


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return default_rubric()


# ---------------------------------------------------------------- the default rubric


def test_default_rubric_loads_and_matches_the_file(rubric: Rubric) -> None:
    assert rubric.id == "cx_core"
    assert rubric.revision == "1"
    assert rubric.description
    assert load_rubric(DEFAULT_YAML).version == rubric.version
    assert rubric.warnings() == []


def test_default_rubric_has_four_dimensions(rubric: Rubric) -> None:
    assert [d.id for d in rubric.dimensions] == [
        "timing",
        "information",
        "connection",
        "differentiation",
    ]
    assert all(d.question.endswith("?") for d in rubric.dimensions)


def test_default_rubric_elements_are_complete(rubric: Rubric) -> None:
    assert 14 <= len(rubric.elements) <= 20
    for element in rubric.elements:
        assert sorted(element.levels) == [0, 1, 2, 3], element.id
        assert all(text.strip() for text in element.levels.values()), element.id
        assert element.how_to_apply.strip(), element.id


def test_default_rubric_has_expected_elements(rubric: Rubric) -> None:
    ids = {e.id for e in rubric.elements}
    for expected in ("accuracy", "professionalism", "courtesy", "recovery", "escalation"):
        assert expected in ids
    assert rubric.dimension_of("recovery").id == "connection"


def test_dimension_of_unknown_element_names_it_and_the_known_ones(rubric: Rubric) -> None:
    with pytest.raises(RubricError, match="no element 'recovry'") as caught:
        rubric.dimension_of("recovry")
    assert "recovery" in str(caught.value)  # the known elements are listed
    assert not isinstance(caught.value, KeyError)


def test_default_rubric_critical_elements(rubric: Rubric) -> None:
    critical = {e.id: e for e in rubric.elements if e.critical}
    assert set(critical) == {"accuracy", "professionalism"}
    assert "rude" in critical["professionalism"].levels[0].lower()
    assert "false" in critical["accuracy"].levels[0].lower()


def test_default_rubric_na_and_evidence(rubric: Rubric) -> None:
    by_id = {e.id: e for e in rubric.elements}
    assert by_id["recovery"].na_when
    assert by_id["escalation"].na_when
    assert by_id["accuracy"].na_when is None
    assert Role.CUSTOMER in by_id["recovery"].evidence_from
    assert Role.CUSTOMER in by_id["tailoring"].evidence_from
    assert Role.CUSTOMER not in by_id["clarity"].evidence_from


def test_default_rubric_scenarios_and_profiles(rubric: Rubric) -> None:
    assert set(rubric.scenarios.inquiry_types) == {
        "order_status",
        "pre_purchase",
        "refund_return",
        "billing",
        "technical",
        "account",
        "complaint",
        "other",
    }
    assert set(rubric.scenarios.customer_states) == {"calm", "confused", "frustrated", "angry"}
    assert set(rubric.scenarios.objectives) == {"resolve", "inform", "retain", "sell"}
    profile_ids = {p.id for p in rubric.weight_profiles}
    assert {
        "balanced",
        "where_is_my_package",
        "pre_purchase",
        "refund_outside_policy",
        "upset_customer",
        "voice_call",
        "billing",
    } <= profile_ids
    dim_ids = {d.id for d in rubric.dimensions}
    for profile in rubric.weight_profiles:
        assert set(profile.dimensions) == dim_ids, profile.id


# ---------------------------------------------------------------- profile selection


def test_profile_for_order_status(rubric: Rubric) -> None:
    profile = rubric.profile_for(scenario(inquiry_type="order_status"))
    assert profile.id == "where_is_my_package"
    top = max(profile.dimensions.values())
    assert profile.dimensions["connection"] == top
    assert profile.dimensions["information"] == top


def test_profile_for_angry_customer(rubric: Rubric) -> None:
    profile = rubric.profile_for(scenario(customer_state="angry"))
    assert profile.id == "upset_customer" or len(profile.when) > 1
    assert "customer_state" in profile.when


def test_profile_for_refund_raises_framing_and_recovery(rubric: Rubric) -> None:
    profile = rubric.profile_for(scenario(inquiry_type="refund_return"))
    assert profile.id == "refund_outside_policy"
    assert profile.elements["message_framing"] > 1
    assert profile.elements["recovery"] > 1


def test_profile_for_voice_call(rubric: Rubric) -> None:
    assert rubric.profile_for(scenario(touchpoint=Channel.VOICE)).id == "voice_call"


def test_profile_defaults_to_balanced(rubric: Rubric) -> None:
    for s in (scenario(), scenario(inquiry_type="technical", customer_state="confused")):
        assert rubric.profile_for(s).id == "balanced"


def test_most_specific_profile_wins() -> None:
    data = minimal_rubric()
    data["weight_profiles"].append(
        {
            "id": "upset_order",
            "when": {"customer_state": ["angry"], "inquiry_type": ["order_status"]},
            "dimensions": {"connection": 1},
        }
    )
    rubric = Rubric.model_validate(data)
    merged = rubric.profile_for(scenario(inquiry_type="order_status", customer_state="angry"))
    # the most specific profile gives the dimension weights; element multipliers it does not
    # name come from the less specific matching profiles (here: upset's empathy x2)
    assert merged.id == "upset_order+upset"
    assert merged.dimensions == {"connection": 1} and merged.elements == {"empathy": 2}
    assert rubric.profile_for(scenario(customer_state="angry")).id == "upset"
    assert rubric.profile_for(scenario()).id == "balanced"


def test_angry_refund_keeps_the_refund_framing_multiplier(rubric: Rubric) -> None:
    profile = rubric.profile_for(scenario(inquiry_type="refund_return", customer_state="angry"))
    assert profile.id.startswith("upset_customer+") and "refund_outside_policy" in profile.id
    assert profile.dimensions == rubric.profile_for(scenario(customer_state="angry")).dimensions
    assert profile.elements["message_framing"] == 2 and profile.elements["recovery"] == 2


def test_unknown_judge_is_an_error_naming_the_element() -> None:
    data = minimal_rubric()
    data["dimensions"][0]["elements"][0]["judges"] = ["signals", "oracle"]
    problems = rubric_problems(data)
    assert len(problems) == 1 and "oracle" in problems[0]
    assert f"element '{data['dimensions'][0]['elements'][0]['id']}'" in problems[0]


def test_thresholds_take_durations_and_exemplars_need_real_levels() -> None:
    data = minimal_rubric()
    el = data["dimensions"][0]["elements"][0]
    el["thresholds"] = {
        "chat": {"prompt": "2m", "slow": "10m"},
        "email": {"prompt": "4h", "slow": 86400},
    }
    rubric = Rubric.model_validate(data)
    times = rubric.elements[0].thresholds
    assert times[Channel.CHAT].prompt == 120 and times[Channel.EMAIL].prompt == 4 * 3600
    el["thresholds"] = {"chat": {"prompt": "10m", "slow": "2m"}}
    assert any("shorter than prompt" in p for p in rubric_problems(data))
    el["thresholds"] = {"chat": {"prompt": "soon", "slow": "2m"}}
    assert any("not a duration" in p for p in rubric_problems(data))
    del el["thresholds"]
    el["exemplars"] = {7: ["hello"]}
    assert any("levels it lacks: [7]" in p for p in rubric_problems(data))


# ---------------------------------------------------------------- version


def test_version_stable_for_same_content(tmp_path: Path) -> None:
    data = minimal_rubric()
    first = load_rubric(write_yaml(tmp_path, data, "a.yaml"))
    second = load_rubric(write_yaml(tmp_path, copy.deepcopy(data), "b.yaml"))
    assert first.version == second.version
    assert first.version.startswith("sha256:")
    assert Rubric.model_validate(data).version == first.version


def test_version_ignores_yaml_formatting(tmp_path: Path) -> None:
    data = minimal_rubric()
    block = load_rubric(write_yaml(tmp_path, data, "block.yaml"))
    flow = tmp_path / "flow.yaml"
    flow.write_text("# a comment\n" + yaml.safe_dump(data, default_flow_style=True), "utf-8")
    assert load_rubric(flow).version == block.version


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(name="Renamed"),
        lambda d: d.update(revision="2"),
        lambda d: d["dimensions"][0].update(question="Was the customer's time valued?"),
        lambda d: d["dimensions"][0]["elements"][0].update(how_to_apply="Look harder."),
        lambda d: d["dimensions"][1]["elements"][0]["levels"].update({3: "superb"}),
        lambda d: d["scenarios"]["objectives"].update(resolve="Fix it"),
        lambda d: d["weight_profiles"][1]["dimensions"].update(connection=3),
    ],
)
def test_version_changes_when_text_changes(edit: Any) -> None:
    data = minimal_rubric()
    before = Rubric.model_validate(data).version
    edit(data)
    assert Rubric.model_validate(data).version != before


# ---------------------------------------------------------------- invalid rubrics


def test_minimal_rubric_is_valid(tmp_path: Path) -> None:
    assert rubric_problems(minimal_rubric()) == []
    assert len(load_rubric(write_yaml(tmp_path, minimal_rubric())).elements) == 3


def test_unknown_top_level_field(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profile"] = []
    assert "weight_profile:" in load_error(tmp_path, data)


def test_unknown_element_field_names_the_element(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["dimensions"][1]["elements"][0]["critcal"] = True
    message = load_error(tmp_path, data)
    assert "[courtesy]" in message
    assert "critcal" in message


def test_duplicate_element_id(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["dimensions"][0]["elements"].append(_element("empathy"))
    message = load_error(tmp_path, data)
    assert "duplicate element ids" in message
    assert "empathy" in message


def test_non_contiguous_levels(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["dimensions"][1]["elements"][1]["levels"] = {0: "bad", 1: "poor", 3: "great"}
    message = load_error(tmp_path, data)
    assert "[empathy]" in message
    assert "without gaps" in message


def test_profile_unknown_dimension(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profiles"][1]["dimensions"]["timeliness"] = 1
    message = load_error(tmp_path, data)
    assert "weight_profiles[upset]" in message
    assert "unknown dimension 'timeliness'" in message


def test_profile_unknown_element(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profiles"][1]["elements"]["sympathy"] = 2
    assert "unknown element 'sympathy'" in load_error(tmp_path, data)


def test_profile_unknown_axis(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profiles"][1]["when"]["mood"] = ["angry"]
    assert "unknown scenario axis 'mood'" in load_error(tmp_path, data)


def test_profile_unknown_axis_value(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profiles"][1]["when"]["customer_state"] = ["furious"]
    message = load_error(tmp_path, data)
    assert "when.customer_state" in message
    assert "unknown value 'furious'" in message


def test_profile_unknown_touchpoint(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profiles"][1]["when"] = {"touchpoint": ["fax"]}
    assert "unknown value 'fax'" in load_error(tmp_path, data)


def test_missing_default_profile(tmp_path: Path) -> None:
    data = minimal_rubric()
    del data["weight_profiles"][0]
    message = load_error(tmp_path, data)
    assert "weight_profiles" in message
    assert "default profile" in message


def test_problems_are_listed_individually(tmp_path: Path) -> None:
    data = minimal_rubric()
    data["weight_profiles"][1]["dimensions"]["timeliness"] = 1
    data["weight_profiles"][1]["elements"]["sympathy"] = 2
    with pytest.raises(RubricError) as info:
        load_rubric(write_yaml(tmp_path, data))
    assert info.value.problems
    joined = "\n".join(info.value.problems)
    assert "timeliness" in joined
    assert "sympathy" in joined


def test_bad_yaml_syntax_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: mini\nname: Mini\ndimensions: [\n  - id: timing\n", encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    message = str(info.value)
    assert "broken.yaml" in message
    assert "line " in message
    assert "not valid YAML" in message


@pytest.mark.parametrize("content", ["- a\n- b\n", "just a string\n", ""])
def test_non_mapping_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "list.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RubricError, match="mapping at the top level"):
        load_rubric(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="cannot read rubric"):
        load_rubric(tmp_path / "absent.yaml")


# ---------------------------------------------------------------- rubric_problems paths


def test_rubric_problems_use_element_ids() -> None:
    data = minimal_rubric()
    del data["dimensions"][1]["elements"][0]["how_to_apply"]
    problems = rubric_problems(data)
    assert len(problems) == 1
    assert "dimensions[connection].elements[courtesy].how_to_apply" in problems[0]
    assert "[1]" not in problems[0]


def test_rubric_problems_fall_back_to_index_without_id() -> None:
    data = minimal_rubric()
    del data["dimensions"][0]["elements"][0]["id"]
    problems = rubric_problems(data)
    assert any("dimensions[timing].elements[0].id" in p for p in problems)


def test_rubric_problems_for_the_default_is_empty() -> None:
    assert rubric_problems(yaml.safe_load(DEFAULT_YAML.read_text(encoding="utf-8"))) == []


def test_focused_rubric_keeps_only_the_named_elements(rubric: Rubric) -> None:
    focused = rubric.focused(["courtesy", "clarity"])
    assert [e.id for e in focused.elements] == ["clarity", "courtesy"]
    assert [d.id for d in focused.dimensions] == ["information", "connection"]
    assert focused.id == rubric.id and focused.version != rubric.version
    for profile in focused.weight_profiles:
        assert set(profile.dimensions) <= {"information", "connection"}
        assert set(profile.elements) <= {"courtesy", "clarity"}
    assert rubric.focused(["courtesy"]).version == rubric.focused(["courtesy"]).version


def test_focusing_on_an_unknown_element_names_it(rubric: Rubric) -> None:
    with pytest.raises(RubricError, match="politeness"):
        rubric.focused(["courtesy", "politeness"])
