//! Compose files. (Temporary module list: the lead merges this with the model and rules.)

pub mod complete;
pub mod hover;
pub mod schema;
pub mod values;
