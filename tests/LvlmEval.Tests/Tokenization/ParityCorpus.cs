using System.Text;

namespace LvlmEval.Tests.Tokenization;

/// <summary>
/// Deterministic (seeded) test strings for tokenizer parity: sentences, many scripts, emoji with ZWJ and
/// modifiers, astral letters and digits, numbers, whitespace runs, newlines, and special-token text.
/// </summary>
public static class ParityCorpus
{
    private static readonly string[] Fragments =
    [
        // ASCII prose, questions, contractions, punctuation
        "What color is the cat on the left?", "How many people are in the picture?", "Is this a photo of a kitchen?",
        "The quick brown fox jumps over the lazy dog.", "I'm sure it's fine, don't worry; we'll see what they've done.",
        "IT'S LOUD, ISN'T IT? WE'LL GO. THEY'RE HERE. I'D SAY I'VE SEEN IT.", "'s 't 're 've 'm 'll 'd", "rock'n'roll",
        "e-mail: someone@example.com, https://example.org/path?q=1&r=2#frag", "C++ / C# / F# -> x=>x*2; a!=b && c<=d",
        "(parentheses) [brackets] {braces} <angles> \"quotes\" `ticks` ~tilde ^caret |pipe| \\backslash",
        "snake_case_name camelCaseName PascalCase SCREAMING_CASE kebab-case", "...!!!???,,,;;;:::", "---===+++***",
        "Yes", "no", "A", "Zebra", "2", "USER: <image>\nWhat is shown? ASSISTANT:",
        // numbers
        "1234567890", "3.14159265358979", "1,000,000", "$19.99", "10%", "2024-01-31", "12:45:07", "0x1F600",
        "99999999999999999999999999", "-42", "+7", "1e-10", "٣٤٥٦", "१२३४", "²³¹", "½ ¾ ⅓", "①②③", "Ⅳ Ⅻ",
        // accents, combining marks (NFC), other Latin
        "café naïve résumé coöperate", "e\u0301 a\u0300 o\u0308 n\u0303 (combining)", "Å Ǆ ǅ ǆ ﬁ ﬀ", "straße STRASSE", "İstanbul ıi",
        "Ωμέγα ελληνικά", "Привет, как дела?", "Բարեւ", "ქართული", "Tiếng Việt có dấu", "Ærøskøbing", "ſ 'ſ it'ſ",
        // Asian and RTL scripts
        "你好，世界！今天天气很好。", "這是一隻貓。", "日本語のテキストとカタカナ、ひらがな。", "한국어 문장입니다.", "ภาษาไทยไม่มีช่องว่าง",
        "مرحبا بالعالم، كيف حالك؟", "שלום עולם", "नमस्ते दुनिया, आप कैसे हैं?", "বাংলা ভাষা", "தமிழ்", "ລາວ", "မြန်မာ", "ᐃᓄᒃᑎᑐᑦ",
        // astral: CJK extension B, math alphanumerics, old scripts, emoji
        "𠀀𠀁𠮷野家", "𝐇𝐞𝐥𝐥𝐨 𝟏𝟐𝟑", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𐌰𐌱𐌲 gothic", "𓀀𓀁 hieroglyphs", "😀😃😄", "👍🏽👋🏿", "👨‍👩‍👧‍👦 family",
        "🏳️‍🌈 flag", "🇫🇷🇯🇵🇺🇸", "1️⃣ #️⃣", "❤️‍🔥", "🤖 robot 🚀 rocket", "a😀b😀c", "emoji at end 🎉",
        // symbols and compatibility characters
        "€ £ ¥ ₹ ₿", "™ © ® ℃ №", "→ ← ↑ ↓ ⇒ ∀ ∃ ∑ ∫ √ ∞ ≠ ≤", "ＡＢＣ　１２３", "ｶﾀｶﾅ", "\u200B zero\u200Bwidth \u200D joiner",
        "\u00AD soft hyphen", "\uFEFF bom", "\u0000 nul \u0001 ctrl \u007F del", "\uE000 private \U000F0000",
        // whitespace runs and line breaks
        " ", "  ", "    ", "\t", "\t\t indented", "\n", "\n\n\n", "\r\n", "line1\r\nline2\rline3\nline4", " \n ", "  \n\n  ",
        "\u00A0nbsp\u00A0", "\u3000ideographic\u3000space", "thin\u2009space", "\u2028line sep\u2029para sep", "\u0085nel",
        "trailing spaces   ", "   leading spaces", "a  b   c    d",
    ];

    private static readonly (int Start, int End)[] RandomRanges =
    [
        (0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F),
        (0x3040, 0x30FF), (0x4E00, 0x9FA5), (0xAC00, 0xD7A3), (0x1F600, 0x1F64F), (0x20000, 0x2A6D6), (0x1D400, 0x1D7FF),
    ];

    private static readonly string[] Separators = ["", " ", " ", " ", "  ", "\n", "\t", "\r\n", " \n", "\n\n"];

    /// <summary><paramref name="count"/> strings mixing the pool, random code points and the given special-token texts.</summary>
    public static List<string> Generate(int count, int seed, IReadOnlyList<string> specialTokens)
    {
        var random = new Random(seed);
        var result = new List<string>(count);
        // Every fragment on its own first, so each is covered at least once.
        foreach (var f in Fragments) if (result.Count < count) result.Add(f);
        while (result.Count < count)
        {
            var sb = new StringBuilder();
            int parts = random.Next(1, 7);
            for (int p = 0; p < parts; p++)
            {
                if (p > 0) sb.Append(Separators[random.Next(Separators.Length)]);
                int kind = random.Next(10);
                if (kind < 6) sb.Append(Fragments[random.Next(Fragments.Length)]);
                else if (kind < 8) AppendRandomCodePoints(sb, random);
                else sb.Append(specialTokens[random.Next(specialTokens.Count)]);
            }
            result.Add(sb.ToString());
        }
        return result;
    }

    private static void AppendRandomCodePoints(StringBuilder sb, Random random)
    {
        var (start, end) = RandomRanges[random.Next(RandomRanges.Length)];
        int n = random.Next(1, 12);
        for (int i = 0; i < n; i++)
        {
            int cp = random.Next(start, end + 1);
            if (cp is >= 0xD800 and <= 0xDFFF) continue;
            sb.Append(char.ConvertFromUtf32(cp));
            if (random.Next(4) == 0) sb.Append(' ');
        }
    }

    /// <summary>Random id sequences over the vocabulary, for decode parity (partial UTF-8 byte runs included).</summary>
    public static List<int[]> RandomIdSequences(int count, int seed, int vocabSize, IReadOnlyList<int> favouredIds)
    {
        var random = new Random(seed);
        var result = new List<int[]>(count);
        for (int i = 0; i < count; i++)
        {
            var ids = new int[random.Next(1, 16)];
            for (int j = 0; j < ids.Length; j++)
                ids[j] = random.Next(3) == 0 ? favouredIds[random.Next(favouredIds.Count)] : random.Next(vocabSize);
            result.Add(ids);
        }
        return result;
    }
}
