//! How every setting is checked: one typed error (which field, and why) and one range checker.
//!
//! The ranges sit beside the configs they bound (`train::config`, `model`, `images`); the
//! playground's controls take theirs from `www/js/limits.js`, which `ganplay limits` writes from
//! [`crate::train::limits`], so the page and the engine cannot disagree (a test compares them).

use crate::text::{QUOTE, excerpt};
use std::fmt;

/// A setting that cannot be used: its field (a config path such as `optim_g.lr`) and the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub field: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }

    /// An error of the config as a whole (not JSON, an unknown field …).
    pub fn whole(reason: impl Into<String>) -> Self {
        Self::new("", reason)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = excerpt(&self.reason, 300);
        if self.field.is_empty() { f.write_str(&reason) } else { write!(f, "{} {reason}", excerpt(&self.field, QUOTE)) }
    }
}

impl std::error::Error for ConfigError {}

impl From<ConfigError> for String {
    fn from(e: ConfigError) -> Self {
        e.to_string()
    }
}

/// The values a numeric setting may take: `min..=max` (either end may be open), whole numbers
/// only when `whole`, and one extra value `off` that means "turned off" (an EMA decay of 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
    pub whole: bool,
    pub min_open: bool,
    pub max_open: bool,
    pub off: Option<f64>,
}

impl Range {
    /// Whole numbers in `min..=max`.
    pub const fn int(min: u64, max: u64) -> Self {
        Self { min: min as f64, max: max as f64, whole: true, min_open: false, max_open: false, off: None }
    }

    /// Numbers in `[min, max]`.
    pub const fn float(min: f64, max: f64) -> Self {
        Self { min, max, whole: false, min_open: false, max_open: false, off: None }
    }

    /// The same range without its lower end: `(min, max]`.
    pub const fn above(self) -> Self {
        Self { min_open: true, ..self }
    }

    /// The same range without its upper end: `[min, max)`.
    pub const fn below(self) -> Self {
        Self { max_open: true, ..self }
    }

    /// The same range, and `off` besides.
    pub const fn or_off(self, off: f64) -> Self {
        Self { off: Some(off), ..self }
    }

    /// Whether `v` is allowed, the ends taken at the value's own precision (`snap`), so that an
    /// f32 setting of 1e-6 passes a lower end of 1e-6.
    fn contains(&self, v: f64, snap: fn(f64) -> f64) -> bool {
        let (min, max) = (snap(self.min), snap(self.max));
        let lo = if self.min_open { v > min } else { v >= min };
        let hi = if self.max_open { v < max } else { v <= max };
        self.off.map(snap) == Some(v) || (v.is_finite() && lo && hi)
    }

    fn describe(&self) -> String {
        if self.whole {
            format!("{}–{}", self.min, self.max)
        } else {
            format!("{}{}, {}{}", if self.min_open { "(" } else { "[" }, self.min, self.max, if self.max_open { ")" } else { "]" })
        }
    }

    /// A whole-number setting.
    pub fn check_int(&self, field: &str, v: u64) -> Result<(), ConfigError> {
        if self.contains(v as f64, |b| b) && v as f64 as u64 == v { Ok(()) } else { Err(ConfigError::new(field, format!("must be in {}, got {v}", self.describe()))) }
    }

    /// A real-valued setting.
    pub fn check(&self, field: &str, v: f64) -> Result<(), ConfigError> {
        self.check_at(field, v, v, |b| b)
    }

    /// An f32 setting: the ends are taken in f32, and the message shows the value as an f32.
    pub fn check_f32(&self, field: &str, v: f32) -> Result<(), ConfigError> {
        self.check_at(field, v as f64, v, |b| b as f32 as f64)
    }

    fn check_at(&self, field: &str, v: f64, shown: impl fmt::Display, snap: fn(f64) -> f64) -> Result<(), ConfigError> {
        if self.contains(v, snap) { Ok(()) } else { Err(ConfigError::new(field, format!("must be in {}, got {shown}", self.describe()))) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_check_both_ends_and_say_so() {
        let r = Range::int(1, 20);
        assert!(r.check_int("k_d", 1).is_ok() && r.check_int("k_d", 20).is_ok());
        assert_eq!(r.check_int("k_d", 0).unwrap_err().to_string(), "k_d must be in 1–20, got 0");
        assert_eq!(r.check_int("k_d", u64::MAX).unwrap_err().field, "k_d");
        let f = Range::float(0.0, 1.0).below();
        assert!(f.check("beta1", 0.0).is_ok() && f.check("beta1", 1.0).is_err() && f.check("beta1", f64::NAN).is_err());
        assert_eq!(f.check("beta1", 2.0).unwrap_err().to_string(), "beta1 must be in [0, 1), got 2");
        let lr = Range::float(0.0, 1.0).above();
        assert!(lr.check("lr", 0.0).is_err() && lr.check("lr", 1.0).is_ok());
        let ema = Range::float(0.5, 0.9999).or_off(0.0);
        assert!(ema.check_f32("ema", 0.0).is_ok() && ema.check_f32("ema", 0.9999).is_ok());
        assert_eq!(ema.check_f32("ema", 0.2).unwrap_err().to_string(), "ema must be in [0.5, 0.9999], got 0.2");
        // An f32 setting at the lower end passes (1e-6 as an f32 is just below 1e-6).
        assert!(Range::float(1e-6, 10.0).check_f32("clip", 1e-6).is_ok());
        assert!(Range::float(1e-6, 10.0).check("clip", 1e-6f32 as f64).is_err());
        assert_eq!(Range::float(0.0, 0.5).check_f32("s", 0.7).unwrap_err().to_string(), "s must be in [0, 0.5], got 0.7");
        assert_eq!(ConfigError::whole("invalid config: x").to_string(), "invalid config: x");
    }
}
