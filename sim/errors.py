"""The one error a user ever sees from summit: what was wrong, where, and what is allowed.

It lives apart from the loader so that the command line can catch it without loading pydantic,
YAML or numpy first."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario (or an override of it, or a command's argument) that cannot be used, with every
    reason found."""

    def __init__(self, where: str, problems: list[str]):
        self.where = where
        self.problems = problems
        super().__init__(self.message())

    def message(self) -> str:
        if len(self.problems) == 1:
            return f"{self.where}: {self.problems[0]}"
        listed = " ".join(f"({i}) {p}" for i, p in enumerate(self.problems, 1))
        return f"{self.where}: {len(self.problems)} problems: {listed}"
