//! Pieces the screens share.

pub mod form;
pub mod modal;
pub mod window_table;
