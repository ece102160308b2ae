//! Walking Add new customer in the console, as a person would, up to Review with the
//! attestation given: the end-to-end tests then submit it their own way.

use super::tmux::{Session, line_with};

pub const EMAIL: &str = "dana.reyes@fabrikam-robotics.example";
pub const OFFER: &str = "Microsoft 365 Business Premium";

/// From the first reseller row of a started console: Account info for Fabrikam Robotics, one
/// Business Premium licence, Review attested. Ctrl-S submits.
pub fn walk_to_review(s: &Session) {
    // n on the first reseller row: the wizard; Account info, in order.
    s.type_text("n");
    s.wait_for_text(&["┌ Add new customer", "›Company name"]);
    for text in [
        "Fabrikam Robotics",
        "fabrikamrobotics",
        "Dana",
        "Reyes",
        EMAIL,
        "", // phone
        "1 Robot Way",
        "", // address line 2
        "Seattle",
        "WA",
        "98101",
    ] {
        s.type_text(text);
        s.key("Tab");
    }
    s.type_text("US");
    s.wait_for("the country typed, the domain checked", |sc| {
        line_with(sc, &["›Country", "US"]).is_some()
            && line_with(sc, &["Domain prefix", "fabrikamrobotics.onmicrosoft.com"]).is_some()
    });
    s.keys("Tab", 5); // culture, language, registration no., the reseller row, preselected
    s.type_text("Dana Reyes");
    s.key("Tab");
    s.type_text(EMAIL);
    s.key("Tab");
    s.wait_for("the MCA signer", |sc| {
        line_with(sc, &["MCA signer email", EMAIL]).is_some() && !sc.contains('✗')
    });
    // New subscription: Business Premium × 1.
    s.key("C-n");
    let screen = s.wait_for_text(&["New subscription: the offer catalog", OFFER]);
    let at = screen
        .lines()
        .filter(|l| l.contains("[ ] ") || l.contains("[x] "))
        .position(|l| l.contains(&format!("] {OFFER}  ")))
        .unwrap_or_else(|| panic!("no {OFFER} in the catalog:\n{screen}"));
    s.keys("Down", at);
    s.type_text("1");
    s.wait_for(&format!("{OFFER} selected"), |sc| {
        sc.contains(&format!("[x] {OFFER}"))
    });
    // Review, attested, Submit: the Confirmation with the credentials.
    s.key("C-n");
    s.wait_for_text(&["I confirm that my organization"]);
    s.type_text(" ");
    s.wait_for_text(&["[x] I confirm"]);
}
