//! Search matches lit in list cells: the text is sanitised first, then cut into spans along the
//! search rule's matches (src/domain/fold.rs), so a hostile name stays harmless however it is cut.

use ratatui::text::{Line, Span};

use crate::domain::fold::split_matches;
use crate::domain::text::clean;
use crate::ui::theme::Theme;

/// `text` as a line, the characters matching `query` in the theme's match style.
pub fn lit(text: &str, query: &str, theme: &Theme) -> Line<'static> {
    let text = clean(text);
    if query.trim().is_empty() {
        return Line::from(text.into_owned());
    }
    Line::from(
        split_matches(&text, query)
            .into_iter()
            .map(|(piece, matched)| match matched {
                true => Span::styled(piece.to_owned(), theme.matched),
                false => Span::raw(piece.to_owned()),
            })
            .collect::<Vec<_>>(),
    )
}

/// A list's title with the words of a one- or two-letter search ("starts with…").
pub fn titled<R: crate::store::list::Listed + Clone>(
    title: String,
    list: &crate::app::list::ListModel<R>,
) -> String {
    match list.search_note() {
        Some(note) => format!("{title} · {note}"),
        None => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_cleaned_before_it_is_cut() {
        let theme = Theme::colored();
        let line = lit("\u{1b}]0;x\u{7}Contoso\u{202e}", "toso", &theme);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "\u{fffd}]0;x\u{fffd}Contoso");
        let lit_spans: Vec<&str> = line
            .spans
            .iter()
            .filter(|s| s.style == theme.matched)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(lit_spans, ["toso"]);
    }
}
