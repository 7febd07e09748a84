"""The codec conformance suite: a test class a codec author subclasses.

::

    # test_my_codec.py
    import my_codec
    from dicomcore.testing import CodecConformance

    class TestMyCodec(CodecConformance):
        plugin = my_codec

The suite calls the plugin's records directly, not through the registry, so
it tests the codec and not the framework, and it runs whether or not the
plugin is installed or already bundled.  It checks:

- the plugin's hooks yield valid records, and ``decode``/``encode`` accept
  the documented arguments;
- ``supports`` answers None or a reason for every standard layout, and
  ``photometric_after`` names a defined term;
- round trip: for every standard layout the encoder supports, encoding a
  random frame and decoding it (from ``bytes`` and from a ``memoryview``)
  gives the frame back as the pipeline would hand it to the user: YBR_FULL
  and YBR_FULL_422 turned into RGB, so a decoder may return either; exactly
  when lossless, within ``lossy_tolerance`` when lossy;
- reference frames (encoded by another implementation) decode exactly, or
  within their own tolerance;
- malformed input (empty, truncated, garbage) makes ``decode`` raise
  :class:`~dicomcore.errors.CodecError` (or a LimitError).  The framework
  would wrap any other exception too, but only the codec can say what is
  wrong with the data, so the suite asks the codec to do it.

A codec never receives a dataset: every call here passes a
:class:`~dicomcore.pixels.PixelLayout` alone.  Every failed comparison says
the layout, the frame, the decoder, the colour space compared in, and the
largest difference with where it is.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
import pytest

from dicomcore.errors import CodecError, LimitError
from dicomcore.pixels._manager import _private_records
from dicomcore.pixels._records import DecodedFrame, Decoder, Encoder
from dicomcore.pixels.layout import PHOTOMETRIC_INTERPRETATIONS, PixelLayout
from dicomcore.pixels.registry import _checked_frame, _describe_layout
from dicomcore.pixels.steps import ybr_full_to_rgb
from dicomcore.testing._layouts import make_frame, standard_layouts

__all__ = [
    "PSNR",
    "CodecConformance",
    "ReferenceFrame",
    "Tolerance",
    "collect_records",
    "compare_frames",
]

MALFORMED_CASES = ("empty", "truncated", "garbage")

# What the pipeline turns into RGB (its colour step) for 3-sample data.
_CONVERTED_TO_RGB: Final = frozenset({"YBR_FULL", "YBR_FULL_422"})
#: The key of a ``lossy_tolerance`` mapping that covers every other layout.
ANY_LAYOUT: Final = "*"


@dataclass(frozen=True)
class PSNR:
    """A tolerance as a floor on the peak signal-to-noise ratio, in dB.

    PSNR = 10 log10(peak**2 / mean squared error), peak = 2**Bits Stored - 1
    (for float data, the original's largest absolute value); identical frames
    pass any floor.  ``PSNR(40)`` suits most lossy codecs at default quality.
    """

    decibels: float

    def __str__(self) -> str:
        return f"PSNR >= {self.decibels:g} dB"


#: A lossy tolerance: the largest absolute difference allowed, or a PSNR floor.
Tolerance = float | PSNR


@dataclass(frozen=True)
class ReferenceFrame:
    """An encoded frame made by another implementation, and its pixels.

    ``layout`` describes the encoded frame (its transfer syntax and
    Photometric Interpretation included); ``expected`` is the decoded frame
    as :func:`make_frame` shapes one, in ``layout``'s Photometric
    Interpretation (YBR_FULL_422 at full resolution).  ``tolerance``: None
    for an exact match, else how far a decoder may be from ``expected``
    (lossy formats leave decoders some freedom of rounding).
    """

    name: str
    layout: PixelLayout
    encoded: bytes
    expected: np.ndarray
    tolerance: Tolerance | None = None


def collect_records(plugin: object) -> tuple[list[Decoder], list[Encoder]]:
    """The decoders and encoders ``plugin`` yields, checked as the registry does.

    Uses a private plugin manager, so the global registry is not touched.
    """
    return _private_records(plugin)


def _pick(records: Sequence[Any], name: str | None, kind: str) -> Any:
    if name is not None:
        named = [record for record in records if record.name == name]
        assert named, f"the plugin yields no {kind} named {name!r}"
        return named[0]
    if not records:
        return None
    assert len(records) == 1, (
        f"the plugin yields several {kind}s "
        f"({', '.join(r.name for r in records)}); set {kind}_name"
    )
    return records[0]


def _unpacked(frame: DecodedFrame, layout: PixelLayout) -> np.ndarray:
    array = frame.array
    if layout.bits_allocated == 1 and array.ndim == 1:
        bits = np.unpackbits(array, bitorder="little")[: layout.pixels_per_frame]
        return bits.reshape(layout.frame_shape)
    return array


def _as_user_sees(
    array: np.ndarray, photometric: str, layout: PixelLayout
) -> tuple[np.ndarray, str]:
    """``array`` after the pipeline's colour step, and the space it is in."""
    if layout.samples_per_pixel == 3 and photometric in _CONVERTED_TO_RGB:
        return ybr_full_to_rgb(array, layout.bits_stored), "RGB"
    return array, "YBR_FULL" if photometric == "YBR_FULL_422" else photometric


def _where(index: tuple[int, ...]) -> str:
    names = ("row", "column", "sample")
    return ", ".join(
        f"{name} {value}" for name, value in zip(names, index, strict=False)
    )


def _psnr(expected: np.ndarray, actual: np.ndarray, layout: PixelLayout) -> float:
    error = np.mean((expected.astype(float) - actual.astype(float)) ** 2)
    if error == 0:
        return math.inf
    if layout.is_float:
        peak = float(np.max(np.abs(expected))) or 1.0
    else:
        peak = float((1 << layout.bits_stored) - 1)
    return float(10 * math.log10(peak**2 / error))


def compare_frames(
    expected: np.ndarray,
    expected_photometric: str,
    actual: np.ndarray,
    actual_photometric: str,
    layout: PixelLayout,
    tolerance: Tolerance | None = None,
    context: str = "frame",
) -> str | None:
    """None when ``actual`` matches ``expected`` as a user would see them,
    else a message saying how they differ.

    Both are compared after the pipeline's colour step (YBR_FULL and
    YBR_FULL_422 to RGB), so a decoder may return YCbCr or RGB.
    ``tolerance``: None for equality, a number for the largest absolute
    difference allowed, or a :class:`PSNR` floor.  ``context`` starts the
    message (the layout, the frame, the decoder).
    """
    if actual.shape != expected.shape:
        return (
            f"{context}: shape {actual.shape}, expected {expected.shape}"
            f" ({_describe_layout(layout)})"
        )
    want, want_space = _as_user_sees(expected, expected_photometric, layout)
    got, got_space = _as_user_sees(actual, actual_photometric, layout)
    if want_space != got_space:
        return (
            f"{context}: the decoder returned {actual_photometric}, which the "
            f"pipeline does not turn into {want_space} (the original is "
            f"{expected_photometric}); return {want_space}, YBR_FULL or RGB"
        )
    difference = np.abs(want.astype(np.float64) - got.astype(np.float64))
    if difference.size == 0:
        return None
    if np.isnan(difference).any():
        # NaN pixels (float data) match NaN pixels only
        same_nan = np.isnan(want) & np.isnan(got)
        difference = np.where(same_nan, 0.0, np.nan_to_num(difference, nan=np.inf))
    index = tuple(int(i) for i in np.unravel_index(np.argmax(difference), got.shape))
    largest = difference[index]
    detail = (
        f"largest difference {largest:g} at ({_where(index)}): expected "
        f"{want[index].item()!r}, got {got[index].item()!r}"
    )
    compared = f"compared in {got_space}"
    if isinstance(tolerance, PSNR):
        psnr = _psnr(want, got, layout)
        if psnr >= tolerance.decibels:
            return None
        return (
            f"{context}, {compared}: PSNR {psnr:.2f} dB, below the floor of "
            f"{tolerance.decibels:g} dB; {detail}"
        )
    allowed = 0.0 if tolerance is None else float(tolerance)
    if largest <= allowed:
        return None
    limit = "exact match required" if tolerance is None else f"allowed {allowed:g}"
    return f"{context}, {compared}: {detail}; {limit}"


class CodecConformance:
    """Base class of a codec's conformance tests; subclass it as ``Test...``.

    Set ``plugin`` (the module or object holding the ``@hookimpl``
    functions).  When it yields several decoders or encoders, name the one
    under test with ``decoder_name`` / ``encoder_name``.  Optional:
    ``extra_layouts`` (added to the standard ones), ``reference_frames``,
    ``encode_options``, ``lossy_tolerance`` and ``malformed_cases`` (drop a
    case your format cannot detect, and say why in a comment).

    ``lossy_tolerance`` says how close a lossy round trip must come, after
    the colour step: a number (the largest absolute difference of any
    sample), a :class:`PSNR` floor in dB, or a mapping from layout name to
    either (``"*"`` for the layouts not named; a layout with no entry fails,
    naming itself).  None checks shape and dtype only.
    """

    plugin: object
    decoder_name: str | None = None
    encoder_name: str | None = None
    extra_layouts: Mapping[str, PixelLayout] = {}
    reference_frames: Sequence[ReferenceFrame] = ()
    encode_options: Mapping[str, Any] = {}
    lossy_tolerance: Tolerance | Mapping[str, Tolerance] | None = None
    malformed_cases: Sequence[str] = MALFORMED_CASES

    # -- parametrisation ---------------------------------------------------

    def layouts(self) -> dict[str, PixelLayout]:
        """The layouts to test on: the standard ones plus ``extra_layouts``."""
        return {**standard_layouts(), **self.extra_layouts}

    def layout_name(self, layout: PixelLayout) -> str:
        """The name ``layout`` goes by in :meth:`layouts` (for messages)."""
        for name, candidate in self.layouts().items():
            if candidate == layout:
                return name
        return _describe_layout(layout)

    def tolerance_for(self, layout: PixelLayout) -> Tolerance | None:
        """The lossy tolerance for ``layout`` (see ``lossy_tolerance``)."""
        tolerance = self.lossy_tolerance
        if not isinstance(tolerance, Mapping):
            return tolerance
        name = self.layout_name(layout)
        if name in tolerance:
            return tolerance[name]
        if ANY_LAYOUT in tolerance:
            return tolerance[ANY_LAYOUT]
        raise AssertionError(
            f"lossy_tolerance has no entry for layout {name!r} and no "
            f"{ANY_LAYOUT!r} entry; add one"
        )

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "layout" in metafunc.fixturenames:
            layouts = self.layouts()
            metafunc.parametrize("layout", list(layouts.values()), ids=list(layouts))
        if "malformed_case" in metafunc.fixturenames:
            metafunc.parametrize("malformed_case", list(self.malformed_cases))
        if "reference" in metafunc.fixturenames:
            references = [
                pytest.param(reference, id=reference.name)
                for reference in self.reference_frames
            ] or [
                pytest.param(
                    None,
                    id="none",
                    marks=pytest.mark.skip(reason="no reference_frames"),
                )
            ]
            metafunc.parametrize("reference", references)

    # -- the records under test ------------------------------------------------

    def records(self) -> tuple[Decoder | None, Encoder | None]:
        """The decoder and encoder under test (either may be None)."""
        decoders, encoders = collect_records(self.plugin)
        decoder = _pick(decoders, self.decoder_name, "decoder")
        encoder = _pick(encoders, self.encoder_name, "encoder")
        return decoder, encoder

    def _decoder_for(self, decoder: Decoder | None, transfer_syntax: str) -> Decoder:
        if decoder is None or transfer_syntax not in decoder.transfer_syntaxes:
            pytest.skip("the plugin has no decoder for its encoder's transfer syntax")
        if decoder.missing():
            pytest.skip(f"decoder {decoder.name!r} misses {decoder.missing()}")
        return decoder

    def _encode(self, layout: PixelLayout) -> tuple[bytes, PixelLayout, np.ndarray]:
        """Encode a random frame of ``layout``: (encoded, its layout, the frame)."""
        _, encoder = self.records()
        if encoder is None:
            pytest.skip("the plugin has no encoder")
        if encoder.missing():
            pytest.skip(f"encoder {encoder.name!r} misses {encoder.missing()}")
        reason = encoder.supports(layout, self.encode_options)
        if reason is not None:
            pytest.skip(f"encoder does not support this layout: {reason}")
        if encoder.encode is None:
            pytest.skip(f"encoder {encoder.name!r} only transcodes")
        frame = make_frame(layout)
        encoded = encoder.encode(frame.copy(), layout, self.encode_options)
        assert isinstance(encoded, bytes), (
            f"layout {self.layout_name(layout)!r}: encode returned "
            f"{type(encoded).__name__}, not bytes"
        )
        encoded_layout = replace(
            layout,
            transfer_syntax=encoder.transfer_syntax,
            photometric_interpretation=encoder.photometric_after(
                layout, self.encode_options
            ),
        )
        return encoded, encoded_layout, frame

    def _sample(self) -> tuple[bytes, PixelLayout]:
        """One valid encoded frame, for the malformed-input tests."""
        for reference in self.reference_frames:
            return reference.encoded, reference.layout
        _, encoder = self.records()
        if encoder is not None and encoder.encode is not None and not encoder.missing():
            for layout in self.layouts().values():
                if encoder.supports(layout, self.encode_options) is None:
                    encoded, encoded_layout, _ = self._encode(layout)
                    return encoded, encoded_layout
        pytest.skip("no encoder and no reference frames to derive malformed input")

    # -- the tests -------------------------------------------------------------

    def test_records_well_formed(self) -> None:
        decoder, encoder = self.records()
        assert decoder is not None or encoder is not None, (
            "the plugin yields neither a decoder nor an encoder"
        )
        layout = standard_layouts()["u8"]
        for record in (decoder, encoder):
            if record is None:
                continue
            missing = record.missing()
            assert isinstance(missing, list), (
                f"{record.name}: missing() must return a list, got {missing!r}"
            )
            assert all(isinstance(name, str) and name for name in missing), (
                f"{record.name}: missing() must list package names, got {missing!r}"
            )
            if not missing:
                capability = record.missing_capability()
                assert capability is None or (
                    isinstance(capability, str) and capability
                ), (
                    f"{record.name}: missing_capability() must return None or a "
                    f"reason, got {capability!r}"
                )
        if decoder is not None:
            inspect.signature(decoder.decode).bind(b"", layout)
        if encoder is not None and encoder.encode is not None:
            inspect.signature(encoder.encode).bind(
                make_frame(layout), layout, self.encode_options
            )
        if encoder is not None and encoder.transcode is not None:
            inspect.signature(encoder.transcode).bind(b"", layout, self.encode_options)

    def test_supports_answers(self, layout: PixelLayout) -> None:
        decoder, encoder = self.records()
        name = self.layout_name(layout)
        if decoder is not None:
            for transfer_syntax in sorted(decoder.transfer_syntaxes):
                reason = decoder.supports(
                    replace(layout, transfer_syntax=transfer_syntax)
                )
                assert reason is None or (isinstance(reason, str) and reason), (
                    f"layout {name!r}: decoder {decoder.name!r}.supports must "
                    f"return None or a reason, got {reason!r}"
                )
        if encoder is not None:
            reason = encoder.supports(layout, self.encode_options)
            assert reason is None or (isinstance(reason, str) and reason), (
                f"layout {name!r}: encoder {encoder.name!r}.supports must return "
                f"None or a reason, got {reason!r}"
            )
            if reason is None:
                after = encoder.photometric_after(layout, self.encode_options)
                assert after in PHOTOMETRIC_INTERPRETATIONS, (
                    f"layout {name!r}: photometric_after gave {after!r}, which "
                    "is not a defined term"
                )

    def test_round_trip(self, layout: PixelLayout) -> None:
        encoded, encoded_layout, original = self._encode(layout)
        decoder_record, encoder = self.records()
        assert encoder is not None
        decoder = self._decoder_for(decoder_record, encoder.transfer_syntax)
        name = self.layout_name(layout)
        refusal = decoder.supports(encoded_layout)
        assert refusal is None, (
            f"layout {name!r}: the encoder accepted it but decoder "
            f"{decoder.name!r} refuses what it made: {refusal}"
        )
        tolerance = self.tolerance_for(layout) if encoder.lossy else None
        for src in (encoded, memoryview(encoded)):
            context = (
                f"layout {name!r} ({_describe_layout(layout)}), frame 0 encoded "
                f"by {encoder.name!r} as {encoded_layout.photometric_interpretation}"
                f", decoded from {type(src).__name__} by {decoder.name!r}"
            )
            decoded = _checked_frame(
                decoder.decode(src, encoded_layout), encoded_layout
            )
            if encoder.lossy and self.lossy_tolerance is None:
                continue  # shape and dtype only, checked above
            problem = compare_frames(
                original,
                layout.photometric_interpretation,
                _unpacked(decoded, encoded_layout),
                decoded.photometric_interpretation,
                layout,
                tolerance,
                context,
            )
            assert problem is None, problem

    def test_decode_reference(self, reference: ReferenceFrame) -> None:
        decoder, _ = self.records()
        decoder = self._decoder_for(decoder, reference.layout.transfer_syntax)
        decoded = _checked_frame(
            decoder.decode(reference.encoded, reference.layout), reference.layout
        )
        problem = compare_frames(
            reference.expected,
            reference.layout.photometric_interpretation,
            _unpacked(decoded, reference.layout),
            decoded.photometric_interpretation,
            reference.layout,
            reference.tolerance,
            f"reference frame {reference.name!r} "
            f"({_describe_layout(reference.layout)}), decoded by {decoder.name!r}",
        )
        assert problem is None, problem

    def test_malformed_input_raises_codec_error(self, malformed_case: str) -> None:
        decoder, _ = self.records()
        if decoder is None:
            pytest.skip("the plugin has no decoder")
        encoded, layout = self._sample()
        decoder = self._decoder_for(decoder, layout.transfer_syntax)
        if malformed_case == "empty":
            src = b""
        elif malformed_case == "truncated":
            src = encoded[: len(encoded) // 2]
        else:
            rng = np.random.default_rng(1)
            garbage = rng.integers(0, 256, max(1, len(encoded) // 3), dtype=np.uint8)
            src = garbage.tobytes()
        try:
            decoder.decode(src, layout)
        except (CodecError, LimitError):
            return
        except Exception as exc:
            pytest.fail(
                f"{malformed_case} input: decoder {decoder.name!r} raised "
                f"{type(exc).__name__}: {exc}; raise dicomcore.errors.CodecError "
                "saying what is wrong with the data"
            )
        pytest.fail(
            f"{malformed_case} input ({len(src)} bytes): decoder {decoder.name!r} "
            "returned a frame; raise dicomcore.errors.CodecError instead"
        )
