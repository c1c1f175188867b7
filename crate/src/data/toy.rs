//! Toy 2D distributions: pure, seeded, and sampled on the host.
//!
//! A registry of plain functions in the TF Playground manner: the same key names a dataset in the
//! wasm API, the URL and the UI.

use super::rng::Rng;
use std::f32::consts::{PI, TAU};
use std::fmt;

/// The centres and spread of a Gaussian mixture, used by the mode-coverage metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct Modes {
    pub centers: Vec<[f32; 2]>,
    /// Standard deviation of every component.
    pub std: f32,
}

/// A 2D data distribution.
#[derive(Clone, Debug, PartialEq)]
pub enum Dataset {
    /// 8 Gaussians equally spaced on a circle of radius 2, σ = 0.02.
    Ring,
    /// 5 × 5 Gaussians on the integer grid −2..2, σ = 0.02.
    Grid,
    /// One arm of a noisy spiral.
    Spiral,
    /// Two interleaving half circles.
    Moons,
    /// Two concentric circles, radius 1 and 2.
    Circles,
    /// Two well separated Gaussian clusters at (±1.5, 0), σ = 0.15.
    Disjoint,
    /// A thin line segment from (−2, −1) to (2, 1).
    Line,
    /// One Gaussian at the origin, σ = 0.5.
    Gaussian,
    /// A user-given point cloud, sampled with replacement.
    Points(Vec<[f32; 2]>),
}

/// A dataset name or point cloud that cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    UnknownDataset(String),
    EmptyPoints,
    NonFinitePoint(usize),
    TooManyPoints(usize),
    /// The name "points" without a cloud.
    MissingPoints,
}

/// The most points a user's cloud may have.
pub const MAX_POINTS: usize = 100_000;

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::UnknownDataset(name) => write!(
                f,
                "unknown dataset {}; expected one of: {}",
                crate::text::quote(name),
                Dataset::NAMES.join(", ")
            ),
            DataError::EmptyPoints => write!(f, "the point cloud is empty"),
            DataError::NonFinitePoint(i) => write!(f, "point {i} is not a finite number"),
            DataError::TooManyPoints(n) => write!(f, "the point cloud has {n} points; the limit is {MAX_POINTS}"),
            DataError::MissingPoints => write!(f, "dataset \"points\" needs its point cloud"),
        }
    }
}

impl std::error::Error for DataError {}

impl Dataset {
    /// Every built-in dataset key, in display order.
    pub const NAMES: [&'static str; 8] =
        ["ring", "grid", "spiral", "moons", "circles", "disjoint", "line", "gaussian"];

    pub fn from_name(name: &str) -> Result<Self, DataError> {
        Ok(match name {
            "ring" => Dataset::Ring,
            "grid" => Dataset::Grid,
            "spiral" => Dataset::Spiral,
            "moons" => Dataset::Moons,
            "circles" => Dataset::Circles,
            "disjoint" => Dataset::Disjoint,
            "line" => Dataset::Line,
            "gaussian" => Dataset::Gaussian,
            other => return Err(DataError::UnknownDataset(other.to_string())),
        })
    }

    /// The dataset of a run: the built-in one `name` names, or for "points" the user's cloud. The
    /// one place where a run's data is built (the page, model files, the CLI and tests come here);
    /// `points` is ignored for a built-in name.
    pub fn for_run(name: &str, points: Option<Vec<[f32; 2]>>) -> Result<Self, DataError> {
        match (name, points) {
            ("points", Some(points)) => Dataset::from_points(points),
            ("points", None) => Err(DataError::MissingPoints),
            (name, _) => Dataset::from_name(name),
        }
    }

    /// A user-given point cloud; every coordinate must be finite.
    pub fn from_points(points: Vec<[f32; 2]>) -> Result<Self, DataError> {
        if points.is_empty() {
            return Err(DataError::EmptyPoints);
        }
        if points.len() > MAX_POINTS {
            return Err(DataError::TooManyPoints(points.len()));
        }
        if let Some(i) = points.iter().position(|p| !p[0].is_finite() || !p[1].is_finite()) {
            return Err(DataError::NonFinitePoint(i));
        }
        Ok(Dataset::Points(points))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Dataset::Ring => "ring",
            Dataset::Grid => "grid",
            Dataset::Spiral => "spiral",
            Dataset::Moons => "moons",
            Dataset::Circles => "circles",
            Dataset::Disjoint => "disjoint",
            Dataset::Line => "line",
            Dataset::Gaussian => "gaussian",
            Dataset::Points(_) => "points",
        }
    }

    /// Mode centres and σ for the Gaussian mixtures; `None` for the others.
    pub fn modes(&self) -> Option<Modes> {
        match self {
            Dataset::Ring => Some(Modes {
                centers: (0..8)
                    .map(|k| {
                        let a = TAU * k as f32 / 8.0;
                        [2.0 * a.cos(), 2.0 * a.sin()]
                    })
                    .collect(),
                std: 0.02,
            }),
            Dataset::Grid => Some(Modes {
                centers: (0..25).map(|k| [(k % 5) as f32 - 2.0, (k / 5) as f32 - 2.0]).collect(),
                std: 0.02,
            }),
            Dataset::Disjoint => Some(Modes { centers: vec![[-1.5, 0.0], [1.5, 0.0]], std: 0.15 }),
            Dataset::Gaussian => Some(Modes { centers: vec![[0.0, 0.0]], std: 0.5 }),
            _ => None,
        }
    }

    /// Draws `n` points, returned row-major as `[x0, y0, x1, y1, …]` (shape `[n, 2]`).
    pub fn sample(&self, rng: &mut Rng, n: usize) -> Vec<f32> {
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let [x, y] = self.point(rng);
            out.push(x);
            out.push(y);
        }
        out
    }

    fn point(&self, rng: &mut Rng) -> [f32; 2] {
        if let Some(Modes { centers, std }) = self.modes() {
            let c = centers[rng.below(centers.len())];
            return [c[0] + std * rng.normal(), c[1] + std * rng.normal()];
        }
        match self {
            Dataset::Spiral => {
                let t = rng.uniform().sqrt();
                let a = 3.0 * PI * t;
                let r = 0.2 + 1.8 * t;
                [r * a.cos() + 0.04 * rng.normal(), r * a.sin() + 0.04 * rng.normal()]
            }
            Dataset::Moons => {
                let a = PI * rng.uniform();
                let (x, y) =
                    if rng.below(2) == 0 { (a.cos(), a.sin()) } else { (1.0 - a.cos(), 0.5 - a.sin()) };
                [1.4 * (x - 0.5) + 0.05 * rng.normal(), 1.4 * (y - 0.25) + 0.05 * rng.normal()]
            }
            Dataset::Circles => {
                let r = if rng.below(2) == 0 { 1.0 } else { 2.0 };
                let a = TAU * rng.uniform();
                [r * a.cos() + 0.03 * rng.normal(), r * a.sin() + 0.03 * rng.normal()]
            }
            Dataset::Line => {
                let t = rng.range(-1.0, 1.0);
                [2.0 * t + 0.02 * rng.normal(), t + 0.02 * rng.normal()]
            }
            Dataset::Points(points) => points[rng.below(points.len())],
            Dataset::Ring | Dataset::Grid | Dataset::Disjoint | Dataset::Gaussian => {
                unreachable!("mixtures are sampled above")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in Dataset::NAMES {
            assert_eq!(Dataset::from_name(name).unwrap().name(), name);
        }
        let err = Dataset::from_name("rnig").unwrap_err();
        assert!(err.to_string().contains("unknown dataset \"rnig\""));
    }

    #[test]
    fn sampling_is_seeded_and_finite() {
        for name in Dataset::NAMES {
            let d = Dataset::from_name(name).unwrap();
            let a = d.sample(&mut Rng::new(5), 500);
            let b = d.sample(&mut Rng::new(5), 500);
            assert_eq!(a, b, "{name} is not reproducible");
            assert_eq!(a.len(), 1000);
            assert!(a.iter().all(|v| v.is_finite() && v.abs() < 4.0), "{name} out of range");
        }
    }

    #[test]
    fn ring_points_sit_on_their_modes() {
        let d = Dataset::Ring;
        let modes = d.modes().unwrap();
        let pts = d.sample(&mut Rng::new(1), 1000);
        for p in pts.chunks(2) {
            let near = modes
                .centers
                .iter()
                .map(|c| ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sqrt())
                .fold(f32::INFINITY, f32::min);
            assert!(near < 6.0 * modes.std);
        }
    }

    #[test]
    fn point_clouds_are_validated_and_resampled() {
        assert_eq!(Dataset::from_points(vec![]), Err(DataError::EmptyPoints));
        assert_eq!(Dataset::for_run("points", None), Err(DataError::MissingPoints));
        assert_eq!(Dataset::for_run("grid", Some(vec![[0.0, 0.0]])), Ok(Dataset::Grid));
        assert_eq!(Dataset::for_run("points", Some(vec![[0.5, 0.0]])), Ok(Dataset::Points(vec![[0.5, 0.0]])));
        assert_eq!(
            Dataset::from_points(vec![[0.0, 1.0], [f32::NAN, 0.0]]),
            Err(DataError::NonFinitePoint(1))
        );
        let d = Dataset::from_points(vec![[1.0, 1.0], [-1.0, 0.5]]).unwrap();
        let s = d.sample(&mut Rng::new(2), 100);
        assert!(s.chunks(2).all(|p| p == [1.0, 1.0] || p == [-1.0, 0.5]));
    }
}
