"""pydicom's ``encaps`` module path over :mod:`dicomcore.io.encapsulation`.

Everything is dicomcore's encapsulation code with pydicom's signatures, and
one difference in bytes: pydicom's :func:`encapsulate` and
:func:`encapsulate_extended` leave the Sequence Delimitation Item off the
end (the writer adds it), while dicomcore's own include it. Code written for
pydicom that writes the result somewhere itself would otherwise write the
delimiter twice, so these give pydicom's bytes. Assigning either to
``ds.PixelData`` writes the same file.

>>> encapsulate([b"\\x01\\x02"])
b'\\xfe\\xff\\x00\\xe0\\x04\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xfe\\xff\\x00\\xe0\\x02\\x00\\x00\\x00\\x01\\x02'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from dicomcore.io import encapsulation as _encapsulation
from dicomcore.io.encapsulation import (
    fragment_frame,
    generate_fragmented_frames,
    generate_fragments,
    generate_frames,
    get_frame,
    parse_basic_offsets,
    parse_fragments,
)

__all__ = [
    "encapsulate",
    "encapsulate_extended",
    "fragment_frame",
    "generate_fragmented_frames",
    "generate_fragments",
    "generate_frames",
    "get_frame",
    "itemize_fragment",
    "itemize_frame",
    "parse_basic_offsets",
    "parse_fragments",
]

# (FFFE,E0DD) with a zero length, little endian.
_SEQUENCE_DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"


def _without_delimiter(value: bytes) -> bytes:
    if value.endswith(_SEQUENCE_DELIMITER):
        return value[: -len(_SEQUENCE_DELIMITER)]
    return value


def encapsulate(
    frames: Sequence[bytes | bytearray | memoryview],
    fragments_per_frame: int = 1,
    has_bot: bool = True,
) -> bytes:
    """Encapsulated Pixel Data for encoded ``frames``, as pydicom gives it:
    the Basic Offset Table item and the fragment items, without the Sequence
    Delimitation Item."""
    return _without_delimiter(
        _encapsulation.encapsulate(frames, fragments_per_frame, has_bot)
    )


def encapsulate_extended(
    frames: Sequence[bytes | bytearray | memoryview],
) -> tuple[bytes, bytes, bytes]:
    """``(pixel_data, extended_offset_table, extended_offset_table_lengths)``
    for ``frames``, the Pixel Data without the Sequence Delimitation Item."""
    pixel_data, offsets, lengths = _encapsulation.encapsulate_extended(frames)
    return _without_delimiter(pixel_data), offsets, lengths


def itemize_fragment(fragment: bytes | bytearray | memoryview) -> bytes:
    """``fragment`` as an item: (FFFE,E000), its length, its bytes.

    As pydicom's, the fragment is written as given; fragments must be of even
    length (PS3.5 A.4), which :func:`fragment_frame` and :func:`itemize_frame`
    see to.
    """
    value = bytes(fragment)
    return b"\xfe\xff\x00\xe0" + len(value).to_bytes(4, "little") + value


def itemize_frame(
    frame: bytes | bytearray | memoryview, nr_fragments: int = 1
) -> Iterator[bytes]:
    """Yield ``frame`` as ``nr_fragments`` items of even length."""
    for fragment in fragment_frame(frame, nr_fragments):
        yield itemize_fragment(fragment)


# Names pydicom 3.0 deprecated (removed in its 4.0); they still work there,
# with a DeprecationWarning, and so here.


def _get_frame_offsets(fp: Any) -> tuple[bool, list[int]]:
    offsets = parse_basic_offsets(fp)
    return bool(offsets), offsets or [0]


def _get_nr_fragments(fp: Any) -> int:
    position = fp.tell()
    count = parse_fragments(fp)[0]
    fp.seek(position)
    return count


def _generate_pixel_data_fragment(fp: Any) -> Iterator[bytes]:
    return generate_fragments(fp)


def _generate_pixel_data_frame(
    bytestream: bytes, nr_frames: int | None = None
) -> Iterator[bytes]:
    return generate_frames(bytestream, nr_frames)


def _generate_pixel_data(
    bytestream: bytes, nr_frames: int | None = None
) -> Iterator[tuple[bytes, ...]]:
    return generate_fragmented_frames(bytestream, nr_frames)


def _fragments_after_offsets(data: bytes) -> list[bytes]:
    offsets_end = 8 + int.from_bytes(data[4:8], "little")
    return list(generate_fragments(data[offsets_end:]))


def _decode_data_sequence(data: bytes) -> list[bytes]:
    return _fragments_after_offsets(data)


def _defragment_data(data: bytes) -> bytes:
    return b"".join(_fragments_after_offsets(data))


_DEPRECATED: dict[str, Callable[..., Any]] = {
    "get_frame_offsets": _get_frame_offsets,
    "get_nr_fragments": _get_nr_fragments,
    "generate_pixel_data_fragment": _generate_pixel_data_fragment,
    "generate_pixel_data_frame": _generate_pixel_data_frame,
    "generate_pixel_data": _generate_pixel_data,
    "decode_data_sequence": _decode_data_sequence,
    "defragment_data": _defragment_data,
    "itemise_frame": itemize_frame,
    "itemise_fragment": itemize_fragment,
}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        warnings.warn(
            f"{name} is deprecated and will be removed in v4.0",
            DeprecationWarning,
            stacklevel=2,
        )
        return _DEPRECATED[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
