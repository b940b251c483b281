//! The draft format as `docs/draft.schema.json` describes it: keys with their
//! descriptions and enumerated values, per table. Completion and hover read it from here,
//! so a key or value added to the schema (which a test keeps equal to what the reader
//! accepts) is offered without touching the server.

use std::sync::OnceLock;

use serde_json::Value;

const SCHEMA: &str = include_str!("../../docs/draft.schema.json");

/// Where a key is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Top,
    Entry,
    Justification,
    Cast,
    Lint,
    Allow,
    Person,
}

/// One key of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub description: String,
    /// Closed (`enum`, `const`) or suggested (`examples`) string values.
    pub values: Vec<String>,
}

fn schema() -> &'static Value {
    static S: OnceLock<Value> = OnceLock::new();
    S.get_or_init(|| serde_json::from_str(SCHEMA).unwrap_or(Value::Null))
}

/// Follows `#/$defs/…` references.
fn resolve(mut s: &Value) -> &Value {
    for _ in 0..16 {
        let Some(r) = s.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(name) = r.strip_prefix("#/$defs/") else {
            break;
        };
        s = &schema()["$defs"][name];
    }
    s
}

/// The object schema of a table (its `properties`).
fn table_schema(table: Table) -> Option<&'static Value> {
    let root = schema();
    let defs = &root["$defs"];
    let object_in = |s: &'static Value| -> Option<&'static Value> {
        let s = resolve(s);
        if s.get("properties").is_some() {
            return Some(s);
        }
        s.get("anyOf")?
            .as_array()?
            .iter()
            .map(resolve)
            .find(|o| o.get("properties").is_some())
    };
    match table {
        Table::Top => Some(root),
        Table::Entry => Some(&defs["entry"]),
        Table::Justification => Some(&defs["justification"]),
        Table::Cast => object_in(&defs["justification"]["properties"]["cast"]),
        Table::Lint => Some(&defs["lint"]),
        Table::Allow => object_in(&defs["lint"]["properties"]["allow"]["items"]),
        Table::Person => Some(&defs["person"]),
    }
}

/// The keys of `table`, in the schema's order.
pub fn keys(table: Table) -> Vec<Key> {
    let Some(props) = table_schema(table)
        .and_then(|t| t.get("properties"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, s)| {
            let mut values = Vec::new();
            collect_values(s, &mut values, 0);
            Key {
                name: name.clone(),
                description: description(s),
                values,
            }
        })
        .collect()
}

/// One key of `table`.
pub fn key(table: Table, name: &str) -> Option<Key> {
    keys(table).into_iter().find(|k| k.name == name)
}

fn description(s: &Value) -> String {
    s.get("description")
        .or_else(|| resolve(s).get("description"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// String values named by `enum`, `const` and `examples`, through references, `anyOf`,
/// `oneOf` and array `items`.
fn collect_values(s: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let s = resolve(s);
    for k in ["enum", "examples"] {
        for v in s.get(k).and_then(Value::as_array).into_iter().flatten() {
            if let Some(v) = v.as_str() {
                if !out.iter().any(|o| o == v) {
                    out.push(v.to_string());
                }
            }
        }
    }
    if let Some(v) = s.get("const").and_then(Value::as_str) {
        out.push(v.to_string());
    }
    for k in ["anyOf", "oneOf"] {
        for sub in s.get(k).and_then(Value::as_array).into_iter().flatten() {
            collect_values(sub, out, depth + 1);
        }
    }
    if let Some(items) = s.get("items") {
        collect_values(items, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::keys;

    fn names(table: Table) -> Vec<String> {
        super::keys(table).into_iter().map(|k| k.name).collect()
    }

    #[test]
    fn tables_have_the_readers_keys() {
        let sorted = |k: &[&str]| {
            let mut v: Vec<String> = k.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        let sorted_names = |t| {
            let mut v = names(t);
            v.sort();
            v
        };
        assert_eq!(sorted_names(Table::Top), sorted(keys::TOP));
        assert_eq!(sorted_names(Table::Entry), sorted(keys::ENTRY));
        assert_eq!(
            sorted_names(Table::Justification),
            sorted(keys::JUSTIFICATION)
        );
        assert_eq!(sorted_names(Table::Cast), sorted(keys::CAST));
        assert_eq!(sorted_names(Table::Lint), sorted(keys::LINT));
        assert_eq!(sorted_names(Table::Allow), sorted(keys::ALLOW));
        assert_eq!(sorted_names(Table::Person), sorted(keys::PERSON));
    }

    #[test]
    fn enumerated_values() {
        let values = |t, k| key(t, k).map(|k| k.values).unwrap_or_default();
        assert_eq!(
            values(Table::Entry, "transport"),
            ["tcp", "udp", "sctp", "dccp"]
        );
        assert_eq!(
            values(Table::Entry, "kind"),
            ["new", "extend", "modify", "deassign", "reuse", "transfer"]
        );
        assert_eq!(
            values(Table::Justification, "discovery"),
            ["none", "srv", "dns-sd", "config"]
        );
        assert!(key(Table::Entry, "name").is_some_and(|k| k.description.contains("RFC 6335")));
    }
}
