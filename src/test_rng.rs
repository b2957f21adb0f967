//! A small deterministic generator for the randomised unit tests.

/// Xorshift64 from `seed` (not zero): each call returns a number below `n`.
pub(crate) fn xorshift(mut state: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}
