//! The edge: `mailto:` URLs, `.eml` drafts, OSC 52, and starting real programs.
//! The system clipboard on a real X server is in `clipboard_x11.rs` (its own process).

use std::path::Path;
use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use chrono::{DateTime, TimeZone, Utc};
use percent_encoding::percent_decode_str;
use twotier::platform::EnvFacts;
use twotier::platform::clipboard::{Clipboard, ClipboardKind, osc52};
use twotier::platform::mail::{
    Delivery, Draft, Openers, eml, mailto_url, open_in_email, open_in_email_with,
};

const FROM: &str = "ava.global@northwind-distribution.example";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap()
}

fn hostile_draft() -> Draft {
    Draft {
        to: "partners+eu@fabrikam.example".into(),
        subject: "Partnership request: 50% off? Q&A #1 — café".into(),
        body: "Hello Fabrikam,\r\nPlease accept: a=b & c?d #e 100%".into(),
    }
}

/// The value of `name` in the URL's query, percent-decoded.
fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {url}"));
    percent_decode_str(raw).decode_utf8().unwrap().into_owned()
}

// ---------------------------------------------------------------------------------------------
// mailto:

#[test]
fn mailto_url_is_exact_rfc6068() {
    assert_eq!(
        mailto_url(&hostile_draft()),
        "mailto:partners+eu@fabrikam.example\
         ?subject=Partnership%20request%3A%2050%25%20off%3F%20Q%26A%20%231%20%E2%80%94%20caf%C3%A9\
         &body=Hello%20Fabrikam%2C%0D%0APlease%20accept%3A%20a%3Db%20%26%20c%3Fd%20%23e%20100%25"
    );
}

#[test]
fn mailto_address_encodes_what_would_break_the_url() {
    let d = Draft {
        to: "o'neil ?#&%é@x.example".into(),
        subject: String::new(),
        body: String::new(),
    };
    assert_eq!(
        mailto_url(&d),
        "mailto:o'neil%20%3F%23%26%25%C3%A9@x.example"
    );
}

#[test]
fn mailto_fields_decode_back_to_the_draft() {
    let d = hostile_draft();
    let url = mailto_url(&d);
    let query = url.split_once('?').unwrap().1;
    assert!(!query.contains(' ') && !query.contains('+'), "{query}");
    assert_eq!(url.matches('?').count(), 1, "{url}");
    assert_eq!(url.matches('&').count(), 1, "{url}");
    assert_eq!(query_value(&url, "subject"), d.subject);
    assert_eq!(query_value(&url, "body"), d.body);
    // A body with bare LF line breaks comes back with CRLF, as RFC 6068 wants.
    let lf = Draft {
        body: "one\ntwo".into(),
        ..d
    };
    assert_eq!(query_value(&mailto_url(&lf), "body"), "one\r\ntwo");
}

// ---------------------------------------------------------------------------------------------
// .eml

/// Splits a message at the first blank line into (unfolded header lines, body).
fn parse(message: &str) -> (Vec<(String, String)>, String) {
    let (head, body) = message
        .split_once("\r\n\r\n")
        .expect("a blank line after the headers");
    let unfolded = head.replace("\r\n ", " ");
    let headers = unfolded
        .split("\r\n")
        .map(|line| {
            let (name, value) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("not a header: {line:?}"));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    (headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    let found: Vec<_> = headers.iter().filter(|(n, _)| n == name).collect();
    assert_eq!(found.len(), 1, "exactly one {name} header in {headers:?}");
    &found[0].1
}

/// Decodes a run of RFC 2047 `=?UTF-8?B?…?=` words separated by spaces.
fn decode_words(value: &str) -> String {
    let mut bytes = Vec::new();
    for word in value.split(' ') {
        let b64 = word
            .strip_prefix("=?UTF-8?B?")
            .and_then(|w| w.strip_suffix("?="))
            .unwrap_or_else(|| panic!("not an encoded-word: {word:?}"));
        bytes.extend(BASE64_STANDARD.decode(b64).unwrap());
    }
    String::from_utf8(bytes).unwrap()
}

fn assert_crlf_only(message: &str) {
    for (i, _) in message.match_indices('\n') {
        assert!(
            i > 0 && message.as_bytes()[i - 1] == b'\r',
            "bare LF at byte {i}"
        );
    }
    for (i, _) in message.match_indices('\r') {
        assert_eq!(
            message.as_bytes().get(i + 1),
            Some(&b'\n'),
            "bare CR at byte {i}"
        );
    }
}

#[test]
fn eml_has_every_header_crlf_and_the_body() {
    let d = Draft {
        to: "partners@fabrikam.example".into(),
        subject: "Partnership request — Fabrikam".into(),
        body: "Hello Fabrikam,\n\nPlease accept our invitation.\n".into(),
    };
    let message = eml(&d, FROM, now());
    assert_crlf_only(&message);
    let (headers, body) = parse(&message);
    let names: Vec<_> = headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "From",
            "To",
            "Subject",
            "Date",
            "MIME-Version",
            "Content-Type",
            "Content-Transfer-Encoding",
            "X-Unsent"
        ]
    );
    assert_eq!(header(&headers, "From"), FROM);
    assert_eq!(header(&headers, "To"), "partners@fabrikam.example");
    assert_eq!(
        header(&headers, "Subject"),
        "=?UTF-8?B?UGFydG5lcnNoaXAgcmVxdWVzdCDigJQgRmFicmlrYW0=?="
    );
    assert_eq!(decode_words(header(&headers, "Subject")), d.subject);
    assert_eq!(header(&headers, "Date"), "Tue, 4 Mar 2025 05:06:07 +0000");
    assert_eq!(header(&headers, "MIME-Version"), "1.0");
    assert_eq!(
        header(&headers, "Content-Type"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(header(&headers, "Content-Transfer-Encoding"), "8bit");
    assert_eq!(header(&headers, "X-Unsent"), "1");
    assert_eq!(
        body,
        "Hello Fabrikam,\r\n\r\nPlease accept our invitation.\r\n"
    );
}

#[test]
fn eml_from_is_the_operators_display_name_and_upn() {
    use twotier::platform::mail::mailbox;
    let d = Draft {
        to: "partners@fabrikam.example".into(),
        subject: "Partnership request".into(),
        body: "Hello\n".into(),
    };
    let from = mailbox("Ava Global", FROM);
    assert_eq!(from, format!("\"Ava Global\" <{FROM}>"));
    let (headers, _) = parse(&eml(&d, &from, now()));
    assert_eq!(header(&headers, "From"), format!("\"Ava Global\" <{FROM}>"));
    // RFC 5322 quoted-string: `"` and `\` escaped.
    assert_eq!(
        mailbox(r#"Ava "AG" O\Neil"#, FROM),
        format!(r#""Ava \"AG\" O\\Neil" <{FROM}>"#)
    );
    // No name: the bare address.
    assert_eq!(mailbox("  ", FROM), FROM);
    // Non-ASCII: RFC 2047 encoded-words (never quoted), folded between words, lines within 78.
    let name = "Zoë Müller-Łukasiewicz, Ångström & Ørsted (Île-de-France)";
    let message = eml(&d, &mailbox(name, FROM), now());
    assert_crlf_only(&message);
    for line in message.split("\r\n") {
        assert!(line.len() <= 78, "line too long: {line:?}");
    }
    let (headers, _) = parse(&message);
    let value = header(&headers, "From");
    let (phrase, address) = value.rsplit_once(' ').unwrap();
    assert_eq!(address, format!("<{FROM}>"));
    assert!(!phrase.contains('"'));
    assert_eq!(decode_words(phrase), name);
    // A name can't start a header line of its own.
    let message = eml(&d, &mailbox("Eve\r\nBcc: spy@example.com", FROM), now());
    assert_crlf_only(&message);
    assert!(
        !message.split("\r\n").any(|l| l.starts_with("Bcc:")),
        "{message}"
    );
}

#[test]
fn eml_ascii_subject_stays_plain_and_long_ones_fold() {
    let mut d = hostile_draft();
    d.subject = "Partnership request".into();
    let (headers, _) = parse(&eml(&d, FROM, now()));
    assert_eq!(header(&headers, "Subject"), "Partnership request");

    d.subject = "Demande de partenariat — société Fabrikam, région Île-de-France".into();
    let message = eml(&d, FROM, now());
    assert_crlf_only(&message);
    for line in message.split("\r\n") {
        assert!(line.len() <= 78, "line too long: {line:?}");
    }
    let (headers, _) = parse(&message);
    assert_eq!(decode_words(header(&headers, "Subject")), d.subject);
}

#[test]
fn eml_header_injection_is_impossible() {
    let d = Draft {
        to: "partners@fabrikam.example\r\nCc: cc@example.com".into(),
        subject: "Hello\r\nBcc: evil@example.com".into(),
        body: "Body\r\nBcc: not-a-header@example.com".into(),
    };
    let message = eml(&d, "ava@northwind.example\nReply-To: x@example.com", now());
    assert_crlf_only(&message);
    let (head, _) = message.split_once("\r\n\r\n").unwrap();
    for line in head.split("\r\n") {
        for bad in ["Bcc:", "Cc:", "Reply-To:"] {
            assert!(!line.starts_with(bad), "injected header line {line:?}");
        }
    }
    let (headers, _) = parse(&message);
    assert_eq!(headers.len(), 8, "{headers:?}");
    // The text is kept on its own header line, with the line break defused.
    assert!(header(&headers, "To").starts_with("partners@fabrikam.example"));
    assert!(decode_words(header(&headers, "Subject")).contains("Bcc: evil@example.com"));
}

// ---------------------------------------------------------------------------------------------
// OSC 52

#[test]
fn osc52_bytes_for_hello() {
    assert_eq!(osc52("hello"), b"\x1b]52;c;aGVsbG8=\x07".to_vec());
}

/// The base64 payload of one OSC 52 sequence, decoded.
fn osc52_payload(bytes: &[u8]) -> String {
    let inner = bytes
        .strip_prefix(b"\x1b]52;c;")
        .and_then(|b| b.strip_suffix(b"\x07"))
        .expect("an OSC 52 sequence");
    String::from_utf8(BASE64_STANDARD.decode(inner).unwrap()).unwrap()
}

#[test]
fn copy_without_display_writes_osc52_of_the_cleaned_text() {
    let mut clipboard = Clipboard::with_env(&EnvFacts {
        display: Some(":0".into()),
        over_ssh: true, // over SSH: OSC 52 even with a (forwarded) display
        ..EnvFacts::default()
    });
    assert_eq!(clipboard.kind(), ClipboardKind::Osc52);
    let mut out = Vec::new();
    let kind = clipboard
        .copy("Partnership request — ünïcode", &mut out)
        .unwrap();
    assert_eq!(kind, ClipboardKind::Osc52);
    assert_eq!(out, osc52("Partnership request — ünïcode"));
    assert_eq!(kind.label(), "terminal clipboard (OSC 52)");
}

#[test]
fn control_characters_never_reach_the_osc52_payload() {
    let mut clipboard = Clipboard::with_env(&EnvFacts::default());
    let mut out = Vec::new();
    clipboard
        .copy(
            "Evil\x1b]52;c;cHduZWQ=\x07 Corp\u{202e}moc\r\nline two\u{9b}",
            &mut out,
        )
        .unwrap();
    // Exactly one sequence: no ESC or BEL from the text survived to end it early.
    assert_eq!(out.iter().filter(|&&b| b == 0x1b).count(), 1);
    assert_eq!(out.iter().filter(|&&b| b == 0x07).count(), 1);
    let payload = osc52_payload(&out);
    assert_eq!(
        payload,
        "Evil\u{fffd}]52;c;cHduZWQ=\u{fffd} Corpmoc\nline two\u{fffd}"
    );
    assert!(
        !payload
            .chars()
            .any(|c| c.is_control() && c != '\n' || c == '\u{202e}')
    );
    // The secret variant takes the same path and the same cleaning.
    let mut secret = Vec::new();
    clipboard.copy_secret("p\x07w", &mut secret).unwrap();
    assert_eq!(osc52_payload(&secret), "p\u{fffd}w");
}

// ---------------------------------------------------------------------------------------------
// Opening a mail app

/// A shell script that records its arguments, one a line, to `out` (atomically, via a rename).
fn recording_script(dir: &Path, name: &str, out: &Path, exit_code: i32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join(name);
    let out = out.display();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{out}.tmp' && mv '{out}.tmp' '{out}'\nexit {exit_code}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} did not appear within 5 s",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn mail_command_gets_its_arguments_and_the_mailto_url() {
    let tmp = tempfile::tempdir().unwrap();
    // A folder with a space: the command is split like a shell would, quotes and all.
    let dir = tmp.path().join("mail app");
    std::fs::create_dir(&dir).unwrap();
    let out = tmp.path().join("args.txt");
    let script = recording_script(&dir, "record.sh", &out, 0);
    let command = format!("'{}' --compose", script.display());
    let d = hostile_draft();

    let delivery =
        open_in_email(&d, Some(&command), &tmp.path().join("drafts"), FROM, now()).unwrap();

    assert_eq!(
        delivery,
        Delivery::MailCommand(script.display().to_string())
    );
    assert_eq!(
        wait_for_file(&out),
        format!("--compose\n{}\n", mailto_url(&d))
    );
    assert!(
        !tmp.path().join("drafts").exists(),
        "no .eml when the mail command started"
    );
}

#[test]
fn system_opener_gets_the_url_when_there_is_no_mail_command() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("args.txt");
    let script = recording_script(tmp.path(), "opener.sh", &out, 0);
    let opener: &'static str = Box::leak(script.display().to_string().into_boxed_str());
    let openers = Openers {
        mail_command: None,
        system: Some(opener),
    };
    let d = hostile_draft();
    let delivery = open_in_email_with(&d, &openers, tmp.path(), FROM, now()).unwrap();
    assert_eq!(delivery, Delivery::SystemOpener(opener));
    assert_eq!(wait_for_file(&out), format!("{}\n", mailto_url(&d)));
}

fn only_eml_in(dir: &Path) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

#[test]
fn without_any_opener_the_draft_is_saved_as_eml() {
    let tmp = tempfile::tempdir().unwrap();
    let drafts = tmp.path().join("new").join("drafts"); // created on demand
    let openers = Openers {
        mail_command: Some("/nonexistent/twotier-mail --compose".into()),
        system: Some("/nonexistent/twotier-xdg-open"),
    };
    let d = hostile_draft();

    let delivery = open_in_email_with(&d, &openers, &drafts, FROM, now()).unwrap();

    let Delivery::EmlDraft(path) = &delivery else {
        panic!("expected an .eml draft, got {delivery:?}");
    };
    assert_eq!(*path, only_eml_in(&drafts));
    assert_eq!(
        path.file_name().unwrap(),
        "partnership-request-20250304-050607-1.eml"
    );
    assert_eq!(std::fs::read_to_string(path).unwrap(), eml(&d, FROM, now()));
    assert_eq!(
        delivery.describe(),
        format!(
            "No email app could be opened: saved the draft as {}",
            path.display()
        )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the draft is private to the user");
    }

    // A second draft in the same second gets its own file.
    let again = open_in_email_with(&d, &openers, &drafts, FROM, now()).unwrap();
    assert_eq!(
        again,
        Delivery::EmlDraft(drafts.join("partnership-request-20250304-050607-2.eml"))
    );
}

#[test]
fn an_opener_that_fails_quickly_like_xdg_open_falls_back_to_eml() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("args.txt");
    // xdg-open exits 3 or 4 when nothing handles mailto:.
    let script = recording_script(tmp.path(), "xdg-open.sh", &out, 3);
    let opener: &'static str = Box::leak(script.display().to_string().into_boxed_str());
    let openers = Openers {
        mail_command: Some("'unbalanced quote".into()), // not valid shell words: skipped
        system: Some(opener),
    };
    let drafts = tmp.path().join("drafts");
    let delivery = open_in_email_with(&hostile_draft(), &openers, &drafts, FROM, now()).unwrap();
    assert!(out.exists(), "the opener ran");
    assert_eq!(delivery, Delivery::EmlDraft(only_eml_in(&drafts)));
}
