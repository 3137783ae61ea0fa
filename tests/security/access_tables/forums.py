"""forums pages: who may reach what (rows to be filled in).

Reading a row: one answer per role, in ROLES order (see test_authorization_matrix.py).
"""


def extend(world, request):
    """Adds this app's own and foreign objects to the shared world."""


TARGETS = {}

POST_DATA = {}

EXPECTED = {}
