//! Configuration (being written).

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl ConfigError {
    /// An optional hint.
    pub fn hint(&self) -> Option<String> {
        None
    }
}
