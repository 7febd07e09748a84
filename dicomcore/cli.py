"""The ``dicomcore`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _show(arguments: argparse.Namespace) -> int:
    if arguments.json:
        from dicomcore.io.reader import dcmread

        dataset = dcmread(
            arguments.file,
            force=arguments.force,
            stop_before_pixels=arguments.stop_before_pixels,
        )
        print(dataset.to_json(dump_handler=_pretty_json))
        return 0
    from dicomcore._show import show_text

    print(
        show_text(
            arguments.file,
            exclude_private=arguments.exclude_private,
            top=arguments.top,
            quiet=arguments.quiet,
            stop_before_pixels=arguments.stop_before_pixels,
        )
    )
    return 0


def _pretty_json(data: dict[str, object]) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False)


def _codecs(arguments: argparse.Namespace) -> int:
    from dicomcore.pixels.registry import format_codec_table

    print(format_codec_table())
    return 0


def _option(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` of --option; the value read as JSON when it parses
    (``jls_error=2``, ``j2k_cr=[20,10]``), else kept as text."""
    import json

    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def _storage_option(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` of --storage-option: ``true``/``false`` a bool, digits
    an int, anything else text (``anon=true``, ``endpoint_url=http://...``)."""
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    if value.lower() in ("true", "false"):
        return key.strip(), value.lower() == "true"
    if value.isdigit():
        return key.strip(), int(value)
    return key.strip(), value


def _list_transfer_syntaxes() -> None:
    from dicomcore.batch.names import available_names

    names = available_names()
    width = max(len(entry.name) for entry in names)
    for entry in names:
        lossy = "  (lossy)" if entry.lossy else ""
        print(f"{entry.name.ljust(width)}  {entry.uid}  {entry.description}{lossy}")


def _convert(arguments: argparse.Namespace) -> int:
    from dicomcore.batch import ConversionInterrupted, ConvertOptions, convert
    from dicomcore.batch.dask import connect  # imports Dask only when called
    from dicomcore.batch.names import resolve_transfer_syntax
    from dicomcore.batch.progress import ProgressBar

    if arguments.list:
        _list_transfer_syntaxes()
        return 0
    missing = [
        flag
        for flag, value in (
            ("SRC", arguments.sources),
            ("-o/--output", arguments.output),
            ("--to", arguments.to),
        )
        if not value
    ]
    if missing:
        print(f"dicomcore convert: {', '.join(missing)} required", file=sys.stderr)
        return 2
    try:
        transfer_syntax = resolve_transfer_syntax(arguments.to)
    except ValueError as exc:
        print(f"dicomcore convert: {exc}", file=sys.stderr)
        return 2
    options = ConvertOptions(
        encoder_options=dict(arguments.option),
        encoding_plugin=arguments.encoding_plugin,
        decoding_plugin=arguments.decoding_plugin,
        encapsulate_ext=arguments.extended_offset_table,
        generate_instance_uid={"auto": None, "new": True, "keep": False}[arguments.uid],
        overwrite=arguments.overwrite,
        storage_options=dict(arguments.storage_option),
    )
    client = connect(arguments.dask) if arguments.dask else None
    bar = (
        ProgressBar(sys.stderr) if not arguments.quiet and sys.stderr.isatty() else None
    )
    terminated = _stop_on_sigterm()
    try:
        report = convert(
            arguments.sources,
            arguments.output,
            transfer_syntax,
            workers=max(1, arguments.workers),
            report=arguments.report,
            progress=bar,
            options=options,
            client=client,
        )
    except ConversionInterrupted as interrupted:
        if bar is not None:
            bar.close()
        print(interrupted.report.summary(), file=sys.stderr)
        return 143 if terminated else 130
    except KeyboardInterrupt:  # before any file was started
        print("dicomcore convert: interrupted", file=sys.stderr)
        return 143 if terminated else 130
    except ValueError as exc:  # converting in place, a report path unusable
        print(f"dicomcore convert: {exc}", file=sys.stderr)
        return 2
    finally:
        _restore_sigterm(terminated)
        if client is not None:
            client.close()
    if bar is not None:
        bar.close()
    if not arguments.quiet:
        print(report.summary())
    return 0 if report.ok else 1


class _Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stopped as Ctrl-C stops, with the report."""


class _SigtermReceived(list[int]):
    """The SIGTERMs received (true once one came), and the handler before."""

    previous: object = None


def _stop_on_sigterm() -> _SigtermReceived:
    """Make SIGTERM stop a conversion as Ctrl-C does (the report is written,
    the workers stopped)."""
    import signal

    received = _SigtermReceived()

    def stop(signum: int, frame: object) -> None:
        received.append(signum)
        if len(received) == 1:  # a second one must not cut the cleanup short
            raise _Terminated

    try:
        received.previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:
        pass  # not the main thread (main() called from a thread): left as is
    return received


def _restore_sigterm(received: _SigtermReceived) -> None:
    import signal

    if received.previous is not None:
        signal.signal(signal.SIGTERM, received.previous)  # type: ignore[arg-type]  # a handler signal.signal gave back


def _render(arguments: argparse.Namespace) -> int:
    from dicomcore.io.reader import dcmread
    from dicomcore.render import render_frame, write_png

    dataset = dcmread(arguments.file)
    try:
        picture = render_frame(dataset, arguments.frame, arguments.window)
    except (IndexError, ValueError) as exc:  # e.g. a frame the image lacks
        print(f"dicomcore render: {exc}", file=sys.stderr)
        return 1
    write_png(arguments.output, picture)
    return 0


def _codify(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from dicomcore.dataset import Dataset
    from dicomcore.errors import DicomValueError
    from dicomcore.io.reader import dcmread
    from dicomcore.io.writer import atomic_write
    from dicomcore.util.codify import (
        code_file_from_dataset,
        element_at,
        split_filespec,
    )

    filename, element = split_filespec(arguments.filespec)
    source = Path(filename)
    dataset = dcmread(source, force=True)
    if element is not None:
        dataset = element_at(dataset, element)
        if not isinstance(dataset, Dataset):
            raise DicomValueError(
                f"codify can only code a Dataset, not a {type(dataset).__name__} "
                f"({element})"
            )
    if arguments.outfile:
        script = Path(arguments.outfile)
        bulk_file = script.with_suffix(".bulk")
    else:
        bulk_file = Path(f"{source.stem}_codify.bulk")
    save_as = arguments.save_as or None
    if save_as is None and element is None:
        save_as = str(source.with_name(f"{source.stem}_from_codify.dcm"))
    code = code_file_from_dataset(
        dataset,
        arguments.exclude_size,
        arguments.include_private,
        bulk_file=bulk_file,
        save_as=save_as,
    )
    if not arguments.outfile:
        sys.stdout.write(code)
        return 0
    atomic_write(script, lambda handle: handle.write(code.encode("utf-8")))
    print(f"Writing code to file '{script}'")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dicomcore", description="Read, inspect and convert DICOM files."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    show = commands.add_parser("show", help="print a file's elements")
    show.add_argument(
        "file",
        metavar="FILE[::ELEMENT]",
        help=(
            "path of a DICOM file, optionally with an element to show only, "
            "e.g. plan.dcm::BeamSequence[0].BeamName"
        ),
    )
    show.add_argument(
        "--force",
        action="store_true",
        help="read files without preamble or file meta (always done, except "
        "with --json)",
    )
    show.add_argument(
        "--stop-before-pixels", action="store_true", help="do not read Pixel Data"
    )
    show.add_argument(
        "-t",
        "--top",
        action="store_true",
        help="top level only, without sequence items",
    )
    show.add_argument(
        "-x",
        "--exclude-private",
        action="store_true",
        help="leave private elements out",
    )
    show.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="a summary: SOP class, patient, study, image size or RT plan beams",
    )
    show.add_argument(
        "--json", action="store_true", help="print the DICOM JSON model (PS3.18 F.2)"
    )
    show.set_defaults(handler=_show)

    codecs = commands.add_parser(
        "codecs",
        help="list codec plugins",
        description=(
            "List every decoder and encoder in the order they are tried, with "
            "priority (the user's from DICOMCORE_PLUGIN_PRIORITY or "
            "dicomcore.config.settings.plugin_priority, where set), "
            "availability and transfer syntaxes; then blocked plugins and "
            "plugins that failed to load."
        ),
    )
    codecs.set_defaults(handler=_codecs)

    convert = commands.add_parser(
        "convert",
        help="convert files and folders to another transfer syntax",
        description=(
            "Convert DICOM files, and the files under folders (recursively), "
            "into DST, keeping each folder's tree.  Outputs appear whole or "
            "not at all; sources are never changed; a rerun skips outputs "
            "already complete whose source is unchanged; files that are not "
            "DICOM are skipped.  Exit status 1 when any file failed, 130 "
            "after Ctrl-C and 143 after SIGTERM (the report is written)."
        ),
    )
    convert.add_argument("sources", nargs="*", metavar="SRC", help="files or folders")
    convert.add_argument(
        "-o",
        "--output",
        metavar="DST",
        help="destination folder, or URL (s3://bucket/prefix, gs://...)",
    )
    convert.add_argument(
        "--to",
        metavar="NAME",
        help=(
            "transfer syntax: explicit, implicit, big-endian, deflated, rle, "
            "jpeg-lossless (SV1), jpeg-ls, ..., a keyword or a UID "
            "(--list shows those available)"
        ),
    )
    convert.add_argument(
        "--list", action="store_true", help="list the transfer syntaxes and exit"
    )
    convert.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help=(
            "worker processes converting in parallel (default 1); a file that "
            "crashes its worker is retried once in a fresh one, then reported"
        ),
    )
    convert.add_argument(
        "--dask",
        metavar="SCHEDULER_ADDRESS",
        help=(
            "convert on the Dask cluster of this scheduler (tcp://host:8786) "
            "instead of local processes; every worker must see SRC and DST at "
            'the same paths (needs pip install "dicomcore[dask]")'
        ),
    )
    convert.add_argument(
        "--report", metavar="FILE", help="write a JSON report of every file"
    )
    convert.add_argument(
        "--option",
        type=_option,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an encoder option, e.g. jls_error=2 or j2k_cr=[20] (repeatable)",
    )
    convert.add_argument(
        "--storage-option",
        type=_storage_option,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=(
            "an option for the file system of URL sources and destination, e.g. "
            "anon=true or "
            "endpoint_url=http://127.0.0.1:9000 (repeatable; true/false and "
            "digits are read as a bool and an int)"
        ),
    )
    convert.add_argument(
        "--encoding-plugin", metavar="NAME", help="the encoder or plugin to use"
    )
    convert.add_argument(
        "--decoding-plugin", metavar="NAME", help="the decoder or plugin to use"
    )
    convert.add_argument(
        "--extended-offset-table",
        action="store_true",
        help="write the Extended Offset Table instead of the Basic one",
    )
    convert.add_argument(
        "--uid",
        choices=("auto", "new", "keep"),
        default="auto",
        help="SOP Instance UID: new when lossy (auto), always new, or kept",
    )
    convert.add_argument(
        "--overwrite",
        action="store_true",
        help="convert again files whose output is already complete",
    )
    convert.add_argument(
        "--quiet", action="store_true", help="no progress bar and no summary"
    )
    convert.set_defaults(handler=_convert)

    render = commands.add_parser(
        "render",
        help="write one frame as an 8-bit PNG",
        description=(
            "Write one frame as an 8-bit PNG: grey images through the Modality "
            "LUT, the VOI LUT or window (the file's first, or --window; else "
            "the frame's range) and the Presentation LUT (MONOCHROME1 shows "
            "inverted); colour images as RGB."
        ),
    )
    render.add_argument("file", help="path of a DICOM file")
    render.add_argument(
        "-o", "--output", required=True, metavar="PNG", help="the PNG to write"
    )
    render.add_argument(
        "--frame",
        type=int,
        default=0,
        metavar="K",
        help="the frame to render, 0 for the first (default 0)",
    )
    render.add_argument(
        "--window",
        type=float,
        nargs=2,
        metavar=("CENTER", "WIDTH"),
        help="the VOI window to use instead of the file's",
    )
    render.set_defaults(handler=_render)

    codify = commands.add_parser(
        "codify",
        help="write Python code that rebuilds a file's dataset",
        description=(
            "Write a Python script that rebuilds the dataset of a DICOM file "
            "with dicomcore and saves it. Binary values longer than "
            "--exclude-size bytes go to a side file beside the script "
            "(OUTFILE with the suffix .bulk, or NAME_codify.bulk in the working "
            "directory when the script goes to stdout), which the script reads."
        ),
    )
    codify.add_argument(
        "filespec",
        help="path of a DICOM file, or PATH::ELEMENT for one item of it "
        "(e.g. plan.dcm::BeamSequence[0])",
    )
    codify.add_argument(
        "outfile", nargs="?", help="the script to write (default: stdout)"
    )
    codify.add_argument(
        "-e",
        "--exclude-size",
        type=int,
        default=100,
        metavar="N",
        help="binary values longer than N bytes go to the side file (default 100)",
    )
    codify.add_argument(
        "-p",
        "--include-private",
        action="store_true",
        help="code private elements too (left out by default)",
    )
    codify.add_argument(
        "-s",
        "--save-as",
        metavar="SAVE_AS",
        help="where the script saves the dataset (default: NAME_from_codify.dcm "
        "beside the input; an item of PATH::ELEMENT is saved only when given)",
    )
    codify.set_defaults(handler=_codify)
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
