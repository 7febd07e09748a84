"""The codec registry: which plugins exist, and which one handles a frame.

The plugin manager is built on first use and cached; :func:`register_plugin`
adds to it and :func:`reset_registry` throws it away (tests, or after changing
``DICOMCORE_NO_PLUGIN_AUTOLOAD`` / ``DICOMCORE_BLOCK_PLUGINS``).

Choosing a decoder: the decoders whose transfer syntaxes hold the layout's,
without missing packages or capabilities and whose ``supports`` accepts the
layout, by priority (highest first; then bundled, installed, registered by
hand; then by name).  The user's priorities,
``dicomcore.config.settings.plugin_priority`` over ``DICOMCORE_PLUGIN_PRIORITY``,
replace the records' own for the plugins or records they name.
:func:`decode_frame` tries them in that order and falls back to the next
when one fails.  Choosing an encoder is the same without the fallback, see
:func:`encode_frame`; an encoder that transcodes from the source's transfer
syntax is found by :func:`choose_transcoder`.

Plugins are named either by their record name (``Decoder.name``) or by their
plugin name (the entry-point name); for a plugin with one codec these are
usually the same.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import numpy as np
import pluggy

from dicomcore import config
from dicomcore.errors import CodecError, LimitError, NoCodecError, PixelDataError
from dicomcore.pixels import _manager
from dicomcore.pixels._manager import (
    PRIORITY_ENV,
    BrokenPlugin,
    CodecPluginManager,
    PluginError,
    PluginLoadWarning,
    Registered,
)
from dicomcore.pixels._records import DecodedFrame, Decoder, Encoder
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.pydicom_plugins import pydicom_counterpart

__all__ = [
    "BrokenPlugin",
    "CodecRow",
    "CodecTable",
    "DecodeFailedError",
    "PluginError",
    "PluginLoadWarning",
    "broken_plugins",
    "choose_decoders",
    "choose_encoder",
    "choose_transcoder",
    "plugin_priorities",
    "codec_table",
    "decode_frame",
    "decoders_for",
    "encode_frame",
    "encoders_for",
    "format_codec_table",
    "get_plugin_manager",
    "register_plugin",
    "reset_registry",
    "transcode_frame",
    "transfer_syntax_label",
]

logger = logging.getLogger("dicomcore.pixels.registry")

_lock = threading.RLock()
_manager_instance: CodecPluginManager | None = None

_EMPTY_OPTIONS: Final[Mapping[str, Any]] = {}

RecordT = TypeVar("RecordT", Decoder, Encoder)


# -- the cached manager -----------------------------------------------------


def _codec_manager() -> CodecPluginManager:
    global _manager_instance
    with _lock:
        if _manager_instance is None:
            _manager_instance = CodecPluginManager.build()
        return _manager_instance


def _catalog() -> _manager.Catalog:
    with _lock:
        catalog = _codec_manager().catalog()
    catalog.raise_for_clashes()
    return catalog


_SETTING: Final = "dicomcore.config.settings.plugin_priority"


def _setting_priorities() -> dict[str, int]:
    setting = config.settings.plugin_priority
    if not isinstance(setting, Mapping):
        raise PluginError(
            f"{_SETTING} must be a dict of name to priority, got {setting!r}"
        )
    for name, priority in setting.items():
        if (
            not isinstance(name, str)
            or isinstance(priority, bool)
            or not isinstance(priority, int)
        ):
            raise PluginError(
                f"{_SETTING}: {name!r}: {priority!r} is not a name and an "
                "integer priority"
            )
    return dict(setting)


def plugin_priorities() -> dict[str, tuple[int, str]]:
    """The user's priorities: name -> (priority, where it was set).

    ``dicomcore.config.settings.plugin_priority`` is read at every call and
    wins over ``DICOMCORE_PLUGIN_PRIORITY``, which is read when the registry
    is built.  A name is a decoder or encoder name, or a plugin name (then
    every record of the plugin); a record name wins over its plugin's name.
    """
    with _lock:
        from_env = dict(_codec_manager().env_priorities)
    merged = {name: (value, PRIORITY_ENV) for name, value in from_env.items()}
    merged.update(
        (name, (value, _SETTING)) for name, value in _setting_priorities().items()
    )
    return merged


def _priorities() -> dict[str, int]:
    """plugin_priorities() without where each was set: what choosing asks
    for on every image."""
    setting = config.settings.plugin_priority
    with _lock:
        from_env = _codec_manager().env_priorities
    if type(setting) is dict and not setting:
        return from_env  # the default: nothing set to check or merge
    setting = _setting_priorities()
    if not from_env:
        return setting
    return {**from_env, **setting}


def get_plugin_manager() -> pluggy.PluginManager:
    """The pluggy manager holding every codec plugin (built on first use)."""
    return _codec_manager().pm


def register_plugin(plugin: object, name: str | None = None) -> str | None:
    """Register a codec plugin by hand and return its plugin name.

    ``plugin`` is a module or any object with ``@hookimpl`` functions;
    ``name`` defaults to the module's ``__name__``.  Its records are collected
    at once, so a bad record or a decoder/encoder name that another plugin
    already uses raises :class:`PluginError` here (and the plugin is not
    registered).  Returns None when ``name`` is blocked by
    ``DICOMCORE_BLOCK_PLUGINS``.

    Example::

        import my_codec
        dicomcore.pixels.register_plugin(my_codec, name="my-codec")
    """
    with _lock:
        return _codec_manager().register_by_hand(plugin, name)


def reset_registry() -> None:
    """Forget every plugin; the next query rebuilds the registry from scratch."""
    global _manager_instance
    with _lock:
        _manager_instance = None


def broken_plugins() -> list[BrokenPlugin]:
    """Plugins skipped because they failed to load, with their errors."""
    with _lock:
        return list(_codec_manager().catalog().broken)


# -- queries ------------------------------------------------------------------


def decoders_for(
    transfer_syntax: str, layout: PixelLayout | None = None
) -> list[Decoder]:
    """Decoders for ``transfer_syntax`` in the order they are tried.

    With ``layout``, only those that can decode it now: nothing missing and
    ``supports(layout)`` is None.
    """
    entries = _claiming(_catalog().decoders, str(transfer_syntax), _priorities())
    if layout is not None:
        entries = [e for e in entries if _decoder_refusal(e.record, layout) is None]
    return [entry.record for entry in entries]


def encoders_for(transfer_syntax: str) -> list[Encoder]:
    """Encoders producing ``transfer_syntax``, in the order they are chosen."""
    entries = _claiming(_catalog().encoders, str(transfer_syntax), _priorities())
    return [entry.record for entry in entries]


def choose_decoders(
    layout: PixelLayout, decoding_plugin: str | None = None
) -> list[Decoder]:
    """The decoders to try, in order, for frames of ``layout``.

    ``decoding_plugin`` restricts the choice to one plugin (by record or
    plugin name).  Raises :class:`~dicomcore.errors.NoCodecError` when none
    can be used; its text lists every candidate with the reason, the
    ``pip install`` that would help, and every plugin that failed to load.
    """
    catalog = _catalog()
    priorities = _priorities()
    key = ("decode", layout, decoding_plugin, tuple(sorted(priorities.items())))
    cached: list[Decoder] | None = catalog.choices.get(key)
    if cached is not None:
        return list(cached)
    chosen = _choose(
        "decoder",
        _manager.ordered(catalog.decoders, priorities),
        catalog.broken,
        layout.transfer_syntax,
        decoding_plugin,
        lambda record: _decoder_refusal(record, layout),
        _describe_layout(layout),
    )
    catalog.choices[key] = chosen
    return list(chosen)


def choose_encoder(
    layout: PixelLayout,
    transfer_syntax: str,
    options: Mapping[str, Any] | None = None,
    encoding_plugin: str | None = None,
) -> Encoder:
    """The encoder that will encode frames of ``layout`` into ``transfer_syntax``.

    ``options`` are passed to ``supports``; ``encoding_plugin`` names one
    plugin.  Raises :class:`~dicomcore.errors.NoCodecError` like
    :func:`choose_decoders`.
    """
    options = _EMPTY_OPTIONS if options is None else options
    catalog = _catalog()
    chosen = _choose(
        "encoder",
        _manager.ordered(catalog.encoders, _priorities()),
        catalog.broken,
        str(transfer_syntax),
        encoding_plugin,
        lambda record: _encoder_refusal(record, layout, options),
        _describe_layout(layout),
    )
    return chosen[0]


def choose_transcoder(
    layout: PixelLayout,
    transfer_syntax: str,
    options: Mapping[str, Any] | None = None,
    encoding_plugin: str | None = None,
) -> Encoder | None:
    """The encoder that turns frames of ``layout`` (encoded in
    ``layout.transfer_syntax``) into ``transfer_syntax`` without decoding
    them, or None when none can (then frames are decoded and encoded).

    Candidates: encoders of ``transfer_syntax`` whose ``transcodes_from``
    holds the source's transfer syntax, nothing missing, ``supports(layout,
    options)`` None; by priority, as encoders are chosen.  ``encoding_plugin``
    keeps only the one it names.
    """
    options = _EMPTY_OPTIONS if options is None else options
    source = layout.transfer_syntax
    entries = _claiming(_catalog().encoders, str(transfer_syntax), _priorities())
    for entry in entries:
        record = entry.record
        if encoding_plugin is not None and encoding_plugin not in (
            record.name,
            entry.plugin_name,
        ):
            continue
        if source not in record.transcodes_from:
            continue
        if _encoder_refusal(record, layout, options, transcoding=True) is None:
            return record
    return None


# -- decoding and encoding -------------------------------------------------------


class DecodeFailedError(CodecError):
    """Every decoder tried on a frame failed.

    ``tried`` names the decoders in the order they were tried; ``attempts``
    pairs each with the exception it raised.  ``plugin`` is the tried names
    joined by ", ".
    """

    def __init__(
        self,
        layout: PixelLayout,
        frame_index: int | None,
        attempts: Sequence[tuple[str, BaseException]],
    ) -> None:
        self.attempts = list(attempts)
        self.tried = [name for name, _ in attempts]
        super().__init__(
            f"cannot decode {transfer_syntax_label(layout.transfer_syntax)}",
            plugin=", ".join(self.tried),
            frame_index=frame_index,
        )
        details = [
            f"  {name}: {_exception_text(error)}" for name, error in self.attempts
        ]
        self.args = ("\n".join([str(self.args[0]), *details]),)


# Exceptions that end the program, never a codec's failure to wrap.
_NOT_CODEC_FAILURES = (KeyboardInterrupt, SystemExit, GeneratorExit)


def decode_frame(
    src: bytes | memoryview,
    layout: PixelLayout,
    frame_index: int | None = None,
    decoding_plugin: str | None = None,
    decoders: list[Decoder] | None = None,
) -> DecodedFrame:
    """Decode one frame with the first decoder that succeeds.

    ``src`` is the frame's data (native bytes, or an encapsulated frame's
    fragments joined); ``frame_index`` only labels errors.  A decoder that
    raises, or returns an array of the wrong shape or dtype, is logged at
    DEBUG level and the next one is tried; when all fail,
    :class:`DecodeFailedError` (a :class:`~dicomcore.errors.CodecError`)
    names each with its error.  A :class:`~dicomcore.errors.LimitError` is
    raised at once: a safety limit is not a reason to try another decoder.

    The result is always a :class:`DecodedFrame`; a bare array from the
    decoder becomes one with the layout's photometric interpretation and
    ``bits_stored_applied=False``.  ``decoders``: what
    :func:`choose_decoders` gave for ``layout`` and ``decoding_plugin``,
    chosen once by a caller decoding many frames.
    """
    attempts: list[tuple[str, BaseException]] = []
    if decoders is None:
        decoders = choose_decoders(layout, decoding_plugin)
    for decoder in decoders:
        logger.debug("frame %s: trying decoder %r", frame_index, decoder.name)
        try:
            return _checked_frame(decoder.decode(src, layout), layout)
        except (LimitError, *_NOT_CODEC_FAILURES):
            raise
        # A native codec's panic (pyo3's PanicException) derives from
        # BaseException, not Exception: it is a codec failure all the same.
        except BaseException as exc:  # noqa: BLE001
            logger.debug(
                "frame %s: decoder %r failed: %r", frame_index, decoder.name, exc
            )
            attempts.append((decoder.name, exc))
    raise DecodeFailedError(layout, frame_index, attempts) from attempts[-1][1]


def encode_frame(
    frame: np.ndarray,
    layout: PixelLayout,
    transfer_syntax: str,
    options: Mapping[str, Any] | None = None,
    frame_index: int | None = None,
    encoding_plugin: str | None = None,
) -> bytes:
    """Encode one frame with the encoder :func:`choose_encoder` picks.

    ``frame`` has the layout's frame shape and container dtype, samples
    interleaved (for Bits Allocated 1, one 0/1 value per uint8).  There is no
    fallback to another encoder: every frame of an image must come from the
    same one.  Any failure is raised as :class:`~dicomcore.errors.CodecError`
    naming the encoder and the frame (a LimitError passes unchanged).
    """
    if frame.shape != layout.frame_shape or frame.dtype != layout.dtype:
        raise PixelDataError(
            f"frame has shape {frame.shape} and dtype {frame.dtype}; the layout "
            f"needs shape {layout.frame_shape} and dtype {layout.dtype}"
        )
    options = _EMPTY_OPTIONS if options is None else options
    encoder = choose_encoder(layout, transfer_syntax, options, encoding_plugin)
    if encoder.encode is None:  # choose_encoder never picks one; for mypy
        raise PixelDataError(f"encoder {encoder.name!r} only transcodes")
    return _encoded_by(
        "encoding",
        "encode",
        lambda: encoder.encode(frame, layout, options),  # type: ignore[misc]  # checked above
        encoder,
        frame_index,
    )


def transcode_frame(
    src: bytes | memoryview,
    layout: PixelLayout,
    encoder: Encoder,
    options: Mapping[str, Any] | None = None,
    frame_index: int | None = None,
) -> bytes:
    """One frame's codestream ``src`` (of ``layout``) turned into the
    encoder's transfer syntax by its ``transcode``.

    Failures are raised as :class:`~dicomcore.errors.CodecError` naming the
    encoder and the frame, as in :func:`encode_frame`.
    """
    if encoder.transcode is None or layout.transfer_syntax not in (
        encoder.transcodes_from
    ):
        raise PixelDataError(
            f"encoder {encoder.name!r} does not transcode from "
            f"{transfer_syntax_label(layout.transfer_syntax)}"
        )
    options = _EMPTY_OPTIONS if options is None else options
    return _encoded_by(
        "transcoding",
        "transcode",
        lambda: encoder.transcode(src, layout, options),  # type: ignore[misc]  # checked above
        encoder,
        frame_index,
    )


def _encoded_by(
    activity: str,
    method: str,
    call: Callable[[], object],
    encoder: Encoder,
    frame_index: int | None,
) -> bytes:
    """The bytes ``call`` (an encoder's ``encode`` or ``transcode``)
    returns; any failure of the codec's is a CodecError naming the encoder
    and the frame (a LimitError passes unchanged)."""
    try:
        encoded = call()
    except (LimitError, *_NOT_CODEC_FAILURES):
        raise
    except CodecError as exc:
        if exc.plugin is not None:
            raise
        raise CodecError(
            f"{activity} failed: {exc}", plugin=encoder.name, frame_index=frame_index
        ) from exc
    except BaseException as exc:  # noqa: BLE001 - a codec's own types (panics too) are not ours to leak
        raise CodecError(
            f"{activity} failed: {_exception_text(exc)}",
            plugin=encoder.name,
            frame_index=frame_index,
        ) from exc
    if isinstance(encoded, (bytearray, memoryview)):
        encoded = bytes(encoded)
    if not isinstance(encoded, bytes):
        raise CodecError(
            f"{method} returned {type(encoded).__name__}, expected bytes",
            plugin=encoder.name,
            frame_index=frame_index,
        )
    return encoded


# -- the codec table -------------------------------------------------------------


@dataclass(frozen=True)
class CodecRow:
    """One line of the codec table."""

    name: str
    kind: str
    plugin: str
    provider: str
    #: The priority it is chosen by (the user's, where one is set).
    priority: int
    transfer_syntaxes: tuple[str, ...]
    #: "yes", "missing: <packages> -> pip install ..." or "no: <reason>"
    #: (an installed library without the capability).
    available: str
    #: The record's own priority.
    record_priority: int = 0
    #: Where the user set ``priority`` (None: the record's own).
    priority_source: str | None = None
    #: For an encoder: the transfer syntaxes it transcodes from.
    transcodes_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodecTable:
    """Everything ``dicomcore codecs`` shows."""

    rows: list[CodecRow]
    broken: list[BrokenPlugin]
    #: One message per decoder or encoder name claimed by several plugins.
    clashes: list[str]
    #: The user's priorities: name -> (priority, where it was set).
    priorities: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Plugins left out by DICOMCORE_BLOCK_PLUGINS: (name, provider).
    blocked: list[tuple[str, str]] = field(default_factory=list)


def codec_table() -> CodecTable:
    """Every decoder and encoder, the plugins that failed to load, name clashes."""
    with _lock:
        manager = _codec_manager()
        catalog = manager.catalog()
        blocked = [(plugin.name, plugin.provider) for plugin in manager.blocked]
    user = plugin_priorities()
    priorities = {name: value for name, (value, _) in user.items()}
    rows = [
        _row("decoder", entry, entry.record.transfer_syntaxes, user)
        for entry in _manager.ordered(catalog.decoders, priorities)
    ]
    rows += [
        _row("encoder", entry, [entry.record.transfer_syntax], user)
        for entry in _manager.ordered(catalog.encoders, priorities)
    ]
    return CodecTable(
        rows,
        list(catalog.broken),
        [clash.message for clash in catalog.clashes],
        user,
        blocked,
    )


def format_codec_table() -> str:
    """The codec table as text, for ``dicomcore codecs``.

    One line per decoder and encoder, in the order they are chosen: name,
    kind, plugin, provider (bundled, the distribution, or by hand), priority
    (marked "user" where the user set it, with the record's own), availability
    with the install command for what is missing or the capability an
    installed library lacks, and transfer syntaxes (keywords where known; an
    encoder's sources after "from").  Then the user's priorities, the blocked
    plugins, the plugins that failed to load with their errors, and any name
    clashes.
    """
    table = codec_table()
    header = (
        "name",
        "kind",
        "plugin",
        "provider",
        "priority",
        "available",
        "transfer syntaxes",
    )
    cells = [
        (
            row.name,
            row.kind,
            row.plugin,
            row.provider,
            _priority_cell(row),
            row.available,
            _syntaxes_cell(row),
        )
        for row in table.rows
    ]
    lines: list[str] = []
    if cells:
        widths = [
            max(len(cell) for cell in column)
            for column in zip(header, *cells, strict=True)
        ]
        rule = tuple("-" * width for width in widths)
        for line in [header, rule, *cells]:
            padded = (
                cell.ljust(width) for cell, width in zip(line, widths, strict=True)
            )
            lines.append("  ".join(padded).rstrip())
    else:
        lines.append("No codec plugins are registered.")
    if table.priorities:
        lines += ["", "Priorities set by the user:"]
        lines += [
            f"  {name}={value} ({source})"
            for name, (value, source) in sorted(table.priorities.items())
        ]
    if table.blocked:
        lines += ["", "Blocked plugins (DICOMCORE_BLOCK_PLUGINS):"]
        lines += [f"  {name} ({provider})" for name, provider in table.blocked]
    if table.broken:
        lines += ["", "Plugins that failed to load:"]
        lines += [
            f"  {plugin.name} ({plugin.provider}): {plugin.error}"
            for plugin in table.broken
        ]
    if table.clashes:
        lines += ["", "Name clashes (decoding and encoding fail until one is removed):"]
        lines += [f"  {message}" for message in table.clashes]
    return "\n".join(lines)


def transfer_syntax_label(uid: str) -> str:
    """The transfer syntax's keyword (e.g. ``RLELossless``) if known, else the UID."""
    try:
        from dicomcore.uid import UID  # layer 1-3 helper; may be absent in a slim build

        keyword = getattr(UID(uid), "keyword", "")
    except Exception:  # a label is never worth failing a table or an error message
        return uid
    return str(keyword) if keyword else uid


# -- helpers ---------------------------------------------------------------------


def _claims(record: Decoder | Encoder, transfer_syntax: str) -> bool:
    if isinstance(record, Decoder):
        return transfer_syntax in record.transfer_syntaxes
    return record.transfer_syntax == transfer_syntax


def _claiming(
    entries: list[Registered[RecordT]],
    transfer_syntax: str,
    priorities: Mapping[str, int] | None = None,
) -> list[Registered[RecordT]]:
    claiming = [entry for entry in entries if _claims(entry.record, transfer_syntax)]
    if priorities is None:
        return claiming
    return _manager.ordered(claiming, priorities)


def _install_hint(record: Decoder | Encoder, missing: list[str]) -> str:
    if record.extra:
        command = f'pip install "dicomcore[{record.extra}]"'
    else:
        command = "pip install " + " ".join(missing)
    return f"missing: {', '.join(missing)} -> {command}"


def _missing(record: Decoder | Encoder) -> str | None:
    """Why ``record`` cannot work here at all: absent packages (with the
    install command), or a capability the installed ones lack."""
    try:
        missing = list(record.missing())
    except Exception as exc:  # a plugin's self-check must not break the choice
        return f"missing() raised {_exception_text(exc)}"
    if missing:
        return _install_hint(record, missing)
    try:
        reason = record.missing_capability()
    except Exception as exc:  # as above
        return f"missing_capability() raised {_exception_text(exc)}"
    return None if reason is None else f"no: {reason}"


def _decoder_refusal(record: Decoder, layout: PixelLayout) -> str | None:
    reason = _missing(record)
    if reason is not None:
        return reason
    try:
        return record.supports(layout)
    except Exception as exc:  # as above
        return f"supports() raised {_exception_text(exc)}"


def _encoder_refusal(
    record: Encoder,
    layout: PixelLayout,
    options: Mapping[str, Any],
    transcoding: bool = False,
) -> str | None:
    reason = _missing(record)
    if reason is not None:
        return reason
    if record.encode is None and not transcoding:
        sources = ", ".join(
            transfer_syntax_label(uid) for uid in sorted(record.transcodes_from)
        )
        return f"encodes no pixels: it only transcodes from {sources}"
    try:
        return record.supports(layout, options)
    except Exception as exc:  # as above
        return f"supports() raised {_exception_text(exc)}"


def _choose(
    kind: str,
    entries: list[Registered[RecordT]],
    broken: list[BrokenPlugin],
    transfer_syntax: str,
    plugin_name: str | None,
    refusal: Callable[[RecordT], str | None],
    layout_text: str,
) -> list[RecordT]:
    label = transfer_syntax_label(transfer_syntax)
    if label != transfer_syntax:
        label = f"{label} ({transfer_syntax})"
    action = "decode" if kind == "decoder" else "encode to"
    claiming = _claiming(entries, transfer_syntax)
    broken_reasons = [
        (plugin.name, f"failed to load ({plugin.provider}): {plugin.error}")
        for plugin in broken
    ] + _blocked_reasons(kind, transfer_syntax, label)
    if plugin_name is not None:
        named = [e for e in entries if plugin_name in (e.record.name, e.plugin_name)]
        if not any(_claims(e.record, transfer_syntax) for e in named):
            # Perhaps pydicom's name for the job: "pylibjpeg" for JPEG 2000.
            counterpart = pydicom_counterpart(kind, plugin_name, transfer_syntax)
            if counterpart == "":
                plugin_name = None
            elif counterpart is not None:
                plugin_name = counterpart
                named = [
                    e for e in entries if plugin_name in (e.record.name, e.plugin_name)
                ]
    if plugin_name is not None:
        if not named:
            known = sorted({e.record.name for e in entries})
            raise NoCodecError(
                f"no {kind} plugin named {plugin_name!r}; {kind}s: "
                + (", ".join(known) or "none"),
                broken_reasons,
            )
        claiming = [e for e in named if _claims(e.record, transfer_syntax)]
        if not claiming:
            raise NoCodecError(
                f"{kind} plugin {plugin_name!r} cannot {action} {label}",
                [(e.record.name, f"does not {action} {label}") for e in named]
                + broken_reasons,
            )
    chosen: list[RecordT] = []
    refused: list[tuple[str, str]] = []
    for entry in claiming:
        reason = refusal(entry.record)
        if reason is None:
            chosen.append(entry.record)
        else:
            refused.append((entry.record.name, str(reason)))
    if not chosen:
        message = f"no {kind} can {action} {label} for {layout_text}"
        if not claiming:
            message = f"no {kind} is registered for {label}"
        raise NoCodecError(message, refused + broken_reasons)
    return chosen


def _blocked_reasons(
    kind: str, transfer_syntax: str, label: str
) -> list[tuple[str, str]]:
    """A candidate line for each blocked plugin that would handle the data.

    Called only on the way to a NoCodecError (it imports blocked plugins).
    """
    with _lock:
        manager = _codec_manager()
        blocked = list(manager.blocked)
    reasons: list[tuple[str, str]] = []
    action = "decode" if kind == "decoder" else "encode to"
    for plugin in blocked:
        decoders, encoders = manager.blocked_records(plugin)
        records: list[Decoder] | list[Encoder] = (
            decoders if kind == "decoder" else encoders
        )
        names = [r.name for r in records if _claims(r, transfer_syntax)]
        if names:
            reasons.append(
                (
                    plugin.name,
                    f"blocked by {_manager.BLOCK_ENV} ({plugin.provider}); its "
                    f"{kind} {', '.join(names)} would {action} {label}: remove "
                    f"{plugin.name!r} from {_manager.BLOCK_ENV} to use it",
                )
            )
    return reasons


def _checked_frame(result: object, layout: PixelLayout) -> DecodedFrame:
    if isinstance(result, DecodedFrame):
        frame = result
    elif isinstance(result, np.ndarray):
        frame = DecodedFrame(result, layout.photometric_interpretation)
    else:
        raise CodecError(
            f"decode returned {type(result).__name__}; expected a numpy array "
            "or a DecodedFrame"
        )
    array = frame.array
    if layout.bits_allocated == 1 and array.ndim == 1:
        # packed bits, see DecodedFrame
        expected_shape: tuple[int, ...] = (layout.frame_length,)
        expected_dtype = np.dtype(np.uint8)
    else:
        expected_shape, expected_dtype = layout.frame_shape, layout.dtype
    if array.shape != expected_shape or array.dtype != expected_dtype:
        raise CodecError(
            f"decode returned shape {array.shape} and dtype {array.dtype}; "
            f"expected shape {expected_shape} and dtype {expected_dtype}"
        )
    return frame


def _describe_layout(layout: PixelLayout) -> str:
    if layout.is_float:
        bits = f"float{layout.bits_allocated}"
    else:
        sign = "signed" if layout.is_signed else "unsigned"
        bits = f"{layout.bits_stored} of {layout.bits_allocated} bits {sign}"
    return (
        f"{layout.rows}x{layout.columns} {layout.photometric_interpretation}, "
        f"{layout.samples_per_pixel} sample(s), {bits}"
    )


def _exception_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _row(
    kind: str,
    entry: Registered[Any],
    transfer_syntaxes: Any,
    user: Mapping[str, tuple[int, str]],
) -> CodecRow:
    record = entry.record
    chosen_by = user.get(record.name) or user.get(entry.plugin_name)
    return CodecRow(
        name=record.name,
        kind=kind,
        plugin=entry.plugin_name,
        provider=entry.provider,
        priority=record.priority if chosen_by is None else chosen_by[0],
        transfer_syntaxes=tuple(sorted(transfer_syntaxes)),
        available=_missing(record) or "yes",
        record_priority=record.priority,
        priority_source=None if chosen_by is None else chosen_by[1],
        transcodes_from=tuple(sorted(getattr(record, "transcodes_from", ()))),
    )


def _priority_cell(row: CodecRow) -> str:
    if row.priority_source is None:
        return str(row.priority)
    return f"{row.priority} (user; record {row.record_priority})"


def _syntaxes_cell(row: CodecRow) -> str:
    text = ", ".join(transfer_syntax_label(uid) for uid in row.transfer_syntaxes)
    if row.transcodes_from:
        sources = ", ".join(transfer_syntax_label(uid) for uid in row.transcodes_from)
        text += f" (transcodes from {sources})"
    return text
