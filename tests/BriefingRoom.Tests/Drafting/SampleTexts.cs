namespace BriefingRoom.Tests.Drafting;

/// <summary>Texts with a wide sample of the characters real texts use: every script we could think of, astral emoji and their sequences, combining marks, joiners, bidi marks, tabs and line breaks.</summary>
public static class SampleTexts
{
    /// <summary>Many lines; under 2,000 UTF-16 units, so it fits every long field (a reservation, a lock reason, a description, a draft).</summary>
    public const string Long =
        "Conclusions – Ελλάδα, България, Україна, Orbán, Łódź, Ærøskøbing, Straße, Œuvre, ș ț, ħ ġ ż, ő ű, Ğ ı İ.\n" +
        "\tTab-indented: Vie\u0302\u0323t (decomposed), e\u0301, a\u0308\u0304, Z\u0351\u0352\u0353o; Tiếng Việt (composed).\n" +
        "RTL: \u200Fשלום עולם\u200E, العربية\u061C, فارسی: می\u200Cخواهم, \u202Bembedded\u202C, \u2067isolate\u2069, \u202Eoverride\u202C.\n" +
        "Indic and more: हिन्दी, தமிழ், বাংলা, ગુજરાતી, ภาษาไทย, ພາສາລາວ, ខ្មែរ, མ་ཡིག, ܐܪܡܝܐ, አማርኛ, ᏣᎳᎩ, Հայաստան, საქართველო, ᠮᠣᠩᠭᠣᠯ, ꦗꦮ, ᓀᐦᐃᔭᐍᐏᐣ.\n" +
        "CJK: 日本語、中文（简体）、中文（繁體）、한국어, カタカナ, ひらがな, 𠀋𠀍𪚥 (plane 2).\n" +
        "Emoji: 🇪🇺 🇺🇦 🇭🇺 👩🏽‍⚖️ 👨‍👩‍👧‍👦 🏳️‍🌈 🫱🏻‍🫲🏿 🏴󠁧󠁢󠁥󠁮󠁧󠁿 ❤️ 1️⃣ ✌🏾 🧑‍🚀.\n" +
        "Symbols: 𝐀𝐁𝐂 𝔘𝔫𝔦 𝄞 𒀭 𐌰𐌱 𓂀 € £ ¥ ₴ ₽ § ¶ † ‰ ′ ″ « » „ “ ” ← → ∑ ∞ ≠ √ ½ ℃ № ™.\n" +
        "Spaces and marks: a\u00A0b\u202Fc\u2007d\u3000e, soft\u00ADhyphen, zero\u200Bwidth, \uFEFFbom, \uE000private, \uFDCF\uFDF0\uFFFC\uFFFD, \U0010FFFD, \u2028separator.\n" +
        "\n" +
        "\n" +
        "End of the sample: 6 March 2025.";

    /// <summary>One line of a bit of everything, under 200 UTF-16 units, for short fields (a place, a document number, a title).</summary>
    public const string Short = "EUCO 1/25 – Ελλάδα, Україна, 日本語 𠀋, \u200Fשלום\u200E عربى, e\u0301, 🇪🇺 👩🏽‍⚖️ 🏴󠁧󠁢󠁥󠁮󠁧󠁿,\ttab, a\u00A0b, zero\u200Bwidth\uFEFF.";
}
