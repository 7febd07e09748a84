"""The hook specifications every dicomcore codec plugin implements.

A plugin is a module (or any object) with functions marked ``@hookimpl``
named after the specifications below.  Each is a generator that yields
records::

    from dicomcore import hookimpl
    from dicomcore.pixels import Decoder

    @hookimpl
    def dicomcore_decoders():
        yield Decoder(name="mycodec", transfer_syntaxes={"1.2.3.4"}, decode=...)

The bundled plugins use the very same hooks; the core knows no codec.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from dicomcore.pixels._records import Decoder, Encoder

__all__ = [
    "PROJECT_NAME",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "hookimpl",
    "hookspec",
]

#: The pluggy project name; also the prefix of every hook.
PROJECT_NAME = "dicomcore"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def dicomcore_decoders() -> Iterable[Decoder]:
    """Yield the :class:`~dicomcore.pixels.Decoder` records this plugin provides.

    Called once per plugin the first time dicomcore needs to choose a decoder
    (and again only after ``register_plugin`` or ``reset_registry``), so it
    must be cheap: import heavy or optional packages inside ``decode`` and
    report absent ones through ``missing()`` instead of failing here.

    The records of every plugin are combined into one list; decoder names
    must be unique across all plugins.  For a frame, the decoders whose
    ``transfer_syntaxes`` hold its transfer syntax are tried by ``priority``
    (highest first; the user's priority where set), then bundled before
    installed before registered by hand, then by name.
    """
    raise NotImplementedError  # a specification has no body of its own


@hookspec
def dicomcore_encoders() -> Iterable[Encoder]:
    """Yield the :class:`~dicomcore.pixels.Encoder` records this plugin provides.

    Called like :func:`dicomcore_decoders`, with the same rules: cheap,
    combined across plugins, names unique among encoders.  For a target
    transfer syntax the first encoder, in the decoders' order, whose
    ``supports`` accepts the layout and options is used, unless the caller
    names one; from compressed data, an encoder whose ``transcodes_from``
    holds the source's transfer syntax goes before those taking pixels.
    """
    raise NotImplementedError  # a specification has no body of its own
