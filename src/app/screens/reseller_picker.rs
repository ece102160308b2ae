//! The reseller picker: active indirect resellers, searched by name or PartnerID as the operator
//! types, keyset-paged like every list; an optional first row ("All", "None", "You") stands for
//! no reseller.

use tui_input::{Input, InputRequest};

use crate::app::effect::Effect;
use crate::app::list::ListModel;
use crate::store::list::ResellerRow;
use crate::store::worker::ListId;

/// What the choice is for: where it goes when the operator presses Enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerPurpose {
    /// Customers, `f`: narrow the list to one reseller's customers.
    CustomersFilter,
    /// Add new customer: the reseller the customer is associated with.
    CustomerReseller,
    /// New subscription: the reseller credited as partner of record.
    PartnerOfRecord,
    /// Subscription details: Reseller (MPN ID).
    SubscriptionReseller,
    /// Subscription details: Designated support contact.
    SupportContact,
}

impl PickerPurpose {
    pub fn title(self) -> &'static str {
        match self {
            PickerPurpose::CustomersFilter => "Filter by indirect reseller",
            PickerPurpose::CustomerReseller => "Indirect reseller",
            PickerPurpose::PartnerOfRecord => "Partner of record (for incentives)",
            PickerPurpose::SubscriptionReseller => "Reseller (MPN ID)",
            PickerPurpose::SupportContact => "Designated support contact",
        }
    }

    /// The row that means "no reseller".
    pub fn none_label(self) -> &'static str {
        match self {
            PickerPurpose::CustomersFilter => "All (no filter)",
            PickerPurpose::CustomerReseller => "None (a direct customer)",
            PickerPurpose::PartnerOfRecord | PickerPurpose::SubscriptionReseller => {
                "None (no partner of record)"
            }
            PickerPurpose::SupportContact => "You (the indirect provider)",
        }
    }

    /// Partner-of-record choices must pass compliance (MPA signed, PartnerID valid as POR).
    pub fn credits(self) -> bool {
        matches!(
            self,
            PickerPurpose::PartnerOfRecord | PickerPurpose::SubscriptionReseller
        )
    }
}

/// The reseller chosen, as the forms keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerChoice {
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    /// Why it can't be credited as partner of record, if it can't.
    pub compliance: Option<&'static str>,
}

impl From<&ResellerRow> for ResellerChoice {
    fn from(r: &ResellerRow) -> Self {
        ResellerChoice {
            id: r.id,
            name: r.name.clone(),
            partner_id: r.partner_id.clone(),
            compliance: r.compliance_warning(),
        }
    }
}

/// Enter chose nothing: no row, or a reseller that can't be credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotChosen;

#[derive(Debug, Clone)]
pub struct ResellerPicker {
    pub purpose: PickerPurpose,
    pub list: ListModel<ResellerRow>,
    pub search: Input,
    /// The "no reseller" row is selected (it sits above the list).
    pub on_none: bool,
    /// Why the last Enter was refused.
    pub problem: Option<String>,
}

impl ResellerPicker {
    /// Opens on the first page of active resellers.
    pub fn open(purpose: PickerPurpose, seq: &mut u64) -> (ResellerPicker, Effect) {
        let mut list = ListModel::new(ListId::ResellerPicker);
        list.highlight = false;
        let effect = list.reload(seq);
        (
            ResellerPicker {
                purpose,
                list,
                search: Input::default(),
                on_none: true,
                problem: None,
            },
            effect,
        )
    }

    pub fn edit(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect> {
        self.search.handle(request);
        self.problem = None;
        let text = self.search.value().to_owned();
        if text == self.list.filter.search {
            return None;
        }
        self.list.filter.search = text;
        // Searching means looking for a reseller: the first match is selected, not "none".
        self.on_none = self.list.filter.search.is_empty();
        self.list.highlight = !self.on_none;
        Some(self.list.reload(seq))
    }

    pub fn paste(&mut self, text: &str, seq: &mut u64) -> Option<Effect> {
        let mut effect = None;
        for c in crate::domain::text::clean(text).chars() {
            effect = self.edit(InputRequest::InsertChar(c), seq).or(effect);
        }
        effect
    }

    pub fn move_by(&mut self, delta: isize, viewport: usize, seq: &mut u64) -> Option<Effect> {
        self.problem = None;
        if delta < 0 && self.list.selected == 0 && !self.list.more_before {
            self.on_none = true;
            self.list.highlight = false;
            return None;
        }
        if self.on_none {
            if delta > 0 && !self.list.rows.is_empty() {
                self.on_none = false;
                self.list.highlight = true;
            }
            return None;
        }
        self.list.move_by(delta, viewport, seq)
    }

    /// Enter: `Ok(None)` for the "no reseller" row, `Ok(Some(choice))`, or `NotChosen` (the
    /// reason is in `problem`).
    pub fn choose(&mut self) -> Result<Option<ResellerChoice>, NotChosen> {
        if self.on_none {
            return Ok(None);
        }
        let Some(row) = self.list.selected_row() else {
            return Err(NotChosen);
        };
        let choice = ResellerChoice::from(row);
        if self.purpose.credits()
            && let Some(why) = choice.compliance
        {
            self.problem = Some(format!(
                "{} can't be credited: {why}. Orders and subscriptions can't name it as partner of record until its \
                 compliance is fixed (Indirect resellers, c).",
                choice.name
            ));
            return Err(NotChosen);
        }
        Ok(Some(choice))
    }
}
