"""The expected-access table, one module per app so each app's rows live beside each other.

Each module offers `extend(world, request)` (adds its objects to the shared world), `TARGETS`
(url name -> method -> variant -> kwargs builder), `POST_DATA` and `EXPECTED`.
"""

from . import community, forums, meetings, moderation, youth_panels

MODULES = (community, forums, youth_panels, moderation, meetings)

TARGETS: dict = {}
POST_DATA: dict = {}
EXPECTED: dict = {}
for _module in MODULES:
    duplicated = set(TARGETS) & set(_module.TARGETS)
    assert not duplicated, f"{_module.__name__} repeats rows of another table: {duplicated}"
    TARGETS.update(_module.TARGETS)
    POST_DATA.update(_module.POST_DATA)
    EXPECTED.update(_module.EXPECTED)


def extend_world(world, request):
    for module in MODULES:
        module.extend(world, request)
