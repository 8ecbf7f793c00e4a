//! Documents, the file index and snapshots of it.

pub mod document;
pub mod kind;

pub use document::Document;
pub use kind::FileKind;
pub mod snapshot;

pub use snapshot::Snapshot;
pub mod load;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub mod node_alloc;
