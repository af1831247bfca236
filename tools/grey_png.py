"""Writes an 8-bit greyscale PNG with the standard library alone (no numpy or PIL here)."""
import struct, zlib


def write_png(path, data, rows, cols):
    """data: rows*cols bytes, row-major, 0 = black."""
    raw = b"".join(b"\x00" + data[r * cols:(r + 1) * cols] for r in range(rows))

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
