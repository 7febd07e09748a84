"""The codec registry: queries, choice, fallback, errors and the codec table.

Every test here starts from an empty registry (no bundled plugins, no entry
points; see the clean_registry fixture) and registers toy plugins by hand.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from dicomcore.errors import CodecError, LimitError, NoCodecError, PixelDataError
from dicomcore.pixels import (
    DecodedFrame,
    DecodeFailedError,
    PixelLayout,
    PluginError,
    _manager,
    choose_decoders,
    choose_encoder,
    decode_frame,
    decoders_for,
    encode_frame,
    encoders_for,
    format_codec_table,
    hookimpl,
    register_plugin,
    registry,
    reset_registry,
)
from dicomcore.pixels.registry import transfer_syntax_label

from . import toy_codecs
from .toy_codecs import TOY_TRANSFER_SYNTAX as TOY
from .toy_codecs import decoder, encoder, make_plugin

pytestmark = pytest.mark.usefixtures("clean_registry")

LAYOUT = PixelLayout(rows=5, columns=7, transfer_syntax=TOY)
LAYOUT_TEXT = "5x7 MONOCHROME2, 1 sample(s), 8 of 8 bits unsigned"
OTHER_TS = "1.2.840.10008.1.2.5"


def failing(error: Exception) -> Any:
    def decode(src: bytes | memoryview, layout: PixelLayout) -> Any:
        raise error

    return decode


def encoded_frame(layout: PixelLayout = LAYOUT) -> tuple[bytes, np.ndarray]:
    frame = np.arange(layout.pixels_per_frame, dtype=layout.dtype).reshape(
        layout.frame_shape
    )
    return toy_codecs.encode(frame, layout, {}), frame


# -- registration -------------------------------------------------------------


def test_register_plugin_returns_its_name_and_its_records_appear() -> None:
    assert decoders_for(TOY) == []
    assert register_plugin(toy_codecs, name="toy") == "toy"
    assert [d.name for d in decoders_for(TOY)] == ["xor"]
    assert [e.name for e in encoders_for(TOY)] == ["xor"]


def test_default_plugin_name_is_the_module_name() -> None:
    assert register_plugin(toy_codecs) == toy_codecs.__name__


def test_reset_registry_forgets_hand_registered_plugins() -> None:
    register_plugin(toy_codecs, name="toy")
    reset_registry()
    assert decoders_for(TOY) == []


def test_blocked_plugin_is_not_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DICOMCORE_BLOCK_PLUGINS", " toy , other")
    reset_registry()
    assert register_plugin(toy_codecs, name="toy") is None
    assert decoders_for(TOY) == []


def test_two_plugins_with_one_decoder_name_is_an_error_naming_both() -> None:
    register_plugin(make_plugin("first", [decoder("xor", priority=60)]), name="first")
    with pytest.raises(PluginError) as info:
        register_plugin(make_plugin("second", [decoder("xor")]), name="second")
    assert str(info.value) == (
        "decoder name 'xor' is provided by more than one plugin: plugin 'first' "
        "(by hand), plugin 'second' (by hand); uninstall one or block it with "
        "DICOMCORE_BLOCK_PLUGINS=<plugin name>"
    )
    # the second plugin was not kept
    assert [d.name for d in decoders_for(TOY)] == ["xor"]
    assert registry.get_plugin_manager().has_plugin("second") is False


def test_a_decoder_and_an_encoder_may_share_a_name() -> None:
    register_plugin(make_plugin("rle", [decoder("rle")], [encoder("rle")]), name="rle")
    assert (
        [d.name for d in decoders_for(TOY)],
        [e.name for e in encoders_for(TOY)],
    ) == (
        ["rle"],
        ["rle"],
    )


def test_same_plugin_name_twice() -> None:
    register_plugin(make_plugin("a", [decoder("a")]), name="dup")
    with pytest.raises(PluginError) as info:
        register_plugin(make_plugin("b", [decoder("b")]), name="dup")
    assert str(info.value) == (
        "cannot register plugin 'dup': a plugin of that name or the same object "
        "is already registered (by hand)"
    )


def test_invalid_record_from_a_hand_registered_plugin() -> None:
    module = make_plugin("bad")

    @hookimpl
    def dicomcore_decoders() -> Any:
        yield "oops"

    module.dicomcore_decoders = dicomcore_decoders  # type: ignore[attr-defined]
    with pytest.raises(PluginError) as info:
        register_plugin(module, name="bad")
    assert str(info.value) == (
        "plugin 'bad' (by hand): TypeError: dicomcore_decoders must yield "
        "Decoder records, yielded 'oops'"
    )
    assert registry.get_plugin_manager().has_plugin("bad") is False


def test_misspelt_hook_fails_loudly() -> None:
    module = make_plugin("typo")

    @hookimpl
    def dicomcore_decoder() -> Any:
        yield decoder("typo")

    module.dicomcore_decoder = dicomcore_decoder  # type: ignore[attr-defined]
    with pytest.raises(PluginError) as info:
        register_plugin(module, name="typo")
    assert str(info.value).startswith(
        "cannot register plugin 'typo': unknown hook 'dicomcore_decoder' in plugin"
    )


def test_third_party_plugin_whose_hook_fails_is_broken_not_fatal() -> None:
    manager = _manager.CodecPluginManager()
    module = make_plugin("flaky")

    @hookimpl
    def dicomcore_decoders() -> Any:
        raise RuntimeError("cannot find libflaky")

    module.dicomcore_decoders = dicomcore_decoders  # type: ignore[attr-defined]
    manager.pm.register(module, name="flaky")
    manager.providers["flaky"] = "flaky-codec 2.0"
    with pytest.warns(_manager.PluginLoadWarning) as record:
        catalog = manager.catalog()
    assert [str(w.message) for w in record] == [
        "dicomcore codec plugin 'flaky' (flaky-codec 2.0) is skipped: "
        "RuntimeError: cannot find libflaky"
    ]
    assert catalog.decoders == []
    assert catalog.broken == [
        _manager.BrokenPlugin(
            "flaky", "flaky-codec 2.0", "RuntimeError: cannot find libflaky"
        )
    ]


def test_clash_between_installed_plugins_fails_every_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = _manager.CodecPluginManager()
    manager.pm.register(
        make_plugin("a", [decoder("jpeg", priority=70)]), name="codec-a"
    )
    manager.pm.register(make_plugin("b", [decoder("jpeg")]), name="codec-b")
    manager.providers.update({"codec-a": "codec-a 1.0", "codec-b": "codec-b 3.1"})
    monkeypatch.setattr(registry, "_manager_instance", manager)
    message = (
        "decoder name 'jpeg' is provided by more than one plugin: plugin 'codec-a' "
        "(codec-a 1.0), plugin 'codec-b' (codec-b 3.1); uninstall one or block it "
        "with DICOMCORE_BLOCK_PLUGINS=<plugin name>"
    )
    with pytest.raises(PluginError) as info:
        decoders_for(OTHER_TS)
    assert str(info.value) == message
    with pytest.raises(PluginError):
        choose_decoders(LAYOUT)
    # the table still works, so that `dicomcore codecs` can show the problem
    assert format_codec_table().endswith(
        "Name clashes (decoding and encoding fail until one is removed):\n  " + message
    )


# -- queries --------------------------------------------------------------------


def test_decoders_for_orders_by_priority_then_name() -> None:
    register_plugin(
        make_plugin(
            "many",
            [
                decoder("beta"),
                decoder("fast", priority=80),
                decoder("alpha"),
                decoder("other", transfer_syntaxes={OTHER_TS}),
            ],
        ),
        name="many",
    )
    assert [d.name for d in decoders_for(TOY)] == ["fast", "alpha", "beta"]
    assert [d.name for d in decoders_for(OTHER_TS)] == ["other"]


def test_decoders_for_a_layout_leaves_out_unavailable_ones() -> None:
    register_plugin(
        make_plugin(
            "many",
            [
                decoder("needs-lib", priority=90, missing=lambda: ["libjpeg"]),
                decoder("no-colour", priority=80, supports=lambda layout: "no colour"),
                decoder("plain"),
            ],
        ),
        name="many",
    )
    assert [d.name for d in decoders_for(TOY, LAYOUT)] == ["plain"]


def test_encoders_for_orders_by_priority_then_name() -> None:
    register_plugin(
        make_plugin(
            "enc", encoders=[encoder("b"), encoder("a"), encoder("c", priority=99)]
        ),
        name="enc",
    )
    assert [e.name for e in encoders_for(TOY)] == ["c", "a", "b"]


def test_no_decoder_registered_for_the_transfer_syntax() -> None:
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT)
    assert str(info.value) == f"no decoder is registered for {TOY}"
    assert info.value.candidates == []


def test_no_codec_error_lists_every_candidate_with_reason_and_install_hint() -> None:
    register_plugin(
        make_plugin(
            "many",
            [
                decoder(
                    "pylibjpeg",
                    priority=90,
                    missing=lambda: ["pylibjpeg", "pylibjpeg-libjpeg"],
                    extra="jpeg",
                ),
                decoder("gdcm", priority=70, missing=lambda: ["python-gdcm"]),
                decoder("mono-only", supports=lambda layout: "8-bit data only"),
            ],
        ),
        name="many",
    )
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT)
    assert str(info.value) == (
        f"no decoder can decode {TOY} for {LAYOUT_TEXT}\n"
        "  pylibjpeg: missing: pylibjpeg, pylibjpeg-libjpeg -> "
        'pip install "dicomcore[jpeg]"\n'
        "  gdcm: missing: python-gdcm -> pip install python-gdcm\n"
        "  mono-only: 8-bit data only"
    )
    assert [name for name, _ in info.value.candidates] == [
        "pylibjpeg",
        "gdcm",
        "mono-only",
    ]


def test_a_plugin_whose_checks_raise_is_refused_with_the_reason() -> None:
    def boom(layout: PixelLayout) -> str | None:
        raise KeyError("Rows")

    register_plugin(make_plugin("odd", [decoder("odd", supports=boom)]), name="odd")
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT)
    assert info.value.candidates == [("odd", "supports() raised KeyError: 'Rows'")]


def test_decoding_plugin_by_record_name_or_plugin_name() -> None:
    register_plugin(
        make_plugin("a", [decoder("fast", priority=80), decoder("slow")]), name="pack"
    )
    assert [d.name for d in choose_decoders(LAYOUT)] == ["fast", "slow"]
    assert [d.name for d in choose_decoders(LAYOUT, decoding_plugin="slow")] == ["slow"]
    assert [d.name for d in choose_decoders(LAYOUT, decoding_plugin="pack")] == [
        "fast",
        "slow",
    ]


def test_unknown_decoding_plugin() -> None:
    register_plugin(make_plugin("a", [decoder("fast"), decoder("slow")]), name="pack")
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT, decoding_plugin="pylibjpeg")
    assert (
        str(info.value) == "no decoder plugin named 'pylibjpeg'; decoders: fast, slow"
    )


def test_decoding_plugin_for_another_transfer_syntax() -> None:
    register_plugin(
        make_plugin(
            "a", [decoder("fast"), decoder("rle", transfer_syntaxes={OTHER_TS})]
        ),
        name="pack",
    )
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT, decoding_plugin="rle")
    assert str(info.value) == (
        f"decoder plugin 'rle' cannot decode {TOY}\n  rle: does not decode {TOY}"
    )


def test_named_decoding_plugin_that_lacks_a_package() -> None:
    register_plugin(
        make_plugin(
            "a", [decoder("fast"), decoder("j", missing=lambda: ["x"], extra="jx")]
        ),
        name="pack",
    )
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT, decoding_plugin="j")
    assert str(info.value) == (
        f"no decoder can decode {TOY} for {LAYOUT_TEXT}\n"
        '  j: missing: x -> pip install "dicomcore[jx]"'
    )


def test_choice_is_cached_until_the_registry_changes() -> None:
    calls: list[PixelLayout] = []

    def supports(layout: PixelLayout) -> None:
        calls.append(layout)

    register_plugin(make_plugin("a", [decoder("counted", supports=supports)]), name="a")
    choose_decoders(LAYOUT)
    choose_decoders(LAYOUT)
    assert len(calls) == 1
    register_plugin(make_plugin("b", [decoder("later", priority=1)]), name="b")
    assert [d.name for d in choose_decoders(LAYOUT)] == ["counted", "later"]
    assert len(calls) == 2


# -- decoding --------------------------------------------------------------------


def test_decode_frame_wraps_a_bare_array() -> None:
    register_plugin(toy_codecs, name="toy")
    src, frame = encoded_frame()
    decoded = decode_frame(src, LAYOUT, 0)
    assert isinstance(decoded, DecodedFrame)
    np.testing.assert_array_equal(decoded.array, frame)
    assert (decoded.photometric_interpretation, decoded.bits_stored_applied) == (
        "MONOCHROME2",
        False,
    )


def test_decode_frame_falls_back_in_priority_order(
    caplog: pytest.LogCaptureFixture,
) -> None:
    register_plugin(
        make_plugin(
            "pack",
            [
                decoder("first", priority=90, decode=failing(ValueError("bad marker"))),
                decoder(
                    "second", priority=80, decode=failing(IndexError("out of range"))
                ),
                decoder("third"),
            ],
        ),
        name="pack",
    )
    src, frame = encoded_frame()
    with caplog.at_level(logging.DEBUG, logger="dicomcore.pixels.registry"):
        decoded = decode_frame(src, LAYOUT, frame_index=4)
    np.testing.assert_array_equal(decoded.array, frame)
    assert [r.getMessage() for r in caplog.records] == [
        "frame 4: trying decoder 'first'",
        "frame 4: decoder 'first' failed: ValueError('bad marker')",
        "frame 4: trying decoder 'second'",
        "frame 4: decoder 'second' failed: IndexError('out of range')",
        "frame 4: trying decoder 'third'",
    ]


def test_when_every_decoder_fails_the_error_names_each_and_the_frame() -> None:
    bad_marker = ValueError("bad marker")
    register_plugin(
        make_plugin(
            "pack",
            [
                decoder("first", priority=90, decode=failing(bad_marker)),
                decoder(
                    "second", decode=failing(CodecError("truncated", plugin="second"))
                ),
            ],
        ),
        name="pack",
    )
    with pytest.raises(DecodeFailedError) as info:
        decode_frame(b"\x00", LAYOUT, frame_index=2)
    error = info.value
    assert isinstance(error, CodecError)
    assert error.tried == ["first", "second"]
    assert error.attempts[0] == ("first", bad_marker)
    assert (error.plugin, error.frame_index) == ("first, second", 2)
    assert str(error) == (
        f"cannot decode {TOY} [plugin 'first, second', frame 2]\n"
        "  first: ValueError: bad marker\n"
        "  second: CodecError: truncated [plugin 'second']"
    )
    assert isinstance(error.__cause__, CodecError)


def test_a_wrongly_shaped_result_counts_as_a_failure() -> None:
    def flat(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
        return np.zeros(35, np.uint8)

    def wide(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
        return np.zeros((5, 7), np.uint16)

    def text(src: bytes | memoryview, layout: PixelLayout) -> bytes:
        return b""

    register_plugin(
        make_plugin(
            "pack",
            [
                decoder("flat", priority=3, decode=flat),
                decoder("wide", priority=2, decode=wide),
                decoder("text", priority=1, decode=text),
            ],
        ),
        name="pack",
    )
    with pytest.raises(DecodeFailedError) as info:
        decode_frame(b"", LAYOUT)
    assert str(info.value) == (
        f"cannot decode {TOY} [plugin 'flat, wide, text']\n"
        "  flat: CodecError: decode returned shape (35,) and dtype uint8; "
        "expected shape (5, 7) and dtype uint8\n"
        "  wide: CodecError: decode returned shape (5, 7) and dtype uint16; "
        "expected shape (5, 7) and dtype uint8\n"
        "  text: CodecError: decode returned bytes; expected a numpy array or a "
        "DecodedFrame"
    )


def test_packed_one_bit_frames_are_accepted() -> None:
    register_plugin(toy_codecs, name="toy")
    layout = PixelLayout(
        rows=3, columns=5, bits_allocated=1, bits_stored=1, transfer_syntax=TOY
    )
    frame = np.array([[1, 0, 0, 0, 0], [0, 0, 0, 1, 1], [1, 1, 1, 1, 1]], np.uint8)
    decoded = decode_frame(toy_codecs.encode(frame, layout, {}), layout)
    # pixels 0-7 in the first byte, 8-14 in the second, first pixel in bit 0
    assert decoded.array.tolist() == [0b00000001, 0b01111111]


def test_a_limit_error_stops_the_search() -> None:
    limit = LimitError("frame inflates past 1000x", limit="max_inflate_ratio")
    register_plugin(
        make_plugin(
            "pack",
            [decoder("first", priority=90, decode=failing(limit)), decoder("second")],
        ),
        name="pack",
    )
    with pytest.raises(LimitError) as info:
        decode_frame(encoded_frame()[0], LAYOUT)
    assert info.value is limit


# -- encoding --------------------------------------------------------------------


def test_choose_encoder_takes_the_highest_priority_that_supports() -> None:
    register_plugin(
        make_plugin(
            "pack",
            encoders=[
                encoder("picky", priority=90, supports=lambda layout, options: "no"),
                encoder(
                    "quality",
                    priority=80,
                    supports=lambda layout, options: (
                        None if "quality" in options else "needs quality"
                    ),
                ),
                encoder("plain"),
            ],
        ),
        name="pack",
    )
    assert choose_encoder(LAYOUT, TOY).name == "plain"
    assert choose_encoder(LAYOUT, TOY, {"quality": 90}).name == "quality"
    assert choose_encoder(LAYOUT, TOY, encoding_plugin="plain").name == "plain"
    with pytest.raises(NoCodecError) as info:
        choose_encoder(LAYOUT, TOY, encoding_plugin="picky")
    assert (
        str(info.value)
        == f"no encoder can encode to {TOY} for {LAYOUT_TEXT}\n  picky: no"
    )


def test_encode_frame_round_trip_with_decode_frame() -> None:
    register_plugin(toy_codecs, name="toy")
    layout = PixelLayout(
        rows=2, columns=3, bits_allocated=16, bits_stored=12, pixel_representation=1
    )
    frame = np.array([[-2048, -1, 0], [1, 2047, 5]], np.int16)
    encoded = encode_frame(frame, layout, TOY)
    assert encoded[:8] == b"XOR1\x0c\x00\x00\x00"
    decoded = decode_frame(encoded, dataclasses.replace(layout, transfer_syntax=TOY))
    np.testing.assert_array_equal(decoded.array, frame)


def test_encode_frame_wraps_foreign_exceptions() -> None:
    def encode(
        frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
    ) -> bytes:
        raise ZeroDivisionError("division by zero")

    register_plugin(
        make_plugin("pack", encoders=[encoder("fragile", encode=encode)]), name="p"
    )
    with pytest.raises(CodecError) as info:
        encode_frame(np.zeros((5, 7), np.uint8), LAYOUT, TOY, frame_index=3)
    assert str(info.value) == (
        "encoding failed: ZeroDivisionError: division by zero "
        "[plugin 'fragile', frame 3]"
    )
    assert (info.value.plugin, info.value.frame_index) == ("fragile", 3)


def test_encode_frame_checks_the_frame_against_the_layout() -> None:
    register_plugin(toy_codecs, name="toy")
    with pytest.raises(PixelDataError) as info:
        encode_frame(np.zeros((7, 5), np.uint8), LAYOUT, TOY)
    assert str(info.value) == (
        "frame has shape (7, 5) and dtype uint8; the layout needs shape (5, 7) "
        "and dtype uint8"
    )


def test_encode_frame_rejects_a_result_that_is_not_bytes() -> None:
    register_plugin(
        make_plugin(
            "pack",
            encoders=[encoder("lister", encode=lambda frame, layout, options: [1, 2])],
        ),
        name="p",
    )
    with pytest.raises(CodecError) as info:
        encode_frame(np.zeros((5, 7), np.uint8), LAYOUT, TOY)
    assert str(info.value) == "encode returned list, expected bytes [plugin 'lister']"


# -- the codec table -------------------------------------------------------------


def test_format_codec_table() -> None:
    register_plugin(toy_codecs, name="toy")
    register_plugin(
        make_plugin(
            "jpegish",
            [
                decoder(
                    "pylibjpeg",
                    priority=60,
                    transfer_syntaxes={
                        "1.2.840.10008.1.2.4.50",
                        "1.2.840.10008.1.2.4.57",
                    },
                    missing=lambda: ["pylibjpeg"],
                    extra="jpeg",
                )
            ],
        ),
        name="jpegish",
    )
    jpeg_baseline = transfer_syntax_label("1.2.840.10008.1.2.4.50")
    jpeg_lossless = transfer_syntax_label("1.2.840.10008.1.2.4.57")
    syntaxes = f"{jpeg_baseline}, {jpeg_lossless}"
    available = 'missing: pylibjpeg -> pip install "dicomcore[jpeg]"'
    rows: list[tuple[str, ...]] = [
        (
            "name",
            "kind",
            "plugin",
            "provider",
            "priority",
            "available",
            "transfer syntaxes",
        ),
        ("pylibjpeg", "decoder", "jpegish", "by hand", "60", available, syntaxes),
        ("xor", "decoder", "toy", "by hand", "50", "yes", TOY),
        ("xor", "encoder", "toy", "by hand", "50", "yes", TOY),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(7)]
    rows.insert(1, tuple("-" * w for w in widths))
    expected = "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    assert format_codec_table() == expected
    assert (
        format_codec_table()
        .splitlines()[2]
        .startswith(
            "pylibjpeg  decoder  jpegish  by hand   60        missing: pylibjpeg"
        )
    )


def test_format_codec_table_when_empty() -> None:
    assert format_codec_table() == "No codec plugins are registered."


def test_transfer_syntax_label() -> None:
    assert transfer_syntax_label(TOY) == TOY
    try:
        from dicomcore.uid import UID

        expected = UID("1.2.840.10008.1.2.5").keyword
    except Exception:
        expected = ""
    assert transfer_syntax_label("1.2.840.10008.1.2.5") == (
        expected or "1.2.840.10008.1.2.5"
    )


def test_third_party_plugin_with_a_misspelt_hook_is_broken_not_fatal() -> None:
    manager = _manager.CodecPluginManager()
    module = make_plugin("typo", [decoder("fine")])

    @hookimpl
    def dicomcore_encoder() -> Any:
        yield encoder("typo")

    module.dicomcore_encoder = dicomcore_encoder  # type: ignore[attr-defined]
    manager.pm.register(module, name="typo")
    manager.providers["typo"] = "typo-codec 0.1"
    with pytest.warns(
        _manager.PluginLoadWarning,
        match="^dicomcore codec plugin 'typo' "
        r"\(typo-codec 0.1\) is skipped: PluginValidationError: unknown hook "
        "'dicomcore_encoder'",
    ):
        manager._check_pending()
    assert manager.pm.has_plugin("typo") is False
    assert [plugin.name for plugin in manager.broken] == ["typo"]
    assert manager.catalog().decoders == []


class NativePanic(BaseException):
    """Stands in for pyo3's PanicException, which is not an Exception."""


def test_a_native_panic_is_a_codec_failure_not_an_escape() -> None:
    register_plugin(
        make_plugin(
            "pack",
            [
                decoder(
                    "panicky",
                    priority=90,
                    decode=failing(NativePanic("index out of bounds")),
                ),
                decoder("steady"),
            ],
        ),
        name="pack",
    )
    src, frame = encoded_frame()
    np.testing.assert_array_equal(decode_frame(src, LAYOUT, 0).array, frame)
    register_plugin(
        make_plugin(
            "alone",
            [decoder("lonely", priority=95, decode=failing(NativePanic("boom")))],
        ),
        name="alone",
    )
    with pytest.raises(CodecError):
        decode_frame(src, LAYOUT, 0, decoding_plugin="lonely")


def test_keyboard_interrupt_is_never_swallowed() -> None:
    register_plugin(
        make_plugin(
            "pack",
            [decoder("interrupted", priority=90, decode=failing(KeyboardInterrupt()))],
        ),
        name="pack",
    )
    src, _ = encoded_frame()
    with pytest.raises(KeyboardInterrupt):
        decode_frame(src, LAYOUT, 0)
