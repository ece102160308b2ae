//! Pieces the screens share.

pub mod form;
pub mod help;
pub mod modal;
pub mod window_table;
