//! Documents, the file index and snapshots of it.

pub mod document;
pub mod kind;

pub use document::Document;
pub use kind::FileKind;
pub mod snapshot;

pub use snapshot::Snapshot;
pub mod load;
