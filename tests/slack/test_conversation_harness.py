"""A real Baton served over HTTP to FakeSlack, a BDR who talks to it, and a wait for its work."""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from slack_bolt import App

from baton.services.catalog import load_catalog
from baton.services.crm import Connection
from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings, load_settings
from baton.slack import ids, listeners
from baton.slack.acks import AckKeepingRunner
from baton.slack.app import build_app, build_client
from baton.slack.presenter import build_presenter
from baton.slack.render import Renderer
from baton.slack.server import create_asgi, serving_locally
from baton.standin.calls import Call
from baton.standin.client import SlackClient, SlackSide
from baton.standin.signing import Reply
from baton.standin.validation import validate_view
from baton.store.db import make_engine, upgrade
from tests.conftest import PROMPTS_DIR
from tests.slack_spec.server import FakeSlack

SIGNING_SECRET = "test-signing-secret"
STRONG_FIT = {"industry": "software", "employees": "500", "region": "EMEA"}


@dataclass
class Baton:
    """The running Baton, the stand-in Slack it talks to, and its database."""

    fake: FakeSlack
    slack: SlackSide  # signed HTTP, or Socket Mode envelopes
    engine: sa.Engine
    settings: Settings


class Working:
    """The listener runs Baton's apps have started and not yet finished."""

    def __init__(self) -> None:
        self._running = 0
        self._changed = threading.Condition()

    def watch(self, app: App) -> None:
        """Count every listener run `app` hands to its executors from now on."""
        runner = app.listener_runner
        counted = _Counted(runner.listener_executor, self)
        runner.listener_executor = counted
        runner.lazy_listener_runner.executor = counted  # type: ignore[attr-defined]
        if isinstance(runner, AckKeepingRunner):  # deferred listeners' work waits there
            runner.work_executor = _Counted(runner.work_executor, self)

    def add(self, change: int) -> None:
        with self._changed:
            self._running += change
            self._changed.notify_all()

    def wait(self, limit: float) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._running == 0, timeout=limit):
                raise AssertionError(f"Baton still had {self._running} Slack request(s) in hand"
                                     f" after {limit} s")


class _Counted(Executor):
    """An executor that tells `Working` when each piece of work starts and ends."""

    def __init__(self, inner: Executor, working: Working) -> None:
        self._inner, self._working = inner, working

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self._working.add(1)
        try:
            future = self._inner.submit(fn, *args, **kwargs)
        except BaseException:
            self._working.add(-1)
            raise
        future.add_done_callback(lambda _: self._working.add(-1))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait, cancel_futures=cancel_futures)


# What the Batons talking to each stand-in are working on, for settle().
_working: weakref.WeakKeyDictionary[FakeSlack, Working] = weakref.WeakKeyDictionary()


def watch(app: App, fake: FakeSlack) -> None:
    """Have settle(fake) wait for the listener runs of `app`, a Baton talking to `fake`."""
    _working.setdefault(fake, Working()).watch(app)


def settle(fake: FakeSlack, limit: float = 20.0) -> None:
    """Wait until every Baton talking to `fake` has finished what its acks promised."""
    working = _working.get(fake)
    if working is not None:
        working.wait(limit)


@contextmanager
def running(settings: Settings, fake: FakeSlack,
            crm: Connection | None = None) -> Iterator[tuple[SlackClient, sa.Engine]]:
    """One Baton process: its engine, catalog and Bolt app served by uvicorn (asking `crm` at
    intake)."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    app = build_app(settings=settings, client=build_client(settings))
    catalog = load_catalog(PROMPTS_DIR)
    listeners.register(app, listeners.build_deps(
        client=app.client, uow=UnitOfWork(engine), catalog=catalog, settings=settings,
        presenter=build_presenter(Renderer()), crm=crm))
    watch(app, fake)
    try:
        asgi = create_asgi(app, engine, signing_secret=SIGNING_SECRET)
        with serving_locally(asgi) as url, SlackClient(
            url, SIGNING_SECRET, response_base=fake.root
        ) as client:
            yield client, engine
    finally:
        engine.dispose()


def settings_for(fake: FakeSlack, database_url: str, **more: object) -> Settings:
    return load_settings(
        slack_bot_token=fake.token, slack_signing_secret=SIGNING_SECRET, slack_app_token="",
        slack_api_url=fake.url, database_url=database_url, baton_sales_channel="C0SALES",
        **more,
    )


def new_user() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def intake_values(company: str, framework: str = "bant", **more: str) -> dict[str, Any]:
    """The intake modal's state.values as Slack sends them.

    `industry` and `region` are picked from their lists ("Don't know" unless given), or typed
    under Other… with `other_industry` / `other_region`; `open_opportunity` is yes, no or
    left as "Don't know".
    """
    fields = {ids.INTAKE_COMPANY: company, ids.INTAKE_CONTACT: "Jo Park",
              ids.INTAKE_TITLE: "Head of Operations"}
    picked = {ids.INTAKE_INDUSTRY: more.pop("industry", ids.FIT_UNKNOWN),
              ids.INTAKE_REGION: more.pop("region", ids.FIT_UNKNOWN),
              ids.INTAKE_OPEN_OPPORTUNITY: more.pop("open_opportunity", ids.OPPORTUNITY_UNKNOWN),
              ids.INTAKE_FRAMEWORK: framework}
    for name, typed in [("other_industry", ids.INTAKE_INDUSTRY_OTHER),
                        ("other_region", ids.INTAKE_REGION_OTHER)]:
        if name in more:
            fields[typed] = more.pop(name)
            picked[typed.removesuffix("_other")] = ids.FIT_OTHER
    fields |= {getattr(ids, f"INTAKE_{k.upper()}"): v for k, v in more.items()}
    values = {b: {ids.INPUT: {"type": "plain_text_input", "value": v}} for b, v in fields.items()}
    for block, value in picked.items():
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        values[block] = {ids.INPUT: {"type": "static_select", "selected_option": option}}
    return values


@dataclass
class Bdr:
    """One BDR in the conversation: sends what they click and reads what Baton posted."""

    baton: Baton
    user: str = field(default_factory=new_user)

    @property
    def fake(self) -> FakeSlack:
        return self.baton.fake

    def posts(self) -> list[Call]:
        dm = self.fake.workspace.dm_for(self.user)
        return [c for c in self.fake.calls_to("chat.postMessage")
                if c.response.get("channel") == dm]

    def wait_posts(self, count: int, timeout: float = 5.0) -> list[Call]:
        dm = self.fake.workspace.dm_for(self.user)
        return self.fake.wait_for("chat.postMessage", count, timeout=timeout,
                                  where=lambda c: c.response.get("channel") == dm)

    def start(self, company: str, framework: str = "bant", **more: str) -> Call:
        """Open the intake with `/qualify`, submit it and wait for the first question."""
        response = submit_intake(self.baton, self.user,
                                 intake_values(company, framework, **more))
        assert response.status_code == 200, response.text
        assert response.json()["response_action"] == "update", response.text
        return self.wait_posts(2)[-1]

    def click(self, message: Call, label: str, user: str | None = None) -> Any:
        """Click the button labelled `label` on a posted message."""
        button = next(b for b in buttons(message) if b["text"]["text"] == label)
        # A response_url message is ephemeral: Slack gives it a ts, in the command's channel.
        ts = message.response.get("ts", "1700000000.999999")
        sent = {"ts": ts, "type": "message", "text": "", "blocks": []}
        response = self.baton.slack.block_action(
            button["action_id"], button["value"], user_id=user or self.user,
            channel_id=message.response.get("channel", "C0BDRS"), message=sent)
        assert response.status_code == 200, response.text
        # As a BDR sees the click take effect before doing anything else.
        settle(self.fake)
        return response

    def answer(self, message: Call, label: str) -> Call:
        """Click an answer and wait for what Baton posts next."""
        count = len(self.posts())
        self.click(message, label)
        return self.wait_posts(count + 1)[-1]


def submit_intake(baton: Baton, user: str, values: dict[str, Any]) -> Reply:
    """The intake modal, open in Slack, submitted with `values`; Baton's answer."""
    view_id = baton.fake.show_modal({"type": "modal", "callback_id": ids.INTAKE_MODAL,
                                     "title": {"type": "plain_text", "text": "Qualify a lead"},
                                     "blocks": []})
    return baton.slack.view_submission(ids.INTAKE_MODAL, values, user_id=user, view_id=view_id)


def intake_answered(baton: Baton, user: str, name: str, **more: str) -> dict[str, Any]:
    """`/qualify name`, the intake submitted: acknowledged at once with the modal saying Baton
    is looking; the view the modal turned into then."""
    opened = len(baton.fake.calls_to("views.open"))
    baton.slack.command("/qualify", name[:50], user_id=user)
    view_id = baton.fake.wait_for("views.open", opened + 1)[-1].response["view"]["id"]
    response = baton.slack.view_submission(ids.INTAKE_MODAL, intake_values(name, **more),
                                           user_id=user, view_id=view_id)
    answer = response.json()
    assert answer["response_action"] == "update", answer
    assert "Looking for" in shown_view(answer["view"])
    updated = baton.fake.wait_for("views.update",
                                  where=lambda c: c.args.get("view_id") == view_id)[-1]
    assert validate_view(updated.args["view"]) == []
    return {**updated.args["view"], "id": view_id}

def elements(message: Call) -> list[dict[str, Any]]:
    """Every interactive element of a message: buttons, menus, date pickers."""
    blocks = message.args.get("blocks") or []
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if "accessory" in b]


def view_buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a modal's action blocks, in order."""
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def shown_view(view: dict[str, Any]) -> str:
    """Everything a person reads in a view."""
    return shown(Call("views.open", {"view": view}, {}, 0.0))


def told_in_dm(baton: Baton, user: str) -> str:
    """What Baton told `user` in their DM with it, for their eyes only: a refusal after the modal
    they submitted had closed."""
    dm = baton.fake.workspace.dm_for(user)
    told = baton.fake.wait_for("chat.postEphemeral", where=lambda c: (
        c.args.get("channel") == dm and c.args.get("user") == user))
    return str(told[-1].args["text"])


def buttons(message: Call) -> list[dict[str, Any]]:
    return [e for e in elements(message) if e.get("type") == "button"]


def shown(call: Call) -> str:
    """Everything a person reads in a message or view: text and every text in its blocks."""
    parts: list[str] = [str(call.args.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                parts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(call.args.get("blocks"))
    walk(call.args.get("view"))
    return "\n".join(parts)


def count_rows(engine: sa.Engine, sql: str, **params: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(sql), params).scalar_one())


def handoffs_of(engine: sa.Engine, company: str) -> int:
    return count_rows(engine, "SELECT count(*) FROM handoff h JOIN lead l ON h.lead_id = l.id"
                      " WHERE l.company = :company", company=company)

