//! The search rule: text matches a query when the query's folded form occurs anywhere in the
//! text's folded form. Folding is NFKD, combining marks dropped, lowercase, and a few letters
//! that don't decompose spelled out (ß → ss, ø → o, æ → ae…): "ZÜR" and "zur" both find Zürich.
//!
//! The store writes the folded text into its search index (an SQL function calls [`fold`]), and
//! the lists highlight with [`match_ranges`], so what is found and what is lit follow one rule.

use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::text::clean;

/// Letters with no decomposition that people type without their stroke or ligature.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ø' | 'Ø' => "o",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'đ' | 'Đ' => "d",
        'ł' | 'Ł' => "l",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Calls `out` with each character `c` folds to (none for a combining mark).
fn fold_char(c: char, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        return out(c.to_ascii_lowercase());
    }
    if let Some(s) = spelled_out(c) {
        return s.chars().for_each(out);
    }
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) {
            for l in d.to_lowercase() {
                if !is_combining_mark(l) {
                    out(l);
                }
            }
        }
    });
}

/// The folded form of (sanitised) text: what the index holds and what a query is compared as.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        fold_char(c, |f| out.push(f));
    }
    out
}

/// The folded query, trimmed: empty when there is nothing to search for.
pub fn fold_query(query: &str) -> String {
    fold(query.trim()).trim().to_owned()
}

/// True when `text` matches `query` by the search rule (an empty query matches everything).
pub fn matches(text: &str, query: &str) -> bool {
    fold(text).contains(&fold_query(query))
}

/// Where a query matches in `text` (already sanitised, as shown): byte ranges of `text`, in
/// order, not overlapping. A character that folds to several (ß) is lit whole when any of them
/// matches; combining marks after a lit letter are lit with it.
pub fn match_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    let query = fold_query(query);
    if query.is_empty() {
        return Vec::new();
    }
    // Each folded character, with the byte range of the character it came from.
    let mut folded = String::with_capacity(text.len());
    let mut sources: Vec<Range<usize>> = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        let before = sources.len();
        fold_char(c, |f| {
            for _ in 0..f.len_utf8() {
                sources.push(start..end);
            }
            folded.push(f);
        });
        if sources.len() == before
            && let Some(last) = sources.last_mut()
        {
            // A mark that folds to nothing belongs to the letter before it.
            let from = last.start;
            for s in sources.iter_mut().rev().take_while(|s| s.start == from) {
                s.end = end;
            }
        }
    }
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (at, m) in folded.match_indices(&query) {
        let (first, last) = (&sources[at], &sources[at + m.len() - 1]);
        let range = first.start..last.end;
        match ranges.last_mut() {
            Some(prev) if prev.end >= range.start => prev.end = prev.end.max(range.end),
            _ => ranges.push(range),
        }
    }
    ranges
}

/// `text` cut into (piece, is_match) pieces along [`match_ranges`], for styled spans.
pub fn split_matches<'a>(text: &'a str, query: &str) -> Vec<(&'a str, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in match_ranges(text, query) {
        if range.start > at {
            pieces.push((&text[at..range.start], false));
        }
        pieces.push((&text[range.clone()], true));
        at = range.end;
    }
    if at < text.len() || pieces.is_empty() {
        pieces.push((&text[at..], false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit<'a>(text: &'a str, query: &str) -> Vec<&'a str> {
        match_ranges(text, query)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Zürich"), "zurich");
        assert_eq!(fold("ZÜR"), "zur");
        assert_eq!(fold("Crème Brûlée"), "creme brulee");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Øresund Æble"), "oresund aeble");
        assert_eq!(fold("ﬁne"), "fine");
        assert_eq!(fold("Ａｂｃ"), "abc");
        // Decomposed input folds like composed input.
        assert_eq!(fold("Zu\u{308}rich"), "zurich");
        assert_eq!(fold_query("  ToSo "), "toso");
    }

    #[test]
    fn hostile_text_folds_to_its_clean_form() {
        assert_eq!(fold("Con\u{200b}toso\u{202e}"), "contoso");
        assert_eq!(fold("a\u{1b}]0;x"), "a\u{fffd}]0;x");
    }

    #[test]
    fn ranges_point_into_the_original_text() {
        assert_eq!(lit("Contoso Ltd", "toso"), ["toso"]);
        assert_eq!(lit("Zürich AG", "zurich"), ["Zürich"]);
        assert_eq!(lit("Zürich AG", "ZÜR"), ["Zür"]);
        assert_eq!(lit("Zu\u{308}rich", "zu"), ["Zu\u{308}"]);
        assert_eq!(lit("Straße", "ss"), ["ß"]);
        assert_eq!(lit("Straße", "as"), ["aß"]);
        // Touching matches are lit as one.
        assert_eq!(lit("banana", "an"), ["anan"]);
        assert_eq!(lit("an anvil", "an"), ["an", "an"]);
        assert_eq!(lit("aaaa", "aa"), ["aaaa"]);
        assert!(lit("Contoso", "xyz").is_empty());
        assert!(lit("Contoso", "  ").is_empty());
    }

    #[test]
    fn pieces_cover_the_text_in_order() {
        assert_eq!(
            split_matches("Contoso Zürich", "o"),
            [
                ("C", false),
                ("o", true),
                ("nt", false),
                ("o", true),
                ("s", false),
                ("o", true),
                (" Zürich", false)
            ]
        );
        assert_eq!(split_matches("Fabrikam", "zz"), [("Fabrikam", false)]);
        assert_eq!(split_matches("", "a"), [("", false)]);
    }

    #[test]
    fn ranges_are_always_char_boundaries() {
        for text in [
            "日本語テキスト",
            "ẞtraße",
            "e\u{301}e\u{301}",
            "🙂a🙂",
            "İstanbul",
        ] {
            for query in ["e", "ss", "a", "i", "本語", "st"] {
                for r in match_ranges(text, query) {
                    assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                }
            }
        }
    }
}
