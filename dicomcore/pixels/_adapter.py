"""What pydicom's per-transfer-syntax Encoder and Decoder objects share.

pydicom keeps one object per transfer syntax holding that syntax's plugins;
dicomcore keeps one registry of records. :class:`CodecView` is the registry
seen from one transfer syntax, the common part of the adapters in
``dicomcore.pixels.decoders.base`` and ``dicomcore.pixels.encoders.base``.
"""

from __future__ import annotations

from collections.abc import Sequence

from dicomcore.pixels._records import Decoder as DecoderRecord
from dicomcore.pixels._records import Encoder as EncoderRecord
from dicomcore.pixels.frames import NATIVE_TRANSFER_SYNTAXES

__all__ = ["CodecView", "uid_name"]


def uid_name(uid: str) -> str:
    """The registered name of ``uid`` where there is one, else the UID."""
    from dicomcore.uid import UID

    name = UID(uid).name
    return str(name) if name else uid


class CodecView:
    """The codecs of one transfer syntax, as pydicom describes them."""

    def __init__(self, uid: str) -> None:
        from dicomcore.uid import UID

        self._uid = UID(str(uid))

    def _records(self) -> Sequence[DecoderRecord | EncoderRecord]:
        raise NotImplementedError

    @property
    def UID(self) -> str:  # noqa: N802 - pydicom's name
        """The transfer syntax, a :class:`dicomcore.uid.UID`."""
        return self._uid

    @property
    def is_native(self) -> bool:
        """True for the native (uncompressed) transfer syntaxes."""
        return str(self._uid) in NATIVE_TRANSFER_SYNTAXES

    @property
    def is_encapsulated(self) -> bool:
        """True for the transfer syntaxes whose pixel data is encapsulated."""
        return not self.is_native

    @property
    def available_plugins(self) -> tuple[str, ...]:
        """Names of the codecs that can run now (nothing missing), sorted."""
        return tuple(sorted(r.name for r in self._records() if not _missing(r)))

    @property
    def missing_dependencies(self) -> list[str]:
        """``"name - requires a, b"`` for each codec lacking packages."""
        return [
            f"{r.name} - requires {', '.join(missing)}"
            for r in self._records()
            if (missing := _missing(r))
        ]

    @property
    def is_available(self) -> bool:
        """True when at least one codec for the transfer syntax can run."""
        return bool(self.available_plugins)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} for {uid_name(str(self._uid))}>"


def _missing(record: DecoderRecord | EncoderRecord) -> list[str]:
    try:
        return list(record.missing())
    except Exception:  # noqa: BLE001 - a plugin's self-check failing means unusable
        return ["(its dependency check failed)"]
