//! Sanitising untrusted text before it reaches the terminal, logs, exports or the clipboard.
//!
//! Names, emails and bodies come from people and files. A name such as
//! `"\x1b]0;pwned\x07Evil"` would retitle the terminal window if printed raw, and a bidi override
//! (U+202E) would make `moc.live` read as `evil.com`. Everything user-supplied passes through
//! [`clean`] (one line) or [`clean_multiline`] (keeps `\n`) before it is shown.

use std::borrow::Cow;

/// Shown in place of a control character, so tampering stays visible instead of silently vanishing.
pub const REPLACEMENT: char = '\u{FFFD}';

/// What to do with one character of untrusted text.
enum Disposition {
    Keep,
    Drop,
    Replace(char),
}

fn disposition(c: char, keep_newlines: bool) -> Disposition {
    match c {
        '\n' if keep_newlines => Disposition::Keep,
        '\t' | '\n' => Disposition::Replace(' '),
        // C0 controls (incl. ESC and CR), DEL, and C1 controls (incl. the 8-bit CSI U+009B).
        '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{80}'..='\u{9f}' => Disposition::Replace(REPLACEMENT),
        // Bidi embeddings, overrides, isolates and marks: they reorder what the eye sees.
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}' => Disposition::Drop,
        // Zero-width characters hide text inside look-alike names.
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{180e}' => Disposition::Drop,
        _ => Disposition::Keep,
    }
}

fn sanitize(input: &str, keep_newlines: bool) -> Cow<'_, str> {
    if input
        .chars()
        .all(|c| matches!(disposition(c, keep_newlines), Disposition::Keep))
    {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match disposition(c, keep_newlines) {
            Disposition::Keep => out.push(c),
            Disposition::Drop => {}
            Disposition::Replace(r) => out.push(r),
        }
    }
    Cow::Owned(out)
}

/// One line of untrusted text, safe to draw: controls replaced, bidi and zero-width removed,
/// tabs and newlines turned into spaces.
pub fn clean(input: &str) -> Cow<'_, str> {
    sanitize(input, false)
}

/// Like [`clean`] but keeps line breaks (`\r\n` becomes `\n`), for email bodies.
pub fn clean_multiline(input: &str) -> Cow<'_, str> {
    if input.contains('\r') {
        Cow::Owned(sanitize(&input.replace("\r\n", "\n"), true).into_owned())
    } else {
        sanitize(input, true)
    }
}

/// `clean` into an owned `String`, for row structs read from the database.
pub fn cleaned(input: String) -> String {
    match clean(&input) {
        Cow::Borrowed(_) => input,
        Cow::Owned(s) => s,
    }
}

/// Untrusted text quoted in a message (a path, an echoed argument): every character `clean` would
/// change is written as a visible escape such as `\u{1b}`, so the reader sees exactly what was
/// typed and the terminal never receives a raw control or bidi character.
pub fn escaped(input: &str) -> Cow<'_, str> {
    let is_hostile = |c: char| !matches!(disposition(c, false), Disposition::Keep);
    if !input.chars().any(is_hostile) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        if is_hostile(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path for a message: not UTF-8 bytes as U+FFFD, controls and bidi characters escaped.
pub fn shown_path(path: &std::path::Path) -> String {
    escaped(&path.to_string_lossy()).into_owned()
}

/// True when the text holds something `clean` would change: used to refuse hostile input in forms.
pub fn is_clean(input: &str) -> bool {
    matches!(clean(input), Cow::Borrowed(_))
}

/// The first characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell a spreadsheet would take for a formula (`=HYPERLINK(…)`, `+1`, `-2`, `@SUM(…)`)
/// gets a leading `'`, so it shows as the text it is (OWASP's CSV injection advice).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The text a [`neutralise`]d cell stood for: a leading `'` before a formula start is dropped,
/// so a file twotier exported imports back as it was.
pub fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(clean("Contoso Ltd. – Zürich"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_defused() {
        let hostile = "\u{1b}]0;pwned\u{7}Evil\u{1b}[2J Corp\r";
        let out = clean(hostile);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\r'));
        assert_eq!(out, "\u{fffd}]0;pwned\u{fffd}Evil\u{fffd}[2J Corp\u{fffd}");
    }

    #[test]
    fn c1_del_bidi_and_zero_width_are_handled() {
        let out = clean("a\u{9b}31mb\u{7f}c\u{202e}moc.live\u{200b}d\u{feff}e\u{2066}f");
        assert_eq!(out, "a\u{fffd}31mb\u{fffd}cmoc.livedef");
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(
            clean_multiline("one\r\ntwo\n\u{1b}three"),
            "one\ntwo\n\u{fffd}three"
        );
        assert_eq!(clean("one\ntwo\tthree"), "one two three");
    }

    #[test]
    fn escaped_shows_what_was_typed() {
        assert_eq!(escaped("db\u{1b}]0;x\u{7}.db"), "db\\u{1b}]0;x\\u{7}.db");
        assert_eq!(
            escaped("a\u{202e}b\u{200b}c\u{9b}"),
            "a\\u{202e}b\\u{200b}c\\u{9b}"
        );
        assert!(matches!(escaped("/home/ava/twotier.db"), Cow::Borrowed(_)));
    }

    #[test]
    fn unneutralised_undoes_neutralise() {
        for cell in [
            "=1+1",
            "+1 555 0100",
            "-2",
            "@SUM(A1)",
            "Contoso",
            "'quoted",
            "",
        ] {
            assert_eq!(unneutralised(&neutralise(cell)), cell, "{cell:?}");
        }
        assert_eq!(unneutralised("'plain"), "'plain");
    }

    #[test]
    fn is_clean_detects_hostile_input() {
        assert!(is_clean("Fabrikam, Inc."));
        assert!(!is_clean("Fabrikam\u{202e}"));
    }
}
