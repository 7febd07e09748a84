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
  gives the frame back: exactly when lossless, within ``lossy_tolerance``
  when lossy;
- reference frames (encoded by another implementation) decode exactly;
- malformed input (empty, truncated, garbage) makes ``decode`` raise
  :class:`~dicomcore.errors.CodecError` (or a LimitError).  The framework
  would wrap any other exception too, but only the codec can say what is
  wrong with the data, so the suite asks the codec to do it.

A codec never receives a dataset: every call here passes a
:class:`~dicomcore.pixels.PixelLayout` alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pluggy
import pytest

from dicomcore.errors import CodecError, LimitError
from dicomcore.pixels import hookspecs
from dicomcore.pixels._manager import _validated
from dicomcore.pixels._records import DecodedFrame, Decoder, Encoder
from dicomcore.pixels.layout import PHOTOMETRIC_INTERPRETATIONS, PixelLayout
from dicomcore.pixels.registry import _checked_frame
from dicomcore.testing._layouts import make_frame, standard_layouts

__all__ = ["CodecConformance", "ReferenceFrame", "collect_records"]

MALFORMED_CASES = ("empty", "truncated", "garbage")


@dataclass(frozen=True)
class ReferenceFrame:
    """An encoded frame made by another implementation, and its pixels.

    ``layout`` describes the encoded frame (its transfer syntax included);
    ``expected`` is the decoded frame as :func:`make_frame` shapes one.
    """

    name: str
    layout: PixelLayout
    encoded: bytes
    expected: np.ndarray


def collect_records(plugin: object) -> tuple[list[Decoder], list[Encoder]]:
    """The decoders and encoders ``plugin`` yields, checked as the registry does.

    Uses a private plugin manager, so the global registry is not touched.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    name = manager.register(plugin)
    manager.check_pending()
    decoders: list[Decoder] = []
    encoders: list[Encoder] = []
    for impl in manager.hook.dicomcore_decoders.get_hookimpls():
        if impl.plugin_name == name:
            decoders += _validated(impl.function, Decoder, "dicomcore_decoders")
    for impl in manager.hook.dicomcore_encoders.get_hookimpls():
        if impl.plugin_name == name:
            encoders += _validated(impl.function, Encoder, "dicomcore_encoders")
    return decoders, encoders


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


class CodecConformance:
    """Base class of a codec's conformance tests; subclass it as ``Test...``.

    Set ``plugin`` (the module or object holding the ``@hookimpl``
    functions).  When it yields several decoders or encoders, name the one
    under test with ``decoder_name`` / ``encoder_name``.  Optional:
    ``extra_layouts`` (added to the standard ones), ``reference_frames``,
    ``encode_options``, ``lossy_tolerance`` (largest absolute difference
    allowed after a lossy round trip; None checks shape and dtype only) and
    ``malformed_cases`` (drop a case your format cannot detect, and say why
    in a comment).
    """

    plugin: object
    decoder_name: str | None = None
    encoder_name: str | None = None
    extra_layouts: Mapping[str, PixelLayout] = {}
    reference_frames: Sequence[ReferenceFrame] = ()
    encode_options: Mapping[str, Any] = {}
    lossy_tolerance: float | None = None
    malformed_cases: Sequence[str] = MALFORMED_CASES

    # -- parametrisation ---------------------------------------------------

    def layouts(self) -> dict[str, PixelLayout]:
        """The layouts to test on: the standard ones plus ``extra_layouts``."""
        return {**standard_layouts(), **self.extra_layouts}

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
        frame = make_frame(layout)
        encoded = encoder.encode(frame.copy(), layout, self.encode_options)
        assert isinstance(encoded, bytes), f"encode returned {type(encoded).__name__}"
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
        if encoder is not None and not encoder.missing():
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
            assert isinstance(missing, list), "missing() must return a list"
            assert all(isinstance(name, str) and name for name in missing)
        if decoder is not None:
            inspect.signature(decoder.decode).bind(b"", layout)
        if encoder is not None:
            inspect.signature(encoder.encode).bind(
                make_frame(layout), layout, self.encode_options
            )

    def test_supports_answers(self, layout: PixelLayout) -> None:
        decoder, encoder = self.records()
        if decoder is not None:
            for transfer_syntax in sorted(decoder.transfer_syntaxes):
                reason = decoder.supports(
                    replace(layout, transfer_syntax=transfer_syntax)
                )
                assert reason is None or (isinstance(reason, str) and reason), reason
        if encoder is not None:
            reason = encoder.supports(layout, self.encode_options)
            assert reason is None or (isinstance(reason, str) and reason), reason
            if reason is None:
                after = encoder.photometric_after(layout, self.encode_options)
                assert after in PHOTOMETRIC_INTERPRETATIONS, after

    def test_round_trip(self, layout: PixelLayout) -> None:
        encoded, encoded_layout, original = self._encode(layout)
        decoder_record, encoder = self.records()
        assert encoder is not None
        decoder = self._decoder_for(decoder_record, encoder.transfer_syntax)
        refusal = decoder.supports(encoded_layout)
        assert refusal is None, (
            f"the encoder accepted this layout but the decoder refuses what it "
            f"made: {refusal}"
        )
        for src in (encoded, memoryview(encoded)):
            decoded = _checked_frame(
                decoder.decode(src, encoded_layout), encoded_layout
            )
            array = _unpacked(decoded, encoded_layout)
            assert decoded.photometric_interpretation in {
                layout.photometric_interpretation,
                encoded_layout.photometric_interpretation,
            }
            if encoder.lossy:
                if self.lossy_tolerance is not None:
                    difference = np.abs(array.astype(float) - original.astype(float))
                    assert difference.max() <= self.lossy_tolerance
            elif (
                decoded.photometric_interpretation == layout.photometric_interpretation
            ):
                np.testing.assert_array_equal(array, original)

    def test_decode_reference(self, reference: ReferenceFrame) -> None:
        decoder, _ = self.records()
        decoder = self._decoder_for(decoder, reference.layout.transfer_syntax)
        decoded = _checked_frame(
            decoder.decode(reference.encoded, reference.layout), reference.layout
        )
        np.testing.assert_array_equal(
            _unpacked(decoded, reference.layout), reference.expected
        )

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
        with pytest.raises((CodecError, LimitError)):
            decoder.decode(src, layout)
