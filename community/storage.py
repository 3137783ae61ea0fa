"""Storage for access-controlled files (blog covers, youth images and resources, case studies).

Files live under PRIVATE_MEDIA_ROOT, never below MEDIA_URL: each app serves them through a
view that checks the viewer may see them. The location is read from the settings at each use,
so a changed PRIVATE_MEDIA_ROOT (tests, a new volume) is honoured.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, subdirectory: str, **kwargs):
        self.subdirectory = subdirectory
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.subdirectory

    @property
    def location(self):
        return os.path.abspath(self.base_location)
