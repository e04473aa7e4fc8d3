"""`baton demo`: a whole qualification through the real app and the Slack stand-in, printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baton.cli import app
from baton.demo.blocks import mrkdwn, render_blocks, render_view
from baton.demo.forms import fill
from baton.demo.stage import DemoError

BANT_QUESTIONS = [
    "1 of 4",
    "Is there budget set aside at Acme Corp for solving this?",
    "2 of 4",
    "Who at Acme Corp signs off on a purchase like this?",
    "3 of 4",
    "4 of 4",
    "When does Acme Corp want something in place?",
]


def test_the_demo_qualifies_a_strong_bant_lead_and_hands_it_to_the_emea_team() -> None:
    result = CliRunner().invoke(app, ["demo"])

    assert result.exit_code == 0, result.output
    out = result.output
    positions = [out.index(text) for text in BANT_QUESTIONS]
    assert positions == sorted(positions)
    assert "Dana (BDR) types in #sales-floor:  /qualify Acme Corp" in out
    assert 'Dana types "$120k" and presses [Save].' in out
    assert "✓ Answer: 120,000 USD" in out
    assert "Dana clicks [They decide]." in out
    verdict = out.split("Dana sees the verdict in her DM:")[1]
    assert "== ✅ Sales-ready ==" in verdict
    assert "Score 100 / 100" in verdict
    assert 'Handed to sales: #C0EMEA0001 (rule "EMEA team")' in verdict
    assert "passed slack_sdk's Block Kit validation" in verdict


SECOND_LEG = [
    "#C0EMEA0001 sees the card:",
    "== Acme Corp ==",
    "⏳ Waiting for a rep. Claim it to own the lead.",
    "In the card's thread:",
    "Questions and answers · BANT · score 100 / 100, asked by @Dana",
    "Dana sees in her DM:",
    "🤝 Acme Corp is handed off to #C0EMEA0001: see the card.",
    "Sam (AE) clicks [Claim] on the card.",
    "A moment later Alex (AE) clicks [Claim] on the card too.",
    "Only Alex sees:\n    This lead is already claimed by @Sam.",
    "🙋 Claimed by @Sam within a minute\n    [Accept] [Reject] [Release]",
    "Sam (AE) clicks [Accept] on the card.",
    "✅ Accepted by @Sam (claimed within a minute)\n    [Contacted] [Meeting booked] [Reject] "
    "[⋯ Meeting held",
    "Baton made",
]


def test_the_demo_delivers_the_card_and_one_rep_claims_and_accepts_it() -> None:
    result = CliRunner().invoke(app, ["demo"])

    assert result.exit_code == 0, result.output
    leg = result.output.split("waiting for a rep to claim it.")[1]
    positions = [leg.index(text) for text in SECOND_LEG]
    assert positions == sorted(positions)
    card = leg.split("#C0EMEA0001 sees the card:")[1].split("In the card's thread:")[0]
    assert "Contact: Jo Park, VP Operations, jo.park@acme.example" in card
    assert "Routed by EMEA team" in card
    assert leg.count("    [Claim] <Managers…: Override verdict… / Reassign…>\n") == 1, (
        "one card, and its Claim button gone once taken")
    assert leg.count("already claimed") == 1, "only the late rep is told"


def test_the_demo_runs_another_framework_and_shows_a_hostile_company_as_text() -> None:
    options = ["--framework", "MEDDPICC", "--company", "<!here> & Co"]
    result = CliRunner().invoke(app, ["demo", *options])

    assert result.exit_code == 0, result.output
    assert "8 of 8" in result.output
    assert "Who else is <!here> & Co looking at" in result.output
    assert "@here" not in result.output
    assert "Sales-ready" in result.output
    assert "== <!here> & Co ==" in result.output.split("sees the card:")[1]


def test_an_unknown_framework_is_named_with_the_choices_and_no_traceback() -> None:
    result = CliRunner().invoke(app, ["demo", "--framework", "spin"])

    assert result.exit_code == 1
    assert "--framework: no framework 'spin' (choose one of anum, bant, champ" in result.output
    assert "Traceback" not in result.output


def test_the_installed_command_runs_from_any_folder_without_the_tests(tmp_path: Path) -> None:
    baton = Path(sys.executable).with_name("baton")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DATABASE_URL"}}

    done = subprocess.run(
        [str(baton), "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    assert "Handed to sales" in done.stdout
    assert not list(tmp_path.iterdir()), "the demo leaves no database behind"


def test_mrkdwn_reads_as_a_person_sees_it() -> None:
    names = {"U0DANA": "Dana"}
    text = "*Acme &amp; Co* asked by <@U0DANA> in <#C0SALES|sales> <!date^43200^{date}|x> _quietly_"

    read = mrkdwn(text, names)

    assert read.startswith("Acme & Co asked by @Dana in #sales 1970-01-01")
    assert read.endswith(" quietly")


def test_blocks_render_as_lines_with_buttons_in_brackets() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Verdict"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "1 of 4"}]},
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Yes"}},
                {"type": "button", "text": {"type": "plain_text", "text": "No"}},
            ],
        },
    ]

    assert render_blocks(blocks) == ["== Verdict ==", "1 of 4", "-" * 40, "[Yes] [No]"]


def test_card_fields_read_on_one_line_with_emoji_and_an_overflow_menu() -> None:
    options = [{"text": {"type": "plain_text", "text": t}, "value": t} for t in ("Won", "Lost")]
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": ":raising_hand: *Claimed* :no_such_emoji:"},
            "fields": [{"type": "mrkdwn", "text": "*Contact*\nJo Park\njo@acme.example"}],
        },
        {"type": "actions", "elements": [{"type": "overflow", "options": options}]},
    ]

    assert render_blocks(blocks) == [
        "🙋 Claimed :no_such_emoji:",
        "Contact: Jo Park, jo@acme.example",
        "[⋯ Won / Lost]",
    ]


SELECT_VIEW = {
    "title": {"type": "plain_text", "text": "Pick"},
    "submit": {"type": "plain_text", "text": "Go"},
    "blocks": [
        {
            "type": "input",
            "block_id": "fw",
            "label": {"type": "plain_text", "text": "Framework"},
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [
                    {"text": {"type": "plain_text", "text": "BANT"}, "value": "bant"},
                    {"text": {"type": "plain_text", "text": "GPCT"}, "value": "gpct"},
                ],
            },
        }
    ],
}


def test_a_modal_shows_its_title_inputs_and_buttons() -> None:
    assert render_view(SELECT_VIEW) == ["== Pick ==", "Framework: <choose: BANT / GPCT>", "[Go]"]


def test_filling_a_select_sends_the_option_as_slack_does() -> None:
    values = fill(SELECT_VIEW, {"fw": "gpct"})

    picked = values["fw"]["value"]["selected_option"]
    assert picked == {"text": {"type": "plain_text", "text": "GPCT"}, "value": "gpct"}
    with pytest.raises(DemoError, match=r"'spin' is not one of the choices offered \(bant, gpct\)"):
        fill(SELECT_VIEW, {"fw": "spin"})


def test_the_demo_with_a_crm_shows_the_records_baton_wrote_to_hubspot() -> None:
    result = CliRunner().invoke(app, ["demo", "--crm", "hubspot"])

    assert result.exit_code == 0, result.output
    held = result.output.split("now holds what Baton wrote (0 write(s) waiting, 0 set aside):")[1]
    assert "  company Acme Corp (acme.example)\n" in held
    assert ("  contact Jo Park <jo.park@acme.example>: lead status IN_PROGRESS, lifecycle stage "
            "salesqualifiedlead, owner Sam Rivera\n") in held
    assert "  note: Baton qualification: Sales-ready (BANT, score 100)" in held


def test_the_demo_refuses_a_crm_it_does_not_know() -> None:
    result = CliRunner().invoke(app, ["demo", "--crm", "pipedrive"])
    assert (result.exit_code, result.output) == (
        1, "baton demo: --crm: expected hubspot or salesforce, got 'pipedrive'\n")


def test_the_demo_with_salesforce_shows_the_lead_and_task_baton_wrote() -> None:
    result = CliRunner().invoke(app, ["demo", "--crm", "salesforce"])

    assert result.exit_code == 0, result.output
    held = result.output.split("now holds what Baton wrote (0 write(s) waiting, 0 set aside):")[1]
    assert ("  Lead Jo Park <jo.park@acme.example> at Acme Corp: Status Working - Contacted, "
            "owner Sam Rivera\n") in held
    assert "  Task: Baton qualification: Sales-ready (BANT, score 100)" in held
