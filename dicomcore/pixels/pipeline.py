"""The decoding pipeline: frame source, one codec per frame, then the post-steps.

For each frame: its bytes come from a frame source (:mod:`.frames`), the
decoder chosen by the registry decodes them, and the pipeline runs what the
decoder did not do (see :class:`~dicomcore.pixels.DecodedFrame`):

1. unpack 1-bit pixels (least significant bit first, PS3.5 8.1.1);
2. clear or sign-extend the bits above Bits Stored;
3. YBR_FULL (and upsampled YBR_FULL_422) to RGB, when ``as_rgb``.

Several frames are decoded straight into one preallocated array, so an
image never exists twice in memory.  ``view_only`` returns the codec's view
of the source, read-only, when no step has to change a value: of the value
in memory for a dataset held in memory; from a path, of the buffer the
frames were read into (the file is never mapped, so truncating it later
cannot fault an array handed out).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import numpy as np

from dicomcore import config
from dicomcore.errors import CodecError, LimitError
from dicomcore.pixels._records import DecodedFrame
from dicomcore.pixels.frames import (
    EncapsulatedFrames,
    NativeFrames,
    batched_frames,
    open_frames,
)
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.registry import choose_decoders, decode_frame
from dicomcore.pixels.steps import (
    apply_bits_stored,
    unused_bits_clean,
    ybr_full_to_rgb,
)

__all__ = ["DecodeOptions", "Pipeline", "full_resolution"]

logger = logging.getLogger("dicomcore.pixels.pipeline")

_YBR = frozenset({"YBR_FULL", "YBR_FULL_422"})


def full_resolution(photometric: str) -> str:
    """What a decoded frame of ``photometric`` data holds: decoders return
    every sample of every pixel, so YBR_FULL_422 data comes back YBR_FULL."""
    return "YBR_FULL" if photometric == "YBR_FULL_422" else photometric


@dataclass(frozen=True)
class DecodeOptions:
    """What the caller asked for, in pydicom 3's terms.

    ``raw``: no processing beyond decoding, as pydicom 3 means it: no colour
    conversion (1-bit unpacking, YBR_FULL_422 upsampling and the Bits Stored
    correction still happen; the last is turned off with
    ``correct_unused_bits=False``).  ``as_rgb``: YBR_FULL and YBR_FULL_422 to
    RGB.  ``view_only``: a read-only view of the source where no step has to
    change a value.  ``decoding_plugin``: a decoder or plugin name.
    """

    raw: bool = False
    as_rgb: bool = True
    view_only: bool = False
    correct_unused_bits: bool = True
    decoding_plugin: str | None = None

    @classmethod
    def build(
        cls,
        *,
        raw: bool = False,
        as_rgb: bool = True,
        view_only: bool = False,
        decoding_plugin: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> DecodeOptions:
        """Options from keyword arguments; ``options`` are the extra ones.

        Extra options understood: ``correct_unused_bits`` (and
        ``transfer_syntax_uid``, taken by the caller).  Anything else raises
        TypeError, so a misspelt option is not silently ignored.
        """
        if not options:
            key = (raw, as_rgb, view_only, decoding_plugin)
            built = _BUILT.get(key)
            if built is None:
                built = _BUILT[key] = cls(
                    raw=bool(raw),
                    as_rgb=bool(as_rgb),
                    view_only=bool(view_only),
                    decoding_plugin=decoding_plugin or None,
                )
            return built
        extra = dict(options)
        correct = extra.pop("correct_unused_bits", True)
        extra.pop("transfer_syntax_uid", None)
        if extra:
            raise TypeError(
                "unexpected decoding option(s): "
                + ", ".join(sorted(extra))
                + "; dicomcore understands raw, as_rgb, view_only, "
                "decoding_plugin and correct_unused_bits"
            )
        return cls(
            raw=bool(raw),
            as_rgb=bool(as_rgb),
            view_only=bool(view_only),
            correct_unused_bits=bool(correct),
            decoding_plugin=decoding_plugin or None,
        )


# Options built without extra ones, by their arguments: the same few are
# asked for on every call (the options are frozen, so one serves all).
_BUILT: dict[tuple[Any, ...], DecodeOptions] = {}


def _address(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])


def _views(array: np.ndarray, src: Any) -> bool:
    """True when ``array`` may share memory with the frame's source bytes."""
    if isinstance(src, np.ndarray):
        return bool(np.may_share_memory(array, src))
    try:
        return bool(np.may_share_memory(array, np.frombuffer(src, np.uint8)))
    except (TypeError, ValueError):  # an empty or odd buffer: nothing to share
        return False


class Pipeline:
    """Decodes the frames of one dataset's pixel element.

    Use as a context manager, or call :meth:`close`: a pipeline may hold an
    open file.  Arrays it returned stay valid after.
    """

    def __init__(
        self,
        ds: Any,
        options: DecodeOptions,
        layout: PixelLayout | None = None,
    ) -> None:
        self.layout = PixelLayout.from_dataset(ds) if layout is None else layout
        self.options = options
        # fail before touching the data when no decoder can be used
        self.decoders = choose_decoders(self.layout, options.decoding_plugin)
        self.source: NativeFrames | EncapsulatedFrames = open_frames(ds, self.layout)
        if self.source.layout is not self.layout:
            # the source changed what the decoder is handed (see NativeFrames)
            self.decoders = choose_decoders(self.source.layout, options.decoding_plugin)

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.source.close()

    # -- one frame -------------------------------------------------------------

    def _decode(self, index: int, src: Any = None) -> tuple[DecodedFrame, Any]:
        if src is None:
            src = self.source.frame(index)
        decoded = decode_frame(
            src,
            self.source.layout,
            index,
            self.options.decoding_plugin,
            self.decoders,
        )
        return decoded, src

    def _steps(self, decoded: DecodedFrame) -> tuple[bool, bool, bool]:
        """(unpack bits, apply Bits Stored, YBR to RGB) for this decoded frame."""
        layout = self.layout
        options = self.options
        array = decoded.array
        unpack = layout.bits_allocated == 1 and array.ndim == 1
        mask = (
            options.correct_unused_bits
            and not decoded.bits_stored_applied
            and not layout.is_float
            and layout.bits_allocated > 1
            and layout.bits_stored < array.dtype.itemsize * 8
        )
        to_rgb = (
            options.as_rgb
            and not options.raw
            and decoded.photometric_interpretation in _YBR
            and layout.samples_per_pixel == 3
        )
        return unpack, mask, to_rgb

    def _finish(
        self, decoded: DecodedFrame, src: Any, out: np.ndarray | None = None
    ) -> np.ndarray:
        """The frame after the post-steps, in ``out`` when given."""
        layout = self.layout
        unpack, mask, to_rgb = self._steps(decoded)
        array = decoded.array
        if mask and unused_bits_clean(array, layout.bits_stored):
            mask = False  # nothing to clear or extend: no value changes
        if unpack:
            bits = np.unpackbits(
                array, count=layout.pixels_per_frame, bitorder="little"
            ).reshape(layout.frame_shape)
            if out is None:
                return bits
            out[...] = bits
            return out
        if out is not None:
            if _address(array) != _address(out) or array.strides != out.strides:
                np.copyto(out, array)
            result = out
        elif self.options.view_only and not (mask or to_rgb) and _views(array, src):
            if array.flags.writeable:
                array = array.view()
                array.flags.writeable = False
            return array
        elif array.flags.writeable and (
            (isinstance(self.source, NativeFrames) and self.source.owned)
            or not _views(array, src)
        ):
            # a new array (the codec's, or a view of a buffer read for this
            # frame alone): use it rather than copy it again
            result = array if array.flags.c_contiguous else np.ascontiguousarray(array)
        else:
            result = np.array(array, order="C")
        if self.options.view_only:
            logger.info(
                "view_only: frame copied because %s",
                "it needs Bits Stored correction or colour conversion"
                if (mask or to_rgb)
                else "the codec does not return a view of its input",
            )
        if mask:
            apply_bits_stored(result, layout.bits_stored)
        if to_rgb:
            ybr_full_to_rgb(result, layout.bits_stored, out=result)
        return result

    def _changes(self, decoded: DecodedFrame) -> bool:
        """Whether a post-step changes a value of ``decoded``."""
        unpack, mask, to_rgb = self._steps(decoded)
        if mask and unused_bits_clean(decoded.array, self.layout.bits_stored):
            mask = False
        return unpack or mask or to_rgb

    def _check_index(self, index: int) -> None:
        frames = self.layout.number_of_frames
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"a frame index must be an int, not {index!r}")
        if index < 0:
            raise ValueError(f"a frame index must be 0 or more, not {index}")
        if index >= frames:
            raise IndexError(
                f"frame index {index} is out of range: the image has {frames} frame(s)"
            )

    def _check_length(self, frames_needed: int, whole: bool) -> None:
        if isinstance(self.source, NativeFrames):
            self.source.check_length(frames_needed, whole)

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` alone, shape (rows, columns[, samples])."""
        self._check_index(index)
        self._check_length(int(index) + 1, whole=False)
        decoded, src = self._decode(int(index))
        return self._finish(decoded, src)

    def _check_out(self, out: np.ndarray) -> None:
        layout = self.layout
        dtype = np.dtype(np.uint8) if layout.bits_allocated == 1 else layout.dtype
        if (
            not isinstance(out, np.ndarray)
            or out.shape != layout.frame_shape
            or out.dtype != dtype
            or not out.flags.c_contiguous
            or not out.flags.writeable
        ):
            got = (
                f"{out.shape} {out.dtype}"
                if isinstance(out, np.ndarray)
                else type(out).__name__
            )
            raise ValueError(
                f"out must be a writeable C-contiguous array of shape "
                f"{layout.frame_shape} and dtype {dtype}, not {got}"
            )

    def _read_into(self, index: int, out: np.ndarray) -> memoryview | None:
        """Frame ``index``'s bytes read straight into ``out``, when they are
        native, in a file and exactly as long as ``out``; else None."""
        source = self.source
        if (
            isinstance(source, NativeFrames)
            and source.regular
            and source.frame_bytes == out.nbytes
            and hasattr(source.data, "read_into")
        ):
            raw = out.reshape(-1).view(np.uint8).data
            source.data.read_into(index * source.frame_bytes, raw)
            return raw
        return None

    def _frame_into(self, index: int, out: np.ndarray, src: Any = None) -> np.ndarray:
        """Frame ``index`` decoded and finished in ``out`` (from ``src`` when
        its bytes were fetched already).  Its source bytes and the codec's
        array are released on return, before the next frame is read (a
        loop's variables would keep them alive until then)."""
        if src is None:
            src = self._read_into(index, out)
        decoded, src = self._decode(index, src)
        return self._finish(decoded, src, out)

    def frames(
        self, indices: Iterable[int] | None = None, out: np.ndarray | None = None
    ) -> Iterator[np.ndarray]:
        """Each frame in ``indices`` (default: all, in order), one at a time.

        ``out``: every frame is written into this one array, which is what
        each step yields (its contents change at the next step).
        """
        if out is not None:
            self._check_out(out)
        if indices is None:
            wanted: Iterable[int] = range(self.layout.number_of_frames)
            self._check_length(self.layout.number_of_frames, whole=True)
        else:
            wanted = list(indices)
            for index in wanted:
                self._check_index(index)
            if wanted:
                self._check_length(max(wanted) + 1, whole=False)
        # From a file object or a URL, the frames come in batches fetched
        # together; from memory or a local file, each is read when decoded.
        batches = batched_frames(self.source, (int(index) for index in wanted))
        if out is not None:
            for index, src in batches:
                yield self._frame_into(index, out, src)
            return
        for index, src in batches:
            # nothing of frame k stays referenced here while it is out with
            # the caller, so decoding frame k + 1 is the only new memory
            yield self._finish(*self._decode(index, src))
            del src

    def photometric_of(self, decoded: DecodedFrame) -> str:
        """The Photometric Interpretation of ``decoded`` after the post-steps:
        the decoder's (at full resolution), or RGB when ``as_rgb`` converts it."""
        _, _, to_rgb = self._steps(decoded)
        return "RGB" if to_rgb else full_resolution(decoded.photometric_interpretation)

    def frames_with_photometric(self) -> Iterator[tuple[np.ndarray, str]]:
        """Every frame in order, one at a time, with the Photometric
        Interpretation it holds (what compress writes for the encoded image)."""
        count = self.layout.number_of_frames
        self._check_length(count, whole=True)
        for index, src in batched_frames(self.source, range(count)):
            decoded, src = self._decode(index, src)
            photometric = self.photometric_of(decoded)
            yield self._finish(decoded, src), photometric

    # -- every frame -----------------------------------------------------------

    def decode_into(self, out: np.ndarray) -> str:
        """Decode every frame into ``out`` (frames, rows, columns[, samples]) and
        return the Photometric Interpretation they hold.

        Raises :class:`~dicomcore.errors.CodecError` when frames decode to
        different interpretations (one image holds one).
        """
        count = self.layout.number_of_frames
        self._check_length(count, whole=True)
        photometric = ""
        for index, src in batched_frames(self.source, range(count)):
            decoded, src = self._decode(index, src)
            this = self.photometric_of(decoded)
            if index and this != photometric:
                raise CodecError(
                    f"frame {index} decodes to {this}, frame 0 to {photometric}",
                    frame_index=index,
                )
            photometric = this
            self._finish(decoded, src, out[index])
            del decoded, src  # not alive while the next frame is decoded
        return photometric

    def volume(self) -> np.ndarray:
        """All frames: (frames, rows, columns[, samples]), or one frame's shape
        when Number of Frames is 1."""
        layout = self.layout
        count = layout.number_of_frames
        self._check_length(count, whole=True)
        if count == 1:
            decoded, src = self._decode(0)
            return self._finish(decoded, src)
        if self.options.view_only:
            view = self._volume_view()
            if view is not None:
                return view
        shape = (count, *layout.frame_shape)
        nbytes = int(np.prod(shape)) * layout.dtype.itemsize
        limit = config.limits.max_decoded_bytes
        if nbytes > limit:
            raise LimitError(
                f"{count} frames of {layout.frame_shape} {layout.dtype} need "
                f"{nbytes} bytes, more than {limit}",
                limit="max_decoded_bytes",
            )
        source = self.source
        out = None
        stride = 0
        if (
            isinstance(source, NativeFrames)
            and source.regular
            and source.frame_bytes * count == nbytes
        ):
            stride = source.frame_bytes
            # The buffer a small file was read into for this call, or a new
            # array every frame's bytes are read into at once.
            out = source.own_array(shape, layout.dtype)
            if out is None:
                out = np.empty(shape, layout.dtype)
                if not source.read_frames_into(out.reshape(-1).view(np.uint8).data):
                    out = None
        if out is not None:
            # Every frame's bytes are in ``out`` already; a codec
            # returning a view decodes each frame where it already is, and
            # one that does not is copied over its own input, which numpy
            # does safely (a frame's bytes are exactly its output's).
            raw = out.reshape(-1).view(np.uint8).data
            changed = False
            for index in range(count):
                src = raw[index * stride : (index + 1) * stride]
                decoded, _ = self._decode(index, src)
                changed = changed or self._changes(decoded)
                self._finish(decoded, src, out[index])
            if self.options.view_only and not changed:
                # What view_only gives from a path: the bytes read from the
                # file, read-only as any view is (no map of the file).
                out.flags.writeable = False
            return out
        out = np.empty(shape, layout.dtype)
        for index, src in batched_frames(self.source, range(count)):
            self._frame_into(index, out[index], src)
        return out

    def _volume_view(self) -> np.ndarray | None:
        """Every frame as one read-only strided view of the source, if the codec
        returns views at a fixed stride and no step must change a value."""
        source = self.source
        if not isinstance(source, NativeFrames) or not source.regular:
            return None
        value = source.value
        if value is None:
            return None
        first, _ = self._decode(0)
        last, _ = self._decode(self.layout.number_of_frames - 1)
        unpack, mask, to_rgb = self._steps(first)
        if unpack or to_rgb or self._steps(last) != (unpack, mask, to_rgb):
            return None
        base = np.frombuffer(value, np.uint8)
        head, tail = first.array, last.array
        stride = source.frame_bytes
        count = self.layout.number_of_frames
        if not (np.may_share_memory(head, base) and np.may_share_memory(tail, base)):
            return None
        offset = _address(head) - _address(base)
        if (
            offset < 0
            or tail.strides != head.strides
            or tail.dtype != head.dtype
            or _address(tail) - _address(head) != (count - 1) * stride
        ):
            return None
        start = np.frombuffer(value, head.dtype, count=1, offset=offset)
        view = np.lib.stride_tricks.as_strided(
            start,
            shape=(count, *head.shape),
            strides=(stride, *head.strides),
            writeable=False,
        )
        if mask and not unused_bits_clean(view, self.layout.bits_stored):
            return None  # values must change: decoded into an array of its own
        return view
