//! The two SIMD128 dense-product kernels, and nothing else.
//!
//! - [`gemm`]: the playground's own gradient step on the CPU in the browser (see `train::fused`).
//!   burn runs one 2D training round as about a hundred small tensor operations, each with its own
//!   dispatch, allocation and autodiff bookkeeping; for 3 × 64 networks that overhead is as large
//!   as the arithmetic. Each output element is `bias + Σₖ a·b` summed in `k` order with separate
//!   multiplies and adds, in the SIMD128 blocks and the scalar edges alike, so a native build and
//!   the browser give the same bits.
//! - [`matmul`] / [`run`]: the benchmark's yardstick, how many FLOP/s one core can do on a dense
//!   matrix product in this build; `./build.sh bench` states the CPU path's training speed as a
//!   share of it.

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
pub(crate) fn transpose(x: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut t = vec![0.0; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            t[c * rows + r] = x[r * cols + c];
        }
    }
    t
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


// The yardstick.

/// `c = a · b` for square row-major `n × n` matrices, `n` a multiple of 8. Blocks of 4 rows × 8
/// columns stay in registers (eight 4-lane accumulators), so the loop is bound by multiply-adds,
/// not loads: the best a plain SIMD128 kernel does on one core.
pub fn matmul(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
    assert!(n % 8 == 0 && a.len() == n * n && b.len() == n * n && c.len() == n * n, "matmul needs n × n matrices with n a multiple of 8");
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: every index below is < n·n (i + 3 < n, j + 7 < n, k < n), checked by the assert above.
    unsafe {
        square_simd(a, b, c, n);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    naive(a, b, c, n);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
unsafe fn square_simd(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
    use core::arch::wasm32::*;
    let (pa, pb, pc) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    for i in (0..n).step_by(4) {
        for j in (0..n).step_by(8) {
            let mut acc = [f32x4_splat(0.0); 8];
            for k in 0..n {
                let b0 = unsafe { v128_load(pb.add(k * n + j) as *const v128) };
                let b1 = unsafe { v128_load(pb.add(k * n + j + 4) as *const v128) };
                for r in 0..4 {
                    let x = f32x4_splat(unsafe { *pa.add((i + r) * n + k) });
                    acc[2 * r] = f32x4_add(acc[2 * r], f32x4_mul(x, b0));
                    acc[2 * r + 1] = f32x4_add(acc[2 * r + 1], f32x4_mul(x, b1));
                }
            }
            for r in 0..4 {
                unsafe {
                    v128_store(pc.add((i + r) * n + j) as *mut v128, acc[2 * r]);
                    v128_store(pc.add((i + r) * n + j + 4) as *mut v128, acc[2 * r + 1]);
                }
            }
        }
    }
}

/// The reference product (also the kernel where SIMD128 is off).
pub fn naive(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
    for i in 0..n {
        for j in 0..n {
            c[i * n + j] = (0..n).map(|k| a[i * n + k] * b[k * n + j]).sum();
        }
    }
}

/// Runs the product `reps` times on fixed inputs; returns the sum of the last result (so the work
/// cannot be optimised away, and the page can check it). FLOPs: `2·n³·reps`.
pub fn run(n: usize, reps: usize) -> f64 {
    let a: Vec<f32> = (0..n * n).map(|i| ((i * 7 % 13) as f32 - 6.0) / 8.0).collect();
    let b: Vec<f32> = (0..n * n).map(|i| ((i * 5 % 11) as f32 - 5.0) / 8.0).collect();
    let mut c = vec![0.0f32; n * n];
    for _ in 0..reps.max(1) {
        matmul(&a, &b, &mut c, n);
    }
    c.iter().map(|&x| x as f64).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn gemm_matches_the_definition_at_every_edge() {
        super::check_against_definition(&[(1, 1, 1), (4, 3, 8), (5, 2, 11), (9, 7, 17), (8, 64, 16), (3, 5, 2), (2, 9, 16), (7, 1, 24)]).unwrap();
    }

    #[test]
    fn matmul_matches_the_definition() {
        let n = 16;
        let a: Vec<f32> = (0..n * n).map(|i| i as f32 * 0.5 - 3.0).collect();
        let b: Vec<f32> = (0..n * n).map(|i| (i % 7) as f32).collect();
        let mut c = vec![0.0; n * n];
        super::matmul(&a, &b, &mut c, n);
        // c[1][2] = Σ_k a[1][k]·b[k][2]
        let want: f32 = (0..n).map(|k| a[n + k] * b[k * n + 2]).sum();
        assert_eq!(c[n + 2], want);
        assert_eq!(super::run(8, 2), super::run(8, 1));
    }
}
