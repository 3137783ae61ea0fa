"""Dashboard panels. Feature apps register theirs in AppConfig.ready(), so the community app
shows them without importing any feature app."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template_name: str
    # Returns the panel's context for a viewer, or None when the panel is not for them.
    get_context: Callable[..., dict | None]
    order: int = 100


_panels: dict[str, DashboardPanel] = {}


def register_panel(panel: DashboardPanel) -> None:
    _panels[panel.key] = panel


def panels_for(request) -> list[tuple[DashboardPanel, dict]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.get_context(request)
        if context is not None:
            rendered.append((panel, context))
    return rendered
