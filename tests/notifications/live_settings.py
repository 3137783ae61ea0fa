"""Settings for the daphne processes of test_multiprocess: the real ones, plus one URL that
creates a notification the way a feature app's service does."""

from community.settings import *  # noqa: F403

ROOT_URLCONF = "tests.notifications.live_urls"
