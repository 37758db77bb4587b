using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Patch embedding: conv2d with stride = kernel (ViT), x [B, C, H, W] and w [O, C, P, P] → [B, (H/P)·(W/P), O],
    /// patches in row-major grid order (what vision towers get after flatten(2).transpose(1, 2)).
    /// Pixels past the last whole patch are ignored, as conv2d does.
    /// </summary>
    public static Tensor PatchEmbed(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (x.Rank != 4 || weight.Rank != 4 || weight.ShapeRef[1] != x.ShapeRef[1] || weight.ShapeRef[2] != weight.ShapeRef[3])
            throw new ArgumentException($"PatchEmbed: input {ShapeUtil.Format(x.ShapeRef)} ([B, C, H, W]) does not match weight {ShapeUtil.Format(weight.ShapeRef)} ([O, C, P, P]).");
        int b = x.ShapeRef[0], c = x.ShapeRef[1], height = x.ShapeRef[2], width = x.ShapeRef[3];
        int o = weight.ShapeRef[0], p = weight.ShapeRef[2];
        int gh = height / p, gw = width / p, cpp = c * p * p, patches = b * gh * gw;
        var cols = new float[patches * cpp];
        Im2Col(x.Data, cols, b, c, height, width, p, gh, gw, toCols: true);
        var w2 = Reshape(weight.Detach(), o, cpp);
        var colsTensor = new Tensor(cols, patches, cpp);
        Tensor y;
        using (Autograd.Disable()) y = Reshape(Linear(colsTensor, w2, bias?.Detach()), b, gh * gw, o);
        bool record = Autograd.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!record) return y;
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Autograd.Record(y, "PatchEmbed", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            var g2 = g.Data; // [patches, O]
            if (x.RequiresGrad)
            {
                var gcols = new float[patches * cpp];
                Gemm.Dense(false, false, patches, cpp, o, g2, w2.Data, gcols);
                var gx = new Tensor(x.ShapeRef);
                Im2Col(gx.Data, gcols, b, c, height, width, p, gh, gw, toCols: false);
                grads[0] = gx;
            }
            if (weight.RequiresGrad)
            {
                var gw2 = new Tensor(weight.ShapeRef);
                Gemm.Dense(true, false, o, cpp, patches, g2, cols, gw2.Data);
                grads[1] = gw2;
            }
            if (bias is { RequiresGrad: true })
            {
                var gb = new Tensor(bias.ShapeRef);
                for (int r = 0; r < patches; r++) TensorPrimitives.Add(gb.Data, g2.Slice(r * o, o), gb.Data);
                grads[2] = gb;
            }
            return grads;
        });
    }

    /// <summary>torch.nn.functional.conv2d with stride = kernel and no padding, in NCHW: [B, O, H/P, W/P].</summary>
    public static Tensor Conv2dPatchify(Tensor x, Tensor weight, Tensor? bias = null)
    {
        int p = weight.Rank == 4 ? weight.ShapeRef[2] : 1;
        var tokens = PatchEmbed(x, weight, bias); // [B, gh·gw, O]
        var nchw = Transpose(tokens, 1, 2);
        return Reshape(nchw, x.ShapeRef[0], weight.ShapeRef[0], x.ShapeRef[2] / p, x.ShapeRef[3] / p);
    }

    // cols[(b, i, j), (c, ky, kx)] = x[b, c, i·P + ky, j·P + kx]; with toCols false, scatters cols back into x.
    private static void Im2Col(Span<float> x, Span<float> cols, int b, int c, int height, int width, int p, int gh, int gw, bool toCols)
    {
        int cpp = c * p * p;
        for (int n = 0; n < b; n++)
            for (int i = 0; i < gh; i++)
                for (int j = 0; j < gw; j++)
                {
                    var col = cols.Slice(((n * gh + i) * gw + j) * cpp, cpp);
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < p; ky++)
                        {
                            var pixels = x.Slice(((n * c + ch) * height + i * p + ky) * width + j * p, p);
                            var part = col.Slice((ch * p + ky) * p, p);
                            if (toCols) pixels.CopyTo(part); else part.CopyTo(pixels);
                        }
                }
    }
}
