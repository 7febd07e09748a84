"""Plugin discovery through a fake installed distribution.

tests/fake_plugin_dist holds a checked-in ``dicomcore_fake_codec-1.0.dist-info``
whose entry points (group ``dicomcore.codecs``) name four plugins: ``fake-xor``
(decoder ``fake-xor-fast``, priority 80), ``fake-broken`` (its import
fails), ``fake-lossy`` (decoders ``fake-lossy-ybr`` and ``fake-jxl``, the
latter built without its codec; encoder ``fake-lossy``) and
``fake-lossy-rgb`` (decoder ``fake-lossy-rgb``, priority 40).  The folder
also holds ``dicomcore_fake_bundled``, which stands in for the bundled
plugins package: plugin ``fake-native`` with decoder ``xor``,
priority 50.  Both decoders read the toy XOR transfer syntax; fake-xor-fast
marks its output ``bits_stored_applied=True`` so a test can tell which ran.
"""

from __future__ import annotations

import importlib.metadata
import warnings

import numpy as np
import pytest

from dicomcore.errors import NoCodecError
from dicomcore.pixels import (
    PixelLayout,
    PluginError,
    PluginLoadWarning,
    _manager,
    broken_plugins,
    choose_decoders,
    codec_table,
    decode_frame,
    format_codec_table,
    get_plugin_manager,
    register_plugin,
    reset_registry,
)
from dicomcore.pixels._manager import BrokenPlugin

from .test_registry import decoder
from .toy_codecs import TOY_TRANSFER_SYNTAX as TOY
from .toy_codecs import encode, make_plugin

pytestmark = pytest.mark.usefixtures("fake_dist")

LAYOUT = PixelLayout(
    rows=2, columns=3, bits_allocated=16, bits_stored=16, transfer_syntax=TOY
)
FRAME = np.arange(6, dtype=np.uint16).reshape(2, 3)
PROVIDER = "dicomcore-fake-codec 1.0"
BROKEN_ERROR = (
    "ImportError: dicomcore_fake_broken needs libfake, which is not installed"
)
BROKEN_WARNING = (
    f"dicomcore codec plugin 'fake-broken' ({PROVIDER}) is skipped: {BROKEN_ERROR}"
)


def build() -> None:
    """Build the registry, expecting exactly the broken plugin's warning."""
    with pytest.warns(PluginLoadWarning) as record:
        get_plugin_manager()
    assert [str(w.message) for w in record] == [BROKEN_WARNING]


def test_entry_points_are_discovered_after_the_bundled_plugins() -> None:
    build()
    table = codec_table()
    assert [(r.name, r.plugin, r.provider, r.priority) for r in table.rows] == [
        ("fake-xor-fast", "fake-xor", PROVIDER, 80),
        ("xor", "fake-native", "bundled", 50),
        ("fake-jxl", "fake-lossy", PROVIDER, 50),
        ("fake-lossy-ybr", "fake-lossy", PROVIDER, 50),
        ("fake-lossy-rgb", "fake-lossy-rgb", PROVIDER, 40),
        ("fake-lossy", "fake-lossy", PROVIDER, 50),
    ]
    assert [name for name, _ in get_plugin_manager().list_name_plugin()] == [
        "fake-native",
        "fake-xor",
        "fake-lossy",
        "fake-lossy-rgb",
    ]


def test_higher_priority_third_party_wins_and_decoding_plugin_overrides() -> None:
    build()
    src = encode(FRAME, LAYOUT, {})
    assert [d.name for d in choose_decoders(LAYOUT)] == ["fake-xor-fast", "xor"]
    by_priority = decode_frame(src, LAYOUT, 0)
    assert by_priority.bits_stored_applied is True  # fake-xor-fast ran
    named = decode_frame(src, LAYOUT, 0, decoding_plugin="xor")
    assert named.bits_stored_applied is False  # the bundled xor ran
    by_plugin_name = decode_frame(src, LAYOUT, 0, decoding_plugin="fake-native")
    assert by_plugin_name.bits_stored_applied is False
    np.testing.assert_array_equal(named.array, FRAME)
    np.testing.assert_array_equal(by_priority.array, FRAME)


def test_blocking_by_name(monkeypatch: pytest.MonkeyPatch, no_warnings: None) -> None:
    monkeypatch.setenv("DICOMCORE_BLOCK_PLUGINS", "fake-xor,fake-broken")
    reset_registry()
    assert [d.name for d in choose_decoders(LAYOUT)] == ["xor"]
    assert broken_plugins() == []


def test_blocking_a_bundled_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DICOMCORE_BLOCK_PLUGINS", "fake-native")
    reset_registry()
    build()
    assert [d.name for d in choose_decoders(LAYOUT)] == ["fake-xor-fast"]


def test_no_autoload_keeps_only_the_bundled_plugins(
    monkeypatch: pytest.MonkeyPatch, no_warnings: None
) -> None:
    monkeypatch.setenv("DICOMCORE_NO_PLUGIN_AUTOLOAD", "1")
    reset_registry()
    assert [d.name for d in choose_decoders(LAYOUT)] == ["xor"]
    assert broken_plugins() == []


@pytest.mark.parametrize("value", ["0", "false", "", "no"])
def test_false_words_leave_autoload_on(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DICOMCORE_NO_PLUGIN_AUTOLOAD", value)
    reset_registry()
    build()
    assert [d.name for d in choose_decoders(LAYOUT)] == ["fake-xor-fast", "xor"]


def test_broken_plugin_is_reported_in_the_table() -> None:
    build()
    assert broken_plugins() == [BrokenPlugin("fake-broken", PROVIDER, BROKEN_ERROR)]
    assert format_codec_table().endswith(
        f"\n\nPlugins that failed to load:\n  fake-broken ({PROVIDER}): {BROKEN_ERROR}"
    )


def test_broken_plugin_is_listed_in_every_no_codec_error() -> None:
    build()
    rle = PixelLayout(rows=2, columns=3, transfer_syntax="1.2.840.10008.1.2.5")
    with pytest.raises(NoCodecError) as info:
        choose_decoders(rle)
    assert str(info.value).endswith(
        f"\n  fake-broken: failed to load ({PROVIDER}): {BROKEN_ERROR}"
    )
    assert info.value.candidates == [
        ("fake-broken", f"failed to load ({PROVIDER}): {BROKEN_ERROR}")
    ]
    with pytest.raises(NoCodecError) as info:
        choose_decoders(LAYOUT, decoding_plugin="nonesuch")
    assert str(info.value) == (
        "no decoder plugin named 'nonesuch'; decoders: fake-jxl, fake-lossy-rgb, "
        "fake-lossy-ybr, fake-xor-fast, xor\n"
        f"  fake-broken: failed to load ({PROVIDER}): {BROKEN_ERROR}"
    )


def test_name_clash_with_an_installed_plugin_names_both_providers() -> None:
    build()
    clash = make_plugin("clash", [decoder("fake-xor-fast", priority=10)])
    with pytest.raises(PluginError) as info:
        register_plugin(clash, name="clash")
    assert str(info.value) == (
        "decoder name 'fake-xor-fast' is provided by more than one plugin: "
        f"plugin 'fake-xor' ({PROVIDER}), plugin 'clash' (by hand); uninstall one "
        "or block it with DICOMCORE_BLOCK_PLUGINS=<plugin name>"
    )
    # the registry is unharmed
    assert [d.name for d in choose_decoders(LAYOUT)] == ["fake-xor-fast", "xor"]


def test_hand_registration_adds_to_the_discovered_plugins() -> None:
    build()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # collecting again must not warn again
        register_plugin(
            make_plugin("extra", [decoder("slowest", priority=1)]), name="extra"
        )
        assert [d.name for d in choose_decoders(LAYOUT)] == [
            "fake-xor-fast",
            "xor",
            "slowest",
        ]


def test_entry_point_reusing_a_bundled_plugin_name_is_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    impostor = importlib.metadata.EntryPoint(
        name="fake-native", value="dicomcore_fake_codec", group="dicomcore.codecs"
    )
    monkeypatch.setattr(
        _manager.importlib.metadata, "entry_points", lambda group: [impostor]
    )
    with pytest.warns(PluginLoadWarning) as record:
        get_plugin_manager()
    assert [str(w.message) for w in record] == [
        "dicomcore codec plugin 'fake-native' (entry point) is skipped: a plugin "
        "named 'fake-native' is already registered (bundled); rename the entry "
        "point or block one with DICOMCORE_BLOCK_PLUGINS"
    ]
    # the bundled plugin keeps its name and its decoder
    assert [(r.name, r.plugin, r.provider) for r in codec_table().rows] == [
        ("xor", "fake-native", "bundled")
    ]
