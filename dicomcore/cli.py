"""The ``dicomcore`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _show(arguments: argparse.Namespace) -> int:
    from dicomcore.io.reader import dcmread

    dataset = dcmread(
        arguments.file,
        force=arguments.force,
        stop_before_pixels=arguments.stop_before_pixels,
    )
    if arguments.json:
        print(dataset.to_json(dump_handler=_pretty_json))
        return 0
    if arguments.top:
        print(dataset.top())
    else:
        print(dataset)
    return 0


def _pretty_json(data: dict[str, object]) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False)


def _codecs(arguments: argparse.Namespace) -> int:
    from dicomcore.pixels.registry import format_codec_table

    print(format_codec_table())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dicomcore", description="Read, inspect and convert DICOM files."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    show = commands.add_parser("show", help="print a file's elements")
    show.add_argument("file", help="path of a DICOM file")
    show.add_argument(
        "--force", action="store_true", help="read files without preamble or file meta"
    )
    show.add_argument(
        "--stop-before-pixels", action="store_true", help="do not read Pixel Data"
    )
    show.add_argument(
        "--top", action="store_true", help="top level only, without sequence items"
    )
    show.add_argument(
        "--json", action="store_true", help="print the DICOM JSON model (PS3.18 F.2)"
    )
    show.set_defaults(handler=_show)

    codecs = commands.add_parser("codecs", help="list codec plugins")
    codecs.set_defaults(handler=_codecs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dicomcore`` console script."""
    from dicomcore.errors import DicomError

    arguments = _parser().parse_args(argv)
    try:
        return int(arguments.handler(arguments))
    except DicomError as exc:
        print(f"dicomcore: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"dicomcore: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
