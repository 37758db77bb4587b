using LvlmEval.Parquet.Compression;
using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Tests.Parquet;

/// <summary>Thrift compact protocol, RLE/bit-packed hybrid and Snappy against byte sequences worked out by hand from their specs.</summary>
public sealed class EncodingTests
{
    [Test]
    public void CompactProtocolFieldsMatchTheSpecBytes()
    {
        var stream = new MemoryStream();
        var w = new CompactProtocolWriter(stream);
        w.BeginStruct();
        w.WriteI32Field(1, 3);          // short form: delta 1, type i32 (5); zigzag(3) = 6
        w.WriteBoolField(2, true);      // value folded into the header: type 1
        w.WriteI64Field(20, -1);        // delta 18 > 15: long form, type byte then zigzag(20) = 40; zigzag(-1) = 1
        w.WriteStringField(21, "ab");   // delta 1, type binary (8), length 2
        w.WriteI32List(22, [1, -1, 300]); // list header: size 3, element type i32; 300 -> zigzag 600 -> varint D8 04
        w.EndStruct();
        Assert.That(stream.ToArray(), Is.EqualTo(new byte[]
        {
            0x15, 0x06, 0x11, 0x06, 0x28, 0x01, 0x18, 0x02, 0x61, 0x62, 0x19, 0x35, 0x02, 0x01, 0xD8, 0x04, 0x00,
        }));

        var r = new CompactProtocolReader(stream.ToArray(), 0, (int)stream.Length, "mem", 0);
        r.BeginStruct();
        var seen = new List<string>();
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1: seen.Add($"1={r.ReadI32()}"); break;
                case 2: seen.Add($"2={r.ReadBoolField()}"); break;
                case 21: seen.Add($"21={r.ReadString()}"); break;
                case 22: seen.Add($"22={string.Join(',', r.ReadI32List())}"); break;
                default: r.Skip(type); break; // field 20 is skipped as an unknown field
            }
        }
        r.EndStruct();
        Assert.That(seen, Is.EqualTo(new[] { "1=3", "2=True", "21=ab", "22=1,-1,300" }));
        Assert.That(r.Position, Is.EqualTo(stream.Length));
    }

    [Test]
    public void CompactReaderRejectsTruncationWithTheOffset()
    {
        var bytes = new byte[] { 0x15, 0x06, 0x18, 0x05, 0x61 }; // string claims 5 bytes, 1 present
        var r = new CompactProtocolReader(bytes, 0, bytes.Length, "x.parquet", 1000);
        r.BeginStruct();
        r.ReadFieldHeader(out _, out _);
        r.ReadI32();
        r.ReadFieldHeader(out _, out _);
        var ex = Assert.Throws<LvlmEval.Parquet.ParquetFormatException>(() => r.ReadString());
        Assert.That(ex!.Offset, Is.EqualTo(1004));
    }

    [Test]
    public void BitPackedRunMatchesTheParquetSpecExample()
    {
        // parquet-format Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010.
        var output = new ByteBuffer();
        RleBitPackedHybrid.Encode([0, 1, 2, 3, 4, 5, 6, 7], 3, output);
        Assert.That(output.Written.ToArray(), Is.EqualTo(new byte[] { 0x03, 0x88, 0xC6, 0xFA }));
        var decoded = new int[8];
        RleBitPackedHybrid.Decode(output.Written, 3, decoded);
        Assert.That(decoded, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
    }

    [Test]
    public void RepeatedRunIsOneHeaderAndOneValue()
    {
        var output = new ByteBuffer();
        RleBitPackedHybrid.Encode(Enumerable.Repeat(5, 100).ToArray(), 3, output);
        Assert.That(output.Written.ToArray(), Is.EqualTo(new byte[] { 0xC8, 0x01, 0x05 })); // 100 << 1 = 200 as varint
    }

    [TestCase(1, 1000)]
    [TestCase(2, 37)]
    [TestCase(7, 4096)]
    [TestCase(17, 999)]
    [TestCase(32, 64)]
    public void HybridRoundTripsMixedRunsAndLiterals(int bitWidth, int count)
    {
        var rng = new Random(bitWidth * 31 + count);
        long max = bitWidth == 32 ? int.MaxValue : (1L << bitWidth) - 1;
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = rng.Next(4) == 0 && i > 0 ? values[i - 1] : (int)rng.NextInt64(0, max + 1);
        for (int i = count / 3; i < count / 2; i++) values[i] = values[count / 3]; // a long run in the middle
        var output = new ByteBuffer();
        RleBitPackedHybrid.Encode(values, bitWidth, output);
        var decoded = new int[count];
        int consumed = RleBitPackedHybrid.Decode(output.Written, bitWidth, decoded);
        Assert.That(decoded, Is.EqualTo(values));
        Assert.That(consumed, Is.EqualTo(output.Length));
    }

    [Test]
    public void SnappyDecodesAHandWrittenStreamWithAnOverlappingCopy()
    {
        // length 12; literal "abc" (tag (3-1)<<2); copy of 9 at offset 3 (1-byte-offset form: (9-4)<<2 | 1).
        var compressed = new byte[] { 0x0C, 0x08, (byte)'a', (byte)'b', (byte)'c', 0x15, 0x03 };
        var output = new byte[12];
        Snappy.Decompress(compressed, output);
        Assert.That(System.Text.Encoding.ASCII.GetString(output), Is.EqualTo("abcabcabcabc"));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(1000)]
    [TestCase(200_000)]
    public void SnappyRoundTripsAndShrinksRepetitiveData(int length)
    {
        var rng = new Random(length);
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = i % 97 < 60 ? (byte)(i % 13) : (byte)rng.Next(256);
        var compressed = new ByteBuffer();
        Snappy.Compress(data, compressed);
        var back = new byte[length];
        Snappy.Decompress(compressed.Written, back);
        Assert.That(back, Is.EqualTo(data));
        if (length >= 1000) Assert.That(compressed.Length, Is.LessThan(length * 0.7));
        Assert.That(compressed.Length, Is.LessThanOrEqualTo(Snappy.MaxCompressedLength(length)));
    }

    [Test]
    public void SnappyRejectsAnOffsetBeforeTheStart()
    {
        var compressed = new byte[] { 0x08, 0x00, (byte)'a', 0x15, 0x05 }; // copy offset 5 after 1 byte of output
        Assert.Throws<InvalidDataException>(() => Snappy.Decompress(compressed, new byte[8]));
    }
}
