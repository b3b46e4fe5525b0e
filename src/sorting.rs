//! Stable sorting with one compiled sort for the whole crate. The standard library's sort is
//! generic over the element and the comparator, so every `sort_by(|a, b| …)` with a closure of its
//! own compiles another copy of it: in the app's WebAssembly those copies came to 213 KB of code
//! (7 % of it; issue 17). Here the elements' indices are sorted by one non-generic function over a
//! `dyn` comparator, then the elements are put in that order in place. For the short lists the app
//! sorts (panels, variables' options, alerts, legend rows) the extra indirection costs nothing one
//! could measure; hot numeric paths (chart maths) keep the standard sort. A leaf.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (equal items keep their order), as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let shared: &[T] = items;
        sort_indices(&mut order, &mut |a, b| compare(&shared[a], &shared[b]));
    }
    permute(items, order);
}

/// Sorts `items` by the key `key` gives each, stably, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The one compiled sort: indices by a comparator of the elements they stand for.
#[inline(never)]
fn sort_indices(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| compare(*a, *b));
}

/// Puts the element at `order[i]` at `i` for every `i`, in place, following the permutation's
/// cycles (a cycle of k elements takes k − 1 swaps).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        if order[start] == DONE {
            continue;
        }
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        // Pseudo-random pairs with many equal keys: the order of equals shows stability.
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as u32
        };
        for length in [0, 1, 2, 3, 10, 100, 1000] {
            let items: Vec<(u32, u32)> = (0..length).map(|i| (next() % 7, i)).collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut standard = items.clone();
            standard.sort_by_key(|a| a.0);
            assert_eq!(ours, standard, "length {length}");
            let mut by_key = items.clone();
            sort_by_key(&mut by_key, |a| std::cmp::Reverse(a.0));
            standard.sort_by_key(|a| std::cmp::Reverse(a.0));
            assert_eq!(by_key, standard, "by key, length {length}");
        }
        // Elements that are not Copy move, never clone.
        let mut names = vec!["b".to_string(), "a".to_string(), "c".to_string()];
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["a", "b", "c"]);
    }
}
