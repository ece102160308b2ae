//! Form fields that check themselves as the operator types and say what is wrong in words.

use tui_input::{Input, InputRequest};

/// The result of checking a field's text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Nothing typed yet in a required field: no error shown until the operator tries to go on.
    #[default]
    Empty,
    Ok,
    /// Valid, but worth a second look.
    Warning(String),
    Error(String),
}

impl Verdict {
    pub fn from_result<T>(r: &Result<T, String>) -> Verdict {
        match r {
            Ok(_) => Verdict::Ok,
            Err(e) => Verdict::Error(e.clone()),
        }
    }

    pub fn blocks(&self) -> bool {
        matches!(self, Verdict::Error(_) | Verdict::Empty)
    }
}

/// One line of text with a label and its verdict.
#[derive(Debug, Clone, Default)]
pub struct TextField {
    pub label: &'static str,
    pub input: Input,
    pub verdict: Verdict,
    /// Shown under the field when it has focus and nothing is wrong.
    pub hint: &'static str,
    /// An optional field is never `Empty`-blocking.
    pub optional: bool,
    /// True once the operator tried to go on: from then on, an empty required field is an error.
    pub touched: bool,
}

impl TextField {
    pub fn new(label: &'static str, hint: &'static str) -> TextField {
        TextField {
            label,
            hint,
            ..TextField::default()
        }
    }

    pub fn optional(mut self) -> TextField {
        self.optional = true;
        self.verdict = Verdict::Ok;
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn with_value(mut self, value: &str) -> TextField {
        self.input = Input::new(value.to_owned());
        self
    }

    pub fn edit(&mut self, request: InputRequest) {
        self.input.handle(request);
    }

    pub fn paste(&mut self, text: &str) {
        for c in crate::domain::text::clean(text).chars() {
            self.input.handle(InputRequest::InsertChar(c));
        }
    }

    /// Sets the verdict from a check of the current text; an empty required field stays
    /// `Empty` (no nagging) until the form was submitted once.
    pub fn judge(&mut self, verdict: Verdict) {
        let empty = self.value().trim().is_empty();
        self.verdict = match verdict {
            _ if empty && self.optional => Verdict::Ok,
            // Required but empty: said once the operator tried to go on, blocking until then.
            Verdict::Error(e) if empty && self.touched => Verdict::Error(e),
            Verdict::Error(_) if empty => Verdict::Empty,
            // Empty and fine where the rule allows it (a phone outside the countries needing one).
            other => other,
        };
    }
}

/// Focus movement over `n` fields, wrapping around.
pub fn next(focus: usize, n: usize) -> usize {
    (focus + 1) % n.max(1)
}

pub fn previous(focus: usize, n: usize) -> usize {
    (focus + n.max(1) - 1) % n.max(1)
}
