//! What defines a 2D run: the config, its optimisers, and the range of every setting.

use crate::data::Dataset;
use crate::limits::{ConfigError, Range};
use crate::loss::Objective;
use crate::model::{Activation, DiscriminatorConfig, GeneratorConfig, HIDDEN_LAYERS, LATENT_DIM, Noise, WIDTH};
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, RmsPropConfig, SgdConfig};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Which optimiser updates a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// SGD with (optional) momentum.
    Sgd,
    Adam,
    Rmsprop,
}

/// One network's optimiser. Fields an optimiser does not use are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    /// Learning rate, in [1e-6, 10]. Default 1e-3.
    pub lr: f64,
    /// Adam's β1, in [0, 0.999]. Default 0.5.
    pub beta1: f32,
    /// Adam's β2, in [0, 0.9999]. Default 0.999.
    pub beta2: f32,
    /// SGD and RMSProp momentum, in [0, 0.99]. Default 0.
    pub momentum: f64,
    /// RMSProp smoothing constant, in [0, 0.9999]. Default 0.99.
    pub alpha: f32,
    /// Numerical stability term, in [1e-12, 1]. Default 1e-8.
    pub epsilon: f32,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        Self { kind: OptimizerKind::Adam, lr: 1e-3, beta1: 0.5, beta2: 0.999, momentum: 0.0, alpha: 0.99, epsilon: 1e-8 }
    }
}

/// Every setting's range: the engine checks these, and the page's controls show them (see
/// [`limits`]). Where a range is narrower than what the maths allows (β < 1, lr > 0) it is the
/// range a person can choose on the page, so a model file never runs what the page cannot show.
pub const SEED: Range = Range::int(0, (1 << 31) - 1);
pub const BATCH_SIZE: Range = Range::int(1, 4096);
pub const STEPS_PER_ROUND: Range = Range::int(1, 20);
pub const LR: Range = Range::float(1e-6, 10.0);
pub const BETA1: Range = Range::float(0.0, 0.999);
pub const BETA2: Range = Range::float(0.0, 0.9999);
pub const MOMENTUM: Range = Range::float(0.0, 0.99);
pub const ALPHA: Range = Range::float(0.0, 0.9999);
pub const EPSILON: Range = Range::float(1e-12, 1.0);
pub const CLIP: Range = Range::float(1e-6, 10.0);
pub const GP_WEIGHT: Range = Range::float(0.0, 100.0);
pub const LABEL_SMOOTHING: Range = Range::float(0.0, 0.5);
pub const EMA: Range = Range::float(0.5, 0.9999).or_off(0.0);

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 3] = [OptimizerKind::Adam, OptimizerKind::Sgd, OptimizerKind::Rmsprop];
}

impl OptimizerConfig {
    pub fn validate(&self, which: &str) -> Result<(), ConfigError> {
        LR.check(&format!("{which}.lr"), self.lr)?;
        BETA1.check_f32(&format!("{which}.beta1"), self.beta1)?;
        BETA2.check_f32(&format!("{which}.beta2"), self.beta2)?;
        MOMENTUM.check(&format!("{which}.momentum"), self.momentum)?;
        ALPHA.check_f32(&format!("{which}.alpha"), self.alpha)?;
        EPSILON.check_f32(&format!("{which}.epsilon"), self.epsilon)
    }

    pub fn init(&self) -> ModuleOptimizer {
        match self.kind {
            OptimizerKind::Adam => AdamConfig::new()
                .with_beta_1(self.beta1)
                .with_beta_2(self.beta2)
                .with_epsilon(self.epsilon)
                .init(),
            OptimizerKind::Sgd => SgdConfig::new()
                .with_momentum((self.momentum > 0.0).then(|| {
                    MomentumConfig::new().with_momentum(self.momentum).with_dampening(0.0)
                }))
                .init(),
            OptimizerKind::Rmsprop => RmsPropConfig::new()
                .with_alpha(self.alpha)
                .with_momentum(self.momentum as f32)
                .with_epsilon(self.epsilon)
                .init(),
        }
    }
}

/// The config's fields that say what the model is (the data, the seed, the networks): a running
/// model cannot take a change to one, which needs a new run. The page reads the list from www/js/limits.js.
pub const NEW_RUN: [&str; 4] = ["dataset", "seed", "generator", "discriminator"];

/// Everything that defines a run. The same config and seed give the same run on the same backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// A key of [`Dataset::NAMES`], or "points" for a user-given cloud. Default "ring".
    pub dataset: String,
    /// The seed of data, weights and noise, 0–2³¹−1 (what a link carries exactly). Default 1.
    pub seed: u64,
    /// Points per batch, 1–4096. Default 256.
    pub batch_size: usize,
    /// Discriminator steps per round, 1–20. Default 1.
    pub k_d: usize,
    /// Generator steps per round, 1–20. Default 1.
    pub k_g: usize,
    pub objective: Objective,
    /// Weight clipping bound for the Wasserstein critic, 1e-6–10. Default 0.01.
    pub clip: f32,
    /// Weight λ of the WGAN-GP gradient penalty, 0–100. Default 10.
    pub gp_weight: f32,
    /// One-sided label smoothing: the real target becomes 1 − s. 0–0.5. Default 0.
    pub label_smoothing: f32,
    /// Decay of an exponential moving average of the generator's weights, shown instead of the
    /// generator itself; 0 turns it off. 0 or 0.5–0.9999. Default 0.
    pub ema: f32,
    pub generator: GeneratorConfig,
    pub discriminator: DiscriminatorConfig,
    pub optim_g: OptimizerConfig,
    pub optim_d: OptimizerConfig,
}

impl Default for TrainConfig {
    /// The reference config ("ring8").
    fn default() -> Self {
        Self {
            dataset: "ring".into(),
            seed: 1,
            batch_size: 256,
            k_d: 1,
            k_g: 1,
            objective: Objective::NonSaturating,
            clip: 0.01,
            gp_weight: 10.0,
            label_smoothing: 0.0,
            ema: 0.0,
            generator: GeneratorConfig::default(),
            discriminator: DiscriminatorConfig::default(),
            optim_g: OptimizerConfig::default(),
            optim_d: OptimizerConfig::default(),
        }
    }
}

impl TrainConfig {
    /// The first field of [`NEW_RUN`] in which `next` differs from this config, if any.
    pub fn new_run_field(&self, next: &TrainConfig) -> Option<&'static str> {
        let same = [next.dataset == self.dataset, next.seed == self.seed, next.generator == self.generator, next.discriminator == self.discriminator];
        NEW_RUN.into_iter().zip(same).find(|(_, same)| !same).map(|(field, _)| field)
    }

    /// Parses a JSON config; missing fields take their defaults, unknown fields are errors.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let cfg: TrainConfig = serde_json::from_str(json).map_err(|e| ConfigError::whole(format!("invalid config: {e}")))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        SEED.check_int("seed", self.seed)?;
        BATCH_SIZE.check_int("batch_size", self.batch_size as u64)?;
        STEPS_PER_ROUND.check_int("k_d", self.k_d as u64)?;
        STEPS_PER_ROUND.check_int("k_g", self.k_g as u64)?;
        CLIP.check_f32("clip", self.clip)?;
        GP_WEIGHT.check_f32("gp_weight", self.gp_weight)?;
        LABEL_SMOOTHING.check_f32("label_smoothing", self.label_smoothing)?;
        EMA.check_f32("ema", self.ema)?;
        if self.dataset != "points" {
            Dataset::from_name(&self.dataset).map_err(|e| ConfigError::whole(e.to_string()))?;
        }
        self.generator.validate()?;
        self.discriminator.validate()?;
        self.optim_g.validate("optim_g")?;
        self.optim_d.validate("optim_d")
    }
}

/// The playground's settings as the page's controls take them, keyed by their path in
/// [`TrainConfig`]: `{type: "int" | "float", min, max, def, off?}` or `{type: "enum", options,
/// def}`. `ganplay limits` writes it to `www/js/limits.js`; a test fails when that file differs.
pub fn limits() -> Value {
    // Serde's name of a value (an enum variant's "snake_case"); f32 values at their own precision
    // (0.999, not 0.9990000128746033).
    fn name<T: Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap_or(Value::Null)
    }
    fn enumeration<T: Serialize>(all: &[T], def: &T) -> Value {
        json!({ "type": "enum", "options": all.iter().map(name).collect::<Vec<_>>(), "def": name(def) })
    }
    fn f32v(v: f32) -> Value {
        json!(v.to_string().parse::<f64>().unwrap_or(v as f64))
    }
    fn range(r: Range, def: Value) -> Value {
        let mut o = if r.whole {
            json!({ "type": "int", "min": r.min as u64, "max": r.max as u64, "def": def })
        } else {
            json!({ "type": "float", "min": r.min, "max": r.max, "def": def })
        };
        if let Some(off) = r.off {
            o["off"] = json!(off);
        }
        o
    }
    let d = TrainConfig::default();
    let (g, dn) = (&d.generator, &d.discriminator);
    let mut datasets: Vec<&str> = Dataset::NAMES.to_vec();
    datasets.push("points");
    let mut out = vec![
        ("dataset".to_string(), enumeration(&datasets, &d.dataset.as_str())),
        ("seed".into(), range(SEED, json!(d.seed))),
        ("objective".into(), enumeration(&Objective::ALL, &d.objective)),
        ("batch_size".into(), range(BATCH_SIZE, json!(d.batch_size))),
        ("k_d".into(), range(STEPS_PER_ROUND, json!(d.k_d))),
        ("k_g".into(), range(STEPS_PER_ROUND, json!(d.k_g))),
        ("generator.latent_dim".into(), range(LATENT_DIM, json!(g.latent_dim))),
        ("generator.noise".into(), enumeration(&Noise::ALL, &g.noise)),
        ("generator.hidden_layers".into(), range(HIDDEN_LAYERS, json!(g.hidden_layers))),
        ("generator.width".into(), range(WIDTH, json!(g.width))),
        ("generator.activation".into(), enumeration(&Activation::ALL, &g.activation)),
        ("discriminator.hidden_layers".into(), range(HIDDEN_LAYERS, json!(dn.hidden_layers))),
        ("discriminator.width".into(), range(WIDTH, json!(dn.width))),
        ("discriminator.activation".into(), enumeration(&Activation::ALL, &dn.activation)),
    ];
    for (net, o) in [("optim_g", &d.optim_g), ("optim_d", &d.optim_d)] {
        out.push((format!("{net}.kind"), enumeration(&OptimizerKind::ALL, &o.kind)));
        out.push((format!("{net}.lr"), range(LR, json!(o.lr))));
        out.push((format!("{net}.beta1"), range(BETA1, f32v(o.beta1))));
        out.push((format!("{net}.beta2"), range(BETA2, f32v(o.beta2))));
        out.push((format!("{net}.momentum"), range(MOMENTUM, json!(o.momentum))));
    }
    out.push(("label_smoothing".into(), range(LABEL_SMOOTHING, f32v(d.label_smoothing))));
    out.push(("ema".into(), range(EMA, f32v(d.ema))));
    out.push(("clip".into(), range(CLIP, f32v(d.clip))));
    out.push(("gp_weight".into(), range(GP_WEIGHT, f32v(d.gp_weight))));
    Value::Object(out.into_iter().collect())
}

/// `www/js/limits.js`: [`limits`] as an ES module, and the engine's other facts the page needs: the
/// most points a user's cloud may have, the plane's extent, how much of a value a message quotes.
pub fn limits_module() -> String {
    let table = serde_json::to_string_pretty(&limits()).unwrap_or_default();
    format!(
        "// Generated by `ganplay limits` from the engine's config checks (crate/src/train/config.rs). Do not edit:\n\
         // run `cargo run -p ganplay --bin ganplay -- limits --out www/js/limits.js`. A native test fails when this file and the engine disagree.\n\
         export const LIMITS = {table};\n\
         /** The most points a drawn or imported dataset may have. */\n\
         export const MAX_POINTS = {};\n\
         /** The plane the engine reads out and the page shows: [−EXTENT, EXTENT]² (crate/src/train/readout.rs). */\n\
         export const EXTENT = {};\n\
         /** How many characters of a user's value a message quotes (crate/src/text.rs). */\n\
         export const QUOTE_CHARS = {};\n\
         /** The config's fields a running model cannot take: a change under one needs a new run (Trainer::retune). */\n\
         export const NEW_RUN = {};\n",
        crate::data::MAX_POINTS,
        super::EXTENT,
        crate::text::QUOTE,
        serde_json::to_string(&NEW_RUN).unwrap_or_default()
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;


    #[test]
    fn bad_configs_are_rejected_with_a_reason() {
        let e = TrainConfig::from_json(r#"{"batch_size": 0}"#).unwrap_err();
        assert!(e.to_string().contains("batch_size"), "{e}");
        let e = TrainConfig::from_json(r#"{"optim_g": {"lr": -1}}"#).unwrap_err();
        assert!(e.to_string().contains("optim_g.lr"), "{e}");
        let e = TrainConfig::from_json(r#"{"dataset": "nope"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown dataset"), "{e}");
        let e = TrainConfig::from_json(r#"{"objective": "wgan_gp"}"#).unwrap_err();
        assert!(e.to_string().contains("invalid config"), "{e}");
        let e = TrainConfig::from_json(r#"{"lerning_rate": 1}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
        let e = TrainConfig::from_json("not json").unwrap_err();
        assert!(e.to_string().contains("invalid config"), "{e}");
        assert_eq!(TrainConfig::from_json("{}").unwrap(), TrainConfig::default());
        let e = TrainConfig::from_json(r#"{"ema": 0.2}"#).unwrap_err();
        assert!(e.to_string().contains("ema"), "{e}");
        let e = TrainConfig::from_json(r#"{"label_smoothing": 0.7}"#).unwrap_err();
        assert!(e.to_string().contains("label_smoothing"), "{e}");
    }

    /// Numbers as f64, so that 0 and 0.0 compare equal.
    fn normalised(v: &Value) -> Value {
        match v {
            Value::Number(n) => json!(n.as_f64()),
            Value::Array(a) => Value::Array(a.iter().map(normalised).collect()),
            Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), normalised(v))).collect()),
            other => other.clone(),
        }
    }

    /// The page's controls (www/js/limits.js) take exactly the engine's ranges and defaults, and
    /// every default passes the engine's own check.
    #[test]
    fn the_pages_limits_file_is_the_engines() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/js/limits.js");
        let text = std::fs::read_to_string(path).expect("www/js/limits.js");
        let table = text.split_once("export const LIMITS = ").and_then(|(_, rest)| rest.split_once("};")).map(|(t, _)| format!("{t}}}"));
        let page: Value = serde_json::from_str(&table.expect("an `export const LIMITS = {…};` in www/js/limits.js")).expect("LIMITS is JSON");
        assert_eq!(normalised(&page), normalised(&limits()), "www/js/limits.js is stale: run `ganplay limits --out www/js/limits.js`");
        assert!(text.contains(&format!("export const MAX_POINTS = {};", crate::data::MAX_POINTS)), "MAX_POINTS in www/js/limits.js");
        assert_eq!(text, limits_module(), "www/js/limits.js is not what `ganplay limits` writes");
        // Each range's ends and default pass the engine's check.
        for (key, v) in limits().as_object().unwrap() {
            if v["type"] == "enum" {
                continue;
            }
            let mut config = json!({});
            let (head, tail) = key.split_once('.').map_or((key.as_str(), None), |(a, b)| (a, Some(b)));
            for at in ["min", "max", "def"] {
                let value = v[at].clone();
                match tail {
                    Some(t) => config[head] = json!({ t: value }),
                    None => config[head] = value,
                }
                let r = TrainConfig::from_json(&config.to_string());
                assert!(r.is_ok(), "{key} = {} ({at}) is refused: {}", v[at], r.unwrap_err());
            }
        }
    }
}
