using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NnGen.Kernels;

/// <summary>
/// The element-wise parts of the recurrent cells (SimpleRNN, LSTM, GRU) for one timestep of a batch, called by generated
/// networks between the matrix products, which are <see cref="DenseKernels"/>' (the input projection of every timestep as
/// one product, the recurrent product per step). Gate orders and equations are Keras's: LSTM gates [i, f, c, o] with
/// c = f·c₋₁ + i·g, h = o·act(c); GRU gates [z, r, h] with reset_after (Keras 2's default):
/// ĥ = act(xW_h + b_h + r·(h₋₁U_h + b_rh)), h = z·h₋₁ + (1 − z)·ĥ.
/// </summary>
/// <remarks>
/// Every block is (rows, width) row-major for one timestep: <c>gates</c> (rows, G·units) holds the input projection
/// (with its bias) going in and the activated gates coming out, which is what the backward step reads; <c>r</c> is the
/// recurrent product h₋₁·U (+ the GRU's recurrent bias) of the step. Activations are those of <see cref="ActivationKernels"/>,
/// applied to the outputs' derivatives (the backward steps take the activated values). Softmax is not a cell activation
/// (the generator refuses it).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RecurrentKernels
{
    /// <summary>to (b, a, inner) = from (a, b, inner) with the first two axes swapped: batch-major sequences to time-major and back.</summary>
    public static void SwapAxes(Span<float> to, ReadOnlySpan<float> from, int a, int b, int inner)
    {
        long length = (long)a * b * inner;
        if (a < 0 || b < 0 || inner < 0 || from.Length != length || to.Length != length)
            throw new ArgumentException($"SwapAxes: expected {a} x {b} x {inner} = {length} floats in and out, got {from.Length} and {to.Length}.");
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                from.Slice((i * b + j) * inner, inner).CopyTo(to.Slice((j * a + i) * inner, inner));
    }

    /// <summary>h = act(z + r) for a SimpleRNN step; z is the input projection, r the recurrent product, all (rows, units).</summary>
    public static void SimpleRnnForward(Span<float> h, ReadOnlySpan<float> z, ReadOnlySpan<float> r, Activation activation)
    {
        Check(h.Length, z.Length, "z", r.Length, "r");
        TensorPrimitives.Add(z, r, h);
        ActivationKernels.Forward(activation, h, h.Length);
    }

    /// <summary>dz = dh · act'(h) for a SimpleRNN step (h the step's output).</summary>
    public static void SimpleRnnBackward(Span<float> dz, ReadOnlySpan<float> dh, ReadOnlySpan<float> h, Activation activation)
    {
        Check(dz.Length, dh.Length, "dh", h.Length, "h");
        dh.CopyTo(dz);
        ActivationKernels.Backward(activation, dz, h, dz.Length);
    }

    /// <summary>
    /// An LSTM step: gates (rows, 4·units) = [i, f, g, o] activated from gates + r in place; c = f·c₋₁ + i·g;
    /// tc = act(c); h = o·tc. cPrev, c, tc, h are (rows, units).
    /// </summary>
    public static void LstmForward(Span<float> gates, ReadOnlySpan<float> r, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tc, Span<float> h,
        int rows, int units, Activation activation, Activation recurrentActivation)
    {
        CheckStep(gates.Length, r.Length, rows, units, 4, cPrev.Length, c.Length, tc.Length, h.Length);
        int n = units, width = 4 * units;
        TensorPrimitives.Add(gates, r, gates);
        for (int row = 0; row < rows; row++)
        {
            Span<float> g = gates.Slice(row * width, width);
            ActivationKernels.Forward(recurrentActivation, g.Slice(0, 2 * n), n); // i, f
            ActivationKernels.Forward(activation, g.Slice(2 * n, n), n);          // g (Keras's c)
            ActivationKernels.Forward(recurrentActivation, g.Slice(3 * n, n), n); // o
            ReadOnlySpan<float> i = g.Slice(0, n), f = g.Slice(n, n), cand = g.Slice(2 * n, n), o = g.Slice(3 * n, n);
            Span<float> cr = c.Slice(row * n, n), tr = tc.Slice(row * n, n);
            TensorPrimitives.Multiply(f, cPrev.Slice(row * n, n), cr);
            TensorPrimitives.FusedMultiplyAdd(i, cand, cr, cr);
            cr.CopyTo(tr);
            ActivationKernels.Forward(activation, tr, n);
            TensorPrimitives.Multiply(o, tr, h.Slice(row * n, n));
        }
    }

    /// <summary>
    /// An LSTM step back: dGates (rows, 4·units) w.r.t. the gates' inputs from dh (the loss's gradient w.r.t. the step's
    /// h) and dc (w.r.t. its c, from the step after; on return w.r.t. c₋₁). gates, cPrev and tc are the forward step's.
    /// </summary>
    public static void LstmBackward(Span<float> dGates, ReadOnlySpan<float> dh, Span<float> dc, ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> tc, int rows, int units, Activation activation, Activation recurrentActivation)
    {
        CheckStep(dGates.Length, gates.Length, rows, units, 4, dh.Length, dc.Length, cPrev.Length, tc.Length);
        int n = units, width = 4 * units;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> g = gates.Slice(row * width, width), dhr = dh.Slice(row * n, n), cp = cPrev.Slice(row * n, n), t = tc.Slice(row * n, n);
            ReadOnlySpan<float> i = g.Slice(0, n), f = g.Slice(n, n), cand = g.Slice(2 * n, n), o = g.Slice(3 * n, n);
            Span<float> d = dGates.Slice(row * width, width), di = d.Slice(0, n), df = d.Slice(n, n), dg = d.Slice(2 * n, n), dO = d.Slice(3 * n, n);
            Span<float> dcr = dc.Slice(row * n, n);
            TensorPrimitives.Multiply(dhr, o, dg);             // dh·o, through act(c):
            ActivationKernels.Backward(activation, dg, t, n);
            TensorPrimitives.Add(dcr, dg, dcr);                // dc += dh·o·act'(c)
            TensorPrimitives.Multiply(dhr, t, dO);
            ActivationKernels.Backward(recurrentActivation, dO, o, n);
            TensorPrimitives.Multiply(dcr, cand, di);
            ActivationKernels.Backward(recurrentActivation, di, i, n);
            TensorPrimitives.Multiply(dcr, cp, df);
            ActivationKernels.Backward(recurrentActivation, df, f, n);
            TensorPrimitives.Multiply(dcr, i, dg);
            ActivationKernels.Backward(activation, dg, cand, n);
            TensorPrimitives.Multiply(dcr, f, dcr);            // to c₋₁
        }
    }

    /// <summary>
    /// A GRU step (reset_after): gates (rows, 3·units) = [z, r, ĥ] from the input projection in place, with
    /// r (rows, 3·units) the recurrent product plus its bias; rh (rows, units) keeps that product's ĥ block, which the
    /// backward step needs; h = ĥ + z·(h₋₁ − ĥ).
    /// </summary>
    public static void GruForward(Span<float> gates, ReadOnlySpan<float> r, Span<float> rh, ReadOnlySpan<float> hPrev, Span<float> h,
        int rows, int units, Activation activation, Activation recurrentActivation)
    {
        CheckStep(gates.Length, r.Length, rows, units, 3, rh.Length, hPrev.Length, h.Length, h.Length);
        int n = units, width = 3 * units;
        for (int row = 0; row < rows; row++)
        {
            Span<float> g = gates.Slice(row * width, width), zr = g.Slice(0, 2 * n), hh = g.Slice(2 * n, n), hr = h.Slice(row * n, n);
            ReadOnlySpan<float> rr = r.Slice(row * width, width), recurrentH = rr.Slice(2 * n, n);
            TensorPrimitives.Add(zr, rr.Slice(0, 2 * n), zr);
            ActivationKernels.Forward(recurrentActivation, zr, n);
            recurrentH.CopyTo(rh.Slice(row * n, n));
            TensorPrimitives.FusedMultiplyAdd(g.Slice(n, n), recurrentH, hh, hh); // ĥ's input: x·W_h + b_h + r·(h₋₁·U_h + b_rh)
            ActivationKernels.Forward(activation, hh, n);
            TensorPrimitives.Subtract(hPrev.Slice(row * n, n), hh, hr);
            TensorPrimitives.FusedMultiplyAdd(g.Slice(0, n), hr, hh, hr);
        }
    }

    /// <summary>
    /// A GRU step back: from dh (w.r.t. the step's h), dGates (rows, 3·units) w.r.t. the input projection, dRecurrent
    /// (rows, 3·units) w.r.t. the recurrent product (they differ in the ĥ block, scaled by r there), and direct
    /// (rows, units) = dh·z, the part of the gradient w.r.t. h₋₁ that does not pass through U.
    /// </summary>
    public static void GruBackward(Span<float> dGates, Span<float> dRecurrent, Span<float> direct, ReadOnlySpan<float> dh, ReadOnlySpan<float> gates,
        ReadOnlySpan<float> rh, ReadOnlySpan<float> hPrev, int rows, int units, Activation activation, Activation recurrentActivation)
    {
        CheckStep(dGates.Length, gates.Length, rows, units, 3, direct.Length, dh.Length, rh.Length, hPrev.Length);
        if (dRecurrent.Length != dGates.Length) Check(dGates.Length, dRecurrent.Length, "dRecurrent", dRecurrent.Length, "dRecurrent");
        int n = units, width = 3 * units;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> g = gates.Slice(row * width, width), z = g.Slice(0, n), r = g.Slice(n, n), hh = g.Slice(2 * n, n);
            ReadOnlySpan<float> dhr = dh.Slice(row * n, n);
            Span<float> d = dGates.Slice(row * width, width), dz = d.Slice(0, n), dr = d.Slice(n, n), dhh = d.Slice(2 * n, n);
            Span<float> dRec = dRecurrent.Slice(row * width, width);
            TensorPrimitives.Multiply(dhr, z, direct.Slice(row * n, n));
            TensorPrimitives.Subtract(dhr, direct.Slice(row * n, n), dhh);  // dh·(1 − z), through act:
            ActivationKernels.Backward(activation, dhh, hh, n);
            TensorPrimitives.Multiply(dhh, r, dRec.Slice(2 * n, n));
            TensorPrimitives.Multiply(dhh, rh.Slice(row * n, n), dr);
            ActivationKernels.Backward(recurrentActivation, dr, r, n);
            TensorPrimitives.Subtract(hPrev.Slice(row * n, n), hh, dz);     // dh·(h₋₁ − ĥ), through σ:
            TensorPrimitives.Multiply(dz, dhr, dz);
            ActivationKernels.Backward(recurrentActivation, dz, z, n);
            d.Slice(0, 2 * n).CopyTo(dRec);
        }
    }

    /// <summary>sum = a + b element-wise (any of them may be the same span).</summary>
    public static void Add(Span<float> sum, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(sum.Length, a.Length, "a", b.Length, "b");
        TensorPrimitives.Add(a, b, sum);
    }

    private static void Check(int length, int first, string firstName, int second, string secondName)
    {
        if (first != length || second != length)
            throw new ArgumentException($"Expected {firstName} and {secondName} to hold {length} floats like the output, got {first} and {second}.");
    }

    private static void CheckStep(int gatesLength, int otherGates, int rows, int units, int count, int a, int b, int c, int d)
    {
        if (rows < 0 || units < 1)
            throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(units), $"A recurrent step has 0 or more rows and at least 1 unit; got {rows} rows and {units} units.");
        long gate = (long)rows * units * count, state = (long)rows * units;
        if (gatesLength != gate || otherGates != gate || a != state || b != state || c != state || d != state)
            throw new ArgumentException($"A recurrent step of {rows} rows and {units} units takes gate blocks of {rows} x {count * units} = {gate} floats and state blocks of {state}; " +
                $"got gate blocks of {gatesLength} and {otherGates}, state blocks of {a}, {b}, {c} and {d}.");
    }
}

/// <summary>The Embedding layer's lookup and its gradient, called by generated networks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EmbeddingKernels
{
    /// <summary>
    /// y (rows, timesteps, outputDim) = the rows of table (inputDim, outputDim) that the token indices x (rows, timesteps) name.
    /// </summary>
    /// <exception cref="ArgumentException">An index that is not a whole number in [0, inputDim) (NaN included): the layer, sample, position and value.</exception>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> table, int timesteps, int inputDim, int outputDim, string layer)
    {
        CheckSizes(y.Length, x.Length, table.Length, timesteps, inputDim, outputDim);
        for (int k = 0; k < x.Length; k++)
            table.Slice(Index(x, k, timesteps, inputDim, layer) * outputDim, outputDim).CopyTo(y.Slice(k * outputDim, outputDim));
    }

    /// <summary>dtable (inputDim, outputDim) = Σ over the tokens of dy's rows, each added to its token's row (overwrites dtable).</summary>
    public static void Backward(Span<float> dtable, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, int timesteps, int inputDim, int outputDim, string layer)
    {
        CheckSizes(dy.Length, x.Length, dtable.Length, timesteps, inputDim, outputDim);
        dtable.Clear();
        for (int k = 0; k < x.Length; k++)
        {
            Span<float> row = dtable.Slice(Index(x, k, timesteps, inputDim, layer) * outputDim, outputDim);
            TensorPrimitives.Add(row, dy.Slice(k * outputDim, outputDim), row);
        }
    }

    private static int Index(ReadOnlySpan<float> x, int k, int timesteps, int inputDim, string layer)
    {
        float v = x[k];
        if (v >= 0 && v < inputDim && v == MathF.Floor(v)) return (int)v;
        throw new ArgumentException(
            $"Embedding layer '{layer}' takes token indices, whole numbers from 0 to {inputDim - 1}, but sample {k / timesteps} holds {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} at timestep {k % timesteps}.", "inputs");
    }

    private static void CheckSizes(int y, int x, int table, int timesteps, int inputDim, int outputDim)
    {
        if (timesteps < 1 || inputDim < 1 || outputDim < 1 || x % timesteps != 0 || table != (long)inputDim * outputDim || y != (long)x * outputDim)
            throw new ArgumentException($"An Embedding of {inputDim} tokens x {outputDim} takes a table of {(long)inputDim * outputDim} floats, whole sequences of {timesteps} indices and {outputDim} outputs per index; " +
                $"got a table of {table}, {x} indices and {y} outputs.");
    }
}
