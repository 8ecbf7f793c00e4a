//! berth: a language server and checker for containerised Python web applications.

pub mod diagnostics;
pub mod dotenv;
pub mod ide;
pub mod python;
#[doc(hidden)]
pub mod testing;
pub mod workspace;
