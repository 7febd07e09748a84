"""Building the codec plugin manager and collecting its records.

Private: the public surface is :mod:`dicomcore.pixels.registry`.

Order of registration: the bundled plugins (imported directly, never through
entry points, so that frozen applications keep them), then the entry-point
group ``dicomcore.codecs`` unless ``DICOMCORE_NO_PLUGIN_AUTOLOAD`` is set, then
whatever ``register_plugin`` adds.  ``DICOMCORE_BLOCK_PLUGINS`` blocks plugins
of any origin by name; the blocked bundled and entry-point plugins are
remembered (never imported) so that a ``NoCodecError`` can say which of them
would have handled the data.  ``DICOMCORE_PLUGIN_PRIORITY`` gives plugins or
records the user's priorities (see :func:`ordered`).

A plugin that cannot be used (its import fails, pluggy rejects it, its hook
raises or yields something that is not a valid record) is a *broken* plugin:
skipped with a :class:`PluginLoadWarning` and listed, with its error, by the
codec table and in every :class:`~dicomcore.errors.NoCodecError`.  The
exception is a plugin registered by hand: its author is at the keyboard, so
:class:`PluginError` is raised at the ``register_plugin`` call instead.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Final, Generic, TypeVar

import pluggy

from dicomcore.errors import DicomError
from dicomcore.pixels import hookspecs
from dicomcore.pixels._records import Decoder, Encoder

__all__ = [
    "BLOCK_ENV",
    "BUNDLED",
    "BY_HAND",
    "BUNDLED_PACKAGE",
    "ENTRY_POINT_GROUP",
    "NO_AUTOLOAD_ENV",
    "PRIORITY_ENV",
    "BlockedPlugin",
    "BrokenPlugin",
    "Catalog",
    "Clash",
    "CodecPluginManager",
    "PluginError",
    "PluginLoadWarning",
    "Registered",
    "effective_priority",
    "ordered",
    "parse_priorities",
]

ENTRY_POINT_GROUP: Final = "dicomcore.codecs"
NO_AUTOLOAD_ENV: Final = "DICOMCORE_NO_PLUGIN_AUTOLOAD"
BLOCK_ENV: Final = "DICOMCORE_BLOCK_PLUGINS"
PRIORITY_ENV: Final = "DICOMCORE_PLUGIN_PRIORITY"
#: The import name of the bundled plugins package (``plugins/`` in the source
#: tree); its ``BUNDLED`` maps plugin names to module names.
BUNDLED_PACKAGE = "dicomcore_plugins"

#: Provider labels for plugins that do not come from a distribution.
BUNDLED: Final = "bundled"
BY_HAND: Final = "by hand"

_FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})

RecordT = TypeVar("RecordT", Decoder, Encoder)


class PluginError(DicomError):
    """A codec plugin is unusable: an invalid record, or a name two plugins claim."""


class PluginLoadWarning(UserWarning):
    """A codec plugin failed to load and is skipped."""


@dataclass(frozen=True)
class BrokenPlugin:
    """A plugin that was skipped, and why."""

    name: str
    #: ``"bundled"``, ``"by hand"`` or the distribution ("name version").
    provider: str
    #: The error, as ``"ExceptionType: message"``.
    error: str


@dataclass(frozen=True)
class BlockedPlugin:
    """A plugin left out by ``DICOMCORE_BLOCK_PLUGINS``, and how to load it."""

    name: str
    provider: str
    #: Imports the plugin; called only to tell the user what it would do.
    load: Callable[[], object]


@dataclass(frozen=True)
class Registered(Generic[RecordT]):
    """A record with the plugin that yielded it."""

    record: RecordT
    plugin_name: str
    provider: str


@dataclass(frozen=True)
class Clash:
    """A decoder or encoder name yielded by more than one plugin."""

    kind: str
    record_name: str
    claimants: tuple[Registered[Any], ...]

    @property
    def message(self) -> str:
        providers = ", ".join(
            f"plugin {entry.plugin_name!r} ({entry.provider})"
            for entry in self.claimants
        )
        return (
            f"{self.kind} name {self.record_name!r} is provided by more than one "
            f"plugin: {providers}; uninstall one or block it with "
            f"{BLOCK_ENV}=<plugin name>"
        )


@dataclass
class Catalog:
    """Every record of every working plugin, sorted by priority (highest first)."""

    decoders: list[Registered[Decoder]]
    encoders: list[Registered[Encoder]]
    broken: list[BrokenPlugin]
    clashes: list[Clash]
    #: Filled by the registry: choices already made, by layout and options.
    choices: dict[Any, Any] = field(default_factory=dict)

    def raise_for_clashes(self, plugin_name: str | None = None) -> None:
        """Raise PluginError for every clash (involving ``plugin_name`` if given)."""
        if not self.clashes:
            return
        messages = [
            clash.message
            for clash in self.clashes
            if plugin_name is None
            or any(entry.plugin_name == plugin_name for entry in clash.claimants)
        ]
        if messages:
            raise PluginError("\n".join(messages))


def env_flag(name: str) -> bool:
    """True when environment variable ``name`` is set to anything but a false word."""
    return os.environ.get(name, "").strip().lower() not in _FALSE_WORDS


def env_blocked() -> list[str]:
    """Plugin names listed in ``DICOMCORE_BLOCK_PLUGINS`` (comma separated)."""
    return [
        name.strip()
        for name in os.environ.get(BLOCK_ENV, "").split(",")
        if name.strip()
    ]


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def parse_priorities(text: str, source: str = PRIORITY_ENV) -> dict[str, int]:
    """``"name=70,other=40"`` as ``{"name": 70, "other": 40}``.

    Raises PluginError, naming ``source``, when an item is not NAME=INTEGER.
    """
    priorities: dict[str, int] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, equals, value = item.partition("=")
        name = name.strip()
        try:
            number = int(value.strip()) if equals and name else None
        except ValueError:
            number = None
        if number is None:
            raise PluginError(
                f"{source}: {item.strip()!r} is not NAME=PRIORITY (a plugin or "
                "decoder/encoder name, an integer priority), e.g. "
                f'{PRIORITY_ENV}="imagecodecs=70,pylibjpeg=40"'
            )
        priorities[name] = number
    return priorities


def env_priorities() -> dict[str, int]:
    """The priorities of ``DICOMCORE_PLUGIN_PRIORITY``."""
    return parse_priorities(os.environ.get(PRIORITY_ENV, ""))


# At equal priority the order is deliberate, never an accident of names:
# bundled codecs (tested with dicomcore) first, then installed plugins, then
# plugins registered by hand.
def _origin_rank(provider: str) -> int:
    if provider == BUNDLED:
        return 0
    return 2 if provider == BY_HAND else 1


def effective_priority(entry: Registered[Any], priorities: Mapping[str, int]) -> int:
    """The priority ``entry`` is chosen by: the user's for its record name, else
    the user's for its plugin name, else the record's own."""
    name = entry.record.name
    if name in priorities:
        return priorities[name]
    return priorities.get(entry.plugin_name, entry.record.priority)


def ordered(
    entries: list[Registered[RecordT]], priorities: Mapping[str, int]
) -> list[Registered[RecordT]]:
    """``entries`` in the order they are tried: priority (highest first, the
    user's where given), then bundled before installed before registered by
    hand, then record name."""
    return sorted(
        entries,
        key=lambda entry: (
            -effective_priority(entry, priorities),
            _origin_rank(entry.provider),
            entry.record.name,
        ),
    )


def _sort_key(entry: Registered[Any]) -> tuple[int, int, str]:
    return (-entry.record.priority, _origin_rank(entry.provider), entry.record.name)


class CodecPluginManager:
    """A pluggy manager for the ``dicomcore`` hooks plus what dicomcore tracks.

    Built by :meth:`build`; the registry keeps one.
    """

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        #: plugin name -> provider label
        self.providers: dict[str, str] = {}
        self.broken: list[BrokenPlugin] = []
        self.blocked: list[BlockedPlugin] = []
        #: DICOMCORE_PLUGIN_PRIORITY, read when the manager is built.
        self.env_priorities: dict[str, int] = {}
        self._catalog: Catalog | None = None
        self._blocked_records: dict[str, tuple[list[Decoder], list[Encoder]]] = {}

    # -- building ----------------------------------------------------------

    @classmethod
    def build(cls) -> CodecPluginManager:
        """Register the bundled plugins and, unless disabled, the entry points."""
        manager = cls()
        manager.env_priorities = env_priorities()
        for name in env_blocked():
            manager.pm.set_blocked(name)
        manager._register_bundled()
        if not env_flag(NO_AUTOLOAD_ENV):
            manager._register_entry_points()
        manager._check_pending()
        return manager

    def _skip(self, name: str, provider: str, error: BaseException | str) -> None:
        self.broken.append(_broken(name, provider, error))

    def _register_bundled(self) -> None:
        try:
            package = importlib.import_module(BUNDLED_PACKAGE)
            bundled: Mapping[str, str] = package.BUNDLED
        except Exception as exc:  # a broken install must not stop reading files
            self._skip(BUNDLED_PACKAGE, BUNDLED, exc)
            return
        for name, module_name in bundled.items():
            if self.pm.is_blocked(name):
                self.blocked.append(
                    BlockedPlugin(
                        name,
                        BUNDLED,
                        _importer(f"{BUNDLED_PACKAGE}.{module_name}"),
                    )
                )
                continue
            try:
                module = importlib.import_module(f"{BUNDLED_PACKAGE}.{module_name}")
            except Exception as exc:  # e.g. a frozen app that left a module out
                self._skip(name, BUNDLED, exc)
                continue
            # pluggy rejecting a bundled module is our own bug: let it raise.
            self.pm.register(module, name=name)
            self.providers[name] = BUNDLED

    def _register_entry_points(self) -> None:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            name = entry_point.name
            dist = entry_point.dist
            provider = f"{dist.name} {dist.version}" if dist else "entry point"
            if self.pm.is_blocked(name):
                self.blocked.append(BlockedPlugin(name, provider, entry_point.load))
                continue
            if self.pm.has_plugin(name):
                self._skip(
                    name,
                    provider,
                    f"a plugin named {name!r} is already registered "
                    f"({self.providers.get(name, 'unknown')}); rename the entry "
                    f"point or block one with {BLOCK_ENV}",
                )
                continue
            try:
                plugin = entry_point.load()
                self.pm.register(plugin, name=name)
            except Exception as exc:  # a third party must not take the host down
                self._skip(name, provider, exc)
                continue
            self.providers[name] = provider

    def _check_pending(self) -> None:
        # check_pending reports one offending plugin at a time: drop it (or
        # raise, for bundled ones) and look again.
        while True:
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as exc:
                name = self.pm.get_name(exc.plugin) or repr(exc.plugin)
                provider = self.providers.get(name, BY_HAND)
                if provider == BUNDLED:
                    raise
                self.pm.unregister(name=name)
                self.providers.pop(name, None)
                self._skip(name, provider, exc)
            else:
                return

    # -- registering by hand ---------------------------------------------

    def register_by_hand(self, plugin: object, name: str | None) -> str | None:
        """Register ``plugin``; raise PluginError if it is unusable."""
        try:
            registered = self.pm.register(plugin, name=name)
        except ValueError as exc:
            existing = name or self.pm.get_canonical_name(plugin)
            provider = self.providers.get(existing)
            where = f" ({provider})" if provider else ""
            raise PluginError(
                f"cannot register plugin {existing!r}: a plugin of that name or "
                f"the same object is already registered{where}"
            ) from exc
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"cannot register plugin {name!r}: {exc}") from exc
        if registered is None:  # blocked by name
            return None
        self.providers[registered] = BY_HAND
        try:
            self.pm.check_pending()
            self._catalog = None
            self.catalog().raise_for_clashes(registered)
        except (pluggy.PluginValidationError, PluginError) as exc:
            self.pm.unregister(name=registered)
            del self.providers[registered]
            self._catalog = None
            if isinstance(exc, PluginError):
                raise
            raise PluginError(f"cannot register plugin {registered!r}: {exc}") from exc
        return registered

    # -- blocked plugins ----------------------------------------------------

    def blocked_records(
        self, plugin: BlockedPlugin
    ) -> tuple[list[Decoder], list[Encoder]]:
        """What a blocked plugin would yield; nothing if it cannot be loaded.

        Loaded only here, when an error is about to name the way out: a user
        may have blocked a plugin because importing it misbehaves.
        """
        if plugin.name not in self._blocked_records:
            try:
                records = _private_records(plugin.load())
            except Exception:  # a blocked plugin is not worth a failure
                records = ([], [])
            self._blocked_records[plugin.name] = records
        return self._blocked_records[plugin.name]

    # -- collecting records -------------------------------------------------

    def catalog(self) -> Catalog:
        """Collect every record, once until the next registration."""
        if self._catalog is None:
            self._catalog = self._collect()
        return self._catalog

    def _collect(self) -> Catalog:
        failures: list[BrokenPlugin] = []
        decoders = self._records(self.pm.hook.dicomcore_decoders, Decoder, failures)
        encoders = self._records(self.pm.hook.dicomcore_encoders, Encoder, failures)
        # A plugin is broken as a whole: drop what its other hook yielded.
        failed = {plugin.name for plugin in failures}
        decoders = [entry for entry in decoders if entry.plugin_name not in failed]
        encoders = [entry for entry in encoders if entry.plugin_name not in failed]
        decoders.sort(key=_sort_key)
        encoders.sort(key=_sort_key)
        clashes = _clashes("decoder", decoders) + _clashes("encoder", encoders)
        return Catalog(decoders, encoders, self.broken + failures, clashes)

    def _records(
        self,
        hook: pluggy.HookCaller,
        record_type: type[RecordT],
        broken: list[BrokenPlugin],
    ) -> list[Registered[RecordT]]:
        collected: list[Registered[RecordT]] = []
        # Each implementation is called on its own so that every record is
        # tied to the plugin that yielded it, and one failing plugin spoils
        # nothing else.
        for impl in hook.get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                continue  # wrappers surround calls; they yield no records
            name = impl.plugin_name
            provider = self.providers.get(name, BY_HAND)
            try:
                records = _validated(impl.function, record_type, hook.name)
            except Exception as exc:
                # Bundled plugins are ours and hand-registered ones are being
                # written right now: both should fail loudly.
                if provider in (BUNDLED, BY_HAND):
                    raise PluginError(
                        f"plugin {name!r} ({provider}): {_describe(exc)}"
                    ) from exc
                broken.append(_broken(name, provider, exc))
                continue
            collected.extend(Registered(record, name, provider) for record in records)
        return collected


def _importer(module_name: str) -> Callable[[], object]:
    def load() -> object:
        return importlib.import_module(module_name)

    return load


def _private_records(plugin: object) -> tuple[list[Decoder], list[Encoder]]:
    """The records ``plugin`` yields, through a manager of its own."""
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    name = manager.register(plugin)
    manager.check_pending()
    decoders: list[Decoder] = []
    encoders: list[Encoder] = []
    for impl in manager.hook.dicomcore_decoders.get_hookimpls():
        if impl.plugin_name == name:
            decoders += _validated(impl.function, Decoder, "dicomcore_decoders")
    for impl in manager.hook.dicomcore_encoders.get_hookimpls():
        if impl.plugin_name == name:
            encoders += _validated(impl.function, Encoder, "dicomcore_encoders")
    return decoders, encoders


# The folder of the dicomcore package: warnings point past every frame in it.
_PACKAGE_FOLDER: Final = str(Path(__file__).resolve().parents[1]) + os.sep


def _outside_stacklevel() -> int:
    """The ``stacklevel`` that names the first caller outside dicomcore.

    Counted from the function calling ``warnings.warn``.  Python 3.12's
    ``skip_file_prefixes`` does this, but dicomcore supports 3.10.
    """
    level = 1
    # frame 2: the caller of the function calling warn
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        level += 1
        filename = frame.f_code.co_filename
        try:
            inside = str(Path(filename).resolve()).startswith(_PACKAGE_FOLDER)
        except (OSError, ValueError):  # "<string>" and the like
            inside = False
        if not inside:
            return level
        frame = frame.f_back
    return level


def _broken(name: str, provider: str, error: BaseException | str) -> BrokenPlugin:
    text = error if isinstance(error, str) else _describe(error)
    warnings.warn(
        f"dicomcore codec plugin {name!r} ({provider}) is skipped: {text}",
        PluginLoadWarning,
        stacklevel=_outside_stacklevel(),
    )
    return BrokenPlugin(name, provider, text)


def _validated(
    function: Callable[[], Any], record_type: type[RecordT], hook_name: str
) -> list[RecordT]:
    result = function()
    if result is None or isinstance(result, (record_type, str, bytes)):
        raise TypeError(
            f"{hook_name} must yield {record_type.__name__} records, "
            f"returned {result!r}"
        )
    records = list(result)
    for record in records:
        if not isinstance(record, record_type):
            raise TypeError(
                f"{hook_name} must yield {record_type.__name__} records, "
                f"yielded {record!r}"
            )
    return records


def _clashes(kind: str, entries: list[Registered[Any]]) -> list[Clash]:
    by_name: dict[str, list[Registered[Any]]] = defaultdict(list)
    for entry in entries:
        by_name[entry.record.name].append(entry)
    return [
        Clash(kind, record_name, tuple(claimants))
        for record_name, claimants in sorted(by_name.items())
        if len(claimants) > 1
    ]
