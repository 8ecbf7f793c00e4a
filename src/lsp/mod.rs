//! The protocol edge: tower-lsp-server types, position encodings and dispatch. Everything here
//! converts and delegates; analysis lives in the file-kind modules.

pub mod catch_panic;
pub mod convert;
pub mod position;
pub mod server;
pub mod splice;
pub mod stdio;
pub mod store;
pub mod transport;
