"""Who is a manager: the user ids of BATON_MANAGERS and the members of its user groups."""

from __future__ import annotations

import logging

from baton.services.runner import ManagerDirectory, ManagersUnavailable

log = logging.getLogger(__name__)


class Managers:
    """Answers "may this person see the team's numbers?", failing closed when Slack cannot say."""

    def __init__(self, directory: ManagerDirectory, named: list[str]) -> None:
        self._directory = directory
        self._people = {item for item in named if not item.startswith("S")}

    def is_manager(self, user_id: str) -> bool:
        """True for a manager named directly or, as Slack last listed it, through a user group."""
        if user_id in self._people:
            return True
        try:
            return user_id in self._directory.users()
        except ManagersUnavailable as error:
            # Never show team numbers on a guess: this person sees their own until Slack answers.
            log.warning("Could not check whether %s is a manager: %s", user_id, error)
            return False
