//! What the cursor is on in a draft, read from the text itself (a draft being typed is
//! often not valid TOML): the table from the nearest header above, and on the cursor's
//! line whether a key or a value is being written, inside which inline tables.

use super::schema::Table;

/// The cursor's place in the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The table of the line (inline tables are in `path`).
    pub table: Table,
    /// 0-based index of the `[[entry]]` the line belongs to, if any.
    pub entry: Option<usize>,
    /// Keys of the inline tables and arrays the cursor is inside, outermost first.
    pub path: Vec<String>,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// Writing a key; `prefix` is what is typed of it so far.
    Key { prefix: String },
    /// Writing the value of `key`; `prefix` is the value's text so far (inside the quotes
    /// when `in_string`).
    Value {
        key: String,
        prefix: String,
        in_string: bool,
    },
    /// On a table header or in a comment.
    Other,
}

impl Cursor {
    /// The table whose keys are written at the cursor (inline tables included).
    pub fn key_table(&self) -> Table {
        match self.path.last().map(String::as_str) {
            Some("contact" | "assignee") => Table::Person,
            Some("cast") => Table::Cast,
            Some("allow") => Table::Allow,
            Some("lint") => Table::Lint,
            Some("justification") => Table::Justification,
            _ => self.table,
        }
    }
}

/// The table a header line opens, and whether it starts a new `[[entry]]`.
fn header(line: &str) -> Option<(Table, bool)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("[[") {
        let name = rest.split(']').next().unwrap_or("").trim();
        return Some(if name == "entry" {
            (Table::Entry, true)
        } else {
            (Table::Top, false)
        });
    }
    let rest = t.strip_prefix('[')?;
    let name: String = rest
        .split(']')
        .next()
        .unwrap_or("")
        .split('.')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(".");
    let table = match name.as_str() {
        "entry.justification" => Table::Justification,
        "entry.justification.cast" => Table::Cast,
        "entry.lint" => Table::Lint,
        n if n.starts_with("people.") => Table::Person,
        "entry" => Table::Entry,
        _ => Table::Top,
    };
    Some((table, false))
}

/// The cursor at byte `offset` of `text`.
pub fn at(text: &str, offset: usize) -> Cursor {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut table = Table::Top;
    let mut entry: Option<usize> = None;
    for line in text[..line_start].lines() {
        if let Some((t, new_entry)) = header(line) {
            table = t;
            if new_entry {
                entry = Some(entry.map_or(0, |e| e + 1));
            }
        }
    }
    if table == Table::Top {
        entry = None;
    }
    let line = &text[line_start..offset];
    if header(line).is_some() {
        return Cursor {
            table,
            entry,
            path: Vec::new(),
            at: At::Other,
        };
    }
    let (path, at) = scan_line(line);
    Cursor {
        table,
        entry,
        path,
        at,
    }
}

/// Reads the start of a line up to the cursor: keys, `=`, strings, inline tables, arrays.
fn scan_line(line: &str) -> (Vec<String>, At) {
    // Each open bracket: its kind and the key whose value it is.
    let mut stack: Vec<(char, String)> = Vec::new();
    let mut expecting_key = true;
    let mut key = String::new();
    let mut last_key = String::new();
    let mut value_start = 0;
    let mut quote: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            if c == '\\' && q == '"' {
                chars.next();
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '#' => {
                return (Vec::new(), At::Other);
            }
            '"' | '\'' => quote = Some(c),
            '=' if expecting_key => {
                last_key = key.trim().trim_matches(['"', '\'']).to_string();
                key.clear();
                expecting_key = false;
                value_start = i + 1;
            }
            '{' | '[' if !expecting_key => {
                let owner = if last_key.is_empty() {
                    stack.last().map(|(_, k)| k.clone()).unwrap_or_default()
                } else {
                    last_key.clone()
                };
                stack.push((c, owner));
                expecting_key = c == '{';
                value_start = i + 1;
            }
            '}' | ']' => {
                stack.pop();
                value_start = i + 1;
            }
            ',' => {
                expecting_key = matches!(stack.last(), Some(('{', _)));
                if let Some(('[', k)) = stack.last() {
                    last_key = k.clone();
                }
                value_start = i + 1;
            }
            _ if expecting_key => key.push(c),
            _ => {}
        }
    }
    let path: Vec<String> = stack.iter().map(|(_, k)| k.clone()).collect();
    if expecting_key {
        let prefix = key.trim_start().to_string();
        return (path, At::Key { prefix });
    }
    if let Some(('[', k)) = stack.last() {
        // An array's items are values of the array's key.
        last_key = k.clone();
    }
    let raw = line[value_start..].trim_start();
    let in_string = quote.is_some();
    let prefix = if in_string {
        raw.trim_start_matches(['"', '\'']).to_string()
    } else {
        raw.to_string()
    };
    (
        path,
        At::Value {
            key: last_key,
            prefix,
            in_string,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(key: &str, prefix: &str, in_string: bool) -> At {
        At::Value {
            key: key.into(),
            prefix: prefix.into(),
            in_string,
        }
    }

    #[test]
    fn tables_keys_and_values() {
        let text = "format = 1\n[[entry]]\nna\ntransport = \"u\n[entry.lint]\nallow = [{ rule = \"name/\n[[entry]]\ncontact = { name = \"x\", em\n";
        let end_of = |needle: &str| text.find(needle).map_or(0, |i| i + needle.len());
        let c = at(text, end_of("\nna"));
        assert_eq!(
            (c.table, c.entry, c.at),
            (
                Table::Entry,
                Some(0),
                At::Key {
                    prefix: "na".into()
                }
            )
        );
        let c = at(text, end_of("= \"u"));
        assert_eq!(c.at, value("transport", "u", true));
        let c = at(text, end_of("name/"));
        assert_eq!(
            (c.table, c.at.clone()),
            (Table::Lint, value("rule", "name/", true))
        );
        assert_eq!(c.key_table(), Table::Allow);
        let c = at(text, end_of(", em"));
        assert_eq!(
            (c.entry, c.at.clone()),
            (
                Some(1),
                At::Key {
                    prefix: "em".into()
                }
            )
        );
        assert_eq!(c.key_table(), Table::Person);
        let c = at(text, end_of("format = 1"));
        assert_eq!((c.table, c.at), (Table::Top, value("format", "1", false)));
        assert_eq!(
            at("transport = [\"tcp\", \"u", 22).at,
            value("transport", "u", true)
        );
    }
}
