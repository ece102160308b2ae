//! Which line of the file a record starts on, as an editor numbers it.
//!
//! The csv crate's record position is where the parser began, not the record's first character:
//! in a CRLF file (Partner Center's and twotier's own exports) that is before the previous line's
//! `\n`, and in any file it is before the blank lines the parser skips, so its line number runs
//! one or more short. [`tracked`] wraps the input so the bytes the parser has read but not yet
//! passed are kept (a read-ahead buffer's worth); [`Lines::of`] skips the line ends from the
//! parser's position to the record's first character and counts the lines to it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// The bytes read from the file and not yet passed by a record, and the lines before them.
#[derive(Default)]
struct Seen {
    bytes: VecDeque<u8>,
    /// The file offset of `bytes[0]`.
    base: u64,
    /// `\n` before `base`.
    newlines: u64,
}

/// The file, read through: every byte read is kept in [`Seen`] until [`Lines::of`] passes it.
pub struct Tracked<R> {
    inner: R,
    seen: Rc<RefCell<Seen>>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.borrow_mut().bytes.extend(&buf[..n]);
        Ok(n)
    }
}

/// Answers [`Lines::of`] for the records of one [`Tracked`] file.
pub struct Lines {
    seen: Rc<RefCell<Seen>>,
}

/// `input` read through, and the way to number its records' lines.
pub fn tracked<R: Read>(input: R) -> (Tracked<R>, Lines) {
    let seen = Rc::new(RefCell::new(Seen::default()));
    (
        Tracked {
            inner: input,
            seen: Rc::clone(&seen),
        },
        Lines { seen },
    )
}

fn newlines(bytes: &VecDeque<u8>, n: usize) -> u64 {
    let (a, b) = bytes.as_slices();
    let count = |s: &[u8]| s.iter().filter(|&&c| c == b'\n').count() as u64;
    count(&a[..n.min(a.len())]) + count(&b[..n.saturating_sub(a.len()).min(b.len())])
}

impl Lines {
    /// The 1-based line on which the record the parser began at byte `parsed_from` starts.
    /// Records are asked in file order; bytes before `parsed_from` are let go.
    pub fn of(&self, parsed_from: u64) -> u64 {
        let mut seen = self.seen.borrow_mut();
        let pass = (parsed_from.saturating_sub(seen.base) as usize).min(seen.bytes.len());
        seen.newlines += newlines(&seen.bytes, pass);
        seen.bytes.drain(..pass);
        seen.base += pass as u64;
        // The previous record's line end and any blank lines come before this record.
        let mut ahead = 0;
        for &c in seen.bytes.iter() {
            match c {
                b'\n' => ahead += 1,
                b'\r' => {}
                _ => break,
            }
        }
        1 + seen.newlines + ahead
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<(String, u64)> {
        let (input, lines) = tracked(text.as_bytes());
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(8)
            .from_reader(input);
        reader.headers().unwrap();
        let mut record = csv::StringRecord::new();
        let mut found = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            let at = record.position().unwrap().byte();
            found.push((record[0].to_owned(), lines.of(at)));
        }
        found
    }

    #[test]
    fn records_are_numbered_as_an_editor_numbers_lines() {
        let want = [("a", 2), ("c", 3), ("e", 5), ("x", 7)];
        let want: Vec<(String, u64)> = want.iter().map(|(s, n)| (s.to_string(), *n)).collect();
        // Line ends LF and CRLF; a blank line (skipped by the parser); a quoted cell over two lines.
        assert_eq!(lines_of("h1,h2\na,b\nc,d\n\ne,\"f\ng\"\nx,y\n"), want);
        assert_eq!(
            lines_of("h1,h2\r\na,b\r\nc,d\r\n\r\ne,\"f\r\ng\"\r\nx,y\r\n"),
            want
        );
        assert_eq!(
            lines_of("\u{feff}h1,h2\r\na,b\r\nc,d\r\n\r\ne,\"f\r\ng\"\r\nx,y"),
            want
        );
    }
}
