//! When to retry a submission that failed for a reason that may pass (5xx, 409 before
//! acceptance settles, timeouts, network): exponential backoff with full jitter, bounded.

/// Automatic attempts after the first one; then the user retries by hand.
pub const MAX_AUTOMATIC_RETRIES: u32 = 6;
const BASE_MS: f64 = 2_000.0;
const CAP_MS: f64 = 60_000.0;

/// The wait before automatic retry number `retry` (0-based), given `jitter` in [0, 1): half the
/// exponential step is fixed and half is random, so clients spread out but never retry at once.
/// `None` once the automatic retries are used up.
pub fn backoff_delay_ms(retry: u32, jitter: f64) -> Option<u32> {
    if retry >= MAX_AUTOMATIC_RETRIES {
        return None;
    }
    let step = (BASE_MS * 2f64.powi(retry as i32)).min(CAP_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    Some((step / 2.0 + step / 2.0 * jitter).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_jitter_bounds_and_stops() {
        let mut previous_max = 0.0;
        for retry in 0..MAX_AUTOMATIC_RETRIES {
            let low = backoff_delay_ms(retry, 0.0).unwrap() as f64;
            let high = backoff_delay_ms(retry, 0.999_999).unwrap() as f64;
            assert!(low >= previous_max / 2.0, "retry {retry}");
            assert!(
                (high - 2.0 * low).abs() <= 1.0,
                "half fixed, half random at {retry}"
            );
            assert!(high <= CAP_MS);
            previous_max = high;
        }
        assert_eq!(backoff_delay_ms(0, 0.0), Some(1_000));
        assert_eq!(backoff_delay_ms(MAX_AUTOMATIC_RETRIES, 0.5), None);
        assert!(backoff_delay_ms(1, f64::NAN).is_some());
    }
}
