"""The team's CRM: looked up at intake, written on every verdict, claim, rejection and outcome
(through the outbox), and read back for the deals' outcomes."""

from baton.services.crm.connect import NAMES, Connection, connect
from baton.services.crm.deals import Pulled, pull_deals
from baton.services.crm.intake import Looked, look_up_intake
from baton.services.crm.mapping import MappingError, load_mapping, load_mappings
from baton.services.crm.port import Crm, CrmError, Deal, Found, LeadRecord, Records
from baton.services.crm.status import CrmStatus, crm_status, retry_set_aside
from baton.services.crm.watched import Watched
from baton.services.crm.writes import EmailOf, Writer, queue_writes

__all__ = [
    "NAMES", "Connection", "Crm", "CrmError", "CrmStatus", "Deal", "EmailOf", "Found",
    "LeadRecord", "Looked", "MappingError", "Pulled", "Records", "Watched", "Writer", "connect",
    "crm_status", "load_mapping", "load_mappings", "look_up_intake",
    "pull_deals", "queue_writes", "retry_set_aside",
]
