"""The optional ``imagecodecs`` codec: the JPEG family, JPEG XL and HTJ2K.

Uses imagecodecs (BSD-3; ``pip install "dicomcore[imagecodecs]"``), whose
wheels bundle libjpeg-turbo 3, CharLS, OpenJPEG, OpenJPH and libjxl, all
under permissive licences: the JPEG family without pylibjpeg-libjpeg's GPL.

Decoders (one record per library, so that each has its own priority and
reports its own library's absence from a build):

- ``imagecodecs-jpeg``: JPEG Baseline (1.2.840.10008.1.2.4.50), Extended
  (.51), Lossless (.57, any predictor) and Lossless SV1 (.70), 2 to 16 bits,
  with libjpeg-turbo.  Colour comes back as the stream holds it (YCbCr or
  RGB, no colour transform; the stream's JFIF and Adobe markers decide for
  lossy JPEG), upsampled by libjpeg-turbo; the pipeline converts to RGB.
- ``imagecodecs-jpegls``: JPEG-LS Lossless (.80) and Near-Lossless (.81).
- ``imagecodecs-jpeg2000``: JPEG 2000 Lossless (.90) and JPEG 2000 (.91),
  HTJ2K Lossless (.201), Lossless RPCL (.202) and HTJ2K (.203), with
  OpenJPEG.  Not HTJ2K with OpenJPH, though faster: through imagecodecs it
  hangs on some damaged codestreams and crashes on others.
- ``imagecodecs-jpegxl``: JPEG XL Lossless (.110), JPEG Recompression (.111,
  to pixels) and JPEG XL (.112), after checking the codestream's size header
  against the dataset.

Lossy samples that decode past the range of Bits Stored (the codestream's
precision may be higher) are clipped to it, not masked, which would wrap
them round.

Encoders (options in brackets):

- ``imagecodecs-jpeg-baseline`` (.50): 8-bit grey or colour [``quality``
  1-100, default 90; ``subsampling`` "422" (default) or "444"].  Colour goes
  out as YCbCr: YBR_FULL_422, or YBR_FULL without subsampling (PS3.5 8.2.1).
- ``imagecodecs-jpeg-extended`` (.51): grey, Bits Stored 9 to 12, coded
  with 12-bit precision [``quality``].  Lossy JPEG of signed pixels and of
  palette indices is refused.
- ``imagecodecs-jpeg-lossless`` (.57) [``predictor`` 1-7, default 1] and
  ``imagecodecs-jpeg-lossless-sv1`` (.70): 2 to 16 bits, precision Bits
  Stored, colour without transform.
- ``imagecodecs-jpegls-lossless`` (.80) and ``imagecodecs-jpegls-near-lossless``
  (.81) [``jls_error``, NEAR, default 2].  imagecodecs gives CharLS no bit
  depth: the precision is the sample size (8 or 16 bits).
- ``imagecodecs-jpeg2000-lossless`` (.90) and ``imagecodecs-jpeg2000`` (.91)
  [``j2k_psnr``: one PSNR in dB, default 50; ``use_mct``].  RGB is coded
  with the multiple component transform: YBR_RCT or YBR_ICT (PS3.5 8.2.4).
- ``imagecodecs-htj2k-lossless`` (.201), ``imagecodecs-htj2k-lossless-rpcl``
  (.202, with TLM markers) and ``imagecodecs-htj2k`` (.203) [``qstep``,
  OpenJPH's quantisation step, default 0.001; ``use_mct``].  imagecodecs'
  HTJ2K encoder takes no bit depth and always writes the RPCL progression:
  samples of a 16-bit container go out with 16-bit precision whatever Bits
  Stored is, and decode back exactly.
- ``imagecodecs-jpegxl-lossless`` (.110) and ``imagecodecs-jpegxl`` (.112)
  [``effort`` 1-9, default 7; ``distance``, default 1.0, lossy only].
- ``imagecodecs-jpegxl-jpeg-recompression`` (.111) transcodes JPEG Baseline
  (.50) frames without decoding them: libjxl codes the 8-bit Huffman JPEG's
  coefficients again and can rebuild the JPEG byte for byte (checked before
  the frame is returned).  Not lossy in itself: the dataset keeps its
  instance, its Photometric Interpretation and its Lossy Image Compression
  attributes.  ``compress(ds, JPEGXLJPEGRecompression)`` uses it for a JPEG
  Baseline dataset.

A build of imagecodecs without one of its libraries makes the records that
need it report so in ``missing_capability()``; ``dicomcore codecs`` lists
them as not available, with the reason.

Signed pixels: JPEG, JPEG-LS and JPEG XL hold the two's complement bit
pattern in Bits Stored bits (lossless only); JPEG 2000 and HTJ2K hold signed
values.  The decoders return Bits Stored applied.  The pipeline writes the
Lossy Image Compression attributes for the lossy encoders (PS3.3
C.7.6.1.1.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any, Final

from dicomcore import hookimpl
from dicomcore.pixels import Decoder, Encoder, PixelLayout

from . import _imagecodecs_j2k, _imagecodecs_jpeg, _imagecodecs_jxl
from ._imagecodecs_common import EXTRA, absent_codec, missing

__all__ = [
    "DECODER_PRIORITIES",
    "EXTRA",
    "TRANSFER_SYNTAXES",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "missing",
]

JPEG_BASELINE: Final = "1.2.840.10008.1.2.4.50"
JPEG_EXTENDED: Final = "1.2.840.10008.1.2.4.51"
JPEG_LOSSLESS: Final = "1.2.840.10008.1.2.4.57"
JPEG_LOSSLESS_SV1: Final = "1.2.840.10008.1.2.4.70"
JPEG_LS_LOSSLESS: Final = "1.2.840.10008.1.2.4.80"
JPEG_LS_NEAR_LOSSLESS: Final = "1.2.840.10008.1.2.4.81"
JPEG_2000_LOSSLESS: Final = "1.2.840.10008.1.2.4.90"
JPEG_2000: Final = "1.2.840.10008.1.2.4.91"
HTJ2K_LOSSLESS: Final = "1.2.840.10008.1.2.4.201"
HTJ2K_LOSSLESS_RPCL: Final = "1.2.840.10008.1.2.4.202"
HTJ2K: Final = "1.2.840.10008.1.2.4.203"
JPEG_XL_LOSSLESS: Final = "1.2.840.10008.1.2.4.110"
JPEG_XL_JPEG_RECOMPRESSION: Final = "1.2.840.10008.1.2.4.111"
JPEG_XL: Final = "1.2.840.10008.1.2.4.112"

#: Decoder name -> the transfer syntaxes it decodes.
TRANSFER_SYNTAXES: Final = {
    "imagecodecs-jpeg": frozenset(
        {JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1}
    ),
    "imagecodecs-jpegls": frozenset({JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS}),
    "imagecodecs-jpeg2000": frozenset(
        {JPEG_2000_LOSSLESS, JPEG_2000, HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K}
    ),
    "imagecodecs-jpegxl": frozenset(
        {JPEG_XL_LOSSLESS, JPEG_XL_JPEG_RECOMPRESSION, JPEG_XL}
    ),
}

#: Decoder name -> priority, from the measurements in docs/plugins.md
#: ("The imagecodecs plugin: measured priorities").  Bundled codecs use 50,
#: pyjpegls 60.
DECODER_PRIORITIES: Final = {
    "imagecodecs-jpeg": 70,
    "imagecodecs-jpegls": 55,
    "imagecodecs-jpeg2000": 45,
    "imagecodecs-jpegxl": 50,
}

#: imagecodecs' flag and the library it names, for each decoder and for
#: each family of encoders: a build without the library reports it in
#: ``missing_capability()``.
_LIBRARIES: Final = {
    "imagecodecs-jpeg": ("JPEG8", "libjpeg-turbo"),
    "imagecodecs-jpegls": ("JPEGLS", "CharLS"),
    "imagecodecs-jpeg2000": ("JPEG2K", "OpenJPEG"),
    "imagecodecs-htj2k": ("HTJ2K", "OpenJPH"),
    "imagecodecs-jpegxl": ("JPEGXL", "libjxl"),
}

_DECODERS: Final = {
    "imagecodecs-jpeg": (
        _imagecodecs_jpeg.decode_jpeg,
        _imagecodecs_jpeg.refuse_decode_jpeg,
    ),
    "imagecodecs-jpegls": (
        _imagecodecs_jpeg.decode_jpeg_ls,
        _imagecodecs_jpeg.refuse_decode_jpeg_ls,
    ),
    "imagecodecs-jpeg2000": (
        _imagecodecs_j2k.decode_j2k,
        _imagecodecs_j2k.refuse_decode_j2k,
    ),
    "imagecodecs-jpegxl": (_imagecodecs_jxl.decode, _imagecodecs_jxl.refuse_decode),
}

_Options = Mapping[str, Any]
# Transfer syntaxes that other bundled plugins also encode.
_SHARED: Final = frozenset(
    {
        JPEG_LOSSLESS,
        JPEG_LOSSLESS_SV1,
        JPEG_LS_LOSSLESS,
        JPEG_LS_NEAR_LOSSLESS,
        JPEG_2000_LOSSLESS,
        JPEG_2000,
    }
)
_SHARED_ENCODER_PRIORITY: Final = 40
# The library each encoded transfer syntax needs (a key of _LIBRARIES).
_FAMILY: Final = {
    **dict.fromkeys(
        (JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1),
        "imagecodecs-jpeg",
    ),
    **dict.fromkeys((JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS), "imagecodecs-jpegls"),
    **dict.fromkeys((JPEG_2000_LOSSLESS, JPEG_2000), "imagecodecs-jpeg2000"),
    **dict.fromkeys((HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K), "imagecodecs-htj2k"),
    **dict.fromkeys(
        (JPEG_XL_LOSSLESS, JPEG_XL_JPEG_RECOMPRESSION, JPEG_XL), "imagecodecs-jpegxl"
    ),
}


def _unchanged(layout: PixelLayout, options: _Options) -> str:
    return layout.photometric_interpretation


def _capability(library: str) -> Callable[[], str | None]:
    return partial(absent_codec, *_LIBRARIES[library])


def _encoder(
    name: str,
    transfer_syntax: str,
    encode: Callable[..., bytes],
    supports: Callable[[PixelLayout, _Options], str | None],
    lossy: bool,
    photometric_after: Callable[[PixelLayout, _Options], str] = _unchanged,
) -> Encoder:
    # Below the bundled and pylibjpeg-family encoders of the same transfer
    # syntax (50): choosing imagecodecs there is the user's call
    # (encoding_plugin=); the syntaxes only imagecodecs writes get 50.
    priority = _SHARED_ENCODER_PRIORITY if transfer_syntax in _SHARED else 50
    return Encoder(
        name=name,
        transfer_syntax=transfer_syntax,
        encode=encode,
        lossy=lossy,
        supports=supports,
        photometric_after=photometric_after,
        priority=priority,
        missing=missing,
        extra=EXTRA,
        missing_capability=_capability(_FAMILY[transfer_syntax]),
    )


def _encoders() -> Iterator[Encoder]:
    jpeg = _imagecodecs_jpeg
    yield _encoder(
        "imagecodecs-jpeg-baseline",
        JPEG_BASELINE,
        jpeg.encode_baseline,
        jpeg.refuse_baseline,
        lossy=True,
        photometric_after=jpeg.photometric_after_baseline,
    )
    yield _encoder(
        "imagecodecs-jpeg-extended",
        JPEG_EXTENDED,
        jpeg.encode_extended,
        jpeg.refuse_extended,
        lossy=True,
    )
    for name, transfer_syntax, first_order in (
        ("imagecodecs-jpeg-lossless", JPEG_LOSSLESS, False),
        ("imagecodecs-jpeg-lossless-sv1", JPEG_LOSSLESS_SV1, True),
    ):
        yield _encoder(
            name,
            transfer_syntax,
            jpeg.encode_lossless,
            partial(jpeg.refuse_lossless, first_order=first_order),
            lossy=False,
        )
    for name, transfer_syntax, near in (
        ("imagecodecs-jpegls-lossless", JPEG_LS_LOSSLESS, False),
        ("imagecodecs-jpegls-near-lossless", JPEG_LS_NEAR_LOSSLESS, True),
    ):
        yield _encoder(
            name,
            transfer_syntax,
            partial(jpeg.encode_jpeg_ls, near_lossless=near),
            partial(jpeg.refuse_jpeg_ls, near_lossless=near),
            lossy=near,
        )
    j2k = _imagecodecs_j2k
    for name, transfer_syntax, lossy in (
        ("imagecodecs-jpeg2000-lossless", JPEG_2000_LOSSLESS, False),
        ("imagecodecs-jpeg2000", JPEG_2000, True),
    ):
        yield _encoder(
            name,
            transfer_syntax,
            partial(j2k.encode_j2k, lossy=lossy),
            partial(j2k.refuse_j2k, lossy=lossy),
            lossy=lossy,
            photometric_after=partial(j2k.photometric_after, lossy=lossy),
        )
    for name, transfer_syntax, lossy, tlm in (
        ("imagecodecs-htj2k-lossless", HTJ2K_LOSSLESS, False, False),
        ("imagecodecs-htj2k-lossless-rpcl", HTJ2K_LOSSLESS_RPCL, False, True),
        ("imagecodecs-htj2k", HTJ2K, True, False),
    ):
        yield _encoder(
            name,
            transfer_syntax,
            partial(j2k.encode_htj2k, lossy=lossy, tlm=tlm),
            partial(j2k.refuse_htj2k, lossy=lossy),
            lossy=lossy,
            photometric_after=partial(j2k.photometric_after, lossy=lossy),
        )
    jxl = _imagecodecs_jxl
    for name, transfer_syntax, lossy in (
        ("imagecodecs-jpegxl-lossless", JPEG_XL_LOSSLESS, False),
        ("imagecodecs-jpegxl", JPEG_XL, True),
    ):
        yield _encoder(
            name,
            transfer_syntax,
            partial(jxl.encode, lossy=lossy),
            partial(jxl.refuse, lossy=lossy),
            lossy=lossy,
            photometric_after=jxl.photometric_after,
        )


def _recompression_supports(layout: PixelLayout, options: _Options) -> str | None:
    # Asked with the source's layout: only JPEG Baseline frames have the
    # coefficients this keeps.
    if layout.transfer_syntax != JPEG_BASELINE:
        return (
            "JPEG recompression transcodes JPEG Baseline frames "
            f"({JPEG_BASELINE}), not {layout.transfer_syntax}"
        )
    if options:
        return f"JPEG recompression takes no options, got {', '.join(sorted(options))}"
    return _imagecodecs_jxl.refuse_recompression(layout)


def _recompress(
    src: bytes | memoryview, layout: PixelLayout, options: _Options
) -> bytes:
    return _imagecodecs_jxl.recompress_jpeg(src, layout)


def _recompression() -> Encoder:
    """JPEG Baseline frames to JPEG XL JPEG Recompression, without decoding
    them: lossless with respect to the JPEG (no new Lossy Image Compression
    Method), which djxl or any libjxl rebuilds byte for byte; the
    Photometric Interpretation stays the JPEG's."""
    return Encoder(
        name="imagecodecs-jpegxl-jpeg-recompression",
        transfer_syntax=JPEG_XL_JPEG_RECOMPRESSION,
        lossy=False,
        supports=_recompression_supports,
        missing=missing,
        extra=EXTRA,
        missing_capability=_capability("imagecodecs-jpegxl"),
        transcodes_from={JPEG_BASELINE},
        transcode=_recompress,
    )


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    for name, (decode, supports) in _DECODERS.items():
        yield Decoder(
            name=name,
            transfer_syntaxes=TRANSFER_SYNTAXES[name],
            decode=decode,
            priority=DECODER_PRIORITIES[name],
            supports=supports,
            missing=missing,
            extra=EXTRA,
            missing_capability=_capability(name),
        )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield from _encoders()
    yield _recompression()
