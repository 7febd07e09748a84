import copy
import warnings

import pytest

from dicomcore import config
from dicomcore.dataelem import DataElement
from dicomcore.dataset import Dataset, FileMetaDataset
from dicomcore.errors import DicomError, ElementNotFoundError, UnknownKeywordError
from dicomcore.sequence import Sequence


def make_dataset() -> Dataset:
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.PatientID = "12345"
    ds.Rows = 512
    ds.PixelSpacing = ["0.5", "0.25"]
    return ds


def test_keyword_get_set_del():
    ds = make_dataset()
    assert str(ds.PatientName) == "Doe^John"
    assert ds.PatientName.family_name == "Doe"
    assert ds[0x00100010].VR == "PN"
    assert ds[0x00280010].VR == "US"
    assert ds.Rows == 512
    assert [float(v) for v in ds.PixelSpacing] == [0.5, 0.25]
    del ds.PatientID
    assert "PatientID" not in ds
    with pytest.raises(AttributeError):
        ds.PatientID  # noqa: B018
    with pytest.raises(UnknownKeywordError):
        ds.PatientID  # noqa: B018


def test_item_access_forms():
    ds = make_dataset()
    by_int = ds[0x00100010]
    assert ds[0x0010, 0x0010] is by_int
    assert ds["PatientName"] is by_int
    assert ds[(0x0010, 0x0010)] is by_int
    assert by_int.tag == 0x00100010
    assert by_int.name == "Patient's Name"
    assert by_int.keyword == "PatientName"
    with pytest.raises(KeyError):
        ds[0x00100030]
    with pytest.raises(ElementNotFoundError, match=r"\(0010,0030\) is not in"):
        ds[0x00100030]


def test_contains_and_delete_by_tag():
    ds = make_dataset()
    assert "PatientName" in ds
    assert 0x00100010 in ds
    assert (0x0010, 0x0010) in ds
    assert "NotAKeyword" not in ds
    del ds[0x00100010]
    assert "PatientName" not in ds
    with pytest.raises(KeyError):
        del ds[0x00100010]


def test_iteration_in_tag_order():
    ds = Dataset()
    ds.Rows = 1
    ds.PatientName = "A"
    ds.Modality = "CT"
    assert [elem.tag for elem in ds] == [0x00080060, 0x00100010, 0x00280010]
    assert ds.keys() == [0x00080060, 0x00100010, 0x00280010]
    assert len(ds) == 3


def test_dir_filters():
    ds = make_dataset()
    assert ds.dir("pat") == ["PatientID", "PatientName"]
    assert ds.dir() == ["PatientID", "PatientName", "PixelSpacing", "Rows"]
    assert "PatientName" in dir(ds)


def test_data_element_and_add_new():
    ds = Dataset()
    ds.add_new(0x00100020, "LO", "ID1")
    assert ds.data_element("PatientID").value == "ID1"
    assert ds.data_element("PatientName") is None
    ds.add(DataElement(0x00100010, "PN", "X^Y"))
    assert str(ds.PatientName) == "X^Y"


def test_vr_settable():
    elem = DataElement(0x00091001, "OB", b"\x01\x00\x02\x00")
    elem.VR = "US"
    assert elem.value == [1, 2]


def test_get_with_keyword_and_tag():
    ds = make_dataset()
    assert ds.get("PatientID") == "12345"
    assert ds.get("StudyDate", "none") == "none"
    assert ds.get(0x00100020).value == "12345"
    assert ds.get(0x00100030) is None


def test_sequences_nested():
    ds = Dataset()
    beam = Dataset()
    beam.BeamName = "Field 1"
    beam.BeamNumber = 1
    control = Dataset()
    control.ControlPointIndex = 0
    beam.ControlPointSequence = [control]
    ds.BeamSequence = [beam, Dataset(BeamName="Field 2", BeamNumber=2)]
    assert isinstance(ds.BeamSequence, Sequence)
    assert ds.BeamSequence[0].BeamName == "Field 1"
    assert ds.BeamSequence[1].BeamNumber == 2
    assert ds[0x300A00B0].value[0][0x300A00C2].value == "Field 1"
    assert ds.BeamSequence[0].ControlPointSequence[0].ControlPointIndex == 0
    assert ds.BeamSequence[0].parent_dataset is ds
    with pytest.raises(TypeError):
        ds.BeamSequence.append("not a dataset")


def test_walk_visits_nested():
    ds = Dataset()
    ds.PatientName = "A"
    ds.BeamSequence = [Dataset(BeamName="F1"), Dataset(BeamName="F2")]
    seen = []
    ds.walk(lambda dataset, elem: seen.append(elem.keyword))
    assert seen == ["PatientName", "BeamSequence", "BeamName", "BeamName"]


def test_file_meta_enforces_group_2():
    ds = Dataset()
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    assert isinstance(ds.file_meta, FileMetaDataset)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    with pytest.raises(ValueError, match="group 0x0002"):
        ds.file_meta.PatientName = "X"
    with pytest.raises(ValueError, match="group 0x0002"):
        FileMetaDataset().add_new(0x00100010, "PN", "X")
    # group 2 keywords set on the dataset land in its file meta
    ds.MediaStorageSOPClassUID = "1.2.3"
    assert "MediaStorageSOPClassUID" not in ds
    assert ds.file_meta.MediaStorageSOPClassUID == "1.2.3"


def test_private_block_reserve_and_use():
    ds = Dataset()
    ds.add_new(0x00090010, "LO", "OTHER CREATOR")
    block = ds.private_block(0x0009, "DICOMCORE TEST", create=True)
    assert block.block_start == 0x1100
    block.add_new(0x01, "SH", "hello")
    assert ds[0x00091101].value == "hello"
    assert ds[0x00090011].value == "DICOMCORE TEST"
    assert block[0x01].value == "hello"
    assert 0x01 in block
    assert ds.private_block(0x0009, "DICOMCORE TEST").block_start == 0x1100
    assert ds.private_creators(0x0009) == ["OTHER CREATOR", "DICOMCORE TEST"]
    with pytest.raises(KeyError):
        ds.private_block(0x0009, "NOT THERE")
    with pytest.raises(ValueError):
        ds.private_block(0x0010, "EVEN GROUP", create=True)
    ds.remove_private_tags()
    assert len(ds) == 0


def test_private_element_name_from_private_dictionary():
    ds = Dataset()
    ds.add_new(0x00190010, "LO", "GEMS_ACQU_01")
    ds.add_new(0x00191002, "SL", 3)
    elem = ds[0x00191002]
    assert elem.private_creator == "GEMS_ACQU_01"
    assert elem.name.startswith("[") and elem.name.endswith("]")
    assert "[" in str(elem)


def test_deepcopy_and_equality():
    ds = make_dataset()
    ds.BeamSequence = [Dataset(BeamName="F1")]
    clone = copy.deepcopy(ds)
    assert clone == ds
    clone.BeamSequence[0].BeamName = "changed"
    assert ds.BeamSequence[0].BeamName == "F1"
    assert clone != ds
    assert clone.BeamSequence[0].parent_dataset is clone


def test_misspelt_keyword_warns():
    ds = Dataset()
    with pytest.warns(UserWarning, match="PatientNme"):
        ds.PatientNme = "X"
    assert "PatientNme" not in ds
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds.not_a_keyword = 1


def test_ambiguous_vr_from_pixel_representation():
    ds = Dataset()
    ds.PixelRepresentation = 1
    ds.SmallestImagePixelValue = -5
    assert ds[0x00280106].VR == "SS"
    unsigned = Dataset()
    unsigned.PixelRepresentation = 0
    unsigned.SmallestImagePixelValue = 5
    assert unsigned[0x00280106].VR == "US"


def test_invalid_value_rejected_on_assignment():
    ds = Dataset()
    old = config.settings.writing_validation_mode
    assert old == config.WARN  # pydicom 3's default
    config.settings.writing_validation_mode = config.RAISE
    try:
        with pytest.raises(DicomError):
            ds.Rows = -1
    finally:
        config.settings.writing_validation_mode = old
    with pytest.warns(UserWarning, match="CS: 'this is far too long for CS'"):
        ds.Modality = "this is far too long for CS"
    assert ds.Modality == "this is far too long for CS"


def test_str_layout():
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.add_new(0x7FE00010, "OW", b"\x00" * 8192)
    ds.BeamSequence = [Dataset(BeamName="F1")]
    text = str(ds)
    lines = text.splitlines()
    assert lines[0].startswith("(0010,0010) Patient's Name")
    assert lines[0].endswith("PN: 'Doe^John'")
    assert lines[1] == "(300A,00B0)  Beam Sequence  1 item(s) ---- "
    assert lines[2].startswith("   (300A,00C2) Beam Name")
    assert lines[3] == "   ---------"
    assert lines[4].endswith("OW: Array of 8192 elements")


def test_slicing_and_pop():
    ds = make_dataset()
    sub = ds[0x00100000:0x00110000]
    assert sub.keys() == [0x00100010, 0x00100020]
    elem = ds.pop("PatientID")
    assert elem.value == "12345"
    assert ds.pop(0x00100020, None) is None


def test_sequences_do_not_keep_their_dataset_alive():
    import gc
    import weakref

    gc.disable()
    try:
        ds = Dataset()
        ds.BeamSequence = [Dataset(BeamName="F1")]
        item = ds.BeamSequence[0]
        ref = weakref.ref(ds)
        del ds
        assert ref() is None  # freed at once, no cycle for the collector
        assert item.parent_dataset is None
    finally:
        gc.enable()


def test_pickle_round_trip_keeps_nesting():
    import pickle

    from interop import TESTFILES

    from dicomcore import dcmread

    ds = dcmread(TESTFILES / "rtplan_undefined_length_explicit.dcm")
    clone = pickle.loads(pickle.dumps(ds))
    assert clone == ds
    assert clone.BeamSequence.is_undefined_length
    assert clone.BeamSequence[0].parent_dataset is clone
    assert (
        clone.BeamSequence[0].ControlPointSequence[1].parent_dataset
        is clone.BeamSequence[0]
    )


def _values(dataset):
    """Every element's tag, VR and value; a sequence's items nested."""
    out = []
    for elem in dataset:
        if elem.VR == "SQ":
            out.append((elem.tag, [_values(item) for item in elem.value]))
        else:
            out.append((elem.tag, elem.VR, elem.value))
    return out


@pytest.mark.parametrize(
    "name", ["rtplan_undefined_length_explicit.dcm", "ct_int16_explicit.dcm"]
)
def test_values_never_read_survive_deepcopy_then_pickle(name):
    import pickle

    from interop import TESTFILES

    from dicomcore import dcmread

    original = dcmread(TESTFILES / name)
    # copied and pickled before any value is decoded
    clone = pickle.loads(pickle.dumps(copy.deepcopy(original)))
    shallow = pickle.loads(pickle.dumps(copy.copy(original)))
    expected = _values(original)
    assert len(expected) > 20
    assert _values(clone) == expected
    assert _values(shallow) == expected
    # the values, checked against pydicom's reading of the same file
    import pydicom

    theirs = pydicom.dcmread(TESTFILES / name)
    assert clone.PatientName == str(theirs.PatientName)
    assert clone.SOPInstanceUID == theirs.SOPInstanceUID


class _PlaneSequence(Sequence):
    """A client's Sequence subclass: own __init__ arguments, an __eq__ that
    refuses other types (as highdicom's functional group sequences do)."""

    def __init__(self, spacing: float) -> None:
        item = Dataset()
        item.SliceThickness = spacing
        super().__init__([item])
        self.spacing = spacing

    def __eq__(self, other):
        if not isinstance(other, Sequence):
            raise TypeError("only sequences compare")
        return list.__eq__(self, other)

    __hash__ = None


def test_sequence_subclass_assigned_kept_copied_and_pickled():
    import pickle

    ds = Dataset()
    group = Dataset()
    group.PixelMeasuresSequence = _PlaneSequence(2.5)
    ds.SharedFunctionalGroupsSequence = [group]
    value = ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence
    assert type(value) is _PlaneSequence
    for clone in (copy.deepcopy(ds), pickle.loads(pickle.dumps(ds))):
        copied = clone.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence
        assert type(copied) is _PlaneSequence
        assert copied.spacing == 2.5
        assert copied[0].SliceThickness == 2.5
        assert copied is not value
        assert copied.parent_dataset is clone.SharedFunctionalGroupsSequence[0]


def test_sequence_subclass_behaves_as_in_pydicom():
    pydicom = pytest.importorskip("pydicom")

    class Theirs(pydicom.Sequence):
        def __init__(self, spacing):
            item = pydicom.Dataset()
            item.SliceThickness = spacing
            super().__init__([item])
            self.spacing = spacing

    group = pydicom.Dataset()
    group.PixelMeasuresSequence = Theirs(2.5)
    assert type(copy.deepcopy(group).PixelMeasuresSequence) is Theirs
    assert copy.deepcopy(group).PixelMeasuresSequence.spacing == 2.5


def test_pydicom_pixel_array_cache_attribute():
    pydicom = pytest.importorskip("pydicom")
    ds = Dataset()
    assert ds._pixel_array is None
    assert pydicom.Dataset()._pixel_array is None
    ds._pixel_array = "decoded by a client"
    assert ds._pixel_array == "decoded by a client"
    assert Dataset()._pixel_array is None


def test_pixel_array_of_a_subclass_filling_pydicoms_cache():
    # highdicom's lazily read images hold no Pixel Data: their pixel_array
    # fills the cache with frames read themselves, then defers to the base
    # class, which gives that array back (pydicom, through its retry of a
    # property raising AttributeError).
    import numpy as np

    pydicom = pytest.importorskip("pydicom")
    frames = np.arange(6, dtype=np.uint16).reshape(2, 3)

    def lazy(base):
        class Lazy(base):
            @property
            def pixel_array(self):
                if self._pixel_array is None:
                    self._pixel_array = frames
                else:
                    return self._pixel_array
                return super().pixel_array

        ds = Lazy()
        ds.Rows, ds.Columns = 2, 3
        return ds

    for base in (Dataset, pydicom.Dataset):
        assert lazy(base).pixel_array is frames
    ours = lazy(Dataset)
    ours.BitsAllocated = ours.BitsStored = 8
    ours.SamplesPerPixel, ours.PixelRepresentation = 1, 0
    ours.PhotometricInterpretation = "MONOCHROME2"
    ours.PixelData = bytes(range(6))
    ours.file_meta = FileMetaDataset()
    ours.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    # With Pixel Data present, the Pixel Data is decoded.
    ours._pixel_array = frames
    assert Dataset.pixel_array.fget(ours).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert Dataset.pixel_array.fget(ours).dtype == np.uint8


def test_negative_value_for_us_or_ss_without_pixel_representation(monkeypatch):
    import numpy as np

    from dicomcore import config

    pydicom = pytest.importorskip("pydicom")
    ours, theirs = Dataset(), pydicom.Dataset()
    for target in (ours, theirs):
        target.RealWorldValueFirstValueMapped = -1
        target.LargestImagePixelValue = np.int16(-5)
        target.RealWorldValueLastValueMapped = 4095
    for keyword in (
        "RealWorldValueFirstValueMapped",
        "LargestImagePixelValue",
        "RealWorldValueLastValueMapped",
    ):
        assert ours[keyword].value == theirs[keyword].value
    assert ours["RealWorldValueFirstValueMapped"].VR == "SS"
    assert ours["LargestImagePixelValue"].VR == "SS"
    assert ours["RealWorldValueLastValueMapped"].VR == "US"
    ours.PixelRepresentation = 0
    monkeypatch.setattr(config.settings, "writing_validation_mode", config.RAISE)
    with pytest.raises(ValueError, match="outside 0..65535"):
        ours.SmallestImagePixelValue = -1


class _WithConnection(Dataset):
    """A subclass holding something that cannot be copied, with a state that
    leaves it out (as highdicom's images do with their database)."""

    def __getstate__(self):
        state = super().__getstate__()
        state["connection"] = "reopened"
        return state

    def __setstate__(self, state):
        super().__setstate__(state)


def test_deepcopy_goes_through_a_subclass_state():
    import threading

    ds = _WithConnection()
    ds.PatientName = "Doe^Jane"
    item = Dataset()
    item.CodeValue = "1"
    ds.ConceptNameCodeSequence = [item]
    object.__setattr__(ds, "connection", threading.Lock())  # not copyable
    clone = copy.deepcopy(ds)
    assert type(clone) is _WithConnection
    assert clone.connection == "reopened"
    assert str(clone.PatientName) == "Doe^Jane"
    assert clone.ConceptNameCodeSequence[0].CodeValue == "1"
    assert clone.ConceptNameCodeSequence[0] is not item
    assert clone.ConceptNameCodeSequence.parent_dataset is clone


def test_del_file_meta_as_in_pydicom():
    from dicomcore.dataset import FileDataset

    pydicom = pytest.importorskip("pydicom")
    meta = FileMetaDataset()
    meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    ours = FileDataset("x.dcm", Dataset(), file_meta=meta)
    theirs = pydicom.FileDataset(
        "x.dcm", pydicom.Dataset(), file_meta=pydicom.FileMetaDataset()
    )
    del theirs.file_meta
    del ours.file_meta
    assert "TransferSyntaxUID" not in ours.file_meta
    assert len(ours.file_meta) == 0
