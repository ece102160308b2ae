//! Pieces the screens share.

pub mod detail_pane;
pub mod detail_records;
pub mod form;
pub mod modal;
pub mod window_table;
