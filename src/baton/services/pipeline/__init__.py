"""How the pipeline is doing: summaries and who may see them, the funnel chart, App Home's open
work, and the export for the CRM.

Use cases: ask_pipeline (the summary a person may see for what they asked), summarise,
rep_summary (a sales rep's own numbers), open_work (App Home), export_rows (export_count for a
progress bar), funnel_png.
"""

from baton.services.pipeline.access import (
    Ask,
    Channel,
    ChannelsUnavailable,
    ChannelUnreadable,
    NotAPerson,
    Summarised,
    Teams,
    TeamUnavailable,
    TeamUnreadable,
    ask_pipeline,
)
from baton.services.pipeline.breakdown import DIMENSIONS, Breakdown, CohortRow, breakdown
from baton.services.pipeline.chart import (
    Comparison,
    Stage,
    criteria_png,
    funnel_png,
    funnel_stages,
    stage_note,
)
from baton.services.pipeline.criteria import CriteriaSeen, CriterionReport, ask_criteria
from baton.services.pipeline.export import (
    columns,
    criterion_keys,
    export_cells,
    export_count,
    export_rows,
    write_csv,
    write_jsonl,
)
from baton.services.pipeline.home import SHOWN, OpenHandoff, OpenWork, RecentVerdict, open_work
from baton.services.pipeline.reps import RepFigures, RepSummary, rep_summary
from baton.services.pipeline.summary import BdrRow, Figures, Summary, rate, summarise

__all__ = [
    "SHOWN", "Ask", "BdrRow", "Channel", "ChannelUnreadable", "ChannelsUnavailable", "Figures",
    "NotAPerson", "OpenHandoff", "OpenWork", "RecentVerdict", "RepFigures", "RepSummary",
    "Stage", "Summarised", "Summary", "TeamUnavailable", "TeamUnreadable", "Teams",
    "ask_pipeline", "columns", "criterion_keys", "export_cells", "export_count", "export_rows",
    "funnel_png", "funnel_stages", "open_work", "rate", "rep_summary", "stage_note", "summarise",
    "write_csv", "write_jsonl", "Comparison", "CriteriaSeen", "CriterionReport", "ask_criteria",
    "criteria_png", "DIMENSIONS", "Breakdown", "CohortRow", "breakdown",
]
