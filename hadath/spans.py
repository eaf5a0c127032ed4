"""Interval look-ups over annotation spans in O(log n + hits), so that long articles
stay linear: every stage asks "what covers this token?" many times."""
from __future__ import annotations

from bisect import bisect_left
from typing import Generic, Iterable, Protocol, Sequence, TypeVar


class _HasSpan(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=_HasSpan)


class SpanIndex(Generic[T]):
    """Spans sorted by start; queries look back only as far as the longest span."""

    def __init__(self, items: Iterable[T]):
        self.items: Sequence[T] = sorted(items, key=lambda item: (item.start, item.end))
        self.starts = [item.start for item in self.items]
        self.longest = max((item.end - item.start for item in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items with ``item.start < end`` and ``start < item.end``, in order."""
        out = []
        i = bisect_left(self.starts, start - self.longest)
        while i < len(self.items) and self.items[i].start < end:
            item = self.items[i]
            if start < item.end:
                out.append(item)
            i += 1
        return out

    def covering(self, position: int) -> list[T]:
        return self.overlapping(position, position + 1)

    def covers(self, position: int) -> bool:
        i = bisect_left(self.starts, position - self.longest)
        while i < len(self.items) and self.items[i].start <= position:
            if position < self.items[i].end:
                return True
            i += 1
        return False

    def __len__(self) -> int:
        return len(self.items)
