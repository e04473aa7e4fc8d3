"""The code scanner finds registrations and Web API calls however they are written."""

from __future__ import annotations

from tests.slack_spec.scan import scan_sources, web_api_methods

IDS = 'QUALIFY = "/qualify"\nCLAIM = "claim"\n'
LISTENERS = """
from baton.slack import ids

def register(app, client):
    app.command(ids.QUALIFY)(qualify)
    app.command("/pipeline")(pipeline)
    app.event("app_mention")(mention)
    app.event({"type": "message", "subtype": None})(note)
    app.action(ids.CLAIM)(claim)

def claim(ack, client, say):
    ack()
    client.chat_postMessage(channel="C1", text="x")
    client.files_upload_v2(channel="C1", content=b"", filename="f.png")
    client.api_call("pins.add", json={})
    say("done")
    enqueue(session=session, kind="reactions.add", payload={}, dedupe_key="k")
    client.api_call(row.kind, json={})
    "a_b".split("_")

cli.command()(run)
cli.command("serve")(serve)
"""


def test_finds_commands_events_and_interactivity() -> None:
    uses = scan_sources([IDS, LISTENERS])
    assert uses.commands == {"/qualify", "/pipeline"}
    assert uses.events == {"app_mention", "message"}
    assert uses.interactive == {"action"}


def test_finds_web_api_methods() -> None:
    uses = scan_sources([IDS, LISTENERS])
    assert uses.methods == {
        "chat.postMessage",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
        "pins.add",
        "reactions.add",
    }


def test_web_api_method_names() -> None:
    assert web_api_methods("usergroups_users_list") == ("usergroups.users.list",)
    assert web_api_methods("chat_getPermalink") == ("chat.getPermalink",)
    assert web_api_methods("split") == ()
    assert web_api_methods("not_a_client_method") == ()
