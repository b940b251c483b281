//! One helper for reading a spanned TOML table by hand (drafts, `portreg.toml`, custom rule
//! files), in the spirit of cargo-deny's `toml-span` `TableHelper`: take keys with
//! [`Table::required`] / [`Table::optional`] or a typed getter, then [`Table::finalize`] with
//! the keys the table allows. Every problem is collected with its span, never only the first;
//! each reader turns them into its own findings (rule ids, wording).

use std::borrow::Cow;

use toml::de::{DeString, DeTable, DeValue};

use crate::read::keys;
use crate::source::{Span, Spanned};

/// A TOML value with the byte span it was read from.
pub type Value<'i> = serde_spanned::Spanned<DeValue<'i>>;
/// A TOML key with its span.
pub type Key<'i> = serde_spanned::Spanned<DeString<'i>>;

/// The span of a spanned TOML key or value.
pub fn span_of<T>(v: &serde_spanned::Spanned<T>) -> Span {
    v.span().into()
}

/// What a value is, for "must be X, not Y" messages.
pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// One problem found in a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The missing or unknown key, or what holds the value of the wrong type: a key, or a
    /// phrase the reader chose such as ``each item of `txt-keys` ``.
    pub key: String,
    /// The table (missing key), the key (unknown key) or the value (wrong type).
    pub span: Span,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A required key is absent.
    Missing,
    /// A value is not of the `expected` type; `found` is what it is (see [`type_name`]).
    WrongType {
        expected: Cow<'static, str>,
        found: &'static str,
    },
    /// A key the table does not allow, with the closest allowed key when it is a likely typo.
    Unknown { suggestion: Option<&'static str> },
}

impl Problem {
    /// The key in backquotes, or the reader's phrase (``each item of `txt-keys` ``) as it is.
    pub fn subject(&self) -> Cow<'_, str> {
        if self.key.starts_with("each ") {
            Cow::Borrowed(&self.key)
        } else {
            Cow::Owned(format!("`{}`", self.key))
        }
    }
}

/// A TOML table being read, and the problems found in it so far.
pub struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Span,
    problems: Vec<Problem>,
}

impl<'t, 'i> Table<'t, 'i> {
    /// Reads `table`, which spans `span` (where a missing key is reported).
    pub fn new(table: &'t DeTable<'i>, span: Span) -> Self {
        Table {
            table,
            span,
            problems: Vec::new(),
        }
    }

    pub fn span(&self) -> Span {
        self.span
    }

    pub fn contains(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Every key and value, in the table's (sorted) order: for tables whose keys are data
    /// (`[levels]`, `[people]`).
    pub fn iter(&self) -> impl Iterator<Item = (&'t Key<'i>, &'t Value<'i>)> + 't {
        self.table.iter()
    }

    /// The value of `key`; a [`ProblemKind::Missing`] problem when it is absent.
    pub fn required(&mut self, key: &str) -> Option<&'t Value<'i>> {
        let v = self.table.get(key);
        if v.is_none() {
            self.problems.push(Problem {
                key: key.to_string(),
                span: self.span,
                kind: ProblemKind::Missing,
            });
        }
        v
    }

    /// The value of `key`, if it is there.
    pub fn optional(&mut self, key: &str) -> Option<&'t Value<'i>> {
        self.table.get(key)
    }

    /// The string at `key`, if there; a wrong-type problem when it is not a string.
    pub fn string(&mut self, key: &str) -> Option<Spanned<&'t str>> {
        let v = self.optional(key)?;
        self.as_string(key, v)
    }

    /// The boolean at `key`, if there; a wrong-type problem when it is not a boolean.
    pub fn bool(&mut self, key: &str) -> Option<Spanned<bool>> {
        let v = self.optional(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Spanned::new(*b, span_of(v))),
            _ => self.fail(key, v, "a boolean"),
        }
    }

    /// The array at `key`, if there; a wrong-type problem saying `expected` when it is not
    /// an array (arrays are described by what they hold: "an array of strings").
    pub fn array(
        &mut self,
        key: &str,
        expected: impl Into<Cow<'static, str>>,
    ) -> Option<Spanned<&'t [Value<'i>]>> {
        let v = self.optional(key)?;
        self.as_array(key, v, expected)
    }

    /// The table at `key`, if there, to read with its own helper; a wrong-type problem
    /// saying `expected` when it is not a table.
    pub fn table(
        &mut self,
        key: &str,
        expected: impl Into<Cow<'static, str>>,
    ) -> Option<Table<'t, 'i>> {
        let v = self.optional(key)?;
        self.as_table(key, v, expected)
    }

    /// `v` (the value of `key`, or an item of it) as a string.
    pub fn as_string(&mut self, key: &str, v: &'t Value<'i>) -> Option<Spanned<&'t str>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(s.as_ref(), span_of(v))),
            _ => self.fail(key, v, "a string"),
        }
    }

    /// `v` (the value of `key`, or an item of it) as an array.
    pub fn as_array(
        &mut self,
        key: &str,
        v: &'t Value<'i>,
        expected: impl Into<Cow<'static, str>>,
    ) -> Option<Spanned<&'t [Value<'i>]>> {
        match v.get_ref() {
            DeValue::Array(a) => Some(Spanned::new(&a[..], span_of(v))),
            _ => self.fail(key, v, expected),
        }
    }

    /// `v` (the value of `key`, or an item of an array of tables) as a table.
    pub fn as_table(
        &mut self,
        key: &str,
        v: &'t Value<'i>,
        expected: impl Into<Cow<'static, str>>,
    ) -> Option<Table<'t, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, span_of(v))),
            _ => self.fail(key, v, expected),
        }
    }

    /// Records that `v`, held by `key`, is not `expected`; for values a reader checks itself
    /// (several accepted types, a string of a given form).
    pub fn wrong_type(&mut self, key: &str, v: &Value<'_>, expected: impl Into<Cow<'static, str>>) {
        self.problems.push(Problem {
            key: key.to_string(),
            span: span_of(v),
            kind: ProblemKind::WrongType {
                expected: expected.into(),
                found: type_name(v.get_ref()),
            },
        });
    }

    /// [`Table::wrong_type`], as the failed result of a getter.
    fn fail<T>(
        &mut self,
        key: &str,
        v: &Value<'_>,
        expected: impl Into<Cow<'static, str>>,
    ) -> Option<T> {
        self.wrong_type(key, v, expected);
        None
    }

    /// The problems found so far, leaving none behind: for a reader that reports them as
    /// it goes (per key), before [`Table::finalize`] adds the unknown keys.
    pub fn take_problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    /// Every problem found, plus one per key not in `allowed` (in the table's order), with
    /// a "did you mean" from `allowed`.
    pub fn finalize(mut self, allowed: &[&'static str]) -> Vec<Problem> {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                self.problems.push(Problem {
                    key: name.to_string(),
                    span: span_of(key),
                    kind: ProblemKind::Unknown {
                        suggestion: keys::suggest(name, allowed),
                    },
                });
            }
        }
        self.problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> serde_spanned::Spanned<DeTable<'_>> {
        match DeTable::parse(text) {
            Ok(t) => t,
            Err(e) => panic!("test TOML does not parse: {e}"),
        }
    }

    fn at(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap_or(usize::MAX);
        Span::new(start, start + needle.len())
    }

    const KEYS: &[&str] = &["name", "port", "tags", "inner", "items", "flag"];

    #[test]
    fn a_missing_required_key_points_at_the_table() {
        let text = "port = 1\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        assert!(t.required("name").is_none());
        assert!(t.required("port").is_some());
        assert_eq!(
            t.finalize(KEYS),
            vec![Problem {
                key: "name".into(),
                span: Span::new(0, 9),
                kind: ProblemKind::Missing
            }]
        );
    }

    #[test]
    fn a_wrong_type_points_at_the_value() {
        let text = "name = 7\nflag = 1\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        assert_eq!(t.string("name"), None);
        assert_eq!(t.bool("flag"), None);
        assert_eq!(t.string("absent"), None);
        let problems = t.finalize(KEYS);
        let seen: Vec<_> = problems
            .iter()
            .map(|p| (p.subject().into_owned(), p.span, p.kind.clone()))
            .collect();
        let wrong = |expected: &'static str, found| ProblemKind::WrongType {
            expected: expected.into(),
            found,
        };
        assert_eq!(
            seen,
            vec![
                (
                    "`name`".into(),
                    at(text, "7"),
                    wrong("a string", "an integer")
                ),
                (
                    "`flag`".into(),
                    Span::new(16, 17),
                    wrong("a boolean", "an integer")
                ),
            ]
        );
    }

    #[test]
    fn typed_getters_return_values_with_spans() {
        let text = "name = \"web\"\nflag = true\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        assert_eq!(
            t.string("name"),
            Some(Spanned::new("web", at(text, "\"web\"")))
        );
        assert_eq!(t.bool("flag"), Some(Spanned::new(true, at(text, "true"))));
        assert!(t.finalize(KEYS).is_empty());
    }

    #[test]
    fn an_unknown_key_gets_a_suggestion_when_close() {
        let text = "nmae = \"x\"\ncolour = 1\n";
        let root = parse(text);
        let t = Table::new(root.get_ref(), Span::new(0, text.len()));
        assert_eq!(
            t.finalize(KEYS),
            vec![
                Problem {
                    key: "colour".into(),
                    span: at(text, "colour"),
                    kind: ProblemKind::Unknown { suggestion: None }
                },
                Problem {
                    key: "nmae".into(),
                    span: at(text, "nmae"),
                    kind: ProblemKind::Unknown {
                        suggestion: Some("name")
                    }
                },
            ]
        );
    }

    #[test]
    fn every_problem_is_collected() {
        let text = "name = 1\ntags = \"x\"\nextra = true\nport = 8\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        t.string("name");
        t.array("tags", "an array of strings");
        t.required("items");
        let before = t.take_problems();
        assert_eq!(before.len(), 3);
        let rest = t.finalize(KEYS);
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].key, "extra");
        let kinds: Vec<_> = before.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(kinds, ["name", "tags", "items"]);
    }

    #[test]
    fn nested_tables_have_their_own_helper_and_keys() {
        let text = "[inner]\nname = 1\nnme = \"x\"\n[inner.deeper]\nflag = 2\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        let Some(mut inner) = t.table("inner", "a table") else {
            panic!("inner is a table")
        };
        inner.string("name");
        let Some(mut deeper) = inner.table("deeper", "a table") else {
            panic!("deeper is a table")
        };
        deeper.bool("flag");
        let deeper = deeper.finalize(&["flag"]);
        assert_eq!(deeper.len(), 1);
        assert_eq!(deeper[0].span, at(text, "2"));
        let inner = inner.finalize(&["name", "deeper"]);
        let seen: Vec<_> = inner.iter().map(|p| (p.key.as_str(), p.span)).collect();
        assert_eq!(
            seen,
            vec![("name", at(text, "1")), ("nme", at(text, "nme"))]
        );
        assert!(t.finalize(KEYS).is_empty());
        // A scalar where a table belongs is a wrong type, not a table.
        let text = "inner = 3\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        assert!(t.table("inner", "a table (`[inner]`)").is_none());
        assert_eq!(
            t.finalize(KEYS)[0].kind,
            ProblemKind::WrongType {
                expected: "a table (`[inner]`)".into(),
                found: "an integer"
            }
        );
    }

    #[test]
    fn arrays_of_tables_are_read_item_by_item() {
        let text = "items = [{ name = \"a\" }, 5]\n[[inner]]\nname = \"b\"\n[[inner]]\nport = 1\n";
        let root = parse(text);
        let mut t = Table::new(root.get_ref(), Span::new(0, text.len()));
        let mut names = Vec::new();
        let mut problems = Vec::new();
        for key in ["items", "inner"] {
            let Some(items) = t.array(key, "an array of tables") else {
                panic!("{key} is an array")
            };
            for item in items.value {
                let Some(mut it) = t.as_table(&format!("each item of `{key}`"), item, "a table")
                else {
                    continue;
                };
                names.extend(it.required("name").map(span_of));
                problems.extend(it.finalize(&["name"]));
            }
        }
        assert_eq!(names, [at(text, "\"a\""), at(text, "\"b\"")]);
        // The second `[[inner]]` lacks `name` and has an unknown `port`.
        let kinds: Vec<_> = problems.iter().map(|p| (p.key.as_str(), &p.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("name", &ProblemKind::Missing),
                ("port", &ProblemKind::Unknown { suggestion: None }),
            ]
        );
        let outer = t.finalize(KEYS);
        assert_eq!(outer.len(), 1);
        assert_eq!(outer[0].subject(), "each item of `items`");
        assert_eq!(outer[0].span, at(text, "5"));
    }
}
