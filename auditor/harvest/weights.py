"""Weight files: safetensors and GGUF headers, and checksums streamed from disk.

Weights are large and untrusted. Only the headers are read, each read bounded (header size, counts,
string lengths, total bytes); anything out of bounds is refused with the exact reason, and the
checksum is computed in 1 MB chunks so that no file is ever held in memory whole. A Git LFS
pointer (a repository cloned without its large files) is not the weights: it names their sha256.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from auditor.readers.safejson import JSONRefused, loads
from auditor.readers.values import JSON, type_name

CHUNK = 1024 * 1024
MAX_HEADER_BYTES = 100 * 1024 * 1024
MAX_GGUF_STRING = 1024 * 1024
MAX_GGUF_KEYS = 100_000
MAX_GGUF_ARRAY = 4_000_000
MAX_GGUF_ITEMS = 3_000_000  # array items parsed one by one (strings, nested arrays) in one header
MAX_GGUF_TENSORS = 1_000_000
MAX_GGUF_DIMS = 8
MAX_NESTING = 3
KEPT_ARRAY = 64  # arrays longer than this are skipped, not kept (tokenizer vocabularies)

GGUF_MAGIC = b"GGUF"
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
UNQUANTIZED_TENSORS = frozenset({0, 1, 24, 25, 26, 27, 28, 30})  # F32 F16 I8 I16 I32 I64 F64 BF16
FILE_TYPES = {
    0: "ALL_F32",
    1: "MOSTLY_F16",
    2: "MOSTLY_Q4_0",
    3: "MOSTLY_Q4_1",
    7: "MOSTLY_Q8_0",
    8: "MOSTLY_Q5_0",
    9: "MOSTLY_Q5_1",
    10: "MOSTLY_Q2_K",
    11: "MOSTLY_Q3_K_S",
    12: "MOSTLY_Q3_K_M",
    13: "MOSTLY_Q3_K_L",
    14: "MOSTLY_Q4_K_S",
    15: "MOSTLY_Q4_K_M",
    16: "MOSTLY_Q5_K_S",
    17: "MOSTLY_Q5_K_M",
    18: "MOSTLY_Q6_K",
    19: "MOSTLY_IQ2_XXS",
    20: "MOSTLY_IQ2_XS",
    21: "MOSTLY_Q2_K_S",
    22: "MOSTLY_IQ3_XS",
    23: "MOSTLY_IQ3_XXS",
    24: "MOSTLY_IQ1_S",
    25: "MOSTLY_IQ4_NL",
    26: "MOSTLY_IQ3_S",
    27: "MOSTLY_IQ3_M",
    28: "MOSTLY_IQ2_S",
    29: "MOSTLY_IQ2_M",
    30: "MOSTLY_IQ4_XS",
    31: "MOSTLY_IQ1_M",
    32: "MOSTLY_BF16",
    36: "MOSTLY_TQ1_0",
    37: "MOSTLY_TQ2_0",
    38: "MOSTLY_MXFP4_MOE",
}
UNQUANTIZED_FILE_TYPES = frozenset({0, 1, 32})


class WeightsError(ValueError):
    """A weight file whose header cannot be read; `code` is malformed or refused."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --- checksums ---------------------------------------------------------------------------------

LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\n"
MAX_POINTER_BYTES = 1024
_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.M)


def lfs_oid(path: Path) -> str | None:
    """The sha256 a Git LFS pointer file stands for (a clone without `git lfs pull`), else None."""
    if path.stat().st_size > MAX_POINTER_BYTES:
        return None
    with open(path, "rb") as fh:
        data = fh.read(MAX_POINTER_BYTES)
    match = _LFS_OID.search(data) if data.startswith(LFS_POINTER) else None
    return match.group(1).decode() if match else None


def sha256(path: Path) -> str:
    """Hex SHA-256 of the file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- safetensors -------------------------------------------------------------------------------


def safetensors_header(path: Path) -> dict[str, JSON]:
    """The JSON header of a safetensors file (8-byte little-endian length, then JSON)."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = fh.read(8)
        if len(raw) < 8:
            raise WeightsError("malformed", f"file is {size} bytes, too short for the 8-byte safetensors header length")
        (length,) = struct.unpack("<Q", raw)
        if length > MAX_HEADER_BYTES:
            raise WeightsError(
                "refused", f"safetensors header claims {length} bytes, over the {MAX_HEADER_BYTES // 1048576} MB limit"
            )
        if length > size - 8:
            raise WeightsError(
                "malformed", f"safetensors header claims {length} bytes but only {size - 8} follow the length field"
            )
        data = fh.read(length)
    try:
        header = loads(data)
    except JSONRefused as exc:
        raise WeightsError(exc.code, f"safetensors header: {exc}") from None
    if not isinstance(header, dict):
        raise WeightsError("malformed", f"safetensors header should be a JSON object, found {type_name(header)}")
    return header


# --- GGUF --------------------------------------------------------------------------------------


@dataclass
class GGUF:
    """What a GGUF header says: version, tensor count, metadata and the tensors' ggml types."""

    version: int
    tensor_count: int
    metadata: dict[str, JSON]  # key -> int | float | bool | str | list (short arrays only)
    tensor_types: list[int]

    @property
    def quantized(self) -> bool:
        """Whether the weights are quantized: by general.file_type, else by the tensor types."""
        file_type = self.metadata.get("general.file_type")
        if isinstance(file_type, int) and not isinstance(file_type, bool) and file_type in FILE_TYPES:
            return file_type not in UNQUANTIZED_FILE_TYPES
        return any(t not in UNQUANTIZED_TENSORS for t in self.tensor_types)


def gguf_header(path: Path) -> GGUF:
    """Parse the GGUF header (little-endian): magic, version, counts, metadata, tensor infos."""
    with open(path, "rb") as fh:
        reader = _Reader(fh, os.fstat(fh.fileno()).st_size)
        if reader.take(4) != GGUF_MAGIC:
            raise WeightsError("malformed", "not a GGUF file: the first 4 bytes are not 'GGUF'")
        version = reader.scalar("<I")
        if version not in (1, 2, 3):
            swapped = struct.unpack(">I", struct.pack("<I", version))[0]
            if swapped in (1, 2, 3):
                raise WeightsError("malformed", f"big-endian GGUF (version {swapped}) is not supported")
            raise WeightsError("malformed", f"unsupported GGUF version {version}")
        reader.wide = version >= 2
        tensor_count = reader.bounded(MAX_GGUF_TENSORS, "tensor count")
        key_count = reader.bounded(MAX_GGUF_KEYS, "metadata key count")
        metadata = {}
        for _ in range(key_count):
            key = reader.string()
            metadata[key] = reader.value(reader.scalar("<I"), key, 0)
        tensor_types = [reader.tensor_type() for _ in range(tensor_count)]
    return GGUF(version, tensor_count, metadata, tensor_types)


class _Reader:
    """Bounded little-endian reads from a GGUF file: every byte read counts against a budget."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh, self.size, self.used, self.wide, self.items = fh, size, 0, True, 0

    def charge(self, n: int) -> None:
        self.used += n
        if self.used > MAX_HEADER_BYTES:
            raise WeightsError("refused", f"GGUF header is over the {MAX_HEADER_BYTES // 1048576} MB limit")

    def take(self, n: int) -> bytes:
        self.charge(n)
        data: bytes = self.fh.read(n)
        if len(data) < n:
            raise WeightsError("malformed", f"GGUF header ends early: the file stops at byte {self.size}")
        return data

    def skip(self, n: int) -> None:
        position = self.fh.tell()
        if position + n > self.size:
            raise WeightsError("malformed", f"GGUF header ends early: the file stops at byte {self.size}")
        self.fh.seek(n, os.SEEK_CUR)

    def scalar(self, fmt: str) -> JSON:
        """One number (or boolean) of the struct format `fmt`."""
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def count(self) -> int:
        count: int = self.scalar("<Q" if self.wide else "<I")
        return count

    def bounded(self, limit: int, what: str) -> int:
        value = self.count()
        if value > limit:
            raise WeightsError("refused", f"GGUF {what} {value} is over the limit of {limit}")
        return value

    def string(self) -> str:
        length = self.bounded(MAX_GGUF_STRING, "string length")
        return self.take(length).decode("utf-8", errors="replace")

    def value(self, kind: int, key: str, depth: int) -> JSON:
        if kind in _SCALARS:
            return self.scalar(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            return self.array(key, depth + 1)
        raise WeightsError("malformed", f"GGUF key '{key}' has unknown value type {kind}")

    def array(self, key: str, depth: int) -> JSON:
        if depth > MAX_NESTING:
            raise WeightsError("refused", f"GGUF key '{key}' nests arrays over {MAX_NESTING} deep")
        kind = self.scalar("<I")
        length = self.bounded(MAX_GGUF_ARRAY, f"array length of '{key}'")
        if kind in _SCALARS and length > KEPT_ARRAY:
            self.skip(length * struct.calcsize(_SCALARS[kind]))
            return None
        self.items += length
        if self.items > MAX_GGUF_ITEMS:
            raise WeightsError("refused", f"GGUF header has over {MAX_GGUF_ITEMS} array items")
        if length <= KEPT_ARRAY:
            return [self.value(kind, key, depth) for _ in range(length)]
        if kind == _STRING:
            self.skip_strings(length)
        else:
            for _ in range(length):
                self.value(kind, key, depth)
        return None

    def skip_strings(self, count: int) -> None:
        """Skip `count` strings (a tokenizer vocabulary): the hot loop, kept free of method calls."""
        read, seek, fmt = self.fh.read, self.fh.seek, "<Q" if self.wide else "<I"
        width, unpack = struct.calcsize(fmt), struct.Struct(fmt).unpack
        for _ in range(count):
            raw = read(width)
            if len(raw) < width:
                raise WeightsError("malformed", f"GGUF header ends early: the file stops at byte {self.size}")
            (length,) = unpack(raw)
            if length > MAX_GGUF_STRING:
                raise WeightsError("refused", f"GGUF string length {length} is over the limit of {MAX_GGUF_STRING}")
            seek(length, os.SEEK_CUR)
        self.charge(count * width)
        if self.fh.tell() > self.size:
            raise WeightsError("malformed", f"GGUF header ends early: the file stops at byte {self.size}")

    def tensor_type(self) -> int:
        self.string()
        dims = self.scalar("<I")
        if dims > MAX_GGUF_DIMS:
            raise WeightsError("malformed", f"GGUF tensor with {dims} dimensions (at most {MAX_GGUF_DIMS})")
        self.take(dims * (8 if self.wide else 4))
        kind: int = self.scalar("<I")
        self.take(8)  # offset
        return kind
