//! Shared quick-xml helpers (being written).
