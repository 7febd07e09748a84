"""Specific Character Set (0008,0005): the defined terms of PS3.3 C.12.1.1.2
turned into a :class:`CharacterSet` that decodes and encodes text values,
including the ISO/IEC 2022 code extensions of PS3.5 6.1.2.5.

Only LO, LT, PN, SH, ST, UC and UT use the declared character set; every other
string VR stays in the default repertoire (the callers in
:mod:`dicomcore.values.strings` decide that).

How a value of Specific Character Set is read:

- absent or empty: the default repertoire (ISO-IR 6). Bytes above 0x7F, which
  non-conformant writers put there, are read as ISO 8859-1, and such text is
  written back as ISO 8859-1, so nothing is lost.
- a defined term of Tables C.12-2 to C.12-5: that set. Several values switch
  on code extensions: escape sequences designate the sets of any value, and
  the state returns to value 1 at each reset point (below).
- a Python codec name that one of the sets uses (``"utf_8"``, ``"euc_kr"``,
  ``"iso2022_jp"``, as pydicom's ``encodings`` are spelt): that set, silently.
- a misspelt defined term (``"ISO_IR_100"``, ``"ISO-IR 192"``): the term meant,
  with a warning.
- anything else: read and written as ISO 8859-1 (every byte is a character,
  and the element's raw bytes are kept for writing back unchanged), with a
  warning.

Warnings go through :data:`dicomcore.config.settings.reading_validation_mode`
when decoding (so RAISE makes them errors) and are always warnings when
encoding.

Reset points (PS3.5 6.1.2.5.3): before each control character other than ESC
(CR, LF, FF, TAB ...), before each value delimiter ``\\`` of multi-valued VRs,
and before the ``^`` and ``=`` of PN, the sets of value 1 are active again.
The encoder writes the escape sequences that restore them; the decoder resets
its state there, so every value, component group and line starts afresh.

>>> cs = character_set(["", "ISO 2022 IR 149"])
>>> cs.decode(b"Hong^Gildong=\\x1b$)C\\xfb\\xf3^\\x1b$)C\\xd1\\xce\\xd4\\xd7", vr="PN")
'Hong^Gildong=洪^吉洞'
>>> cs.encode("洪^吉洞", vr="PN")
b'\\x1b$)C\\xfb\\xf3^\\x1b$)C\\xd1\\xce\\xd4\\xd7'
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dicomcore.config import settings
from dicomcore.values._modes import report

__all__ = [
    "DEFINED_TERMS",
    "CharacterSet",
    "CodeElement",
    "UnencodableCharacterError",
    "character_set",
    "convert_encodings",
    "names_character_set",
]

_ESC = 0x1B
# Values of these VRs are single: a backslash in them is a character.
_SINGLE_VALUED_VRS = frozenset({"LT", "ST", "UT"})
# PN delimiters: values, component groups and components (PS3.5 6.2.1).
_PN_DELIMITERS = "\\=^"


class UnencodableCharacterError(ValueError):
    """A character that none of the declared character sets can encode."""

    def __init__(self, character: str, position: int) -> None:
        super().__init__(f"character {character!r} at {position} cannot be encoded")
        self.character = character
        self.position = position


# -- code elements -------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CodeElement:
    """One graphic character set that a defined term designates (PS3.3 Tables
    C.12-3 and C.12-4): its ISO-IR registration, the escape sequence that
    designates it, the register it is designated to (G0: bytes 0x21-0x7E, G1:
    bytes 0xA0-0xFF) and whether it has two bytes per character."""

    registration: str
    escape: bytes
    register: int
    multi_byte: bool
    # bytes of a run in this element's half of the code table -> text
    decode: Callable[[bytes, str], str]
    # one character -> its bytes in this element, or None when it has none
    encode_char: Callable[[str], bytes | None]

    def __repr__(self) -> str:
        return f"CodeElement({self.registration!r})"


def _codec_decoder(codec: str) -> Callable[[bytes, str], str]:
    def decode(run: bytes, errors: str) -> str:
        return run.decode(codec, errors)

    return decode


def _ascii_char(char: str) -> bytes | None:
    # ISO 2022: SPACE (02/00) and DELETE (07/15) belong to GL whatever is
    # designated, but graphic characters only to a 94-set such as ISO-IR 6.
    return char.encode("ascii") if " " <= char <= "\x7f" else None


def _upper_half_char(codec: str) -> Callable[[str], bytes | None]:
    """Characters of an ISO 8859 (or TIS 620) upper half: one byte >= 0xA0."""

    def encode(char: str) -> bytes | None:
        if char < "\xa0":
            return None
        try:
            data = char.encode(codec)
        except UnicodeEncodeError:
            return None
        return data if len(data) == 1 and data[0] >= 0xA0 else None

    return encode


def _single_byte_g1(registration: str, final: bytes, codec: str) -> CodeElement:
    # ESC 02/13 F designates a 96-character set to G1.
    return CodeElement(
        registration,
        b"\x1b-" + final,
        1,
        False,
        _codec_decoder(codec),
        _upper_half_char(codec),
    )


# JIS X 0201 katakana: bytes 0xA1-0xDF are U+FF61-U+FF9F, in order.
_KATAKANA_FIRST_BYTE, _KATAKANA_LAST_BYTE = 0xA1, 0xDF
_KATAKANA_FIRST_CHAR = 0xFF61


def _decode_katakana(run: bytes, errors: str) -> str:
    chars = []
    for index, byte in enumerate(run):
        if _KATAKANA_FIRST_BYTE <= byte <= _KATAKANA_LAST_BYTE:
            chars.append(chr(_KATAKANA_FIRST_CHAR + byte - _KATAKANA_FIRST_BYTE))
        elif errors == "strict":
            raise UnicodeDecodeError(
                "jis_x_0201", run, index, index + 1, "not a JIS X 0201 katakana"
            )
        else:
            chars.append("\ufffd")
    return "".join(chars)


def _encode_katakana(char: str) -> bytes | None:
    code = ord(char) - _KATAKANA_FIRST_CHAR
    if 0 <= code <= _KATAKANA_LAST_BYTE - _KATAKANA_FIRST_BYTE:
        return bytes([_KATAKANA_FIRST_BYTE + code])
    return None


# JIS X 0208 and JIS X 0212 in G0 use bytes 0x21-0x7E; EUC-JP holds the same
# code points with the high bit set (JIS X 0212 after the single shift 0x8F),
# which is how Python's codecs reach them.
_SET_HIGH_BIT = bytes(range(0x80)).replace(
    bytes(range(0x21, 0x7F)), bytes(range(0xA1, 0xFF))
) + bytes(range(0x80, 0x100))


def _decode_jis_x_0208(run: bytes, errors: str) -> str:
    return run.translate(_SET_HIGH_BIT).decode("euc_jp", errors)


def _encode_jis_x_0208(char: str) -> bytes | None:
    try:
        data = char.encode("euc_jp")
    except UnicodeEncodeError:
        return None
    if len(data) == 2 and data[0] >= 0xA1 and data[1] >= 0xA1:
        return bytes([data[0] & 0x7F, data[1] & 0x7F])
    return None


def _decode_jis_x_0212(run: bytes, errors: str) -> str:
    euc = bytearray()
    index = 0
    while index < len(run):
        if run[index] == 0x20:  # SPACE stays SPACE in any G0 state
            euc.append(0x20)
            index += 1
            continue
        euc.append(0x8F)
        euc += bytes(byte | 0x80 for byte in run[index : index + 2])
        index += 2
    return bytes(euc).decode("euc_jp", errors)


def _encode_jis_x_0212(char: str) -> bytes | None:
    try:
        data = char.encode("euc_jp")
    except UnicodeEncodeError:
        return None
    if len(data) == 3 and data[0] == 0x8F:
        return bytes([data[1] & 0x7F, data[2] & 0x7F])
    return None


def _double_byte_g1_char(codec: str) -> Callable[[str], bytes | None]:
    """Characters of KS X 1001 or GB 2312 in G1: two bytes >= 0xA1."""

    def encode(char: str) -> bytes | None:
        if char < "\x80":
            return None
        try:
            data = char.encode(codec)
        except UnicodeEncodeError:
            return None
        # Python's euc_kr also writes 8-byte Hangul compositions; DICOM's
        # KS X 1001 has only the two-byte characters.
        if len(data) == 2 and data[0] >= 0xA1 and data[1] >= 0xA1:
            return data
        return None

    return encode


# PS3.3 Table C.12-3: single-byte sets, and Table C.12-4: multi-byte sets.
ISO_IR_6 = CodeElement(
    "ISO-IR 6", b"\x1b(B", 0, False, _codec_decoder("ascii"), _ascii_char
)
# JIS X 0201 Romaji differs from ASCII only at 05/12 (YEN SIGN) and 07/14
# (OVERLINE); DICOM uses 05/12 as the value delimiter whatever it looks like
# (PS3.5 6.1.2.5.3), so it is read as ASCII and the delimiters survive.
ISO_IR_14 = CodeElement(
    "ISO-IR 14", b"\x1b(J", 0, False, _codec_decoder("ascii"), _ascii_char
)
ISO_IR_13 = CodeElement(
    "ISO-IR 13", b"\x1b)I", 1, False, _decode_katakana, _encode_katakana
)
ISO_IR_100 = _single_byte_g1("ISO-IR 100", b"A", "latin_1")
ISO_IR_101 = _single_byte_g1("ISO-IR 101", b"B", "iso8859_2")
ISO_IR_109 = _single_byte_g1("ISO-IR 109", b"C", "iso8859_3")
ISO_IR_110 = _single_byte_g1("ISO-IR 110", b"D", "iso8859_4")
ISO_IR_144 = _single_byte_g1("ISO-IR 144", b"L", "iso8859_5")
ISO_IR_127 = _single_byte_g1("ISO-IR 127", b"G", "iso8859_6")
ISO_IR_126 = _single_byte_g1("ISO-IR 126", b"F", "iso8859_7")
ISO_IR_138 = _single_byte_g1("ISO-IR 138", b"H", "iso8859_8")
ISO_IR_148 = _single_byte_g1("ISO-IR 148", b"M", "iso8859_9")
ISO_IR_203 = _single_byte_g1("ISO-IR 203", b"b", "iso8859_15")
# TIS 620-2533; ISO 8859-11 is the same table plus NO-BREAK SPACE at 0xA0.
ISO_IR_166 = _single_byte_g1("ISO-IR 166", b"T", "iso8859_11")
ISO_IR_87 = CodeElement(
    "ISO-IR 87", b"\x1b$B", 0, True, _decode_jis_x_0208, _encode_jis_x_0208
)
ISO_IR_159 = CodeElement(
    "ISO-IR 159", b"\x1b$(D", 0, True, _decode_jis_x_0212, _encode_jis_x_0212
)
ISO_IR_149 = CodeElement(
    "ISO-IR 149",
    b"\x1b$)C",
    1,
    True,
    _codec_decoder("euc_kr"),
    _double_byte_g1_char("euc_kr"),
)
ISO_IR_58 = CodeElement(
    "ISO-IR 58",
    b"\x1b$)A",
    1,
    True,
    _codec_decoder("gb2312"),
    _double_byte_g1_char("gb2312"),
)

_BY_ESCAPE: dict[bytes, CodeElement] = {
    element.escape: element
    for element in (
        ISO_IR_6,
        ISO_IR_14,
        ISO_IR_13,
        ISO_IR_100,
        ISO_IR_101,
        ISO_IR_109,
        ISO_IR_110,
        ISO_IR_144,
        ISO_IR_127,
        ISO_IR_126,
        ISO_IR_138,
        ISO_IR_148,
        ISO_IR_203,
        ISO_IR_166,
        ISO_IR_87,
        ISO_IR_159,
        ISO_IR_149,
        ISO_IR_58,
    )
}
_ESCAPE_LENGTHS = sorted({len(escape) for escape in _BY_ESCAPE}, reverse=True)


# -- defined terms -------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    """What one defined term declares."""

    elements: tuple[CodeElement, ...]
    code_extensions: bool
    # Python codec of a set without code extensions (ISO_IR 192, GB18030,
    # GBK), which decodes and encodes a whole value and knows no escapes
    whole_codec: str | None = None
    # Python codec equal to G0 + G1 of this term, to decode and encode a whole
    # value that needs no escape sequence in one call
    fast_codec: str | None = None


# PS3.3 Table C.12-2 (ISO_IR n) and C.12-3 (ISO 2022 IR n): G0 and G1.
_SINGLE_BYTE_SETS: dict[str, tuple[CodeElement, CodeElement, str | None]] = {
    "100": (ISO_IR_6, ISO_IR_100, "latin_1"),
    "101": (ISO_IR_6, ISO_IR_101, "iso8859_2"),
    "109": (ISO_IR_6, ISO_IR_109, "iso8859_3"),
    "110": (ISO_IR_6, ISO_IR_110, "iso8859_4"),
    "144": (ISO_IR_6, ISO_IR_144, "iso8859_5"),
    "127": (ISO_IR_6, ISO_IR_127, "iso8859_6"),
    "126": (ISO_IR_6, ISO_IR_126, "iso8859_7"),
    "138": (ISO_IR_6, ISO_IR_138, "iso8859_8"),
    "148": (ISO_IR_6, ISO_IR_148, "iso8859_9"),
    "203": (ISO_IR_6, ISO_IR_203, "iso8859_15"),
    "13": (ISO_IR_14, ISO_IR_13, None),
    "166": (ISO_IR_6, ISO_IR_166, "iso8859_11"),
}

_TERMS: dict[str, _Term] = {
    # Not in the tables (the default repertoire is "absent or empty"), but
    # written by many systems and meaning exactly that.
    "ISO_IR 6": _Term((ISO_IR_6,), False, fast_codec="latin_1"),
    "ISO 2022 IR 6": _Term((ISO_IR_6,), True, fast_codec="ascii"),
    # PS3.3 Table C.12-4: multi-byte sets with code extensions
    "ISO 2022 IR 87": _Term((ISO_IR_87,), True),
    "ISO 2022 IR 159": _Term((ISO_IR_159,), True),
    "ISO 2022 IR 149": _Term((ISO_IR_149,), True),
    "ISO 2022 IR 58": _Term((ISO_IR_58,), True),
    # PS3.3 Table C.12-5: multi-byte sets without code extensions
    "ISO_IR 192": _Term((), False, whole_codec="utf_8"),
    "GB18030": _Term((), False, whole_codec="gb18030"),
    "GBK": _Term((), False, whole_codec="gbk"),
}
for _number, (_g0, _g1, _codec) in _SINGLE_BYTE_SETS.items():
    _TERMS[f"ISO_IR {_number}"] = _Term((_g0, _g1), False, fast_codec=_codec)
    _TERMS[f"ISO 2022 IR {_number}"] = _Term((_g0, _g1), True, fast_codec=_codec)

#: Every defined term of PS3.3 C.12.1.1.2 (and ``ISO_IR 6``).
DEFINED_TERMS: frozenset[str] = frozenset(_TERMS)


def _normalised(term: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", term.upper())


# "ISO-IR 100", "ISO_IR_100", "iso ir 100" -> "ISO_IR 100"
_NEAR_MISSES = {_normalised(term): term for term in _TERMS}

# Python codecs (by their canonical name) -> the term using them, so that
# pydicom-style ``encodings`` lists and the odd "UTF-8" in a file work.
_PYTHON_CODEC_TERMS = {
    "ascii": ("ISO_IR 6", "ISO 2022 IR 6"),
    "iso8859-1": ("ISO_IR 100", "ISO 2022 IR 100"),
    "iso8859-2": ("ISO_IR 101", "ISO 2022 IR 101"),
    "iso8859-3": ("ISO_IR 109", "ISO 2022 IR 109"),
    "iso8859-4": ("ISO_IR 110", "ISO 2022 IR 110"),
    "iso8859-5": ("ISO_IR 144", "ISO 2022 IR 144"),
    "iso8859-6": ("ISO_IR 127", "ISO 2022 IR 127"),
    "iso8859-7": ("ISO_IR 126", "ISO 2022 IR 126"),
    "iso8859-8": ("ISO_IR 138", "ISO 2022 IR 138"),
    "iso8859-9": ("ISO_IR 148", "ISO 2022 IR 148"),
    "iso8859-15": ("ISO_IR 203", "ISO 2022 IR 203"),
    "iso8859-11": ("ISO_IR 166", "ISO 2022 IR 166"),
    "tis-620": ("ISO_IR 166", "ISO 2022 IR 166"),
    "shift_jis": ("ISO_IR 13", "ISO 2022 IR 13"),
    "iso2022_jp": ("ISO 2022 IR 87", "ISO 2022 IR 87"),
    "iso2022_jp_2": ("ISO 2022 IR 159", "ISO 2022 IR 159"),
    "euc_kr": ("ISO 2022 IR 149", "ISO 2022 IR 149"),
    "gb2312": ("ISO 2022 IR 58", "ISO 2022 IR 58"),
    "utf-8": ("ISO_IR 192", "ISO_IR 192"),
    "gb18030": ("GB18030", "GB18030"),
    "gbk": ("GBK", "GBK"),
}

# The Python codec pydicom's ``convert_encodings`` gives for each term.
_PYTHON_ENCODINGS = {
    "": "iso8859",
    "ISO_IR 6": "iso8859",
    "ISO 2022 IR 6": "iso8859",
    "ISO_IR 13": "shift_jis",
    "ISO 2022 IR 13": "shift_jis",
    "ISO 2022 IR 87": "iso2022_jp",
    "ISO 2022 IR 159": "iso2022_jp_2",
    "ISO 2022 IR 149": "euc_kr",
    "ISO 2022 IR 58": "gb2312",
    "ISO_IR 192": "UTF8",
    "GB18030": "GB18030",
    "GBK": "GBK",
}
for _number, (_g0, _g1, _codec) in _SINGLE_BYTE_SETS.items():
    if _codec is not None:
        _PYTHON_ENCODINGS.setdefault(f"ISO_IR {_number}", _codec)
        _PYTHON_ENCODINGS.setdefault(f"ISO 2022 IR {_number}", _codec)


def _python_codec_name(term: str) -> str | None:
    try:
        return codecs.lookup(term).name
    except (LookupError, ValueError):
        # ValueError: a term holding a NUL byte, which names no codec either.
        return None


# -- character sets ------------------------------------------------------------


class CharacterSet:
    """A resolved value of Specific Character Set (0008,0005).

    Build one with :func:`character_set`; instances are shared and immutable.

    >>> character_set("ISO_IR 100").encode("Buc^Jérôme", vr="PN")
    b'Buc^J\\xe9r\\xf4me'
    """

    __slots__ = (
        "terms",
        "problems",
        "initial",
        "elements",
        "code_extensions",
        "whole_codec",
        "fast_codec",
        "_fallback_g1",
    )

    def __init__(
        self,
        terms: tuple[str, ...],
        initial: tuple[CodeElement, CodeElement | None],
        elements: tuple[CodeElement, ...] = (),
        *,
        code_extensions: bool = False,
        whole_codec: str | None = None,
        fast_codec: str | None = None,
        problems: tuple[str, ...] = (),
    ) -> None:
        #: the values of Specific Character Set as given
        self.terms = terms
        #: what is wrong with them (not defined terms, misspelt ...)
        self.problems = problems
        #: the G0 and G1 sets of value 1, active at each reset point
        self.initial = initial
        #: the sets code extensions may designate, in the order declared
        self.elements = elements
        #: whether escape sequences may switch between the sets
        self.code_extensions = code_extensions
        #: Python codec for a whole value of a set without code extensions
        self.whole_codec = whole_codec
        #: Python codec equal to the initial G0 and G1, for values without
        #: escape sequences
        self.fast_codec = fast_codec
        # bytes >= 0x80 while G1 is undefined: the first declared G1 set,
        # as non-conformant writers that designate it once mean
        self._fallback_g1 = next(
            (element for element in elements if element.register == 1), None
        )

    @property
    def name(self) -> str:
        """The value as written in (0008,0005), quoted, for messages."""
        if not self.terms:
            return "(none: default repertoire)"
        return repr("\\".join(self.terms))

    @property
    def is_default(self) -> bool:
        """True for the default repertoire (no Specific Character Set)."""
        return not self.terms

    def __repr__(self) -> str:
        return f"CharacterSet({self.name})"

    # -- decoding --------------------------------------------------------------

    def decode(self, raw: bytes | bytearray | memoryview, vr: str = "") -> str:
        """The text of a value's bytes; the VR decides where the state resets.

        Bytes no set can decode become U+FFFD. Problems (undeclared or unknown
        escape sequences, bytes invalid in their set, a term that is not
        defined) are reported per the reading validation mode.
        """
        text, problems = self.decode_with_problems(bytes(raw), vr)
        for problem in problems:
            report(problem, settings.reading_validation_mode)
        return text

    def decode_with_problems(self, raw: bytes, vr: str = "") -> tuple[str, list[str]]:
        """:meth:`decode` without reporting: the text and the problems found."""
        problems: list[str] = []
        if self.problems and not raw.isascii():
            problems.extend(self.problems)
        if self.whole_codec is not None:
            # no code extensions: ESC is only a control character here
            try:
                return raw.decode(self.whole_codec), problems
            except UnicodeDecodeError as exc:
                problems.append(self._invalid_bytes(exc, self.whole_codec))
                return raw.decode(self.whole_codec, "replace"), problems
        if self.fast_codec is not None and _ESC not in raw:
            try:
                return raw.decode(self.fast_codec), problems
            except UnicodeDecodeError:
                pass  # the byte-by-byte reading says what is wrong
        return self._decode_iso2022(raw, _delimiters(vr), problems), problems

    def _invalid_bytes(self, exc: UnicodeDecodeError, where: str) -> str:
        return (
            f"Invalid value: bytes {exc.object[exc.start : exc.end]!r} at "
            f"{exc.start} of {_shown(exc.object)} are not valid in {where} "
            f"(Specific Character Set {self.name}); read as U+FFFD"
        )

    def _decode_iso2022(self, raw: bytes, delimiters: str, problems: list[str]) -> str:
        initial_g0, initial_g1 = self.initial
        g0, g1 = self.initial
        designated_g1: CodeElement | None = None
        delimiter_bytes = delimiters.encode("ascii")
        parts: list[str] = []
        position, length = 0, len(raw)
        while position < length:
            byte = raw[position]
            if byte == _ESC:
                element = _escape_at(raw, position)
                if element is None:
                    problems.append(
                        f"Unknown escape sequence {raw[position : position + 4]!r} "
                        f"at {position} of {_shown(raw)} (Specific Character "
                        f"Set {self.name}); ESC kept as a character"
                    )
                    parts.append("\x1b")
                    position += 1
                    continue
                if element not in self.elements and element not in self.initial:
                    problems.append(
                        f"Escape sequence {element.escape!r} designates "
                        f"{element.registration}, which Specific Character Set "
                        f"{self.name} does not declare; used anyway"
                    )
                if element.register == 0:
                    g0 = element
                else:
                    g1 = designated_g1 = element
                position += len(element.escape)
                continue
            if byte < 0x20 or (byte in delimiter_bytes and not g0.multi_byte):
                # PS3.5 6.1.2.5.3: value 1's sets are active again here
                g0, g1 = initial_g0, initial_g1
                parts.append(chr(byte))
                position += 1
                continue
            end = position + 1
            if byte < 0x80:
                while end < length and 0x20 <= raw[end] < 0x80:
                    if raw[end] in delimiter_bytes and not g0.multi_byte:
                        break
                    end += 1
                element = g0
            else:
                while end < length and raw[end] >= 0x80:
                    end += 1
                borrowed = designated_g1 or self._fallback_g1
                if g1 is not None:
                    element = g1
                elif borrowed is not None:
                    element = borrowed
                    problems.append(
                        f"Bytes {raw[position:end]!r} follow a reset point without "
                        f"an escape sequence (PS3.5 6.1.2.5.3); read as "
                        f"{element.registration}"
                    )
                else:
                    # G1 undefined: the default repertoire's lenient reading
                    parts.append(raw[position:end].decode("latin_1"))
                    position = end
                    continue
            run = raw[position:end]
            try:
                parts.append(element.decode(run, "strict"))
            except UnicodeDecodeError as exc:
                problems.append(self._invalid_bytes(exc, element.registration))
                parts.append(element.decode(run, "replace"))
            position = end
        return "".join(parts)

    # -- encoding --------------------------------------------------------------

    def encode(self, text: str, vr: str = "", *, replace: bool = False) -> bytes:
        """The bytes of ``text`` in this character set, with the escape
        sequences code extensions need, chosen as PS3.5 Annexes H, I and K
        show: a set is designated just before the first character that needs
        it, and value 1's sets are restored before each reset point and at the
        end.

        Raises :class:`UnencodableCharacterError` for a character no declared
        set holds, or writes ``?`` for it when ``replace``.
        """
        if self.whole_codec is not None:
            try:
                return text.encode(self.whole_codec)
            except UnicodeEncodeError as exc:
                if not replace:
                    raise UnencodableCharacterError(
                        exc.object[exc.start], exc.start
                    ) from None
                return text.encode(self.whole_codec, "replace")
        if text.isascii() and self.initial[0] in (ISO_IR_6, ISO_IR_14):
            # G0 of value 1 holds every ASCII character: no escape needed
            return text.encode("ascii")
        if self.fast_codec is not None:
            try:
                return text.encode(self.fast_codec)
            except UnicodeEncodeError:
                pass  # some character needs another set, or none has it
        return self._encode_iso2022(text, _delimiters(vr), replace)

    def _encode_iso2022(self, text: str, delimiters: str, replace: bool) -> bytes:
        initial_g0, initial_g1 = self.initial
        g0, g1 = self.initial
        data = bytearray()

        def restore() -> None:
            if g0 is not initial_g0:
                data.extend(initial_g0.escape)
            if g1 is not initial_g1 and initial_g1 is not None:
                data.extend(initial_g1.escape)

        for position, char in enumerate(text):
            if char in delimiters or (char < " " and char != "\x1b"):
                restore()
                g0, g1 = initial_g0, initial_g1
                data.extend(char.encode("ascii"))
                continue
            encoded = g0.encode_char(char)
            if encoded is None and g1 is not None:
                encoded = g1.encode_char(char)
            if encoded is None and self.code_extensions:
                for element in self.elements:
                    encoded = element.encode_char(char)
                    if encoded is not None:
                        data.extend(element.escape)
                        if element.register == 0:
                            g0 = element
                        else:
                            g1 = element
                        break
            if encoded is None:
                if not replace:
                    raise UnencodableCharacterError(char, position)
                restore()
                g0, g1 = initial_g0, initial_g1
                encoded = b"?"
            data.extend(encoded)
        restore()
        return bytes(data)

    def first_unencodable(self, text: str, vr: str = "") -> str | None:
        """The first character of ``text`` this set cannot encode, or None."""
        try:
            self.encode(text, vr)
        except UnencodableCharacterError as exc:
            return exc.character
        return None


def _shown(raw: bytes) -> str:
    """A value's bytes for a message, cut short: UT values may be long."""
    return repr(raw) if len(raw) <= 64 else f"{raw[:64]!r}..."


def _delimiters(vr: str) -> str:
    if vr == "PN":
        return _PN_DELIMITERS
    if vr in _SINGLE_VALUED_VRS:
        return ""
    return "\\"


def _escape_at(raw: bytes, position: int) -> CodeElement | None:
    for size in _ESCAPE_LENGTHS:
        element = _BY_ESCAPE.get(raw[position : position + size])
        if element is not None:
            return element
    return None


#: The default repertoire: ISO-IR 6, with bytes above 0x7F read (and text
#: written) as ISO 8859-1, as non-conformant files need; without a declared
#: set, ESC is only a control character.
DEFAULT = CharacterSet((), (ISO_IR_6, None), whole_codec="latin_1")


def character_set(value: CharacterSet | str | Iterable[str] | None) -> CharacterSet:
    """The :class:`CharacterSet` a value of Specific Character Set (0008,0005)
    declares: a str (``"ISO_IR 100"``, ``"\\\\ISO 2022 IR 87"``), a list of
    terms as the element's value gives, or Python codec names.

    >>> character_set(["", "ISO 2022 IR 87"]).decode(b"\\x1b$B;3ED\\x1b(B")
    '山田'
    """
    if isinstance(value, CharacterSet):
        return value
    if not value:
        return DEFAULT
    if isinstance(value, str):
        terms = tuple(value.split("\\"))
    else:
        terms = tuple(str(term) for term in value)
    return _resolve(terms)


@functools.lru_cache(maxsize=256)
def _resolve(given: tuple[str, ...]) -> CharacterSet:
    terms = tuple(term.strip(" \x00") for term in given)
    if not any(terms):
        return DEFAULT
    quoted = repr("\\".join(given))
    several = len(terms) > 1
    problems: list[str] = []
    resolved: list[_Term | None] = []
    for index, term in enumerate(terms):
        entry: _Term | None = None
        if term:
            entry, problem = _lookup(term, several)
            if problem:
                problems.append(problem)
        elif index:
            problems.append(
                f"Specific Character Set {quoted} has an empty value {index + 1}; "
                "ignored"
            )
        resolved.append(entry)

    first = resolved[0]
    if first is not None and first.whole_codec is not None:
        if several:
            problems.append(
                f"Specific Character Set {quoted}: {terms[0]} allows no other "
                "value (PS3.3 C.12.1.1.2); the others are ignored"
            )
        return CharacterSet(
            terms,
            (ISO_IR_6, None),
            whole_codec=first.whole_codec,
            problems=tuple(problems),
        )

    # Value 1 (or the default repertoire when it is empty) is what every
    # value starts with and returns to at each reset point.
    initial_g0: CodeElement = ISO_IR_6
    initial_g1: CodeElement | None = None
    # Without a G1 set, bytes above 0x7F are ISO 8859-1 only for a single
    # value (the lenient default); with code extensions they need an escape.
    fast_codec: str | None = "ascii" if several else "latin_1"
    if first is not None:
        for element in first.elements:
            if element.register == 0 and not element.multi_byte:
                initial_g0 = element
            elif element.register == 1:
                initial_g1 = element
        if any(element.multi_byte for element in first.elements):
            problems.append(
                f"Specific Character Set {quoted}: {terms[0]} is a multi-byte "
                "set, allowed only as value 2 or later (PS3.3 Table C.12-4)"
            )
            fast_codec = None
        elif first.fast_codec is not None or initial_g1 is not None:
            fast_codec = first.fast_codec
        if first.fast_codec == "latin_1" and initial_g1 is None and several:
            fast_codec = "ascii"

    elements: list[CodeElement] = [initial_g0]
    for term, entry in zip(terms, resolved, strict=True):
        if entry is None:
            continue
        if entry.whole_codec is not None:
            problems.append(
                f"Specific Character Set {quoted}: {term} cannot be combined "
                "with other values (PS3.3 C.12.1.1.2); ignored"
            )
            continue
        if several and not entry.code_extensions and term != "ISO_IR 6":
            problems.append(
                f"Specific Character Set {quoted}: {term} needs its ISO 2022 "
                "form when there are several values (PS3.3 C.12.1.1.2); read "
                "as such"
            )
        for element in entry.elements:
            if element not in elements:
                elements.append(element)
    return CharacterSet(
        terms,
        (initial_g0, initial_g1),
        tuple(elements),
        code_extensions=several or (first is not None and first.code_extensions),
        fast_codec=fast_codec,
        problems=tuple(problems),
    )


def _lookup(term: str, several: bool) -> tuple[_Term | None, str | None]:
    """What ``term`` declares (None when nothing known), and what is wrong
    with how it is written."""
    if term in _TERMS:
        return _TERMS[term], None
    near = _NEAR_MISSES.get(_normalised(term))
    if near is not None:
        return _TERMS[near], (
            f"Specific Character Set value {term!r} is not a defined term "
            f"(PS3.3 C.12.1.1.2); read as {near!r}"
        )
    codec = _python_codec_name(term)
    if codec is not None:
        known = _PYTHON_CODEC_TERMS.get(codec)
        if known is not None:
            return _TERMS[known[1] if several else known[0]], None
        return _Term((), False, whole_codec=codec), (
            f"Specific Character Set value {term!r} is not a defined term "
            f"(PS3.3 C.12.1.1.2); read with Python's codec {codec!r}"
        )
    return None, (
        f"Specific Character Set value {term!r} is not a defined term "
        "(PS3.3 C.12.1.1.2); text is read as ISO 8859-1, keeping every byte"
    )


def names_character_set(value: str) -> bool:
    """Whether ``value`` names a DICOM character set: defined terms
    (backslash-separated), misspellings of them, or Python codecs that one of
    the sets uses, rather than some other Python codec.

    >>> names_character_set("ISO_IR 100"), names_character_set("utf_8")
    (True, True)
    >>> names_character_set("unicode_escape")
    False
    """
    several = "\\" in value
    for term in value.split("\\"):
        stripped = term.strip(" \x00")
        if not stripped:
            continue
        entry, _ = _lookup(stripped, several)
        if entry is None or not any(entry is known for known in _TERMS.values()):
            return False
    return True


def convert_encodings(encodings: str | Sequence[str] | None) -> list[str]:
    """The Python codec name for each value of Specific Character Set, as
    pydicom's function of this name gives them (``"ISO_IR 100"`` ->
    ``"latin_1"``). They are names for reference: code extensions need
    :class:`CharacterSet`, which every ``encodings`` parameter also accepts.

    >>> convert_encodings(["ISO_IR 100", "ISO 2022 IR 87"])
    ['latin_1', 'iso2022_jp']
    """
    if not encodings:
        return ["iso8859"]
    terms = [encodings] if isinstance(encodings, str) else list(encodings)
    names = []
    for term in terms:
        stripped = term.strip(" \x00")
        if stripped in _PYTHON_ENCODINGS:
            names.append(_PYTHON_ENCODINGS[stripped])
            continue
        entry, _ = _lookup(stripped, len(terms) > 1)
        defined = next((key for key, value in _TERMS.items() if value is entry), None)
        if defined is not None:
            names.append(_PYTHON_ENCODINGS[defined])
        elif entry is not None and entry.whole_codec is not None:
            names.append(entry.whole_codec)
        else:
            names.append("iso8859")
    return names
