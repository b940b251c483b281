//! `portreg lsp`: the language server, with the registry chosen as `check` chooses it.

use crate::cli::args::LspArgs;
use crate::cli::shared::settings::today;
use crate::cli::shared::{resolve, Fatal};
use crate::lsp::Launch;

pub fn run(args: LspArgs) -> Result<u8, Fatal> {
    let flag = args.registry;
    let launch = Launch {
        locate: Box::new(move |config| {
            resolve::locate(flag.as_deref(), config).map(|(path, _)| path)
        }),
        no_registry: args.no_registry,
        today: today()?,
    };
    crate::lsp::serve_stdio(launch).map_err(Fatal)?;
    Ok(0)
}
