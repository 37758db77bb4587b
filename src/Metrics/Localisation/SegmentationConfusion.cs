namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// A VOC-style confusion matrix accumulated over a dataset: rows are ground-truth classes, columns predicted classes,
/// ground-truth void (255) pixels are skipped. IoU_c = n_cc / (Σ_j n_cj + Σ_i n_ic − n_cc); the mean IoU averages over
/// classes whose union is non-empty (a class absent from both truth and prediction has no IoU).
/// </summary>
public sealed class SegmentationConfusion
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for labels 0 … <paramref name="classes"/> − 1 (21 for PASCAL VOC, background included).</summary>
    public SegmentationConfusion(int classes)
    {
        if (classes is < 1 or > 255) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Class count must be in [1, 255].");
        Classes = classes;
        _counts = new long[classes * classes];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Pixels of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth * Classes + predicted];

    /// <summary>Adds one image: predicted and true labels per pixel; true 255 is void and skipped.</summary>
    public void Add(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth)
    {
        if (predicted.Length != truth.Length)
            throw new ArgumentException($"Prediction holds {predicted.Length} labels but the truth holds {truth.Length}.", nameof(predicted));
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i];
            if (t == EvidenceGrid.Void) continue;
            int p = predicted[i];
            if (t >= Classes) throw new ArgumentException($"True label {t} at pixel {i} is outside 0…{Classes - 1} and not void (255).", nameof(truth));
            if (p >= Classes) throw new ArgumentException($"Predicted label {p} at pixel {i} is outside 0…{Classes - 1}.", nameof(predicted));
            _counts[t * Classes + p]++;
        }
    }

    /// <summary>Adds counts for one (truth, prediction) cell, e.g. from per-sample rows.</summary>
    public void Add(int truth, int predicted, long count)
    {
        if ((uint)truth >= Classes || (uint)predicted >= Classes)
            throw new ArgumentOutOfRangeException(nameof(truth), $"Cell ({truth}, {predicted}) is outside the {Classes}×{Classes} matrix.");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Counts are non-negative.");
        _counts[truth * Classes + predicted] += count;
    }

    /// <summary>IoU of class <paramref name="c"/>, or NaN when neither truth nor prediction holds it.</summary>
    public double Iou(int c)
    {
        long rows = 0, columns = 0;
        for (int j = 0; j < Classes; j++)
        {
            rows += _counts[c * Classes + j];
            columns += _counts[j * Classes + c];
        }
        long diagonal = _counts[c * Classes + c];
        long union = rows + columns - diagonal;
        return union == 0 ? double.NaN : (double)diagonal / union;
    }

    /// <summary>Mean IoU over classes present in truth or prediction; fails when nothing was counted (e.g. all pixels void).</summary>
    public double MeanIou()
    {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < Classes; c++)
        {
            double iou = Iou(c);
            if (double.IsNaN(iou)) continue;
            sum += iou;
            present++;
        }
        if (present == 0) throw new InvalidOperationException("The confusion matrix is empty (no non-void pixel was added); mean IoU is undefined.");
        return sum / present;
    }
}
