"""The records a codec plugin yields: :class:`Decoder` and :class:`Encoder`.

Records are frozen and checked when built, so a mistake in a plugin is
reported at the line that made the record rather than at the first decode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np

    from dicomcore.pixels.layout import PixelLayout

__all__ = [
    "DecodedFrame",
    "Decoder",
    "Encoder",
    "check_transfer_syntax",
]

# A DICOM UID: dot-separated numbers without leading zeros, at most 64
# characters (PS3.5 9.1).
_UID = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+")
# Names travel in DICOMCORE_BLOCK_PLUGINS (comma separated) and in keyword
# arguments, so no spaces or commas.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# A pip extra name (PEP 685 normalised form plus the usual spellings).
_EXTRA = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
# A Code String value: Lossy Image Compression Method (0028,2114) is CS
# (PS3.5 6.2: upper case letters, digits, space and underscore, 16 at most).
_CODE_STRING = re.compile(r"[A-Z0-9_][A-Z0-9_ ]{0,15}")
_UID_MAX_LENGTH: Final = 64


@dataclass(frozen=True, eq=False)
class DecodedFrame:
    """One decoded frame and what the decoder already did to it.

    ``array``: shape (rows, columns) or (rows, columns, samples), samples
    interleaved, dtype the layout's container type (:attr:`PixelLayout.dtype`)
    in native byte order.  For Bits Allocated 1 the array may instead be the
    packed bits of the frame, a 1-D ``uint8`` array of
    ``ceil(frame_length_bits / 8)`` bytes, first pixel in the least significant
    bit; the pipeline unpacks it.

    ``photometric_interpretation``: what the array holds (a JPEG decoder may
    already have turned YBR_FULL_422 into RGB).

    ``bits_stored_applied``: True when bits above Bits Stored are cleared
    (unsigned) or sign-extended (signed).  Whatever the decoder did not do,
    the pipeline does.
    """

    array: np.ndarray
    photometric_interpretation: str
    bits_stored_applied: bool = False


def _always_supported(layout: PixelLayout) -> str | None:
    return None


def _always_supported_with_options(
    layout: PixelLayout, options: Mapping[str, Any]
) -> str | None:
    return None


def _nothing_missing() -> list[str]:
    return []


def _every_capability() -> str | None:
    return None


def _same_photometric(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    return layout.photometric_interpretation


def check_transfer_syntax(value: object) -> str:
    """Return ``value`` as a plain ``str`` if it is a valid UID; else raise."""
    if not isinstance(value, str):
        raise TypeError(f"a transfer syntax UID must be a str, got {value!r}")
    if len(value) > _UID_MAX_LENGTH or not _UID.fullmatch(value):
        raise ValueError(f"{value!r} is not a valid transfer syntax UID")
    return str(value)


# Callables a record may leave out (None); the others must be callable.
_OPTIONAL_CALLABLES: Final = frozenset({"encode", "transcode"})


def _transfer_syntax_set(
    kind: str, name: str, field_name: str, value: object
) -> frozenset[str]:
    # A lone string is iterable too; taking its characters as UIDs would
    # hide the mistake until the first use.
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(
            f"{kind} {name!r}: {field_name} must be a collection of "
            f"UID strings, got {value!r}"
        )
    return frozenset(check_transfer_syntax(uid) for uid in value)


def _check_name(kind: str, name: object) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(
            f"{kind} name must be a non-empty string of letters, digits, "
            f"'.', '_' and '-', got {name!r}"
        )


def _check_common(
    kind: str,
    name: object,
    callables: Mapping[str, object],
    priority: object,
    extra: object,
) -> None:
    _check_name(kind, name)
    for attribute, value in callables.items():
        if value is None and attribute in _OPTIONAL_CALLABLES:
            continue
        if not callable(value):
            raise TypeError(
                f"{kind} {name!r}: {attribute} must be callable, got {value!r}"
            )
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise TypeError(f"{kind} {name!r}: priority must be an int, got {priority!r}")
    if extra is not None and not (isinstance(extra, str) and _EXTRA.fullmatch(extra)):
        raise ValueError(
            f"{kind} {name!r}: extra must be None or a pip extra name, got {extra!r}"
        )


@dataclass(frozen=True, kw_only=True)
class Decoder:
    """A decoder for one or more transfer syntaxes, yielded by ``dicomcore_decoders``.

    ``name``: unique among decoders (a decoder and an encoder may share one).
    ``transfer_syntaxes``: the UIDs it decodes (any collection of strings;
    stored as a ``frozenset``).
    ``decode(src, layout)``: decodes one frame from ``src`` (``bytes`` or a
    read-only ``memoryview``; for native data exactly the frame's bytes, for
    encapsulated data the frame's fragments joined).  Returns a
    :class:`DecodedFrame`, or a bare ``numpy.ndarray`` which means "the
    layout's photometric interpretation, Bits Stored not applied" (see
    DecodedFrame for the shape and dtype).  On malformed input it raises
    :class:`~dicomcore.errors.CodecError`.
    ``priority``: higher is tried first; bundled codecs use 50.
    ``supports(layout)``: None if it can decode this layout, else the reason.
    ``missing()``: names of absent optional packages it needs (empty if none).
    ``extra``: the ``dicomcore[extra]`` that installs them.
    ``missing_capability()``: None when the installed packages can do the
    work, else the reason they cannot (an installed library built without
    the codec, say).  Called only when ``missing()`` is empty, so it may
    import them; ``dicomcore codecs`` lists the record as not available with
    this reason, and no layout is offered to it.
    """

    name: str
    transfer_syntaxes: Collection[str]
    decode: Callable[[bytes | memoryview, PixelLayout], np.ndarray | DecodedFrame]
    priority: int = 50
    supports: Callable[[PixelLayout], str | None] = field(default=_always_supported)
    missing: Callable[[], list[str]] = field(default=_nothing_missing)
    extra: str | None = None
    missing_capability: Callable[[], str | None] = field(default=_every_capability)

    def __post_init__(self) -> None:
        _check_common(
            "decoder",
            self.name,
            {
                "decode": self.decode,
                "supports": self.supports,
                "missing": self.missing,
                "missing_capability": self.missing_capability,
            },
            self.priority,
            self.extra,
        )
        checked = _transfer_syntax_set(
            "decoder", self.name, "transfer_syntaxes", self.transfer_syntaxes
        )
        if not checked:
            raise ValueError(f"decoder {self.name!r}: transfer_syntaxes is empty")
        object.__setattr__(self, "transfer_syntaxes", checked)


@dataclass(frozen=True, kw_only=True)
class Encoder:
    """An encoder for one transfer syntax, yielded by ``dicomcore_encoders``.

    ``name``: unique among encoders.
    ``transfer_syntax``: the UID it produces.
    ``encode(frame, layout, options)``: encodes one frame, given as a decoded
    frame is returned (interleaved samples, container dtype, Bits Stored
    applied; for Bits Allocated 1, one 0/1 value per ``uint8``), and returns
    the encoded bytes.  ``layout`` describes the frame; ``options`` are the
    caller's encoding options (for example ``{"quality": 90}``).  None for an
    encoder that only transcodes.
    ``lossy``: whether the encoded frame may differ from the input.
    ``supports(layout, options)``: None if it can encode, else the reason.
    ``photometric_after(layout, options)``: the Photometric Interpretation
    of the encoded stream (for example ``"YBR_FULL_422"``); the pipeline
    writes it into the dataset.  Default: unchanged.
    ``priority``, ``missing``, ``extra``, ``missing_capability``: as for
    :class:`Decoder`.
    ``lossy_method``: the Lossy Image Compression Method (0028,2114) term
    written for ``transfer_syntax`` when dicomcore's own table of standard
    transfer syntaxes has none (a transfer syntax newer than dicomcore, or a
    private one); only for a lossy encoder.
    ``transcodes_from``: transfer syntaxes whose encoded frames
    ``transcode(src, layout, options)`` turns into ``transfer_syntax``
    without decoding them to pixels (JPEG to JPEG XL JPEG Recompression, for
    example).  ``src`` is one source frame's codestream (its fragments
    joined), ``layout`` the source's (its ``transfer_syntax`` one of
    these); ``supports`` and ``photometric_after`` are asked with that
    layout too.  Given together, or neither.
    """

    name: str
    transfer_syntax: str
    encode: Callable[[np.ndarray, PixelLayout, Mapping[str, Any]], bytes] | None = None
    lossy: bool
    supports: Callable[[PixelLayout, Mapping[str, Any]], str | None] = field(
        default=_always_supported_with_options
    )
    photometric_after: Callable[[PixelLayout, Mapping[str, Any]], str] = field(
        default=_same_photometric
    )
    priority: int = 50
    missing: Callable[[], list[str]] = field(default=_nothing_missing)
    extra: str | None = None
    missing_capability: Callable[[], str | None] = field(default=_every_capability)
    lossy_method: str | None = None
    transcodes_from: Collection[str] = frozenset()
    transcode: (
        Callable[[bytes | memoryview, PixelLayout, Mapping[str, Any]], bytes] | None
    ) = None

    def __post_init__(self) -> None:
        _check_common(
            "encoder",
            self.name,
            {
                "encode": self.encode,
                "supports": self.supports,
                "photometric_after": self.photometric_after,
                "missing": self.missing,
                "missing_capability": self.missing_capability,
                "transcode": self.transcode,
            },
            self.priority,
            self.extra,
        )
        if not isinstance(self.lossy, bool):
            raise TypeError(
                f"encoder {self.name!r}: lossy must be True or False, "
                f"got {self.lossy!r}"
            )
        object.__setattr__(
            self, "transfer_syntax", check_transfer_syntax(self.transfer_syntax)
        )
        sources = _transfer_syntax_set(
            "encoder", self.name, "transcodes_from", self.transcodes_from
        )
        object.__setattr__(self, "transcodes_from", sources)
        if bool(sources) != (self.transcode is not None):
            raise ValueError(
                f"encoder {self.name!r}: transcodes_from and transcode are given "
                "together or not at all"
            )
        if self.encode is None and self.transcode is None:
            raise ValueError(f"encoder {self.name!r}: needs encode, transcode, or both")
        if self.transfer_syntax in sources:
            raise ValueError(
                f"encoder {self.name!r}: transcodes_from holds its own "
                f"transfer syntax {self.transfer_syntax}"
            )
        method = self.lossy_method
        if method is not None:
            if not self.lossy:
                raise ValueError(
                    f"encoder {self.name!r}: lossy_method is written only for a "
                    "lossy encoder; set lossy=True or leave lossy_method None"
                )
            if not isinstance(method, str) or not _CODE_STRING.fullmatch(method):
                raise ValueError(
                    f"encoder {self.name!r}: lossy_method must be a Code String "
                    f"term (A-Z, 0-9, _ and space, 16 at most), got {method!r}"
                )
