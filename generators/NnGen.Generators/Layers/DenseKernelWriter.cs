using System.Linq;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// Writes Dense's register-blocked kernels with constant sizes: the forward product and the weight gradient share one
/// tile generator (<see cref="EmitGemm"/>), the input gradient is a blocked dot product (<see cref="EmitInputGradient"/>).
/// </summary>
internal static class DenseKernelWriter
{
    private const string Rows = "rows";

    /// <summary>
    /// C (M, N) = A (M, R) · B (R, N) [+ bias] [relu] over the columns [j0, j1), with N constant. A's element (m, r) is at
    /// m·AStrideM + r·AStrideReduction; B and C are row-major with row length N. M or R is the runtime row count.
    /// </summary>
    public sealed record Gemm(string C, string A, string B, string? Bias, string M, string Reduction, int N, int AStrideM, string AStrideReduction, bool Relu);

    public static void EmitGemm(CodeWriter w, Gemm g)
    {
        int n = g.N, n16 = n - n % 16, n32 = n - n % 32, n8 = n - n % 8;
        w.Line($"const int N = {n};");
        if (n % 32 == 0)
        {
            // 512-bit vectors where the CPU has them (widths in whole 32-column strips only, so no tails):
            // 4 x 32 tiles of 8 Vector512 accumulators, single rows in 1 x 32 tiles with two accumulator sets.
            w.Open($"if ({Simd}.IsEnabled512)");
            w.Line($"int m4 = {g.M} - {g.M} % 4;");
            w.Open("for (int j = j0; j < j1; j += 32)");
            w.Open("for (int m = 0; m < m4; m += 4)");
            EmitRowRefs(w, g);
            EmitTile(w, g, rows: 4, vectors: 2, lanes: 16);
            w.Close();
            w.Close();
            w.Open($"for (int m = m4; m < {g.M}; m++)");
            EmitRowRefs(w, g);
            w.Open("for (int j = j0; j < j1; j += 32)");
            EmitTile(w, g, rows: 1, vectors: 2, lanes: 16);
            w.Close();
            w.Close();
            w.Line("return;");
            w.Close();
        }
        if (n >= 8)
        {
            w.Open($"if ({Simd}.IsEnabled)");
            w.Line($"int m4 = {g.M} - {g.M} % 4;");
            // Column strips outermost, so a strip of B stays in cache while every 4-row tile of A passes over it.
            if (n16 > 0)
            {
                w.Line($"int end16 = {Math}.Min(j1, {n16});");
                w.Open("for (int j = j0; j < end16; j += 16)");
                w.Open("for (int m = 0; m < m4; m += 4)");
                EmitRowRefs(w, g);
                EmitTile(w, g, rows: 4, vectors: 2);
                w.Close();
                w.Close();
            }
            if (n % 16 != 0)
            {
                w.Open("if (j1 == N)");
                if (n % 16 >= 8)
                {
                    w.Open("for (int m = 0; m < m4; m += 4)");
                    EmitRowRefs(w, g);
                    w.Line($"const int j = {n16};");
                    EmitTile(w, g, rows: 4, vectors: 1);
                    w.Close();
                }
                if (n % 8 != 0)
                {
                    w.Open("for (int m = 0; m < m4; m += 4)");
                    EmitRowRefs(w, g);
                    EmitScalarColumns(w, g, rows: 4, from: Int(n8), to: "N");
                    w.Close();
                }
                w.Close();
            }
            // Remaining rows one at a time: 1 x 32 tiles with two accumulator sets (8 independent FMA chains).
            w.Open($"for (int m = m4; m < {g.M}; m++)");
            EmitRowRefs(w, g);
            if (n32 > 0)
            {
                w.Open($"for (int j = j0; j < {Math}.Min(j1, {n32}); j += 32)");
                EmitTile(w, g, rows: 1, vectors: 4);
                w.Close();
            }
            if (n % 32 != 0)
            {
                w.Open("if (j1 == N)");
                if (n8 > n32)
                {
                    w.Open($"for (int j = {n32}; j < {n8}; j += 8)");
                    EmitTile(w, g, rows: 1, vectors: 1);
                    w.Close();
                }
                if (n % 8 != 0) EmitScalarColumns(w, g, rows: 1, from: Int(n8), to: "N");
                w.Close();
            }
            w.Close();
            w.Line("return;");
            w.Close();
        }
        w.Line("// Portable path.");
        w.Open($"for (int m = 0; m < {g.M}; m++)");
        EmitRowRefs(w, g);
        EmitScalarColumns(w, g, rows: 1, from: "j0", to: "j1");
        w.Close();
    }

    private static void EmitRowRefs(CodeWriter w, Gemm g)
    {
        w.Line($"ref float am = ref {Unsafe}.Add(ref {g.A}, m * {g.AStrideM});");
        w.Line($"ref float cm = ref {Unsafe}.Add(ref {g.C}, m * N);");
    }

    /// <summary>
    /// A rows x (8·vectors) register tile at column j: accumulators c{i}{v}, a loop over the reduction, one store.
    /// A single-row tile alternates two accumulator sets between even and odd reduction steps, so the FMA latency is hidden.
    /// </summary>
    private static void EmitTile(CodeWriter w, Gemm g, int rows, int vectors, int lanes = 8)
    {
        string V = lanes == 16 ? V512 : CodeWriter.V;
        string vt = $"{V}<float>"; // written out rather than var, which a type named var would capture
        bool twoSets = rows == 1 && vectors > 1;
        var vs = Enumerable.Range(0, vectors).ToList();
        foreach (int v in vs)
        {
            string init = g.Bias is null ? $"{V}.Create(0f)" : $"{V}.LoadUnsafe(ref {g.Bias}, ({NUInt})(j + {lanes * v}))";
            w.Line($"{vt} c0{v} = {init};");
        }
        for (int i = 1; i < rows; i++)
            w.Line(string.Join(" ", vs.Select(v => $"{vt} c{i}{v} = c0{v};")));
        if (twoSets) w.Line(string.Join(" ", vs.Select(v => $"{vt} d{v} = {V}.Create(0f);")));
        w.Line($"ref float br = ref {Unsafe}.Add(ref {g.B}, j);");
        w.Line("ref float ar = ref am;");
        w.Line("int r = 0;");
        if (twoSets)
        {
            w.Open($"for (; r + 2 <= {g.Reduction}; r += 2)");
            w.Line(string.Join(" ", vs.Select(v => $"{vt} b{v} = {V}.LoadUnsafe(ref br{(v == 0 ? "" : $", ({NUInt}){lanes * v}")});")));
            w.Line($"{vt} a0 = {V}.Create(ar);");
            w.Line(string.Join(" ", vs.Select(v => $"c0{v} = {Simd}.MulAdd(a0, b{v}, c0{v});")));
            w.Line(string.Join(" ", vs.Select(v => $"b{v} = {V}.LoadUnsafe(ref br, ({NUInt}){g.N + lanes * v});")));
            w.Line($"a0 = {V}.Create({Unsafe}.Add(ref ar, {g.AStrideReduction}));");
            w.Line(string.Join(" ", vs.Select(v => $"d{v} = {Simd}.MulAdd(a0, b{v}, d{v});")));
            w.Line($"br = ref {Unsafe}.Add(ref br, {2 * g.N});");
            w.Line($"ar = ref {Unsafe}.Add(ref ar, 2 * {g.AStrideReduction});");
            w.Close();
        }
        w.Open($"for (; r < {g.Reduction}; r++)");
        w.Line(string.Join(" ", vs.Select(v => $"{vt} b{v} = {V}.LoadUnsafe(ref br{(v == 0 ? "" : $", ({NUInt}){lanes * v}")});")));
        for (int i = 0; i < rows; i++)
        {
            string a = i == 0 ? "ar" : $"{Unsafe}.Add(ref ar, {i * g.AStrideM})";
            w.Line($"{vt} a{i} = {V}.Create({a});");
            w.Line(string.Join(" ", vs.Select(v => $"c{i}{v} = {Simd}.MulAdd(a{i}, b{v}, c{i}{v});")));
        }
        w.Line($"br = ref {Unsafe}.Add(ref br, N);");
        w.Line($"ar = ref {Unsafe}.Add(ref ar, {g.AStrideReduction});");
        w.Close();
        if (twoSets) w.Line(string.Join(" ", vs.Select(v => $"c0{v} += d{v};")));
        if (g.Relu)
        {
            // max(0, c) with c second: maxps returns its second operand when either is NaN, so NaN propagates as in Keras.
            w.Line($"{vt} zero = {V}.Create(0f);");
            for (int i = 0; i < rows; i++)
                w.Line(string.Join(" ", vs.Select(v => $"c{i}{v} = {V}.MaxNative(zero, c{i}{v});")));
        }
        for (int i = 0; i < rows; i++)
            w.Line(string.Join(" ", vs.Select(v => $"{V}.StoreUnsafe(c{i}{v}, ref cm, ({NUInt})(j + {i * g.N + lanes * v}));")));
    }

    /// <summary>Scalar columns [from, to) for <paramref name="rows"/> consecutive rows starting at am/cm.</summary>
    private static void EmitScalarColumns(CodeWriter w, Gemm g, int rows, string from, string to)
    {
        w.Open($"for (int j = {from}; j < {to}; j++)");
        string init = g.Bias is null ? "0f" : $"{Unsafe}.Add(ref {g.Bias}, j)";
        w.Line(string.Join(" ", Enumerable.Range(0, rows).Select(i => $"float s{i} = {init};")));
        w.Line($"ref float br = ref {Unsafe}.Add(ref {g.B}, j);");
        w.Line("ref float ar = ref am;");
        w.Open($"for (int r = 0; r < {g.Reduction}; r++)");
        w.Line("float bv = br;");
        w.Line(string.Join(" ", Enumerable.Range(0, rows).Select(i => $"s{i} += {(i == 0 ? "ar" : $"{Unsafe}.Add(ref ar, {i * g.AStrideM})")} * bv;")));
        w.Line($"br = ref {Unsafe}.Add(ref br, N);");
        w.Line($"ar = ref {Unsafe}.Add(ref ar, {g.AStrideReduction});");
        w.Close();
        for (int i = 0; i < rows; i++)
            w.Line($"{Unsafe}.Add(ref cm, {(i == 0 ? "" : $"{i * g.N} + ")}j) = {(g.Relu ? $"s{i} < 0f ? 0f : s{i}" : $"s{i}")};");
        w.Close();
    }

    /// <summary>
    /// dx (rows, K) = dz (rows, N) · w (K, N)ᵀ over the inputs [k0, k1), as blocked dot products along N: 2 rows x 4 inputs
    /// (8 accumulators) per tile, reduced to 8 sums with one horizontal-add tree.
    /// </summary>
    public static void EmitInputGradient(CodeWriter w, int k, int n)
    {
        int n8 = n - n % 8, k4 = k - k % 4;
        w.Line($"const int K = {k}, N = {n};");
        if (n >= 8)
        {
            w.Open($"if ({Simd}.IsEnabled)");
            w.Line($"int end4 = {Math}.Min(k1, {k4});");
            w.Line("int r = 0;");
            foreach (int tileRows in new[] { 2, 1 })
            {
                w.Open(tileRows == 2 ? "for (; r + 2 <= rows; r += 2)" : "for (; r < rows; r++)");
                w.Line($"ref float dr = ref {Unsafe}.Add(ref dz, r * N);");
                w.Line($"ref float xr = ref {Unsafe}.Add(ref dx, r * K);");
                if (k4 > 0)
                {
                    w.Open("for (int k = k0; k < end4; k += 4)");
                    EmitDotTile(w, tileRows, 4, n, n8);
                    w.Close();
                }
                if (k % 4 != 0)
                {
                    w.Open($"if (k1 == K) for (int k = {k4}; k < K; k++)");
                    EmitDotTile(w, tileRows, 1, n, n8);
                    w.Close();
                }
                w.Close();
            }
            w.Line("return;");
            w.Close();
        }
        w.Line("// Portable path.");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ref float dr = ref {Unsafe}.Add(ref dz, r * N);");
        w.Line($"ref float xr = ref {Unsafe}.Add(ref dx, r * K);");
        w.Open("for (int k = k0; k < k1; k++)");
        w.Line($"ref float wk = ref {Unsafe}.Add(ref w, k * N);");
        w.Line("float s = 0f;");
        w.Line($"for (int j = 0; j < N; j++) s += {Unsafe}.Add(ref dr, j) * {Unsafe}.Add(ref wk, j);");
        w.Line($"{Unsafe}.Add(ref xr, k) = s;");
        w.Close();
        w.Close();
    }

    private static void EmitDotTile(CodeWriter w, int rows, int inputs, int n, int n8)
    {
        var pairs = (from i in Enumerable.Range(0, rows) from q in Enumerable.Range(0, inputs) select (i, q)).ToList();
        string vt = $"{V}<float>";
        w.Line($"ref float wk = ref {Unsafe}.Add(ref w, k * N);");
        w.Line(string.Join(" ", pairs.Select(p => $"{vt} s{p.i}{p.q} = {V}.Create(0f);")));
        w.Open($"for (int j = 0; j < {n8}; j += 8)");
        for (int i = 0; i < rows; i++) w.Line($"{vt} d{i} = {V}.LoadUnsafe(ref dr, ({NUInt})(j{(i == 0 ? "" : $" + {i * n}")}));");
        for (int q = 0; q < inputs; q++)
        {
            w.Line($"{vt} w{q} = {V}.LoadUnsafe(ref wk, ({NUInt})(j{(q == 0 ? "" : $" + {q * n}")}));");
            w.Line(string.Join(" ", Enumerable.Range(0, rows).Select(i => $"s{i}{q} = {Simd}.MulAdd(d{i}, w{q}, s{i}{q});")));
        }
        w.Close();
        if (inputs == 4)
        {
            string args = string.Join(", ", pairs.Select(p => $"s{p.i}{p.q}"));
            if (rows == 2)
            {
                w.Line($"{vt} t = {Simd}.HorizontalSums({args});");
                w.Line($"{V128}.StoreUnsafe({V}.GetLower(t), ref xr, ({NUInt})k);");
                w.Line($"{V128}.StoreUnsafe({V}.GetUpper(t), ref xr, ({NUInt})(K + k));");
            }
            else
            {
                w.Line($"{V128}.StoreUnsafe({Simd}.HorizontalSums({args}), ref xr, ({NUInt})k);");
            }
        }
        else
        {
            foreach (var (i, q) in pairs)
                w.Line($"{Unsafe}.Add(ref xr, {(i == 0 ? "" : "K + ")}k{(q == 0 ? "" : $" + {q}")}) = {Simd}.HorizontalSum(s{i}{q});");
        }
        if (n % 8 != 0)
        {
            w.Open($"for (int j = {n8}; j < N; j++)");
            foreach (var (i, q) in pairs)
                w.Line($"{Unsafe}.Add(ref xr, {(i == 0 ? "" : "K + ")}k{(q == 0 ? "" : $" + {q}")}) += {Unsafe}.Add(ref dr, {(i == 0 ? "" : $"{i * n} + ")}j) * {Unsafe}.Add(ref wk, {(q == 0 ? "" : $"{q * n} + ")}j);");
            w.Close();
        }
    }
}
