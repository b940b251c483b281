//! `portreg render`.

use clap::Args;

use crate::cli::Fatal;

#[derive(Args, Debug)]
pub struct RenderArgs {}

pub fn run(_args: RenderArgs) -> Result<u8, Fatal> {
    Err(Fatal("not yet".into()))
}
