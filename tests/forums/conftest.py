"""Forum test helpers. State is built through the forums' services, as in production."""

import pytest

from forums import services
from forums.models import Forum


@pytest.fixture
def forums(db):
    """The four communities of practice, as seeded by the data migration."""
    return {forum.slug: forum for forum in Forum.objects.all()}


@pytest.fixture
def helplines(forums):
    return forums["helplines"]


@pytest.fixture
def hotlines(forums):
    return forums["hotlines"]


@pytest.fixture
def start_topic():
    def _start(author, forum, title="Sextortion cases rising", body="We see more contacts about this.", tags=()):
        return services.create_topic(actor=author, forum=forum, title=title, body=body, tags=tags)

    return _start
