//! The state store: actions in, state changed, effects out. Everything here is pure.

pub mod action;
pub mod detail;
pub mod effect;
pub mod form;
pub mod gate;
pub mod keymap;
pub mod keys;
pub mod layout;
pub mod link;
pub mod list;
pub mod list_keys;
pub mod list_ops;
pub mod model;
pub mod nav;
pub mod outcome;
pub mod remote;
pub mod screens;
pub mod state;
pub mod update;
