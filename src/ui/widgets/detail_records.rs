//! The records the detail pane shows, as its label/value lines: a customer (profile, reseller,
//! subscriptions), a subscription (every field), an activity entry (before → after, a line per
//! changed field) and an indirect reseller. What the row carries shows at once; what only the
//! store has (`app::detail`) fills in when it arrives.

use ratatui::text::{Line, Span};

use ratatui::Frame;
use ratatui::layout::Rect;

use super::detail_pane::{self, Entry, field};
use crate::app::state::AppState;
use crate::domain::text::clean;
use crate::store::customers::status_label;
use crate::store::list::{ActivityRow, CustomerRow, ResellerRow};
use crate::store::record::{Record, RecordId};
use crate::store::subscriptions::{ResellerRef, SubscriptionDetail};
use crate::ui::theme::Theme;

fn text(value: &str) -> Line<'static> {
    Line::from(clean(value).into_owned())
}

fn loading(theme: &Theme) -> Entry {
    Entry::Note(Line::from(Span::styled("Loading the record…", theme.dim)))
}

fn gone(why: &str, theme: &Theme) -> Entry {
    Entry::Note(Line::from(Span::styled(
        clean(why).into_owned(),
        theme.warning,
    )))
}

/// A customer: the list row's fields, then its Account once read.
pub fn customer(
    row: &CustomerRow,
    record: Option<&Record>,
    state: &AppState,
    theme: &Theme,
) -> Vec<Entry> {
    let mut out = vec![
        Entry::Section("Company profile"),
        field("Company name", text(&row.company_name)),
        field("Primary domain", text(&row.domain)),
        field("Microsoft ID", text(&row.tenant_id)),
    ];
    let account = match record {
        Some(Record::Customer(account)) if account.id == row.id => Some(account),
        Some(Record::Gone(why)) => {
            out.push(gone(why, theme));
            None
        }
        _ => None,
    };
    let reseller = match (&row.reseller, account.and_then(|a| a.reseller.as_ref())) {
        (_, Some(r)) => {
            let mut spans = vec![Span::raw(format!(
                "{} (PartnerID {})",
                clean(&r.name),
                clean(&r.partner_id)
            ))];
            if r.removed {
                spans.push(Span::styled("  partnership removed", theme.warning));
            }
            Line::from(spans)
        }
        (Some(name), None) => text(name),
        (None, None) => Line::from(Span::styled("Direct (no indirect reseller)", theme.dim)),
    };
    let Some(a) = account else {
        out.push(Entry::Section("Indirect reseller"));
        out.push(field("Reseller", reseller));
        out.push(field("Subscriptions", row.subscriptions.to_string()));
        out.push(loading(theme));
        return out;
    };
    if let Some(number) = &a.registration_number {
        out.push(field("Registration no.", text(number)));
    }
    out.push(field("Address", text(&a.address.one_line())));
    out.push(field(
        "Culture · language",
        text(&format!("{} · {}", a.culture, a.language)),
    ));
    out.push(Entry::Section("Primary contact"));
    out.push(field("Name", text(&a.contact.name())));
    out.push(field("Email", text(&a.contact.email)));
    if let Some(phone) = &a.contact.phone {
        out.push(field("Phone", text(phone)));
    }
    out.push(Entry::Section("Indirect reseller"));
    out.push(field("Reseller", reseller));
    out.push(field("Relationship", text(&a.relationship)));
    out.push(field("Subscriptions", row.subscriptions.to_string()));
    out.push(Entry::Section("Record"));
    out.push(field("Admin user", text(&a.admin_user_name)));
    let by = a
        .created_by
        .as_ref()
        .map(|(name, upn)| format!(" by {} ({})", clean(name), clean(upn)))
        .unwrap_or_default();
    out.push(field(
        "Created",
        format!("{}{by}", state.local(a.created_at).format("%Y-%m-%d %H:%M")),
    ));
    out
}

fn reseller_line(reseller: Option<&ResellerRef>, none: &str, theme: &Theme) -> Line<'static> {
    match reseller {
        None => Line::from(Span::styled(none.to_owned(), theme.dim)),
        Some(r) => {
            let mut spans = vec![Span::raw(format!(
                "{} (PartnerID {})",
                clean(&r.name),
                clean(&r.partner_id)
            ))];
            if r.removed {
                spans.push(Span::styled("  partnership removed", theme.warning));
            }
            Line::from(spans)
        }
    }
}

/// A subscription: every field of Subscription details. `None` until it is read.
pub fn subscription(detail: Option<&Record>, state: &AppState, theme: &Theme) -> Vec<Entry> {
    let s: &SubscriptionDetail = match detail {
        Some(Record::Subscription(s)) => s,
        Some(Record::Gone(why)) => return vec![gone(why, theme)],
        _ => return vec![loading(theme)],
    };
    let provider = state
        .provider
        .as_ref()
        .map_or("You (the provider)".to_owned(), |p| {
            format!("{} (you)", clean(&p.company_name))
        });
    let date = |t: chrono::DateTime<chrono::Utc>| state.local(t).format("%Y-%m-%d").to_string();
    vec![
        Entry::Section("Subscription"),
        field("Offer", text(&s.offer.name)),
        field("Customer", text(&s.customer)),
        field("Subscription ID", text(&s.subscription_id)),
        field("Quantity", format!("{} licenses", s.quantity)),
        field("Status", status_label(&s.status).to_owned()),
        field("Term", text(&s.term)),
        field("Billing cycle", text(&s.billing_cycle)),
        field("Auto-renew", if s.auto_renew { "On" } else { "Off" }),
        Entry::Section("Dates"),
        field("Purchased", date(s.created_at)),
        field("Term started", date(s.term_started_at)),
        field("Commitment end", text(&s.commitment_end_date)),
        Entry::Section("Partners"),
        field(
            "Partner of record",
            reseller_line(s.reseller.as_ref(), "None", theme),
        ),
        field(
            "Support contact",
            reseller_line(s.support_contact.as_ref(), &provider, theme),
        ),
    ]
}

/// An indirect reseller, from its row (it carries the whole record).
pub fn reseller(row: &ResellerRow, state: &AppState, theme: &Theme) -> Vec<Entry> {
    let check = |ok: Option<bool>, yes: &'static str, no: &'static str| match ok {
        Some(true) => Line::from(yes),
        Some(false) => Line::from(Span::styled(format!("⚠ {no}"), theme.warning)),
        None => Line::from(Span::styled(
            "? Unknown: nobody has checked yet",
            theme.warning,
        )),
    };
    let mut out = vec![
        Entry::Section("Indirect reseller"),
        field("Name", text(&row.name)),
        field("PartnerID (MPN ID)", text(&row.partner_id)),
        field("Location", text(&row.location)),
        field(
            "Partner since",
            state.local(row.since).format("%Y-%m-%d").to_string(),
        ),
        field("Customers", row.customers.to_string()),
        Entry::Section("Compliance"),
        field(
            "MPA",
            check(
                row.compliance.mpa.known(),
                "Signed for its region",
                "Not signed",
            ),
        ),
        field(
            "PartnerID as POR",
            check(
                row.compliance.por.known(),
                "Valid as partner of record",
                "Not valid",
            ),
        ),
    ];
    if let Some(at) = row.removed_at {
        out.push(field(
            "Partnership",
            Span::styled(
                format!("Removed {}", state.local(at).format("%Y-%m-%d")),
                theme.warning,
            ),
        ));
    }
    out
}

/// One changed field of an activity entry: its name when the entry says it, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Field names a change names first ("support contact A → B").
const FIELDS: [&str; 8] = [
    "support contact",
    "auto-renew",
    "quantity",
    "status",
    "offer",
    "reseller",
    "PartnerID",
    "name",
];

fn change(field: &str, before: Option<&str>, after: Option<&str>) -> Change {
    let own = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Change {
        field: field.to_owned(),
        before: own(before),
        after: own(after),
    }
}

/// An activity entry's before and after as one line per changed field:
/// - "quantity 5 → 10; status active → suspended" (what Subscription details records) is a
///   line per part, the field named;
/// - before and after of as many comma-separated parts ("Name, PartnerID 1, US, Active") are
///   paired, and only the parts that differ are listed;
/// - otherwise the whole before and the whole after.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<Change> {
    let before = before.map(|b| clean(b).into_owned());
    let after = after.map(|a| clean(a).into_owned());
    let (before, after) = (before.as_deref(), after.as_deref());
    if let (None, Some(after)) = (before, after)
        && after.contains('→')
    {
        return after
            .split("; ")
            .map(|part| {
                let (was, now) = part.split_once('→').unwrap_or(("", part));
                let was = was.trim();
                let field = FIELDS
                    .iter()
                    .find(|f| was.starts_with(*f))
                    .map_or_else(|| was.split(' ').next().unwrap_or(""), |f| *f);
                let was = was[field.len()..].trim();
                change(field, Some(was), Some(now))
            })
            .collect();
    }
    match (before, after) {
        (Some(b), Some(a)) => {
            let (bs, as_): (Vec<&str>, Vec<&str>) =
                (b.split(", ").collect(), a.split(", ").collect());
            if bs.len() == as_.len() && bs.len() > 1 {
                return bs
                    .iter()
                    .zip(&as_)
                    .enumerate()
                    .filter(|(_, (b, a))| b != a)
                    .map(|(i, (b, a))| {
                        // "PartnerID 1" → "PartnerID 2": the shared first word names the field.
                        let (bw, aw) = (b.split(' ').next(), a.split(' ').next());
                        match (bw, aw) {
                            (Some(w), Some(v)) if w == v && b.contains(' ') && a.contains(' ') => {
                                change(w, Some(&b[w.len()..]), Some(&a[w.len()..]))
                            }
                            _ if i == 0 => change("name", Some(b), Some(a)),
                            _ => change("", Some(b), Some(a)),
                        }
                    })
                    .collect();
            }
            vec![change("", Some(b), Some(a))]
        }
        (None, Some(a)) => vec![change("", None, Some(a))],
        (Some(b), None) => vec![change("", Some(b), None)],
        (None, None) => Vec::new(),
    }
}

/// An activity entry: who did what to what, and when; then its change.
pub fn activity(row: &ActivityRow, state: &AppState, theme: &Theme) -> Vec<Entry> {
    let mut out = vec![
        Entry::Section("Activity"),
        field(
            "When",
            state.local(row.at).format("%Y-%m-%d %H:%M:%S").to_string(),
        ),
        field("Operator", text(&row.operator)),
        field("Action", text(&row.action)),
        field("Target", text(&row.target)),
        Entry::Section("Before → after"),
    ];
    let list = changes(row.before.as_deref(), row.after.as_deref());
    if list.is_empty() {
        out.push(Entry::Note(Line::from(Span::styled(
            "No change recorded",
            theme.dim,
        ))));
    }
    for c in list {
        let was = c.before.map_or(Span::styled("(none)", theme.dim), |b| {
            Span::styled(b, theme.dim)
        });
        let now = c
            .after
            .map_or(Span::styled("(removed)", theme.warning), |a| {
                Span::styled(a, theme.accent)
            });
        out.push(field(c.field, Line::from(vec![was, Span::raw(" → "), now])));
    }
    out
}

/// For a list of subscriptions, in one call: splits `area`, draws the selected subscription's
/// record (`id`, as `detail` has it) in the pane when the terminal is wide enough, and gives
/// back the area left for the list.
pub fn subscription_beside(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    detail: &crate::app::detail::Detail,
    id: Option<i64>,
) -> Rect {
    let (list, pane) = detail_pane::split(area, state.width);
    if let Some(pane) = pane {
        let entries = match id {
            Some(id) => subscription(detail.of(RecordId::Subscription(id)), state, theme),
            None => vec![detail_pane::none_selected(theme)],
        };
        detail_pane::render(frame, pane, theme, "Subscription", &entries);
    }
    list
}
