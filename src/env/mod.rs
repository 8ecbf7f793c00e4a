//! The cross-file environment model: which variables each compose service's container gets,
//! which Python code it runs, and what that code reads; and the editor features over it
//! (hover, completion, navigation, fixes) on an environment variable name in any file kind.

mod complete;
#[cfg(test)]
mod complete_tests;
mod fixes;
#[cfg(test)]
mod fixes_tests;
pub mod graph;
mod hover;
#[cfg(test)]
mod hover_tests;
#[cfg(test)]
mod incremental_tests;
pub mod index;
mod navigate;
#[cfg(test)]
mod navigate_tests;
pub mod rules;
mod running;
pub mod settings;
mod settings_module;
#[cfg(test)]
mod tests;
mod unset;
mod unused;

pub use complete::complete;
pub use graph::{Origin, Provided, ServiceEnv, service_env, services};
pub use hover::hover;
pub use index::{Graph, Site, What, graph as env_graph, release_stale};
pub use navigate::{definition, highlights, references, rename};
pub use rules::diagnostics;
pub use settings::{Runs, runs};

use crate::diagnostics::RuleInfo;

/// Every code the environment model can emit.
pub const RULES: &[RuleInfo] = &[
    rules::RULES[0],
    rules::RULES[1],
    rules::RULES[2],
    unused::RULE,
    unset::RULE,
    settings_module::RULE,
];
