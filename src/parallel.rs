//! Work split over threads with its results kept in order: each part of a
//! slice on a scoped thread of its own, joined in the order of the parts (a
//! panic on a thread resumes on the caller). Used where papers are read and
//! analysed on all cores; the results never depend on how many threads ran.

/// `f` on each of the (at most `threads`, at least one) consecutive parts of
/// `items`, on threads of their own; the results in the order of the parts.
pub fn map_parts<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let size = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(size)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_in_order_whatever_the_threads() {
        let items: Vec<u32> = (0..10).collect();
        for threads in [0, 1, 3, 4, 20] {
            let parts = map_parts(&items, threads, <[u32]>::to_vec);
            assert_eq!(parts.concat(), items, "{threads} threads");
            assert!(parts.len() <= threads.max(1), "{threads} threads");
        }
        assert!(map_parts(&[] as &[u32], 2, <[u32]>::len).is_empty());
    }
}
