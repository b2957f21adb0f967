//! The use cases built on the index: ranking (a `rank::Plan` compiled into
//! one query and collected with `rank::score`'s formula), the trend reports
//! and their cache, interests by meaning, and the reader's feedback.
//!
//! The layer between the storage (`index/`, which knows no config, marks or
//! topics) and the commands: it reads the config and the reader's state and
//! hands the pure modules (`rank/`, `trends`, `profile`) what they need.

pub mod expand;
pub mod feedback;
mod meaning;

pub use meaning::Nearest;
pub mod rank;
pub mod trends;
