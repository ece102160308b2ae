//! Activity log filter: operator, action and target, each "starts with".

use tui_input::InputRequest;

use crate::app::action::Command;
use crate::app::form::TextField;
use crate::app::keys::{FORM, Keys};
use crate::app::model::{Cx, Model, Typed};
use crate::app::outcome::{Answer, Outcome};

#[derive(Debug, Clone)]
pub struct ActivityFilter {
    /// Operator, action, target: the order of the activity log's search columns.
    pub fields: [TextField; 3],
    pub focus: usize,
}

impl ActivityFilter {
    /// Opens on the filter in force.
    pub fn new(current: &[(usize, String)]) -> ActivityFilter {
        let value = |i: usize| {
            current
                .iter()
                .find(|(c, _)| *c == i)
                .map_or("", |(_, v)| v.as_str())
        };
        ActivityFilter {
            fields: [
                TextField::new("Operator", "UPN starts with…")
                    .optional()
                    .with_value(value(0)),
                TextField::new("Action", "Such as Partnership, Customer, Subscription")
                    .optional()
                    .with_value(value(1)),
                TextField::new("Target", "Name, UPN or email starts with…")
                    .optional()
                    .with_value(value(2)),
            ],
            focus: 0,
        }
    }

    pub fn edit(&mut self, request: InputRequest) {
        self.fields[self.focus].edit(request);
    }

    /// The filter as the list applies it.
    pub fn prefixes(&self) -> Vec<(usize, String)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.value().trim().is_empty())
            .map(|(i, f)| (i, crate::domain::text::cleaned(f.value().trim().to_owned())))
            .collect()
    }
}

impl Model for ActivityFilter {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&FORM]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::NextField => self.focus = (self.focus + 1) % 3,
            Command::PreviousField => self.focus = (self.focus + 2) % 3,
            Command::Enter => return Outcome::answer(Answer::ActivityFilter(self.prefixes())),
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, _cx: &mut Cx) -> Outcome {
        if let Typed::Edit(request) = typed {
            self.edit(request);
        }
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        true
    }
}
