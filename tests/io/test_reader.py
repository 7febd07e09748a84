"""dcmread's options, its inputs, and how it fails."""

from __future__ import annotations

import io
import os
import struct

import pytest
from interop import TESTFILES

from dicomcore import config, dcmread
from dicomcore.errors import (
    DamagedDataWarning,
    DicomError,
    InvalidDicomError,
    LimitError,
)
from dicomcore.io.reader import read_dataset

CT = TESTFILES / "ct_int16_implicit.dcm"


def explicit(tag: int, vr: bytes, value: bytes) -> bytes:
    group, element = tag >> 16, tag & 0xFFFF
    if vr in (
        b"OB",
        b"OW",
        b"SQ",
        b"UN",
        b"UT",
        b"UC",
        b"UR",
        b"OD",
        b"OF",
        b"OL",
        b"OV",
    ):
        return struct.pack("<HH2s2xL", group, element, vr, len(value)) + value
    return struct.pack("<HH2sH", group, element, vr, len(value)) + value


def implicit(tag: int, value: bytes, length: int | None = None) -> bytes:
    length = len(value) if length is None else length
    return struct.pack("<HHL", tag >> 16, tag & 0xFFFF, length) + value


ITEM = b"\xfe\xff\x00\xe0"
ITEM_END = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
SEQ_END = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"


def test_sources_path_bytes_and_file_object():
    data = CT.read_bytes()
    from_path = dcmread(CT)
    from_str = dcmread(str(CT))
    from_bytes = dcmread(data)
    from_file = dcmread(io.BytesIO(data))
    with open(CT, "rb") as handle:
        from_handle = dcmread(handle)
    for ds in (from_str, from_bytes, from_file, from_handle):
        assert ds == from_path
    assert from_path.filename == os.path.abspath(CT) or from_path.filename == str(CT)
    assert from_path.preamble == data[:128]


def test_not_dicom_without_force():
    with pytest.raises(InvalidDicomError, match="not a DICOM file"):
        dcmread(b"\x00" * 200)
    with pytest.raises(InvalidDicomError, match="not a DICOM file"):
        dcmread(TESTFILES / "mono16_explicit_nometa.dcm")


def test_force_reads_bare_datasets():
    ds = dcmread(TESTFILES / "ct_int16_implicit_nometa.dcm", force=True)
    assert ds.original_encoding == (True, True)
    assert str(ds.PatientName) == "Doe^John^Quincy^Dr.^Jr."
    assert len(ds.file_meta) == 0
    ds = dcmread(TESTFILES / "mono16_explicit_nometa.dcm", force=True)
    assert ds.original_encoding == (False, True)
    assert ds.Rows == 64


def test_stop_before_pixels():
    ds = dcmread(CT, stop_before_pixels=True)
    assert "PixelData" not in ds
    assert ds.RescaleType == "HU"


def test_specific_tags():
    ds = dcmread(CT, specific_tags=["PatientName", 0x00280010])
    assert ds.keys() == [0x00100010, 0x00280010]


def test_specific_tags_steps_over_other_elements_and_their_sequences():
    # An unwanted sequence of undefined length is still parsed to find its
    # end; unwanted elements of defined length are stepped over.
    item = explicit(0x00100010, b"PN", b"Doe^Jane")
    sequence = (
        struct.pack("<HH2s2xL", 0x0008, 0x1140, b"SQ", 0xFFFFFFFF)
        + struct.pack("<HHL", 0xFFFE, 0xE000, len(item))
        + item
        + struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)
    )
    data = (
        explicit(0x00080060, b"CS", b"CT")
        + sequence
        + explicit(0x00100010, b"PN", b"Doe^John")
        + explicit(0x00280010, b"US", struct.pack("<H", 512))
    )
    ds = dcmread(data, force=True, specific_tags=["Rows", "PatientName"])
    assert ds.keys() == [0x00100010, 0x00280010]
    assert ds.Rows == 512
    assert ds.PatientName == "Doe^John"


def test_specific_tags_still_checks_the_lengths_of_other_elements():
    # A value running past the end is an error even in an element not asked for.
    data = (
        explicit(0x00080060, b"CS", b"CT")
        + struct.pack("<HH2sH", 0x0010, 0x0010, b"PN", 200)
        + b"Doe^John"
    )
    with pytest.warns(DamagedDataWarning, match="length 200 runs past the end"):
        dcmread(data, force=True, specific_tags=["Rows"])
    config.settings.reading_validation_mode = config.RAISE
    try:
        with pytest.raises(InvalidDicomError, match="length 200 runs past the end"):
            dcmread(data, force=True, specific_tags=["Rows"])
    finally:
        config.settings.reading_validation_mode = config.WARN


def test_pixel_data_from_a_path_stays_in_the_file():
    ds = dcmread(CT)
    elem = ds[0x7FE00010]
    assert elem.is_deferred
    raw = elem._raw
    data = CT.read_bytes()
    assert data[raw.offset : raw.offset + raw.length] == ds.PixelData
    assert raw.offset == len(data) - 8192


def test_defer_size_and_changed_file(tmp_path):
    path = tmp_path / "copy.dcm"
    path.write_bytes(CT.read_bytes())
    ds = dcmread(path, defer_size="30 B")
    assert ds[0x00080018].is_deferred  # 44-byte UID left in the file
    assert not ds[0x00080060].is_deferred
    os.utime(path, ns=(1, 1))
    with pytest.raises(InvalidDicomError, match="changed after it was read"):
        ds.SOPInstanceUID  # noqa: B018


def test_bytes_input_is_not_deferred():
    ds = dcmread(CT.read_bytes(), defer_size=1)
    assert not ds[0x7FE00010].is_deferred
    assert len(ds.PixelData) == 8192


@pytest.mark.parametrize(
    "name",
    [
        "ct_int16_implicit.dcm",
        "rtplan_undefined_length_explicit.dcm",
        "rtplan_undefined_length_implicit.dcm",
        "mono16_deflated.dcm",
        "ct_int16_bigendian.dcm",
        "ct_int16_jpeg_sv1.dcm",
    ],
)
def test_truncation_at_every_header_offset_raises_dicom_errors_only(name):
    data = (TESTFILES / name).read_bytes()
    full = dcmread(data)
    pixel_offset = (
        full[0x7FE00010].file_value_tell if "PixelData" in full else len(data)
    )
    for end in range(0, min(pixel_offset, len(data))):
        try:
            ds = dcmread(data[:end])
            for elem in ds.iterall():
                elem.value  # noqa: B018
        except DicomError:
            continue
        # A cut between elements is a shorter dataset; one inside an element
        # is read as far as it goes (with a DamagedDataWarning).
        assert len(ds) <= len(full), end


def test_corrupt_length_names_offset_and_tag():
    body = (
        explicit(0x00100010, b"PN", b"Doe ")
        + struct.pack("<HH2sH", 0x0010, 0x0020, b"LO", 200)
        + b"AB"
    )
    with pytest.warns(DamagedDataWarning) as caught:
        ds = read_dataset(body, is_implicit_VR=False, is_little_endian=True)
    assert ds[0x00100020].value == "AB"
    assert caught[0].message.offset == 12
    assert caught[0].message.tag == 0x00100020
    config.settings.reading_validation_mode = config.RAISE
    try:
        with pytest.raises(InvalidDicomError) as error:
            read_dataset(body, is_implicit_VR=False, is_little_endian=True)
    finally:
        config.settings.reading_validation_mode = config.WARN
    assert error.value.offset == 12
    assert error.value.tag == 0x00100020
    assert "(0010,0020)" in str(error.value) and "byte offset 12" in str(error.value)


def test_bad_vr_is_an_error():
    body = struct.pack("<HH2sH", 0x0010, 0x0010, b"\x01\x02", 2) + b"AB"
    with pytest.raises(InvalidDicomError, match="invalid VR"):
        read_dataset(body, is_implicit_VR=False, is_little_endian=True)


def test_undefined_length_sequence_and_items_implicit():
    item = implicit(0x00081150, b"1.2.3\x00") + implicit(0x00081155, b"1.2.3.4\x00")
    sequence = implicit(
        0x00081140, ITEM + b"\xff\xff\xff\xff" + item + ITEM_END + SEQ_END, 0xFFFFFFFF
    )
    body = sequence + implicit(0x00100010, b"Doe ")
    ds = read_dataset(body, is_implicit_VR=True, is_little_endian=True)
    assert ds[0x00081140].VR == "SQ"
    assert ds[0x00081140].is_undefined_length
    assert ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID == "1.2.3.4"
    assert ds.ReferencedImageSequence[0].is_undefined_length_sequence_item
    assert str(ds.PatientName) == "Doe"


def test_undefined_length_un_holding_an_implicit_sequence():
    # PS3.5 6.2.2: an UN of undefined length holds an implicit VR little endian SQ.
    item = implicit(0x300A00C2, b"Beam 1")
    nested = ITEM + struct.pack("<L", len(item)) + item + SEQ_END
    body = (
        struct.pack("<HH2s2xL", 0x300A, 0x00B0, b"UN", 0xFFFFFFFF)
        + nested
        + explicit(0x300A00B2, b"SH", b"LINAC1")
    )
    ds = read_dataset(body, is_implicit_VR=False, is_little_endian=True)
    assert ds[0x300A00B0].VR == "SQ"
    assert ds.BeamSequence[0].BeamName == "Beam 1"
    assert ds.BeamSequence[0][0x300A00C2].VR == "LO"
    assert ds.TreatmentMachineName == "LINAC1"


def test_private_sequence_in_implicit_vr_is_found_by_its_items_when_asked():
    item = implicit(0x00100020, b"ID")
    body = implicit(0x00090010, b"ACME") + implicit(
        0x00091001, ITEM + struct.pack("<L", len(item)) + item
    )
    # Unknown to the private dictionary: bytes, as pydicom and DCMTK read it.
    ds = read_dataset(body, is_implicit_VR=True, is_little_endian=True)
    assert ds[0x00091001].VR == "UN"
    assert ds[0x00091001].value == body[-18:]
    config.settings.un_items_as_sequence = True
    try:
        ds = read_dataset(body, is_implicit_VR=True, is_little_endian=True)
    finally:
        config.settings.un_items_as_sequence = False
    assert ds[0x00091001].VR == "SQ"
    assert ds[0x00091001].value[0].PatientID == "ID"


def test_ambiguous_vrs_resolved_on_implicit_read():
    body = (
        implicit(0x00280100, b"\x10\x00")
        + implicit(0x00280103, b"\x01\x00")
        + implicit(0x00280106, b"\xfe\xff")
        + implicit(0x7FE00010, b"\x01\x00\x02\x00")
    )
    ds = read_dataset(body, is_implicit_VR=True, is_little_endian=True)
    assert ds[0x00280106].VR == "SS"
    assert ds.SmallestImagePixelValue == -2
    assert ds[0x7FE00010].VR == "OW"


def test_sequence_nesting_limit():
    from dicomcore import config

    inner = b""
    for _ in range(10):
        inner = implicit(0x00081140, ITEM + struct.pack("<L", len(inner)) + inner)
    old = config.limits.max_sequence_depth
    config.limits.max_sequence_depth = 5
    try:
        with pytest.raises(LimitError, match="max_sequence_depth"):
            read_dataset(inner, is_implicit_VR=True, is_little_endian=True)
    finally:
        config.limits.max_sequence_depth = old
    ds = read_dataset(inner, is_implicit_VR=True, is_little_endian=True)
    assert len(ds.ReferencedImageSequence) == 1


def test_deflate_bomb_is_limited():
    import zlib

    from dicomcore import config

    header = (TESTFILES / "mono16_deflated.dcm").read_bytes()
    meta_length = struct.unpack_from("<L", header, 140)[0]
    meta_end = 144 + meta_length
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = compressor.compress(b"\x00" * 50_000_000) + compressor.flush()
    old = config.limits.max_inflate_ratio
    config.limits.max_inflate_ratio = 100
    try:
        with pytest.raises(LimitError, match="max_inflate_ratio"):
            dcmread(header[:meta_end] + bomb)
    finally:
        config.limits.max_inflate_ratio = old


def _encapsulated_dataset(basic_offsets: list[int], fragments: list[bytes]) -> bytes:
    table = b"".join(struct.pack("<L", offset) for offset in basic_offsets)
    items = ITEM + struct.pack("<L", len(table)) + table
    for fragment in fragments:
        items += ITEM + struct.pack("<L", len(fragment)) + fragment
    return (
        explicit(0x00280008, b"IS", b"3 ")
        + struct.pack("<HH2s2xL", 0x7FE0, 0x0010, b"OB", 0xFFFFFFFF)
        + items
        + SEQ_END
        + explicit(0xFFFCFFFC, b"OB", b"\x00\x00")
    )


@pytest.mark.parametrize(
    "basic_offsets",
    [[0, 12, 24], [], [0, 12, 2000], [0, 12, 5]],
    ids=["table", "no table", "past the end", "not an item"],
)
def test_encapsulated_end_found_with_or_without_a_usable_table(basic_offsets):
    fragments = [b"\x01\x02\x03\x04", b"\x05\x06\x07\x08", b"\x09\x0a\x0b\x0c"]
    ds = read_dataset(
        _encapsulated_dataset(basic_offsets, fragments),
        is_implicit_VR=False,
        is_little_endian=True,
    )
    value = ds.PixelData
    assert value.endswith(ITEM + b"\x04\x00\x00\x00\x09\x0a\x0b\x0c")
    assert len(value) == 8 + 4 * len(basic_offsets) + 3 * 12
    assert ds[0xFFFCFFFC].value == b"\x00\x00"  # parsing went on after it


def test_implicit_data_under_an_explicit_syntax_is_read_with_a_warning():
    from dicomcore import FileMetaDataset
    from dicomcore.io import write_file_meta_info

    meta = FileMetaDataset()
    meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    chunks: list[bytes] = [b"\x00" * 128 + b"DICM"]
    write_file_meta_info(chunks.append, meta)
    bare = (TESTFILES / "ct_int16_implicit_nometa.dcm").read_bytes()
    relabelled = b"".join(chunks) + bare
    with pytest.warns(UserWarning, match="encoded with implicit VR"):
        ds = dcmread(relabelled)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert ds.original_encoding == (True, True)
    assert str(ds.PatientName) == "Doe^John^Quincy^Dr.^Jr."


def test_a_small_file_is_read_whole_and_its_pixel_data_kept_as_read(tmp_path):
    # One read of the whole file: Pixel Data stays "in the file" (its offset
    # and length are known) and keeps a view of the bytes read, which the
    # pixels and `open(path, "wb")` + save_as(f) use.
    data = CT.read_bytes()
    ds = dcmread(CT)
    source = ds["PixelData"].deferred_source
    assert source is not None and source.copy is not None
    start = source.offset
    assert bytes(source.copy) == data[start : start + source.length]
    assert ds.PixelData == data[start : start + source.length]
    assert ds == dcmread(data)
    empty = tmp_path / "empty.dcm"
    empty.write_bytes(b"")
    with pytest.raises(InvalidDicomError, match="is empty"):
        dcmread(empty)


def _file_with(elements: bytes) -> bytes:
    """A Part 10 file, Explicit VR Little Endian, of ``elements``."""
    syntax = b"1.2.840.10008.1.2.1\x00"
    meta_rest = explicit(0x00020010, b"UI", syntax)
    meta = explicit(0x00020000, b"UL", struct.pack("<L", len(meta_rest))) + meta_rest
    return b"\x00" * 128 + b"DICM" + meta + elements


PIXELS = bytes(range(256)) * 5120  # 1.25 MiB: more than either header block


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"", b""),
        # a header longer than the first block read: read in a longer one
        (explicit(0x00091010, b"OB", b"\x01" * 70_000), b""),
        # longer than that too: read through a map
        (explicit(0x00091010, b"OB", b"\x01" * 1_100_000), b""),
        # elements after Pixel Data: the whole file is walked
        (b"", explicit(0xFFFCFFFC, b"OB", b"\x00" * 8)),
    ],
    ids=["header-in-block", "long-header", "longer-header", "trailing-padding"],
)
def test_a_large_file_is_read_from_its_first_block_or_else_whole(
    tmp_path, before, after
):
    pydicom = pytest.importorskip("pydicom")
    from dicomcore.io.reader import HEADER_BLOCK_BYTES, read_for_pixels

    creator = explicit(0x00090010, b"LO", b"ACME 1.0") if before else b""
    elements = (
        explicit(0x00080060, b"CS", b"OT")
        + creator
        + before
        + explicit(0x00100010, b"PN", b"Doe^Jane")
        + explicit(0x00280010, b"US", struct.pack("<H", 512))
        + explicit(0x7FE00010, b"OB", PIXELS)
        + after
    )
    path = tmp_path / "large.dcm"
    path.write_bytes(_file_with(elements))
    assert path.stat().st_size > HEADER_BLOCK_BYTES
    theirs = pydicom.dcmread(path)
    for ours in (dcmread(path), read_for_pixels(path)):
        assert [int(e.tag) for e in ours] == [int(e.tag) for e in theirs]
        assert str(ours.PatientName) == str(theirs.PatientName) == "Doe^Jane"
        assert ours.Rows == theirs.Rows == 512
        assert ours.PixelData == theirs.PixelData == PIXELS
        if before:
            assert ours[0x00091010].value == theirs[0x00091010].value
        if after:
            assert ours[0xFFFCFFFC].value == theirs[0xFFFCFFFC].value == bytes(8)
    # Read for its pixels, a large file keeps no copy: frames come from it.
    source = read_for_pixels(path)["PixelData"].deferred_source
    assert source.copy is None
    assert source.offset == path.stat().st_size - len(after) - len(PIXELS)


def test_stop_before_pixels_of_a_large_file_reads_only_its_header(tmp_path):
    elements = (
        explicit(0x00100010, b"PN", b"Doe^Jane")
        + explicit(0x7FE00010, b"OB", PIXELS)
        + explicit(0xFFFCFFFC, b"OB", b"\x00" * 8)
    )
    path = tmp_path / "large.dcm"
    path.write_bytes(_file_with(elements))
    ds = dcmread(path, stop_before_pixels=True)
    assert ds.keys() == [0x00100010]
    assert ds.PatientName == "Doe^Jane"


def test_forced_read_of_a_file_object_left_at_its_end_rewinds_as_pydicom():
    pydicom = pytest.importorskip("pydicom")
    # File Meta Information and dataset without preamble and 'DICM', as
    # pydicom's save_as writes them unless asked for the file format.
    data = (TESTFILES / "ct_int16_explicit.dcm").read_bytes()[132:]
    ours_fp, theirs_fp = io.BytesIO(data), io.BytesIO(data)
    ours_fp.seek(len(data))
    theirs_fp.seek(len(data))
    ours = dcmread(ours_fp, force=True)
    theirs = pydicom.dcmread(theirs_fp, force=True)
    assert str(ours.PatientName) == str(theirs.PatientName) == "Doe^John^Quincy^Dr.^Jr."
    assert ours.Rows == theirs.Rows == 64
    assert len(ours) == len(theirs)
    # Positioned at a 'DICM' file, it is read from where it stands.
    padded = io.BytesIO(
        b"\x00" * 10 + (TESTFILES / "ct_int16_explicit.dcm").read_bytes()
    )
    padded.seek(10)
    assert dcmread(padded).Rows == 64


def test_the_first_read_grows_to_the_headers_met(tmp_path, monkeypatch):
    # A header of a few KiB is read with one small read; the first header
    # longer than that makes every later first read a full header block.
    from dicomcore.io import reader

    monkeypatch.setattr(reader, "_first_block", reader.FIRST_BLOCK_BYTES)
    reads: list[int] = []
    pread = os.pread

    def counted(descriptor: int, size: int, position: int) -> bytes:
        reads.append(size)
        return pread(descriptor, size, position)

    monkeypatch.setattr(os, "pread", counted)
    small = tmp_path / "small.dcm"
    small.write_bytes(
        _file_with(
            explicit(0x00100010, b"PN", b"Doe^Jane")
            + explicit(0x7FE00010, b"OB", PIXELS)
        )
    )
    longer = tmp_path / "longer.dcm"
    longer.write_bytes(
        _file_with(
            explicit(0x00091010, b"OB", b"\x01" * 6000)
            + explicit(0x00100010, b"PN", b"Roe^Rick")
            + explicit(0x7FE00010, b"OB", PIXELS)
        )
    )
    assert str(dcmread(small, stop_before_pixels=True).PatientName) == "Doe^Jane"
    assert reads == [reader.FIRST_BLOCK_BYTES]
    reads.clear()
    ds = dcmread(longer, stop_before_pixels=True)
    assert str(ds.PatientName) == "Roe^Rick"
    assert ds[0x00091010].value == b"\x01" * 6000
    assert reads == [reader.FIRST_BLOCK_BYTES, reader.HEADER_BLOCK_BYTES]
    reads.clear()
    assert str(dcmread(small, stop_before_pixels=True).PatientName) == "Doe^Jane"
    assert reads == [reader.HEADER_BLOCK_BYTES]
