"""The pipeline contract: stages are callables over a :class:`Document` that
declare which layers they need and which they provide."""
from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence, runtime_checkable

from hadath.doc import Document


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


class PipelineError(ValueError):
    """A pipeline was assembled with a stage whose requirements are not met."""


class Pipeline:
    """Runs stages in order; checks at construction that every requirement is met."""

    def __init__(self, stages: Sequence[Stage]):
        available: set[str] = set()
        for stage in stages:
            missing = [layer for layer in stage.requires if layer not in available]
            if missing:
                raise PipelineError(f"stage {stage.name!r} requires {missing}, which no earlier stage provides")
            available.update(stage.provides)
        self.stages = tuple(stages)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            doc = stage(doc)
            doc.layers_done.update(stage.provides)
        return doc

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        """Process documents in batches; stages with a ``pipe`` method get whole batches."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        for stage in self.stages:
            batch_method = getattr(stage, "pipe", None)
            batch = list(batch_method(batch)) if callable(batch_method) else [stage(doc) for doc in batch]
            for doc in batch:
                doc.layers_done.update(stage.provides)
        return batch
