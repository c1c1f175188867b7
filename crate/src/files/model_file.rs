//! The model file: weights, the full config, the iteration count, the random state and (where the
//! backend allows reading it) the optimisers' state, in one JSON document.
//!
//! Floats are stored as base64 of little-endian f32; optimiser state as base64 of burn's burnpack
//! bytes. An FNV-1a checksum over every tensor and the optimiser state catches damaged files;
//! forged optimiser state is checked tensor by tensor against the model before burn loads it.

use crate::data::{Dataset, Rng};
use crate::model::params::{self, SavedParam};
use crate::model::Mlp;
use crate::files::checksum::{self, base64};
use crate::readback::read_f32;
use crate::text::{self, quote};
use crate::train::{TrainConfig, Trainer};
use burn::module::Module;
use burn::tensor::{Bytes, Device, Tensor, TensorData, Transaction};
use serde::{Deserialize, Serialize};
use std::future::Future;

/// The `format` field of every ganplay 2D model file.
pub const FORMAT: &str = "ganplay-2d";
/// The file version this build writes and reads.
pub const VERSION: u32 = crate::files::error::MODEL_FILE_VERSION;
/// Files larger than this are refused before parsing.
pub const MAX_BYTES: usize = 64 << 20;

pub use crate::files::error::WeightsError;

/// One parameter tensor in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TensorEntry {
    /// burn's parameter id (optimiser state is keyed by it), as a decimal string.
    #[serde(with = "crate::data::u64_text")]
    pub id: u64,
    pub shape: Vec<usize>,
    /// base64 of the little-endian f32 values.
    pub data: String,
}

/// Optimiser state as burnpack bytes, base64.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizerEntry {
    pub generator: String,
    pub discriminator: String,
}

/// Everything needed to continue a run where it stopped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    pub config: TrainConfig,
    pub iteration: u64,
    pub rng: Rng,
    /// The latest D and G losses (null before the first step).
    pub losses: [Option<f32>; 2],
    /// The user's point cloud, when `config.dataset` is "points".
    pub points: Option<Vec<[f32; 2]>>,
    pub generator: Vec<TensorEntry>,
    pub discriminator: Vec<TensorEntry>,
    /// The generator's moving average, when `config.ema` is on.
    pub ema: Option<Vec<TensorEntry>>,
    /// Absent where the backend's optimiser state cannot be read (WebGPU); training then goes on
    /// with fresh optimiser moments.
    pub optimizer: Option<OptimizerEntry>,
    /// FNV-1a 64 over every tensor and the optimiser state, as hex (see [`ModelFile::seal`]).
    pub checksum: String,
}

impl ModelFile {
    fn digest(&self) -> String {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut shapes = Vec::new();
        for t in self.generator.iter().chain(&self.discriminator).chain(self.ema.iter().flatten()) {
            shapes.push(format!("{}:{:?}", t.id, t.shape));
        }
        for sh in &shapes {
            parts.push(sh.as_bytes());
        }
        for t in self.generator.iter().chain(&self.discriminator).chain(self.ema.iter().flatten()) {
            parts.push(t.data.as_bytes());
        }
        if let Some(o) = &self.optimizer {
            parts.push(o.generator.as_bytes());
            parts.push(o.discriminator.as_bytes());
        }
        format!("{:016x}", checksum::fnv1a_parts(&parts))
    }

    /// Sets the checksum over the current contents.
    pub fn seal(mut self) -> Self {
        self.checksum = self.digest();
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a model file always serialises")
    }

    /// Parses and checks a model file: format, version, config and every tensor's encoding.
    pub fn from_json(text: &str) -> Result<Self, WeightsError> {
        if text.len() > MAX_BYTES {
            return Err(WeightsError::NotGanplay(format!("{} bytes is more than the {} MB limit", text.len(), MAX_BYTES >> 20)));
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| WeightsError::NotGanplay(format!("not JSON: {e}")))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => return Err(WeightsError::NotGanplay(format!("its format is {}", quote(other)))),
            None => return Err(WeightsError::NotGanplay("no \"format\" field".into())),
        }
        check_version(value.get("version"))?;
        let file: ModelFile = serde_json::from_value(value).map_err(|e| WeightsError::Corrupt(e.to_string()))?;
        if file.digest() != file.checksum {
            return Err(WeightsError::Corrupt("checksum mismatch: the file was changed or damaged".into()));
        }
        file.config.validate().map_err(|e| WeightsError::Corrupt(e.to_string()))?;
        if let Some(points) = &file.points {
            Dataset::from_points(points.clone()).map_err(|e| WeightsError::Corrupt(e.to_string()))?;
        }
        let decode = |name: &str, list: &[TensorEntry]| -> Result<Vec<SavedParam>, WeightsError> {
            list.iter().enumerate().map(|(i, t)| decode_tensor(t).map_err(|e| WeightsError::Corrupt(format!("{name} tensor {i}: {e}")))).collect()
        };
        let g = decode("generator", &file.generator)?;
        let d = decode("discriminator", &file.discriminator)?;
        let ema = file.ema.as_deref().map(|e| decode("ema", e)).transpose()?;
        file.check_state(&g, &d, ema.as_deref())?;
        if let Some(o) = &file.optimizer {
            o.decode()?;
        }
        Ok(file)
    }
}

impl ModelFile {
    /// A state training can go on from: a round count the page can show exactly, finite losses, a
    /// random state `Rng` can have, and networks whose outputs are finite (refused here, at load,
    /// rather than diverging at every Play).
    fn check_state(&self, g: &[SavedParam], d: &[SavedParam], ema: Option<&[SavedParam]>) -> Result<(), WeightsError> {
        let corrupt = |why: String| WeightsError::Corrupt(why);
        if self.iteration > MAX_ITERATION {
            return Err(corrupt(format!("its iteration count {} is impossible (at most 2⁵³ − 1)", self.iteration)));
        }
        if self.losses.iter().flatten().any(|l| !l.is_finite()) {
            return Err(corrupt("a saved loss is not a finite number".into()));
        }
        self.rng.check().map_err(corrupt)?;
        let generators: Vec<&[SavedParam]> = [Some(g), ema].into_iter().flatten().collect();
        crate::train::finite_outputs(&self.config, &generators, d).map_err(WeightsError::Mismatch)
    }
}

/// The largest round count a file may hold: what a JavaScript number holds exactly.
pub const MAX_ITERATION: u64 = (1 << 53) - 1;

/// The `version` field: a whole number (1 and 1.0 alike), and the one this build reads.
fn check_version(version: Option<&serde_json::Value>) -> Result<(), WeightsError> {
    let v = match version {
        None => return Err(WeightsError::Corrupt("no \"version\" field".into())),
        Some(serde_json::Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(other) => {
            let kind = match other {
                serde_json::Value::String(_) => "text",
                serde_json::Value::Bool(_) => "true or false",
                serde_json::Value::Null => "null",
                _ => "a list or an object",
            };
            return Err(WeightsError::Corrupt(format!("its \"version\" must be a number, not {kind}")));
        }
    };
    if v == VERSION as f64 {
        Ok(())
    } else if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) {
        Err(WeightsError::Version(v as u32))
    } else {
        Err(WeightsError::Corrupt(format!("its \"version\" must be a whole number of 0 or more, not {}", text::excerpt(&v.to_string(), text::QUOTE))))
    }
}

impl OptimizerEntry {
    pub fn new(generator: &[u8], discriminator: &[u8]) -> Self {
        Self { generator: base64::encode(generator), discriminator: base64::encode(discriminator) }
    }

    /// The generator's and the discriminator's state bytes.
    pub fn decode(&self) -> Result<(Vec<u8>, Vec<u8>), WeightsError> {
        let bad = |e: String| WeightsError::Corrupt(format!("optimizer state: {e}"));
        Ok((base64::decode(&self.generator).map_err(bad)?, base64::decode(&self.discriminator).map_err(bad)?))
    }
}

/// Checks burnpack optimiser state against the parameters it is for: every state tensor must
/// name one of them and have its shape (f32), and every rank entry must match. burn's loader
/// panics on some forged records, and a panic would kill the wasm instance.
fn check_optimizer_state(bytes: &[u8], params: &[(u64, Vec<usize>)]) -> Result<(), String> {
    let known: std::collections::HashMap<u64, &Vec<usize>> = params.iter().map(|(id, s)| (*id, s)).collect();
    let reader = burn_pack::Reader::from_bytes(Bytes::from_bytes_vec(bytes.to_vec())).map_err(|e| format!("{e:?}"))?;
    for (name, value) in reader.scalars() {
        if let Some(id) = name.strip_suffix(".__rank") {
            let shape = id.parse::<u64>().ok().and_then(|id| known.get(&id)).ok_or_else(|| format!("state for an unknown parameter \"{id}\""))?;
            if usize::try_from(*value).ok() != Some(shape.len()) {
                return Err(format!("parameter {id} has the wrong rank"));
            }
        }
    }
    for t in reader.into_tensors().map_err(|e| format!("{e:?}"))? {
        let id = t.param_id.ok_or_else(|| format!("state tensor \"{}\" names no parameter", t.name))?;
        let shape = known.get(&id).ok_or_else(|| format!("state tensor \"{}\" is for an unknown parameter", t.name))?;
        let dims: Vec<usize> = (0..t.shape.num_dims()).map(|i| t.shape[i]).collect();
        if &&dims != shape || !t.name.starts_with(&format!("{id}.")) || t.dtype != burn::tensor::DType::F32 {
            return Err(format!("state tensor \"{}\" does not fit its parameter", t.name));
        }
    }
    Ok(())
}

/// Encodes one parameter.
pub fn encode_tensor(p: &SavedParam) -> TensorEntry {
    let bytes: Vec<u8> = p.values.iter().flat_map(|v| v.to_le_bytes()).collect();
    TensorEntry { id: p.id, shape: p.shape.clone(), data: base64::encode(&bytes) }
}

/// Decodes one parameter, checking that its values fill its shape and are finite.
pub fn decode_tensor(t: &TensorEntry) -> Result<SavedParam, String> {
    let bytes = base64::decode(&t.data)?;
    let count = t.shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).ok_or("shape overflows")?;
    if t.shape.is_empty() || t.shape.len() > 4 || bytes.len() != count.saturating_mul(4) {
        return Err(format!("{} bytes do not fill shape {:?}", bytes.len(), t.shape));
    }
    let values: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(format!("value {i} is not finite"));
    }
    Ok(SavedParam { id: t.id, shape: t.shape.clone(), values })
}

impl Trainer {
    /// Starts reading the whole run into a model file (one batched read). `with_optimizer` adds the
    /// optimisers' state, which burn reads synchronously: pass false on WebGPU in the browser.
    pub fn save(&self, with_optimizer: bool) -> impl Future<Output = Result<ModelFile, String>> + 'static {
        let nets: Vec<Mlp> = [Some(self.s.g.clone()), Some(self.s.d.clone()), self.s.ema_g.clone()].into_iter().flatten().collect();
        let layout: Vec<Vec<(u64, Vec<usize>)>> = nets.iter().map(params::ids_and_shapes).collect();
        let mut read = Transaction::default();
        for net in &nets {
            for t in params::flat(net) {
                read = read.register(t);
            }
        }
        read = read.register(self.losses());
        let optimizer = if with_optimizer {
            let bytes = |o: &burn::optim::ModuleOptimizer| o.into_bytes().map(|b| b.to_vec()).map_err(|e| format!("{e:?}"));
            Some(bytes(&self.s.opt_g).and_then(|g| Ok(OptimizerEntry::new(&g, &bytes(&self.s.opt_d)?))))
        } else {
            None
        };
        let points = match &self.dataset {
            Dataset::Points(p) => Some(p.clone()),
            _ => None,
        };
        let (config, iteration, rng) = (self.config.clone(), self.s.iteration, self.s.rng.clone());
        async move {
            let optimizer = optimizer.transpose().map_err(|e| format!("reading the optimiser state failed: {e}"))?;
            let data = read_f32(read).await.map_err(|e| format!("reading the weights failed: {e}"))?;
            let mut data = data.into_iter();
            let mut nets = layout.into_iter().map(|net| {
                net.into_iter()
                    .map(|(id, shape)| {
                        let values = data.next().ok_or("missing tensor")?;
                        Ok(encode_tensor(&SavedParam { id, shape, values }))
                    })
                    .collect::<Result<Vec<_>, String>>()
            });
            let generator = nets.next().ok_or("no generator")??;
            let discriminator = nets.next().ok_or("no discriminator")??;
            let ema = nets.next().transpose()?;
            let losses = data.next().ok_or("missing losses")?;
            let loss = |v: f32| v.is_finite().then_some(v);
            Ok(ModelFile {
                format: FORMAT.into(),
                version: VERSION,
                config,
                iteration,
                rng,
                losses: [loss(losses[0]), loss(losses[1])],
                points,
                generator,
                discriminator,
                ema,
                optimizer,
                checksum: String::new(),
            }
            .seal())
        }
    }

    /// Rebuilds a run from a model file on `device`, so that training continues where it stopped.
    pub fn restore(file: &ModelFile, device: &Device) -> Result<Trainer, WeightsError> {
        let points = if file.config.dataset == "points" { file.points.clone() } else { None };
        let mut t = Trainer::new(file.config.clone(), points, device).map_err(|e| WeightsError::Corrupt(e.to_string()))?;
        fn decode(list: &[TensorEntry]) -> Result<Vec<SavedParam>, WeightsError> {
            list.iter().map(|e| decode_tensor(e).map_err(WeightsError::Corrupt)).collect()
        }
        let mismatch = |which: &'static str| move |e: String| WeightsError::Mismatch(format!("{which}: {e}"));
        let mut ids = std::collections::HashSet::new();
        if !file.generator.iter().chain(&file.discriminator).all(|t| ids.insert(t.id)) {
            return Err(WeightsError::Corrupt("two parameters share an id".into()));
        }
        t.s.g = params::load(t.s.g, &decode(&file.generator)?).map_err(mismatch("generator"))?;
        t.s.d = params::load(t.s.d, &decode(&file.discriminator)?).map_err(mismatch("discriminator"))?;
        t.s.ema_g = match (&t.s.ema_g, &file.ema) {
            (Some(_), Some(saved)) => Some(params::load(t.s.g.valid(), &decode(saved)?).map_err(mismatch("ema"))?),
            (Some(_), None) => Some(t.s.g.valid()),
            (None, _) => None,
        };
        if let Some(o) = &file.optimizer {
            let (g, d) = o.decode()?;
            let bad = |e: String| WeightsError::Corrupt(format!("optimizer state: {e}"));
            check_optimizer_state(&g, &params::ids_and_shapes(&t.s.g)).map_err(bad)?;
            check_optimizer_state(&d, &params::ids_and_shapes(&t.s.d)).map_err(bad)?;
            let load = |opt: burn::optim::ModuleOptimizer, bytes: Vec<u8>| {
                opt.from_bytes(Bytes::from_bytes_vec(bytes)).map_err(|e| WeightsError::Corrupt(format!("optimizer state: {e:?}")))
            };
            t.s.opt_g = load(t.s.opt_g, g)?;
            t.s.opt_d = load(t.s.opt_d, d)?;
        }
        let device = device.clone().autodiff().inner();
        let scalar = |v: f32| Tensor::<1>::from_data(TensorData::new(vec![v], [1]), &device);
        t.s.d_loss = file.losses[0].map(scalar);
        t.s.g_loss = file.losses[1].map(scalar);
        t.s.rng = file.rng.clone();
        t.s.iteration = file.iteration;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensors_round_trip_and_bad_ones_are_named() {
        let p = SavedParam { id: u64::MAX - 3, shape: vec![2, 3], values: vec![1.0, -2.5, 0.0, 3.25, 1e-7, -1e7] };
        let e = encode_tensor(&p);
        assert_eq!(decode_tensor(&e).unwrap(), p);
        let short = TensorEntry { shape: vec![2, 4], ..e.clone() };
        assert!(decode_tensor(&short).unwrap_err().contains("do not fill"));
        let nan = encode_tensor(&SavedParam { values: vec![f32::NAN; 6], ..p });
        assert!(decode_tensor(&nan).unwrap_err().contains("not finite"));
    }

    #[test]
    fn foreign_and_other_version_files_are_named() {
        assert!(matches!(ModelFile::from_json("hello"), Err(WeightsError::NotGanplay(_))));
        assert!(matches!(ModelFile::from_json("{\"a\":1}"), Err(WeightsError::NotGanplay(_))));
        assert!(matches!(ModelFile::from_json("{\"format\":\"keras\"}"), Err(WeightsError::NotGanplay(_))));
        assert_eq!(ModelFile::from_json("{\"format\":\"ganplay-2d\",\"version\":7}"), Err(WeightsError::Version(7)));
        assert!(matches!(ModelFile::from_json("{\"format\":\"ganplay-2d\",\"version\":1}"), Err(WeightsError::Corrupt(_))));
    }

    use crate::readback::block_on;
    use crate::train::View;

    fn losses_after_next_round(t: &mut Trainer) -> (f32, f32, Vec<f32>) {
        t.round();
        let r = block_on(t.readout(View::points(64))).unwrap();
        (r.d_loss, r.g_loss, r.fake)
    }

    /// Export, import and continue: the next rounds are the same as without the round trip.
    #[test]
    fn saved_runs_continue_exactly() {
        for config in [
            TrainConfig { batch_size: 32, ..Default::default() },
            TrainConfig { batch_size: 32, ema: 0.9, optim_d: crate::train::OptimizerConfig { kind: crate::train::OptimizerKind::Rmsprop, ..Default::default() }, ..Default::default() },
        ] {
            let device = Device::flex();
            let mut a = Trainer::new(config, None, &device).unwrap();
            for _ in 0..7 {
                a.round();
            }
            let json = block_on(a.save(true)).unwrap().to_json();
            let mut b = Trainer::restore(&ModelFile::from_json(&json).unwrap(), &device).unwrap();
            assert_eq!(b.iteration(), 7);
            for _ in 0..3 {
                assert_eq!(losses_after_next_round(&mut a), losses_after_next_round(&mut b));
            }
        }
    }

    #[test]
    fn without_optimizer_state_training_still_continues() {
        let device = Device::flex();
        let mut a = Trainer::new(TrainConfig { dataset: "grid".into(), batch_size: 16, ..Default::default() }, None, &device).unwrap();
        a.round();
        let file = block_on(a.save(false)).unwrap();
        assert!(file.optimizer.is_none());
        let mut b = Trainer::restore(&file, &device).unwrap();
        let (d, g, _) = losses_after_next_round(&mut b);
        assert!(d.is_finite() && g.is_finite());
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let device = Device::flex();
        let mut a = Trainer::new(TrainConfig { batch_size: 16, ..Default::default() }, None, &device).unwrap();
        a.round();
        let file = block_on(a.save(true)).unwrap();
        // A tensor of the wrong shape for the config.
        let mut wrong = file.clone();
        wrong.config.generator.width = 32;
        let e = Trainer::restore(&wrong, &device).err().unwrap();
        assert!(matches!(e, WeightsError::Mismatch(_)), "{e}");
        // Truncated text.
        let json = file.to_json();
        assert!(matches!(ModelFile::from_json(&json[..json.len() / 2]), Err(WeightsError::NotGanplay(_))));
        // A flipped character inside a tensor.
        let mut bad = file.clone();
        bad.generator[0].data.replace_range(0..1, "!");
        assert!(matches!(ModelFile::from_json(&bad.to_json()), Err(WeightsError::Corrupt(_))));
        // A weight changed to another valid value: the checksum catches it.
        let mut bad = file.clone();
        let c = if bad.generator[0].data.starts_with('A') { "B" } else { "A" };
        bad.generator[0].data.replace_range(0..1, c);
        let e = ModelFile::from_json(&bad.to_json()).unwrap_err();
        assert!(e.to_string().contains("checksum"), "{e}");
        // Optimiser state of the discriminator given to the generator (resealed, as a forger
        // would): refused before burn sees it.
        let mut forged = file.clone();
        let o = forged.optimizer.as_mut().unwrap();
        o.generator = o.discriminator.clone();
        let forged = forged.seal();
        let e = Trainer::restore(&ModelFile::from_json(&forged.to_json()).unwrap(), &device).err().unwrap();
        assert!(e.to_string().contains("optimizer state"), "{e}");
        // Garbage optimiser bytes, resealed.
        let mut junk = file.clone();
        junk.optimizer.as_mut().unwrap().generator = base64::encode(b"not a burnpack at all");
        let e = Trainer::restore(&ModelFile::from_json(&junk.seal().to_json()).unwrap(), &device).err().unwrap();
        assert!(e.to_string().contains("optimizer state"), "{e}");
        // Two parameters with one id, resealed.
        let mut twins = file.clone();
        twins.generator[1].id = twins.generator[0].id;
        let e = Trainer::restore(&ModelFile::from_json(&twins.seal().to_json()).unwrap(), &device).err().unwrap();
        assert!(e.to_string().contains("share an id"), "{e}");
    }

    /// A file whose state can never train is refused at load, each with its own reason (a forger
    /// recomputes the checksum, so these checks sit behind it): a spare normal of 1e39 (every
    /// batch of noise infinite), every weight 3e38 (finite, but the outputs overflow), a round
    /// count of 2⁶⁴ − 1 (which wrapped to 0), an infinite saved loss.
    #[test]
    fn impossible_state_is_refused_at_load() {
        let mut a = Trainer::new(TrainConfig { batch_size: 16, ema: 0.9, ..Default::default() }, None, &Device::flex()).unwrap();
        a.round();
        let file = block_on(a.save(true)).unwrap();
        assert!(ModelFile::from_json(&file.to_json()).is_ok());
        let forged = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut doc: serde_json::Value = serde_json::from_str(&file.to_json()).unwrap();
            edit(&mut doc);
            // Recompute the checksum as a forger would, but keep the document's own text (a value
            // such as 1e39 does not survive a round trip through f32).
            if let Ok(f) = serde_json::from_value::<ModelFile>(doc.clone()) {
                doc["checksum"] = serde_json::json!(f.seal().checksum);
            }
            ModelFile::from_json(&doc.to_string()).err().map(|e| e.to_string()).unwrap_or_default()
        };
        let e = forged(&|d| d["rng"]["spare_normal"] = serde_json::json!(1e39));
        assert!(e.contains("spare normal"), "{e}");
        let e = forged(&|d| d["rng"]["spare_normal"] = serde_json::json!(12.0));
        assert!(e.contains("spare normal"), "{e}");
        assert_eq!(forged(&|d| d["rng"]["spare_normal"] = serde_json::json!(1.5)), "");
        let huge = |list: &mut serde_json::Value| {
            for t in list.as_array_mut().unwrap() {
                let n: usize = t["shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).product();
                let bytes: Vec<u8> = (0..n).flat_map(|_| 3e38f32.to_le_bytes()).collect();
                t["data"] = serde_json::json!(base64::encode(&bytes));
            }
        };
        let e = forged(&|d| huge(&mut d["generator"]));
        assert!(e.contains("overflow"), "{e}");
        let e = forged(&|d| huge(&mut d["discriminator"]));
        assert!(e.contains("overflow"), "{e}");
        let e = forged(&|d| huge(&mut d["ema"]));
        assert!(e.contains("overflow"), "{e}");
        let e = forged(&|d| d["iteration"] = serde_json::json!(u64::MAX));
        assert!(e.contains("iteration count"), "{e}");
        assert_eq!(forged(&|d| d["iteration"] = serde_json::json!(MAX_ITERATION)), "");
        let e = forged(&|d| d["losses"] = serde_json::json!([1e39, 0.5]));
        assert!(e.contains("loss"), "{e}");
    }

    /// What a message quotes of a file is a short excerpt, however long the field: a 10 MB
    /// `format` gives a message of a few dozen characters.
    #[test]
    fn messages_quote_a_short_excerpt() {
        let long = "x".repeat(10 << 20);
        for text in [
            format!("{{\"format\":\"{long}\"}}"),
            format!("{{\"format\":\"ganplay-2d\",\"version\":1,\"{long}\":1}}"),
            format!("{{\"format\":\"ganplay-2d\",\"version\":\"{long}\"}}"),
        ] {
            let e = ModelFile::from_json(&text).unwrap_err().to_string();
            assert!(e.len() < 400, "{} characters: {}", e.len(), &e[..200]);
        }
        let e = TrainConfig::from_json(&format!("{{\"dataset\":\"{long}\"}}")).unwrap_err().to_string();
        assert!(e.len() < 400, "{} characters", e.len());
    }

    /// The version is read as a number in any spelling of one; anything else says what it is.
    #[test]
    fn version_spellings_get_their_own_reason() {
        let v = |version: &str| ModelFile::from_json(&format!("{{\"format\":\"ganplay-2d\",\"version\":{version}}}")).unwrap_err();
        assert_eq!(v("7"), WeightsError::Version(7));
        assert_eq!(v("7.0"), WeightsError::Version(7));
        for (spelling, says) in [("-1", "whole number"), ("1.5", "whole number"), ("1e300", "whole number"), ("\"1\"", "not text"), ("null", "not null"), ("[1]", "list")] {
            let e = v(spelling).to_string();
            assert!(e.contains(says) && !e.contains("no \"version\""), "{spelling}: {e}");
        }
        // 1.0 is version 1: the file gets as far as its other fields.
        let e = v("1.0").to_string();
        assert!(!e.contains("version"), "{e}");
    }

    #[test]
    fn optimizer_entries_round_trip() {
        let o = OptimizerEntry::new(&[1, 2, 3, 4], &[5, 6]);
        assert_eq!(o.decode().unwrap(), (vec![1, 2, 3, 4], vec![5, 6]));
    }
}
