"""What Baton reads from and writes to a team's CRM, as sales ops map it in prompts/crm.yaml:
the field set at each step of a lead's life, the fields read at intake, and the deal stages
that mean won or lost."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from baton.domain.matching import fold


class CrmStep(StrEnum):
    """A moment in a lead's life that Baton tells the CRM about."""

    SALES_READY = "sales_ready"
    NOT_SALES_READY = "not_sales_ready"
    CLAIMED = "claimed"
    REJECTED = "rejected"
    MEETING_HELD = "meeting_held"
    OPPORTUNITY_CREATED = "opportunity_created"
    WON = "won"
    LOST = "lost"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldValues(_Strict):
    """One field on the person's record (HubSpot contact, Salesforce lead) and the value it
    takes at each step; a step not listed leaves the field as it is."""

    field: str = Field(min_length=1)
    values: dict[CrmStep, str] = Field(default_factory=dict)

    @field_validator("values", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            bad = [key for key, item in value.items() if not isinstance(item, str)]
            if bad:
                raise ValueError(f"expected each value in quotes, as the CRM spells it "
                                 f"(see {', '.join(map(str, bad))})")
        return value


class CompanyFields(_Strict):
    """The company's fields Baton reads at intake to fill in what the BDR left blank."""

    industry: str = ""
    employees: str = ""
    country: str = ""


class DealStages(_Strict):
    """The deal (opportunity) stages that close a deal; every other stage is open."""

    won: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()

    def outcome(self, stage: str) -> str | None:
        """"won", "lost" or None (still open) for a deal in `stage`, whatever its case."""
        wanted = fold(stage)
        if any(fold(name) == wanted for name in self.won):
            return "won"
        if any(fold(name) == wanted for name in self.lost):
            return "lost"
        return None


class CrmMapping(_Strict):
    """One CRM's mapping: the status field (and an optional lifecycle field) Baton sets, the
    company fields it reads, and the stages that close a deal."""

    status: FieldValues
    lifecycle: FieldValues | None = None
    company_fields: CompanyFields = CompanyFields()
    deal_stages: DealStages = DealStages()

    def fields_at(self, step: CrmStep) -> dict[str, str]:
        """The person's fields and values to write at `step`; empty when none changes."""
        written = {}
        for mapped in (self.status, self.lifecycle):
            if mapped is not None and step in mapped.values:
                written[mapped.field] = mapped.values[step]
        return written


class CrmMappings(_Strict):
    """prompts/crm.yaml: a mapping for each CRM a team may connect."""

    hubspot: CrmMapping | None = None
    salesforce: CrmMapping | None = None

    def of(self, crm: str) -> CrmMapping | None:
        return {"hubspot": self.hubspot, "salesforce": self.salesforce}.get(crm)


def split_name(full: str) -> tuple[str, str]:
    """A contact's first and last names as CRMs keep them: "Dana Reyes" -> ("Dana", "Reyes");
    one word is a last name (Salesforce requires one)."""
    words = full.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def employees_of(value: object) -> int | None:
    """A CRM's employee count ("1200", 1200.0, "") as a whole number; None when not one."""
    try:
        number = int(float(str(value).replace(",", "").strip()))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number >= 0 else None
