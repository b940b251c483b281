//! What a draft is checked with: the nearest `portreg.toml` (levels, custom rules, its
//! `registry`) and the registry, each loaded once and shared by every draft that uses it.
//! Every file read here is remembered with its modification time and size; a lookup
//! re-reads a file whose stamp changed, so edits of the config, a rules file or the
//! registry are picked up without restarting the server.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::custom::{self, CustomRule};
use crate::config::{self, Config};
use crate::engine::Options;
use crate::registry::Registry;
use crate::rules::levels::{Levels, Origin};

/// Which registry to use given a config's `registry` (`(config file, path)`).
pub type Locate = Box<dyn Fn(Option<(&Path, PathBuf)>) -> Option<PathBuf>>;

/// How the server was started: the command line's registry choice and date.
pub struct Launch {
    /// Which registry to use given a config's `registry` (`(config file, path)`): the
    /// command's resolution order (`--registry`, `PORTREG_REGISTRY`, the config, the cache).
    pub locate: Locate,
    /// `--no-registry`: the registry rules never run.
    pub no_registry: bool,
    /// `PORTREG_TODAY`, for reproducible `registry/stale` findings.
    pub today: Option<chrono::NaiveDate>,
}

/// A file's modification time and size; `None` when it cannot be read.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The settings of one `portreg.toml` (or of none).
#[derive(Clone, Default)]
struct Loaded {
    levels: Levels,
    custom: Vec<CustomRule>,
    registry: Option<PathBuf>,
    /// The config's `drafts` globs: files that are drafts even without an `[[entry]]`.
    drafts: Option<ignore::gitignore::Gitignore>,
}

struct ConfigEntry {
    /// The config file and each rules file it names, with their stamps when read.
    files: Vec<(PathBuf, Stamp)>,
    loaded: Loaded,
}

struct RegistryEntry {
    stamp: Stamp,
    registry: Option<Arc<Registry>>,
}

/// Drafts with the same key are checked together (same settings, same registry).
pub type GroupKey = (Option<PathBuf>, Option<PathBuf>);

/// The settings for the drafts of a run.
pub struct Resolved {
    pub key: GroupKey,
    pub options: Options,
}

pub struct Workspace {
    launch: Launch,
    configs: HashMap<Option<PathBuf>, ConfigEntry>,
    registries: HashMap<PathBuf, RegistryEntry>,
    /// Messages for the client's log (problems in the config, a registry that fails to load).
    pub log: Vec<String>,
}

impl Workspace {
    pub fn new(launch: Launch) -> Self {
        Workspace {
            launch,
            configs: HashMap::new(),
            registries: HashMap::new(),
            log: Vec::new(),
        }
    }

    /// The options for a draft in `folder` (`None`: a buffer without a file).
    pub fn resolve(&mut self, folder: Option<&Path>) -> Resolved {
        let (config_path, loaded) = self.settings(folder);
        let mut options = Options {
            levels: loaded.levels,
            custom: loaded.custom,
            today: self.launch.today,
            ..Options::default()
        };
        let mut registry_path = None;
        if !self.launch.no_registry {
            match loaded.registry.clone() {
                Some(path) => {
                    options.registry = self.registry(&path);
                    options.registry_missing = options.registry.is_none();
                    registry_path = Some(path);
                }
                None => options.registry_missing = true,
            }
        }
        Resolved {
            key: (config_path, registry_path),
            options,
        }
    }

    /// Whether the nearest config's `drafts` globs name the file at `path`.
    pub fn named_draft(&mut self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == config::FILE_NAME || !name.ends_with(".toml") {
            return false;
        }
        let (_, loaded) = self.settings(path.parent());
        loaded
            .drafts
            .is_some_and(|g| g.matched_path_or_any_parents(path, false).is_ignore())
    }

    /// The nearest config to `folder` and its settings, read again when a file changed.
    fn settings(&mut self, folder: Option<&Path>) -> (Option<PathBuf>, Loaded) {
        let config_path = folder.and_then(config::discover);
        let stale = self
            .configs
            .get(&config_path)
            .is_none_or(|e| e.files.iter().any(|(p, s)| stamp(p) != *s));
        if stale {
            let entry = self.load_config(config_path.as_deref());
            self.configs.insert(config_path.clone(), entry);
        }
        let loaded = self
            .configs
            .get(&config_path)
            .map(|e| e.loaded.clone())
            .unwrap_or_default();
        (config_path, loaded)
    }

    /// Forgets every file read, so the next lookups read them again (the client said files
    /// changed).
    pub fn forget(&mut self) {
        self.configs.clear();
        self.registries.clear();
    }

    /// Whether any file read so far changed on disk since.
    pub fn changed_on_disk(&self) -> bool {
        self.configs
            .values()
            .flat_map(|e| &e.files)
            .any(|(p, s)| stamp(p) != *s)
            || self.registries.iter().any(|(p, e)| stamp(p) != e.stamp)
    }

    fn registry(&mut self, path: &Path) -> Option<Arc<Registry>> {
        let now = stamp(path);
        if let Some(e) = self.registries.get(path) {
            if e.stamp == now {
                return e.registry.clone();
            }
        }
        let registry = match Registry::load(path) {
            Ok(r) => Some(Arc::new(r)),
            Err(e) => {
                self.log.push(format!(
                    "cannot use the registry `{}`: {e}; the registry rules are skipped",
                    path.display()
                ));
                None
            }
        };
        self.registries.insert(
            path.to_path_buf(),
            RegistryEntry {
                stamp: now,
                registry: registry.clone(),
            },
        );
        registry
    }

    fn load_config(&mut self, path: Option<&Path>) -> ConfigEntry {
        let Some(path) = path else {
            let registry = (self.launch.locate)(None).map(absolute);
            return ConfigEntry {
                files: Vec::new(),
                loaded: Loaded {
                    registry,
                    ..Loaded::default()
                },
            };
        };
        let mut files = vec![(path.to_path_buf(), stamp(path))];
        let mut loaded = Loaded::default();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let (config, problems) = config::parse(path, &text);
                if !problems.is_empty() {
                    self.log.push(problem_text(path, &problems));
                }
                loaded.custom = self.load_rules(&config, &mut files);
                for (selector, level) in &config.levels {
                    loaded.levels.push(
                        selector.value.clone(),
                        *level,
                        Origin::Config(path.display().to_string()),
                    );
                }
                let named = config
                    .registry
                    .as_ref()
                    .map(|r| (config.path.as_path(), r.value.clone()));
                loaded.registry = (self.launch.locate)(named).map(absolute);
                loaded.drafts = self.draft_globs(&config);
            }
            Err(e) => {
                self.log
                    .push(format!("cannot read config `{}`: {e}", path.display()));
                loaded.registry = (self.launch.locate)(None).map(absolute);
            }
        }
        ConfigEntry { files, loaded }
    }

    /// The config's `drafts` globs, relative to its folder; a bad glob is logged.
    fn draft_globs(&mut self, config: &Config) -> Option<ignore::gitignore::Gitignore> {
        if config.drafts.is_empty() {
            return None;
        }
        let root = config.path.parent().unwrap_or(Path::new("."));
        let mut b = ignore::gitignore::GitignoreBuilder::new(root);
        for g in &config.drafts {
            if let Err(e) = b.add_line(None, &g.value) {
                self.log.push(format!(
                    "`drafts` in {}: `{}` is not a valid glob: {e}",
                    config.path.display(),
                    g.value
                ));
            }
        }
        b.build().ok()
    }

    /// The custom rules of the config's rules files; a file with problems is logged and left
    /// out, the others still apply.
    fn load_rules(
        &mut self,
        config: &Config,
        files: &mut Vec<(PathBuf, Stamp)>,
    ) -> Vec<CustomRule> {
        let mut all: Vec<CustomRule> = Vec::new();
        for file in &config.rules {
            let path = &file.value;
            files.push((path.clone(), stamp(path)));
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    let (rules, problems) = custom::parse(path, &text);
                    if problems.is_empty() {
                        all.extend(
                            rules
                                .into_iter()
                                .filter(|r| !all.iter().any(|o| o.id == r.id))
                                .collect::<Vec<_>>(),
                        );
                    } else {
                        self.log.push(problem_text(path, &problems));
                    }
                }
                Err(e) => self.log.push(format!(
                    "cannot read rules file `{}` (named in {}): {e}",
                    path.display(),
                    config.path.display()
                )),
            }
        }
        all
    }
}

fn absolute(path: PathBuf) -> PathBuf {
    std::fs::canonicalize(&path).unwrap_or(path)
}

/// A config or rules file's problems in the short format, for the client's log.
fn problem_text(path: &Path, problems: &[crate::diagnostic::Finding]) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let report =
        crate::engine::report_for_file(&path.display().to_string(), &text, problems.to_vec());
    format!(
        "`{}` has problems; they are ignored until fixed:\n{}",
        path.display(),
        crate::render::short::render(&report).trim_end()
    )
}
