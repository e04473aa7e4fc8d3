"""The funnel chart is a PNG a person can read: every stage, sized by its count."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from baton.services.pipeline import Stage, funnel_png, stage_note

STAGES = [Stage("Qualified", 50), Stage("Sales-ready", 20), Stage("Claimed", 18),
          Stage("Accepted", 12), Stage("Opportunity", 6), Stage("Won", 2)]
BAR = (0x45, 0x7B, 0x9D)


def _bar_lengths(png: bytes) -> list[int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    lengths = []
    for index in range(len(STAGES)):
        y = 70 + index * 64 + 20
        lengths.append(sum(1 for x in range(image.width) if image.getpixel((x, y)) == BAR))
    return lengths


def test_the_chart_is_a_png_of_sensible_size() -> None:
    image = Image.open(io.BytesIO(funnel_png(STAGES, "Pipeline · this week")))
    assert image.format == "PNG"
    assert 600 <= image.width <= 1600
    assert 300 <= image.height <= 900


def test_each_bar_is_as_long_as_its_share_of_the_first_stage() -> None:
    lengths = _bar_lengths(funnel_png(STAGES, "t"))
    assert lengths == sorted(lengths, reverse=True)
    assert lengths[1] == pytest.approx(lengths[0] * 20 / 50, abs=2)
    assert lengths[5] == pytest.approx(lengths[0] * 2 / 50, abs=2)


def test_an_empty_period_still_draws_a_chart() -> None:
    empty = [Stage(stage.label, 0) for stage in STAGES]
    assert Image.open(io.BytesIO(funnel_png(empty, "Nothing yet"))).format == "PNG"


def test_each_stage_says_its_count_and_its_rate_from_the_stage_before() -> None:
    assert stage_note(STAGES, 0) == "50"
    assert stage_note(STAGES, 1) == "20 · 40% of qualified"
    assert stage_note([Stage("Qualified", 0), Stage("Sales-ready", 0)], 1) == "0 · n/a of qualified"


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="fewer than zero"):
        funnel_png([Stage("Qualified", -1)], "t")
