//! DCCP service codes (RFC 4340 §8.1.2, RFC 5595 §2): four bytes, written as decimal,
//! `SC=<decimal>`, `SC=x<hex>` or `SC:<1–4 characters>` (padded right with spaces).

/// Characters allowed after `SC:` (RFC 4340 §8.1.2).
pub fn is_sc_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_+.*/?@".contains(&c)
}

/// Why a service-code notation could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScSyntaxError(pub String);

/// Reads any of the four notations. The value may exceed 32 bits (the caller reports that);
/// only notation errors are errors here.
pub fn parse(text: &str) -> Result<u128, ScSyntaxError> {
    let t = text.trim();
    if let Some(chars) = t.strip_prefix("SC:") {
        let bytes = chars.as_bytes();
        if bytes.is_empty() || bytes.len() > 4 {
            return Err(ScSyntaxError(format!(
                "`SC:` takes 1 to 4 characters, not {}",
                chars.chars().count()
            )));
        }
        if let Some(bad) = chars
            .chars()
            .find(|c| !c.is_ascii() || !is_sc_char(*c as u8))
        {
            return Err(ScSyntaxError(format!(
                "`{bad}` is not allowed after `SC:` (letters, digits and `-_+.*/?@` are)"
            )));
        }
        let mut v: u128 = 0;
        for i in 0..4 {
            v = (v << 8) | u128::from(*bytes.get(i).unwrap_or(&b' '));
        }
        return Ok(v);
    }
    if let Some(rest) = t.strip_prefix("SC=") {
        if let Some(hex) = rest.strip_prefix('x').or_else(|| rest.strip_prefix('X')) {
            return parse_digits(hex, 16, "hexadecimal");
        }
        return parse_digits(rest, 10, "decimal");
    }
    if t.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return parse_digits(t, 10, "decimal");
    }
    Err(ScSyntaxError(format!(
        "`{t}` is not decimal, `SC=<decimal>`, `SC=x<hex>` or `SC:<1-4 characters>`"
    )))
}

fn parse_digits(s: &str, radix: u32, what: &str) -> Result<u128, ScSyntaxError> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(radix)) {
        return Err(ScSyntaxError(format!("`{s}` is not a {what} number")));
    }
    // Saturate: a code with dozens of digits is still "above 4294967294", not a syntax error.
    Ok(u128::from_str_radix(s, radix).unwrap_or(u128::MAX))
}

/// The largest valid code: 4294967295 (0xFFFFFFFF) is the invalid code.
pub const MAX_VALID: u128 = 4_294_967_294;

/// The `SC:` text of a code, when it has one (`SC:fdpz`).
pub fn as_sc_text(value: u32) -> Option<String> {
    let bytes = value.to_be_bytes();
    let len = 4 - bytes.iter().rev().take_while(|&&b| b == b' ').count();
    if len == 0 {
        return None;
    }
    bytes[..len]
        .iter()
        .all(|&b| is_sc_char(b))
        .then(|| format!("SC:{}", String::from_utf8_lossy(&bytes[..len])))
}

/// Private Use codes: first byte `?` (RFC 5595 §2.3).
pub fn is_private_use(value: u32) -> bool {
    (0x3F00_0000..=0x3FFF_FFFF).contains(&value)
}

/// The allocation classes of RFC 4340 §19.8 and RFC 5595 §2-§5, derived from the value
/// alone: the registry's own rows are never consulted (one of them is wrong, see
/// `registry/sc-class`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScClass {
    /// 0: "permanently reserved" (RFC 4340 §19.8).
    Reserved,
    /// 0x3F000000-0x3FFFFFFF, first byte `?` (RFC 4340 §19.8, RFC 5595 §2.3).
    PrivateUse,
    /// 4294967295, "not a valid Service Code" (RFC 4340 §19.8, RFC 5595 §2.5).
    Invalid,
    /// Every byte a digit, a capital, space, `-`, `.` or `/` (RFC 5595 §5).
    SpecificationRequired,
    /// Everything else: First Come First Served (RFC 5595 §5).
    FirstComeFirstServed,
}

/// The bytes RFC 5595 §5 reserves for codes that need a specification: {32, 45-57, 65-90}.
fn is_spec_byte(b: u8) -> bool {
    b == b' ' || (b'-'..=b'9').contains(&b) || b.is_ascii_uppercase()
}

/// The class of a 32-bit code.
pub fn class(value: u32) -> ScClass {
    match value {
        0 => ScClass::Reserved,
        u32::MAX => ScClass::Invalid,
        v if is_private_use(v) => ScClass::PrivateUse,
        v if v.to_be_bytes().iter().all(|&b| is_spec_byte(b)) => ScClass::SpecificationRequired,
        _ => ScClass::FirstComeFirstServed,
    }
}

/// The Private Use block as RFC 4340 §19.8 gives it.
pub const PRIVATE_USE: (u32, u32) = (0x3F00_0000, 0x3FFF_FFFF);

/// A code for messages: `1145656131 (SC:DISC)`, or `7107696 (0x006C7470)` without a text form.
pub fn describe(value: u32) -> String {
    match as_sc_text(value) {
        Some(t) => format!("{value} ({t})"),
        None => format!("{value} (0x{value:08X})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notations_agree() {
        // RFC 4340 §8.1.2's example.
        assert_eq!(parse("SC:fdpz"), Ok(1717858426));
        assert_eq!(parse("SC=1717858426"), Ok(1717858426));
        assert_eq!(parse("SC=x6664707A"), Ok(1717858426));
        assert_eq!(parse("1717858426"), Ok(1717858426));
        // Padding with spaces: "SC:ab" is "ab  ".
        assert_eq!(parse("SC:ab"), Ok(0x6162_2020));
        assert_eq!(as_sc_text(1717858426).as_deref(), Some("SC:fdpz"));
        assert_eq!(as_sc_text(0x6162_2020).as_deref(), Some("SC:ab"));
        // ltp-deepspace: 00 6C 74 70 has no SC: form.
        assert_eq!(as_sc_text(7107696), None);
    }

    #[test]
    fn bad_notations() {
        for bad in [
            "SC:",
            "SC:toolong",
            "SC:a b",
            "SC=",
            "SC=xZZ",
            "sc:abc",
            "abc",
            "-5",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
        assert_eq!(
            parse("99999999999999999999999999999999999999999999"),
            Ok(u128::MAX)
        );
    }

    #[test]
    fn classes_come_from_the_rfcs() {
        assert_eq!(class(0), ScClass::Reserved);
        assert_eq!(class(u32::MAX), ScClass::Invalid);
        assert_eq!(class(1_056_964_608), ScClass::PrivateUse);
        assert_eq!(class(1_073_741_823), ScClass::PrivateUse);
        // The registry's row says Private Use from 7107697; the RFCs do not.
        assert_eq!(class(7_107_697), ScClass::FirstComeFirstServed);
        // DISC, RTPA, SYLG: capitals only.
        for v in [1_145_656_131, 1_381_257_281, 1_398_361_159] {
            assert_eq!(class(v), ScClass::SpecificationRequired, "{v}");
        }
        // `SC:DI` is `DI  `: padding spaces are in the set.
        assert_eq!(class(0x4449_2020), ScClass::SpecificationRequired);
        // `SC:dtn1` (lower case), `SC:ping`.
        assert_eq!(class(1_685_351_985), ScClass::FirstComeFirstServed);
        assert_eq!(class(1_885_957_735), ScClass::FirstComeFirstServed);
        // `SC:A-./` and `SC:09` are in; `SC:A_` (0x5F) and `SC:A,` (0x2C) are out.
        assert_eq!(class(0x412D_2E2F), ScClass::SpecificationRequired);
        assert_eq!(class(0x3039_2020), ScClass::SpecificationRequired);
        assert_eq!(class(0x415F_2020), ScClass::FirstComeFirstServed);
        assert_eq!(class(0x412C_2020), ScClass::FirstComeFirstServed);
        assert_eq!(describe(1_145_656_131), "1145656131 (SC:DISC)");
        assert_eq!(describe(7_107_696), "7107696 (0x006C7470)");
    }
}
