"""The intake, typed-answer and form modals never answer 500, whatever arrives: NUL bytes,
metadata Baton did not write, a database that refuses connections."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from baton.services.catalog import load_catalog
from baton.services.unit_of_work import UnitOfWork
from baton.slack import ids, listeners
from baton.slack.app import build_app, build_client
from baton.slack.presenter import build_presenter
from baton.slack.render import Renderer
from baton.slack.server import create_asgi
from baton.slack.server import serving_locally as serving
from baton.standin.client import SlackClient
from baton.store.db import make_engine
from tests.conftest import PROMPTS_DIR
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    buttons,
    count_rows,
    intake_values,
    new_user,
    settings_for,
    settle,
    shown_view,
    told_in_dm,
)
from tests.slack_spec.server import FakeSlack

NUL = "\x00"


def typed(value: str, notes: str = "") -> dict[str, dict[str, Any]]:
    return {ids.TYPED_VALUE: {ids.INPUT: {"type": "plain_text_input", "value": value}},
            ids.TYPED_NOTES: {ids.INPUT: {"type": "plain_text_input", "value": notes}}}


def form_notes(notes: str) -> dict[str, dict[str, Any]]:
    return {ids.form_block(ids.FORM_CHOICE, "budget"): {ids.INPUT: {
                "type": "static_select", "selected_option": {"value": "approved"}}},
            ids.FORM_NOTES: {ids.INPUT: {"type": "plain_text_input", "value": notes}}}


def errors_of(response: Any) -> str:
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["response_action"] == "errors", answer
    return " ".join(answer["errors"].values())


def qid_of(question: Any) -> int:
    return int(buttons(question)[0]["value"].split("|")[0])


def test_nul_bytes_in_every_intake_field_are_dropped(baton: Baton) -> None:
    tag = uuid.uuid4().hex[:8]
    bdr = Bdr(baton)

    bdr.start(f"Acme{NUL} {tag}", contact=f"Jo{NUL}", title=f"C{NUL}FO", source=f"web{NUL}",
              email=f"jo{NUL}@{tag}.example", other_industry=f"Saa{NUL}S",
              other_region=f"EM{NUL}EA", employees="500")

    assert count_rows(baton.engine, "SELECT count(*) FROM lead WHERE company = :c AND "
                      "contact_name = 'Jo' AND title = 'CFO' AND source = 'web' AND "
                      "industry = 'SaaS' AND region = 'EMEA' AND email = :e",
                      c=f"Acme {tag}", e=f"jo@{tag}.example") == 1


def test_nul_bytes_in_a_typed_answer_and_the_form_are_dropped(baton: Baton) -> None:
    bdr = Bdr(baton)
    question = bdr.start(f"Globex {uuid.uuid4().hex[:8]}", **STRONG_FIT)
    qid = qid_of(question)
    metadata = ids.TypedMetadata(qid, "budget", question.response["channel"],
                                 question.response["ts"]).pack()

    answered = baton.slack.view_submission(
        ids.TYPED_MODAL, typed(f"$120{NUL}k", f"Board{NUL} says yes"),
        private_metadata=metadata, user_id=bdr.user)
    settle(baton.fake)
    judged = baton.slack.view_submission(ids.FORM_MODAL, form_notes(f"Call{NUL} back"),
                                         private_metadata=ids.FormMetadata(qid, "bant").pack(),
                                         user_id=bdr.user)
    settle(baton.fake)

    assert (answered.content, judged.content) == (b"", b"")
    assert count_rows(baton.engine, "SELECT count(*) FROM answerentry WHERE qualification_id"
                      " = :q AND typed_value = '$120k' AND notes = 'Board says yes'", q=qid) == 1
    assert count_rows(baton.engine, "SELECT count(*) FROM note WHERE qualification_id = :q"
                      " AND text = 'Call back'", q=qid) == 0  # with the budget answer instead
    assert count_rows(baton.engine, "SELECT count(*) FROM answerentry WHERE qualification_id"
                      " = :q AND notes = 'Call back'", q=qid) == 1


@pytest.mark.parametrize("metadata", ["", "garbage", "²|budget|D0:1", "x" * 3000])
def test_typed_answer_metadata_baton_did_not_write_is_refused_politely(
    baton: Baton, metadata: str
) -> None:
    response = baton.slack.view_submission(ids.TYPED_MODAL, typed("$120k"),
                                           private_metadata=metadata, user_id=new_user())

    assert "nothing was changed" in errors_of(response)
    assert baton.fake.calls_to("chat.update") == []


@pytest.mark.parametrize("metadata", ["", "abc", "-1", "1e3", "1|bant|x"])
def test_form_metadata_baton_did_not_write_is_refused_politely(
    baton: Baton, metadata: str
) -> None:
    said = errors_of(baton.slack.view_submission(
        ids.FORM_MODAL, form_notes("hi"), private_metadata=metadata, user_id=new_user()))

    assert "nothing was changed" in said


@pytest.mark.parametrize(("callback", "metadata"), [
    (ids.TYPED_MODAL, "99999998|budget"), (ids.TYPED_MODAL, "99999999|budget|D0DM:1.0"),
    (ids.FORM_MODAL, "99999999"), (ids.FORM_MODAL, "99999999|bant")])
def test_a_modal_for_a_qualification_baton_does_not_have_closes_and_the_dm_says_so(
    baton: Baton, callback: str, metadata: str
) -> None:
    user = new_user()
    values = typed("$120k") if callback == ids.TYPED_MODAL else form_notes("hi")

    response = baton.slack.view_submission(callback, values, private_metadata=metadata,
                                           user_id=user)

    assert (response.status_code, response.content) == (200, b"")  # the modal closes
    assert "no longer exists" in told_in_dm(baton, user)
    assert baton.fake.calls_to("chat.update") == []


def test_a_form_value_it_cannot_read_is_refused_on_its_field(baton: Baton) -> None:
    bdr = Bdr(baton)
    qid = qid_of(bdr.start(f"Vandelay {uuid.uuid4().hex[:8]}", **STRONG_FIT))
    amount = {ids.form_block(ids.FORM_TYPED, "budget"): {ids.INPUT: {
        "type": "plain_text_input", "value": "lots of money"}}}

    response = baton.slack.view_submission(ids.FORM_MODAL, amount, user_id=bdr.user,
                                           private_metadata=ids.FormMetadata(qid, "bant").pack())

    errors = response.json()["errors"]
    assert list(errors) == [ids.form_block(ids.FORM_TYPED, "budget")]
    assert "expected an amount" in errors[ids.form_block(ids.FORM_TYPED, "budget")]


def test_a_form_with_inputs_baton_never_drew_or_none_at_all_is_refused(baton: Baton) -> None:
    bdr = Bdr(baton)
    qid = qid_of(bdr.start(f"Hooli {uuid.uuid4().hex[:8]}", **STRONG_FIT))
    strange = {"nonsense": {ids.INPUT: {"type": "plain_text_input", "value": "x"}}}

    assert "nothing was changed" in errors_of(baton.slack.view_submission(
        ids.FORM_MODAL, strange, private_metadata=str(qid), user_id=bdr.user))
    empty = baton.slack.view_submission(ids.TYPED_MODAL, {}, private_metadata="garbage",
                                        user_id=bdr.user).json()
    assert empty["response_action"] == "update"
    assert "nothing was changed" in empty["view"]["blocks"][0]["text"]["text"]


# A Baton whose database refuses: PostgreSQL on a port nobody listens on, SQLite in a folder
# that does not exist. Nothing is stopped; the Baton is simply pointed there.
UNREACHABLE = {"postgresql": "postgresql://postgres@127.0.0.1:1/baton",
               "sqlite": "sqlite:///{tmp}/no/such/folder/baton.db"}


@pytest.fixture(params=sorted(UNREACHABLE))
def cut_off(request: pytest.FixtureRequest, tmp_path: Path,
            fake_slack: FakeSlack) -> Iterator[SlackClient]:
    """A Baton over HTTP whose database cannot be reached."""
    settings = settings_for(fake_slack, UNREACHABLE[request.param].format(tmp=tmp_path))
    engine = make_engine(settings.database_url)
    app = build_app(settings=settings, client=build_client(settings))
    listeners.register(app, listeners.build_deps(
        client=app.client, uow=UnitOfWork(engine), catalog=load_catalog(PROMPTS_DIR),
        settings=settings, presenter=build_presenter(Renderer())))
    with serving(create_asgi(app, engine, signing_secret=SIGNING_SECRET)) as url:
        yield SlackClient(url, SIGNING_SECRET, response_base=fake_slack.root)
    engine.dispose()


def test_with_the_database_unreachable_every_modal_says_so_and_nothing_answers_500(
    cut_off: SlackClient, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    user = new_user()
    # What a modal gives is read before the database is: a value it cannot read is refused on
    # its field; a readable one closes the modal, and the DM says nothing was saved.
    typed_answer = "1|budget|D0DM:1700000000.000100"
    said = errors_of(cut_off.view_submission(ids.TYPED_MODAL, typed("lots of money"),
                                             private_metadata=typed_answer, user_id=user))
    assert "Budget" in said
    assert "database" not in said
    reject = {ids.REJECT_REASON: {ids.INPUT: {
        "type": "static_select", "selected_option": {"value": "not_a_fit"}}}}
    submissions = [(ids.TYPED_MODAL, typed("$120k"), typed_answer),
                   (ids.FORM_MODAL, form_notes("hi"), "1|bant"),
                   (ids.REJECT_MODAL, reject, "1|C0EMEA")]

    for told, (callback, values, metadata) in enumerate(submissions, start=1):
        closed = cut_off.view_submission(callback, values, private_metadata=metadata,
                                         user_id=user)
        assert (closed.status_code, closed.content) == (200, b""), callback
        dm = fake_slack.wait_for("chat.postMessage", told,
                                 where=lambda c: c.args.get("channel") == user)
        assert "cannot reach its database" in dm[-1].args["text"], callback
        assert "try again" in dm[-1].args["text"]

    assert cut_off.command("/qualify", "Acme Corp", user_id=user).status_code == 200
    told = fake_slack.wait_for("response_url")[-1].args
    assert (told["response_type"], told["text"].count("cannot reach its database")) == (
        "ephemeral", 1)
    assert fake_slack.calls_to("views.open") == []
    assert "Traceback" not in caplog.text


def test_with_the_database_unreachable_the_intake_says_where_to_look_and_the_dm_says_why(
    cut_off: SlackClient, fake_slack: FakeSlack
) -> None:
    user = new_user()

    response = cut_off.view_submission(ids.INTAKE_MODAL, intake_values("Acme Corp", **STRONG_FIT),
                                       user_id=user)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["response_action"] == "update"
    assert "in your DM with Baton" in shown_view(answer["view"])
    told = fake_slack.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == user)
    assert "cannot reach its database" in told[-1].args["text"]


def test_with_the_database_unreachable_the_known_lead_offer_says_so_in_the_dm(
    cut_off: SlackClient, fake_slack: FakeSlack
) -> None:
    user = new_user()
    offer = {"id": "V0OFFER", "type": "modal", "private_metadata": "some-draft",
             "callback_id": ids.KNOWN_MODAL, "blocks": []}

    response = cut_off.block_action(ids.KNOWN_REQUALIFY, "requalify", user_id=user, view=offer)

    assert response.status_code == 200
    told = fake_slack.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == user)
    assert "cannot reach its database" in told[-1].args["text"]
