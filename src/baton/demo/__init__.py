"""`baton demo`: a qualification and its handoff through the real app, against a Slack stand-in."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from baton.demo.conversation import Conversation
from baton.demo.crm import demo_crm, show_records, start_listening
from baton.demo.sales import WINNER, SalesFloor
from baton.demo.stage import DemoError, Stage, staged
from baton.services.unit_of_work import UnitOfWork
from baton.standin import Who
from baton.store.tables import Handoff

__all__ = ["DemoError", "run_demo"]

BDR = Who(user_id="U0DANA", user_name="dana")
BDR_NAME = "Dana"


def run_demo(*, framework: str, company: str, echo: Callable[[str], None],
             crm: str | None = None) -> None:
    """Dana qualifies `company` with `framework`, Sam claims and accepts it; what each one sees
    (and, with `crm`, what that CRM holds afterwards)."""
    with demo_crm(crm, f"{WINNER.lower()}@example.com") as connected, staged(
            BDR, connected.settings if connected else None) as stage:
        start_listening(stage.runtime)
        chosen = stage.runtime.catalog.frameworks.get(framework.lower())
        if chosen is None:
            known = ", ".join(sorted(stage.runtime.catalog.frameworks))
            raise DemoError(f"--framework: no framework {framework!r} (choose one of {known})")
        echo(f"Baton demo: {BDR_NAME} qualifies {company} with {chosen.name}.")
        echo(
            f"Slack is a local stand-in at {stage.standin.url}; Baton runs for real at "
            f"{stage.slack.url} with a throwaway SQLite database."
        )
        talk = Conversation(stage=stage, name=BDR_NAME, echo=echo)
        view = talk.qualify(company)
        question = talk.submit_intake(view, chosen.key)
        verdict = talk.answer_all(question, chosen)
        talk.show(f"{BDR_NAME} sees the verdict in her DM:", talk.lines(verdict))
        echo("")
        echo(handoff_line(stage.runtime.uow))
        handoff = handed_off(stage.runtime.uow)
        if handoff is not None:
            SalesFloor(stage=stage, handoff_id=handoff[0], channel=handoff[1],
                       bdr_name=BDR_NAME, echo=echo).run()
        if connected is not None:
            show_records(stage.runtime, connected, echo)
        echo("")
        echo(validation_line(stage))


def handed_off(uow: UnitOfWork) -> tuple[int, str] | None:
    """The id and sales channel of the demo's handoff, if the lead was sales-ready."""
    with uow.reading() as session:
        handoff = session.exec(select(Handoff)).first()
        return None if handoff is None else (handoff.id or 0, handoff.channel)


def handoff_line(uow: UnitOfWork) -> str:
    """Where the lead went: the sales channel and the routing rule that chose it, or nurture."""
    with uow.reading() as session:
        handoff = session.exec(select(Handoff)).first()
        if handoff is None:
            return "Not sales-ready: nothing was handed to sales; the lead goes to nurture."
        rule = f'rule "{handoff.routing_rule}"' if handoff.routing_rule else "default channel"
        return f"Handed to sales: #{handoff.channel} ({rule}), waiting for a rep to claim it."


def validation_line(stage: Stage) -> str:
    """How many Web API calls Baton made, and that Slack would have accepted every one."""
    if stage.standin.invalid:
        method, problems = stage.standin.invalid[0]
        raise DemoError(f"Slack would refuse Baton's {method}: {'; '.join(problems)}")
    made = len([c for c in stage.standin.calls if c.method != "auth.test"])
    return (
        f"Baton made {made} calls to Slack; every message and modal passed "
        "slack_sdk's Block Kit validation."
    )
