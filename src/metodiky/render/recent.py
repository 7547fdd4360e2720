"""Work shared by the PDF and the Word file of the same document while the build makes them.

The PDF and the Word file of a methodology version (or of a workshop pack) are made from the
same pandoc document; the build makes the two side by side, so whichever asks first reads the
Markdown and the other takes the result. Only the last few results are kept: memory stays flat
however many documents a build makes, and a file made alone (its twin already cached) simply
reads the Markdown itself.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class _Pending(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.failed = False


class RecentResults(Generic[T]):
    """The results of the last `size` computations by key; a thread asking for a key another
    thread is computing waits for that result instead of computing it again."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, _Pending[T]] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for `key`, computed by `compute` unless a recent or running one exists."""
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if entry is None:
                entry = self._entries[key] = _Pending()
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
        if not owner:
            entry.done.wait()
            if entry.failed:  # the owner's error is its own to report; try once more here
                return compute()
            return entry.value  # type: ignore[return-value]
        try:
            entry.value = compute()
        except BaseException:
            entry.failed = True
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            raise
        finally:
            entry.done.set()
        return entry.value

    def get_about(self, subject: object, key: tuple, compute: Callable[[], T]) -> T:
        """Like `get`, for a result about one object (a knowledge base) known by identity: a
        later object, even one given the same id after the first is gone, never sees it."""
        owner, value = self.get(  # type: ignore[misc]
            (id(subject), *key), lambda: (weakref.ref(subject), compute())
        )
        return value if owner() is subject else compute()

    def clear(self) -> None:
        """Forget every result (tests; a new knowledge base)."""
        with self._lock:
            self._entries.clear()


def per_knowledge(function: Callable[[Any], T]) -> Callable[[Any], T]:
    """A function of the knowledge base alone, computed once per knowledge base object instead
    of once per PDF and Word file (at 150 methodologies each call walks all of them). Its
    result is shared: callers must not change it."""
    results: RecentResults[Any] = RecentResults(2)

    @functools.wraps(function)
    def cached(knowledge: Any) -> T:
        return results.get_about(knowledge, (), lambda: function(knowledge))

    return cached
