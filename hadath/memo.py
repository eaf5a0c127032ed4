"""A bounded memo for per-service caches (tokenizer pieces, clitic readings, fuzzy
links): a dict emptied when it reaches its size, so a corpus of millions of distinct
words cannot grow it without limit.  Unlike ``functools.lru_cache`` it lives on the
service object, so two services (two knowledge bases, two frequency tables) never
share answers."""
from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    __slots__ = ("_data", "size")

    def __init__(self, size: int = 50_000):
        self._data: dict[K, V] = {}
        self.size = size

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for ``key``, computed by ``compute()`` on a miss."""
        try:
            return self._data[key]
        except KeyError:
            pass
        value = compute()
        if len(self._data) >= self.size:
            self._data.clear()
        self._data[key] = value
        return value

    def __len__(self) -> int:
        return len(self._data)
