using System.Buffers.Binary;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// Converts little-endian element bytes to float32 / int64 / int32 and float32 back to F32, F16 or BF16 bytes.
/// Widening conversions are exact; float32 to F16 and BF16 round to nearest, ties to even, like PyTorch.
/// </summary>
internal static class ElementConversion
{
    static ElementConversion()
    {
        // The format is little-endian and every conversion here reinterprets bytes in place.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors support needs a little-endian machine.");
    }

    /// <summary>BF16 bits PyTorch's scalar rounding (c10 round_to_nearest_even) produces for any NaN.</summary>
    public const ushort BFloat16NaN = 0x7FC0;

    /// <summary>Decodes <paramref name="source"/> (elements of <paramref name="dtype"/>) into <paramref name="destination"/>.</summary>
    public static void ToSingle(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32: MemoryMarshal.Cast<byte, float>(source).CopyTo(destination); break;
            case SafetensorsDType.F16: TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination); break;
            case SafetensorsDType.BF16: BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination); break;
            case SafetensorsDType.F64:
                {
                    var s = MemoryMarshal.Cast<byte, double>(source);
                    for (int i = 0; i < s.Length; i++) destination[i] = (float)s[i];
                    break;
                }
            case SafetensorsDType.U64:
                {
                    var s = MemoryMarshal.Cast<byte, ulong>(source);
                    for (int i = 0; i < s.Length; i++) destination[i] = s[i];
                    break;
                }
            case SafetensorsDType.I64:
                {
                    var s = MemoryMarshal.Cast<byte, long>(source);
                    for (int i = 0; i < s.Length; i++) destination[i] = s[i];
                    break;
                }
            default:
                {
                    // Integer types narrower than 64 bits are exact in int64; go through it to share one switch.
                    int size = dtype.ElementSize();
                    for (int i = 0; i < destination.Length; i++) destination[i] = ReadSmallInteger(dtype, source.Slice(i * size, size));
                    break;
                }
        }
    }

    /// <summary>Decodes integer (or BOOL) elements into int64; throws for floating-point dtypes.</summary>
    public static void ToInt64(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<long> destination)
    {
        if (dtype == SafetensorsDType.I64)
        {
            MemoryMarshal.Cast<byte, long>(source).CopyTo(destination);
            return;
        }
        int size = dtype.ElementSize();
        for (int i = 0; i < destination.Length; i++) destination[i] = ReadSmallInteger(dtype, source.Slice(i * size, size));
    }

    /// <summary>Decodes integer elements that fit losslessly in int32.</summary>
    public static void ToInt32(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<int> destination)
    {
        if (dtype == SafetensorsDType.I32)
        {
            MemoryMarshal.Cast<byte, int>(source).CopyTo(destination);
            return;
        }
        int size = dtype.ElementSize();
        for (int i = 0; i < destination.Length; i++) destination[i] = (int)ReadSmallInteger(dtype, source.Slice(i * size, size));
    }

    /// <summary>Whether every value of <paramref name="dtype"/> fits in an int32.</summary>
    public static bool FitsInt32(SafetensorsDType dtype) => dtype is SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8
        or SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.I32;

    /// <summary>Whether every value of <paramref name="dtype"/> fits in an int64.</summary>
    public static bool FitsInt64(SafetensorsDType dtype) => FitsInt32(dtype) || dtype is SafetensorsDType.U32 or SafetensorsDType.I64;

    private static long ReadSmallInteger(SafetensorsDType dtype, ReadOnlySpan<byte> b) => dtype switch
    {
        SafetensorsDType.BOOL => b[0] != 0 ? 1 : 0,
        SafetensorsDType.U8 => b[0],
        SafetensorsDType.I8 => (sbyte)b[0],
        SafetensorsDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        SafetensorsDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        SafetensorsDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        SafetensorsDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        SafetensorsDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        _ => throw new NotSupportedException($"dtype {dtype} is not an integer type that converts exactly."),
    };

    /// <summary>BF16 is the upper half of a float32, so widening is a 16-bit shift (exact, NaN payloads kept).</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        var dst = MemoryMarshal.Cast<float, uint>(destination);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var words = MemoryMarshal.Cast<ushort, Vector<ushort>>(source);
            int width = Vector<uint>.Count;
            foreach (var w in words)
            {
                Vector.Widen(w, out var lo, out var hi);
                Vector.ShiftLeft(lo, 16).CopyTo(dst.Slice(i, width));
                Vector.ShiftLeft(hi, 16).CopyTo(dst.Slice(i + width, width));
                i += 2 * width;
            }
        }
        for (; i < source.Length; i++) dst[i] = (uint)source[i] << 16;
    }

    /// <summary>Encodes float32 values as <paramref name="dtype"/> (F32, F16 or BF16) bytes.</summary>
    public static void FromSingle(SafetensorsDType dtype, ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32: MemoryMarshal.AsBytes(source).CopyTo(destination); break;
            case SafetensorsDType.F16: TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination)); break;
            case SafetensorsDType.BF16: SingleToBFloat16(source, MemoryMarshal.Cast<byte, ushort>(destination)); break;
            default: throw new NotSupportedException($"Writing dtype {dtype} is not supported; use F32, F16 or BF16.");
        }
    }

    /// <summary>
    /// Rounds float32 to BF16 exactly as PyTorch's <c>round_to_nearest_even</c>: add 0x7FFF plus the lowest kept
    /// bit, then keep the upper 16 bits (so overflow rounds to infinity); NaN becomes <see cref="BFloat16NaN"/>.
    /// </summary>
    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= 2 * Vector<uint>.Count)
        {
            int width = Vector<uint>.Count;
            var bits = MemoryMarshal.Cast<float, uint>(source);
            var bias = new Vector<uint>(0x7FFF);
            var one = Vector<uint>.One;
            var nan = new Vector<uint>(BFloat16NaN);
            for (; i + 2 * width <= source.Length; i += 2 * width)
            {
                var lo = Round(new Vector<uint>(bits.Slice(i, width)), new Vector<float>(source.Slice(i, width)));
                var hi = Round(new Vector<uint>(bits.Slice(i + width, width)), new Vector<float>(source.Slice(i + width, width)));
                Vector.Narrow(lo, hi).CopyTo(destination.Slice(i, 2 * width));
            }

            Vector<uint> Round(Vector<uint> u, Vector<float> f)
            {
                var rounded = Vector.ShiftRightLogical(u + (Vector.ShiftRightLogical(u, 16) & one) + bias, 16);
                var isNumber = Vector.AsVectorUInt32(Vector.Equals(f, f));
                return Vector.ConditionalSelect(isNumber, rounded, nan);
            }
        }
        for (; i < source.Length; i++) destination[i] = SingleToBFloat16(source[i]);
    }

    /// <summary>Scalar form of <see cref="SingleToBFloat16(ReadOnlySpan{float}, Span{ushort})"/>.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        if (float.IsNaN(value)) return BFloat16NaN;
        uint u = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((u + ((u >> 16) & 1) + 0x7FFF) >> 16);
    }
}
