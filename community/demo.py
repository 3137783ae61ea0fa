"""Demo data loaders. Feature apps register theirs in AppConfig.ready(); `seed_demo` runs them
after the community's own people exist, so community never imports a feature app."""

from collections.abc import Callable

_loaders: dict[str, tuple[int, Callable[[], None]]] = {}


def register_demo_loader(name: str, loader: Callable[[], None], *, order: int = 100) -> None:
    """`loader()` must be idempotent: `seed_demo` may run any number of times."""
    _loaders[name] = (order, loader)


def run_demo_loaders() -> list[str]:
    ran = []
    for name, (_order, loader) in sorted(_loaders.items(), key=lambda item: item[1][0]):
        loader()
        ran.append(name)
    return ran
