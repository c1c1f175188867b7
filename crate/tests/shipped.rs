//! The shipped generators (www/models): every manifest entry loads, matches its file, stays under
//! 2 MB and makes finite, varied images of its shape; the digits model reproduces its committed
//! reference images (the same fixture the wasm tests check in the browser).
#![cfg(not(target_arch = "wasm32"))]

use burn::tensor::Device;
use ganplay::tools::manifest::Manifest;
use ganplay::images::shipped::{Pretrained, Reference};
use std::path::PathBuf;

fn models() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../www/models")
}

#[test]
fn every_shipped_generator_loads_and_makes_images() {
    let manifest = Manifest::read(&models().join("manifest.json")).unwrap();
    assert!(!manifest.models.is_empty(), "the manifest lists no models");
    let device = Device::flex();
    for m in &manifest.models {
        let bytes = std::fs::read(models().join(&m.file)).unwrap();
        assert_eq!(bytes.len(), m.bytes, "{}: size differs from the manifest", m.id);
        assert!(bytes.len() <= 2_000_000, "{}: {} bytes is over 2 MB", m.id, bytes.len());
        let p = Pretrained::from_bytes(&bytes, &device).unwrap_or_else(|e| panic!("{}: {e}", m.id));
        let c = &p.meta.config;
        assert_eq!((p.meta.id.as_str(), c.image.size, c.image.channels, c.latent_dim), (m.id.as_str(), m.size, m.channels, m.latent_dim));
        assert_eq!(p.meta.class_names, m.classes);
        assert!(models().join(&m.preview).exists(), "{}: preview missing", m.id);
        let (z, classes) = Reference::inputs(&p.meta);
        let img: Vec<f32> = p.generate(&z, &classes).unwrap().into_data().try_to_vec().unwrap();
        let per = c.image.channels * c.image.size * c.image.size;
        assert_eq!(img.len(), Reference::COUNT * per);
        assert!(img.iter().all(|v| v.is_finite() && v.abs() <= 1.0), "{}: values outside [-1, 1]", m.id);
        let spread = |k: usize| {
            let im = &img[k * per..(k + 1) * per];
            let mean = im.iter().sum::<f32>() / per as f32;
            (im.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / per as f32).sqrt()
        };
        assert!((0..Reference::COUNT).all(|k| spread(k) > 0.1), "{}: a flat image", m.id);
        let diff: f32 = img[..per].iter().zip(&img[per..2 * per]).map(|(a, b)| (a - b).abs()).sum::<f32>() / per as f32;
        assert!(diff > 0.02, "{}: two samples are the same image", m.id);
    }
}

#[test]
fn digits_and_emoji_match_the_committed_references() {
    for id in ["digits", "emoji"] {
        let bytes = std::fs::read(models().join(format!("{id}.gpk"))).unwrap();
        let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/{id}-reference.json"))).unwrap();
        let want: Reference = serde_json::from_str(&text).unwrap();
        let got = Reference::make(&bytes).unwrap();
        assert_eq!((&got.z, &got.classes), (&want.z, &want.classes), "{id}");
        let worst = got.images.iter().zip(&want.images).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst < 1e-5, "{id}: native output differs from the reference by {worst}: regenerate it with `ganplay reference`");
    }
}
