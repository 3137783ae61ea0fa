import json
import logging

import pytest


class _SecurityLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    @property
    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def of(self, event: str) -> list[dict]:
        return [record for record in self.events if record["event"] == event]


@pytest.fixture
def security_log():
    """The JSON lines written to the `security` logger during the test."""
    handler = _SecurityLog()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """allauth's rate limits live in the shared (database) cache; each test starts clean."""
    from django.core.cache import cache

    cache.clear()
