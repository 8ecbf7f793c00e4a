//! The cross-file environment model: which variables each compose service's container gets,
//! which Python code it runs, and what that code reads.

pub mod graph;
pub mod rules;
pub mod settings;
#[cfg(test)]
mod tests;

pub use graph::{Origin, Provided, ServiceEnv, service_env, services};
pub use rules::{RULES, diagnostics};
pub use settings::{Runs, runs};
