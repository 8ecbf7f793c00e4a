//! Python settings modules: which environment variables they read (and how), which they set,
//! which `.env` files they load, what they import; module resolution across the workspace and
//! the entry points services run. The cross-file env graph (`src/env/`) is built on these.

mod bindings;
pub mod entry;
pub mod model;
pub mod modules;
mod pydantic;
pub mod reads;
mod schema;

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, RuleInfo};
use crate::workspace::{Document, Snapshot};

pub use entry::entry_from_shell;
pub use entry::{EntryKind, EntryPoint, entry_from_command};
pub use model::{Import, ImportKind, PythonModel};
pub use modules::{
    candidate_roots, module_name, resolve_import, resolve_import_name, resolve_module,
    resolve_module_in, settings_chain,
};
pub use reads::{
    Cast, DefaultArg, DefaultValue, DotenvLoad, DotenvTarget, EnvName, EnvRead, EnvSet, ReadKind,
    Requirement, SetKind,
};

/// The module's env facts and imports, cached per document version.
pub fn model(doc: &Document) -> Arc<PythonModel> {
    doc.model(PythonModel::build)
}

/// Python files have no per-file rules yet: everything worth saying about a settings module is
/// cross-file (a read nothing sets) and lives in `src/env/`.
pub const RULES: &[RuleInfo] = &[];

pub fn diagnostics(_snap: &Snapshot, _doc: &Document) -> Vec<Diagnostic> {
    Vec::new()
}
