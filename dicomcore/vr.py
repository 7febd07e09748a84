"""Value Representations of PS3.5 section 6.2 and their encoding rules."""

from __future__ import annotations

import re
from enum import Enum

__all__ = [
    "AMBIGUOUS_VRS",
    "BINARY_VRS",
    "BYTES_VRS",
    "LONG_LENGTH_VRS",
    "NUMBER_VRS",
    "STRING_VRS",
    "TEXT_VRS",
    "VR",
]


class VR(str, Enum):
    """A VR, with the facts PS3.5 Table 6.2-1 and 7.1.2 give for it.

    ``VR`` members compare equal to their two-letter strings, so
    ``elem.VR == "PN"`` works whichever the element holds.
    """

    AE = "AE"
    AS = "AS"
    AT = "AT"
    CS = "CS"
    DA = "DA"
    DS = "DS"
    DT = "DT"
    FL = "FL"
    FD = "FD"
    IS = "IS"
    LO = "LO"
    LT = "LT"
    OB = "OB"
    OD = "OD"
    OF = "OF"
    OL = "OL"
    OV = "OV"
    OW = "OW"
    PN = "PN"
    SH = "SH"
    SL = "SL"
    SQ = "SQ"
    SS = "SS"
    ST = "ST"
    SV = "SV"
    TM = "TM"
    UC = "UC"
    UI = "UI"
    UL = "UL"
    UN = "UN"
    UR = "UR"
    US = "US"
    UT = "UT"
    UV = "UV"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def has_long_length(self) -> bool:
        """Explicit VR encoding uses 2 reserved bytes and a 32-bit length."""
        return self.value in LONG_LENGTH_VRS

    @property
    def padding(self) -> bytes:
        """The byte that pads an odd-length value to even length."""
        return b"\x00" if self.value in _NULL_PADDED else b" "

    @property
    def max_length(self) -> int | None:
        """Maximum length of one value, in characters or bytes; None if unbounded
        other than by the 32-bit length field."""
        return _MAX_LENGTH.get(self.value)

    @property
    def is_text(self) -> bool:
        """Encoded as characters (so subject to Specific Character Set rules)."""
        return self.value in STRING_VRS

    @property
    def allows_multiple_values(self) -> bool:
        """Multiple values are separated by backslash (text) or packed (binary)."""
        return self.value not in _SINGLE_VALUED

    @property
    def repertoire(self) -> re.Pattern[str] | None:
        """A pattern a single value must match; None when any character of the
        character set may appear (LO, LT, PN, SH, ST, UC, UT)."""
        return _REPERTOIRE.get(self.value)

    @property
    def fixed_item_size(self) -> int | None:
        """Bytes per value for binary number VRs; None for others."""
        return _ITEM_SIZE.get(self.value)


# PS3.5 7.1.2: these VRs have a 2-byte reserved field and 4-byte length.
LONG_LENGTH_VRS = frozenset(
    {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}
)
# PS3.5 6.2: UI pads with NULL, binary VRs with 0x00, everything else with space.
_NULL_PADDED = frozenset(
    {
        "UI",
        "OB",
        "OD",
        "OF",
        "OL",
        "OV",
        "OW",
        "UN",
        "AT",
        "FL",
        "FD",
        "SL",
        "SS",
        "SV",
        "UL",
        "US",
        "UV",
        "SQ",
    }
)
STRING_VRS = frozenset(
    {
        "AE",
        "AS",
        "CS",
        "DA",
        "DS",
        "DT",
        "IS",
        "LO",
        "LT",
        "PN",
        "SH",
        "ST",
        "TM",
        "UC",
        "UI",
        "UR",
        "UT",
    }
)
# Text whose characters follow Specific Character Set (others are default only).
TEXT_VRS = frozenset({"LO", "LT", "PN", "SH", "ST", "UC", "UT"})
NUMBER_VRS = frozenset({"FL", "FD", "SL", "SS", "SV", "UL", "US", "UV"})
BYTES_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})
BINARY_VRS = NUMBER_VRS | BYTES_VRS | {"AT"}
# VRs that the dictionary leaves to the dataset (PS3.5 Annex A.1 notes, PS3.6).
AMBIGUOUS_VRS = frozenset(
    {"US or SS", "OB or OW", "US or OW", "US or SS or OW", "SS or US"}
)
_SINGLE_VALUED = frozenset(
    {"LT", "ST", "UT", "UR", "OB", "OD", "OF", "OL", "OV", "OW", "UN", "SQ"}
)

_MAX_LENGTH: dict[str, int] = {
    "AE": 16,
    "AS": 4,
    "AT": 4,
    "CS": 16,
    "DA": 8,
    "DS": 16,
    "DT": 26,
    "FL": 4,
    "FD": 8,
    "IS": 12,
    "LO": 64,
    "LT": 10240,
    "PN": 64,
    "SH": 16,
    "SL": 4,
    "SS": 2,
    "ST": 1024,
    "SV": 8,
    "TM": 14,
    "UI": 64,
    "UL": 4,
    "US": 2,
    "UV": 8,
}
_ITEM_SIZE: dict[str, int] = {
    "FL": 4,
    "FD": 8,
    "SL": 4,
    "SS": 2,
    "SV": 8,
    "UL": 4,
    "US": 2,
    "UV": 8,
    "AT": 4,
    "OD": 8,
    "OF": 4,
    "OL": 4,
    "OV": 8,
    "OW": 2,
    "OB": 1,
    "UN": 1,
}
_REPERTOIRE: dict[str, re.Pattern[str]] = {
    # AE: default repertoire without backslash and control characters.
    "AE": re.compile(r"[\x20-\x5b\x5d-\x7e]*"),
    "AS": re.compile(r"(\d{3}[DWMY])?"),
    "CS": re.compile(r"[A-Z0-9 _]*"),
    "DA": re.compile(r"(\d{8})?|\d{4}\.\d{2}\.\d{2}"),  # ACR-NEMA dotted form tolerated
    "DS": re.compile(r" *[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)? *|"),
    "DT": re.compile(
        r"(\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?"
        r"([+-]\d{4})?)?"
    ),
    "IS": re.compile(r" *[-+]?\d+ *|"),
    "TM": re.compile(r"(\d{2}(:?\d{2}(:?\d{2}(\.\d{1,6})?)?)?)? *"),
    "UI": re.compile(r"[0-9.]*"),
    "UR": re.compile(r"[^\x00-\x1f\\]*"),
}
