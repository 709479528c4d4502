//! Decimal rounding of doubles in integer arithmetic, for the two hot
//! spots of checking and reporting: a canonical value is rounded to 15
//! significant digits, a shown one to a few decimals. Formatting the exact
//! decimal expansion (`format!("{:.14e}")`) and parsing it back costs
//! hundreds of nanoseconds; scaling by an exact power of ten, with the
//! product's rounding error recovered by a fused multiply-add, decides the
//! same rounding in a few. Whenever that cannot be decided (an exact tie,
//! a magnitude out of range) the callers fall back to formatting.

/// The powers of ten a double holds exactly.
const POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The integer nearest to `value × 10^power` (exact product, not the
/// rounded one), or `None` on an exact tie or when the product is not
/// below 2^50.
pub(super) fn scaled_round(value: f64, power: usize) -> Option<f64> {
    let scale = *POWERS.get(power)?;
    let product = value * scale;
    if !product.is_finite() || product.abs() >= (1u64 << 50) as f64 {
        return None;
    }
    // `product + error` is exactly `value × scale`.
    let error = value.mul_add(scale, -product);
    let floor = product.floor();
    // Exact: `floor` and `product` are within one of each other.
    let fraction = product - floor;
    // The sign of the exact `fraction - 0.5 + error`: the subtraction is
    // exact for a fraction of 0.25 or more, and below that `error` (at most
    // 1/16 here) cannot reach the half.
    let above_half = (fraction - 0.5) + error;
    if above_half > 0.0 {
        Some(floor + 1.0)
    } else if above_half < 0.0 {
        Some(floor)
    } else {
        None
    }
}

/// `value` rounded to 15 significant digits, as `{value:.14e}` read back;
/// `None` when that is not decided here.
pub(super) fn fifteen_digits(value: f64) -> Option<f64> {
    let magnitude = value.abs().log10().floor();
    let mut power = 14 - magnitude as i32;
    for _ in 0..2 {
        let at = usize::try_from(power).ok()?;
        let scaled = (value.abs() * *POWERS.get(at)?).abs();
        // The product must have 15 digits before the point.
        if scaled < 1e14 {
            power += 1;
        } else if scaled >= 1e15 {
            power -= 1;
        } else {
            let digits = scaled_round(value.abs(), at)?;
            // Both exact: the quotient is the decimal correctly rounded,
            // as parsing it would give.
            return Some((digits / POWERS[at]).copysign(value));
        }
    }
    None
}

/// `value` with `decimals` (at most 9) digits after the point, trailing
/// zeros and point dropped, `-0` as `0`: `{value:.decimals$}` trimmed;
/// `None` when that is not decided here.
pub(super) fn fixed(value: f64, decimals: usize) -> Option<String> {
    if decimals > 9 {
        return None;
    }
    let digits = scaled_round(value, decimals)?;
    let units = digits.abs() as u64;
    if units == 0 {
        return Some("0".to_string());
    }
    let scale = 10u64.pow(decimals as u32);
    let (whole, mut part) = (units / scale, units % scale);
    // itoa: the standard library's integer `Display` goes through the
    // formatting machinery, most of this function's time.
    let mut digits_of = itoa::Buffer::new();
    let mut text = String::with_capacity(24);
    if digits < 0.0 {
        text.push('-');
    }
    text.push_str(digits_of.format(whole));
    if part != 0 {
        let mut width = decimals;
        while part % 10 == 0 {
            part /= 10;
            width -= 1;
        }
        text.push('.');
        let part = digits_of.format(part);
        text.extend(std::iter::repeat_n('0', width - part.len()));
        text.push_str(part);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow_fifteen(value: f64) -> f64 {
        format!("{value:.14e}").parse().unwrap()
    }

    fn slow_fixed(value: f64, decimals: usize) -> String {
        super::super::fixed_by_formatting(value, decimals)
    }

    /// Values as checks make them: written figures scaled by units, and
    /// random doubles of every magnitude.
    fn samples() -> Vec<f64> {
        let mut values = Vec::new();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let cents = (next() % 1_000_000) as f64 / 100.0;
            values.push(cents / 100.0);
            values.push(cents * 0.001);
            values.push(cents / 100_000.0);
            values.push(cents * 1e4);
            let bits = next();
            let random = f64::from_bits(bits & 0x3fff_ffff_ffff_ffff | 0x3000_0000_0000_0000);
            values.push(random);
            values.push(-random * 1e-3);
        }
        values.extend([
            0.5,
            1.5,
            2.5,
            0.125,
            1e-9,
            123456789012345.5,
            0.1 + 0.2,
            9.999999999999999e14,
        ]);
        values
    }

    #[test]
    fn fifteen_digits_agree_with_formatting() {
        let mut decided = 0;
        for value in samples() {
            if let Some(fast) = fifteen_digits(value) {
                decided += 1;
                assert_eq!(fast.to_bits(), slow_fifteen(value).to_bits(), "{value:e}");
            }
        }
        // The random doubles of extreme magnitude are left to formatting.
        assert!(decided > 200_000, "only {decided} decided");
        assert!(fifteen_digits(88.83 / 100.0).is_some());
    }

    #[test]
    fn fixed_decimals_agree_with_formatting() {
        let mut decided = 0;
        for value in samples() {
            let magnitude = value.abs().log10().floor() as i32;
            let decimals = (5 - magnitude).clamp(0, 9) as usize;
            for decimals in [decimals, 0, 2, 9] {
                if let Some(fast) = fixed(value, decimals) {
                    decided += 1;
                    assert_eq!(fast, slow_fixed(value, decimals), "{value:e} to {decimals}");
                }
            }
        }
        assert!(decided > 1_000_000, "only {decided} decided");
    }

    #[test]
    fn ties_and_huge_values_are_left_to_formatting() {
        assert_eq!(scaled_round(0.5, 0), None);
        assert_eq!(scaled_round(2.5, 0), None);
        assert_eq!(scaled_round(1e300, 0), None);
        assert_eq!(fixed(1.0, 10), None);
        assert_eq!(fifteen_digits(1e300), None);
        assert_eq!(fixed(-0.00001, 2).as_deref(), Some("0"));
        assert_eq!(fixed(88.83, 4).as_deref(), Some("88.83"));
        assert_eq!(fixed(-3.05, 1).as_deref(), Some(&*slow_fixed(-3.05, 1)));
    }
}
