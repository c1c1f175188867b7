//! The binary weight files of the image models: the shipped generators (`.gpk`, weights in f16)
//! and the pretraining checkpoints (f32 and optimiser state).
//!
//! Layout: `GANPLAY\0`, u32 version, u32 header length, a JSON header (what the file is, and the
//! name, burn param id, shape and dtype of each tensor, and the length of each extra blob), the
//! tensors' little-endian values, the blobs, and an FNV-1a 64 checksum of every byte before it.
//! Each length is checked before anything is read, so a truncated or foreign file is named, never
//! half-loaded.

use crate::model::params::SavedParam;
use crate::files::checksum;
use crate::files::error::WeightsError;
use crate::readback::read_f32;
use burn::tensor::Transaction;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const MAGIC: &[u8; 8] = b"GANPLAY\0";
pub const VERSION: u32 = 1;
/// Larger files are refused before they are parsed.
pub const MAX_BYTES: usize = 256 << 20;
const MAX_HEADER: usize = 1 << 20;

/// How a tensor's values are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    F32,
    /// IEEE half precision: half the bytes; the generators' outputs stay within 1e-2 of f32.
    F16,
}

impl Dtype {
    fn width(self) -> usize {
        match self {
            Dtype::F32 => 4,
            Dtype::F16 => 2,
        }
    }
}

/// One named tensor.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub param: SavedParam,
    pub dtype: Dtype,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TensorHead {
    name: String,
    #[serde(with = "crate::data::u64_text")]
    id: u64,
    shape: Vec<usize>,
    dtype: Dtype,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlobHead {
    name: String,
    bytes: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header<M> {
    meta: M,
    tensors: Vec<TensorHead>,
    blobs: Vec<BlobHead>,
}

/// A decoded file: what it describes (`meta`), its tensors and its extra byte blobs.
pub struct Pack<M> {
    pub meta: M,
    pub tensors: Vec<Entry>,
    pub blobs: Vec<(String, Vec<u8>)>,
}

/// Reads a module's parameters in one batched read as entries named `prefix0`, `prefix1`, …
pub fn read_entries<M: burn::module::Module>(
    module: &M,
    prefix: &str,
    dtype: Dtype,
) -> impl std::future::Future<Output = Result<Vec<Entry>, String>> + 'static {
    let ids = crate::model::params::ids_and_shapes(module);
    let read = crate::model::params::flat(module).into_iter().fold(Transaction::default(), |r, t| r.register(t));
    let prefix = prefix.to_string();
    async move {
        let values = read_f32(read).await?;
        Ok(ids
            .into_iter()
            .zip(values)
            .enumerate()
            .map(|(i, ((id, shape), values))| Entry { name: format!("{prefix}{i}"), param: SavedParam { id, shape, values }, dtype })
            .collect())
    }
}

impl<M: Serialize + DeserializeOwned> Pack<M> {
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            meta: &self.meta,
            tensors: self
                .tensors
                .iter()
                .map(|e| TensorHead { name: e.name.clone(), id: e.param.id, shape: e.param.shape.clone(), dtype: e.dtype })
                .collect(),
            blobs: self.blobs.iter().map(|(name, b)| BlobHead { name: name.clone(), bytes: b.len() }).collect(),
        };
        let json = serde_json::to_vec(&header).expect("headers serialise");
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        for e in &self.tensors {
            match e.dtype {
                Dtype::F32 => e.param.values.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
                Dtype::F16 => e.param.values.iter().for_each(|v| out.extend_from_slice(&half::f16::from_f32(*v).to_le_bytes())),
            }
        }
        for (_, b) in &self.blobs {
            out.extend_from_slice(b);
        }
        let sum = checksum::fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Only the header's `meta`, for a quick look (the manifest check); the rest is not verified.
    pub fn peek(bytes: &[u8]) -> Result<M, WeightsError> {
        let (header, _) = split_header::<M>(bytes)?;
        Ok(header.meta)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WeightsError> {
        let (header, body_start) = split_header::<M>(bytes)?;
        let corrupt = |why: String| WeightsError::Corrupt(why);
        if bytes.len() < body_start + 8 {
            return Err(corrupt(format!("the file ends after its header ({} bytes): it is truncated", bytes.len())));
        }
        let (content, sum) = bytes.split_at(bytes.len() - 8);
        let mut at = body_start;
        let mut need = 0usize;
        for t in &header.tensors {
            if t.shape.is_empty() || t.shape.len() > 4 {
                return Err(corrupt(format!("tensor {} has rank {}", t.name, t.shape.len())));
            }
            let n = t.shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).ok_or_else(|| corrupt(format!("tensor {}'s shape overflows", t.name)))?;
            need = need.saturating_add(n.saturating_mul(t.dtype.width()));
        }
        need = header.blobs.iter().fold(need, |a, b| a.saturating_add(b.bytes));
        if content.len() - body_start != need {
            return Err(corrupt(format!(
                "the header describes {need} bytes of weights but the file holds {}: it is truncated or damaged",
                content.len() - body_start
            )));
        }
        if checksum::fnv1a(content).to_le_bytes() != sum {
            return Err(corrupt("the checksum does not match: the file is damaged".into()));
        }
        let mut tensors = Vec::with_capacity(header.tensors.len());
        for t in header.tensors {
            let n: usize = t.shape.iter().product();
            let raw = &content[at..at + n * t.dtype.width()];
            at += raw.len();
            let values: Vec<f32> = match t.dtype {
                Dtype::F32 => raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(),
                Dtype::F16 => raw.chunks_exact(2).map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32()).collect(),
            };
            if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
                return Err(corrupt(format!("tensor {} holds a non-finite value at {bad}", t.name)));
            }
            tensors.push(Entry { name: t.name, param: SavedParam { id: t.id, shape: t.shape, values }, dtype: t.dtype });
        }
        let mut blobs = Vec::new();
        for b in header.blobs {
            blobs.push((b.name, content[at..at + b.bytes].to_vec()));
            at += b.bytes;
        }
        Ok(Pack { meta: header.meta, tensors, blobs })
    }

    /// The tensors whose names start with `prefix`, in file order.
    pub fn group(&self, prefix: &str) -> Vec<SavedParam> {
        self.tensors.iter().filter(|e| e.name.starts_with(prefix)).map(|e| e.param.clone()).collect()
    }

    pub fn blob(&self, name: &str) -> Option<&[u8]> {
        self.blobs.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice())
    }
}

fn split_header<M: DeserializeOwned>(bytes: &[u8]) -> Result<(Header<M>, usize), WeightsError> {
    if bytes.len() > MAX_BYTES {
        return Err(WeightsError::NotGanplay(format!("{} bytes is more than the {} MB limit", bytes.len(), MAX_BYTES >> 20)));
    }
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return Err(WeightsError::NotGanplay("it does not start with GANPLAY".into()));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(WeightsError::Version(version));
    }
    let len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    if len > MAX_HEADER || bytes.len() < 16 + len {
        return Err(WeightsError::Corrupt(format!("the header ({len} bytes) does not fit in the file: it is truncated")));
    }
    let header: Header<M> = serde_json::from_slice(&bytes[16..16 + len]).map_err(|e| WeightsError::Corrupt(format!("header: {e}")))?;
    Ok((header, 16 + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Pack<String> {
        let p = |id, shape: Vec<usize>| {
            let n: usize = shape.iter().product();
            SavedParam { id, shape, values: (0..n).map(|i| (i as f32 * 0.37).sin()).collect() }
        };
        Pack {
            meta: "hello".to_string(),
            tensors: vec![
                Entry { name: "g.0".into(), param: p(7, vec![3, 4]), dtype: Dtype::F32 },
                Entry { name: "g.1".into(), param: p(u64::MAX, vec![5]), dtype: Dtype::F16 },
            ],
            blobs: vec![("opt".into(), vec![1, 2, 3])],
        }
    }

    #[test]
    fn round_trip_f32_exact_f16_close() {
        let p = sample();
        let bytes = p.to_bytes();
        let q = Pack::<String>::from_bytes(&bytes).unwrap();
        assert_eq!(q.meta, "hello");
        assert_eq!(q.tensors[0], p.tensors[0]);
        assert_eq!(q.tensors[1].param.id, u64::MAX);
        for (a, b) in q.tensors[1].param.values.iter().zip(&p.tensors[1].param.values) {
            assert!((a - b).abs() <= 1e-3, "{a} vs {b}");
        }
        assert_eq!(q.blob("opt"), Some(&[1u8, 2, 3][..]));
        assert_eq!(q.group("g.").len(), 2);
    }

    #[test]
    fn damaged_files_are_named() {
        let bytes = sample().to_bytes();
        let err = |b: &[u8]| Pack::<String>::from_bytes(b).err().expect("rejected").to_string();
        assert!(err(b"{\"json\": true}").contains("not a ganplay"));
        assert!(err(&bytes[..bytes.len() - 20]).contains("truncated"));
        assert!(err(&bytes[..20]).contains("truncated"));
        let mut flipped = bytes.clone();
        let n = flipped.len();
        flipped[n - 12] ^= 1;
        assert!(err(&flipped).contains("checksum"));
        let mut v2 = bytes.clone();
        v2[8] = 2;
        assert!(err(&v2).contains("version 2"), "{}", err(&v2));
        assert!(Pack::<u32>::from_bytes(&bytes).is_err(), "a header of another kind is refused");
    }
}
