//! Property tests for the sanitiser (`domain::text`), every field validator and the config loader.
//!
//! The issue asks for `cargo fuzz` targets too. cargo-fuzz needs a nightly toolchain and this
//! project builds with one stable toolchain, so these properties stand in for the fuzz targets:
//! the generators mix arbitrary text (up to about 10 kB) with text biased to what a fuzzer finds
//! first — C0 and C1 controls, DEL, ESC sequences, bidi controls, zero-width characters, the
//! characters just beside those ranges, odd Unicode whitespace — and, for the validators, values
//! that are valid or one or two edits away from valid.
//!
//! In the normal suite (`cargo test --release`) every property runs `CASES` cases from a fixed
//! seed, so CI is reproducible and a failure shows the same minimal input on every run (no
//! regression files are written). The long run:
//!
//! ```sh
//! PROPTEST_CASES=200000 cargo test --release --test props
//! ```
//!
//! (about 15 minutes, 17 of CPU, on 2 cores) and, to explore other inputs, with another seed as
//! well: `PROPTEST_RNG_SEED=<u64>`. proptest applies both variables over the config below. The
//! normal run takes a few seconds (about 6 s of CPU).
//!
//! Each validator is checked against an oracle written here from the rule it documents (its doc
//! comment, or §5 / §8 of the domain reference). Where the code and the documented rule disagree,
//! the property follows the code and the difference is marked `DISAGREEMENT:`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::RngSeed;

use twotier::config::{Config, InvitationConfig};
use twotier::domain::customer;
use twotier::domain::ids::{self, Country, Email, PartnerId, TenantId};
use twotier::domain::invitation;
use twotier::domain::text::{clean, clean_multiline, cleaned, escaped, is_clean};
use twotier::store::operators::operator_upn;

/// Cases per property in the normal suite (PROPTEST_CASES overrides it).
const CASES: u32 = 1024;
/// The fixed seed of the normal suite (PROPTEST_RNG_SEED overrides it).
const SEED: u64 = 20_261_126;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        rng_seed: RngSeed::Fixed(SEED),
        // A fixed seed reproduces a failure; no proptest-regressions files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// What is hostile, written from the documented rule (text.rs; the issue's list)
// ---------------------------------------------------------------------------------------------

/// The characters the sanitiser is documented to defuse: C0 controls (TAB, LF, CR and ESC
/// included), DEL, C1 controls (the 8-bit CSI U+009B included), the bidi embeddings, overrides,
/// isolates and marks, and the zero-width characters.
///
/// NOTE (reported, no test fails on it): other invisible, "default ignorable" characters are not
/// in the documented set and pass `clean`, `escaped` and every validator unchanged — U+00AD soft
/// hyphen, U+034F, the Hangul fillers U+115F/U+1160/U+3164/U+FFA0, the invisible operators
/// U+2061–U+2064, U+206A–U+206F, the variation selectors U+FE00–U+FE0F, U+FFF9–U+FFFB, the tag
/// characters U+E0000–U+E007F, and the line/paragraph separators U+2028/U+2029. The properties
/// below treat them as printable (kept), which is what the code does; `NEIGHBOURS` generates them.
fn is_hostile(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}') || is_dropped(c)
}

/// The hostile characters `clean` drops rather than replaces: bidi controls and zero-width ones.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200b}'..='\u{200f}'
            | '\u{061c}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{180e}'
    )
}

/// `clean` as its doc comment says it: controls replaced by U+FFFD, bidi and zero-width removed,
/// tabs and newlines turned into spaces; everything else kept, in order. `clean_multiline` keeps
/// `\n` (after `\r\n` became `\n`).
fn clean_oracle(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' | '\n' => out.push(' '),
            c if is_dropped(c) => {}
            c if is_hostile(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `escaped` as documented: each character `clean` would change written as `\u{..}`.
fn escaped_oracle(s: &str) -> String {
    s.chars()
        .map(|c| {
            if is_hostile(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The inverse of `escaped` for text that had no backslash of its own.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let end = after.find('}')?;
        out.push(char::from_u32(
            u32::from_str_radix(&after[..end], 16).ok()?,
        )?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Every hostile character (they are all in the BMP).
static HOSTILE_CHARS: LazyLock<Vec<char>> = LazyLock::new(|| {
    (0u32..0x1_0000)
        .filter_map(char::from_u32)
        .filter(|&c| is_hostile(c))
        .collect()
});

/// Characters just beside the hostile ranges, invisible ones outside them, odd whitespace, and
/// the characters that matter to quoting.
const NEIGHBOURS: &[char] = &[
    ' ',
    '~',
    '\u{a0}',
    '\u{a1}',
    '\u{ad}',
    '\u{34f}',
    '\u{61b}',
    '\u{61d}',
    '\u{115f}',
    '\u{180d}',
    '\u{180f}',
    '\u{200a}',
    '\u{2010}',
    '\u{2028}',
    '\u{2029}',
    '\u{2061}',
    '\u{2064}',
    '\u{2065}',
    '\u{206a}',
    '\u{206f}',
    '\u{202f}',
    '\u{205f}',
    '\u{3000}',
    '\u{3164}',
    '\u{fe0f}',
    '\u{fefe}',
    '\u{ff00}',
    '\u{ffa0}',
    '\u{fff9}',
    '\u{fffd}',
    '\u{e0041}',
    '\u{e007f}',
    '\u{10ffff}',
    '\\',
    '"',
    '\'',
    '`',
    '{',
    '}',
    '=',
    '[',
    ']',
    '#',
];

/// Printable letters, digits and signs, ASCII and not (`İ` and the Kelvin sign change length
/// when case-mapped; `٣` and `１` are digits that are not ASCII).
const LETTERS: &[char] = &[
    'a', 'z', 'A', 'Z', '0', '9', 'ü', 'ß', 'é', 'İ', '\u{212a}', '中', '文', '٣', '１', '😀',
    '👩', '.', '-', '@', '_', '&', ',', '+', '(', ')', ':', '/', '?',
];

/// Escape sequences and other hostile runs, whole.
const HOSTILE_RUNS: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]52;c;cHduZWQ=\u{7}",
    "\u{1b}[31m",
    "\u{9b}31m",
    "\u{1b}P+q\u{1b}\\",
    "\u{1b}c",
    "\u{1b}[?1049h",
    "\r\n",
    "\r",
    "\u{8}\u{8}\u{8}",
    "\u{202e}moc.live",
    "\u{2066}x\u{2069}",
    "pay\u{200b}pal",
    "\u{feff}",
    "\\u{1b}",
];

fn hostile_char() -> impl Strategy<Value = char> {
    select(&HOSTILE_CHARS[..])
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(LETTERS).prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,6}",
        3 => hostile_char().prop_map(String::from),
        2 => select(NEIGHBOURS).prop_map(String::from),
        1 => select(HOSTILE_RUNS).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
    ]
}

/// Short text, dense with hostile characters.
fn hostile_text() -> impl Strategy<Value = String> {
    vec(piece(), 0..24).prop_map(|v| v.concat())
}

/// Anything: hostile text, arbitrary strings, and strings of about 10 kB.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => hostile_text(),
        2 => any::<String>(),
        2 => vec(any::<char>(), 0..64).prop_map(String::from_iter),
        1 => vec(piece(), 2000..2600).prop_map(|v| v.concat()),
        1 => (piece(), 1usize..10_000).prop_map(|(p, n)| p.repeat(n.min(10_000 / p.len().max(1)))),
    ]
}

/// One edit to a (usually valid) value.
#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, char),
    Delete(Index),
    Replace(Index, char),
    Duplicate(Index),
    Pad(&'static str, &'static str),
    Upper,
    Lower,
}

/// Around a value: nothing, spaces, Unicode whitespace (NEL U+0085 is a C1 control *and*
/// White_Space, so `str::trim` removes it), and hostile characters.
const PADS: &[&str] = &[
    "", "", " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{85}", "\u{2028}", "\u{3000}", "\u{200b}",
    "\u{feff}", "\u{1b}", "\u{202e}",
];

fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![
        hostile_char(),
        select(NEIGHBOURS),
        select(LETTERS),
        (0x20u8..0x7f).prop_map(char::from),
        any::<char>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), edit_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        2 => any::<Index>().prop_map(Edit::Delete),
        3 => (any::<Index>(), edit_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
        1 => any::<Index>().prop_map(Edit::Duplicate),
        2 => (select(PADS), select(PADS)).prop_map(|(a, b)| Edit::Pad(a, b)),
        1 => Just(Edit::Upper),
        1 => Just(Edit::Lower),
    ]
}

fn apply(s: String, e: &Edit) -> String {
    let mut cs: Vec<char> = s.chars().collect();
    match e {
        Edit::Insert(i, c) => cs.insert(i.index(cs.len() + 1), *c),
        Edit::Delete(i) if !cs.is_empty() => {
            cs.remove(i.index(cs.len()));
        }
        Edit::Replace(i, c) if !cs.is_empty() => {
            let k = i.index(cs.len());
            cs[k] = *c;
        }
        Edit::Duplicate(i) if !cs.is_empty() => {
            let k = i.index(cs.len());
            cs.insert(k, cs[k]);
        }
        Edit::Pad(a, b) => return format!("{a}{s}{b}"),
        Edit::Upper => return s.to_uppercase(),
        Edit::Lower => return s.to_lowercase(),
        _ => {}
    }
    cs.into_iter().collect()
}

/// Mostly near the boundary: a value from `valid` (which itself straddles the limits) with up to
/// two edits; sometimes anything at all.
fn near<S: Strategy<Value = String>>(valid: S) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (valid, vec(edit(), 0..=2)).prop_map(|(s, edits)| edits.iter().fold(s, apply)),
        1 => any_text(),
    ]
}

fn chars_of(
    alphabet: &'static str,
    len: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = String> {
    vec(select(alphabet.chars().collect::<Vec<_>>()), len).prop_map(String::from_iter)
}

// ---------------------------------------------------------------------------------------------
// Checking a validator against its oracle
// ---------------------------------------------------------------------------------------------

/// The validator's verdict equals the oracle's (`Some(normalised value)` or `None`), an accepted
/// value is clean, and a refusal (which may quote the input) holds no raw hostile character.
fn verdict(
    input: &str,
    got: Result<String, String>,
    expected: Option<String>,
) -> Result<(), TestCaseError> {
    match &got {
        Ok(v) => prop_assert!(
            is_clean(v) && !v.chars().any(is_hostile),
            "{input:?} was accepted as {v:?}, which is not clean"
        ),
        Err(e) => prop_assert!(
            is_clean(e) && !e.chars().any(is_hostile),
            "{input:?}: the refusal {e:?} holds a raw control, bidi or zero-width character"
        ),
    }
    prop_assert_eq!(got.ok(), expected, "input {:?}", input);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Oracles of the validation rules
// ---------------------------------------------------------------------------------------------
//
// Every validator trims its input with `str::trim` (Unicode White_Space) and applies the rule to
// what is left; the oracles do the same. NOTE: White_Space includes U+0085 (NEL, a C1 control),
// U+2028/U+2029 and U+3000, so e.g. `PartnerId::parse("\u{85}4847383")` is Ok("4847383"): the C1
// control is dropped, never kept, so the accepted value is still clean.

/// §8.1: `^[0-9]{1,10}$`.
fn partner_id_rule(t: &str) -> Option<String> {
    ((1..=10).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.to_owned())
}

/// Five groups of 8-4-4-4-12 hex digits.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// §8.1 as written: `^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$` — each brace
/// optional on its own.
fn tenant_regex_8_1(t: &str) -> bool {
    let inner = t.strip_prefix('{').unwrap_or(t);
    is_guid(inner.strip_suffix('}').unwrap_or(inner))
}

/// A GUID, bare or in a pair of braces, normalised lowercase without braces.
///
/// DISAGREEMENT: the §8.1 pattern makes each brace optional on its own, so it accepts
/// `{484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1` and `484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1}`;
/// `TenantId::parse` refuses an unpaired brace. The property follows the code (pairs only) and
/// checks that whatever the code accepts, the §8.1 pattern accepts too.
fn tenant_rule(t: &str) -> Option<String> {
    let inner = match (t.strip_prefix('{'), t.strip_suffix('}')) {
        (Some(_), Some(_)) if t.len() >= 2 => &t[1..t.len() - 1],
        _ => t,
    };
    is_guid(inner).then(|| inner.to_ascii_lowercase())
}

/// ISO 3166-1 alpha-2: the 249 officially assigned codes (written out here from the standard,
/// independently of the list in ids.rs).
const ISO_3166: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// §8.1: an ISO 3166-1 alpha-2 code, uppercase. (Typed in any case; stored uppercase.)
fn country_rule(t: &str) -> Option<String> {
    let up = t.to_ascii_uppercase();
    ISO_3166.contains(&up.as_str()).then_some(up)
}

/// RFC 5322 `atext` besides letters and digits.
const ATEXT: &str = "!#$%&'*+-/=?^_`{|}~";

/// ids.rs: the addr-spec of RFC 5322 without comments or quoted local parts — a dot-atom of at
/// most 64 characters, one `@`, and a host name (labels of 1–63 letters, digits and inner
/// hyphens, at most 253 in all, an alphabetic top-level label of 2 or more); the domain
/// normalised lowercase.
///
/// DISAGREEMENT (for `operator_upn`, which uses this rule for UPNs): §5.1 limits a UPN to the
/// characters `A–Z a–z 0–9 ' . - _ ! # ^ ~` before the `@`, 48 characters after it and 113 in
/// all; `operator_upn` accepts `a+b@contoso.com`, `a{b}@contoso.com`, `a/b=c@contoso.com` and
/// a 60-character domain. The property follows the code.
fn email_rule(t: &str) -> Option<String> {
    let (local, domain) = t.split_once('@')?;
    if domain.contains('@') {
        return None;
    }
    let local_ok = (1..=64).contains(&local.len())
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || ATEXT.contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels[labels.len() - 1];
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic());
    (local_ok && domain_ok).then(|| format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// §5.3: not at microsoft.com (nor a subdomain), nor at the provider's own domain (nor a
/// subdomain). The caller passes the provider's domain lowercase (update.rs).
fn customer_email_rule(t: &str, provider: &str) -> Option<String> {
    let email = email_rule(t)?;
    let domain = email.rsplit_once('@').map(|(_, d)| d.to_owned())?;
    let at = |d: &str| domain == d || domain.ends_with(&format!(".{d}"));
    (!at("microsoft.com") && (provider.is_empty() || !at(provider))).then_some(email)
}

/// §5.3 / ids.rs: not one character, not only punctuation or spaces, at most 255 characters, no
/// control (nor bidi or zero-width) characters.
fn company_rule(t: &str) -> Option<String> {
    let n = t.chars().count();
    ((2..=255).contains(&n) && t.chars().any(char::is_alphanumeric) && !t.chars().any(is_hostile))
        .then(|| t.to_owned())
}

/// The standalone abbreviations refused as a whole company name. §5.3 names "llc, inc, …" and
/// leaves the full list to Partner Center's page, which the reference does not copy; this is the
/// list the code documents, written out again.
///
/// NOTE (reported): a trailing dot is forgiven (`Inc.`, `Ltd.` are refused) but dotted spellings
/// are not: `L.L.C.`, `S.A.`, `B.V.`, `N.V.` are accepted as company names.
const RESTRICTED: &[&str] = &[
    "llc", "inc", "ltd", "corp", "co", "plc", "gmbh", "ag", "sa", "srl", "bv", "nv", "pty",
    "limited",
];
/// §5.3: "a top-level-domain suffix such as .com or .org" (the code's list).
const TLDS: &[&str] = &[
    ".com", ".org", ".net", ".biz", ".info", ".io", ".co", ".gov",
];

/// §5.3 company name: the ids.rs rule, no standalone restricted abbreviation; and whether it is
/// warned about (a TLD suffix; one character repeated 3 or more times with nothing else; single
/// characters separated by spaces).
fn customer_company_rule(t: &str) -> Option<(String, bool)> {
    let name = company_rule(t)?;
    let lower = name.to_lowercase();
    if RESTRICTED.contains(&lower.trim_end_matches('.')) {
        return None;
    }
    let tld = TLDS.iter().any(|s| lower.ends_with(s));
    let compact: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let repeated = compact.len() >= 3 && compact.iter().all(|&c| c == compact[0]);
    let words: Vec<&str> = name.split_whitespace().collect();
    let spaced = words.len() >= 2 && words.iter().all(|w| w.chars().count() == 1);
    Some((name, tld || repeated || spaced))
}

/// §8.2 / customer.rs: 1 to 50 characters, no control characters.
fn person_name_rule(t: &str) -> Option<String> {
    let n = t.chars().count();
    ((1..=50).contains(&n) && !t.chars().any(is_hostile)).then(|| t.to_owned())
}

/// customer.rs: at most `max` characters, no control characters, empty only when not required.
fn text_line_rule(t: &str, max: usize, required: bool) -> Option<String> {
    let n = t.chars().count();
    ((!required || n > 0) && n <= max && !t.chars().any(is_hostile)).then(|| t.to_owned())
}

/// §1.1 / §5.3: the 24 countries where phone and registration number are required (written out
/// again from the reference).
const PHONE_REQUIRED: &[&str] = &[
    "AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA", "IN", "BR", "ZA", "PL", "AE",
    "SA", "TR", "TH", "VN", "MM", "IQ", "SS", "VE",
];

/// customer.rs: digits with the usual separators (space `+ - ( ) .`), 7 to 15 digits; empty is
/// no phone, refused where it is required.
///
/// NOTE (reported): the refusal says "Digits, spaces and + - ( ) only." but `.` is accepted too
/// (`555.0100.12` is Ok); and any arrangement of the separators passes (`+++1234567`, `1234567(`).
fn phone_rule(t: &str, country: &str) -> Option<Option<String>> {
    if t.is_empty() {
        return (!PHONE_REQUIRED.contains(&country)).then_some(None);
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    (t.chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && (7..=15).contains(&digits))
    .then(|| Some(t.to_owned()))
}

/// §1 / customer.rs: required in the 24 countries, refused elsewhere (600002); when given, a clean
/// line of at most 30 characters.
///
/// NOTE: with no country chosen yet (`""`) a number is accepted (the doc comment says "refused
/// elsewhere" and does not mention it). The reference's 600050 "wrong format (show the regex)"
/// has no counterpart: no country's format is checked.
fn registration_rule(t: &str, country: &str) -> Option<Option<String>> {
    let required = PHONE_REQUIRED.contains(&country);
    match (t.is_empty(), required) {
        (true, true) => None,
        (true, false) => Some(None),
        (false, false) if !country.is_empty() => None,
        (false, _) => text_line_rule(t, 30, true).map(Some),
    }
}

/// customer.rs: "a culture such as en-US": two lowercase letters, a dash, two uppercase letters.
///
/// DISAGREEMENT: §5.3 and §8.1 say the culture must come from Partner Center's supported-locales
/// table for the country; `customer::culture` checks the shape only, so `xx-QQ` (and `en-KP`
/// for any country) is accepted. The property follows the code.
fn culture_rule(t: &str) -> Option<String> {
    let b = t.as_bytes();
    (b.len() == 5
        && b[..2].iter().all(u8::is_ascii_lowercase)
        && b[2] == b'-'
        && b[3..].iter().all(u8::is_ascii_uppercase))
    .then(|| t.to_owned())
}

/// §8.1: two lowercase letters.
fn language_rule(t: &str) -> Option<String> {
    (t.len() == 2 && t.bytes().all(|b| b.is_ascii_lowercase())).then(|| t.to_owned())
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

fn calendar(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    let years = i64::from(NaiveDate::MIN.year())..=i64::from(NaiveDate::MAX.year());
    if !years.contains(&y) || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32);
    assert!(
        date.is_some(),
        "the oracle's calendar and chrono disagree on {y}-{m}-{d}"
    );
    date
}

/// The doc comment's rule, strictly: `YYYY-MM-DD`, a real date.
fn date_strict(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let n = |r: std::ops::Range<usize>| t[r].parse::<i64>().ok();
    calendar(n(0..4)?, n(5..7)?, n(8..10)?)
}

/// Up to `max` ASCII digits (at least one), as chrono's `scan::number` reads them.
fn digits(s: &str, max: usize) -> Option<(i64, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for b in s[..n].bytes() {
        v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some((v, &s[n..]))
}

/// What `agreement_date` accepts: chrono's `%Y-%m-%d`, which is more lenient than `YYYY-MM-DD`.
///
/// DISAGREEMENT: the doc comment (and the refusal) say YYYY-MM-DD, but `NaiveDate::parse_from_str`
/// with `%Y-%m-%d` takes a year of 1–4 digits or a signed year of any length, a month and day of
/// 1–2 digits, and skips Unicode whitespace before the month and the day. So `2026-1-5`,
/// `26-11-26` (the year 26), `+2026-11-26`, `-0001-01-01`, `2026- 11-26`, `2026-\u{3000}11-26`
/// and `2026-\u{85}11-26` (a C1 control inside) are all accepted. The property follows the code
/// and separately checks that every strict YYYY-MM-DD date is accepted as itself.
fn date_lenient(t: &str) -> Option<NaiveDate> {
    let (y, rest) = if let Some(r) = t.strip_prefix('-') {
        let (v, r) = digits(r, usize::MAX)?;
        (-v, r)
    } else if let Some(r) = t.strip_prefix('+') {
        digits(r, usize::MAX)?
    } else {
        digits(t, 4)?
    };
    let (m, rest) = digits(rest.strip_prefix('-')?.trim_start(), 2)?;
    let (d, rest) = digits(rest.strip_prefix('-')?.trim_start(), 2)?;
    if !rest.is_empty() {
        return None;
    }
    calendar(y, m, d)
}

/// What `token_from` takes for the token: the text after the first `token=` up to `&` or `#`, or
/// the whole text when there is no `token=`; letters and digits only; lowercased.
///
/// DISAGREEMENT: the doc comment says "the token in a pasted link", i.e. the `token` query
/// parameter, but the code looks for the first `token=` anywhere, so a link whose base URL (which
/// `invitations.base_url` makes configurable) has a parameter ending in `token` yields the wrong
/// value: `token_from("https://x/?csrftoken=aaa&token=bbb")` is `Some("aaa")`. The property
/// follows the code; the link round trip below keeps `token=` out of its base URLs.
fn token_rule(t: &str) -> Option<String> {
    let token = match t.find("token=") {
        Some(at) => t[at + "token=".len()..]
            .split(['&', '#'])
            .next()
            .unwrap_or(""),
        None => t,
    };
    (!token.is_empty() && token.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| token.to_ascii_lowercase())
}

/// operators.rs: a UPN (the email rule), or a plain account name of 1–64 letters, digits and
/// `. _ -`.
fn upn_rule(t: &str) -> Option<String> {
    if t.contains('@') {
        return email_rule(t);
    }
    ((1..=64).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)))
    .then(|| t.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Valid (and nearly valid) values
// ---------------------------------------------------------------------------------------------

const DIGITS: &str = "0123456789";
const HEX: &str = "0123456789abcdefABCDEF";
const ALNUM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ATOM: &str = "abcxyzABCXYZ0189!#$%&'*+-/=?^_`{|}~";

fn guid_like() -> impl Strategy<Value = String> {
    let group = |n: usize| {
        prop_oneof![8 => Just(n), 1 => Just(n - 1), 1 => Just(n + 1)]
            .prop_flat_map(|k| chars_of(HEX, k..=k))
    };
    let braces: &[(&str, &str)] = &[
        ("", ""),
        ("", ""),
        ("{", "}"),
        ("{", ""),
        ("", "}"),
        ("(", ")"),
    ];
    (
        (group(8), group(4), group(4), group(4), group(12)),
        select(braces),
    )
        .prop_map(|((a, b, c, d, e), (l, r))| format!("{l}{a}-{b}-{c}-{d}-{e}{r}"))
}

fn local_part() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (chars_of(ATOM, 1..=10), vec(chars_of(ALNUM, 1..=6), 0..=2))
            .prop_map(|(a, rest)| std::iter::once(a).chain(rest).collect::<Vec<_>>().join(".")),
        2 => chars_of("abcdefghij0123456789", 60..=66),
        1 => chars_of("ab.", 1..=6),
    ]
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => (chars_of(ALNUM, 1..=1), chars_of("abc019-", 0..=6), chars_of(ALNUM, 0..=1))
            .prop_map(|(a, b, c)| format!("{a}{b}{c}")),
        2 => chars_of("abcdefghijklmnopqrstuvwxyz", 61..=64),
    ]
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (
            vec(label(), 1..=4),
            prop_oneof![4 => "[a-zA-Z]{2,6}", 1 => "[a-z0-9]{1,3}"],
        )
            .prop_map(|(mut labels, tld)| {
                labels.push(tld);
                labels.join(".")
            }),
        1 => (250usize..=256).prop_map(domain_of_len),
    ]
}

/// A host name of exactly `n` characters: 63-character labels and a two-letter top level.
fn domain_of_len(n: usize) -> String {
    let mut labels = Vec::new();
    let mut left = n - 3;
    while left > 0 {
        let mut k = left.min(63);
        if left - k == 1 {
            k -= 1;
        }
        labels.push("x".repeat(k));
        left -= k;
        left = left.saturating_sub(1);
    }
    let domain = labels.join(".") + ".ab";
    assert_eq!(domain.len(), n);
    domain
}

fn email_like() -> impl Strategy<Value = String> {
    (local_part(), domain()).prop_map(|(l, d)| format!("{l}@{d}"))
}

const SPECIAL_DOMAINS: &[&str] = &[
    "microsoft.com",
    "MICROSOFT.COM",
    "Sub.Microsoft.com",
    "notmicrosoft.com",
    "microsoft.com.example",
    "microsoft.co",
    "northwind.example",
    "mail.northwind.example",
    "xnorthwind.example",
    "northwind.example.org",
    "contoso.com",
];
const PROVIDER_DOMAINS: &[&str] = &["", "northwind.example", "contoso.com", "co.uk"];

fn company_like() -> impl Strategy<Value = String> {
    let examples: &[&str] = &[
        "999",
        "aaa",
        "a a a",
        "1 2 3",
        "Contoso.com",
        "contoso.IO",
        "ab",
        "a",
        "..",
        "--",
        "中国",
        "😀😀",
        "²³",
        "L.L.C.",
        "S.A.",
        "Inc..",
        "Co., Ltd.",
        "Fabrikam, Inc.",
        "A&B",
    ];
    prop_oneof![
        4 => "[A-Za-z0-9][A-Za-z0-9 .,&'()-]{0,20}",
        2 => (250usize..=258).prop_flat_map(|n| chars_of("abcü中 ", n..=n)),
        2 => (select(RESTRICTED), "[.]{0,3}").prop_map(|(w, dots)| format!("{w}{dots}")),
        2 => select(examples).prop_map(String::from),
        1 => "[.,!?&-]{1,5}",
        1 => "(. ){1,4}.",
    ]
}

/// A config file's text, built from TOML-ish fragments: real keys and tables, typos, values of the
/// right and wrong types, strings with escapes, broken quoting.
fn tomlish() -> impl Strategy<Value = String> {
    let fragments: &[&str] = &[
        "[roles]\n",
        "[invitations]\n",
        "[invitation]\n",
        "[[roles]]\n",
        "[roles.x]\n",
        "operator = ",
        "operater = ",
        "Operator = ",
        "db = ",
        "dbs = ",
        "mail_command = ",
        "mail-command = ",
        "expiry_days = ",
        "expiry_day = ",
        "base_url = ",
        "place-orders = ",
        "manage-users = ",
        "fly = ",
        "\"\\u001b]0;pwned\\u0007\" = ",
        "\"\\u202e\" = ",
        "\"ava@example.com\"",
        "\"\\u001b[2J\"",
        "\"\\u009b31m\"",
        "\"\\u200b\"",
        "\"https://partner.example/i\"",
        "\"ftp://x\"",
        "'literal'",
        "'''multi\nline'''",
        "\"\"\"",
        "\"",
        "'",
        "30",
        "0",
        "-1",
        "4294967296",
        "1e3",
        "true",
        "[\"global-admin\"]",
        "[\"global-admin\", \"sales-agent\"]",
        "[\"boss\"]",
        "[]",
        "{ }",
        "{ a = 1 }",
        "2026-11-26",
        "\n",
        "\n",
        "\r\n",
        " = ",
        "=",
        ".",
        "a.b = 1\n",
        "# comment\n",
        "\\",
        "\\u",
        "\\uD800",
    ];
    vec(
        prop_oneof![
            8 => select(fragments).prop_map(String::from),
            2 => piece(),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

// ---------------------------------------------------------------------------------------------
// The sanitiser
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn clean_defuses_every_hostile_character_and_keeps_the_rest(s in any_text()) {
        let out = clean(&s);
        prop_assert!(!out.chars().any(is_hostile), "{s:?} -> {out:?}");
        prop_assert_eq!(out.as_ref(), clean_oracle(&s, false), "input {:?}", s);
        // Idempotent, and `is_clean` is exactly "clean would not change it".
        prop_assert_eq!(clean(&out).into_owned(), out.as_ref());
        prop_assert!(matches!(clean(&out), Cow::Borrowed(_)));
        prop_assert_eq!(is_clean(&s), out == s);
        prop_assert!(is_clean(&out));
        prop_assert_eq!(cleaned(s.clone()), out.as_ref());
    }

    #[test]
    fn printable_text_is_kept_as_it_is(s in any_text()) {
        let printable: String = s.chars().filter(|&c| !is_hostile(c)).collect();
        prop_assert!(matches!(clean(&printable), Cow::Borrowed(p) if p == printable));
        prop_assert!(matches!(escaped(&printable), Cow::Borrowed(p) if p == printable));
        prop_assert!(is_clean(&printable));
        // Without `\r` (which `clean_multiline` turns into `\n` or U+FFFD), newlines too.
        let with_lines: String = s.chars().filter(|&c| c == '\n' || !is_hostile(c)).collect();
        prop_assert!(matches!(clean_multiline(&with_lines), Cow::Borrowed(p) if p == with_lines));
    }

    #[test]
    fn clean_multiline_keeps_only_newlines(s in any_text()) {
        let out = clean_multiline(&s);
        prop_assert!(!out.chars().any(|c| c != '\n' && is_hostile(c)), "{s:?} -> {out:?}");
        let want = clean_oracle(&s.replace("\r\n", "\n"), true);
        prop_assert_eq!(out.as_ref(), want, "input {:?}", s);
        prop_assert_eq!(clean_multiline(&out).into_owned(), out.as_ref());
        prop_assert_eq!(out.matches('\n').count(), s.matches('\n').count());
        // One line each: the lines of `clean_multiline` are the lines `clean` would make.
        prop_assert_eq!(
            out.split('\n').map(|l| clean(l).into_owned()).collect::<Vec<_>>(),
            out.split('\n').map(str::to_owned).collect::<Vec<_>>()
        );
    }

    #[test]
    fn escaped_shows_each_hostile_character_as_its_escape(s in any_text()) {
        let out = escaped(&s);
        prop_assert!(!out.chars().any(is_hostile), "{s:?} -> {out:?}");
        prop_assert!(is_clean(&out));
        prop_assert_eq!(out.as_ref(), escaped_oracle(&s), "input {:?}", s);
        prop_assert_eq!(matches!(out, Cow::Borrowed(_)), is_clean(&s));
        // Round trip. NOTE: only for text without a backslash of its own: a typed `\u{1b}` and a
        // real ESC are escaped alike (`escaped("\\u{1b}") == escaped("\u{1b}")`), so the reader
        // can't tell them apart, although the doc comment says the reader "sees exactly what was
        // typed".
        if !s.contains('\\') {
            prop_assert_eq!(unescape(&out), Some(s.clone()));
        }
    }

    /// Two texts (without backslashes) that differ — often by one edit — are escaped differently.
    #[test]
    fn escaped_text_is_injective_without_backslashes(
        a in any_text(),
        e in edit(),
        b in any_text(),
    ) {
        let a = a.replace('\\', "");
        for b in [apply(a.clone(), &e).replace('\\', ""), b.replace('\\', "")] {
            prop_assert_eq!(escaped(&a) == escaped(&b), a == b, "{:?} and {:?}", a, b);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The validators
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// Nothing panics, whatever the text and the second argument; an accepted value is clean and
    /// a refusal holds no raw hostile character.
    #[test]
    fn no_validator_panics_and_none_lets_a_hostile_character_through(
        s in any_text(),
        other in prop_oneof![select(PHONE_REQUIRED).prop_map(String::from), any_text()],
        max in 0usize..300,
        required in any::<bool>(),
        days in -1_000_000i64..1_000_000,
    ) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap() + chrono::Duration::days(days);
        // The second argument (a country code, the provider's domain) comes from the program, not
        // from what was typed, and a refusal may name it: it must not panic when raw, and it is
        // passed clean where the refusal's cleanliness is checked.
        let _ = customer::customer_email(&s, &other);
        let _ = customer::phone(&s, &other);
        let _ = customer::registration_number(&s, &other);
        let _ = customer::text_line(&s, &other, max, required);
        let _ = customer::person_name(&s, &other);
        let results: Vec<(&str, Result<String, String>)> = vec![
            ("PartnerId", PartnerId::parse(&s).map(|v| v.to_string())),
            ("PartnerId warning", PartnerId::parse(&s).map(|v| v.warning().unwrap_or_default())),
            ("TenantId", TenantId::parse(&s).map(|v| v.to_string())),
            ("Country", Country::parse(&s).map(|v| v.to_string())),
            ("Email", Email::parse(&s).map(|v| v.to_string())),
            ("Email domain", Email::parse(&s).map(|v| v.domain().to_owned())),
            ("ids::company_name", ids::company_name(&s)),
            ("domain_prefix", customer::domain_prefix(&s)),
            ("company_name", customer::company_name(&s).map(|(n, w)| n + &w.unwrap_or_default())),
            ("customer_email", customer::customer_email(&s, &clean(&other)).map(|v| v.to_string())),
            ("person_name", customer::person_name(&s, "first name")),
            ("text_line", customer::text_line(&s, "city", max, required)),
            ("phone", customer::phone(&s, &clean(&other)).map(Option::unwrap_or_default)),
            (
                "registration_number",
                customer::registration_number(&s, &clean(&other)).map(Option::unwrap_or_default),
            ),
            ("culture", customer::culture(&s)),
            ("language", customer::language(&s)),
            ("agreement_date", customer::agreement_date(&s, today).map(|d| d.to_string())),
            ("token_from", found(invitation::token_from(&s))),
            ("operator_upn", operator_upn(&s)),
        ];
        for (what, result) in results {
            match result {
                Ok(v) => prop_assert!(is_clean(&v), "{what}({s:?}) accepted {v:?}"),
                Err(e) => prop_assert!(is_clean(&e), "{what}({s:?}) refused with raw text: {e:?}"),
            }
        }
    }

    #[test]
    fn partner_id(s in near(prop_oneof![chars_of(DIGITS, 0..=12), chars_of(DIGITS, 5..=8)])) {
        let t = s.trim();
        let parsed = PartnerId::parse(&s);
        if let Ok(id) = &parsed {
            prop_assert_eq!(id.warning().is_some(), !(6..=7).contains(&t.len()));
        }
        verdict(&s, parsed.map(|v| v.to_string()), partner_id_rule(t))?;
    }

    #[test]
    fn tenant_id(s in near(guid_like())) {
        let t = s.trim();
        let expected = tenant_rule(t);
        // Whatever the code accepts, §8.1's pattern accepts (see `tenant_rule`).
        prop_assert!(expected.is_none() || tenant_regex_8_1(t));
        verdict(&s, TenantId::parse(&s).map(|v| v.to_string()), expected)?;
    }

    #[test]
    fn country(s in near(prop_oneof![select(ISO_3166).prop_map(String::from), "[A-Za-z]{1,3}"])) {
        verdict(&s, Country::parse(&s).map(|v| v.to_string()), country_rule(s.trim()))?;
    }

    #[test]
    fn email(s in near(email_like())) {
        verdict(&s, Email::parse(&s).map(|v| v.to_string()), email_rule(s.trim()))?;
    }

    #[test]
    fn customer_email(
        s in near(prop_oneof![
            email_like(),
            (local_part(), select(SPECIAL_DOMAINS)).prop_map(|(l, d)| format!("{l}@{d}")),
        ]),
        provider in select(PROVIDER_DOMAINS),
    ) {
        verdict(
            &s,
            customer::customer_email(&s, provider).map(|v| v.to_string()),
            customer_email_rule(s.trim(), provider),
        )?;
    }

    #[test]
    fn domain_prefix(s in near(prop_oneof![chars_of(ALNUM, 0..=29), chars_of(ALNUM, 26..=28)])) {
        // §5.2 / §8.1: `^[A-Za-z0-9]{1,27}$`, stored lowercase.
        let t = s.trim();
        let expected = ((1..=27).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| t.to_ascii_lowercase());
        verdict(&s, customer::domain_prefix(&s), expected)?;
    }

    #[test]
    fn company_names(s in near(company_like())) {
        let t = s.trim();
        verdict(&s, ids::company_name(&s), company_rule(t))?;
        let got = customer::company_name(&s);
        let expected = customer_company_rule(t);
        prop_assert_eq!(
            got.as_ref().ok().map(|(n, w)| (n.clone(), w.is_some())),
            expected.clone(),
            "input {:?}", s
        );
        verdict(&s, got.map(|(n, _)| n), expected.map(|(n, _)| n))?;
    }

    #[test]
    fn person_name(s in near("[A-Za-zü中' -]{0,52}")) {
        verdict(&s, customer::person_name(&s, "first name"), person_name_rule(s.trim()))?;
    }

    #[test]
    fn text_line(
        (s, max) in select(&[1usize, 2, 30, 200][..])
            .prop_flat_map(|max| (near(chars_of("abc ü中,.", 0..=max + 2)), Just(max))),
        required in any::<bool>(),
    ) {
        let got = customer::text_line(&s, "address line 1", max, required);
        verdict(&s, got, text_line_rule(s.trim(), max, required))?;
    }

    #[test]
    fn phone(
        s in near(prop_oneof![
            Just(String::new()),
            "\\+?[0-9]{1,3}[ .-]?\\(?[0-9]{2,4}\\)?[ .-]?[0-9]{2,5}[ .-]?[0-9]{0,5}",
            chars_of(DIGITS, 5..=17),
        ]),
        country in prop_oneof![select(PHONE_REQUIRED), select(&["US", "CA", "DE", ""][..])],
    ) {
        let t = s.trim();
        let got = customer::phone(&s, country);
        prop_assert_eq!(got.clone().ok(), phone_rule(t, country), "input {:?} in {:?}", s, country);
        let want = phone_rule(t, country).map(Option::unwrap_or_default);
        verdict(&s, got.map(Option::unwrap_or_default), want)?;
    }

    #[test]
    fn registration_number(
        s in near(prop_oneof![Just(String::new()), "[A-Z0-9-]{1,32}"]),
        country in prop_oneof![select(PHONE_REQUIRED), select(&["US", "CA", "DE", ""][..])],
    ) {
        let t = s.trim();
        let got = customer::registration_number(&s, country);
        let want = registration_rule(t, country);
        prop_assert_eq!(got.clone().ok(), want.clone(), "input {:?} in {:?}", s, country);
        verdict(&s, got.map(Option::unwrap_or_default), want.map(Option::unwrap_or_default))?;
    }

    #[test]
    fn culture_and_language(
        c in near(prop_oneof!["[a-z]{2}-[A-Z]{2}", "[a-zA-Z]{1,3}[-_][a-zA-Z]{1,3}"]),
        l in near("[a-zA-Z]{1,3}"),
    ) {
        verdict(&c, customer::culture(&c), culture_rule(c.trim()))?;
        verdict(&l, customer::language(&l), language_rule(l.trim()))?;
    }

    #[test]
    fn agreement_date(
        s in near(prop_oneof![
            (prop_oneof![2023i64..=2029, 0i64..=9999], 0i64..=13, 0i64..=32)
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            (select(&["", "+", "-", "0"][..]), 0i64..=30_000, 0i64..=13, 0i64..=32)
                .prop_map(|(sign, y, m, d)| format!("{sign}{y}-{m}-{d}")),
        ]),
        today in (0i64..=2_500)
            .prop_map(|d| NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Duration::days(d)),
    ) {
        let t = s.trim();
        let got = customer::agreement_date(&s, today);
        let expected = date_lenient(t).filter(|d| *d <= today);
        prop_assert_eq!(got.clone().ok(), expected, "input {:?}, today {}", s, today);
        if let Some(strict) = date_strict(t) {
            prop_assert_eq!(got.clone().ok(), (strict <= today).then_some(strict), "input {:?}", s);
        }
        if let Err(e) = got {
            prop_assert!(is_clean(&e));
        }
    }

    #[test]
    fn agreement_date_today_is_the_last_day(days in -800_000i64..800_000) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap() + chrono::Duration::days(days);
        let text = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        if (0..=9999).contains(&today.year()) {
            prop_assert_eq!(customer::agreement_date(&text(today), today), Ok(today));
            if let Some(tomorrow) = today.succ_opt() {
                prop_assert!(customer::agreement_date(&text(tomorrow), today).is_err());
            }
        }
    }

    #[test]
    fn invitation_token(
        s in near(prop_oneof![
            chars_of("abcdefghijklmnopqrstuvwxyz234567", 32..=32),
            chars_of(ALNUM, 0..=40),
            (any::<[u8; 20]>(), guid_like()).prop_map(|(b, t)| invitation::link(
                "https://partner.microsoft.com/dashboard/v2/indirectpartners/invitation",
                &t,
                &invitation::token_from_bytes(b),
            )),
            (
                select(&["token", "csrftoken", "tok", "Token"][..]),
                chars_of(ALNUM, 0..=6),
                chars_of(ALNUM, 0..=6),
            )
                .prop_map(|(p, a, b)| format!("https://x.example/?{p}={a}&token={b}#f")),
        ]),
    ) {
        verdict(&s, found(invitation::token_from(&s)), token_rule(s.trim()))?;
    }

    /// The token of a link twotier made comes back out of it, from any base URL without a
    /// `token=` of its own (see the DISAGREEMENT at `token_rule`).
    #[test]
    fn invitation_link_round_trip(
        bytes in any::<[u8; 20]>(),
        tenant in guid_like(),
        base in prop_oneof![
            Just(
                "https://partner.microsoft.com/dashboard/v2/indirectpartners/invitation".to_owned()
            ),
            concat!(
                "https://[a-z]{1,8}\\.example/[a-z/]{0,8}",
                "(\\?[a-z]{1,5}=[a-z0-9]{0,4}(&[a-z]{1,5}=[a-z0-9]{0,4}){0,2})?",
            ),
        ],
    ) {
        prop_assume!(!base.contains("token="));
        let token = invitation::token_from_bytes(bytes);
        prop_assert_eq!(token.len(), 32);
        prop_assert!(token.bytes().all(|b| b"abcdefghijklmnopqrstuvwxyz234567".contains(&b)));
        let link = invitation::link(&base, &tenant, &token);
        prop_assert_eq!(invitation::token_from(&link), Some(token.clone()));
        prop_assert_eq!(invitation::token_from(&format!("  {link}\n")), Some(token.clone()));
        prop_assert_eq!(invitation::token_from(&token.to_ascii_uppercase()), Some(token));
    }

    #[test]
    fn operator_upns(
        s in near(prop_oneof![
            email_like(),
            chars_of("abcXYZ019._-", 1..=8),
            chars_of("abcdefghij", 62..=66),
        ]),
    ) {
        let t = s.trim();
        let got = operator_upn(&s);
        if let Err(e) = &got
            && t.contains('@')
        {
            prop_assert!(e.starts_with("UPN: "), "{e}");
        }
        verdict(&s, got, upn_rule(t))?;
    }
}

/// `token_from`'s `Option` as a verdict (`Err("")` for `None`).
fn found(token: Option<String>) -> Result<String, String> {
    token.ok_or_else(String::new)
}

/// Every two-letter pair, in every case, against the ISO list written out here.
#[test]
fn countries_exhaustively() {
    assert_eq!(ISO_3166.len(), 249);
    for a in 'A'..='Z' {
        for b in 'A'..='Z' {
            let code = format!("{a}{b}");
            let known = ISO_3166.contains(&code.as_str());
            for typed in [
                code.clone(),
                code.to_ascii_lowercase(),
                format!("{a}{}", b.to_ascii_lowercase()),
                format!(" {code}\t"),
            ] {
                assert_eq!(
                    Country::parse(&typed).map(|c| c.to_string()).ok(),
                    known.then(|| code.clone()),
                    "{typed:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The config loader
// ---------------------------------------------------------------------------------------------

const PERMISSIONS: &[&str] = &[
    "view-resellers",
    "manage-partnerships",
    "remove-partnership",
    "edit-compliance",
    "add-customer",
    "place-orders",
    "change-reseller",
    "set-support-contact",
    "manage-users",
];
const ROLES: &[&str] = &[
    "global-admin",
    "user-admin",
    "admin-agent",
    "sales-agent",
    "billing-admin",
    "helpdesk-agent",
];
/// Keys that are not permissions, and values that are not roles.
const NOT_PERMISSIONS: &[&str] = &[
    "place-order",
    "Place-Orders",
    "fly",
    "\u{1b}[2J",
    "\u{202e}x",
    "manage_users",
];
const NOT_ROLES: &[&str] = &[
    "boss",
    "Global-Admin",
    "global_admin",
    "\u{1b}]0;x\u{7}",
    "\u{9b}",
];

/// A TOML basic string; controls always, other hostile characters when `escape_all`, as `\uXXXX`.
fn toml_string(s: &str, escape_all: bool) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' || c == '\u{7f}' || (escape_all && is_hostile(c)) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A config file's content, to render as TOML and to know what parsing it must give.
#[derive(Debug, Clone)]
struct Spec {
    operator: Option<String>,
    db: Option<String>,
    mail_command: Option<String>,
    base_url: Option<String>,
    expiry_days: Option<u32>,
    roles: BTreeMap<String, Vec<String>>,
    escape_all: bool,
    invitations_table: bool,
}

impl Spec {
    /// The file, one entry per line; `[invitations]` and `[roles]` follow the top-level keys.
    fn lines(&self) -> Vec<String> {
        let s = |v: &str| toml_string(v, self.escape_all);
        let mut lines = Vec::new();
        if let Some(v) = &self.operator {
            lines.push(format!("operator = {}", s(v)));
        }
        if let Some(v) = &self.db {
            lines.push(format!("db = {}", s(v)));
        }
        if let Some(v) = &self.mail_command {
            lines.push(format!("mail_command = {}", s(v)));
        }
        if self.invitations_table || self.base_url.is_some() || self.expiry_days.is_some() {
            lines.push("[invitations]".into());
            if let Some(v) = &self.base_url {
                lines.push(format!("base_url = {}", s(v)));
            }
            if let Some(v) = self.expiry_days {
                lines.push(format!("expiry_days = {v}"));
            }
        }
        if !self.roles.is_empty() {
            lines.push("[roles]".into());
            for (k, roles) in &self.roles {
                let roles: Vec<String> = roles.iter().map(|r| s(r)).collect();
                lines.push(format!("{} = [{}]", s(k), roles.join(", ")));
            }
        }
        lines
    }

    /// The documented rules: every key optional; `expiry_days` at least 1; `base_url` http(s);
    /// `[roles]` keys are permissions, values roles, and `manage-users` keeps `global-admin`.
    /// Ok: the config; Err: every key that breaks a rule (the message must name one of them).
    fn expected(&self) -> Result<Config, Vec<String>> {
        let mut wrong = Vec::new();
        if self.expiry_days == Some(0) {
            wrong.push("invitations.expiry_days".to_owned());
        }
        if let Some(url) = &self.base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            wrong.push("invitations.base_url".to_owned());
        }
        for (k, roles) in &self.roles {
            if !PERMISSIONS.contains(&k.as_str())
                || roles.iter().any(|r| !ROLES.contains(&r.as_str()))
                || (k == "manage-users" && !roles.iter().any(|r| r == "global-admin"))
            {
                wrong.push(format!("roles.{k}"));
            }
        }
        if !wrong.is_empty() {
            return Err(wrong);
        }
        Ok(Config {
            operator: self.operator.clone(),
            db: self.db.clone().map(PathBuf::from),
            mail_command: self.mail_command.clone(),
            invitations: InvitationConfig {
                base_url: self.base_url.clone(),
                expiry_days: self.expiry_days,
            },
            roles: self.roles.clone(),
            partner_center: None,
        })
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    let value = || prop::option::of(prop_oneof![hostile_text(), "[a-z@./ -]{0,20}"]);
    let url = prop::option::of(prop_oneof![
        Just("https://partner.microsoft.com/dashboard/v2/indirectpartners/invitation".to_owned()),
        (
            select(&["https://", "http://", "ftp://", "HTTPS://", "", "https:/"][..]),
            hostile_text()
        )
            .prop_map(|(a, b)| format!("{a}{b}")),
    ]);
    let days = prop::option::of(prop_oneof![Just(0u32), 1u32..=400, Just(u32::MAX)]);
    let role_key = prop_oneof![8 => select(PERMISSIONS), 1 => select(NOT_PERMISSIONS)];
    let role = prop_oneof![12 => select(ROLES), 1 => select(NOT_ROLES)];
    let roles = btree_map(
        role_key.prop_map(String::from),
        vec(role.prop_map(String::from), 0..4),
        0..4,
    );
    (
        (value(), value(), value()),
        (url, days, roles),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                (operator, db, mail_command),
                (base_url, expiry_days, roles),
                escape_all,
                invitations_table,
            )| Spec {
                operator,
                db,
                mail_command,
                base_url,
                expiry_days,
                roles,
                escape_all,
                invitations_table,
            },
        )
}

/// The error names a line: `line N (...)` with N within the text.
fn named_line(err: &str, text: &str) -> Option<usize> {
    let n: usize = err.strip_prefix("line ")?.split(' ').next()?.parse().ok()?;
    (1..=text.matches('\n').count() + 1)
        .contains(&n)
        .then_some(n)
}

proptest! {
    #![proptest_config(config())]

    /// Never panics; any refusal is one clean line (no raw control, bidi or zero-width character,
    /// whatever the file held); text that is not TOML is refused naming its line.
    #[test]
    fn config_parse_never_panics_and_refuses_in_clean_words(
        text in prop_oneof![3 => tomlish(), 1 => any_text()],
    ) {
        let result = Config::parse(&text);
        if let Err(e) = &result {
            prop_assert!(is_clean(e) && !e.chars().any(is_hostile), "{text:?}: {e:?}");
        }
        if toml::from_str::<toml::Table>(&text).is_err() {
            let e = result.as_ref().err();
            prop_assert!(
                e.is_some_and(|e| named_line(e, &text).is_some()),
                "{text:?} is not TOML, but: {result:?}"
            );
        }
    }

    /// A file of known keys parses to exactly what it says, or is refused naming a key that breaks
    /// a rule.
    #[test]
    fn config_parse_accepts_exactly_the_documented_keys(spec in spec()) {
        let text = spec.lines().join("\n") + "\n";
        let got = Config::parse(&text);
        match (spec.expected(), &got) {
            (Ok(want), Ok(got)) => prop_assert_eq!(got, &want),
            (Err(keys), Err(e)) => {
                prop_assert!(is_clean(e), "{e:?}");
                prop_assert!(
                    keys.iter().any(|k| e.contains(escaped(k).as_ref())),
                    "{text:?}: {e:?} names none of {keys:?}"
                );
            }
            (want, _) => prop_assert!(false, "{text:?}: expected {want:?}, got {got:?}"),
        }
    }

    /// An unknown key, at the top or in `[invitations]` — a typo, or a name full of escapes — is
    /// refused with its line and its name (escaped).
    ///
    /// NOTE (reported): README says a typo "is reported with the file, the line and the key"; for
    /// `[roles]` (an unknown permission: `[roles]\nplace-order = []`) and for the value rules
    /// (`expiry_days = 0`, `base_url = "ftp://x"`) the message names the key but no line. The
    /// previous property checks those name the key.
    #[test]
    fn config_parse_refuses_unknown_keys_with_line_and_name(
        spec in spec(),
        key in prop_oneof![
            select(&[
                "operater", "Operator", "dbs", "mail-command", "mail_comand", "expiry_day",
                "expiry-days", "base-url", "baseurl", "invitation", "role", "roles ", "",
            ][..]).prop_map(String::from),
            "[a-z_-]{1,12}",
            hostile_text(),
        ],
        in_invitations in any::<bool>(),
        at in any::<Index>(),
    ) {
        let top = ["operator", "db", "mail_command", "invitations", "roles"];
        let inv = ["base_url", "expiry_days"];
        prop_assume!(!(if in_invitations { &inv[..] } else { &top[..] }).contains(&key.as_str()));
        let mut lines = spec.lines();
        let first_table = lines.iter().position(|l| l.starts_with('[')).unwrap_or(lines.len());
        let line = if in_invitations {
            let header = match lines.iter().position(|l| l == "[invitations]") {
                Some(h) => h,
                None => {
                    lines.insert(first_table, "[invitations]".into());
                    first_table
                }
            };
            let end = lines[header + 1..]
                .iter()
                .position(|l| l.starts_with('['))
                .map_or(lines.len(), |e| header + 1 + e);
            header + 1 + at.index(end - header)
        } else {
            at.index(first_table + 1)
        };
        lines.insert(line, format!("{} = 1", toml_string(&key, spec.escape_all)));
        let text = lines.join("\n") + "\n";
        let err = Config::parse(&text);
        prop_assert!(err.is_err(), "{text:?} was accepted");
        let err = err.unwrap_err();
        prop_assert!(is_clean(&err), "{err:?}");
        prop_assert_eq!(named_line(&err, &text), Some(line + 1), "{:?}: {}", text, err);
        prop_assert!(err.contains(escaped(&key).as_ref()), "{text:?}: {err}");
    }
}
