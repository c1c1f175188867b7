//! ganplay's own gradient computation for the playground's MLPs on the CPU.
//!
//! burn runs one 2D training round as about a hundred small tensor operations, each with its own
//! dispatch, allocation and autodiff bookkeeping; for 3 × 64 networks that overhead is as large as
//! the arithmetic, and it is spread over so much wasm that the browser takes seconds to compile it
//! all with its optimising tier. Here the forward and backward passes of both networks run as a
//! handful of dense products in one small kernel (the benchmark yardstick's 4 × 8 register block,
//! for any shape and with a bias), and only the gradients go back to burn: burn's optimisers still
//! update the weights and keep their state, so saving, loading, rollback, the explained round and
//! the WebGPU path are the same as before.
//!
//! Each output element is `bias + Σₖ a·b` summed in `k` order with separate multiplies and adds, in
//! the SIMD128 blocks and the scalar edges alike, so a native build and the browser give the same
//! bits.

use crate::loss::Objective;
use crate::model::{Activation, Mlp};
use crate::pack::read_f32;
use crate::train::block_on;
use burn::module::ParamId;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, Transaction};

/// How a product's left operand `a` (`[m, k]`) lies in memory.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// Row-major `[m, k]`.
    Rows,
    /// Stored as its transpose, row-major `[k, m]`: `Xᵀ · dY` reads the activations as they are.
    Transposed,
}

/// `c = a · b`, plus `bias` on every row: `a` is `[m, k]` (laid out as `layout` says), `b` is
/// `[k, n]` and `c` is `[m, n]`, row-major.
#[allow(clippy::too_many_arguments)]
pub fn gemm(a: &[f32], layout: Layout, b: &[f32], bias: Option<&[f32]>, c: &mut [f32], m: usize, k: usize, n: usize) {
    let fits = |len: usize, rows: usize, cols: usize| rows.checked_mul(cols).is_some_and(|size| len >= size);
    assert!(
        fits(a.len(), m, k) && fits(b.len(), k, n) && fits(c.len(), m, n) && bias.is_none_or(|v| v.len() >= n),
        "gemm: the slices are smaller than [{m}, {k}] · [{k}, {n}]"
    );
    // a[i, kk] is a[i·rs + kk·cs].
    let (rs, cs) = match layout {
        Layout::Rows => (k, 1),
        Layout::Transposed => (1, m),
    };
    let n8 = n / 8 * 8;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: the assert above bounds every index: rows i < m, columns j < n, kk < k, so
    // i·rs + kk·cs < m·k, kk·n + j < k·n and i·n + j < m·n.
    unsafe {
        simd(a, rs, cs, b, bias, c, m, k, n, n8);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        blocks(a, rs, cs, b, bias, c, m, k, n, n8);
        // The last n mod 8 columns (a network's 1- or 2-wide output), one element at a time.
        for i in 0..m {
            for j in n8..n {
                let mut s = bias.map_or(0.0, |v| v[j]);
                for kk in 0..k {
                    s += a[i * rs + kk * cs] * b[kk * n + j];
                }
                c[i * n + j] = s;
            }
        }
    }
}

/// The product with SIMD128: columns 0..n8 in blocks of 4 rows × 8 columns (eight 4-lane
/// accumulators; the last m mod 4 rows 1 × 8), then the last n mod 8 columns with the lanes
/// across 4 rows.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(clippy::too_many_arguments)]
unsafe fn simd(a: &[f32], rs: usize, cs: usize, b: &[f32], bias: Option<&[f32]>, c: &mut [f32], m: usize, k: usize, n: usize, n8: usize) {
    use core::arch::wasm32::*;
    let (pa, pb, pc) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    let m4 = m / 4 * 4;
    let bias8 = |j: usize| match bias {
        Some(v) => unsafe { (v128_load(v.as_ptr().add(j) as *const v128), v128_load(v.as_ptr().add(j + 4) as *const v128)) },
        None => (f32x4_splat(0.0), f32x4_splat(0.0)),
    };
    // Rows outer: 4 rows of `a` and all of `b` (a layer's weights) stay in the L1 cache.
    for i in (0..m4).step_by(4) {
        for j in (0..n8).step_by(8) {
            let (z0, z1) = bias8(j);
            let mut acc = [z0, z1, z0, z1, z0, z1, z0, z1];
            let (mut p, mut q) = (pa.wrapping_add(i * rs), pb.wrapping_add(j));
            for _ in 0..k {
                let b0 = unsafe { v128_load(q as *const v128) };
                let b1 = unsafe { v128_load(q.add(4) as *const v128) };
                for r in 0..4 {
                    let x = f32x4_splat(unsafe { *p.add(r * rs) });
                    acc[2 * r] = f32x4_add(acc[2 * r], f32x4_mul(x, b0));
                    acc[2 * r + 1] = f32x4_add(acc[2 * r + 1], f32x4_mul(x, b1));
                }
                p = p.wrapping_add(cs);
                q = q.wrapping_add(n);
            }
            for r in 0..4 {
                unsafe {
                    v128_store(pc.add((i + r) * n + j) as *mut v128, acc[2 * r]);
                    v128_store(pc.add((i + r) * n + j + 4) as *mut v128, acc[2 * r + 1]);
                }
            }
        }
    }
    for j in (0..n8).step_by(8) {
        let (z0, z1) = bias8(j);
        for i in m4..m {
            let (mut c0, mut c1) = (z0, z1);
            let (mut p, mut q) = (pa.wrapping_add(i * rs), pb.wrapping_add(j));
            for _ in 0..k {
                let x = f32x4_splat(unsafe { *p });
                c0 = f32x4_add(c0, f32x4_mul(x, unsafe { v128_load(q as *const v128) }));
                c1 = f32x4_add(c1, f32x4_mul(x, unsafe { v128_load(q.add(4) as *const v128) }));
                p = p.wrapping_add(cs);
                q = q.wrapping_add(n);
            }
            unsafe {
                v128_store(pc.add(i * n + j) as *mut v128, c0);
                v128_store(pc.add(i * n + j + 4) as *mut v128, c1);
            }
        }
    }
    for j in n8..n {
        let init = bias.map_or(0.0, |v| v[j]);
        for i in (0..m4).step_by(4) {
            let mut acc = f32x4_splat(init);
            let (mut p, mut q) = (pa.wrapping_add(i * rs), pb.wrapping_add(j));
            for _ in 0..k {
                let x = unsafe { f32x4(*p, *p.add(rs), *p.add(2 * rs), *p.add(3 * rs)) };
                acc = f32x4_add(acc, f32x4_mul(x, f32x4_splat(unsafe { *q })));
                p = p.wrapping_add(cs);
                q = q.wrapping_add(n);
            }
            unsafe {
                *pc.add(i * n + j) = f32x4_extract_lane::<0>(acc);
                *pc.add((i + 1) * n + j) = f32x4_extract_lane::<1>(acc);
                *pc.add((i + 2) * n + j) = f32x4_extract_lane::<2>(acc);
                *pc.add((i + 3) * n + j) = f32x4_extract_lane::<3>(acc);
            }
        }
        for i in m4..m {
            let mut s = init;
            for kk in 0..k {
                s += unsafe { *pa.add(i * rs + kk * cs) * *pb.add(kk * n + j) };
            }
            unsafe { *pc.add(i * n + j) = s };
        }
    }
}

/// The same blocks in plain code (native builds, where the compiler vectorises it).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[allow(clippy::too_many_arguments)]
fn blocks(a: &[f32], rs: usize, cs: usize, b: &[f32], bias: Option<&[f32]>, c: &mut [f32], m: usize, k: usize, n: usize, n8: usize) {
    let m4 = m / 4 * 4;
    for j in (0..n8).step_by(8) {
        let init: [f32; 8] = bias.map_or([0.0; 8], |v| v[j..j + 8].try_into().unwrap());
        let mut i = 0;
        while i < m {
            let rows = if i < m4 { 4 } else { 1 };
            let mut acc = [init; 4];
            for kk in 0..k {
                let bv: &[f32; 8] = b[kk * n + j..kk * n + j + 8].try_into().unwrap();
                for (r, row) in acc.iter_mut().enumerate().take(rows) {
                    let x = a[(i + r) * rs + kk * cs];
                    for q in 0..8 {
                        row[q] += x * bv[q];
                    }
                }
            }
            for (r, row) in acc.iter().enumerate().take(rows) {
                c[(i + r) * n + j..(i + r) * n + j + 8].copy_from_slice(row);
            }
            i += rows;
        }
    }
}

/// `[rows, cols]` → `[cols, rows]`.
fn transpose(x: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut t = vec![0.0; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            t[c * rows + r] = x[r * cols + c];
        }
    }
    t
}

fn activate(f: Activation, y: &mut [f32]) {
    match f {
        // NaN stays NaN (as in burn's relu), so a diverged network reads as one.
        Activation::Relu => y.iter_mut().for_each(|v| *v = if v.is_nan() || *v > 0.0 { *v } else { 0.0 }),
        Activation::LeakyRelu => y.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { 0.2 * *v }),
        Activation::Tanh => y.iter_mut().for_each(|v| *v = v.tanh()),
        Activation::Elu => y.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { v.exp_m1() }),
    }
}

/// `dy ← dy · f′`, with f′ taken from the activation's output `y` (each of the four is monotone, so
/// the output tells the side of the kink, and tanh′ = 1 − y², ELU′ = y + 1 below zero).
fn activate_backward(f: Activation, y: &[f32], dy: &mut [f32]) {
    let each = |g: &dyn Fn(f32) -> f32, dy: &mut [f32]| dy.iter_mut().zip(y).for_each(|(d, &y)| *d *= g(y));
    match f {
        Activation::Relu => each(&|y| if y.is_nan() || y > 0.0 { 1.0 } else { 0.0 }, dy),
        Activation::LeakyRelu => each(&|y| if y > 0.0 { 1.0 } else { 0.2 }, dy),
        Activation::Tanh => each(&|y| 1.0 - y * y, dy),
        Activation::Elu => each(&|y| if y > 0.0 { 1.0 } else { y + 1.0 }, dy),
    }
}

/// One dense layer on the host: `w` is `[d_in, d_out]` row-major (burn's `Linear` layout).
struct Layer {
    w: Vec<f32>,
    b: Vec<f32>,
    d_in: usize,
    d_out: usize,
    ids: (ParamId, ParamId),
}

/// An MLP's weights, read from burn once per update.
pub(crate) struct HostMlp {
    layers: Vec<Layer>,
    activation: Activation,
}

/// Reads the weights of several MLPs in one transaction (on the CPU device it is ready at once).
pub(crate) fn read(nets: &[&Mlp]) -> Result<Vec<HostMlp>, String> {
    let mut t = Transaction::default();
    for net in nets {
        for layer in net.linears() {
            let bias = layer.bias.as_ref().ok_or("a layer without a bias")?;
            t = t.register(layer.weight.val()).register(bias.val());
        }
    }
    let mut values = block_on(read_f32(t))?.into_iter();
    Ok(nets
        .iter()
        .map(|net| HostMlp {
            activation: net.activation(),
            layers: net
                .linears()
                .iter()
                .map(|layer| {
                    let [d_in, d_out] = layer.weight.shape().dims();
                    let bias_id = layer.bias.as_ref().map(|b| b.id).unwrap_or_default();
                    Layer { w: values.next().unwrap_or_default(), b: values.next().unwrap_or_default(), d_in, d_out, ids: (layer.weight.id, bias_id) }
                })
                .collect(),
        })
        .collect())
}

#[cfg(test)]
impl HostMlp {
    /// Every weight and bias, layer by layer.
    pub(crate) fn values(&self) -> Vec<f32> {
        self.layers.iter().flat_map(|l| l.w.iter().chain(&l.b).copied()).collect()
    }
}

/// Weight and bias gradients, one pair per layer.
pub(crate) struct Grads(Vec<(Vec<f32>, Vec<f32>)>);

impl HostMlp {
    /// The output of every layer for `x` (`[rows, d_in]`), the input first: what the backward pass needs.
    pub(crate) fn forward(&self, x: Vec<f32>, rows: usize) -> Vec<Vec<f32>> {
        let last = self.layers.len() - 1;
        let mut outs = vec![x];
        for (l, layer) in self.layers.iter().enumerate() {
            let mut y = vec![0.0; rows * layer.d_out];
            gemm(&outs[l], Layout::Rows, &layer.w, Some(&layer.b), &mut y, rows, layer.d_in, layer.d_out);
            if l < last {
                activate(self.activation, &mut y);
            }
            outs.push(y);
        }
        outs
    }

    /// Back from ∂L/∂output `dy` through a forward pass's `outs`: the weight gradients when
    /// `weights`, and ∂L/∂input when `input`.
    pub(crate) fn backward(&self, outs: &[Vec<f32>], mut dy: Vec<f32>, rows: usize, weights: bool, input: bool) -> (Option<Grads>, Option<Vec<f32>>) {
        let last = self.layers.len() - 1;
        let mut grads = Vec::new();
        for (l, layer) in self.layers.iter().enumerate().rev() {
            if l < last {
                activate_backward(self.activation, &outs[l + 1], &mut dy);
            }
            if weights {
                let mut dw = vec![0.0; layer.d_in * layer.d_out];
                gemm(&outs[l], Layout::Transposed, &dy, None, &mut dw, layer.d_in, rows, layer.d_out);
                let mut db = vec![0.0; layer.d_out];
                for row in dy.chunks_exact(layer.d_out) {
                    db.iter_mut().zip(row).for_each(|(s, v)| *s += v);
                }
                grads.push((dw, db));
            }
            if l > 0 || input {
                let mut dx = vec![0.0; rows * layer.d_in];
                gemm(&dy, Layout::Rows, &transpose(&layer.w, layer.d_in, layer.d_out), None, &mut dx, rows, layer.d_out, layer.d_in);
                dy = dx;
            }
        }
        grads.reverse();
        (weights.then_some(Grads(grads)), input.then_some(dy))
    }

    /// The gradients as burn's optimisers take them (on `device`, the trainer's inner device).
    pub(crate) fn to_params(&self, grads: Grads, device: &Device) -> GradientsParams {
        let mut out = GradientsParams::new();
        for (layer, (dw, db)) in self.layers.iter().zip(grads.0) {
            out.register(layer.ids.0, Tensor::<2>::from_data(TensorData::new(dw, [layer.d_in, layer.d_out]), device));
            out.register(layer.ids.1, Tensor::<1>::from_data(TensorData::new(db, [layer.d_out]), device));
        }
        out
    }
}

/// log σ(x), without overflow.
fn log_sigmoid(x: f32) -> f32 {
    x.min(0.0) - (-x.abs()).exp().ln_1p()
}

fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Mean of `f` over `xs`, summed in f64.
fn mean(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    (xs.iter().map(|&x| f(x) as f64).sum::<f64>() / xs.len() as f64) as f32
}

/// The discriminator's loss (as [`Objective::d_loss`]) for its outputs on a real and a generated
/// batch, and its derivative by each output. None for WGAN-GP, whose penalty stays with burn.
pub(crate) fn d_loss(objective: Objective, real: &[f32], fake: &[f32], smoothing: f32) -> Option<(f32, Vec<f32>, Vec<f32>)> {
    let (nr, nf) = (real.len() as f32, fake.len() as f32);
    let t = 1.0 - smoothing;
    let dr = |g: &dyn Fn(f32) -> f32| real.iter().map(|&x| g(x) / nr).collect::<Vec<f32>>();
    let df = |g: &dyn Fn(f32) -> f32| fake.iter().map(|&x| g(x) / nf).collect::<Vec<f32>>();
    Some(match objective {
        Objective::Minimax | Objective::NonSaturating => (
            -(mean(real, |x| t * log_sigmoid(x) + smoothing * log_sigmoid(-x)) + mean(fake, |x| log_sigmoid(-x))),
            dr(&|x| -(t * sigmoid(-x) - smoothing * sigmoid(x))),
            df(&sigmoid),
        ),
        Objective::LeastSquares => (
            0.5 * (mean(real, |x| (x - t) * (x - t)) + mean(fake, |x| x * x)),
            dr(&|x| x - t),
            df(&|x| x),
        ),
        Objective::Hinge => (
            mean(real, |x| (1.0 - x).max(0.0)) + mean(fake, |x| (1.0 + x).max(0.0)),
            dr(&|x| if 1.0 - x > 0.0 { -1.0 } else { 0.0 }),
            df(&|x| if 1.0 + x > 0.0 { 1.0 } else { 0.0 }),
        ),
        Objective::Wasserstein => (mean(fake, |x| x) - mean(real, |x| x), dr(&|_| -1.0), df(&|_| 1.0)),
        Objective::WassersteinGp => return None,
    })
}

/// The generator's loss (as [`Objective::g_loss`]) for D's outputs on its batch, and its derivative
/// by each output.
pub(crate) fn g_loss(objective: Objective, fake: &[f32]) -> (f32, Vec<f32>) {
    let n = fake.len() as f32;
    let d = |g: &dyn Fn(f32) -> f32| fake.iter().map(|&x| g(x) / n).collect::<Vec<f32>>();
    match objective {
        Objective::Minimax => (mean(fake, |x| log_sigmoid(-x)), d(&|x| -sigmoid(x))),
        Objective::NonSaturating => (-mean(fake, log_sigmoid), d(&|x| -sigmoid(-x))),
        Objective::LeastSquares => (0.5 * mean(fake, |x| (x - 1.0) * (x - 1.0)), d(&|x| x - 1.0)),
        Objective::Hinge | Objective::Wasserstein | Objective::WassersteinGp => (-mean(fake, |x| x), d(&|_| -1.0)),
    }
}

/// Checks [`gemm`] against the definition, bit for bit, for each `(m, k, n)`: with and without a
/// bias, `a` stored by rows and transposed. Each element must be exactly bias + Σₖ a·b summed in k
/// order, in the SIMD blocks, the 1 × 8 row blocks and the edges alike (so native and browser builds
/// agree). Run by the native tests (the plain kernel) and the wasm tests (the SIMD128 one).
#[doc(hidden)]
pub fn check_against_definition(shapes: &[(usize, usize, usize)]) -> Result<(), String> {
    for &(m, k, n) in shapes {
        let a: Vec<f32> = (0..m * k).map(|i| ((i * 7 % 13) as f32 - 6.0) / 4.0).collect();
        let b: Vec<f32> = (0..k * n).map(|i| ((i * 5 % 11) as f32 - 5.0) / 4.0).collect();
        let bias: Vec<f32> = (0..n).map(|j| j as f32 - 3.0).collect();
        for layout in [Layout::Rows, Layout::Transposed] {
            let stored = if layout == Layout::Rows { a.clone() } else { transpose(&a, m, k) };
            for with_bias in [false, true] {
                let mut c = vec![f32::NAN; m * n];
                gemm(&stored, layout, &b, with_bias.then_some(&bias[..]), &mut c, m, k, n);
                for i in 0..m {
                    for j in 0..n {
                        let mut want = if with_bias { bias[j] } else { 0.0 };
                        for kk in 0..k {
                            want += a[i * k + kk] * b[kk * n + j];
                        }
                        if c[i * n + j].to_bits() != want.to_bits() {
                            return Err(format!("[{m}, {k}] · [{k}, {n}] at ({i}, {j}), bias {with_bias}, {layout:?}: {} instead of {want}", c[i * n + j]));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn gemm_matches_the_definition_at_every_edge() {
        super::check_against_definition(&[(1, 1, 1), (4, 3, 8), (5, 2, 11), (9, 7, 17), (8, 64, 16), (3, 5, 2), (2, 9, 16), (7, 1, 24)]).unwrap();
    }
}
