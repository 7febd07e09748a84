"""The hook specifications: names, signatures, markers."""

from __future__ import annotations

import inspect

import pluggy

from dicomcore.pixels import hookimpl, hookspec, hookspecs


def test_markers_belong_to_the_dicomcore_project() -> None:
    assert hookspecs.PROJECT_NAME == "dicomcore"
    assert hookspec.project_name == "dicomcore"
    assert hookimpl.project_name == "dicomcore"


def test_hooks_and_signatures() -> None:
    specs = {
        name: function
        for name, function in vars(hookspecs).items()
        if callable(function) and hasattr(function, "dicomcore_spec")
    }
    assert sorted(specs) == ["dicomcore_decoders", "dicomcore_encoders"]
    assert (
        str(inspect.signature(specs["dicomcore_decoders"]))
        == "() -> 'Iterable[Decoder]'"
    )
    assert (
        str(inspect.signature(specs["dicomcore_encoders"]))
        == "() -> 'Iterable[Encoder]'"
    )


def test_a_plugin_manager_accepts_the_specs() -> None:
    manager = pluggy.PluginManager("dicomcore")
    manager.add_hookspecs(hookspecs)
    assert manager.hook.dicomcore_decoders.has_spec()
    assert manager.hook.dicomcore_encoders.has_spec()
