"""The shipped prompts load, and every kind of broken file is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from baton.domain.framework import Status
from baton.domain.lead import Lead
from baton.services.catalog import CatalogError, check_catalog, load_catalog, render_question
from tests.conftest import PROMPTS_DIR
from tests.services.catalog.prompts_copy import copy_prompts, edit

SIZES = {"bant": 4, "meddpicc": 8, "champ": 4, "gpct": 4, "anum": 4}


def test_shipped_prompts_pass_check() -> None:
    assert check_catalog(PROMPTS_DIR) == []


def test_shipped_catalog_has_every_framework_with_realistic_sizes() -> None:
    catalog = load_catalog(PROMPTS_DIR)
    assert {key: len(f.criteria) for key, f in catalog.frameworks.items()} == SIZES
    assert catalog.definition.version == "2026-Q4.3"
    assert catalog.definition.default_framework == "bant"
    assert set(catalog.definition.frameworks) == set(SIZES)
    assert catalog.definition_text == (PROMPTS_DIR / "definition.yaml").read_text()


def test_every_shipped_criterion_can_be_answered_by_button() -> None:
    catalog = load_catalog(PROMPTS_DIR)
    for framework in catalog.frameworks.values():
        for criterion in framework.criteria:
            statuses = {choice.meets for choice in criterion.choices}
            assert {Status.MET, Status.NOT_MET, Status.UNKNOWN} <= statuses, criterion.key


def test_render_question_writes_for_the_lead() -> None:
    budget = load_catalog(PROMPTS_DIR).frameworks["bant"].criterion("budget")
    assert budget is not None
    question = render_question(budget, Lead(company="Acme Corp"))
    assert question == "Is there budget set aside at Acme Corp for solving this?"


def test_render_question_keeps_text_as_typed() -> None:
    budget = load_catalog(PROMPTS_DIR).frameworks["bant"].criterion("budget")
    assert budget is not None
    text = render_question(budget, Lead(company="Smith & <Sons>"))
    assert "Smith & <Sons>" in text


def _problems(prompts: Path) -> list[str]:
    return [str(problem) for problem in check_catalog(prompts)]


BANT = "frameworks/bant.yaml"
DEFINITION = "definition.yaml"
BROKEN = [
    pytest.param(BANT, 'value: "planned", points: 15', 'value: "planned", points: high',
                 "prompts/frameworks/bant.yaml: criteria[0].choices[1].points: "
                 "expected a number, got 'high'", id="points-not-a-number"),
    pytest.param(BANT, "kind: money", "kind: slider",
                 "prompts/frameworks/bant.yaml: criteria[0].kind: expected one of: choice, yes_no, "
                 "money, date, number, text, person, got 'slider'", id="unknown-kind"),
    pytest.param(BANT, "    title: Need\n", "",
                 "prompts/frameworks/bant.yaml: criteria[2].title: required field missing",
                 id="missing-field"),
    pytest.param(BANT, 'value: "approved"', "value: yes",
                 "prompts/frameworks/bant.yaml: criteria[0].choices[0].value: "
                 "expected text in quotes, got True", id="unquoted-yes"),
    pytest.param(BANT, "key: bant", "key: bant2",
                 "prompts/frameworks/bant.yaml: key: 'bant2' does not match the file name "
                 "bant.yaml (use key: bant)", id="key-not-file-name"),
    pytest.param(BANT, "  - key: timeline", "  - key: need",
                 "prompts/frameworks/bant.yaml: criteria[3].key: duplicate criterion key 'need', "
                 "also used by criteria[2]", id="duplicate-criterion"),
    pytest.param(BANT, 'value: "planned"', 'value: "approved"',
                 "prompts/frameworks/bant.yaml: criteria[0].choices[1].value: duplicate choice "
                 "value 'approved', also used by choices[0]", id="duplicate-choice"),
    pytest.param(BANT, 'value: "no_influence", points: 0', 'value: "no_influence", points: 20',
                 "prompts/frameworks/bant.yaml: criteria[1].choices: met choice 'influencer' has "
                 "fewer points (15) than not-met choice 'no_influence' (20)", id="points-order"),
    pytest.param(BANT, "set aside at {{ lead.company }}", "set aside at {{ lead.compnay }}",
                 "prompts/frameworks/bant.yaml: criteria[0].question: template uses lead.compnay, "
                 "which does not exist; use one of: lead.company, lead.contact_name, lead.title, "
                 "lead.email, lead.source, lead.region, lead.industry, lead.employees, "
                 "lead.open_opportunity",
                 id="template-unknown-field"),
    pytest.param(BANT, "set aside at {{ lead.company }}", "set aside at {{ lead.company }",
                 "prompts/frameworks/bant.yaml: criteria[0].question: template syntax error: "
                 "unexpected '}'", id="template-syntax"),
    pytest.param(BANT, "criteria:\n", "criteria:\n  - key: [\n",
                 "prompts/frameworks/bant.yaml: line 11, column 3: YAML syntax error: "
                 "expected the node content, but found '-'", id="yaml-syntax"),
    pytest.param(DEFINITION, "must_meet: [need, authority]", "must_meet: [need, authorty]",
                 "prompts/definition.yaml: frameworks.bant.must_meet[1]: 'authorty' is not a "
                 "criterion of bant; expected one of: budget, authority, need, timeline",
                 id="must-meet-unknown"),
    pytest.param(DEFINITION, "default_framework: bant", "default_framework: spin",
                 "prompts/definition.yaml: default_framework: no framework 'spin'; expected one "
                 "of: anum, bant, champ, gpct, meddpicc", id="default-framework-unknown"),
    pytest.param(DEFINITION, 'criterion: plans', 'criterion: plan',
                 "prompts/definition.yaml: disqualifiers[3].criterion: 'plan' is not a criterion "
                 "of any framework", id="disqualifier-criterion"),
    pytest.param(DEFINITION, 'choices: ["excludes_us"]', 'choices: ["exclude_us"]',
                 "prompts/definition.yaml: disqualifiers[3].choices[0]: 'exclude_us' is not a "
                 "choice of plans; expected one of: excludes_us, includes_us, open, unknown",
                 id="disqualifier-choice"),
    pytest.param(DEFINITION, 'segments: ["enterprise"]', 'segments: ["enterprize"]',
                 "prompts/definition.yaml: routing[2].match.segments[0]: no segment 'enterprize'; "
                 "expected one of: smb, mid_market, enterprise", id="routing-segment"),
    pytest.param(DEFINITION, "channel: C0EMEA0001", "channel: emea-sales",
                 "prompts/definition.yaml: routing[1].channel: expected a Slack channel id such "
                 "as C0123ABCD, got 'emea-sales'", id="channel-not-an-id"),
    pytest.param(DEFINITION, "escalate_after_minutes: 60", "escalate_after_minutes: 10",
                 "prompts/definition.yaml: sla: escalate_after_minutes must be longer than "
                 "claim_within_minutes", id="escalate-before-claim"),
    pytest.param(DEFINITION, "min_score: 65", "min_score: 165",
                 "prompts/definition.yaml: frameworks.meddpicc.min_score: expected at most 100, "
                 "got 165", id="score-above-100"),
    pytest.param(DEFINITION, "agreed_on: 2026-10-01", "agreed_on: last tuesday",
                 "prompts/definition.yaml: agreed_on: expected a date such as 2026-10-01, "
                 "got 'last tuesday'", id="bad-date"),
    pytest.param(DEFINITION, "review_by:", "reviewed_by:",
                 "prompts/definition.yaml: reviewed_by: unknown field", id="unknown-field"),
    pytest.param(DEFINITION, '      APAC: ["Asia Pacific",', '      LATAM: ["Asia Pacific",',
                 "prompts/definition.yaml: organisation_fit.aliases.regions.LATAM: 'LATAM' is "
                 "not in organisation_fit.regions; expected one of: NA, EMEA, APAC",
                 id="alias-of-a-value-outside-the-fit"),
    pytest.param(DEFINITION, '"Australia", "New Zealand"', '"Australia", "Canada"',
                 "prompts/definition.yaml: organisation_fit.aliases.regions.APAC[3]: 'Canada' is "
                 "also listed under NA; an alias names one value", id="alias-under-two-values"),
    pytest.param(DEFINITION, '"Spain", "Italy"', '"Spain", NO',
                 "prompts/definition.yaml: organisation_fit.aliases.regions: expected text in "
                 "quotes, got False", id="alias-read-as-a-boolean"),
    pytest.param(DEFINITION, 'contains: ["relaybase.com",', 'contains: ["relaybase",',
                 "prompts/definition.yaml: disqualifiers[0].contains[0]: expected a domain such "
                 "as relaybase.com, got 'relaybase'", id="competitor-not-a-domain"),
    pytest.param(DEFINITION, "    equals: true\n", "    contains: [\"open opportunity\"]\n",
                 "prompts/definition.yaml: disqualifiers[2]: open_opportunity is a yes/no the "
                 "BDR picks: give equals: true", id="open-opportunity-with-words"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_broken_file_gives_precise_problem(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / file, old, new)
    assert _problems(prompts) == [expected]


def test_empty_file_is_named(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    (prompts / "frameworks" / "gpct.yaml").write_text("# nothing yet\n")
    assert _problems(prompts) == ["prompts/frameworks/gpct.yaml: file is empty"]


def test_framework_without_a_rule_in_the_definition(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    text = (prompts / "frameworks" / "anum.yaml").read_text().replace("key: anum", "key: spin")
    (prompts / "frameworks" / "spin.yaml").write_text(text)
    assert _problems(prompts) == [
        "prompts/definition.yaml: frameworks: no rule for framework 'spin', which is installed "
        "(frameworks/spin.yaml): add frameworks.spin with must_meet and min_score, or remove "
        "the file"
    ]


def test_rule_for_a_framework_without_a_file(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    (prompts / "frameworks" / "champ.yaml").unlink()
    assert _problems(prompts) == [
        "prompts/definition.yaml: frameworks.champ: no framework file frameworks/champ.yaml; "
        "expected one of: anum, bant, gpct, meddpicc"
    ]


def test_missing_definition_is_named(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    (prompts / "definition.yaml").unlink()
    assert _problems(prompts) == ["prompts/definition.yaml: file not found"]


def test_check_collects_every_problem_across_files(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "frameworks" / "champ.yaml", "kind: person", "kind: slider")
    edit(prompts / "frameworks" / "anum.yaml", "title: Urgency", "title: ''")
    edit(prompts / "definition.yaml", "version: \"2026-Q4.3\"", "version: 2026.4")
    assert _problems(prompts) == [
        "prompts/frameworks/anum.yaml: criteria[2].title: must not be empty",
        "prompts/frameworks/champ.yaml: criteria[1].kind: expected one of: choice, yes_no, money, "
        "date, number, text, person, got 'slider'",
        "prompts/definition.yaml: version: expected text in quotes, got 2026.4",
    ]


def test_a_broken_framework_does_not_blame_the_definition(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "frameworks" / "gpct.yaml", "    title: Plans\n", "")
    assert _problems(prompts) == [
        "prompts/frameworks/gpct.yaml: criteria[1].title: required field missing"
    ]


def test_load_catalog_raises_with_every_problem(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "definition.yaml", "default_framework: bant", "default_framework: spin")
    with pytest.raises(CatalogError) as caught:
        load_catalog(prompts)
    assert [problem.path for problem in caught.value.problems] == ["default_framework"]
    assert str(caught.value).startswith("prompts/definition.yaml: default_framework: no framework")


def test_load_catalog_with_another_definition_file(tmp_path: Path) -> None:
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text().replace(
        '"2026-Q4.3"', '"2026-Q4.8"'))
    catalog = load_catalog(PROMPTS_DIR, definition_file=proposed)
    assert catalog.definition.version == "2026-Q4.8"
    assert catalog.definition_text == proposed.read_text()
