//! `[interests]`: the reader's keywords, phrases, follows and what stands
//! for them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `[interests]`: the reader's keywords, phrases and follows.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Interests {
    /// Keywords and phrases with weights (`"in-context learning" = 3.0`),
    /// or a list of them (`["agents", "retrieval"]`, weight 1.0 each).
    #[serde(deserialize_with = "weights")]
    pub keywords: BTreeMap<String, f32>,
    /// Terms that demote a paper by their weight (`survey = 1.0`), or a
    /// list of them (weight 1.0 each).
    #[serde(deserialize_with = "weights")]
    pub negative: BTreeMap<String, f32>,
    /// Terms that remove a paper from `top` and the digest.
    pub exclude: Vec<String>,
    /// Categories to follow (`cs.CL`); a paper in one gets `rank.category_bonus`.
    pub categories: Vec<String>,
    /// Authors to follow; a paper by one gets `rank.author_bonus`.
    pub authors: Vec<String>,
    /// Whether keywords also match by meaning: the acronyms the papers
    /// define for them (at the keyword's weight) and their strongest
    /// neighbours in the index (at `neighbour_weight`). Default true.
    pub expand: bool,
    /// What a learned neighbour of a keyword counts, as a share of the
    /// keyword's weight. Default 0.5.
    pub neighbour_weight: f32,
    /// Aliases the reader adds to a keyword (`multimodal = ["omni-modal"]`),
    /// matched at the keyword's weight.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Learned aliases and neighbours never to use (`["diffusion models"]`).
    pub ignore: Vec<String>,
}

impl Default for Interests {
    fn default() -> Self {
        Interests {
            keywords: BTreeMap::new(),
            negative: BTreeMap::new(),
            exclude: Vec::new(),
            categories: Vec::new(),
            authors: Vec::new(),
            expand: true,
            neighbour_weight: 0.5,
            aliases: BTreeMap::new(),
            ignore: Vec::new(),
        }
    }
}

/// Reads `{ "a" = 2.0, … }` as it is and `["a", …]` as weight 1.0 each.
fn weights<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f32>, D::Error> {
    struct Weights;
    impl<'de> serde::de::Visitor<'de> for Weights {
        type Value = BTreeMap<String, f32>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of terms or a table of term = weight")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(term) = seq.next_element::<String>()? {
                out.insert(term, 1.0);
            }
            Ok(out)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((term, weight)) = map.next_entry::<String, f32>()? {
                out.insert(term, weight);
            }
            Ok(out)
        }
    }
    d.deserialize_any(Weights)
}

impl Interests {
    /// Checks `[interests]`: `neighbour_weight` in [0, 1], aliases only of
    /// keywords, every weight a finite number.
    pub(super) fn validate(&self) -> Result<(), String> {
        let n = self.neighbour_weight;
        if !(0.0..=1.0).contains(&n) {
            return Err(format!(
                "`interests.neighbour_weight` is {n}; it must be between 0 and 1"
            ));
        }
        if let Some(k) = self
            .aliases
            .keys()
            .find(|k| !self.keywords.contains_key(*k))
        {
            return Err(format!(
                "`interests.aliases` names {k:?}, which is not one of your `keywords`"
            ));
        }
        for (k, w) in self.keywords.iter().chain(&self.negative) {
            if !w.is_finite() {
                return Err(format!(
                    "interest weight for {k:?} is {w}; it must be a finite number"
                ));
            }
        }
        Ok(())
    }
}
