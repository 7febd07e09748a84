"""Waveforms: the files DCMTK made from testfiles/waveforms, read as arrays.

pydicom 3 is the oracle for the raw samples and for the corrected values of
every interpretation but MB/AB; Python's ``audioop`` (an independent G.711
decoder) for the expansion of mu-law and A-law codes.
"""

from __future__ import annotations

import hashlib
import json
import warnings

import numpy as np
import pytest
from interop import TESTFILES

import dicomcore
from dicomcore.errors import DicomError
from dicomcore.waveforms import (
    MissingWaveformElementError,
    WaveformError,
    expand_a_law,
    expand_mu_law,
    generate_multiplex,
    multiplex_array,
)

pydicom = pytest.importorskip("pydicom")
from pydicom.waveforms import multiplex_array as pydicom_multiplex  # noqa: E402

FOLDER = TESTFILES / "waveforms"
MANIFEST = json.loads((FOLDER / "manifest.json").read_text())["files"]
GROUPS = [
    (record["file"], index, group)
    for record in MANIFEST
    for index, group in enumerate(record["groups"])
]
GROUP_IDS = [f"{name}-{index}" for name, index, _ in GROUPS]
LITTLE_ENDIAN = [entry for entry in GROUPS if "bigendian" not in entry[0]]
LITTLE_IDS = [f"{name}-{index}" for name, index, _ in LITTLE_ENDIAN]


def audioop_module():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pytest.importorskip("audioop")


def test_manifest_lists_every_file() -> None:
    assert {record["file"] for record in MANIFEST} == {
        path.name for path in FOLDER.glob("*.dcm")
    }
    interpretations = {
        group["interpretation"]
        for record in MANIFEST
        if record["file"] == "all_interpretations.dcm"
        for group in record["groups"]
    }
    assert interpretations == set("SB UB MB AB SS US SL UL SV UV".split())


@pytest.mark.parametrize("name, index, record", GROUPS, ids=GROUP_IDS)
def test_raw_samples_are_those_the_script_wrote(name, index, record) -> None:
    array = multiplex_array(dicomcore.dcmread(FOLDER / name), index)
    assert array.shape == (record["samples"], record["channels"])
    assert array.dtype.name == record["dtype"]
    little = np.ascontiguousarray(array.astype(array.dtype.newbyteorder("<")))
    assert hashlib.sha256(little.tobytes()).hexdigest() == record["sha256"]


@pytest.mark.parametrize("name, index, record", LITTLE_ENDIAN, ids=LITTLE_IDS)
def test_raw_and_corrected_equal_pydicoms(name, index, record) -> None:
    ours = dicomcore.dcmread(FOLDER / name)
    theirs = pydicom.dcmread(FOLDER / name)
    raw = multiplex_array(ours, index)
    expected = pydicom_multiplex(theirs, index)
    assert raw.dtype == expected.dtype
    np.testing.assert_array_equal(raw, expected)
    if record["interpretation"] in ("MB", "AB"):
        return  # pydicom scales the codes: see test_companded_*
    np.testing.assert_array_equal(
        multiplex_array(ours, index, as_raw=False),
        pydicom_multiplex(theirs, index, as_raw=False),
    )
    np.testing.assert_array_equal(
        ours.waveform_array(index), theirs.waveform_array(index)
    )


def test_corrections_as_ps3_3_c_10_9_defines() -> None:
    ds = dicomcore.dcmread(FOLDER / "ecg_12lead.dcm")
    raw = multiplex_array(ds, 1)
    # the rhythm strip: 5 uV a unit, correction factor 1.02, baseline 25 uV
    np.testing.assert_array_equal(ds.waveform_array(1), raw * 5.0 * 1.02 + 25.0)
    assert ds.waveform_array(1).dtype == np.float64
    leads = ds.waveform_array(0)
    raw = multiplex_array(ds, 0)
    # lead I (number 0): correction 0.98 and baseline -12.5; lead II: neither
    np.testing.assert_array_equal(leads[:, 0], raw[:, 0] * 2.5 * 0.98 - 12.5)
    np.testing.assert_array_equal(leads[:, 1], raw[:, 1] * 2.5)
    ds = dicomcore.dcmread(FOLDER / "respiratory.dcm")
    np.testing.assert_array_equal(
        ds.waveform_array(1)[:, 0], multiplex_array(ds, 1)[:, 0] * 0.5 - 64
    )
    assert ds.waveform_array(0)[:, 1].min() == pytest.approx(-250.0)


def test_big_endian_file_gives_the_little_endian_samples() -> None:
    little = dicomcore.dcmread(FOLDER / "ecg_12lead.dcm")
    big = dicomcore.dcmread(FOLDER / "ecg_12lead_bigendian.dcm")
    for index in (0, 1):
        np.testing.assert_array_equal(
            multiplex_array(big, index), multiplex_array(little, index)
        )
        np.testing.assert_array_equal(
            big.waveform_array(index), little.waveform_array(index)
        )


def test_mu_law_and_a_law_expansion_equal_audioops() -> None:
    audioop = audioop_module()
    codes = np.arange(256, dtype=np.uint8)
    mu = np.frombuffer(audioop.ulaw2lin(codes.tobytes(), 2), "<i2")
    a = np.frombuffer(audioop.alaw2lin(codes.tobytes(), 2), "<i2")
    # audioop scales to 16 bits: mu-law's 14-bit values by 4, A-law's 13 by 8
    np.testing.assert_array_equal(expand_mu_law(codes).astype(np.int32) * 4, mu)
    np.testing.assert_array_equal(expand_a_law(codes).astype(np.int32) * 8, a)
    assert expand_mu_law(codes).min() == -8031
    assert expand_a_law(codes).max() == 4032


def test_companded_audio_is_expanded_before_scaling() -> None:
    audioop = audioop_module()
    ds = dicomcore.dcmread(FOLDER / "audio_mulaw.dcm")
    codes = multiplex_array(ds, 0)
    linear16 = np.frombuffer(audioop.ulaw2lin(codes.tobytes(), 2), "<i2")
    # no Channel Sensitivity: the expanded values themselves
    np.testing.assert_array_equal(ds.waveform_array(0)[:, 0], linear16 / 4)
    # the tone, 12000 of 32767 at 16 bits, is 3000 at 14 bits, within G.711's step
    assert 2900 < ds.waveform_array(0).max() <= 3000
    ds = dicomcore.dcmread(FOLDER / "audio_alaw.dcm")
    codes = multiplex_array(ds, 0)
    linear16 = np.frombuffer(audioop.alaw2lin(codes.tobytes(), 2), "<i2")
    np.testing.assert_array_equal(
        ds.waveform_array(0), linear16.reshape(codes.shape) / 8 * 1.0 * 1.0
    )
    # pydicom scales the codes themselves (documented difference)
    theirs = pydicom.dcmread(FOLDER / "audio_alaw.dcm").waveform_array(0)
    np.testing.assert_array_equal(theirs, codes.astype(float))


def test_generate_multiplex_yields_every_group() -> None:
    ds = dicomcore.dcmread(FOLDER / "all_interpretations.dcm")
    arrays = list(generate_multiplex(ds))
    assert [array.dtype.name for array in arrays] == [
        "int8", "uint8", "uint8", "uint8", "int16", "uint16",
        "int32", "uint32", "int64", "uint64",
    ]  # fmt: skip
    for index, array in enumerate(arrays):
        np.testing.assert_array_equal(array, multiplex_array(ds, index))
    # the extremes of each type are among the samples
    assert arrays[0][0, 0] == -128 and arrays[0][6, 2] == 127
    assert arrays[9][6, 2] == np.iinfo(np.uint64).max
    assert multiplex_array(ds, -1).dtype.name == "uint64"


def test_errors() -> None:
    ds = dicomcore.dcmread(FOLDER / "ecg_12lead.dcm")
    with pytest.raises(IndexError, match="multiplex group 2 requested"):
        multiplex_array(ds, 2)
    item = ds.WaveformSequence[1]
    item.WaveformData = item.WaveformData[:100]
    with pytest.raises(WaveformError, match="holds 100 bytes.* need 1000"):
        multiplex_array(ds, 1)
    item.WaveformSampleInterpretation = "SL"
    with pytest.raises(WaveformError, match="'SL' with Waveform Bits Allocated 16"):
        multiplex_array(ds, 1)
    del item.WaveformData
    with pytest.raises(MissingWaveformElementError, match="group 1 lacks WaveformData"):
        multiplex_array(ds, 1)
    with pytest.raises(AttributeError, match="no Waveform Sequence \\(5400,0100\\)"):
        dicomcore.dcmread(TESTFILES / "mono8_explicit.dcm").waveform_array(0)
    assert issubclass(WaveformError, DicomError)


def test_waveform_data_stays_in_the_file_until_used(tmp_path) -> None:
    """A Holter-sized file (larger than the files whose deferred values are
    kept as a copy): dcmread copies no Waveform Data, and one group's array
    reads that group only."""
    import subprocess
    import tracemalloc

    from interop import require_tool

    from dicomcore.io.deferred import EAGER_READ_BYTES

    require_tool("dump2dcm")
    rng = np.random.default_rng(5)
    groups = [rng.integers(-2000, 2000, size=(1_600_000, 2), dtype=np.int16)]
    groups += [groups[0][::-1].copy(), (groups[0] // 2).copy()]
    lines = [
        "(0008,0016) UI [1.2.840.10008.5.1.4.1.1.9.1.3]",  # Ambulatory ECG
        "(0008,0018) UI [2.25.1234567]",
        "(5400,0100) SQ (Sequence with undefined length)",
    ]
    for index, samples in enumerate(groups):
        samples.astype("<i2").tofile(tmp_path / f"group{index}.raw")
        lines += [
            "(fffe,e000) na (Item with undefined length)",
            "(003a,0005) US 2",
            f"(003a,0010) UL {samples.shape[0]}",
            "(5400,1004) US 16",
            "(5400,1006) CS [SS]",
            f"(5400,1010) OW =group{index}.raw",
            "(fffe,e00d) na (ItemDelimitationItem)",
        ]
    lines.append("(fffe,e0dd) na (SequenceDelimitationItem)")
    (tmp_path / "holter.dump").write_text("\n".join(lines) + "\n")
    subprocess.run(
        ["dump2dcm", "+l", "10000000", "holter.dump", "holter.dcm"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    path = tmp_path / "holter.dcm"
    assert path.stat().st_size > EAGER_READ_BYTES
    tracemalloc.start()
    ds = dicomcore.dcmread(path)
    read_peak = tracemalloc.get_traced_memory()[1]
    items = ds.WaveformSequence
    assert all(item["WaveformData"].is_deferred for item in items)
    tracemalloc.stop()
    assert read_peak < 1_000_000  # not one of the 6 MB values was copied
    array = multiplex_array(ds, 1)
    np.testing.assert_array_equal(array, groups[1])
    assert [item["WaveformData"].is_deferred for item in items] == [True, False, True]
    np.testing.assert_array_equal(array, pydicom_multiplex(pydicom.dcmread(path), 1))


def test_pydicoms_module_path() -> None:
    from dicomcore.waveforms import numpy_handler

    assert numpy_handler.is_available() is True
    assert numpy_handler.multiplex_array is multiplex_array
    assert numpy_handler.WAVEFORM_DTYPES[(16, "SS")] == "int16"
    ds = dicomcore.dcmread(FOLDER / "respiratory.dcm")
    assert [array.shape for array in numpy_handler.generate_multiplex(ds)] == [
        (250, 2),
        (250, 1),
    ]
