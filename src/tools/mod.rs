//! What the commands beyond linting compute from the registry: `suggest` (free ports and
//! names) and `update` (downloading the registry into the user cache).

pub mod suggest;
pub mod update;
