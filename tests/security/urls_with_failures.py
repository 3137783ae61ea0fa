"""The project's URLs plus views that fail on purpose, to test the error pages."""

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.urls import path

from community.urls import handler500
from community.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("internal detail: /srv/app/settings.py line 42")


def database_gone(request):
    raise OperationalError('connection to server at "db-internal.example" failed: Connection refused')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def forbidden(request):
    raise PermissionDenied("internal rule 17b")


urlpatterns = project_urlpatterns + [
    path("test-failures/crash/", crash),
    path("test-failures/database-gone/", database_gone),
    path("test-failures/connection-closed/", connection_closed),
    path("test-failures/forbidden/", forbidden),
]

__all__ = ["handler500", "urlpatterns"]
