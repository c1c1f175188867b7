//! `www/models/manifest.json`: the list of shipped generators the gallery reads, with where each
//! came from and its quality figures.

use crate::data::catalogue::SOURCES;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One model in `www/models/manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub id: String,
    pub label: String,
    /// The weight file, relative to the manifest.
    pub file: String,
    pub bytes: usize,
    pub preview: String,
    pub size: usize,
    pub channels: usize,
    pub latent_dim: usize,
    pub classes: Vec<String>,
    pub dataset: String,
    pub licence: String,
    pub steps: u64,
    pub dtype: String,
    /// Quality figures (`ganplay evaluate`); absent until measured.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metrics: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub models: Vec<ManifestEntry>,
    /// The gallery's in-tab trainer, measured (`ganplay tab-training`); absent until measured.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub in_tab: Option<serde_json::Value>,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).expect("manifests serialise") + "\n";
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Adds an entry, replacing one with the same id; keeps the order of the sources.
    pub fn upsert(&mut self, entry: ManifestEntry) {
        self.models.retain(|m| m.id != entry.id);
        self.models.push(entry);
        let rank = |id: &str| SOURCES.iter().position(|s| s.id == id).unwrap_or(usize::MAX);
        self.models.sort_by_key(|m| rank(&m.id));
    }
}
