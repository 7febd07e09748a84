"""Lossless codecs for an archive: size and speed on the benchmark CT series.

For each lossless transfer syntax with an installed encoder: the size of the
encoded frames against the native ones, and the time to encode and to decode
a frame (the codec records called directly, best of ``--rounds``), with
every frame checked to decode back exactly.  The table in
docs/tutorials/10-choose-a-codec-for-an-archive.md comes from this script.
Not a timed test and not one of ``benchmarks.run``'s workloads.

    python -m benchmarks.archive_codecs [--slices 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from benchmarks.corpus import COLUMNS, ROWS, ct_stored_values
from dicomcore.pixels import PixelLayout, decoders_for, encoders_for

#: (label, transfer syntax, encoder, options)
CODECS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("JPEG XL lossless", "1.2.840.10008.1.2.4.110", "imagecodecs-jpegxl-lossless", {}),
    (
        "JPEG XL lossless, effort 3",
        "1.2.840.10008.1.2.4.110",
        "imagecodecs-jpegxl-lossless",
        {"effort": 3},
    ),
    ("JPEG-LS lossless", "1.2.840.10008.1.2.4.80", "imagecodecs-jpegls-lossless", {}),
    ("HTJ2K lossless", "1.2.840.10008.1.2.4.201", "imagecodecs-htj2k-lossless", {}),
    (
        "JPEG 2000 lossless",
        "1.2.840.10008.1.2.4.90",
        "imagecodecs-jpeg2000-lossless",
        {},
    ),
    (
        "JPEG Lossless SV1",
        "1.2.840.10008.1.2.4.70",
        "imagecodecs-jpeg-lossless-sv1",
        {},
    ),
    ("RLE Lossless", "1.2.840.10008.1.2.5", "rle", {}),
)


def _best(run: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(slices: int, rounds: int) -> list[tuple[str, str, float, float, float]]:
    """(label, transfer syntax, ratio, ms to encode, ms to decode) per codec."""
    frames = [ct_stored_values(index).astype(np.int16) for index in range(slices)]
    layout = PixelLayout(
        rows=ROWS,
        columns=COLUMNS,
        bits_allocated=16,
        bits_stored=16,
        pixel_representation=1,
    )
    native = sum(frame.nbytes for frame in frames)
    rows = []
    for label, transfer_syntax, name, options in CODECS:
        (encoder,) = [e for e in encoders_for(transfer_syntax) if e.name == name]
        if encoder.missing() or encoder.supports(layout, options) is not None:
            continue
        encoded_layout = PixelLayout(
            rows=ROWS,
            columns=COLUMNS,
            bits_allocated=16,
            bits_stored=16,
            pixel_representation=1,
            transfer_syntax=transfer_syntax,
        )
        decoder = decoders_for(transfer_syntax, encoded_layout)[0]

        def encode(encoder: Any = encoder, options: dict = options) -> list[bytes]:
            return [encoder.encode(frame, layout, options) for frame in frames]

        encode_time, encoded = _best(encode, rounds)

        def decode(
            decoder: Any = decoder,
            encoded: list[bytes] = encoded,
            encoded_layout: PixelLayout = encoded_layout,
        ) -> list[Any]:
            return [decoder.decode(data, encoded_layout) for data in encoded]

        decode_time, decoded = _best(decode, rounds)
        for frame, result in zip(frames, decoded, strict=True):
            array = getattr(result, "array", result)
            np.testing.assert_array_equal(array, frame, err_msg=label)
        ratio = native / sum(len(data) for data in encoded)
        rows.append(
            (
                f"{label} ({decoder.name})",
                transfer_syntax,
                ratio,
                encode_time * 1000 / slices,
                decode_time * 1000 / slices,
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"{args.slices} CT slices, 512 x 512, signed 16-bit\n\n"
        "| codec (decoder) | transfer syntax | compression ratio | "
        "encode ms/frame | decode ms/frame |\n| --- | --- | --- | --- | --- |"
    )
    for label, transfer_syntax, ratio, encode_ms, decode_ms in measure(
        args.slices, args.rounds
    ):
        print(
            f"| {label} | {transfer_syntax} | {ratio:.2f} | {encode_ms:.1f} | "
            f"{decode_ms:.1f} |"
        )


if __name__ == "__main__":
    main()
