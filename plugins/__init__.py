"""dicomcore's bundled codec plugins (installed as the package ``dicomcore_plugins``).

Each module here is an ordinary codec plugin: ``@hookimpl`` generators
``dicomcore_decoders`` / ``dicomcore_encoders`` yielding records, exactly as a
third-party plugin would.  The registry imports the modules listed in
:data:`BUNDLED` directly (not through entry points, which frozen applications
lose) before any third-party plugin.

Adding a bundled plugin is one line in :data:`BUNDLED`: plugin name (what
users pass as ``decoding_plugin=`` and put in ``DICOMCORE_BLOCK_PLUGINS``)
mapped to the module name in this package.  The planned ones, in the order
they should appear::

    "native": "native",
    "float": "float",
    "rle": "rle",
    "deflate": "deflate",
    "jpeg-lossless": "jpeg_lossless",
"""

from __future__ import annotations

#: plugin name -> module name in this package; only modules that exist.
BUNDLED: dict[str, str] = {}
BUNDLED.update({"native": "native", "float": "float"})
BUNDLED["rle"] = "rle"
BUNDLED["deflate"] = "deflate"
BUNDLED["jpeg-lossless"] = "jpeg_lossless"
BUNDLED["pylibjpeg"] = "pylibjpeg"
BUNDLED["openjpeg"] = "openjpeg"
BUNDLED["pylibjpeg-rle"] = "pylibjpeg_rle"
BUNDLED["pyjpegls"] = "pyjpegls"
BUNDLED["imagecodecs"] = "imagecodecs"
