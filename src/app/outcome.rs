//! What a modal's update arm asks of the app around it: effects to run, whether it is finished,
//! a layer to open above it, a toast.

use super::effect::Effect;
use super::state::Modal;

#[derive(Debug, Default)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    /// The modal is finished: close it.
    pub close: bool,
    /// Open this above the modal (a picker, a question).
    pub push: Option<Modal>,
    pub toast: Option<String>,
}

impl Outcome {
    pub fn none() -> Outcome {
        Outcome::default()
    }

    pub fn close() -> Outcome {
        Outcome {
            close: true,
            ..Outcome::default()
        }
    }

    pub fn effect(effect: Option<Effect>) -> Outcome {
        Outcome {
            effects: effect.into_iter().collect(),
            ..Outcome::default()
        }
    }

    pub fn push(modal: Modal) -> Outcome {
        Outcome {
            push: Some(modal),
            ..Outcome::default()
        }
    }
}
