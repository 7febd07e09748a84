#!/usr/bin/env python3
"""Regenerate the waveform test files in ``testfiles/waveforms/``.

Every ``.dcm`` here is written by DCMTK's ``dump2dcm`` from a text dump and
the raw Waveform Data of each multiplex group, made with seeded numpy; the big
endian copy is made from the ECG by ``dcmconv +tb``.  dicomcore writes none of
them.  ``manifest.json`` records, for every multiplex group, its layout and the
SHA-256 of its samples as this script wrote them (shape samples x channels, the
container type of the Waveform Sample Interpretation, little endian).

The files:

- ``ecg_12lead.dcm``: 12-Lead ECG Waveform Storage, two multiplex groups: 12
  leads of 2 s at 500 Hz (SS, 2.5 uV per unit, baselines and correction
  factors that differ by lead) and a 2 s rhythm strip at 250 Hz.
- ``ecg_12lead_bigendian.dcm``: the same in Explicit VR Big Endian.
- ``respiratory.dcm``: Respiratory Waveform Storage, flow and volume at 25 Hz
  (SL), and a 8-bit (UB) thoracic effort channel.
- ``audio_mulaw.dcm``: Basic Voice Audio Waveform Storage, 0.1 s of a 440 Hz
  tone at 8000 Hz, G.711 mu-law (MB).
- ``audio_alaw.dcm``: the same tone in stereo (the second channel an octave
  up), G.711 A-law (AB).
- ``all_interpretations.dcm``: ten multiplex groups of 3 channels and 7
  samples, one per Waveform Sample Interpretation (SB, UB, MB, AB, SS, US, SL,
  UL, SV, UV), with the extreme values of each type among random ones.

The mu-law and A-law codes of the tones come from Python's ``audioop``
(standard library up to Python 3.12), an encoder independent of dicomcore.

Usage::

    python testfiles/waveforms/make_waveform_files.py           # rewrite
    python testfiles/waveforms/make_waveform_files.py --check   # compare

UIDs are fixed, so two runs with the same DCMTK give identical files.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
UID_ROOT = "2.25.2026120601"  # fixed, so the files are reproducible
SOP_CLASSES = {
    "12-lead ECG": "1.2.840.10008.5.1.4.1.1.9.1.1",
    "General 32-bit ECG": "1.2.840.10008.5.1.4.1.1.9.1.4",
    "Respiratory": "1.2.840.10008.5.1.4.1.1.9.6.1",
    "Basic Voice Audio": "1.2.840.10008.5.1.4.1.1.9.4.1",
}
MODALITIES = {
    "12-lead ECG": "ECG",
    "General 32-bit ECG": "ECG",
    "Respiratory": "RESP",
    "Basic Voice Audio": "AU",
}
# container type of each Waveform Sample Interpretation (PS3.3 C.10.9.1.5)
SAMPLE_TYPES = {
    "SB": "int8", "UB": "uint8", "MB": "uint8", "AB": "uint8",
    "SS": "int16", "US": "uint16", "SL": "int32", "UL": "uint32",
    "SV": "int64", "UV": "uint64",
}  # fmt: skip


@dataclass
class Channel:
    label: str
    source: tuple[str, str, str]  # code value, scheme, meaning
    sensitivity: str | None = None
    units: tuple[str, str, str] = ("uV", "UCUM", "microvolt")
    correction: str = "1"
    baseline: str = "0"
    skew: str = "0"
    bits_stored: int | None = None


@dataclass
class Group:
    interpretation: str
    frequency: str
    samples: np.ndarray  # (samples, channels), of the interpretation's type
    channels: list[Channel]
    label: str
    vr: str = "OW"


@dataclass
class Spec:
    name: str
    description: str
    sop_class: str
    groups: list[Group]
    derived: dict[str, list[str]] = field(default_factory=dict)


def code_item(code: tuple[str, str, str]) -> list[str]:
    value, scheme, meaning = code
    return [
        f"(0008,0100) SH [{value}]",
        f"(0008,0102) SH [{scheme}]",
        f"(0008,0104) LO [{meaning}]",
    ]


def sequence(tag: str, items: list[list[str]]) -> list[str]:
    lines = [f"({tag}) SQ (Sequence with undefined length)"]
    for item in items:
        lines.append("(fffe,e000) na (Item with undefined length)")
        lines.extend(item)
        lines.append("(fffe,e00d) na (ItemDelimitationItem)")
    lines.append("(fffe,e0dd) na (SequenceDelimitationItem)")
    return lines


def channel_item(channel: Channel, number: int, bits_allocated: int) -> list[str]:
    lines = [f"(003a,0202) IS [{number}]"]
    lines += sequence("003a,0208", [code_item(channel.source)])
    if channel.sensitivity is not None:
        lines += [f"(003a,0210) DS [{channel.sensitivity}]"]
        lines += sequence("003a,0211", [code_item(channel.units)])
        lines += [
            f"(003a,0212) DS [{channel.correction}]",
            f"(003a,0213) DS [{channel.baseline}]",
        ]
    lines += [f"(003a,0215) DS [{channel.skew}]"]
    lines += [f"(003a,021a) US {channel.bits_stored or bits_allocated}"]
    lines += [f"(003a,0203) SH [{channel.label}]"]
    return lines


def dump_lines(spec: Spec, instance: int) -> tuple[list[str], dict[str, bytes]]:
    lines = [
        "(0002,0010) UI [1.2.840.10008.1.2.1]",
        f"(0008,0016) UI [{SOP_CLASSES[spec.sop_class]}]",
        f"(0008,0018) UI [{UID_ROOT}.{instance}]",
        "(0008,0020) DA [20261206]",
        "(0008,0023) DA [20261206]",
        "(0008,0030) TM [101112]",
        "(0008,0033) TM [101112]",
        "(0008,0050) SH [ACC0001]",
        f"(0008,0060) CS [{MODALITIES[spec.sop_class]}]",
        "(0008,0070) LO [dicomcore test corpus]",
        f"(0008,103e) LO [{spec.name}]",
        "(0010,0010) PN [Waveform^Test]",
        "(0010,0020) LO [DCWAVE001]",
        f"(0020,000d) UI [{UID_ROOT}.1000]",
        f"(0020,000e) UI [{UID_ROOT}.{1000 + instance}]",
        "(0020,0010) SH [STUDY1]",
        "(0020,0011) IS [1]",
        "(0020,0013) IS [1]",
    ]
    binaries: dict[str, bytes] = {}
    items = []
    for index, group in enumerate(spec.groups):
        bits_allocated = np.dtype(SAMPLE_TYPES[group.interpretation]).itemsize * 8
        raw_name = f"{spec.name}_group{index}.raw"
        data = group.samples.astype(group.samples.dtype.newbyteorder("<")).tobytes()
        binaries[raw_name] = data + b"\0" * (len(data) % 2)
        channels = []
        for number, channel in enumerate(group.channels, start=1):
            channels.append(channel_item(channel, number, bits_allocated))
        item = [
            "(0018,1068) DS [0]",  # Multiplex Group Time Offset
            "(003a,0004) CS [ORIGINAL]",
            f"(003a,0005) US {group.samples.shape[1]}",
            f"(003a,0010) UL {group.samples.shape[0]}",
            f"(003a,001a) DS [{group.frequency}]",
            f"(003a,0020) SH [{group.label}]",
            *sequence("003a,0200", channels),
            f"(5400,1004) US {bits_allocated}",
            f"(5400,1006) CS [{group.interpretation}]",
            f"(5400,1010) {group.vr} ={raw_name}",
        ]
        items.append(item)
    lines += sequence("5400,0100", items)
    return lines, binaries


# -- the signals -----------------------------------------------------------------


def heartbeat(time: np.ndarray, rate: float = 72.0) -> np.ndarray:
    """A synthetic ECG in millivolts: P, QRS and T as Gaussian bumps."""
    phase = (time * rate / 60.0) % 1.0
    waves = [(0.1, 0.2, 0.025), (0.25, -0.1, 0.01), (0.28, 1.2, 0.012),
             (0.31, -0.25, 0.01), (0.55, 0.3, 0.04)]  # fmt: skip
    return sum(
        height * np.exp(-(((phase - at) / width) ** 2) / 2)
        for at, height, width in waves
    )


LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
LEAD_CODES = [
    f"5.6.3-9-{number}" for number in (1, 2, 61, 62, 63, 64, 3, 4, 5, 6, 7, 8)
]


def ecg_spec(rng: np.random.Generator) -> Spec:
    time = np.arange(1000) / 500.0
    gains = np.linspace(0.6, 1.4, len(LEADS)) * np.where(np.arange(12) == 3, -1, 1)
    millivolts = heartbeat(time)[:, None] * gains[None, :]
    millivolts += rng.normal(0, 0.01, millivolts.shape)
    leads = np.round(millivolts * 1000 / 2.5).astype(np.int16)  # 2.5 uV a unit
    channels = [
        Channel(
            label=lead,
            source=(code, "SCPECG", f"Lead {lead}"),
            sensitivity="2.5",
            correction="1" if number % 3 else "0.98",
            baseline="0" if number % 4 else "-12.5",
            skew="0",
            bits_stored=16,
        )
        for number, (lead, code) in enumerate(zip(LEADS, LEAD_CODES, strict=True))
    ]
    rhythm_time = np.arange(500) / 250.0
    rhythm = np.round(heartbeat(rhythm_time, 64.0) * 1000 / 5).astype(np.int16)
    strip = Channel(
        label="II",
        source=("5.6.3-9-2", "SCPECG", "Lead II"),
        sensitivity="5",
        correction="1.02",
        baseline="25",
    )
    return Spec(
        name="ecg_12lead",
        description="12-lead ECG, 2 s at 500 Hz (SS), and a rhythm strip",
        sop_class="12-lead ECG",
        groups=[
            Group("SS", "500", leads, channels, "RHYTHM"),
            Group("SS", "250", rhythm[:, None], [strip], "STRIP"),
        ],
        derived={"ecg_12lead_bigendian": ["dcmconv", "+tb"]},
    )


def respiratory_spec(rng: np.random.Generator) -> Spec:
    time = np.arange(250) / 25.0
    flow = np.round(400 * np.sin(2 * np.pi * time / 4.0)).astype(np.int32)  # ml/s
    volume = np.round(2500 + 250 * -np.cos(2 * np.pi * time / 4.0)).astype(np.int32)
    effort = np.round(128 + 100 * np.sin(2 * np.pi * time / 4.0 - 0.3)).astype(np.uint8)
    millilitres = ("ml", "UCUM", "milliliter")
    return Spec(
        name="respiratory",
        description="Respiratory: flow and volume at 25 Hz (SL), effort (UB)",
        sop_class="Respiratory",
        groups=[
            Group(
                "SL",
                "25",
                np.stack([flow, volume], axis=1),
                [
                    Channel(
                        "FLOW",
                        ("F-0035B", "SRT", "Respiratory flow"),
                        "1",
                        ("ml/s", "UCUM", "milliliter per second"),
                    ),
                    Channel(
                        "VOLUME",
                        ("F-0035C", "SRT", "Respiratory volume"),
                        "1",
                        millilitres,
                        baseline="-2500",
                    ),
                ],  # fmt: skip
                "RESPIRATION",
            ),
            Group(
                "UB",
                "25",
                effort[:, None],
                [
                    Channel(
                        "EFFORT",
                        ("F-0035D", "SRT", "Thoracic effort"),
                        "0.5",
                        ("%", "UCUM", "percent"),
                        baseline="-64",
                    )
                ],  # fmt: skip
                "EFFORT",
                vr="OB",
            ),
        ],
    )


def companded(values: np.ndarray, law: str) -> np.ndarray:
    """G.711 codes of 16-bit samples, by Python's own encoder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop  # noqa: PLC0415 - deprecated, imported only here

    encode = audioop.lin2ulaw if law == "mu" else audioop.lin2alaw
    data = encode(values.astype("<i2").tobytes(), 2)
    return np.frombuffer(data, dtype=np.uint8).reshape(values.shape)


def audio_specs() -> list[Spec]:
    time = np.arange(800) / 8000.0
    tone = np.round(12000 * np.sin(2 * np.pi * 440 * time)).astype(np.int16)
    octave = np.round(6000 * np.sin(2 * np.pi * 880 * time)).astype(np.int16)
    voice = ("A-0086D", "SRT", "Voice")
    return [
        Spec(
            name="audio_mulaw",
            description="voice audio, 440 Hz at 8000 Hz, mu-law (MB)",
            sop_class="Basic Voice Audio",
            groups=[
                Group(
                    "MB",
                    "8000",
                    companded(tone[:, None], "mu"),
                    [Channel("VOICE", voice)],
                    "VOICE",
                    vr="OB",
                )  # fmt: skip
            ],
        ),
        Spec(
            name="audio_alaw",
            description="voice audio, stereo at 8000 Hz, A-law (AB)",
            sop_class="Basic Voice Audio",
            groups=[
                Group(
                    "AB",
                    "8000",
                    companded(np.stack([tone, octave], axis=1), "a"),
                    [
                        Channel("LEFT", voice, "1", ("1", "UCUM", "no units")),
                        Channel("RIGHT", voice, "1", ("1", "UCUM", "no units")),
                    ],
                    "VOICE",
                    vr="OB",
                )  # fmt: skip
            ],
        ),
    ]


def interpretations_spec(rng: np.random.Generator) -> Spec:
    groups = []
    for interpretation, type_name in SAMPLE_TYPES.items():
        dtype = np.dtype(type_name)
        info = np.iinfo(dtype)
        values = rng.integers(
            info.min, info.max, size=(7, 3), dtype=dtype, endpoint=True
        )
        values[0, 0], values[6, 2] = info.min, info.max
        channels = [
            Channel(f"C{number}", ("5.6.3-9-1", "SCPECG", "Lead I"), "0.5",
                    baseline=str(number - 1), correction="2")
            for number in (1, 2, 3)
        ]  # fmt: skip
        vr = "OB" if dtype.itemsize == 1 else "OW"
        groups.append(
            Group(interpretation, "100", values, channels, interpretation, vr)
        )
    return Spec(
        name="all_interpretations",
        description="one group per Waveform Sample Interpretation, 3 x 7 samples",
        sop_class="General 32-bit ECG",
        groups=groups,
    )


def specs() -> list[Spec]:
    rng = np.random.default_rng(20261206)
    return [
        ecg_spec(rng),
        respiratory_spec(rng),
        *audio_specs(),
        interpretations_spec(rng),
    ]


# -- building ------------------------------------------------------------------------


def run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)


def sha256_of(samples: np.ndarray) -> str:
    little = samples.astype(samples.dtype.newbyteorder("<"))
    return hashlib.sha256(np.ascontiguousarray(little).tobytes()).hexdigest()


def group_record(group: Group) -> dict:
    return {
        "interpretation": group.interpretation,
        "bits_allocated": group.samples.dtype.itemsize * 8,
        "channels": group.samples.shape[1],
        "samples": group.samples.shape[0],
        "dtype": group.samples.dtype.name,
        "sha256": sha256_of(group.samples),
    }


def build(outdir: Path) -> dict:
    records = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for instance, spec in enumerate(specs(), start=1):
            lines, binaries = dump_lines(spec, instance)
            for name, data in binaries.items():
                (work / name).write_bytes(data)
            (work / f"{spec.name}.dump").write_text("\n".join(lines) + "\n")
            command = ["dump2dcm", "+l", "1000000", f"{spec.name}.dump"]
            run([*command, str(outdir / f"{spec.name}.dcm")], work)
            groups = [group_record(group) for group in spec.groups]
            records.append(
                {
                    "file": f"{spec.name}.dcm",
                    "description": spec.description,
                    "sop_class_uid": SOP_CLASSES[spec.sop_class],
                    "transfer_syntax": "1.2.840.10008.1.2.1",
                    "made_by": " ".join([*command, f"{spec.name}.dcm"]),
                    "groups": groups,
                }
            )
            for derived, tool in spec.derived.items():
                run([*tool, str(outdir / f"{spec.name}.dcm"),
                     str(outdir / f"{derived}.dcm")], work)  # fmt: skip
                records.append(
                    {
                        **records[-1],
                        "file": f"{derived}.dcm",
                        "description": spec.description + ", big endian",
                        "transfer_syntax": "1.2.840.10008.1.2.2",
                        "made_by": " ".join(
                            [*tool, f"{spec.name}.dcm", f"{derived}.dcm"]
                        ),
                    }
                )
    version = subprocess.run(["dump2dcm", "--version"], capture_output=True, text=True)
    # dump2dcm prints its version between RCS-style dollar signs
    made_with = version.stdout.splitlines()[0].strip().strip("$").strip()
    return {"made_with": made_with, "files": records}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, not write")
    arguments = parser.parse_args()
    if not arguments.check:
        manifest = build(HERE)
        (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        print(f"wrote {len(manifest['files'])} files and manifest.json")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch)
        manifest = build(target)
        differ = [
            record["file"]
            for record in manifest["files"]
            if not filecmp.cmp(
                target / record["file"], HERE / record["file"], shallow=False
            )
        ]
        if json.loads((HERE / "manifest.json").read_text()) != manifest:
            differ.append("manifest.json")
    print("differ: " + ", ".join(differ) if differ else "identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
