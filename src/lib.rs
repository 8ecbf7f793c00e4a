//! berth: a language server and checker for containerised Python web applications.

pub mod compose;
pub mod diagnostics;
pub mod ide;
#[doc(hidden)]
pub mod testing;
pub mod workspace;
pub mod yaml;
