//! `update` sequences over the partnership state machine (Draft → Sent → Accepted / Expired /
//! Revoked; Active → Removed), answered by a real store.

mod common;

use chrono::Duration;
use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::action::Action;
use twotier::app::effect::Effect;
use twotier::app::form::Verdict;
use twotier::app::nav::Screen;
use twotier::app::screens::Modal;
use twotier::app::screens::remove_partnership::{self, ImpactLine};
use twotier::domain::invitation::{Delivery, InvitationStatus};
use twotier::store::worker::DbCmd;

fn invitations(h: &Harness) -> i64 {
    h.db.store
        .conn()
        .query_row("SELECT count(*) FROM invitations", [], |r| r.get(0))
        .unwrap()
}

fn draft(h: &Harness) -> &twotier::app::screens::draft_email::DraftEmail {
    match h.state.top_modal() {
        Some(Modal::DraftEmail(d)) => d,
        other => panic!("no draft email on top: {other:?}"),
    }
}

/// `r`, an address, Enter: the draft email is open.
fn open_draft(h: &mut Harness, email: &str) {
    h.type_str("r");
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::RequestPartnership(_))
    ));
    h.type_str(email);
    h.press(KeyCode::Enter);
}

#[test]
fn request_validates_the_address_as_it_is_typed_and_refuses_a_bad_one() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("r");
    h.type_str("partners@contoso");
    let Some(Modal::RequestPartnership(form)) = h.state.top_modal() else {
        panic!()
    };
    assert!(matches!(&form.email.verdict, Verdict::Error(e) if e.contains("contoso")));
    // q and digits type into the field.
    assert_eq!(h.state.screen, Screen::Resellers);
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.state.top_modal(), Some(Modal::RequestPartnership(_))),
        "refused: stays open"
    );
    assert!(
        !h.db_commands()
            .iter()
            .any(|c| matches!(c, DbCmd::PrepareInvitation { .. }))
    );
    h.type_str(".example");
    let Some(Modal::RequestPartnership(form)) = h.state.top_modal() else {
        panic!()
    };
    assert_eq!(form.email.verdict, Verdict::Ok);
}

#[test]
fn draft_then_copy_then_done_records_it_as_sent() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    let d = draft(&h);
    assert_eq!(d.draft.to, "partners@contoso.example");
    assert!(d.body_text().contains(&d.draft.link));
    assert_eq!(invitations(&h), before, "a draft writes nothing");
    h.type_str("c");
    let copy = h.effects.last().unwrap().clone();
    let Effect::Copy { text } = copy else {
        panic!("expected a copy, got {copy:?}")
    };
    assert!(text.starts_with("To: partners@contoso.example\nSubject: Partnership request from"));
    assert!(text.contains("token="));
    h.send(Action::Copied(Ok("system clipboard".into())));
    assert_eq!(draft(&h).delivery, Some(Delivery::CopiedToClipboard));
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text == "Copied to clipboard: system clipboard")
    );
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty(), "Done closes the draft");
    assert_eq!(invitations(&h), before + 1);
    let (status, delivery): (String, String) =
        h.db.store
            .conn()
            .query_row(
                "SELECT status, delivery FROM invitations ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!(
        (status.as_str(), delivery.as_str()),
        ("sent", "copied-to-clipboard")
    );
}

#[test]
fn esc_discards_the_draft_and_records_nothing() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty());
    assert_eq!(invitations(&h), before);
    assert!(
        !h.db_commands()
            .iter()
            .any(|c| matches!(c, DbCmd::RecordInvitation { .. }))
    );
}

#[test]
fn editing_the_body_keeps_edits_and_done_refuses_a_broken_link() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("e");
    assert!(h.state.text_focused());
    // In the editor, keys type (even o, c, q) and Enter is a new line.
    for c in "Hi oqc".chars() {
        h.key(KeyEvent::from(KeyCode::Char(c)));
    }
    h.press(KeyCode::Enter);
    assert!(draft(&h).body_text().starts_with("Hi oqc\n"));
    // Delete the whole link line: go to it and cut it.
    let link = draft(&h).draft.link.clone();
    let lines = draft(&h).body.lines().to_vec();
    let at = lines.iter().position(|l| l.contains("token=")).unwrap();
    for _ in 0..200 {
        if draft(&h).body.cursor().0 == at {
            break;
        }
        h.press(KeyCode::Down);
    }
    assert_eq!(draft(&h).body.cursor().0, at);
    h.press(KeyCode::Home);
    h.key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)); // delete to end of line
    assert!(!draft(&h).body_text().contains(&link));
    h.press(KeyCode::Esc);
    assert!(!draft(&h).editing);
    assert!(
        draft(&h)
            .problem
            .as_deref()
            .unwrap()
            .contains("personalized")
    );
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.state.top_modal(), Some(Modal::DraftEmail(_))),
        "Done refused: the draft stays"
    );
    assert_eq!(invitations(&h), before);
    // Paste the link back in: Done goes through.
    h.type_str("e");
    h.send(Action::Paste(link.clone()));
    h.press(KeyCode::Esc);
    assert!(draft(&h).problem.is_none());
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty());
    assert_eq!(invitations(&h), before + 1);
}

#[test]
fn open_in_email_records_how_it_left() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("o");
    assert!(
        matches!(h.effects.last(), Some(Effect::OpenMail { to, .. }) if to == "partners@contoso.example")
    );
    h.send(Action::MailOpened(Ok((
        Delivery::EmlDraft,
        "saved the draft as /tmp/x.eml".into(),
    ))));
    assert_eq!(draft(&h).delivery, Some(Delivery::EmlDraft));
    h.send(Action::MailOpened(Err("no mail app".into())));
    assert!(
        matches!(h.state.top_modal(), Some(Modal::Error(e)) if e.message.contains("Copy to clipboard"))
    );
    h.press(KeyCode::Esc);
    h.press(KeyCode::Enter);
    let delivery: String =
        h.db.store
            .conn()
            .query_row(
                "SELECT delivery FROM invitations ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(delivery, "eml-draft");
}

/// Sends a request through the UI; leaves the Invitations screen open with it selected.
fn sent_request(h: &mut Harness, email: &str) {
    open_draft(h, email);
    h.press(KeyCode::Enter);
    h.type_str("i");
    assert_eq!(h.state.screen, Screen::Invitations);
    assert_eq!(
        h.state
            .screens
            .invitations
            .list
            .selected_row()
            .unwrap()
            .recipient,
        email
    );
}

#[test]
fn sent_then_accepted_makes_an_active_reseller() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    sent_request(&mut h, "partners@contoso.example");
    h.type_str("a");
    assert!(h.state.text_focused());
    h.type_str("Contoso Partners");
    h.press(KeyCode::Tab);
    h.type_str("5139005");
    // The PartnerID is checked against the active resellers as it is typed.
    let Some(Modal::RecordAcceptance(form)) = h.state.top_modal() else {
        panic!()
    };
    assert!(
        matches!(&form.fields[1].verdict, Verdict::Error(e) if e.contains("Adatum IT Services")),
        "{:?}",
        form.fields[1].verdict
    );
    for _ in 0..7 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("12345");
    let Some(Modal::RecordAcceptance(form)) = h.state.top_modal() else {
        panic!()
    };
    assert!(matches!(&form.fields[1].verdict, Verdict::Warning(w) if w.contains("6 or 7")));
    for _ in 0..5 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("4120357");
    let Some(Modal::RecordAcceptance(form)) = h.state.top_modal() else {
        panic!()
    };
    assert!(
        matches!(&form.fields[1].verdict, Verdict::Error(e) if e.contains("your own PartnerID"))
    );
    for _ in 0..7 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("7654321");
    // Enter with the country missing: refused, focus on the first bad field.
    h.press(KeyCode::Enter);
    let Some(Modal::RecordAcceptance(form)) = h.state.top_modal() else {
        panic!()
    };
    assert_eq!(form.focus, 2);
    assert!(matches!(&form.fields[2].verdict, Verdict::Error(_)));
    h.type_str("us");
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    let row = h.state.screens.invitations.list.selected_row().unwrap();
    assert_eq!(row.status(h.state.now, 30), InvitationStatus::Accepted);
    h.type_str("1");
    assert!(
        h.state
            .screens
            .resellers
            .list
            .rows
            .iter()
            .any(|r| r.name == "Contoso Partners" && r.partner_id == "7654321")
    );
}

#[test]
fn expired_and_revoked_requests_cannot_be_accepted_and_revoke_asks_first() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    sent_request(&mut h, "partners@contoso.example");
    // Expired: 31 days later.
    h.send(Action::Tick(common::now() + Duration::days(31)));
    h.type_str("a");
    assert!(h.state.modals.is_empty());
    assert!(h.state.toasts.iter().any(|t| t.text.contains("expired")));
    // Send again: the stored email with the same link reopens; Done makes it Sent as of now.
    h.type_str("s");
    let link = draft(&h).draft.link.clone();
    assert!(draft(&h).resend_of.is_some());
    h.press(KeyCode::Enter);
    let row = h.state.screens.invitations.list.selected_row().unwrap();
    assert_eq!(
        (
            row.status(h.state.now, 30),
            row.resent_count,
            row.link.clone()
        ),
        (InvitationStatus::Sent, 1, link)
    );
    // Revoke asks; No changes nothing; Yes revokes.
    h.type_str("x");
    assert!(matches!(h.state.top_modal(), Some(Modal::Confirm(_))));
    h.type_str("n");
    assert!(h.state.modals.is_empty());
    assert_eq!(
        h.state
            .screens
            .invitations
            .list
            .selected_row()
            .unwrap()
            .status(h.state.now, 30),
        InvitationStatus::Sent
    );
    h.type_str("x");
    h.press(KeyCode::Enter); // No is focused: Enter alone never revokes
    assert_eq!(
        h.state
            .screens
            .invitations
            .list
            .selected_row()
            .unwrap()
            .status(h.state.now, 30),
        InvitationStatus::Sent
    );
    h.type_str("xy");
    assert_eq!(
        h.state
            .screens
            .invitations
            .list
            .selected_row()
            .unwrap()
            .status(h.state.now, 30),
        InvitationStatus::Revoked
    );
    h.type_str("a");
    assert!(h.state.modals.is_empty());
    h.type_str("s");
    assert!(
        h.state.modals.is_empty(),
        "a revoked request can't be sent again"
    );
}

#[test]
fn remove_partnership_shows_the_impact_and_only_yes_removes() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let name = h
        .state
        .screens
        .resellers
        .list
        .selected_row()
        .unwrap()
        .name
        .clone();
    h.type_str("x");
    let Some(Modal::RemovePartnership(c)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    assert_eq!(c.name, name);
    assert!(c.preview.impact.customers > 0);
    assert!(!c.yes_focused);
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty(), "Enter on the focused No closes");
    assert_eq!(h.state.screens.resellers.list.rows.len(), 11);
    h.type_str("x");
    h.press(KeyCode::Esc);
    assert_eq!(h.state.screens.resellers.list.rows.len(), 11);
    h.type_str("xy");
    assert!(h.state.modals.is_empty());
    // Subscriptions still name it: the app goes on to its Follow-up worklist; q comes back.
    assert_eq!(h.state.screen, Screen::FollowUp);
    h.type_str("q");
    assert_eq!(h.state.screen, Screen::Resellers);
    assert_eq!(h.state.screens.resellers.list.rows.len(), 10);
    assert!(
        h.state
            .screens
            .resellers
            .list
            .rows
            .iter()
            .all(|r| r.name != name)
    );
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text == format!("Partnership with {name} removed"))
    );
    // The history toggle shows it as removed.
    h.type_str("h");
    assert!(
        h.state
            .screens
            .resellers
            .list
            .rows
            .iter()
            .any(|r| r.name == name && !r.is_active())
    );
}

#[test]
fn view_customers_narrows_customers_to_the_reseller_and_esc_clears() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let reseller = h
        .state
        .screens
        .resellers
        .list
        .selected_row()
        .unwrap()
        .clone();
    h.type_str("v");
    assert_eq!(h.state.screen, Screen::Customers);
    assert_eq!(
        h.state.screens.customers.reseller_filter.as_deref(),
        Some(reseller.name.as_str())
    );
    assert_eq!(
        h.state.screens.customers.list.total,
        Some(reseller.customers as u64)
    );
    assert!(
        h.state
            .screens
            .customers
            .list
            .rows
            .iter()
            .all(|c| c.reseller.as_deref() == Some(reseller.name.as_str()))
    );
    h.press(KeyCode::Esc);
    assert_eq!(h.state.screens.customers.reseller_filter, None);
    assert_eq!(h.state.screens.customers.list.total, Some(60));
}

#[test]
fn compliance_and_sort_change_the_list() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let first = h
        .state
        .screens
        .resellers
        .list
        .selected_row()
        .unwrap()
        .clone();
    assert!(first.compliance_warning().is_none());
    h.type_str("c");
    h.press(KeyCode::Char(' ')); // MPA off
    h.press(KeyCode::Enter);
    assert_eq!(
        h.state.screens.resellers.list.rows[0].compliance_warning(),
        Some("MPA not signed")
    );
    h.type_str("s");
    let ids: Vec<u64> = h
        .state
        .screens
        .resellers
        .list
        .rows
        .iter()
        .map(|r| r.partner_id.parse().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "sorted by PartnerID, as numbers");
    h.type_str("s");
    let since: Vec<_> = h
        .state
        .screens
        .resellers
        .list
        .rows
        .iter()
        .map(|r| r.since)
        .collect();
    assert!(since.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn hostile_input_in_the_address_field_is_refused() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("r");
    h.send(Action::Paste("evil\u{1b}]0;x\u{7}@b.example".into()));
    let Some(Modal::RequestPartnership(form)) = h.state.top_modal() else {
        panic!()
    };
    assert!(!form.email.value().contains('\u{1b}'), "paste is sanitised");
    h.press(KeyCode::Enter);
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::RequestPartnership(_))
    ));
}

#[test]
fn a_10_kb_body_is_recorded_whole() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("e");
    let big = "Lorem ipsum dolor sit amet. ".repeat(400);
    h.send(Action::Paste(big.clone()));
    h.press(KeyCode::Esc);
    h.press(KeyCode::Enter);
    let body: String =
        h.db.store
            .conn()
            .query_row(
                "SELECT body FROM invitations ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(body.len() > 10_000);
    assert!(body.contains(big.trim_end()));
}

/// The question on top, if any: (title, message).
fn question(h: &Harness) -> Option<(String, String)> {
    match h.state.top_modal() {
        Some(Modal::Confirm(c)) => Some((c.title.clone(), c.message.clone())),
        _ => None,
    }
}

/// The newest request's (status, delivery, recipient, subject).
fn newest(h: &Harness) -> (String, String, String, String) {
    h.db.store
        .conn()
        .query_row(
            "SELECT status, delivery, recipient_email, subject FROM invitations ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

#[test]
fn esc_after_open_in_email_asks_and_yes_records_it_as_discarded() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("o");
    h.send(Action::MailOpened(Ok((
        Delivery::OpenedInEmail,
        "Opened in your default email app".into(),
    ))));
    h.press(KeyCode::Esc);
    let (title, message) = question(&h).expect("Esc asks first");
    assert_eq!(title, "Discard the draft");
    assert_eq!(
        message,
        "The link has left twotier (opened in email). Discard it anyway? It will be recorded as Discarded."
    );
    // No: the draft stays as it was, nothing recorded.
    h.type_str("n");
    assert_eq!(draft(&h).delivery, Some(Delivery::OpenedInEmail));
    assert_eq!(invitations(&h), before);
    // Asked again; Yes: recorded as Discarded with how it left, and the draft is gone.
    h.press(KeyCode::Esc);
    assert!(question(&h).is_some());
    h.type_str("y");
    assert!(h.state.modals.is_empty(), "{:?}", h.state.top_modal());
    assert_eq!(invitations(&h), before + 1);
    let (status, delivery, to, _) = newest(&h);
    assert_eq!(
        (status.as_str(), delivery.as_str(), to.as_str()),
        ("discarded", "opened-in-email", "partners@contoso.example")
    );
    let action: String =
        h.db.store
            .conn()
            .query_row(
                "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(action, "Partnership request discarded");
    // The ledger shows it as Discarded, and it can't be accepted from there.
    h.type_str("i");
    let row = h
        .state
        .screens
        .invitations
        .list
        .selected_row()
        .unwrap()
        .clone();
    assert_eq!(row.status(h.state.now, 30), InvitationStatus::Discarded);
    h.type_str("a");
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.contains("its draft was discarded")),
        "{:?}",
        h.state.toasts
    );
    assert!(!matches!(
        h.state.top_modal(),
        Some(Modal::RecordAcceptance(_))
    ));
}

#[test]
fn esc_on_a_draft_that_never_left_records_nothing_and_asks_nothing() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    // A copy that failed: the link did not leave.
    h.type_str("c");
    h.send(Action::Copied(Err("no clipboard".into())));
    assert!(matches!(h.state.top_modal(), Some(Modal::Error(_))));
    h.press(KeyCode::Esc); // the error
    assert!(matches!(h.state.top_modal(), Some(Modal::DraftEmail(_))));
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty(), "closed without a question");
    assert_eq!(invitations(&h), before);
    assert!(
        !h.db_commands()
            .iter()
            .any(|c| matches!(c, DbCmd::DiscardInvitation { .. }))
    );
}

#[test]
fn subject_and_to_are_edited_and_used_for_copy_mail_and_the_record() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("t");
    assert!(h.state.text_focused());
    for _ in 0.."partners@contoso.example".len() {
        h.press(KeyCode::Backspace);
    }
    // Typed keys go into the field: `o`, `c`, `q` are letters here.
    h.type_str("oqc@fabrikam.example");
    assert_eq!(draft(&h).to.verdict, Verdict::Ok);
    h.press(KeyCode::Tab);
    h.type_str(" (2026)");
    // Hostile text pasted into the Subject can't start a header of its own.
    h.send(Action::Paste("\u{1b}[2J\r\nBcc: spy@evil.example".into()));
    h.press(KeyCode::Esc);
    assert!(!h.state.text_focused());
    let subject = draft(&h).current().subject;
    assert!(
        subject.starts_with("Partnership request from Northwind Cloud Distribution (2026)")
            && !subject.contains(['\u{1b}', '\n', '\r']),
        "{subject:?}"
    );
    h.type_str("c");
    let Some(Effect::Copy { text }) = h.effects.last().cloned() else {
        panic!("no copy")
    };
    assert!(text.starts_with(&format!("To: oqc@fabrikam.example\nSubject: {subject}\n\n")));
    h.type_str("o");
    assert!(matches!(
        h.effects.last(),
        Some(Effect::OpenMail { to, subject: s, .. }) if to == "oqc@fabrikam.example" && *s == subject
    ));
    h.send(Action::Copied(Ok("system clipboard".into())));
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty());
    let (status, _, to, stored) = newest(&h);
    assert_eq!(
        (status.as_str(), to.as_str()),
        ("sent", "oqc@fabrikam.example")
    );
    assert_eq!(stored, subject);
}

#[test]
fn an_invalid_to_is_said_in_words_and_refuses_done_copy_and_mail() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("t");
    h.type_str("; other@contoso.example");
    let why = draft(&h).field_problem().unwrap();
    assert!(why.contains("one email address"), "{why}");
    h.press(KeyCode::Enter); // stops editing
    assert!(!h.state.text_focused());
    h.press(KeyCode::Enter); // Done
    assert!(
        matches!(h.state.top_modal(), Some(Modal::DraftEmail(_))),
        "refused: stays"
    );
    assert!(
        draft(&h)
            .problem
            .as_deref()
            .unwrap()
            .contains("one email address")
    );
    let effects = h.effects.len();
    h.type_str("c");
    h.type_str("o");
    assert_eq!(h.effects.len(), effects, "nothing leaves with a bad To");
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.starts_with("Not sent out: To:"))
    );
    // A broken address says what is wrong with it.
    h.type_str("t");
    for _ in 0..40 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("partners@contoso");
    assert!(draft(&h).field_problem().unwrap().starts_with("To: "));
    h.type_str(".example");
    assert!(draft(&h).field_problem().is_none());
    h.press(KeyCode::Esc);
    // An empty subject refuses Done too.
    h.type_str("s");
    for _ in 0..100 {
        h.press(KeyCode::Backspace);
    }
    assert!(
        draft(&h)
            .field_problem()
            .unwrap()
            .contains("Enter a subject")
    );
    h.press(KeyCode::Esc);
    h.press(KeyCode::Enter);
    assert!(matches!(h.state.top_modal(), Some(Modal::DraftEmail(_))));
    assert_eq!(invitations(&h), before);
    assert!(
        !h.db_commands()
            .iter()
            .any(|c| matches!(c, DbCmd::RecordInvitation { .. }))
    );
}

/// The reseller with the most subscriptions naming it, and its name.
fn busiest_reseller(h: &Harness) -> (i64, String) {
    h.db.store
        .conn()
        .query_row(
            "SELECT r.id, r.name FROM resellers r WHERE r.state = 'active' ORDER BY
               (SELECT count(*) FROM subscriptions s WHERE s.reseller_id = r.id OR s.support_reseller_id = r.id) DESC,
               r.name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn select_reseller(h: &mut Harness, name: &str) {
    while h.state.screens.resellers.list.selected_row().unwrap().name != name {
        h.press(KeyCode::Down);
    }
}

#[test]
fn removal_preview_lists_the_customers_and_subscriptions_by_name_and_scrolls() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    let (id, name) = busiest_reseller(&h);
    select_reseller(&mut h, &name);
    h.type_str("x");
    let Some(Modal::RemovePartnership(c)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    let customers: Vec<String> = {
        let conn = h.db.store.conn();
        let mut stmt = conn
            .prepare("SELECT company_name FROM customers WHERE reseller_id = ?1 ORDER BY company_name, id")
            .unwrap();
        stmt.query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let listed: Vec<String> = c
        .lines
        .iter()
        .filter_map(|l| match l {
            ImpactLine::Customer(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(listed, customers);
    let subscriptions = c
        .lines
        .iter()
        .filter(|l| matches!(l, ImpactLine::Subscription { .. }))
        .count() as i64;
    assert_eq!(subscriptions, c.preview.subscriptions_total);
    assert!(
        c.lines.iter().any(|l| matches!(l, ImpactLine::Subscription { roles, .. } if roles.contains("Support contact"))),
        "the support-contact role is named"
    );
    assert!(!c.yes_focused && c.scroll == 0);
    let len = c.lines.len();
    assert!(len > 7, "more lines than the dialog shows at 80×24: {len}");
    let scroll = |h: &Harness| match h.state.top_modal() {
        Some(Modal::RemovePartnership(c)) => c.scroll,
        other => panic!("{other:?}"),
    };
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    assert_eq!(scroll(&h), 2);
    h.press(KeyCode::Up);
    assert_eq!(scroll(&h), 1);
    h.press(KeyCode::End);
    let last = scroll(&h);
    assert_eq!(
        last,
        len - remove_partnership::pane_rows(24),
        "End shows the last lines"
    );
    h.press(KeyCode::PageDown);
    assert_eq!(scroll(&h), last, "no scrolling past the end");
    h.press(KeyCode::PageUp);
    assert!(scroll(&h) < last);
    h.press(KeyCode::Home);
    assert_eq!(scroll(&h), 0);
    // Scrolling never pressed a button: Enter is still No.
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty());
    assert_eq!(h.state.screens.resellers.list.rows.len(), 11);
}

#[test]
fn yes_goes_to_the_follow_up_worklist_and_enter_opens_subscription_details_to_reassign() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let (id, name) = busiest_reseller(&h);
    select_reseller(&mut h, &name);
    h.type_str("xy");
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(h.state.screen, Screen::FollowUp);
    let f = &h.state.screens.follow_up;
    assert_eq!(
        f.reseller.as_ref().map(|r| r.name.clone()),
        Some(name.clone())
    );
    let expected = h.db.store.follow_up_count(id).unwrap();
    assert!(expected > 1);
    assert_eq!(f.list.total, Some(expected as u64));
    assert_eq!(f.list.rows.len() as i64, expected);
    assert!(f.list.rows.iter().any(|r| r.support_contact));
    h.press(KeyCode::Down);
    let row = h
        .state
        .screens
        .follow_up
        .list
        .selected_row()
        .unwrap()
        .clone();
    h.press(KeyCode::Enter);
    let Some(Modal::SubscriptionDetails(form)) = h.state.modals.last_mut() else {
        panic!("{:?}", h.state.modals)
    };
    assert_eq!(form.detail.id, row.id);
    // Reassigned: no partner of record, the provider as support contact; Submit.
    form.reseller = None;
    form.support = None;
    h.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    let f = &h.state.screens.follow_up;
    assert_eq!(
        f.list.total,
        Some(expected as u64 - 1),
        "the worklist reloaded"
    );
    assert!(
        f.list.rows.iter().all(|r| r.id != row.id),
        "the reassigned one left"
    );
    // q goes back to Indirect resellers; h shows removed ones; f on it comes back here.
    h.type_str("q");
    assert_eq!(h.state.screen, Screen::Resellers);
    h.type_str("h");
    select_reseller(&mut h, &name);
    h.type_str("f");
    assert_eq!(h.state.screen, Screen::FollowUp);
    assert_eq!(
        h.state.screens.follow_up.list.total,
        Some(expected as u64 - 1)
    );
}

#[test]
fn follow_up_on_an_active_reseller_says_why_and_stays() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("f");
    assert_eq!(h.state.screen, Screen::Resellers);
    assert!(
        h.state.toasts.iter().any(|t| t.text.contains("is active")),
        "{:?}",
        h.state.toasts
    );
}

#[test]
fn quitting_over_a_draft_whose_link_left_records_it_as_discarded() {
    let ctrl_c = crossterm::event::KeyEvent::new(
        KeyCode::Char('c'),
        crossterm::event::KeyModifiers::CONTROL,
    );
    // The link was copied: Ctrl-C quits at once, and the store records the request first.
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    h.type_str("c");
    h.send(Action::Copied(Ok("system clipboard".into())));
    h.key(ctrl_c);
    assert!(h.state.quitting);
    assert_eq!(invitations(&h), before + 1);
    let (status, delivery, to, _) = newest(&h);
    assert_eq!(
        (status.as_str(), delivery.as_str(), to.as_str()),
        (
            "discarded",
            "copied-to-clipboard",
            "partners@contoso.example"
        )
    );
    // A draft that never left the app is not recorded.
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    let before = invitations(&h);
    open_draft(&mut h, "partners@contoso.example");
    h.key(ctrl_c);
    assert!(h.state.quitting);
    assert_eq!(invitations(&h), before);
}
