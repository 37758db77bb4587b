using System.Globalization;
using LvlmEval.Explorer.Serving;
using LvlmEval.Models.Llava;
using Microsoft.AspNetCore.Http;

namespace LvlmEval.Explorer.Api;

/// <summary>Reads and checks the fields of a request; every problem is a one-line <see cref="ExplorerRequestException"/> naming the field.</summary>
public static class FormFields
{
    /// <summary>The multipart form of <paramref name="request"/>.</summary>
    public static async Task<IFormCollection> Form(HttpRequest request)
    {
        if (!request.HasFormContentType) throw new ExplorerRequestException("send the fields as multipart/form-data");
        try
        {
            return await request.ReadFormAsync().ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new ExplorerRequestException($"the form cannot be read: {FirstLine(e.Message)}");
        }
    }

    /// <summary>The served model named by <paramref name="name"/>; may be omitted when one model is served.</summary>
    public static ServedModel Model(IReadOnlyDictionary<string, ServedModel> models, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (models.Count == 1) return models.Values.First();
            throw new ExplorerRequestException($"'model' is required when several models are served: {string.Join(", ", models.Keys)}");
        }
        return models.TryGetValue(name, out var model) ? model
            : throw new ExplorerRequestException($"unknown model '{name}'; served models: {string.Join(", ", models.Keys)}");
    }

    /// <summary>The uploaded image of field <paramref name="field"/>, decoded within the limits.</summary>
    public static async Task<(LvlmEval.Imaging.RgbImage Image, string FileName)> Image(IFormCollection form, string field, RequestLimits limits)
    {
        var file = form.Files.GetFile(field) ?? throw new ExplorerRequestException($"'{field}' is missing: upload a JPEG or PNG file in it");
        if (file.Length > limits.MaxImageBytes)
            throw new ExplorerRequestException($"'{field}' is {file.Length / (1024.0 * 1024):F1} MB; the limit is {limits.MaxImageBytes / (1024 * 1024)} MB");
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer).ConfigureAwait(false);
        return (UploadedImage.Decode(buffer.ToArray(), field, limits), file.FileName);
    }

    /// <summary>The prompt, non-empty and within the limit.</summary>
    public static string Prompt(string? value, RequestLimits limits)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ExplorerRequestException("'prompt' is missing: type a question");
        if (value.Length > limits.MaxPromptChars) throw new ExplorerRequestException($"'prompt' has {value.Length} characters; the limit is {limits.MaxPromptChars}");
        return value;
    }

    /// <summary>The chat template (default auto).</summary>
    public static PromptTemplate Template(string? value) =>
        string.IsNullOrEmpty(value) ? PromptTemplate.Auto
        : PromptTemplates.Parse(value) ?? throw new ExplorerRequestException($"'template' must be one of {string.Join(", ", PromptTemplates.Names)}; got '{value}'");

    /// <summary>max_new_tokens (default 16), 1 … the limit.</summary>
    public static int MaxNewTokens(string? value, RequestLimits limits)
    {
        int max = string.IsNullOrEmpty(value) ? 16 : Int(value, "max_new_tokens");
        if (max < 1 || max > limits.MaxNewTokens) throw new ExplorerRequestException($"'max_new_tokens' must be 1 … {limits.MaxNewTokens}; got {max}");
        return max;
    }

    /// <summary>An integer field or query parameter (default when absent).</summary>
    public static int Int(string? value, string field, int? fallback = null)
    {
        if (string.IsNullOrEmpty(value) && fallback is { } f) return f;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new ExplorerRequestException($"'{field}' must be an integer; got '{value}'");
    }

    /// <summary>A number query parameter, or null when absent.</summary>
    public static double? Number(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw new ExplorerRequestException($"'{field}' must be a number; got '{value}'");
    }

    /// <summary>The first line of a message (no stack traces or inner detail reach a client).</summary>
    public static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
