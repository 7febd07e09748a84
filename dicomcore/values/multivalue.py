"""``MultiValue``: the value of an element with VM > 1."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, SupportsIndex, TypeVar, overload

from dicomcore import config
from dicomcore.values.dates import DA, DT, TM
from dicomcore.values.personname import PersonName

__all__ = ["MultiValue"]

_T = TypeVar("_T")


class MultiValue(list[_T], Generic[_T]):
    """A list whose items are passed through ``type_constructor`` whenever they
    are set, appended, inserted or extended, so that every item keeps the type
    of its VR (``DSfloat`` for DS, ``PersonName`` for PN ...).

    It compares equal to a plain list with equal items.

    >>> from dicomcore.values import DSfloat
    >>> values = MultiValue(DSfloat, ["1.5", "2"])
    >>> values.append("3.25")
    >>> values == [1.5, 2.0, 3.25]
    True
    """

    type_constructor: Callable[[Any], _T]

    def __init__(
        self, type_constructor: Callable[[Any], _T], iterable: Iterable[Any] = ()
    ) -> None:
        self.type_constructor = type_constructor
        super().__init__(type_constructor(item) for item in iterable)

    def __repr__(self) -> str:
        # As pydicom shows several values: nothing when there are none; text
        # and bytes quoted; numbers (DS and IS by their text), person names,
        # tags and dates as their str().
        if not self:
            return ""
        return "[" + ", ".join(_item_text(item) for item in self) + "]"

    __str__ = __repr__

    @classmethod
    def _from_converted(
        cls, type_constructor: Callable[[Any], _T], items: list[_T]
    ) -> MultiValue[_T]:
        """Wrap items that already have their type (the decoding fast path)."""
        values: MultiValue[_T] = cls.__new__(cls)
        list.__init__(values, items)
        values.type_constructor = type_constructor
        return values

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.type_constructor, list(self)))

    @overload
    def __setitem__(self, index: SupportsIndex, value: Any) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[Any]) -> None: ...

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            super().__setitem__(index, [self.type_constructor(item) for item in value])
        else:
            super().__setitem__(index, self.type_constructor(value))

    def append(self, value: Any) -> None:
        super().append(self.type_constructor(value))

    def insert(self, index: SupportsIndex, value: Any) -> None:
        super().insert(index, self.type_constructor(value))

    def extend(self, values: Iterable[Any]) -> None:
        super().extend(self.type_constructor(item) for item in values)

    def __iadd__(self, values: Iterable[Any]) -> MultiValue[_T]:  # type: ignore[override,misc]  # converts items
        self.extend(values)
        return self

    def copy(self) -> MultiValue[_T]:
        return MultiValue._from_converted(self.type_constructor, list(self))


def _item_text(item: Any) -> str:
    # pydicom's PersonName is not a str, so names show unquoted, as do its
    # dates and times under config.datetime_conversion; every other str
    # (UIDs, codes, dates as text) and bytes are quoted.
    if isinstance(item, PersonName):
        return str(item)
    if isinstance(item, (DA, DT, TM)) and getattr(config, "datetime_conversion", False):
        return str(item)
    if isinstance(item, (str, bytes)):
        return repr(item)
    return str(item)


def _rebuild(
    cls: type[MultiValue[Any]], type_constructor: Callable[[Any], Any], items: list[Any]
) -> MultiValue[Any]:
    # Items were converted when first stored; pickling must not convert twice
    # (a DSfloat's original text would be lost through a float round trip).
    return cls._from_converted(type_constructor, items)
