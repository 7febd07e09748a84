"""The user's hand on codec choice, as a third-party plugin author meets it:
priorities, the order at equal priority, a library built without a codec,
blocked plugins named in errors, and warnings that point at the user's code.

Uses the fake installed distribution of tests/fake_plugin_dist (see
test_entry_points.py): ``fake-lossy`` (decoder ``fake-lossy-ybr``, 50, returns
YBR_FULL; decoder ``fake-jxl``, built without JPEG XL; encoder
``fake-lossy``) and ``fake-lossy-rgb`` (decoder ``fake-lossy-rgb``, 40,
returns RGB) read the toy lossy format.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest

import dicomcore
from dicomcore import config
from dicomcore.cli import main
from dicomcore.errors import NoCodecError
from dicomcore.pixels import (
    PixelLayout,
    PluginError,
    PluginLoadWarning,
    choose_decoders,
    codec_table,
    compress,
    decode_frame,
    decoders_for,
    get_plugin_manager,
    register_plugin,
    reset_registry,
)

from .toy_codecs import TOY_LOSSY, TOY_TRANSFER_SYNTAX, decoder, make_plugin

pytestmark = pytest.mark.usefixtures("fake_dist")

PROVIDER = "dicomcore-fake-codec 1.0"
LOSSY = PixelLayout(
    rows=1,
    columns=2,
    samples_per_pixel=3,
    photometric_interpretation="YBR_FULL",
    transfer_syntax=TOY_LOSSY,
)
# shift 0: the samples as they are; Y 128, Cb 128, Cr 255 is a saturated red
FRAME = b"LSY1\x00" + bytes([128, 128, 255, 0, 128, 128])
XOR = PixelLayout(rows=1, columns=1, transfer_syntax=TOY_TRANSFER_SYNTAX)
JPEG_XL = PixelLayout(rows=1, columns=1, transfer_syntax="1.2.840.10008.1.2.4.112")
NO_JPEG_XL = "libfake 2.1 was built without JPEG XL; rebuild it with -DJPEGXL=ON"


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No priority setting unless a test makes one; the broken plugin's
    warning is the subject of its own test only."""
    monkeypatch.setattr(config.settings, "plugin_priority", {})
    monkeypatch.delenv("DICOMCORE_PLUGIN_PRIORITY", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginLoadWarning)
        yield


def table_cells(text: str, name: str, kind: str) -> list[str]:
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[:2] == [name, kind]:
            return cells
    raise AssertionError(f"no {kind} {name} in\n{text}")


def test_priorities_as_the_plugins_give_them() -> None:
    assert [d.name for d in choose_decoders(LOSSY)] == [
        "fake-lossy-ybr",
        "fake-lossy-rgb",
    ]
    decoded = decode_frame(FRAME, LOSSY, 0)
    assert decoded.photometric_interpretation == "YBR_FULL"
    np.testing.assert_array_equal(decoded.array, [[[128, 128, 255], [0, 128, 128]]])


def test_environment_priority_flips_the_choice_and_the_table_shows_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DICOMCORE_PLUGIN_PRIORITY", " fake-lossy-rgb = 60 ,")
    reset_registry()
    assert [d.name for d in choose_decoders(LOSSY)] == [
        "fake-lossy-rgb",
        "fake-lossy-ybr",
    ]
    decoded = decode_frame(FRAME, LOSSY, 0)
    assert decoded.photometric_interpretation == "RGB"
    # YBR_FULL (128, 128, 255): R = 128 + 1.402 * 127 = 306 -> 255,
    # G = 128 - 0.714136 * 127 = 37.3 -> 37, B = 128; (0, 128, 128) is black
    np.testing.assert_array_equal(decoded.array, [[[255, 37, 128], [0, 0, 0]]])

    assert main(["codecs"]) == 0
    output = capsys.readouterr().out
    assert table_cells(output, "fake-lossy-rgb", "decoder") == [
        "fake-lossy-rgb",
        "decoder",
        "fake-lossy-rgb",
        PROVIDER,
        "60 (user; record 40)",
        "yes",
        TOY_LOSSY,
    ]
    assert table_cells(output, "fake-lossy-ybr", "decoder")[4] == "50"
    assert table_cells(output, "fake-jxl", "decoder")[4:] == [
        "50",
        f"no: {NO_JPEG_XL}",
        "JPEGXL",
    ]
    assert (
        "\n\nPriorities set by the user:\n"
        "  fake-lossy-rgb=60 (DICOMCORE_PLUGIN_PRIORITY)\n"
    ) in output
    # the table lists decoders in the order they are tried
    names = [line.split()[0] for line in output.splitlines()[2:] if line]
    assert names.index("fake-lossy-rgb") < names.index("fake-lossy-ybr")


def test_config_setting_wins_over_the_environment_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DICOMCORE_PLUGIN_PRIORITY", "fake-lossy-rgb=60")
    reset_registry()
    assert choose_decoders(LOSSY)[0].name == "fake-lossy-rgb"
    # read at every choice: no reset needed
    config.settings.plugin_priority = {"fake-lossy-rgb": 10}
    assert [d.name for d in choose_decoders(LOSSY)] == [
        "fake-lossy-ybr",
        "fake-lossy-rgb",
    ]
    row = next(r for r in codec_table().rows if r.name == "fake-lossy-rgb")
    assert (row.priority, row.record_priority, row.priority_source) == (
        10,
        40,
        "dicomcore.config.settings.plugin_priority",
    )


def test_a_record_name_wins_over_its_plugin_name() -> None:
    # plugin fake-lossy holds fake-lossy-ybr; its record name says 10
    config.settings.plugin_priority = {"fake-lossy": 90, "fake-lossy-ybr": 10}
    assert [d.name for d in decoders_for(TOY_LOSSY)] == [
        "fake-lossy-rgb",
        "fake-lossy-ybr",
    ]
    config.settings.plugin_priority = {"fake-lossy": 30}
    assert [d.name for d in decoders_for(TOY_LOSSY)] == [
        "fake-lossy-rgb",
        "fake-lossy-ybr",
    ]


@pytest.mark.parametrize("value", ["fake-lossy-rgb", "fake-lossy-rgb=high", "=5"])
def test_a_malformed_environment_priority_is_an_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DICOMCORE_PLUGIN_PRIORITY", value)
    reset_registry()
    with pytest.raises(PluginError) as info:
        choose_decoders(LOSSY)
    assert str(info.value) == (
        f"DICOMCORE_PLUGIN_PRIORITY: {value!r} is not NAME=PRIORITY (a plugin "
        "or decoder/encoder name, an integer priority), e.g. "
        'DICOMCORE_PLUGIN_PRIORITY="imagecodecs=70,pylibjpeg=40"'
    )


def test_a_malformed_config_priority_is_an_error() -> None:
    config.settings.plugin_priority = {"fake-lossy-rgb": "60"}  # type: ignore[dict-item]
    with pytest.raises(PluginError, match=r"plugin_priority: 'fake-lossy-rgb': '60'"):
        choose_decoders(LOSSY)


def test_equal_priority_prefers_bundled_then_installed_then_by_hand() -> None:
    # "aaa" and "fake-xor-fast" sort before "xor", yet the bundled xor goes first
    register_plugin(make_plugin("by-hand", [decoder("aaa", priority=50)]), "by-hand")
    config.settings.plugin_priority = {"fake-xor-fast": 50}
    assert [d.name for d in choose_decoders(XOR)] == ["xor", "fake-xor-fast", "aaa"]


def test_a_library_without_the_capability_is_listed_as_not_available() -> None:
    row = next(r for r in codec_table().rows if r.name == "fake-jxl")
    assert row.available == f"no: {NO_JPEG_XL}"
    with pytest.raises(NoCodecError) as info:
        choose_decoders(JPEG_XL)
    assert ("fake-jxl", f"no: {NO_JPEG_XL}") in info.value.candidates
    assert str(info.value).startswith(
        "no decoder can decode JPEGXL (1.2.840.10008.1.2.4.112) for 1x1 "
        f"MONOCHROME2, 1 sample(s), 8 of 8 bits unsigned\n  fake-jxl: no: {NO_JPEG_XL}"
    )


def test_no_codec_error_names_the_blocked_plugin_that_would_decode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DICOMCORE_BLOCK_PLUGINS", "fake-lossy,fake-lossy-rgb")
    reset_registry()
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LOSSY)
    assert info.value.candidates[1:] == [
        (
            "fake-lossy",
            f"blocked by DICOMCORE_BLOCK_PLUGINS ({PROVIDER}); its decoder "
            f"fake-lossy-ybr would decode {TOY_LOSSY}: remove 'fake-lossy' from "
            "DICOMCORE_BLOCK_PLUGINS to use it",
        ),
        (
            "fake-lossy-rgb",
            f"blocked by DICOMCORE_BLOCK_PLUGINS ({PROVIDER}); its decoder "
            f"fake-lossy-rgb would decode {TOY_LOSSY}: remove 'fake-lossy-rgb' "
            "from DICOMCORE_BLOCK_PLUGINS to use it",
        ),
    ]
    assert info.value.candidates[0][0] == "fake-broken"
    assert str(info.value).startswith(f"no decoder is registered for {TOY_LOSSY}\n")
    # a blocked bundled plugin too, and only those that would help
    monkeypatch.setenv("DICOMCORE_BLOCK_PLUGINS", "fake-native,fake-xor,fake-lossy")
    reset_registry()
    with pytest.raises(NoCodecError) as info:
        choose_decoders(XOR)
    assert [name for name, _ in info.value.candidates] == [
        "fake-broken",
        "fake-native",
        "fake-xor",
    ]
    assert info.value.candidates[1][1] == (
        "blocked by DICOMCORE_BLOCK_PLUGINS (bundled); its decoder xor would "
        f"decode {TOY_TRANSFER_SYNTAX}: remove 'fake-native' from "
        "DICOMCORE_BLOCK_PLUGINS to use it"
    )
    assert codec_table().blocked == [
        ("fake-native", "bundled"),
        ("fake-xor", PROVIDER),
        ("fake-lossy", PROVIDER),
    ]


def test_plugin_load_warning_points_at_the_users_code() -> None:
    with pytest.warns(PluginLoadWarning) as record:
        line = sys._getframe().f_lineno + 1
        get_plugin_manager()
    assert [(w.filename, w.lineno) for w in record] == [(__file__, line)]
    reset_registry()
    with pytest.warns(PluginLoadWarning) as record:
        line = sys._getframe().f_lineno + 1
        decoders_for(TOY_LOSSY)  # the registry is built deeper in dicomcore
    assert [(w.filename, w.lineno) for w in record] == [(__file__, line)]


def test_an_installed_encoder_writes_its_lossy_method(tmp_path: Path) -> None:
    ds = dicomcore.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    pixels = np.array([[0, 5, 250]], np.uint8)
    ds.set_pixel_data(pixels, "MONOCHROME2", 8)
    # from the array: the fake bundled package has no native decoder
    with pytest.raises(NoCodecError) as info:
        compress(ds, TOY_LOSSY, pixels, qualty=80)
    assert info.value.candidates[0] == (
        "fake-lossy",
        "unknown option(s) qualty; accepted: none",
    )
    compress(ds, TOY_LOSSY, pixels)
    assert (ds.LossyImageCompression, ds.LossyImageCompressionMethod) == (
        "01",
        "FAKE_LSY1",
    )
    # shifted by 2 and back to the middle of each step of 4
    np.testing.assert_array_equal(ds.pixel_array, [[2, 6, 250]])
    ds.save_as(tmp_path / "fake.dcm")
    assert pydicom.dcmread(tmp_path / "fake.dcm").LossyImageCompressionMethod == (
        "FAKE_LSY1"
    )
