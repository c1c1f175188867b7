//! Latent directions that change something visible, found from the generator itself as GANSpace
//! does (Härkönen et al., 2020): principal components of the first layer's response to random
//! noise, carried back into the noise space. The gallery's sliders move a pick along them.

use crate::data::Rng;
use crate::model::conv::{ConvGenerator, ConvGeneratorConfig, one_hot};
use crate::readback::read_f32;
use burn::tensor::{Device, Tensor, TensorData, Transaction};
use std::future::Future;

/// Noise samples the components are found from.
pub const SAMPLES: usize = 128;

/// `k` unit directions in the noise space, strongest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Directions {
    /// `[k, latent_dim]` row-major, orthonormal.
    pub vectors: Vec<f32>,
    /// Each component's share of the response's variance (within a class).
    pub share: Vec<f32>,
}

/// The first `k` principal directions of `g` (fixed noise, seed 3; the classes cycle and each
/// class's mean response is taken out, so the directions vary the image within a class).
pub fn principal_directions(g: &ConvGenerator, config: &ConvGeneratorConfig, k: usize, device: &Device) -> impl Future<Output = Result<Directions, String>> + 'static {
    let (n, dim, classes) = (SAMPLES, config.latent_dim, config.classes);
    let mut rng = Rng::new(3);
    let z: Vec<f32> = (0..n * dim).map(|_| rng.normal()).collect();
    let zt = Tensor::<2>::from_data(TensorData::new(z.clone(), [n, dim]), device);
    let c = (classes > 0).then(|| one_hot(&(0..n).map(|i| i % classes).collect::<Vec<_>>(), classes, device));
    let h = g.first_response(zt, c.clone());
    let centred = match c {
        // H − C·(per-class mean of H).
        Some(c) => {
            let counts = c.clone().sum_dim(0).transpose().clamp_min(1.0);
            let means = c.clone().transpose().matmul(h.clone()) / counts;
            h - c.matmul(means)
        }
        None => h.clone() - h.mean_dim(0),
    };
    let gram = centred.clone().matmul(centred.transpose());
    let read = read_f32(Transaction::default().register(gram));
    let k = k.min(dim);
    async move {
        let gram: Vec<f64> = read.await?.remove(0).into_iter().map(f64::from).collect();
        let (values, vectors) = eigen_symmetric(&gram, n);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        let total: f64 = values.iter().map(|v| v.max(0.0)).sum::<f64>().max(1e-30);
        let mut out: Vec<Vec<f64>> = Vec::new();
        let mut share = Vec::new();
        for &j in &order {
            if out.len() == k {
                break;
            }
            // The noise rows weighted by the component's scores: the regression of GANSpace.
            let mut v = vec![0.0f64; dim];
            for i in 0..n {
                let a = vectors[i * n + j];
                for (d, vd) in v.iter_mut().enumerate() {
                    *vd += a * z[i * dim + d] as f64;
                }
            }
            for u in &out {
                let dot: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(a, b)| *a -= dot * b);
            }
            let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm < 1e-9 {
                continue;
            }
            out.push(v.into_iter().map(|a| a / norm).collect());
            share.push((values[j].max(0.0) / total) as f32);
        }
        Ok(Directions { vectors: out.iter().flatten().map(|&a| a as f32).collect(), share })
    }
}

/// Eigenvalues and eigenvectors (columns of the returned matrix) of a symmetric matrix, by cyclic Jacobi.
pub fn eigen_symmetric(a: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; d * d];
    (0..d).for_each(|i| v[i * d + i] = 1.0);
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().max(1e-300);
    for _sweep in 0..100 {
        let off: f64 = (0..d).flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j))).map(|(i, j)| a[i * d + j].powi(2)).sum();
        if off < 1e-22 * scale.max(1.0) {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[i * d + i]).collect(), v)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::conv::ImageShape;
    use crate::readback::block_on;

    #[test]
    fn jacobi_diagonalises() {
        let a = [4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 1.0];
        let (w, v) = eigen_symmetric(&a, 3);
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i * 3 + j] * v[j * 3 + k]).sum();
                assert!((av - w[k] * v[i * 3 + k]).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn the_first_directions_move_the_response_more_than_random_ones() {
        let device = Device::flex();
        let config = ConvGeneratorConfig { classes: 3, width: 16, latent_dim: 12, image: ImageShape { size: 28, channels: 1 } };
        // A random generator whose first layer answers latent input 5 eight times as strongly:
        // the strongest direction must be that input.
        let g = config.init(&mut Rng::new(2), &device);
        let mut saved: Vec<crate::model::params::SavedParam> = crate::model::params::ids_and_shapes(&g)
            .into_iter()
            .zip(crate::model::params::flat(&g))
            .map(|((id, shape), t)| crate::model::params::SavedParam { id, shape, values: t.into_data().try_to_vec().unwrap() })
            .collect();
        let width = saved[0].shape[1];
        saved[0].values[5 * width..6 * width].iter_mut().for_each(|w| *w *= 8.0);
        let g = crate::model::params::load(g, &saved).unwrap();
        let d = block_on(principal_directions(&g, &config, 3, &device)).unwrap();
        assert!(d.vectors[5].abs() > 0.9, "the first direction is not latent input 5: {:?}", &d.vectors[..12]);
        assert_eq!((d.vectors.len(), d.share.len()), (3 * 12, 3));
        for a in 0..3 {
            for b in 0..3 {
                let dot: f32 = (0..12).map(|i| d.vectors[a * 12 + i] * d.vectors[b * 12 + i]).sum();
                assert!((dot - if a == b { 1.0 } else { 0.0 }).abs() < 1e-4, "not orthonormal: {a}·{b} = {dot}");
            }
        }
        assert!(d.share[0] >= d.share[1] && d.share[1] >= d.share[2] && d.share[2] > 0.0, "{:?}", d.share);
        // How far the first layer's response moves when the noise moves by 3 along `v`, over 64 noises.
        let moved = |v: &[f32]| -> f32 {
            let mut r = Rng::new(8);
            let z: Vec<f32> = (0..64 * 12).map(|_| r.normal()).collect();
            let shifted: Vec<f32> = z.iter().enumerate().map(|(i, x)| x + 3.0 * v[i % 12]).collect();
            let c = one_hot(&(0..64).map(|i| i % 3).collect::<Vec<_>>(), 3, &device);
            let at = |z: Vec<f32>| g.first_response(Tensor::from_data(TensorData::new(z, [64, 12]), &device), Some(c.clone()));
            (at(shifted) - at(z)).powi_scalar(2).sum().into_data().try_to_vec::<f32>().unwrap()[0]
        };
        let first = moved(&d.vectors[..12]);
        let mut r = Rng::new(4);
        let random: f32 = (0..5)
            .map(|_| {
                let v: Vec<f32> = (0..12).map(|_| r.normal()).collect();
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                moved(&v.iter().map(|x| x / n).collect::<Vec<_>>())
            })
            .sum::<f32>()
            / 5.0;
        assert!(first > 1.5 * random, "the first direction moves the response by {first}, a random one by {random}");
    }
}
