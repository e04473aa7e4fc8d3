"""The composition root: settings in, a ready-to-serve Baton out."""

from __future__ import annotations

import ctypes
import logging
import os
import platform
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from pythonjsonlogger.json import JsonFormatter
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from baton.domain.definition_checks import check_definition
from baton.services.catalog import (
    Catalog,
    CatalogError,
    DefinitionError,
    QuestionSetsEdited,
    StoredDefinition,
    apply_definition,
    current_definition,
    load_catalog,
)
from baton.services.crm import Connection, MappingError, Watched, connect, load_mapping
from baton.services.crm.watched import OnFailure
from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings, SettingsError
from baton.slack import listeners
from baton.slack.acks import WORK_TURNS, runner_of
from baton.slack.app import build_app, build_client
from baton.slack.delivery import make_client
from baton.slack.directory import ManagerDirectory
from baton.slack.machinery import Machinery
from baton.slack.metrics import Counted, Metrics
from baton.slack.presenter import Presenter, build_presenter
from baton.slack.render import Renderer
from baton.slack.server import EVENTS_PATH, serve
from baton.slack.socket import build_socket_handler
from baton.slack.web import PooledWebClient
from baton.slack.worker import Worker
from baton.store.db import display_url, make_engine, upgrade

logger = logging.getLogger(__name__)
# Beyond the listeners working after their ack: the outbox sender, the tick, the health check
# and metrics, and modals that read the database before their ack to show its errors.
SPARE_CONNECTIONS = 6
# mallopt(3): the most arenas glibc's allocator keeps for the threads of `baton run`.
M_ARENA_MAX, MALLOC_ARENAS = -8, 2
# How start-up brings the schema up to date: store.db.upgrade, or upgrade_apart for `baton run`.
Migrate = Callable[[sa.Engine], object]


class StartupError(Exception):
    """Baton cannot start; the message is one line naming what to fix."""


@dataclass(frozen=True)
class Runtime:
    """Everything a running Baton holds, built once at start-up."""

    settings: Settings
    engine: sa.Engine
    uow: UnitOfWork
    catalog: Catalog
    presenter: Presenter
    client: WebClient
    app: App
    # The outbox's own client: it must not retry by itself, the outbox decides when to try again.
    outbox_client: WebClient
    metrics: Metrics
    # The team's CRM (BATON_CRM), with sales ops' mapping; None when none is connected.
    crm: Connection | None = None


def connection(settings: Settings, on_failure: OnFailure | None = None) -> Connection | None:
    """The CRM of BATON_CRM with its credentials and prompts/crm.yaml's mapping; refused at
    start-up, naming the variable or the file's field, when one is missing or wrong.
    `on_failure` hears of every call the CRM failed."""
    if not settings.baton_crm:
        return None
    try:
        settings.require_crm()
        mapping = load_mapping(settings.baton_prompts_dir, settings.baton_crm)
    except SettingsError as exc:
        raise StartupError(str(exc)) from None
    except MappingError as exc:
        raise StartupError(f"BATON_PROMPTS_DIR: {exc}") from None
    salesforce = {name: getattr(settings, f"salesforce_{name}") for name in (
        "instance_url", "access_token", "username", "password", "security_token", "domain",
        "ca_bundle")}
    crm = connect(settings.baton_crm, mapping, hubspot_token=settings.hubspot_access_token,
                  hubspot_url=settings.hubspot_api_url, salesforce=salesforce)
    if on_failure is not None:
        crm = Watched(crm, on_failure)
    return Connection(key=settings.baton_crm, crm=crm, mapping=mapping,
                      lookup_seconds=settings.baton_crm_lookup_seconds,
                      pull_minutes=settings.baton_crm_pull_minutes)


def build_runtime(settings: Settings, *, migrate: Migrate = upgrade) -> Runtime:
    """Migrate the database (with `migrate`), load the prompts and wire the Bolt app with every
    listener."""
    catalog = _catalog(settings)
    engine = make_engine(settings.database_url, pool_size=WORK_TURNS + SPARE_CONNECTIONS)
    uow = UnitOfWork(engine)
    _prepare_database(engine, uow, catalog, migrate)
    metrics = Metrics(uow)
    client = build_client(settings, on_failure=metrics.slack_failed)
    presenter = build_presenter(Renderer())
    app = checked_app(settings, client)
    metrics.watch_work(runner_of(app).backlog)
    crm = connection(settings, on_failure=metrics.crm_failed)
    listeners.register(app, listeners.build_deps(client=client, uow=uow, catalog=catalog,
                                                   settings=settings, presenter=presenter,
                                                   crm=crm))
    outbox_client = make_client(token=settings.slack_bot_token, base_url=settings.slack_api_url,
                                on_failure=metrics.slack_failed)
    return Runtime(settings=settings, engine=engine, uow=uow, catalog=catalog,
                   presenter=presenter, client=client, app=app, outbox_client=outbox_client,
                   metrics=metrics, crm=crm)


def _catalog(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.baton_prompts_dir)
    except CatalogError as exc:
        raise StartupError(f"BATON_PROMPTS_DIR: fix the prompts first ({exc})") from None


def _prepare_database(engine: sa.Engine, uow: UnitOfWork, catalog: Catalog,
                      migrate: Migrate) -> None:
    """Migrate, then adopt prompts/definition.yaml with the question sets beside it: a new
    version label comes into force; question sets edited under a stored label are refused."""
    try:
        migrate(engine)
        applied = apply_definition(uow=uow, yaml_text=catalog.definition_text,
                                   applied_by="baton (prompts/definition.yaml)",
                                   frameworks=catalog.framework_texts)
        if applied.in_force != applied.version:
            logger.warning("Definition %s is in force, put back with `baton definition use`; "
                           "prompts/definition.yaml is %s, applied before", applied.in_force,
                           applied.version)
        _check_in_force(current_definition(uow=uow), catalog)
    except QuestionSetsEdited as exc:
        raise StartupError(f"BATON_PROMPTS_DIR: {exc}") from None
    except DefinitionError as exc:
        raise StartupError(f"BATON_PROMPTS_DIR: definition.yaml: {exc}") from None
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise StartupError(
            f"DATABASE_URL: cannot use the database at {display_url(engine)} ({reason})"
        ) from None


def _check_in_force(stored: StoredDefinition | None, catalog: Catalog) -> None:
    """The definition in force must fit the question sets it judges with: the ones it pins, or
    for a version stored before versions pinned theirs, these."""
    if stored is not None and stored.frameworks is not None:
        return  # applied only once checked against the question sets it pins
    problems = check_definition(stored.definition, catalog.frameworks) if stored else []
    if stored is not None and problems:
        listed = "; ".join(f"{problem.field}: {problem.message}" for problem in problems)
        raise StartupError(
            f"BATON_PROMPTS_DIR: the definition in force, {stored.version}, does not fit the "
            f"question sets ({listed}); restore them, or apply a definition that fits")


def build_machinery(runtime: Runtime) -> Machinery:
    """The outbox sender and SLA tick of this runtime, not started yet."""
    managers = ManagerDirectory(runtime.outbox_client, runtime.settings.baton_managers)
    return Machinery(uow=runtime.uow, client=runtime.outbox_client, catalog=runtime.catalog,
                     managers=managers, presenter=runtime.presenter.handoff,
                     rechecks=runtime.presenter.verdicts,
                     fallback=runtime.settings.baton_sales_channel,
                     digests=runtime.presenter.pipeline, crm=runtime.crm)


LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ALEMBIC_PREAMBLE = frozenset({"Context impl %s.", "Will assume %s DDL."})


def configure_logging(log_format: str = "text") -> None:
    """One line per record on stderr, at INFO, for whatever runs Baton to collect: text, or a
    JSON object (timestamp, level, logger, message, and the traceback if any) for a log store."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter(
            "%(levelname)s %(name)s %(message)s", timestamp=True,
            rename_fields={"levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(LOG_FIELDS))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # Alembic names each of its plugins as it loads them, at every start: not news to anyone.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # Nor how it talks to the database, said each time it looks at the schema; each migration it
    # runs is still said.
    logging.getLogger("alembic.runtime.migration").addFilter(
        lambda record: record.msg not in ALEMBIC_PREAMBLE)


def checked_app(settings: Settings, client: WebClient) -> App:
    """The Bolt app, its bot token checked with Slack once; a refused token or an unreachable
    Slack stops start-up, naming the variable."""
    try:
        return build_app(settings=settings, client=client, check_token=True)
    except BoltError as exc:
        refused = exc.__context__
        reason = (refused.response.get("error", "unknown error")
                  if isinstance(refused, SlackApiError) else str(exc))
        raise StartupError(f"SLACK_BOT_TOKEN: Slack refused the bot token ({reason})") from None
    except OSError as exc:
        raise StartupError(
            f"SLACK_API_URL: could not reach Slack at {settings.slack_api_url} ({exc})") from None


def start_worker(runtime: Runtime) -> Worker | None:
    """The worker process doing the work after each ack, started before any other thread;
    None when BATON_WORKER=false, or off Linux, and that work is done in this process."""
    if not runtime.settings.baton_worker:
        return None
    if sys.platform != "linux":
        # A forked copy of a process is safe on Linux; macOS's system libraries may not be.
        logger.info("The work after each ack is done in this process: a worker process needs "
                    "Linux")
        return None

    def prepare(report: Callable[[Counted], None]) -> None:
        runtime.engine.dispose(close=False)  # the serving process's connections stay its own
        for client in (runtime.client, runtime.outbox_client):
            if isinstance(client, PooledWebClient):
                client.forget_connections()
        runtime.metrics.relay_to(report)

    return Worker(runtime.app, prepare=prepare, receive=runtime.metrics.count).start()


def run_runtime(runtime: Runtime) -> None:
    """Serve until stopped, with the worker and the machinery running: Socket Mode or HTTP."""
    settings = runtime.settings
    _fewer_malloc_arenas()
    worker = start_worker(runtime)
    machinery = build_machinery(runtime).start()
    _stop_on_sigterm()
    try:
        if settings.slack_app_token:
            logger.info("Baton is running in Socket Mode (Slack API at %s)",
                        settings.slack_api_url)
            build_socket_handler(runtime.app, settings.slack_app_token,
                                 runtime.metrics).start()
        else:
            logger.info("Baton is listening over HTTP on 0.0.0.0:%d%s", settings.port,
                        EVENTS_PATH)
            serve(runtime.app, runtime.engine, settings.port,
                  signing_secret=settings.slack_signing_secret,
                  access_log=settings.baton_access_log, metrics=runtime.metrics)
    except KeyboardInterrupt:
        logger.info("Baton is stopping")
    finally:
        if worker is not None:
            worker.stop()
        machinery.stop()
        logger.info("Baton stopped: nothing is being sent or ticked")


def _fewer_malloc_arenas() -> None:
    # glibc gives a thread that allocates while another does an arena of its own, up to eight
    # per CPU, each keeping what it once held: the request threads of `baton run` held about 6
    # MB more in fifteen arenas than in two, for no speed (Python's lock serialises them anyway).
    # MALLOC_ARENA_MAX, glibc's own setting, is the operator's to override this.
    if platform.libc_ver()[0] == "glibc" and "MALLOC_ARENA_MAX" not in os.environ:
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def _stop_on_sigterm() -> None:
    # SIGTERM (docker stop, systemd) must end Baton as Ctrl-C does, through the `finally` that
    # stops the machinery: Socket Mode would otherwise wait forever, and uvicorn re-raises the
    # signal it caught once it has shut down, which by default kills the process there.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
