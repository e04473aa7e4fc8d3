"""An ack, once given, stays given: a listener that fails after ack() still answers Slack at once.

Bolt's thread runner (process_before_response=False) waits for the ack while the listener runs in
another thread. When that listener raises after ack(), the runner un-sets the ack before reporting
the error; unless it had already been sent, Slack then gets nothing for 3 seconds and a 404 (over
Socket Mode, no ack at all, so Slack retries). Here such a failure goes straight to the app's error
handler, which tells the person, and the ack stands.
"""

from __future__ import annotations

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener import Listener
from slack_bolt.listener.thread_runner import ThreadListenerRunner


class _AckKept(Listener):
    """The same listener, whose failures after ack() are reported without un-acking."""

    def __init__(self, listener: Listener, runner: ThreadListenerRunner) -> None:
        self.listener = listener
        self.runner = runner
        self.matchers = listener.matchers
        self.middleware = listener.middleware
        self.ack_function = listener.ack_function
        self.lazy_functions = listener.lazy_functions
        self.auto_acknowledgement = listener.auto_acknowledgement
        self.ack_timeout = listener.ack_timeout

    def run_ack_function(
        self, *, request: BoltRequest, response: BoltResponse
    ) -> BoltResponse | None:
        try:
            return self.listener.run_ack_function(request=request, response=response)
        except Exception as error:
            if request.context.ack.response is None:
                raise  # Not acknowledged yet: Bolt acks with what the error handler answers.
            # Read at call time: App.error() replaces the handler after the runner is built.
            self.runner.listener_error_handler.handle(error=error, request=request, response=None)
            return None


class AckKeepingRunner(ThreadListenerRunner):
    """Bolt's thread runner, running every listener so that a failure after ack() keeps the ack."""

    def run(
        self,
        request: BoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: Listener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        kept = _AckKept(listener, self)
        return super().run(request, response, listener_name, kept, starting_time)


def keep_acks(app: App) -> None:
    """Run the app's listeners on an AckKeepingRunner with the same settings and executor."""
    given = app.listener_runner
    # Bolt takes no runner as an argument; the app reads this attribute on every dispatch.
    app._listener_runner = AckKeepingRunner(
        logger=given.logger,
        process_before_response=given.process_before_response,
        listener_error_handler=given.listener_error_handler,
        listener_start_handler=given.listener_start_handler,
        listener_completion_handler=given.listener_completion_handler,
        listener_executor=given.listener_executor,
        lazy_listener_runner=given.lazy_listener_runner,
    )
