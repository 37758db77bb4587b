namespace LvlmEval.Datasets.Hub;

/// <summary>How a column's cells are read: text (strings, or integers written as text), a 64-bit integer, or a list of strings.</summary>
public enum HubCellKind
{
    /// <summary>A string column (an integer column is accepted and read as its decimal text).</summary>
    Text,
    /// <summary>An integer column.</summary>
    Integer,
    /// <summary>A list of strings, or of structs whose <see cref="HubColumn.Leaf"/> field is a string (VQAv2's <c>answers</c>).</summary>
    TextList,
}

/// <summary>
/// A column a loader reads from a hub table. <paramref name="Names"/> are the accepted spellings (first wins);
/// <paramref name="Leaf"/> names the field inside a struct (<c>image.path</c>) or list element (<c>answers[].answer</c>).
/// </summary>
public sealed record HubColumn(string Key, IReadOnlyList<string> Names, HubCellKind Kind, string? Leaf = null, bool Required = true)
{
    /// <summary>A column with one accepted name, used under that name.</summary>
    public static HubColumn Of(string name, HubCellKind kind, string? leaf = null, bool required = true) => new(name, [name], kind, leaf, required);

    /// <summary>The image struct's <c>path</c> field (the original file name, when the export kept it).</summary>
    public static readonly HubColumn ImagePath = new("image.path", ["image"], HubCellKind.Text, "path", Required: false);
}
