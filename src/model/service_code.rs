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
}
