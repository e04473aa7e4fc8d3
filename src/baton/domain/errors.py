"""Refusals: what a person asked that cannot be done, each with the sentence that says why."""

from __future__ import annotations


class Refusal(Exception):
    """Something a person asked cannot be done; str() is a sentence to show them."""


class QualificationError(Refusal):
    """A change to a qualification that cannot be made."""


class NotYours(QualificationError):
    """Someone other than the BDR who started a qualification tried to change it."""

    def __init__(self, owner: str) -> None:
        super().__init__(f"Only <@{owner}>, who started it, can answer this qualification.")
        self.owner = owner


class Closed(QualificationError):
    """The qualification already has its verdict, was abandoned, or no longer exists."""

    def __init__(self, company: str | None, status: str = "finished") -> None:
        if company is None:
            message = "This qualification no longer exists; run `/qualify` to start a new one."
        else:
            message = (f"This qualification of {company} is {status}; "
                       f"run `/qualify {company}` to start a new one.")
        super().__init__(message)
        self.company = company


class NotThisConversation(QualificationError):
    """A click or form names a message outside the qualification's own DM with its BDR."""

    def __init__(self) -> None:
        super().__init__("That message is not part of this qualification's conversation, "
                         "so nothing was changed; answer from the question in your DM with Baton.")


class NotTheBdr(QualificationError):
    """Someone other than the BDR of a qualification tried to correct it or plan its next step."""

    def __init__(self, bdr: str, action: str = "correct its answers") -> None:
        super().__init__(f"Only <@{bdr}>, who qualified this lead, can {action}.")
        self.owner = bdr


class InvalidAnswer(QualificationError):
    """An answer that cannot be stored, such as an amount that cannot be read."""

    def __init__(self, criterion: str, message: str) -> None:
        super().__init__(message)
        self.criterion = criterion


class FormInvalid(QualificationError):
    """Fields of a form that need fixing, keyed by criterion (or intake field) name."""

    def __init__(self, errors: dict[str, str]) -> None:
        listed = "; ".join(f"{key}: {message}" for key, message in errors.items())
        super().__init__(f"Some answers need fixing: {listed}")
        self.errors = errors


class HandoffNotFound(Refusal):
    """No handoff has this id."""


class NotOwner(Refusal):
    """Someone other than the rep who claimed a handoff tried to decide it."""

    def __init__(self, owner: str | None, action: str = "accept or reject it") -> None:
        self.owner = owner
        if owner is None:
            super().__init__(f"Claim it first: only the rep who claimed it can {action}.")
        else:
            super().__init__(f"Only <@{owner}>, who claimed it, can {action}.")


class HandoffClosed(Refusal):
    """The handoff is past the point where this action makes sense."""


class NotAManager(Refusal):
    """Someone who is not among BATON_MANAGERS tried what only managers may do."""

    def __init__(self, action: str = "override a verdict") -> None:
        super().__init__(f"Only sales managers can {action}; ask one of them if it should change.")
