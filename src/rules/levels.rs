//! Rule levels: `allow | warn | deny` per rule, per category, for `all`, and `-D warnings`.
//! Settings apply in order (config file first, then flags); a later setting wins.

use std::fmt;

use crate::diagnostic::Severity;
use crate::rules::meta::RuleMeta;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
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
    Rule(String),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::All => f.write_str("all"),
            Selector::Warnings => f.write_str("warnings"),
            Selector::Category(c) => f.write_str(c),
            Selector::Rule(r) => f.write_str(r),
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

    /// The severity a rule reports at, or `None` when it is allowed.
    pub fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        self.resolve(&rule.id, rule.category(), rule.severity)
    }

    pub fn resolve(&self, id: &str, category: &str, default: Severity) -> Option<Severity> {
        let mut current = Some(default);
        for s in &self.settings {
            let hit = match &s.selector {
                Selector::All => true,
                Selector::Warnings => current == Some(Severity::Warning),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(items: &[(&str, Level)]) -> Levels {
        let mut l = Levels::default();
        for (sel, level) in items {
            let sel = match *sel {
                "all" => Selector::All,
                "warnings" => Selector::Warnings,
                s if s.contains('/') => Selector::Rule(s.into()),
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
        assert_eq!(l.resolve("name/too-long", "name", Error), Some(Warning));
        assert_eq!(l.resolve("name/version", "name", Warning), None);
        let l = levels(&[("warnings", Level::Deny), ("name/version", Level::Allow)]);
        assert_eq!(l.resolve("name/version", "name", Warning), None);
        assert_eq!(l.resolve("policy/x", "policy", Warning), Some(Error));
        assert_eq!(l.resolve("name/uppercase", "name", Info), Some(Info));
        let l = levels(&[("name/version", Level::Allow), ("warnings", Level::Deny)]);
        assert_eq!(l.resolve("name/version", "name", Warning), None);
        let l = levels(&[("all", Level::Allow), ("port", Level::Deny)]);
        assert_eq!(l.resolve("port/system", "port", Warning), Some(Error));
        assert_eq!(l.resolve("name/too-long", "name", Error), None);
    }
}
