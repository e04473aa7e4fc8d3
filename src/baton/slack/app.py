"""The Bolt app: one synchronous App, its Web API client and the global error handler."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeGuard

import sqlalchemy as sa
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.context.respond import Respond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from baton.settings import Settings
from baton.slack.acks import REQUEST_THREADS, keep_acks
from baton.slack.failures import error_code
from baton.slack.inbound import without_nul
from baton.slack.web import OnFailure, PooledWebClient

logger = logging.getLogger(__name__)

APOLOGY = (
    ":warning: Sorry, something went wrong on Baton's side and your request was not completed. "
    "Please try again in a minute; if it keeps happening, tell your Slack admin."
)
DATABASE_DOWN = (
    ":warning: Baton cannot reach its database just now, so nothing was saved. "
    "Please try again in a minute; if it keeps happening, tell your Slack admin."
)
# Slack lets an app open a form only within 3 seconds of the click or command that asked for it,
# and only once per click: past that, views.open is refused with one of these.
TRIGGER_SPENT = frozenset({"expired_trigger_id", "exchanged_trigger_id"})
FORM_TOO_LATE = (
    ":hourglass: Baton was busy and missed the 3 seconds Slack allows to open that form. "
    "Nothing was lost: please {again}."
)


def build_client(settings: Settings, on_failure: OnFailure | None = None) -> WebClient:
    """A Web API client for the configured Slack, retrying rate limits, 5xx and lost connections,
    over kept-alive connections; `on_failure` hears of every call that failed."""
    client = PooledWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url,
                             on_failure=on_failure)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


def build_app(*, settings: Settings, client: WebClient, check_token: bool = False) -> App:
    """The Bolt App for one workspace: signed requests only, acks before the slow work.

    With `check_token`, Bolt asks Slack who the bot is (auth.test) now, once, so no request
    later waits on Slack for it, nor fails because Slack is down just then."""
    bolt_log = logging.getLogger("baton.slack")
    # Bolt reads SLACK_BOT_TOKEN itself even when given a client, and then warns at every start
    # that it uses the client's token instead: the same token, from the same variable.
    warning = warning_client_prioritized_and_token_skipped()

    def same_token(record: logging.LogRecord) -> bool:
        return record.getMessage() != warning

    bolt_log.addFilter(same_token)
    try:
        app = App(
            # Named, or Bolt names it after its caller's file by reading every frame's source.
            name="baton",
            signing_secret=settings.slack_signing_secret,
            client=client,
            # Each listener runs in its request's thread, which answers Slack as soon as it acks
            # (acks.dispatch): Bolt's own runner would poll for the ack every 10 ms instead.
            process_before_response=True,
            token_verification_enabled=check_token,
            # Over HTTP, server.checked_request verifies Slack's signature on the raw bytes before
            # Bolt sees the request; Socket Mode has no signature to check.
            request_verification_enabled=False,
            listener_executor=ThreadPoolExecutor(
                max_workers=REQUEST_THREADS, thread_name_prefix="baton-request"
            ),
            logger=bolt_log,
        )
    finally:
        bolt_log.removeFilter(same_token)
    keep_acks(app)
    app.middleware(with_client(client))
    app.middleware(strip_nul)
    app.error(handle_error)
    return app


def with_client(client: WebClient) -> Callable[[BoltRequest, Callable[[], BoltResponse]],
                                               BoltResponse]:
    """Listeners get `client` itself, with its kept-alive connections, where Bolt would give
    them a new plain WebClient for every request."""

    def middleware(req: BoltRequest, next_: Callable[[], BoltResponse]) -> BoltResponse:
        req.context["client"] = client
        return next_()

    return middleware


def strip_nul(req: BoltRequest, next_: Callable[[], BoltResponse]) -> BoltResponse:
    """Every text of every request, over HTTP or Socket Mode, without NUL characters."""
    req.body = without_nul(req.body)
    return next_()


def unreachable(error: Exception) -> bool:
    """Whether the error says the database cannot be reached or used just now."""
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.TimeoutError)


def payload_type(body: dict[str, Any]) -> str:
    """What kind of Slack request this was, for the log: command, block_actions, event:..."""
    if "command" in body:
        return f"command {body['command']}"
    event = body.get("event")
    if isinstance(event, dict):
        return f"event {event.get('type', '?')}"
    return str(body.get("type", "unknown"))


def handle_error(
    error: Exception,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """Log anything a listener did not expect and tell the person it happened to."""
    said = DATABASE_DOWN if unreachable(error) else APOLOGY
    if said is DATABASE_DOWN:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        logger.warning("The database did not answer while handling %s: %s",
                       payload_type(body), reason)
    elif trigger_spent(error):
        said = form_too_late(body)
        logger.warning("Slack would not open a form for %s (%s): Baton's work after the ack "
                       "started too late", payload_type(body), error_code(error))
    else:
        logger.error("Unhandled error while handling %s", payload_type(body), exc_info=error)
    if not context.user_id:
        return None
    if response is not None and ("command" in body or body.get("type") == "view_submission"):
        # Not acknowledged yet: the ack itself tells the person, instead of Slack's error.
        answer = unacknowledged(body, said)
        if answer is not None:
            return answer
    apologise(context, client, respond, said)
    return BoltResponse(status=200, body="") if response is not None else None


def trigger_spent(error: Exception) -> TypeGuard[SlackApiError]:
    """Whether Slack refused to open a form because the click or command asking for it was too
    long ago, or its trigger was used already."""
    return isinstance(error, SlackApiError) and error_code(error) in TRIGGER_SPENT


def form_too_late(body: dict[str, Any]) -> str:
    """What to tell the person whose form Slack would not open any more: how to ask again."""
    if "command" in body:
        command = f"{body['command']} {body.get('text', '')}".strip()
        return FORM_TOO_LATE.format(again=f"run `{command}` again")
    return FORM_TOO_LATE.format(again="click the button again")


def unacknowledged(body: dict[str, Any], said: str) -> BoltResponse | None:
    """The answer to a command or modal that failed before its ack: where the person looks."""
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": said})
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    first = next(iter(values), None) if isinstance(values, dict) else None
    if first is None:
        return None  # no input to show it on: the modal closes and the DM says it
    plain = said.removeprefix(":warning: ")
    return BoltResponse(status=200, body={"response_action": "errors", "errors": {first: plain}})


def apologise(context: BoltContext, client: WebClient, respond: Respond,
              said: str = APOLOGY) -> None:
    """An apology where the person is: ephemeral by response URL or in the channel, else a DM."""
    try:
        if context.response_url:
            respond(text=said, response_type="ephemeral", replace_original=False)
        elif context.channel_id and context.user_id:
            client.chat_postEphemeral(
                channel=context.channel_id, user=context.user_id, text=said
            )
        elif context.user_id:
            # A modal's submit or a click in App Home: no channel, so their DM with Baton.
            client.chat_postMessage(channel=context.user_id, text=said)
    except (SlackClientError, OSError):
        # Slack itself is failing; the error is already logged, there is nothing more to tell.
        logger.warning("Could not send the apology to %s", context.user_id, exc_info=True)
