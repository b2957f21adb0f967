//! The on-disk index (being written).

/// An index problem.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Another process holds the writer lock.
    #[error("another papertrend process holds the index lock")]
    Locked {},
}

impl IndexError {
    /// An optional hint.
    pub fn hint(&self) -> Option<String> {
        None
    }
}
