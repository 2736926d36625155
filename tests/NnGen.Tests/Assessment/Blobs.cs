namespace NnGen.Tests.Assessment;

/// <summary>Three well separated Gaussian blobs in 4 dimensions, labels 0..2.</summary>
internal static class Blobs
{
    public static (float[] X, byte[] Labels) Make(int n, int seed)
    {
        float[,] centers = { { 2, 0, 0, -1 }, { -2, 1, 0, 1 }, { 0, -2, 2, 0 } };
        var rng = new Rng(seed);
        var x = new float[n * 4];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            int c = rng.NextInt(3);
            labels[i] = (byte)c;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = centers[c, d] + 0.5f * rng.NextGaussian();
        }
        return (x, labels);
    }
}
