"""The DICOM JSON model (PS3.18 F.2): datasets to and from JSON.

Each attribute is an object keyed by the tag's eight upper-case hex digits,
holding ``"vr"`` and one of ``"Value"`` (a JSON array), ``"BulkDataURI"`` or
``"InlineBinary"`` (base64); an attribute with no value has ``"vr"`` alone.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dicomcore.dataelem import DataElement
from dicomcore.errors import DicomValueError
from dicomcore.tag import BaseTag
from dicomcore.values import PersonName, empty_value_for_VR
from dicomcore.vr import BYTES_VRS

if TYPE_CHECKING:
    from dicomcore.dataset import Dataset

__all__ = ["dataset_from_json", "dataset_to_json_dict", "element_to_json_dict"]

#: Called with an element whose binary value passes the threshold; returns
#: the BulkDataURI under which the caller keeps the value.
BulkDataElementHandler = Callable[[DataElement], str]
#: Called with (tag, vr, uri) or (uri) to fetch a bulk data value.
BulkDataURIHandler = Callable[..., Any]

# PS3.18 F.2.3: these VRs are JSON numbers.
_NUMBER_VRS = frozenset({"DS", "FL", "FD", "IS", "SL", "SS", "SV", "UL", "US", "UV"})
_JSON_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_INTEGER_TEXT = re.compile(r"[-+]?\d+")
_PN_GROUPS = ("Alphabetic", "Ideographic", "Phonetic")


def _number(value: Any, vr: str) -> Any:
    """A Python number json writes as the JSON number the standard wants."""
    if value is None or value == "":
        return None
    if vr == "DS":
        text = str(value).strip()
        if _INTEGER_TEXT.fullmatch(text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        # Text read from a file that is no number (or NaN, which JSON lacks)
        # goes out as the string it is, as DCMTK's dcm2json writes it, rather
        # than blocking the export.
        return number if math.isfinite(number) else text
    if vr == "IS":
        text = str(value).strip()
        return int(text) if _INTEGER_TEXT.fullmatch(text) else text
    return value


def _json_values(elem: DataElement) -> list[Any]:
    value = elem.value
    values = value if isinstance(value, list) else [value]
    vr = elem.VR
    if vr in _NUMBER_VRS:
        return [_number(item, vr) for item in values]
    if vr == "PN":
        return [_person_name_json(item) for item in values]
    if vr == "AT":
        return [BaseTag(item).json_key for item in values]
    return [None if item == "" else str(item) for item in values]


def _person_name_json(name: Any) -> dict[str, str] | None:
    if name is None or str(name) == "":
        return None
    groups = str(name).split("=")
    return {
        group: text for group, text in zip(_PN_GROUPS, groups, strict=False) if text
    }


def element_to_json_dict(
    elem: DataElement,
    bulk_data_element_handler: BulkDataElementHandler | None = None,
    bulk_data_threshold: int = 1024,
) -> dict[str, Any]:
    """One attribute in the JSON model."""
    vr = elem.VR
    if " or " in vr:
        vr = vr.split(" or ")[0]
    result: dict[str, Any] = {"vr": vr}
    if vr == "SQ":
        items = elem.value
        if items:
            result["Value"] = [
                dataset_to_json_dict(
                    item, bulk_data_element_handler, bulk_data_threshold
                )
                for item in items
            ]
        return result
    if vr in BYTES_VRS:
        data = elem.encoded_value(little_endian=True)
        if not data:
            return result
        if bulk_data_element_handler is not None and len(data) > bulk_data_threshold:
            result["BulkDataURI"] = bulk_data_element_handler(elem)
        else:
            result["InlineBinary"] = base64.b64encode(data).decode("ascii")
        return result
    if elem.is_empty:
        return result
    result["Value"] = _json_values(elem)
    return result


def dataset_to_json_dict(
    dataset: Dataset,
    bulk_data_element_handler: BulkDataElementHandler | None = None,
    bulk_data_threshold: int = 1024,
    suppress_invalid_tags: bool = False,
) -> dict[str, Any]:
    """A dataset in the JSON model, attributes in tag order.

    Binary values longer than ``bulk_data_threshold`` bytes go to
    ``bulk_data_element_handler`` (which returns their BulkDataURI) when one is
    given, else inline as base64.
    """
    result: dict[str, Any] = {}
    for elem in dataset:
        try:
            result[elem.tag.json_key] = element_to_json_dict(
                elem, bulk_data_element_handler, bulk_data_threshold
            )
        except Exception:
            if not suppress_invalid_tags:
                raise
    return result


def dataset_from_json(
    json_dataset: dict[str, Any] | str | bytes | bytearray,
    bulk_data_uri_handler: BulkDataURIHandler | None = None,
) -> Dataset:
    """A dataset from the JSON model (a dict or JSON text)."""
    from dicomcore.dataset import Dataset

    if isinstance(json_dataset, (str, bytes, bytearray)):
        json_dataset = json.loads(json_dataset)
    if not isinstance(json_dataset, dict):
        raise DicomValueError("a DICOM JSON dataset is a JSON object")
    dataset = Dataset()
    # Specific Character Set first is irrelevant here: JSON text is Unicode.
    for key, attribute in json_dataset.items():
        dataset.add(_element_from_json(key, attribute, bulk_data_uri_handler))
    return dataset


def _element_from_json(
    key: str, attribute: Any, bulk_data_uri_handler: BulkDataURIHandler | None
) -> DataElement:
    try:
        tag = int(key, 16)
    except ValueError:
        raise DicomValueError(f"'{key}' is not a DICOM JSON attribute tag") from None
    if not isinstance(attribute, dict) or "vr" not in attribute:
        raise DicomValueError(f"attribute {key} has no 'vr'")
    vr = str(attribute["vr"])
    if "Value" in attribute:
        values = attribute["Value"]
        if not isinstance(values, list):
            raise DicomValueError(f"attribute {key}: 'Value' must be an array")
        return DataElement(
            tag, vr, _from_json_values(tag, vr, values, bulk_data_uri_handler)
        )
    if "InlineBinary" in attribute:
        data = base64.b64decode(attribute["InlineBinary"])
        return DataElement(tag, vr, _binary_value(data, vr))
    if "BulkDataURI" in attribute:
        uri = attribute["BulkDataURI"]
        data = _fetch_bulk_data(key, vr, uri, bulk_data_uri_handler)
        return DataElement(tag, vr, data)
    return DataElement(tag, vr, [] if vr == "SQ" else empty_value_for_VR(vr))


def _fetch_bulk_data(
    key: str, vr: str, uri: str, handler: BulkDataURIHandler | None
) -> Any:
    if handler is None:
        # Without a handler the value stays unknown, as pydicom leaves it.
        return None
    try:
        return handler(key, vr, uri)
    except TypeError:
        return handler(uri)


def _binary_value(data: bytes, vr: str) -> Any:
    if vr in BYTES_VRS:
        return data
    from dicomcore.values import decode_value

    return decode_value(data, vr)


def _from_json_values(
    tag: int, vr: str, values: list[Any], handler: BulkDataURIHandler | None
) -> Any:
    if vr == "SQ":
        return [dataset_from_json(item, handler) for item in values]
    if vr == "PN":
        converted: list[Any] = [_person_name_from_json(item) for item in values]
    elif vr == "AT":
        converted = [
            int(item, 16) if isinstance(item, str) else item for item in values
        ]
    elif vr in ("DS", "IS"):
        converted = ["" if item is None else _number_text(item) for item in values]
    else:
        converted = [
            "" if item is None and vr not in _NUMBER_VRS else item for item in values
        ]
    if len(converted) == 1:
        return converted[0]
    return converted


def _number_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, float) and item.is_integer() and abs(item) < 1e15:
        return repr(item)
    return repr(item) if isinstance(item, float) else str(item)


def _person_name_from_json(item: Any) -> Any:
    if item is None:
        return ""
    if isinstance(item, str):
        return PersonName(item)
    if not isinstance(item, dict):
        raise DicomValueError("a PN value in DICOM JSON is an object")
    groups = [str(item.get(group, "")) for group in _PN_GROUPS]
    while groups and not groups[-1]:
        groups.pop()
    return PersonName("=".join(groups))
