//! XML's five predefined entities and its character references, decoded the same way by every
//! reader of portreg (the registry loaders, the schema check, the Service Codes loader).

/// `amp`, `lt`, `gt`, `quot`, `apos`.
pub(crate) fn predefined(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// `#N` or `#xN`: the character it names, NUL included (callers that refuse it filter it).
pub(crate) fn char_ref(name: &str) -> Option<char> {
    let num = name.strip_prefix('#')?;
    let n = match num.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse::<u32>().ok()?,
    };
    char::from_u32(n)
}

/// A reference a well-formed document may hold: predefined, or a character other than NUL.
pub(crate) fn reference(name: &str) -> Option<char> {
    predefined(name).or_else(|| char_ref(name).filter(|&c| c != '\0'))
}
