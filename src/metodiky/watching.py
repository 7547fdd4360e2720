"""`metodiky serve` notices an edit by the system's file events, not by scanning the project.

MkDocs watches with watchdog's polling observer: every half second it lists and stats every
file under the watched folders. At 150 methodologies one scan takes about half a second of a
core (and of the interpreter lock the rebuild needs), and an edit waits for the next scan.
Where the system reports file events (inotify on Linux, FSEvents on macOS, Windows' directory
notifications), watchdog's native observer hears an edit at once and costs nothing in between.
Only events that change a file count: inotify also reports each file opened or read, and the
rebuild reads the files it watches. If the system refuses the events (inotify's limits on
watches and instances are per user), the preview polls as MkDocs does.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.metodiky")

# A save shows as a write (modified, then closed) or as a new file renamed over the old one.
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
]


def watch_by_file_events(server, native: type[BaseObserver] = Observer) -> None:  # noqa: ANN001
    """Give MkDocs' live-reload server an observer driven by file events. The paths MkDocs
    watched before (the docs folder, mkdocs.yml) move to it; MkDocs 1.6 lists them in
    `_watched_paths`, each with how many times it was asked to watch it."""
    watched_before = getattr(server, "_watched_paths", None)
    if native is PollingObserver or not isinstance(watched_before, dict):
        return  # no file events here, or a MkDocs that keeps its watches otherwise: it polls
    watched = dict(watched_before)
    for path, times in watched.items():
        for _ in range(times):
            server.unwatch(path)
    server.observer = ChangeObserver(native)
    for path, times in watched.items():
        for _ in range(times):
            server.watch(path)


class ChangeObserver:
    """The system's native observer, told only of changed files; the polling observer instead
    when the system refuses to start the native one. MkDocs calls schedule, unschedule, start,
    stop and join."""

    def __init__(self, native: type[BaseObserver] = Observer) -> None:
        self._observer: BaseObserver = native()
        self._scheduled: dict[ObservedWatch, tuple[FileSystemEventHandler, str, bool]] = {}
        self._inner: dict[ObservedWatch, ObservedWatch] = {}

    @property
    def polling(self) -> bool:
        return isinstance(self._observer, PollingObserver)

    def schedule(
        self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False
    ) -> ObservedWatch:
        watch = self._observer.schedule(
            event_handler, str(path), recursive=recursive, event_filter=CHANGES
        )
        self._scheduled[watch] = (event_handler, str(path), recursive)
        self._inner[watch] = watch
        return watch

    def unschedule(self, watch: ObservedWatch) -> None:
        self._scheduled.pop(watch, None)
        self._observer.unschedule(self._inner.pop(watch))

    def start(self) -> None:
        try:
            self._observer.start()
        except OSError as error:
            with contextlib.suppress(Exception):
                self._observer.stop()
            log.warning(
                "Systém nehlásí změny souborů (%s), náhled proto změny hledá každou půl sekundu.",
                error,
            )
            self._observer = PollingObserver(timeout=0.5)
            for watch, (handler, path, recursive) in self._scheduled.items():
                self._inner[watch] = self._observer.schedule(handler, path, recursive=recursive)
            self._observer.start()

    def stop(self) -> None:
        self._observer.stop()

    def join(self, timeout: float | None = None) -> None:
        if self._observer.is_alive():
            self._observer.join(timeout)
