//! Placeholder: being written.
use std::io::BufRead;
use super::{Emit, Origin, ParseStop};
/// Parses the format.
///
/// # Errors
/// Always, for now.
pub fn parse(_input: &mut dyn BufRead, origin: &Origin, _emit: &mut Emit<'_>) -> Result<(), ParseStop> {
    Err(origin.error(super::Format::Auto, None, "format not supported yet").into())
}
