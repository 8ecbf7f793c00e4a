//! berth: a language server and checker for containerised Python web applications.

pub mod analysis;
#[doc(hidden)]
pub mod bench_gen;
pub mod cli;
pub mod compose;
pub mod config;
pub mod diagnostics;
pub mod dockerfile;
pub mod dotenv;
pub mod env;
#[doc(hidden)]
pub mod fs_cache;
pub mod fuzzing;
pub mod ide;
pub mod lsp;
pub mod python;
pub mod secrets;
pub mod suppress;
pub mod syntax;
#[doc(hidden)]
pub mod testing;
pub mod util;
pub mod workspace;
pub mod yaml;
