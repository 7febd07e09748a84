"""Sequences of Items (SQ): a list of datasets."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, SupportsIndex, overload

from dicomcore._printing import sequence_text

if TYPE_CHECKING:
    from dicomcore.dataset import Dataset

__all__ = ["Sequence"]


class Sequence(list):  # type: ignore[type-arg]  # items are always Dataset
    """A sequence value: a list whose items are :class:`Dataset`.

    ``is_undefined_length`` records how the sequence was encoded in its file, so
    it is written back the same way.
    """

    def __init__(self, iterable: Iterable[Dataset] | None = None) -> None:
        items = [] if iterable is None else list(iterable)
        for item in items:
            _check(item)
        super().__init__(items)
        self.is_undefined_length = False
        self._parent_ref: weakref.ref[Dataset] | None = None

    @property
    def _parent(self) -> Dataset | None:
        # Weak, as the items' own links: see Dataset._parent.
        return None if self._parent_ref is None else self._parent_ref()

    @_parent.setter
    def _parent(self, parent: Dataset | None) -> None:
        self._parent_ref = None if parent is None else weakref.ref(parent)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # The class travels too: clients subclass Sequence (with __init__
        # arguments of their own, which rebuilding must not call).
        return (_rebuild, (type(self), list(self), self._state()))

    def _state(self) -> dict[str, Any]:
        """Instance attributes other than the link to the parent dataset."""
        return {k: v for k, v in self.__dict__.items() if k != "_parent_ref"}

    @property
    def parent_dataset(self) -> Dataset | None:
        """The dataset holding this sequence, once it is placed in one."""
        return self._parent

    def _adopt(self, parent: Dataset | None) -> None:
        self._parent = parent
        ref = self._parent_ref
        for item in self:
            # What ``item._parent = parent`` keeps (see Dataset._parent),
            # without the walk through Dataset.__setattr__ for each item.
            item.__dict__["_parent_ref"] = ref

    def append(self, item: Dataset) -> None:
        _check(item)
        item._parent = self._parent
        super().append(item)

    def insert(self, index: SupportsIndex, item: Dataset) -> None:
        _check(item)
        item._parent = self._parent
        super().insert(index, item)

    def extend(self, items: Iterable[Dataset]) -> None:
        for item in items:
            self.append(item)

    def __iadd__(self, items: Iterable[Dataset]) -> Sequence:  # type: ignore[override,misc]  # list's signature is wider
        self.extend(items)
        return self

    @overload
    def __setitem__(self, index: SupportsIndex, item: Dataset) -> None: ...

    @overload
    def __setitem__(self, index: slice, item: Iterable[Dataset]) -> None: ...

    def __setitem__(self, index: Any, item: Any) -> None:
        if isinstance(index, slice):
            item = list(item)
            for each in item:
                _check(each)
                each._parent = self._parent
        else:
            _check(item)
            item._parent = self._parent
        super().__setitem__(index, item)

    def __str__(self) -> str:
        return sequence_text(self)

    def __repr__(self) -> str:
        return f"<Sequence, length {len(self)}>"

    def __deepcopy__(self, memo: dict[int, Any]) -> Sequence:
        import copy

        new = _rebuild(
            type(self),
            [copy.deepcopy(item, memo) for item in self],
            copy.deepcopy(self._state(), memo),
        )
        memo[id(self)] = new
        return new


def _check(item: Any) -> None:
    from dicomcore.dataset import Dataset

    if not isinstance(item, Dataset):
        raise TypeError(f"a Sequence holds Dataset items, not {type(item).__name__}")


def sequence_of_items(items: list[Dataset]) -> Sequence:
    """A sequence holding ``items`` as they are, the reader's: every item a
    Dataset it made, to be adopted with the sequence by their dataset."""
    return _rebuild(Sequence, items, {"is_undefined_length": False})


def _rebuild(cls: type[Sequence], items: list[Dataset], state: Any) -> Sequence:
    """A copy or unpickled sequence, of ``cls``, without calling its __init__."""
    sequence = cls.__new__(cls)
    list.extend(sequence, items)
    sequence.__dict__.update(state)
    sequence._parent_ref = None
    return sequence
