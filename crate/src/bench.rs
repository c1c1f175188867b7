//! The benchmark's yardstick: how many FLOP/s one core can do on a dense matrix product in this
//! build (WebAssembly SIMD128 in the browser). `./build.sh bench` states the CPU path's training
//! speed as a share of it.

/// `c = a · b` for square row-major `n × n` matrices, `n` a multiple of 8. Blocks of 4 rows × 8
/// columns stay in registers (eight 4-lane accumulators), so the loop is bound by multiply-adds,
/// not loads: the best a plain SIMD128 kernel does on one core.
pub fn matmul(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
    assert!(n % 8 == 0 && a.len() == n * n && b.len() == n * n && c.len() == n * n, "matmul needs n × n matrices with n a multiple of 8");
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: every index below is < n·n (i + 3 < n, j + 7 < n, k < n), checked by the assert above.
    unsafe {
        simd(a, b, c, n);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    naive(a, b, c, n);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
unsafe fn simd(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
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
