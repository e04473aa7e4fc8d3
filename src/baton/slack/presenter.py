"""Every builder of Block Kit Baton has, over the one renderer the composition root built."""

from __future__ import annotations

from dataclasses import dataclass

from baton.slack.handoff_views import HandoffViews
from baton.slack.intake_views import IntakeViews
from baton.slack.pipeline_views import PipelineViews
from baton.slack.render import Renderer
from baton.slack.verdict_views import VerdictViews
from baton.slack.views import ConversationViews


@dataclass(frozen=True)
class Presenter:
    """The intake's, the conversation's, the handoff card's, the pipeline's and what follows a
    verdict's builders; `handoff` is the CardPresenter the handoff services render cards with,
    `verdicts` the RecheckPresenter of the nurture services."""

    conversation: ConversationViews
    handoff: HandoffViews
    pipeline: PipelineViews
    verdicts: VerdictViews
    intake: IntakeViews


def build_presenter(renderer: Renderer) -> Presenter:
    """The builders over `renderer`, built once at start-up."""
    return Presenter(ConversationViews(renderer), HandoffViews(renderer), PipelineViews(renderer),
                     VerdictViews(renderer), IntakeViews(renderer))
