"""Decoder, Encoder and DecodedFrame records: defaults and validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from pydicom.uid import UID as PydicomUID

from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout

from .toy_codecs import TOY_TRANSFER_SYNTAX, decode, encode


def make_decoder(**changes: Any) -> Decoder:
    fields: dict[str, Any] = {
        "name": "xor",
        "transfer_syntaxes": {TOY_TRANSFER_SYNTAX},
        "decode": decode,
    }
    return Decoder(**{**fields, **changes})


def make_encoder(**changes: Any) -> Encoder:
    fields: dict[str, Any] = {
        "name": "xor",
        "transfer_syntax": TOY_TRANSFER_SYNTAX,
        "encode": encode,
        "lossy": False,
    }
    return Encoder(**{**fields, **changes})


def test_decoder_defaults() -> None:
    decoder = make_decoder()
    layout = PixelLayout(rows=1, columns=1)
    assert decoder.priority == 50
    assert decoder.supports(layout) is None
    assert decoder.missing() == []
    assert decoder.extra is None
    assert decoder.transfer_syntaxes == frozenset({TOY_TRANSFER_SYNTAX})


def test_encoder_defaults() -> None:
    encoder = make_encoder()
    layout = PixelLayout(rows=1, columns=1, photometric_interpretation="MONOCHROME1")
    assert encoder.priority == 50
    assert encoder.supports(layout, {}) is None
    assert encoder.photometric_after(layout, {}) == "MONOCHROME1"
    assert encoder.missing() == []


def test_records_are_frozen_and_keyword_only() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_decoder().priority = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        Decoder("xor", {TOY_TRANSFER_SYNTAX}, decode)  # type: ignore[misc]


def test_uid_subclasses_become_plain_strings() -> None:
    decoder = make_decoder(transfer_syntaxes=[PydicomUID(TOY_TRANSFER_SYNTAX)])
    (uid,) = decoder.transfer_syntaxes
    assert type(uid) is str
    encoder = make_encoder(transfer_syntax=PydicomUID(TOY_TRANSFER_SYNTAX))
    assert type(encoder.transfer_syntax) is str


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        (
            {"name": ""},
            ValueError,
            "decoder name must be a non-empty string of letters, digits, '.', '_' "
            "and '-', got ''",
        ),
        (
            {"name": "a,b"},
            ValueError,
            "decoder name must be a non-empty string of letters, digits, '.', '_' "
            "and '-', got 'a,b'",
        ),
        (
            {"transfer_syntaxes": TOY_TRANSFER_SYNTAX},
            TypeError,
            f"decoder 'xor': transfer_syntaxes must be a collection of UID strings, "
            f"got '{TOY_TRANSFER_SYNTAX}'",
        ),
        (
            {"transfer_syntaxes": {"1.2.03"}},
            ValueError,
            "'1.2.03' is not a valid transfer syntax UID",
        ),
        (
            {"transfer_syntaxes": {"1." + "2" * 70}},
            ValueError,
            f"'1.{'2' * 70}' is not a valid transfer syntax UID",
        ),
        (
            {"transfer_syntaxes": {1.2}},
            TypeError,
            "a transfer syntax UID must be a str, got 1.2",
        ),
        (
            {"transfer_syntaxes": set()},
            ValueError,
            "decoder 'xor': transfer_syntaxes is empty",
        ),
        (
            {"decode": "decode"},
            TypeError,
            "decoder 'xor': decode must be callable, got 'decode'",
        ),
        (
            {"missing": ["pylibjpeg"]},
            TypeError,
            "decoder 'xor': missing must be callable, got ['pylibjpeg']",
        ),
        (
            {"priority": True},
            TypeError,
            "decoder 'xor': priority must be an int, got True",
        ),
        (
            {"extra": "jpeg ls"},
            ValueError,
            "decoder 'xor': extra must be None or a pip extra name, got 'jpeg ls'",
        ),
    ],
)
def test_invalid_decoder(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        make_decoder(**changes)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"lossy": 0}, TypeError, "encoder 'xor': lossy must be True or False, got 0"),
        (
            {"photometric_after": "RGB"},
            TypeError,
            "encoder 'xor': photometric_after must be callable, got 'RGB'",
        ),
        (
            {"transfer_syntax": "RLE"},
            ValueError,
            "'RLE' is not a valid transfer syntax UID",
        ),
    ],
)
def test_invalid_encoder(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        make_encoder(**changes)
    assert str(info.value) == message


def test_decoded_frame_holds_its_array() -> None:
    array = np.zeros((2, 2), np.uint16)
    frame = DecodedFrame(array, "RGB")
    assert frame.array is array
    assert (frame.photometric_interpretation, frame.bits_stored_applied) == (
        "RGB",
        False,
    )


def test_new_fields_default_to_nothing_special() -> None:
    decoder, encoder = make_decoder(), make_encoder()
    assert decoder.missing_capability() is None
    assert encoder.missing_capability() is None
    assert (encoder.lossy_method, encoder.transcodes_from, encoder.transcode) == (
        None,
        frozenset(),
        None,
    )


@pytest.mark.parametrize(
    ("make", "changes", "message"),
    [
        (
            make_decoder,
            {"missing_capability": "built without JPEG XL"},
            "decoder 'xor': missing_capability must be callable, got "
            "'built without JPEG XL'",
        ),
        (
            make_encoder,
            {"transcodes_from": TOY_TRANSFER_SYNTAX[:-1] + "8", "transcode": encode},
            "encoder 'xor': transcodes_from must be a collection of UID strings, "
            f"got '{TOY_TRANSFER_SYNTAX[:-1]}8'",
        ),
        (
            make_encoder,
            {"transcodes_from": {"1.2.840.10008.1.2.4.50"}, "transcode": b"x"},
            "encoder 'xor': transcode must be callable, got b'x'",
        ),
    ],
)
def test_new_fields_are_checked_when_built(
    make: Any, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError) as info:
        make(**changes)
    assert str(info.value) == message
