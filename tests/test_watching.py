"""`metodiky serve` hears an edit from the system's file events; reading a file is no edit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from metodiky.watching import ChangeObserver, watch_by_file_events

pytestmark = pytest.mark.skipif(Observer is PollingObserver, reason="no file events here")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveReloadServer]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Úvod\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Zkouška\n", encoding="utf-8")
    served = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(tmp_path / "site"))
    served.watch(str(tmp_path / "docs"))
    served.watch(str(tmp_path / "mkdocs.yml"))
    yield served
    served.observer.stop()
    served.observer.join()


def wants_rebuild(server: LiveReloadServer, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server._want_rebuild:
            return True
        time.sleep(0.02)
    return False


def test_an_edit_is_heard_and_a_read_is_not(server: LiveReloadServer, tmp_path: Path) -> None:
    watch_by_file_events(server)
    assert isinstance(server.observer, ChangeObserver) and not server.observer.polling
    server.observer.start()
    time.sleep(0.2)

    for path in ("docs/index.md", "mkdocs.yml"):
        (tmp_path / path).read_text(encoding="utf-8")  # what every rebuild does
    assert not wants_rebuild(server, 0.5)

    (tmp_path / "docs" / "index.md").write_text("# Úvod\n\nNová věta.\n", encoding="utf-8")
    assert wants_rebuild(server, 2)


def test_a_file_saved_by_renaming_a_new_one_over_it_is_heard(
    server: LiveReloadServer, tmp_path: Path
) -> None:
    """Many editors write a temporary file and rename it over the one edited."""
    watch_by_file_events(server)
    server.observer.start()
    time.sleep(0.2)

    saved = tmp_path / "docs" / ".index.md.tmp"
    saved.write_text("# Úvod\n\nUloženo přejmenováním.\n", encoding="utf-8")
    server._want_rebuild = False  # the temporary file itself is no edit we test for
    saved.replace(tmp_path / "docs" / "index.md")
    assert wants_rebuild(server, 2)


class RefusingObserver(Observer):  # type: ignore[misc, valid-type]
    """The system's observer when inotify's per-user limit is used up."""

    def start(self) -> None:
        raise OSError(24, "inotify instance limit reached")


def test_without_file_events_the_preview_polls(
    server: LiveReloadServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watch_by_file_events(server, native=RefusingObserver)
    server.observer.start()

    assert server.observer.polling
    assert "Systém nehlásí změny souborů" in caplog.text
    time.sleep(0.7)  # the polling observer's first scan
    (tmp_path / "mkdocs.yml").write_text("site_name: Jiná\n", encoding="utf-8")
    assert wants_rebuild(server, 3)
