"""Who hears of an imported release. A higher app (plans: measures bound to a crime series)
registers in its ``AppConfig.ready``; ``crime_release_import`` calls every listener inside its
transaction, in plain sight, so a listener's failure refuses the import as a whole."""

from collections.abc import Callable

ReleaseListener = Callable[..., None]
_listeners: list[ReleaseListener] = []


def register_release_listener(listener: ReleaseListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def release_imported(*, release, acting_user) -> None:
    for listener in _listeners:
        listener(release=release, acting_user=acting_user)
