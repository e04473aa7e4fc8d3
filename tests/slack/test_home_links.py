"""App Home links each open card where Slack's permalink is known, else names its channel."""

from __future__ import annotations

import datetime as dt

from baton.services.pipeline import OpenHandoff, OpenWork
from baton.slack.pipeline_views import PipelineViews
from baton.slack.render import Renderer
from baton.standin.validation import validate_view
from tests.slack.test_pipeline_views import summary

PIPELINE = PipelineViews(Renderer())

SINCE = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
LINK = "https://acme.slack.com/archives/C0SALES/p1700000000000100"


def _home(permalink: str | None) -> dict[str, object]:
    claimed = OpenHandoff(1, "<!channel> & Co", "claimed", "C0SALES", "1.0", SINCE, permalink)
    waiting = OpenHandoff(2, "Initech", "posted", "C0EMEA", "2.0", SINCE, permalink)
    work = OpenWork(paused=[], verdicts=[], claims=[claimed], unclaimed=[waiting])
    return PIPELINE.home_view(work, week=summary())


def _lines(view: dict[str, object]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"]  # type: ignore[attr-defined]
            if b.get("type") == "section" and "text" in b]


def test_a_card_with_a_permalink_is_linked_by_its_escaped_company() -> None:
    view = _home(LINK)

    assert validate_view(view) == []
    lines = _lines(view)
    assert any(line.startswith(f"*Your claimed leads*\n*<{LINK}|&lt;!channel&gt; &amp; Co>* · "
                               "awaiting accept or reject") for line in lines)
    assert any(line.startswith(f"*<{LINK}|Initech>* · waiting since") for line in lines)
    assert "<#C0SALES>" not in str(view)
    assert "<#C0EMEA>" not in str(view)
    assert "<!channel>" not in str(view)


def test_a_card_without_a_permalink_names_its_channel_as_before() -> None:
    view = _home(None)

    assert validate_view(view) == []
    lines = _lines(view)
    assert any("*&lt;!channel&gt; &amp; Co* in <#C0SALES> · awaiting" in line for line in lines)
    assert any(line.startswith("*Initech* in <#C0EMEA> · waiting since") for line in lines)
    assert "https://" not in str(view)
