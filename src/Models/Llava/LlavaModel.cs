using LvlmEval.Common.Config;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;
using LvlmEval.Models.Config;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Text;
using LvlmEval.Models.Tokenization;
using LvlmEval.Models.Tracing;
using LvlmEval.Models.Vision;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Llava;

/// <summary>
/// A Hugging Face <c>LlavaForConditionalGeneration</c> folder on CPU: vision tower → projector → image features
/// spliced into the token embeddings at the image tokens → Llama/Qwen2 decoder. Prepares prompts, generates greedily
/// with a KV cache, and runs traced forwards that expose attention, hidden states and gradients.
/// </summary>
public sealed class LlavaModel
{
    private readonly int[] _featureLayers;
    private readonly IReadOnlyList<(string Name, Tensor Tensor)> _parameters;

    private LlavaModel(string directory, LlavaConfig config, CheckpointLayout layout, VisionTower vision, MultiModalProjector projector,
        LanguageModel language, Tokenizer? tokenizer, ImageProcessor? processor, int[] eosTokenIds, IReadOnlyList<(string Name, Tensor Tensor)> parameters,
        IReadOnlyList<(string Name, WeightMatrix Matrix)> halfWidthWeights)
    {
        _parameters = parameters;
        HalfWidthWeights = halfWidthWeights;
        Folder = directory;
        Config = config;
        Layout = layout;
        Vision = vision;
        Projector = projector;
        Language = language;
        Tokenizer = tokenizer;
        ImageProcessor = processor;
        EosTokenIds = eosTokenIds;
        _featureLayers = config.ResolvedFeatureLayers;
    }

    /// <summary>The model folder.</summary>
    public string Folder { get; }
    public LlavaConfig Config { get; }
    /// <summary>The checkpoint's key layout.</summary>
    public CheckpointLayout Layout { get; }
    public VisionTower Vision { get; }
    public MultiModalProjector Projector { get; }
    public LanguageModel Language { get; }
    /// <summary>The folder's tokenizer.json with the image token registered, or null when the folder has none.</summary>
    public Tokenizer? Tokenizer { get; }
    /// <summary>The folder's preprocessor_config.json pipeline, or null when the folder has none.</summary>
    public ImageProcessor? ImageProcessor { get; }
    /// <summary>Tokens that end generation (generation_config.json, else text_config).</summary>
    public int[] EosTokenIds { get; }

    /// <summary>
    /// The weight tensors the forward reads, keyed as in the checkpoint (a tied head appears once, as the embedding).
    /// They are the model's live parameters: set <see cref="Tensor.RequiresGrad"/> on them to train, and save them
    /// under these names to write a checkpoint with the same layout. A model holding half-width weights has no such list
    /// (its matrices are read-only views of the checkpoint files): load it with <see cref="WeightStorage.Float32"/> to train
    /// or re-draw its weights.
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Parameters => HalfWidthWeights.Count == 0 ? _parameters
        : throw new InvalidOperationException($"{Folder}: {HalfWidthWeights.Count} weight matrices are kept in their stored width (F16/BF16, read-only " +
            "views of the checkpoint files), so the model's parameters cannot be changed; load it with WeightStorage.Float32 (experiment dtype: float32).");

    /// <summary>Weight matrices kept F16/BF16 as stored and widened inside each product (empty when loaded as float32).</summary>
    public IReadOnlyList<(string Name, WeightMatrix Matrix)> HalfWidthWeights { get; }

    /// <summary>Parameters that take part in the forward.</summary>
    public long ParameterCount => Vision.ParameterCount + Projector.ParameterCount + Language.ParameterCount;

    /// <summary>
    /// Loads a model folder: config.json, safetensors weights (single or sharded, either key layout), tokenizer.json and
    /// preprocessor_config.json when present. F16/BF16 weight matrices stay in their stored width unless
    /// <paramref name="storage"/> is <see cref="WeightStorage.Float32"/>.
    /// </summary>
    /// <exception cref="ModelConfigException">config.json is invalid or describes an unsupported model.</exception>
    /// <exception cref="UnsupportedCheckpointException">The folder has no safetensors weights (e.g. only pickle .bin files).</exception>
    /// <exception cref="CheckpointMismatchException">Tensors are missing, unexpected or misshapen.</exception>
    public static LlavaModel Load(string directory, WeightStorage storage = WeightStorage.AsStored)
    {
        var config = LlavaConfig.Load(Path.Combine(directory, "config.json"));
        using var loader = new WeightLoader(directory, storage);
        var layout = CheckpointLayout.Detect(loader.Checkpoint.Names);
        int deepest = config.ResolvedFeatureLayers.Max();
        var root = loader.Root;
        var vision = new VisionTower(root.Pp(layout.VisionTower), config.Vision, deepest, config.Source);
        var projector = new MultiModalProjector(root.Pp(layout.Projector), config);
        var language = new LanguageModel(root.Pp(layout.LanguageModel), root.Pp(layout.LmHead), config.Text, config.Source);
        IgnoreUnusedTensors(loader, layout, config, deepest);
        loader.Validate();

        var tokenizer = LoadTokenizer(directory, config);
        var processorPath = Path.Combine(directory, "preprocessor_config.json");
        var processor = File.Exists(processorPath) ? ImageProcessor.Load(processorPath) : null;
        return new LlavaModel(directory, config, layout, vision, projector, language, tokenizer, processor, ReadEos(directory, config), loader.Loaded.ToArray(),
            loader.Mapped.ToArray());
    }

    // Tensors a LLaVA forward never reads: tower layers past the deepest feature layer, the tower's post-layernorm and
    // pooling head, and non-persistent buffers some exporters saved.
    private static void IgnoreUnusedTensors(WeightLoader loader, CheckpointLayout layout, LlavaConfig config, int deepest)
    {
        var tower = layout.VisionTower + ".vision_model.";
        var layerPrefix = tower + "encoder.layers.";
        loader.Ignore(key =>
        {
            if (key.EndsWith(".position_ids", StringComparison.Ordinal) || key.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)) return true;
            if (!key.StartsWith(tower, StringComparison.Ordinal)) return false;
            if (key.StartsWith(tower + "post_layernorm.", StringComparison.Ordinal) || key.StartsWith(tower + "head.", StringComparison.Ordinal)) return true;
            if (!key.StartsWith(layerPrefix, StringComparison.Ordinal)) return false;
            var rest = key.AsSpan(layerPrefix.Length);
            int dot = rest.IndexOf('.');
            return dot > 0 && int.TryParse(rest[..dot], out int layer) && layer >= deepest && layer < config.Vision.NumLayers;
        });
    }

    private static Tokenizer? LoadTokenizer(string directory, LlavaConfig config)
    {
        var path = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(path)) return null;
        var tokenizer = Tokenizer.FromFile(path);
        var existing = tokenizer.TokenToId(PromptTemplates.ImagePlaceholder);
        if (existing is null)
        {
            try { tokenizer.AddSpecialToken(PromptTemplates.ImagePlaceholder, config.ImageTokenId); }
            catch (ArgumentException e)
            {
                throw new ModelConfigException(config.Source, "image_token_index",
                    $"{config.ImageTokenId} cannot hold {PromptTemplates.ImagePlaceholder} in {path}: {e.Message}", e);
            }
        }
        else if (existing != config.ImageTokenId)
            throw new ModelConfigException(config.Source, "image_token_index",
                $"{config.ImageTokenId} differs from the id of {PromptTemplates.ImagePlaceholder} in {path} ({existing}).");
        return tokenizer;
    }

    private static int[] ReadEos(string directory, LlavaConfig config)
    {
        var path = Path.Combine(directory, "generation_config.json");
        if (File.Exists(path) && ConfigDocument.Load(path, ModelConfigException.Create).Root.AsMapping().IntOrIntList("eos_token_id") is { } eos) return eos;
        return config.Text.EosTokenIds;
    }

    // ---- prompting ----

    /// <summary>Prepares one image and a question with a prompt template.</summary>
    public PreparedInput Prepare(RgbImage image, string question, PromptTemplate template = PromptTemplate.Auto) =>
        Prepare([image], question, template);

    /// <summary>Prepares several images sharing one prompt (a batch for perturbation metrics).</summary>
    public PreparedInput Prepare(IReadOnlyList<RgbImage> images, string question, PromptTemplate template = PromptTemplate.Auto)
    {
        if (images.Count == 0) throw new ArgumentException("At least one image is needed.", nameof(images));
        var processor = ImageProcessor ?? throw new FileNotFoundException($"{Folder}: preprocessor_config.json is missing; images cannot be prepared.");
        var pixels = images.Select(processor.Preprocess).ToArray();
        int size = Config.Vision.ImageSize;
        if (pixels[0].Dim(1) != size || pixels[0].Dim(2) != size)
            throw new ModelConfigException(Path.Combine(Folder, "preprocessor_config.json"), "size",
                $"produces {pixels[0].Dim(1)}×{pixels[0].Dim(2)} images but the vision tower expects {size}×{size}.");
        var batch = Ops.Reshape(Ops.Concat(pixels.Select(p => Ops.Reshape(p, 1, 3, size, size)).ToArray(), 0), images.Count, 3, size, size);
        return PrepareTokens(question, template, batch);
    }

    /// <summary>Tokenises a question with the template and pairs it with already preprocessed pixels [B, 3, H, W].</summary>
    public PreparedInput PrepareTokens(string question, PromptTemplate template, Tensor pixels)
    {
        var tokenizer = Tokenizer ?? throw new FileNotFoundException($"{Folder}: tokenizer.json is missing; prompts cannot be tokenised.");
        var text = PromptTemplates.Render(PromptTemplates.Resolve(template, tokenizer), question);
        var ids = tokenizer.Encode(text);
        int placeholders = ids.Count(id => id == Config.ImageTokenId);
        if (placeholders != 1)
            throw new ArgumentException($"The prompt must contain {PromptTemplates.ImagePlaceholder} exactly once, found {placeholders}: \"{text}\"", nameof(question));
        int at = Array.IndexOf(ids, Config.ImageTokenId), n = Config.ImageTokenCount;
        var expanded = new int[ids.Length - 1 + n];
        ids.AsSpan(0, at).CopyTo(expanded);
        expanded.AsSpan(at, n).Fill(Config.ImageTokenId);
        ids.AsSpan(at + 1).CopyTo(expanded.AsSpan(at + n));
        return FromTokenIds(expanded, pixels) with { PromptText = text };
    }

    /// <summary>Builds a prepared input from token ids that already contain the expanded image tokens (one contiguous run).</summary>
    public PreparedInput FromTokenIds(int[] tokenIds, Tensor pixels)
    {
        int start = Array.IndexOf(tokenIds, Config.ImageTokenId);
        int count = tokenIds.Count(id => id == Config.ImageTokenId);
        if (start < 0 || count != Config.ImageTokenCount || tokenIds.AsSpan(start, count).ContainsAnyExcept(Config.ImageTokenId))
            throw new ArgumentException($"Token ids must hold one contiguous run of {Config.ImageTokenCount} image tokens (id {Config.ImageTokenId}); found {count}.");
        var v = Config.Vision;
        int offset = (v.HasClassToken ? 1 : 0) - (Config.FeatureSelect == VisionFeatureSelect.Default ? 1 : 0);
        return new PreparedInput
        {
            TokenIds = tokenIds, Pixels = pixels, ImageTokenStart = start, ImageTokenCount = count,
            GridHeight = v.GridSide, GridWidth = v.GridSide, PatchTokenStart = start + offset,
        };
    }

    // ---- forward pieces ----

    /// <summary>Projected image features [B, N, D] for pixels [B, 3, H, W].</summary>
    public Tensor ImageFeatures(Tensor pixels)
    {
        using var clock = ModelClock.Measure();
        return ImageFeatures(pixels, ForwardRecorder.None);
    }

    internal Tensor ImageFeatures(Tensor pixels, ForwardRecorder recorder)
    {
        var states = Vision.Forward(pixels, recorder);
        var selected = _featureLayers.Select(l => states[l]).ToArray();
        var features = selected.Length == 1 ? selected[0] : Ops.Concat(selected, 2);
        if (Config.FeatureSelect == VisionFeatureSelect.Default) features = Ops.Narrow(features, 1, 1, features.Dim(1) - 1);
        return Projector.Forward(features);
    }

    /// <summary>Token embeddings [B, S, D] with the image tokens replaced by <paramref name="imageFeatures"/> [B, N, D].</summary>
    internal Tensor MergeEmbeddings(int[] tokenIds, PreparedInput prepared, Tensor imageFeatures)
    {
        int b = imageFeatures.Dim(0);
        var ids = new int[tokenIds.Length * b];
        for (int i = 0; i < b; i++) tokenIds.CopyTo(ids, i * tokenIds.Length);
        return MergeEmbeddings(ids, b, prepared.ImageTokenStart, prepared.ImageTokenCount, imageFeatures);
    }

    /// <summary>Embeddings of per-item ids [B·S] (image run at <paramref name="start"/> in every item) with the run replaced by the features.</summary>
    private Tensor MergeEmbeddings(int[] ids, int b, int start, int n, Tensor imageFeatures)
    {
        int s = ids.Length / b;
        if (imageFeatures.Dim(1) != n)
            throw new InvalidOperationException($"Image features ({imageFeatures.Dim(1)}) and image tokens ({n}) do not match.");
        var before = start > 0 ? Language.Embed(Segment(ids, b, s, 0, start), b) : null;
        int afterLength = s - start - n;
        var after = afterLength > 0 ? Language.Embed(Segment(ids, b, s, start + n, afterLength), b) : null;
        var parts = new List<Tensor>(3);
        if (before is not null) parts.Add(before);
        parts.Add(imageFeatures);
        if (after is not null) parts.Add(after);
        return parts.Count == 1 ? parts[0] : Ops.Concat(parts, 1);
    }

    // Positions [from, from + length) of each of the b rows of ids [b·s].
    private static int[] Segment(int[] ids, int b, int s, int from, int length)
    {
        var result = new int[b * length];
        for (int i = 0; i < b; i++) ids.AsSpan(i * s + from, length).CopyTo(result.AsSpan(i * length));
        return result;
    }

    /// <summary>
    /// Teacher-forced logits [B, S − <paramref name="logitsFrom"/>, V] for a batch whose items have their own token ids
    /// (all of one length, with the image run at the same place, as the prompt template gives for questions of equal
    /// token length) and their own images [B, 3, H, W]. Autograd records the forward when it is enabled and the
    /// <see cref="Parameters"/> require gradients, so training runs through the same code as inference.
    /// </summary>
    public Tensor BatchLogits(IReadOnlyList<int[]> tokenIds, Tensor pixels, int logitsFrom = 0)
    {
        int b = tokenIds.Count;
        if (b == 0 || pixels.Rank != 4 || pixels.Dim(0) != b)
            throw new ArgumentException($"BatchLogits needs one image per item: {b} token sequences, pixels {ShapeUtil.Format(pixels.Shape)}.", nameof(pixels));
        var first = FromTokenIds(tokenIds[0], pixels);
        int s = first.TokenIds.Length;
        if (logitsFrom < 0 || logitsFrom >= s)
            throw new ArgumentOutOfRangeException(nameof(logitsFrom), logitsFrom, $"logitsFrom must be inside the sequence of {s}.");
        var ids = new int[b * s];
        for (int i = 0; i < b; i++)
        {
            var item = tokenIds[i];
            if (item.Length != s || FromTokenIds(item, pixels).ImageTokenStart != first.ImageTokenStart)
                throw new ArgumentException($"Item {i} has {item.Length} tokens; every item needs {s} with the image run at {first.ImageTokenStart}.", nameof(tokenIds));
            item.CopyTo(ids, i * s);
        }
        var embeddings = MergeEmbeddings(ids, b, first.ImageTokenStart, first.ImageTokenCount, ImageFeatures(pixels));
        var hidden = Language.Forward(embeddings, Positions(0, s), null, ForwardRecorder.None);
        return Language.Logits(logitsFrom == 0 ? hidden : Ops.Narrow(hidden, 1, logitsFrom, s - logitsFrom));
    }

    // ---- generation ----

    /// <summary>
    /// Greedy decoding with a KV cache for a single image: stops at an EOS token or after <paramref name="maxNewTokens"/>.
    /// <paramref name="hooks"/> edit the residual stream of the prompt and of every generated token (positions are absolute).
    /// </summary>
    public GenerationResult Generate(PreparedInput prepared, int maxNewTokens, IReadOnlyList<IHiddenStateHook>? hooks = null)
    {
        using var modelClock = ModelClock.Measure();
        if (prepared.BatchSize != 1) throw new ArgumentException($"Generate takes one image, got a batch of {prepared.BatchSize}; use Forward for batches.", nameof(prepared));
        using var noGrad = Autograd.Disable();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan prefillTime = TimeSpan.Zero;
        var recorder = hooks is { Count: > 0 } ? new ForwardRecorder(new TraceOptions { Hooks = hooks }) : ForwardRecorder.None;
        var cache = new KeyValueCache(Language.NumLayers);
        var embeddings = MergeEmbeddings(prepared.TokenIds, prepared, ImageFeatures(prepared.Pixels));
        int position = prepared.TokenIds.Length;
        var hidden = Language.Forward(embeddings, Positions(0, position), cache, recorder);
        var answer = new List<int>();
        bool eos = false;
        for (int step = 0; step < maxNewTokens; step++)
        {
            var last = Ops.Narrow(hidden, 1, hidden.Dim(1) - 1, 1);
            int next = ArgMax(Language.Logits(last).Data);
            if (step == 0) prefillTime = clock.Elapsed;
            if (EosTokenIds.Contains(next)) { eos = true; break; }
            answer.Add(next);
            if (step == maxNewTokens - 1) break;
            hidden = Language.Forward(Language.Embed([next], 1), [position], cache, recorder);
            position++;
        }
        var ids = answer.ToArray();
        var total = clock.Elapsed;
        return new GenerationResult(ids, Tokenizer?.Decode(ids, skipSpecialTokens: true) ?? "", eos, prefillTime, total - prefillTime);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static int[] Positions(int start, int count)
    {
        var p = new int[count];
        for (int i = 0; i < count; i++) p[i] = start + i;
        return p;
    }

    // ---- answer scoring ----

    /// <summary>
    /// Answer log-probabilities for these ids: [B][T] teacher-forced log p(y_t | x_b, prompt, y_&lt;t) of every token of
    /// <paramref name="answerIds"/> after <paramref name="prepared"/>'s prompt, for every image of its batch, from one
    /// forward without gradients (logits only from the last prompt position); <paramref name="attentionBlocks"/> removes
    /// attention edges in that forward (attention knockout). Explainers, metrics and the CLI score answers through this.
    /// </summary>
    public double[][] AnswerLogProbabilities(PreparedInput prepared, ReadOnlySpan<int> answerIds, IReadOnlyList<AttentionBlock>? attentionBlocks = null)
    {
        if (answerIds.Length == 0) throw new ArgumentException("The answer is empty; there is nothing to score.", nameof(answerIds));
        var trace = Forward(prepared, answerIds, TraceOptions.Plain with { LogitsFrom = prepared.TokenIds.Length - 1, AttentionBlocks = attentionBlocks ?? [] });
        var result = new double[trace.Logits.Dim(0)][];
        for (int b = 0; b < result.Length; b++) result[b] = trace.AnswerTokenLogProbabilities(b);
        return result;
    }

    // ---- traced forward ----

    /// <summary>Bytes the weights take in memory (half-width matrices at their stored size, the rest as float32).</summary>
    public long WeightBytes => HalfWidthWeights.Sum(w => w.Matrix.StoredBytes) + sizeof(float) * (ParameterCount - HalfWidthWeights.Sum(w => w.Matrix.Length));

    // Whether a gradient trace keeping every layer's activations is estimated to fit in the memory available now (the
    // estimate includes the weights; mapped ones are in MemAvailable's page cache, so only anonymous memory is added).
    private bool FullTraceFits(int sequence, int batch) =>
        MemoryEstimator.GradientTraceBytes(Config, WeightBytes, sequence, recompute: false, batch) <= MemoryEstimator.AvailableBytes() + MemoryEstimator.AnonymousResidentBytes();

    /// <summary>
    /// Teacher-forced forward over the prompt followed by <paramref name="answerIds"/> for every image of the batch,
    /// recording what <paramref name="options"/> asks for.
    /// </summary>
    public Trace Forward(PreparedInput prepared, ReadOnlySpan<int> answerIds, TraceOptions? options = null)
    {
        using var modelClock = ModelClock.Measure();
        options ??= TraceOptions.Plain;
        int[] ids = [.. prepared.TokenIds, .. answerIds];
        if (options.LogitsFrom < 0 || options.LogitsFrom >= ids.Length)
            throw new ArgumentOutOfRangeException(nameof(options), options.LogitsFrom, $"LogitsFrom must be inside the sequence of {ids.Length}.");
        var recorder = new ForwardRecorder(options) { RecomputesLayers = options.Gradients && (options.RecomputeLayers ?? !FullTraceFits(ids.Length, prepared.BatchSize)) };
        using var mode = options.Gradients ? Autograd.Enable() : Autograd.Disable();
        var pixels = prepared.Pixels;
        if (options.Gradients && options.GradientsToPixels)
        {
            pixels = pixels.Detach();
            pixels.RequiresGrad = true;
        }
        var features = ImageFeatures(pixels, recorder);
        if (options.Gradients && !options.GradientsToPixels)
        {
            features = features.Detach();
            features.RequiresGrad = true;
        }
        features = recorder.Retain(features);
        var embeddings = MergeEmbeddings(ids, prepared, features);
        var hidden = Language.Forward(embeddings, Positions(0, ids.Length), null, recorder);
        var logits = Language.Logits(options.LogitsFrom == 0 ? hidden : Ops.Narrow(hidden, 1, options.LogitsFrom, ids.Length - options.LogitsFrom));
        return new Trace(Language.FinalNorm, Language.LmHead, ids, prepared.TokenIds.Length, options, pixels, features, hidden, logits, recorder);
    }
}
