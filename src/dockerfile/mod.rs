//! Dockerfiles. (Temporary module list for the IDE-features branch; the lead merges mod.rs.)

pub mod complete;
pub mod format;
pub mod hover;
pub mod knowledge;
pub mod semantic;
pub mod signature;
