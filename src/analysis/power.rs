//! Pilot sizes: households per arm a real pilot needs to detect a difference in means (the
//! difference in proportions is [`crate::analysis::inference::sample_size_two_proportions`]).
//!
//! Must not: run simulations or format output.

use statrs::distribution::{ContinuousCDF, Normal};

/// Households per arm to detect a difference in means `delta` with common standard deviation
/// `sd` (two-sample, normal approximation).
pub fn sample_size_means(delta: f64, sd: f64, alpha: f64, power: f64) -> Option<u64> {
    if delta == 0.0 || !sd.is_finite() || sd <= 0.0 {
        return None;
    }
    let n = Normal::new(0.0, 1.0).ok()?;
    let z = n.inverse_cdf(1.0 - alpha / 2.0) + n.inverse_cdf(power);
    Some((2.0 * (z * sd / delta).powi(2)).ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_sample_size_textbook() {
        // δ = 0.5 sd, α 0.05, power 0.8 → 2·(2.8016/0.5)² = 62.79 → 63 per group
        assert_eq!(sample_size_means(0.5, 1.0, 0.05, 0.8), Some(63));
        assert_eq!(sample_size_means(0.0, 1.0, 0.05, 0.8), None);
    }
}
