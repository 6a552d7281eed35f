//! A composite index: the planners' own weighted combination of standardised indicators,
//! kept in the catalogue entry of the indicator it makes so that it travels with the map.

use serde::{Deserialize, Serialize};

/// How each input is put on a common scale before it is weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Standardisation {
    /// z-score: (value − mean) / standard deviation over the areas, so 0 is the region's
    /// average area and ±1 one standard deviation.
    #[default]
    ZScore,
    /// Min–max: 0 for the lowest area, 100 for the highest.
    MinMax,
    /// Rank: the percentile rank, 0 (lowest) to 100 (highest).
    Rank,
}

impl Standardisation {
    /// Every method, in the order offered.
    pub const ALL: [Standardisation; 3] = [
        Standardisation::ZScore,
        Standardisation::MinMax,
        Standardisation::Rank,
    ];
}

/// One indicator of an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexInput {
    /// The indicator's key.
    pub indicator: String,
    /// Its weight (any positive number; the weights are taken relative to their sum).
    pub weight: f64,
    /// Turned round: a high value lowers the index (e.g. the transition to Gymnasium in a
    /// need index).
    #[serde(default)]
    pub inverted: bool,
}

/// The definition of a composite index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDefinition {
    /// The inputs.
    pub inputs: Vec<IndexInput>,
    /// How they are standardised.
    #[serde(default)]
    pub standardisation: Standardisation,
    /// How to read it, in the planners' words (shown on the definition sheet).
    #[serde(default)]
    pub reading: String,
}

impl IndexDefinition {
    /// The weights as shares of their sum (0 when they sum to nothing).
    pub fn shares(&self) -> Vec<f64> {
        let sum: f64 = self.inputs.iter().map(|i| i.weight.max(0.0)).sum();
        self.inputs
            .iter()
            .map(|i| {
                if sum > 0.0 {
                    i.weight.max(0.0) / sum
                } else {
                    0.0
                }
            })
            .collect()
    }
}
