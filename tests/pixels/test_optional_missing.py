"""The optional codec plugins without their packages: nothing breaks, and
every message names the pip extra that brings the package."""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from dicomcore_plugins import imagecodecs as imagecodecs_plugin
from dicomcore_plugins import openjpeg, pyjpegls, pylibjpeg, pylibjpeg_rle

from dicomcore.errors import CodecError, NoCodecError
from dicomcore.pixels import (
    Decoder,
    Encoder,
    choose_encoder,
    format_codec_table,
    pixel_array,
    reset_registry,
)

from .optional_codec_support import RECORDS, TESTFILES, frames_of, sha256

# plugin module, the module it imports, its distribution, its extra
PLUGINS = [
    (pylibjpeg, "libjpeg", "pylibjpeg-libjpeg", "jpeg"),
    (openjpeg, "openjpeg", "pylibjpeg-openjpeg", "jpeg2000"),
    (pylibjpeg_rle, "rle", "pylibjpeg-rle", "rle"),
    (pyjpegls, "jpeg_ls", "pyjpegls", "jpegls"),
    (imagecodecs_plugin, "imagecodecs", "imagecodecs", "imagecodecs"),
]
OPTIONAL_MODULES = [module for _, module, _, _ in PLUGINS]


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if none of the optional packages were installed.

    A None in sys.modules makes find_spec answer None and import raise
    ImportError, which is what an absent package does.
    """
    for module in OPTIONAL_MODULES:
        monkeypatch.setitem(sys.modules, module, None)
    reset_registry()
    yield
    reset_registry()


@pytest.mark.parametrize(
    ("plugin", "module", "distribution", "extra"),
    PLUGINS,
    ids=[module for _, module, _, _ in PLUGINS],
)
def test_missing_names_the_distribution(
    plugin: object,
    module: str,
    distribution: str,
    extra: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dicomcore.testing import collect_records

    decoders, encoders = collect_records(plugin)
    records: list[Decoder | Encoder] = [*decoders, *encoders]
    assert records
    for record in records:
        assert record.extra == extra
    monkeypatch.setitem(sys.modules, module, None)
    for record in records:
        assert record.missing() == [distribution]


def test_present_packages_are_not_missing() -> None:
    for plugin, module, _, _ in PLUGINS:
        pytest.importorskip(module)
        assert plugin.missing() == []


def test_codec_table_shows_the_install_commands(nothing_installed: None) -> None:
    rows = {}
    for line in format_codec_table().splitlines()[2:]:
        if line.strip():
            name, kind, *_ = line.split()
            rows[name, kind] = line
    expected = [
        ("pylibjpeg", "decoder", "pylibjpeg-libjpeg", "jpeg"),
        ("openjpeg", "decoder", "pylibjpeg-openjpeg", "jpeg2000"),
        ("openjpeg", "encoder", "pylibjpeg-openjpeg", "jpeg2000"),
        ("openjpeg-lossless", "encoder", "pylibjpeg-openjpeg", "jpeg2000"),
        ("pylibjpeg-rle", "decoder", "pylibjpeg-rle", "rle"),
        ("pylibjpeg-rle", "encoder", "pylibjpeg-rle", "rle"),
        ("pyjpegls", "decoder", "pyjpegls", "jpegls"),
        ("pyjpegls-lossless", "encoder", "pyjpegls", "jpegls"),
        ("pyjpegls-near-lossless", "encoder", "pyjpegls", "jpegls"),
        ("imagecodecs-jpeg", "decoder", "imagecodecs", "imagecodecs"),
        ("imagecodecs-jpegxl", "decoder", "imagecodecs", "imagecodecs"),
        ("imagecodecs-jpegxl-lossless", "encoder", "imagecodecs", "imagecodecs"),
    ]
    for name, kind, distribution, extra in expected:
        text = f'missing: {distribution} -> pip install "dicomcore[{extra}]"'
        assert text in rows[name, kind], rows[name, kind]


@pytest.mark.parametrize(
    ("name", "extras"),
    [
        ("mono8_jpeg_baseline.dcm", ["jpeg", "imagecodecs"]),
        ("ct_int16_jpeg_sv1.dcm", ["jpeg", "imagecodecs"]),
        ("mono16_jpegls.dcm", ["jpeg", "jpegls", "imagecodecs"]),
        ("mono16_j2k.dcm", ["jpeg2000", "imagecodecs"]),
    ],
)
def test_no_codec_error_names_the_extra(
    name: str, extras: list[str], nothing_installed: None
) -> None:
    with pytest.raises(NoCodecError) as raised:
        pixel_array(TESTFILES / name)
    message = str(raised.value)
    for extra in extras:
        assert f'pip install "dicomcore[{extra}]"' in message, message


def test_encoding_without_the_package_names_the_extra(nothing_installed: None) -> None:
    layout, _ = frames_of(TESTFILES / "mono16_j2k.dcm")
    with pytest.raises(NoCodecError, match=r'pip install "dicomcore\[jpeg2000\]"'):
        choose_encoder(layout, "1.2.840.10008.1.2.4.90")
    with pytest.raises(NoCodecError, match=r'pip install "dicomcore\[jpegls\]"'):
        choose_encoder(layout, "1.2.840.10008.1.2.4.80")


def test_rle_falls_back_to_the_bundled_codec(nothing_installed: None) -> None:
    record = RECORDS["rgb8_rle.dcm"]
    assert sha256(pixel_array(TESTFILES / "rgb8_rle.dcm")) == record["sha256"]
    layout, _ = frames_of(TESTFILES / "rgb8_rle.dcm")
    assert choose_encoder(layout, "1.2.840.10008.1.2.5").name != "pylibjpeg-rle"


@pytest.mark.parametrize(
    ("plugin", "name", "extra"),
    [
        (pylibjpeg, "mono8_jpeg_baseline.dcm", "jpeg"),
        (openjpeg, "mono16_j2k.dcm", "jpeg2000"),
        (pylibjpeg_rle, "mono8_rle.dcm", "rle"),
        (pyjpegls, "mono16_jpegls.dcm", "jpegls"),
    ],
)
def test_decoding_without_the_package_raises_codec_error(
    plugin: object, name: str, extra: str, nothing_installed: None
) -> None:
    layout, (frame,) = frames_of(TESTFILES / name)
    with pytest.raises(CodecError, match=rf'pip install "dicomcore\[{extra}\]"'):
        plugin.decode(frame, layout)  # type: ignore[attr-defined]


def test_plugins_import_no_optional_package() -> None:
    """Registering the plugins and listing codecs loads none of the libraries."""
    code = (
        "import sys\n"
        "from dicomcore.pixels import format_codec_table\n"
        "format_codec_table()\n"
        "import dicomcore_plugins.pylibjpeg, dicomcore_plugins.openjpeg\n"
        "import dicomcore_plugins.pylibjpeg_rle, dicomcore_plugins.pyjpegls\n"
        f"loaded = [m for m in {OPTIONAL_MODULES!r} if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_folder_named_like_the_package_is_not_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rle").mkdir()  # e.g. a folder in the working directory
    monkeypatch.delitem(sys.modules, "rle", raising=False)
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert pylibjpeg_rle.missing() == ["pylibjpeg-rle"]


def test_a_package_without_the_functions_used_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "rle", types.ModuleType("rle"))
    layout, (frame,) = frames_of(TESTFILES / "mono8_rle.dcm")
    with pytest.raises(CodecError, match="has no decode_pixel_data .* --upgrade"):
        pylibjpeg_rle.decode(frame, layout)
