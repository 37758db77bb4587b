using System.IO.Compression;
using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Compression;

/// <summary>Compresses and decompresses page bodies for the codecs this library supports (UNCOMPRESSED, SNAPPY, GZIP).</summary>
internal static class PageCompression
{
    public static bool IsSupported(CompressionCodec codec) =>
        codec is CompressionCodec.Uncompressed or CompressionCodec.Snappy or CompressionCodec.Gzip;

    /// <summary>Appends the compressed form of <paramref name="body"/> to <paramref name="output"/>.</summary>
    public static void Compress(CompressionCodec codec, ReadOnlySpan<byte> body, ByteBuffer output, CompressionLevel gzipLevel)
    {
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                output.Write(body);
                break;
            case CompressionCodec.Snappy:
                Snappy.Compress(body, output);
                break;
            case CompressionCodec.Gzip:
            {
                using var stream = new ByteBufferStream(output);
                using (var gzip = new GZipStream(stream, gzipLevel, leaveOpen: true)) gzip.Write(body);
                break;
            }
            default:
                throw new ArgumentException($"Compression {codec} is not supported for writing.");
        }
    }

    /// <summary>Decompresses <paramref name="compressed"/> into exactly <paramref name="output"/>.Length bytes.</summary>
    public static void Decompress(CompressionCodec codec, ReadOnlySpan<byte> compressed, Span<byte> output)
    {
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                if (compressed.Length != output.Length)
                    throw new InvalidDataException($"uncompressed page holds {compressed.Length} bytes, header says {output.Length}");
                compressed.CopyTo(output);
                break;
            case CompressionCodec.Snappy:
                Snappy.Decompress(compressed, output);
                break;
            case CompressionCodec.Gzip:
                InflateGzip(compressed, output);
                break;
            default:
                throw new InvalidDataException($"compression codec {codec} is not supported (only UNCOMPRESSED, SNAPPY and GZIP)");
        }
    }

    private static unsafe void InflateGzip(ReadOnlySpan<byte> compressed, Span<byte> output)
    {
        fixed (byte* p = compressed)
        {
            using var source = new UnmanagedMemoryStream(p, compressed.Length);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            int total = 0;
            while (total < output.Length)
            {
                int n = gzip.Read(output[total..]);
                if (n == 0) throw new InvalidDataException($"GZIP data ends after {total} of {output.Length} bytes");
                total += n;
            }
            Span<byte> probe = stackalloc byte[1];
            if (gzip.Read(probe) != 0) throw new InvalidDataException($"GZIP data is longer than the {output.Length} bytes the page header says");
        }
    }

    /// <summary>A write-only stream appending to a <see cref="ByteBuffer"/> (so GZipStream writes without a copy).</summary>
    private sealed class ByteBufferStream(ByteBuffer buffer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => buffer.Length;
        public override long Position { get => buffer.Length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] b, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] b, int offset, int count) => buffer.Write(b.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> b) => buffer.Write(b);
    }
}
