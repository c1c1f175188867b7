//! Sample-quality metrics for 2D GANs, in plain Rust (no burn).
//!
//! Points are row-major `[x0, y0, x1, y1, …]`, as the trainer reads them back.

use crate::data::Modes;

/// Mode coverage of a set of generated samples against a Gaussian mixture.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ModeCoverage {
    /// Modes that hold at least 1 % of the samples (counting high-quality samples only).
    pub covered: usize,
    pub total: usize,
    /// Share of samples within `radius` of their nearest mode centre.
    pub high_quality: f32,
    /// The centres of the modes not covered, for the page to mark on the picture.
    pub missing: Vec<[f32; 2]>,
}

/// Counts covered modes and high-quality samples; `radius` is usually `3 σ`.
pub fn mode_coverage(samples: &[f32], modes: &Modes, radius: f32) -> ModeCoverage {
    let n = samples.len() / 2;
    let mut per_mode = vec![0usize; modes.centers.len()];
    let mut good = 0usize;
    for p in samples.chunks_exact(2) {
        let (best, d2) = modes
            .centers
            .iter()
            .enumerate()
            .map(|(i, c)| (i, (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)))
            .fold((0, f32::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        if d2 <= radius * radius {
            good += 1;
            per_mode[best] += 1;
        }
    }
    let min_count = (n as f32 * 0.01).max(1.0);
    let is_covered = |&c: &usize| c as f32 >= min_count;
    ModeCoverage {
        covered: per_mode.iter().filter(|c| is_covered(c)).count(),
        total: modes.centers.len(),
        high_quality: if n == 0 { 0.0 } else { good as f32 / n as f32 },
        missing: modes.centers.iter().zip(&per_mode).filter(|(_, c)| !is_covered(c)).map(|(m, _)| *m).collect(),
    }
}

/// Jensen–Shannon divergence (base 2, so in [0, 1]) between two point sets binned on a
/// `bins × bins` grid over the box `[-extent, extent]²`; points outside fall in the edge bins.
pub fn js_divergence(real: &[f32], fake: &[f32], bins: usize, extent: f32) -> f32 {
    let hist = |pts: &[f32]| {
        let mut h = vec![0f64; bins * bins];
        let n = (pts.len() / 2).max(1) as f64;
        for p in pts.chunks_exact(2) {
            let cell = |v: f32| {
                let t = ((v + extent) / (2.0 * extent) * bins as f32).floor();
                if t.is_nan() { 0 } else { (t.max(0.0) as usize).min(bins - 1) }
            };
            h[cell(p[1]) * bins + cell(p[0])] += 1.0 / n;
        }
        h
    };
    let (p, q) = (hist(real), hist(fake));
    let mut js = 0f64;
    for (a, b) in p.iter().zip(&q) {
        let m = 0.5 * (a + b);
        if *a > 0.0 {
            js += 0.5 * a * (a / m).log2();
        }
        if *b > 0.0 {
            js += 0.5 * b * (b / m).log2();
        }
    }
    js.clamp(0.0, 1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Dataset, Rng};

    #[test]
    fn real_ring_samples_cover_every_mode() {
        let d = Dataset::Ring;
        let modes = d.modes().unwrap();
        let pts = d.sample(&mut Rng::new(4), 2000);
        let c = mode_coverage(&pts, &modes, 3.0 * modes.std);
        assert_eq!((c.covered, c.total), (8, 8));
        assert!(c.high_quality > 0.98, "{c:?}");
    }

    #[test]
    fn a_collapsed_generator_covers_one_mode() {
        let modes = Dataset::Ring.modes().unwrap();
        let collapsed: Vec<f32> = (0..1000).flat_map(|_| [2.0, 0.0]).collect();
        let c = mode_coverage(&collapsed, &modes, 0.1);
        assert_eq!(c.covered, 1);
        assert_eq!(c.high_quality, 1.0);
        // The seven others are named, by their centres, for the page's rings.
        assert_eq!(c.missing.len(), 7);
        assert!(!c.missing.iter().any(|m| (m[0] - 2.0).abs() < 1e-4 && m[1].abs() < 1e-4));
        let far: Vec<f32> = (0..1000).flat_map(|_| [0.0, 0.0]).collect();
        assert_eq!(mode_coverage(&far, &modes, 0.1).covered, 0);
    }

    #[test]
    fn js_divergence_separates_same_from_different() {
        let mut r = Rng::new(8);
        let a = Dataset::Ring.sample(&mut r, 4000);
        let b = Dataset::Ring.sample(&mut r, 4000);
        let c = Dataset::Line.sample(&mut r, 4000);
        let same = js_divergence(&a, &b, 32, 3.0);
        let diff = js_divergence(&a, &c, 32, 3.0);
        assert!(same < 0.05, "same {same}");
        assert!(diff > 0.9, "diff {diff}");
        assert_eq!(js_divergence(&a, &a, 32, 3.0), 0.0);
        // NaN and far-away points are binned, never a panic.
        let odd = [f32::NAN, 1.0, 1e9, -1e9];
        assert!(js_divergence(&a, &odd, 32, 3.0).is_finite());
    }
}
