"""A fake third-party plugin (entry point "fake-lossy-rgb"): another library
decoding the toy lossy format, which turns colour into RGB itself, at
priority 40 (below fake-lossy-ybr's 50) unless the user says otherwise."""

from __future__ import annotations

from collections.abc import Iterator

from dicomcore_fake_lossy import TOY_LOSSY, lsy1_samples

from dicomcore.pixels import DecodedFrame, Decoder, PixelLayout, hookimpl
from dicomcore.pixels.steps import ybr_full_to_rgb


def decode_rgb(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    samples = lsy1_samples(src, layout)
    if layout.samples_per_pixel != 3:
        return DecodedFrame(samples, layout.photometric_interpretation)
    return DecodedFrame(ybr_full_to_rgb(samples, layout.bits_stored), "RGB")


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="fake-lossy-rgb",
        transfer_syntaxes={TOY_LOSSY},
        decode=decode_rgb,
        priority=40,
    )
