using System.Buffers;
using System.Text;

namespace LvlmEval.Models.Tokenization;

/// <summary>
/// GPT-2's reversible byte↔character table: printable Latin-1 bytes stand for themselves, the other 68 bytes
/// map to U+0100 onwards, so any byte string becomes a string of printable characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>Character standing for each byte value.</summary>
    public static readonly char[] ByteToChar = BuildTable();

    /// <summary>Byte for each stand-in character, -1 for characters outside the alphabet (index = char code, below 512).</summary>
    private static readonly short[] CharToByte = BuildInverse();

    /// <summary>The byte-level form of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Encode(string text)
    {
        const int StackLimit = 1024;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        Span<byte> bytes = max <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(max));
        int n = Encoding.UTF8.GetBytes(text, bytes);
        Span<char> chars = n <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(n));
        for (int i = 0; i < n; i++) chars[i] = ByteToChar[bytes[i]];
        var result = new string(chars[..n]);
        if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
        if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        return result;
    }

    /// <summary>Appends the bytes <paramref name="token"/> stands for; false (nothing appended) when a character is outside the alphabet.</summary>
    public static bool TryAppendBytes(string token, List<byte> bytes)
    {
        foreach (char c in token)
            if (c >= CharToByte.Length || CharToByte[c] < 0) return false;
        foreach (char c in token) bytes.Add((byte)CharToByte[c]);
        return true;
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static short[] BuildInverse()
    {
        var inverse = new short[512];
        Array.Fill(inverse, (short)-1);
        for (int b = 0; b < 256; b++) inverse[ByteToChar[b]] = (short)b;
        return inverse;
    }
}
