"""Minimal PNG writer (stdlib only) for fixtures PIL cannot write: 16-bit colour, low bit depths, custom palettes,
and deliberately corrupt files. Rows are given already packed in PNG sample order (big-endian for 16 bit)."""
import struct
import zlib


def chunk(kind: bytes, payload: bytes, crc_xor: int = 0) -> bytes:
    crc = zlib.crc32(kind + payload) ^ crc_xor
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc & 0xFFFFFFFF)


def png_bytes(width, height, bit_depth, color_type, rows, plte=None, trns=None, ihdr_crc_xor=0, idat_crc_xor=0):
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0), ihdr_crc_xor)
    if plte is not None:
        out += chunk(b"PLTE", bytes(plte))
    if trns is not None:
        out += chunk(b"tRNS", bytes(trns))
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    out += chunk(b"IDAT", zlib.compress(raw), idat_crc_xor)
    out += chunk(b"IEND", b"")
    return out


def pack_low_bits(values, bit_depth):
    """Packs samples of 1, 2 or 4 bits, most significant first, padding the row to whole bytes."""
    per_byte = 8 // bit_depth
    out = bytearray()
    for i in range(0, len(values), per_byte):
        b = 0
        group = list(values[i:i + per_byte]) + [0] * (per_byte - len(values[i:i + per_byte]))
        for v in group:
            b = (b << bit_depth) | v
        out.append(b)
    return bytes(out)
