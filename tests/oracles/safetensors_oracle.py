"""Independent safetensors reference for the tests: PyTorch plus a hand-written struct + json codec.

  write OUT_DIR
      Writes OUT_DIR/torch.safetensors from seeded torch tensors (F32, F16, BF16, I64, I32, a scalar and an empty
      tensor) with the reference layout, and for each tensor OUT_DIR/expected/<name>.bin holding torch's own
      `.float()` (float tensors, raw little-endian float32) or `.long()` (integer tensors, raw int64; their `.float()` goes to
      <name>.float.bin).
      Prints a JSON manifest {name: {dtype, shape}}.
  read FILE OUT_DIR [SOURCE_DIR]
      Parses FILE with struct + json, checks the reference layout (space padding to 8 bytes, entries sorted by
      descending dtype alignment then name, contiguous offsets, no trailing bytes), and writes
      OUT_DIR/<name>.decoded.bin = torch's `.float()` of the stored tensor. When SOURCE_DIR/<name>.f32 exists
      (raw float32 source values), also writes OUT_DIR/<name>.expected.bin = torch's conversion of the source to
      the stored dtype and back. Prints {metadata, order, tensors: {name: {dtype, shape}}}.
  rewrite FILE OUT_FILE
      Parses FILE as above and writes its tensors and metadata again with this script's writer, so a test can
      compare the two files byte for byte.
  read-index DIR OUT_DIR
      Reads DIR/model.safetensors.index.json, checks every weight_map entry against its shard (parsed as above)
      and metadata.total_size against the sum of tensor byte lengths, then decodes every tensor into OUT_DIR.
"""
import json
import os
import struct
import sys

import torch

# The reference implementation's dtype order (increasing alignment); the writer sorts by it, descending.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
TORCH_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32,
                "F64": torch.float64, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8}
SIZES = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "F64": 8, "I16": 2, "I8": 1, "U8": 1}


def tensor_bytes(t):
    """Raw little-endian bytes of a tensor without numpy (numpy has no bfloat16)."""
    flat = t.contiguous().reshape(-1)
    if flat.numel() == 0:
        return b""
    return bytes(flat.view(torch.uint8).tolist())


def save(path, tensors, metadata):
    """struct + json writer with the reference layout."""
    items = sorted(tensors.items(), key=lambda kv: (-DTYPE_ORDER.index(kv[1][0]), kv[0].encode("utf-8")))
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, t) in items:
        data = tensor_bytes(t)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def parse(path):
    """struct + json reader that insists on the reference layout; returns (metadata, [(name, dtype, shape, bytes)])."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    text = raw[8:8 + n]
    assert n % 8 == 0, f"{path}: header length {n} is not a multiple of 8"
    stripped = text.rstrip(b" ")
    assert stripped.endswith(b"}"), f"{path}: header padding is not spaces after the JSON object"
    header = json.loads(stripped.decode("utf-8"))
    metadata = header.pop("__metadata__", None)
    keys = list(header.keys())
    expected_order = sorted(keys, key=lambda k: (-DTYPE_ORDER.index(header[k]["dtype"]), k.encode("utf-8")))
    assert keys == expected_order, f"{path}: entries are in order {keys}, reference order is {expected_order}"
    data = raw[8 + n:]
    cursor, out = 0, []
    for k in keys:
        e = header[k]
        begin, end = e["data_offsets"]
        assert begin == cursor, f"{path}: tensor {k} begins at {begin}, previous ended at {cursor}"
        numel = 1
        for d in e["shape"]:
            numel *= d
        assert end - begin == numel * SIZES[e["dtype"]], f"{path}: tensor {k} byte length does not match its shape"
        out.append((k, e["dtype"], e["shape"], data[begin:end]))
        cursor = end
    assert cursor == len(data), f"{path}: {len(data) - cursor} trailing bytes after the last tensor"
    return metadata, out


def to_tensor(dtype, shape, blob):
    if len(blob) == 0:
        return torch.zeros(shape, dtype=TORCH_DTYPES[dtype])
    return torch.frombuffer(bytearray(blob), dtype=TORCH_DTYPES[dtype]).reshape(shape)


def dump(t, path):
    with open(path, "wb") as f:
        f.write(tensor_bytes(t))


def with_specials(t, specials):
    flat = t.reshape(-1).clone()
    flat[: len(specials)] = torch.tensor(specials, dtype=torch.float32).to(t.dtype)
    return flat.reshape(t.shape)


def cmd_write(out_dir):
    torch.manual_seed(1234)
    inf, nan = float("inf"), float("nan")
    tensors = {
        "model.f32_weight": ("F32", with_specials(torch.randn(7, 13), [inf, -inf, nan, -0.0, 1e-40, 3.4028234663852886e38, -1.5e-45])),
        "model.f16_weight": ("F16", with_specials(torch.randn(5, 9).half(), [inf, -inf, nan, -0.0, 6e-8, 65504.0, -3e-5])),
        "model.bf16_weight": ("BF16", with_specials((torch.randn(3, 4, 6) * 100).bfloat16(), [inf, -inf, nan, -0.0, 1e-39, 3.3e38])),
        "ids.i64": ("I64", torch.cat([torch.randint(-(2 ** 40), 2 ** 40, (9,)), torch.tensor([2 ** 62 + 1, -(2 ** 63)])])),
        "ids.i32": ("I32", torch.randint(-(2 ** 31), 2 ** 31 - 1, (2, 5), dtype=torch.int32)),
        "scalar": ("F32", torch.tensor(3.5)),
        "empty": ("F16", torch.zeros(0, 4).half()),
    }
    os.makedirs(os.path.join(out_dir, "expected"), exist_ok=True)
    save(os.path.join(out_dir, "torch.safetensors"), tensors, {"format": "pt", "note": "seed 1234"})
    manifest = {}
    for name, (dtype, t) in tensors.items():
        expected = t.long() if dtype.startswith("I") else t.float()
        dump(expected, os.path.join(out_dir, "expected", name + ".bin"))
        if dtype.startswith("I"):
            dump(t.float(), os.path.join(out_dir, "expected", name + ".float.bin"))
        manifest[name] = {"dtype": dtype, "shape": list(t.shape)}
    print(json.dumps(manifest))


def decode_all(entries, out_dir, source_dir=None):
    listing = {}
    for name, dtype, shape, blob in entries:
        t = to_tensor(dtype, shape, blob)
        dump(t.long() if dtype.startswith("I") else t.float(), os.path.join(out_dir, name + ".decoded.bin"))
        source = os.path.join(source_dir, name + ".f32") if source_dir else None
        if source and os.path.exists(source):
            with open(source, "rb") as f:
                src = to_tensor("F32", shape, f.read())
            dump(src.to(TORCH_DTYPES[dtype]).float(), os.path.join(out_dir, name + ".expected.bin"))
        listing[name] = {"dtype": dtype, "shape": shape}
    return listing


def cmd_read(path, out_dir, source_dir=None):
    os.makedirs(out_dir, exist_ok=True)
    metadata, entries = parse(path)
    listing = decode_all(entries, out_dir, source_dir)
    print(json.dumps({"metadata": metadata, "order": [e[0] for e in entries], "tensors": listing}))


def cmd_rewrite(path, out_path):
    metadata, entries = parse(path)
    save(out_path, {name: (dtype, to_tensor(dtype, shape, blob)) for name, dtype, shape, blob in entries}, metadata)


def cmd_read_index(folder, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        index = json.load(f)
    weight_map = index["weight_map"]
    total, listing, shards = 0, {}, {}
    for shard in sorted(set(weight_map.values())):
        _, entries = parse(os.path.join(folder, shard))
        for e in entries:
            assert weight_map.get(e[0]) == shard, f"{shard} holds {e[0]} but the index says {weight_map.get(e[0])}"
            total += len(e[3])
        shards[shard] = [e[0] for e in entries]
        listing.update(decode_all(entries, out_dir))
    assert set(listing) == set(weight_map), "index and shards disagree on the tensor set"
    assert index["metadata"]["total_size"] == total, f"total_size {index['metadata']['total_size']} != {total}"
    print(json.dumps({"shards": shards, "tensors": listing, "total_size": total}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"write": cmd_write, "read": cmd_read, "rewrite": cmd_rewrite, "read-index": cmd_read_index}[command](*args)
