"""pydicom's plugin names, and the dicomcore codec that does the same work.

Code written for pydicom names its codecs (``decoding_plugin="pylibjpeg"``,
``ds.decompress(handler_name="pydicom")``). pydicom's names are per library,
while a dicomcore record is per codec: pydicom's ``"pylibjpeg"`` decodes JPEG
with pylibjpeg-libjpeg, JPEG 2000 with pylibjpeg-openjpeg and RLE with
pylibjpeg-rle, which here are the ``pylibjpeg``, ``openjpeg`` and
``pylibjpeg-rle`` records. The table below says, for each pydicom name and
transfer syntax, which dicomcore record does the same job with the same
library, or that none does (GDCM; Pillow's JPEG decoder).

The registry consults it only when the name given is not a dicomcore plugin
that handles the transfer syntax, so a third-party plugin of the same name
comes first.
"""

from __future__ import annotations

from dicomcore.errors import NoCodecError

__all__ = ["PYDICOM_DECODERS", "PYDICOM_ENCODERS", "pydicom_counterpart"]

_JPEG = (
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.51",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
)
_JPEG_LS = ("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81")
_JPEG_2000 = ("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91")
_HTJ2K = (
    "1.2.840.10008.1.2.4.201",
    "1.2.840.10008.1.2.4.202",
    "1.2.840.10008.1.2.4.203",
)
_RLE = ("1.2.840.10008.1.2.5",)
_NATIVE = (
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2",
)


def _rows(
    name: str, syntaxes: tuple[str, ...], counterpart: str | None
) -> dict[tuple[str, str], str | None]:
    return {(name, syntax): counterpart for syntax in syntaxes}


# (pydicom plugin name, transfer syntax) -> dicomcore decoder, None for none,
# "" for whichever dicomcore chooses.
PYDICOM_DECODERS: dict[tuple[str, str], str | None] = {
    **_rows("pylibjpeg", _JPEG + _JPEG_LS, "pylibjpeg"),
    **_rows("pylibjpeg", _JPEG_2000 + _HTJ2K, "openjpeg"),
    **_rows("pylibjpeg", _RLE, "pylibjpeg-rle"),
    **_rows("pyjpegls", _JPEG_LS, "pyjpegls"),
    **_rows("pydicom", _RLE, "rle"),
    # pydicom uses no plugin for native data, whichever is named: "" leaves
    # the choice to dicomcore (native or float, by the pixel keyword).
    **{
        row: ""
        for name in ("pydicom", "pylibjpeg", "pyjpegls", "pillow", "gdcm")
        for row in _rows(name, _NATIVE, "")
    },
    # Pillow decodes JPEG 2000 with OpenJPEG, JPEG with libjpeg(-turbo),
    # which no dicomcore plugin wraps.
    **_rows("pillow", _JPEG_2000, "openjpeg"),
    **_rows("pillow", _JPEG[:2], None),
    **_rows("gdcm", _JPEG + _JPEG_LS + _JPEG_2000 + _RLE, None),
}

# (pydicom plugin name, transfer syntax) -> dicomcore encoder, None for none.
PYDICOM_ENCODERS: dict[tuple[str, str], str | None] = {
    **_rows("pydicom", _RLE, "rle"),
    **_rows("pylibjpeg", _RLE, "pylibjpeg-rle"),
    ("pylibjpeg", _JPEG_2000[0]): "openjpeg-lossless",
    ("pylibjpeg", _JPEG_2000[1]): "openjpeg",
    ("pyjpegls", _JPEG_LS[0]): "pyjpegls-lossless",
    ("pyjpegls", _JPEG_LS[1]): "pyjpegls-near-lossless",
    **_rows("gdcm", _RLE, None),
}


def pydicom_counterpart(kind: str, name: str, transfer_syntax: str) -> str | None:
    """The dicomcore ``kind`` ("decoder" or "encoder") that does what
    pydicom's plugin ``name`` does for ``transfer_syntax``; ``""`` when any
    will do (pydicom uses none there); None if ``name`` is not one of
    pydicom's for it. Raises
    :class:`~dicomcore.errors.NoCodecError` when pydicom's plugin has no
    counterpart here."""
    table = PYDICOM_DECODERS if kind == "decoder" else PYDICOM_ENCODERS
    key = (name, str(transfer_syntax))
    if key not in table:
        return None
    counterpart = table[key]
    if counterpart is None:
        others = sorted(
            {
                found
                for (_, syntax), found in table.items()
                if syntax == key[1] and found
            }
        )
        raise NoCodecError(
            f"pydicom's {name!r} plugin has no counterpart in dicomcore for "
            f"{transfer_syntax}; name one of dicomcore's {kind}s instead"
            + (f" ({', '.join(others)})" if others else "")
            + ", or none to let dicomcore choose",
            [],
        )
    return counterpart
