"""The funnel chart of a period: qualified -> sales-ready -> claimed -> accepted -> opp -> won."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, ROW, TOP, LEFT, BAR_LEFT = 900, 64, 70, 24, 210
BAR_WIDTH = WIDTH - BAR_LEFT - 40
BACKGROUND, INK, BAR, MUTED = "#ffffff", "#1d3557", "#457b9d", "#6c757d"


@dataclass(frozen=True)
class Stage:
    """One step of the funnel and how many leads reached it."""

    label: str
    count: int


def funnel_stages(figures: object) -> list[Stage]:
    """The six stages of the funnel, read from a pipeline summary's figures."""
    names = [("Qualified", "qualified"), ("Sales-ready", "sales_ready"), ("Claimed", "claimed"),
             ("Accepted", "accepted"), ("Opportunity", "opportunities"), ("Won", "won")]
    return [Stage(label, int(getattr(figures, field))) for label, field in names]


def stage_note(stages: Sequence[Stage], index: int) -> str:
    """The count of a stage and its rate from the stage before ("12 · 40% of previous")."""
    count = stages[index].count
    if index == 0:
        return str(count)
    before = stages[index - 1].count
    rate = f"{count / before:.0%}" if before else "n/a"
    return f"{count} · {rate} of {stages[index - 1].label.lower()}"


def funnel_png(stages: Sequence[Stage], title: str) -> bytes:
    """A PNG of the funnel: one bar per stage, as wide as its share of the first stage."""
    if not stages:
        raise ValueError("a funnel needs at least one stage")
    if any(stage.count < 0 for stage in stages):
        raise ValueError("a funnel stage cannot count fewer than zero leads")
    image, draw = _titled(TOP + ROW * len(stages) + 20, title)
    font = _font(18)
    widest = max(stages[0].count, *(stage.count for stage in stages), 1)
    for index, stage in enumerate(stages):
        y = TOP + index * ROW
        draw.text((LEFT, y + 14), stage.label, fill=INK, font=font)
        length = max(2, round(BAR_WIDTH * stage.count / widest))
        draw.rectangle((BAR_LEFT, y + 6, BAR_LEFT + length, y + ROW - 18), fill=BAR)
        draw.text((BAR_LEFT, y + ROW - 17), stage_note(stages, index), fill=MUTED,
                  font=_font(14))
    return _png(image)


@dataclass(frozen=True)
class Comparison:
    """One criterion's won rate when met and when not met, among the leads handed off."""

    label: str
    met: float
    not_met: float


def criteria_png(rows: Sequence[Comparison], title: str) -> bytes:
    """A PNG of each criterion's won rate met (dark) against not met (grey), on one scale."""
    if not rows:
        raise ValueError("a criteria chart needs at least one criterion to compare")
    image, draw = _titled(TOP + ROW * len(rows) + 20, title)
    font, small = _font(16), _font(14)
    top = max(max(row.met, row.not_met) for row in rows) or 1.0
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        draw.text((LEFT, y + 12), row.label[:22], fill=INK, font=font)
        for offset, rate, colour in ((4, row.met, BAR), (22, row.not_met, MUTED)):
            length = max(2, round(BAR_WIDTH * rate / top))
            draw.rectangle((BAR_LEFT, y + offset, BAR_LEFT + length, y + offset + 14),
                           fill=colour)
        draw.text((BAR_LEFT, y + 40), f"won when met {row.met:.0%} · when not met "
                  f"{row.not_met:.0%}", fill=MUTED, font=small)
    return _png(image)


def _titled(height: int, title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A blank chart `height` pixels high under its title. Pillow is imported when a chart is
    drawn, so only a process that draws one holds it and its libraries (about 5 MB)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((LEFT, 20), title, fill=INK, font=_font(24))
    return image, draw


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
