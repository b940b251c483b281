//! Rule levels: `allow | warn | deny` per rule, per category, for `all`, and `-D warnings`.
//! Settings apply in order (config file first, then flags); a later setting wins.

use std::fmt;

use crate::diagnostic::Severity;
use crate::rules::{Rule, RuleId};

/// A rule's level: off, a warning, or an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// What a level setting applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    /// `warnings`: every rule whose current severity is warning.
    Warnings,
    Category(String),
    Rule(RuleId),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::All => f.write_str("all"),
            Selector::Warnings => f.write_str("warnings"),
            Selector::Category(c) => f.write_str(c),
            Selector::Rule(r) => f.write_str(r.as_str()),
        }
    }
}

/// Where a setting came from, for `portreg config` and error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Config(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub selector: Selector,
    pub level: Level,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default)]
pub struct Levels {
    pub settings: Vec<Setting>,
}

impl Levels {
    pub fn push(&mut self, selector: Selector, level: Level, origin: Origin) {
        self.settings.push(Setting {
            selector,
            level,
            origin,
        });
    }

    /// The severity a built-in rule reports at, or `None` when it is allowed.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.resolve(&RuleId::Builtin(rule), rule.info().severity)
    }

    /// The severity of a rule whose default is `default` (a custom rule's own severity).
    pub fn resolve(&self, id: &RuleId, default: Severity) -> Option<Severity> {
        let category = id.category();
        let mut current = Some(default);
        for s in &self.settings {
            let hit = match &s.selector {
                Selector::All => true,
                // Environment findings describe the run, not the drafts: `-D warnings`
                // (a CI job's "no warnings in the drafts") leaves them warnings.
                Selector::Warnings => current == Some(Severity::Warning) && !is_environment(id),
                Selector::Category(c) => c == category,
                Selector::Rule(r) => r == id,
            };
            if hit {
                current = match s.level {
                    Level::Allow => None,
                    Level::Warn => Some(Severity::Warning),
                    Level::Deny => Some(Severity::Error),
                };
            }
        }
        current
    }
}

/// Rules about the run's environment (which registry, how old) rather than the drafts:
/// only naming them (`-D registry/stale`, their category or `all`) makes them errors.
pub fn is_environment(id: &RuleId) -> bool {
    matches!(
        id,
        RuleId::Builtin(Rule::RegistryUnavailable | Rule::RegistryStale)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(items: &[(&str, Level)]) -> Levels {
        let mut l = Levels::default();
        for (sel, level) in items {
            let sel = match *sel {
                "all" => Selector::All,
                "warnings" => Selector::Warnings,
                s if s.contains('/') => Selector::Rule(RuleId::parse(s)),
                s => Selector::Category(s.into()),
            };
            l.push(sel, *level, Origin::Flag);
        }
        l
    }

    #[test]
    fn later_settings_win() {
        use Severity::*;
        let l = levels(&[("name", Level::Allow), ("name/too-long", Level::Warn)]);
        assert_eq!(
            l.resolve(&RuleId::parse("name/too-long"), Error),
            Some(Warning)
        );
        assert_eq!(l.resolve(&RuleId::parse("name/version"), Warning), None);
        let l = levels(&[("warnings", Level::Deny), ("name/version", Level::Allow)]);
        assert_eq!(l.resolve(&RuleId::parse("name/version"), Warning), None);
        assert_eq!(l.resolve(&RuleId::parse("policy/x"), Warning), Some(Error));
        assert_eq!(
            l.resolve(&RuleId::parse("name/uppercase"), Info),
            Some(Info)
        );
        let l = levels(&[("warnings", Level::Deny)]);
        for env in ["registry/stale", "registry/unavailable"] {
            assert_eq!(l.resolve(&RuleId::parse(env), Warning), Some(Warning));
        }
        let l = levels(&[("warnings", Level::Deny), ("registry/stale", Level::Deny)]);
        assert_eq!(
            l.resolve(&RuleId::parse("registry/stale"), Warning),
            Some(Error)
        );
        let l = levels(&[("name/version", Level::Allow), ("warnings", Level::Deny)]);
        assert_eq!(l.resolve(&RuleId::parse("name/version"), Warning), None);
        let l = levels(&[("all", Level::Allow), ("port", Level::Deny)]);
        assert_eq!(
            l.resolve(&RuleId::parse("port/system"), Warning),
            Some(Error)
        );
        assert_eq!(l.resolve(&RuleId::parse("name/too-long"), Error), None);
    }
}
