//! `portreg suggest`.

use clap::Args;

use crate::cli::Fatal;

#[derive(Args, Debug)]
pub struct SuggestArgs {}

pub fn run(_args: SuggestArgs) -> Result<u8, Fatal> {
    Err(Fatal("not yet".into()))
}
