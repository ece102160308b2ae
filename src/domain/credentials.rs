//! The new customer's temporary admin password: made from the OS random source, shown once on
//! the Confirmation screen, and never written anywhere. [`Secret`] zeroizes its memory when
//! dropped and never shows itself in `Debug` output.

use zeroize::Zeroizing;

/// Text that must not leak: `Debug` prints a placeholder and the memory is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(text: String) -> Secret {
        Secret(Zeroizing::new(text))
    }

    /// The secret itself: only the Confirmation view and the clipboard call this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(«redacted»)")
    }
}

/// Symbols of the Microsoft Entra password policy that are easy to read aloud and retype: no
/// blank, quotes, backslash, brackets or punctuation that looks like another (, ; . ` ~).
pub const SYMBOLS: &str = "@#$%&*-_!+=?";
const LOWER: &str = "abcdefghijkmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &str = "23456789";

/// Length of a temporary password.
pub const PASSWORD_LENGTH: usize = 16;

/// A 16-character password with all four character classes, from `random` (the OS source in
/// production). Each character is drawn without modulo bias; classes that happen to be missing
/// are forced in at random positions.
pub fn generate_password(mut random: impl FnMut(&mut [u8])) -> Secret {
    let classes = [LOWER, UPPER, DIGITS, SYMBOLS];
    let all: Vec<char> = classes.concat().chars().collect();
    let mut pick = |n: usize| -> usize {
        // Rejection sampling: bytes at or above the largest multiple of n are thrown away.
        let limit = 256 - 256 % n;
        loop {
            let mut b = [0u8; 1];
            random(&mut b);
            if (b[0] as usize) < limit {
                return b[0] as usize % n;
            }
        }
    };
    let mut chars: Zeroizing<Vec<char>> =
        Zeroizing::new((0..PASSWORD_LENGTH).map(|_| all[pick(all.len())]).collect());
    let mut used = Vec::new();
    for class in classes {
        if !chars.iter().any(|c| class.contains(*c)) {
            let set: Vec<char> = class.chars().collect();
            // A random free position: the first unused one from a random start.
            let start = pick(PASSWORD_LENGTH);
            let at = (0..PASSWORD_LENGTH)
                .map(|k| (start + k) % PASSWORD_LENGTH)
                .find(|p| !used.contains(p))
                .expect("4 classes fit in 16 positions");
            chars[at] = set[pick(set.len())];
            used.push(at);
        }
        // Keep the position that gives this class its member from being overwritten later.
        if let Some(at) = chars.iter().position(|c| class.contains(*c)) {
            used.push(at);
        }
    }
    Secret::new(chars.iter().collect())
}

/// The password meets the Entra policy: 8–256 characters, no Unicode, at least 3 of 4 classes
/// (ours have all 4).
pub fn meets_policy(password: &str) -> bool {
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password
            .chars()
            .any(|c| SYMBOLS.contains(c) || "\"'\\ `".contains(c)),
    ];
    (8..=256).contains(&password.len())
        && password.is_ascii()
        && classes.iter().filter(|c| **c).count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(buf: &mut [u8]) {
        getrandom::fill(buf).unwrap();
    }

    #[test]
    fn passwords_have_16_characters_of_all_four_classes() {
        for _ in 0..500 {
            let p = generate_password(os);
            let s = p.expose();
            assert_eq!(s.len(), PASSWORD_LENGTH);
            assert!(meets_policy(s), "{s}");
            assert!(s.chars().any(|c| c.is_ascii_lowercase()));
            assert!(s.chars().any(|c| c.is_ascii_uppercase()));
            assert!(s.chars().any(|c| c.is_ascii_digit()));
            assert!(s.chars().any(|c| SYMBOLS.contains(c)));
        }
    }

    #[test]
    fn a_degenerate_source_still_gives_every_class() {
        // All zero bytes: every draw picks the first character of the alphabet.
        let p = generate_password(|b| b.fill(0));
        assert!(
            meets_policy(p.expose()) && p.expose().chars().any(|c| SYMBOLS.contains(c)),
            "{}",
            p.expose()
        );
    }

    #[test]
    fn passwords_differ() {
        assert_ne!(generate_password(os), generate_password(os));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = generate_password(os);
        let shown = format!("{p:?} {:?}", Some(&p));
        assert!(!shown.contains(p.expose()));
        assert!(shown.contains("redacted"));
    }
}
