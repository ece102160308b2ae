//! New subscription: the offer catalog, the licenses, term and billing cycle of each line.

use crate::domain::fold::matches;
use tui_input::{Input, InputRequest};

use crate::app::list::SearchField;
use crate::app::outcome::ResellerChoice;
use crate::store::customers::{NewOrder, Offer, OrderLine, cycle_fits};

/// Offers the catalog shows at once on a terminal `height` rows high (the wizard's frame,
/// steps, partner of record and keys take the rest): what `PgUp`/`PgDn` move by.
pub fn catalog_page(height: u16) -> isize {
    height.saturating_sub(12).max(1) as isize
}

/// One offer of the catalog, as the New subscription step shows it.
#[derive(Debug, Clone)]
pub struct OfferLine {
    pub offer: Offer,
    pub selected: bool,
    /// The licenses, as typed.
    pub quantity: Input,
    pub term: usize,
    pub billing_cycle: usize,
    /// The licenses are still the default: the first digit typed replaces them.
    pub fresh: bool,
}

impl OfferLine {
    pub fn quantity_problem(&self) -> Option<String> {
        let o = &self.offer;
        match self.quantity.value().trim().parse::<i64>() {
            Err(_) => Some(format!(
                "Licenses: a number from {} to {}.",
                o.min_quantity, o.max_quantity
            )),
            Ok(n) if !(o.min_quantity..=o.max_quantity).contains(&n) => Some(format!(
                "{n} licenses: {} allows {} to {}.",
                o.name, o.min_quantity, o.max_quantity
            )),
            Ok(_) => None,
        }
    }

    pub fn term(&self) -> &str {
        self.offer
            .terms
            .get(self.term)
            .map_or("P1M", String::as_str)
    }

    pub fn billing_cycle(&self) -> &str {
        self.offer
            .billing_cycles
            .get(self.billing_cycle)
            .map_or("monthly", String::as_str)
    }
}

#[derive(Debug, Clone)]
pub struct OrderForm {
    pub lines: Vec<OfferLine>,
    /// Index into `visible()`.
    pub cursor: usize,
    /// The catalog search, while open.
    pub search: Option<SearchField>,
    pub partner_of_record: Option<ResellerChoice>,
}

impl OrderForm {
    pub fn new(catalog: &[Offer], partner_of_record: Option<ResellerChoice>) -> OrderForm {
        let lines = catalog
            .iter()
            .map(|o| OfferLine {
                offer: o.clone(),
                selected: false,
                quantity: Input::new(o.min_quantity.to_string()),
                term: o.terms.iter().position(|t| t == "P1Y").unwrap_or(0),
                billing_cycle: 0,
                fresh: true,
            })
            .collect();
        OrderForm {
            lines,
            cursor: 0,
            search: None,
            partner_of_record,
        }
    }

    /// The lines the search shows, as indexes into `lines`.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.search.as_ref().map_or("", |s| s.input.value());
        // The lists' search rule: anywhere, any case, any accent.
        (0..self.lines.len())
            .filter(|i| {
                let o = &self.lines[*i].offer;
                matches(&o.name, needle) || matches(&o.family, needle)
            })
            .collect()
    }

    fn current(&mut self) -> Option<&mut OfferLine> {
        let index = *self.visible().get(self.cursor)?;
        self.lines.get_mut(index)
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.visible().len();
        if n > 0 {
            self.cursor = (self.cursor as isize + delta).clamp(0, n as isize - 1) as usize;
        }
    }

    /// `Home` / `End`: the first or last offer the search shows.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.visible().len().saturating_sub(1);
    }

    pub fn toggle(&mut self) {
        if let Some(line) = self.current() {
            line.selected = !line.selected;
        }
    }

    /// `+` / `-`: one license more or less, within the offer's limits; selects the offer.
    pub fn step_quantity(&mut self, delta: i64) {
        if let Some(line) = self.current() {
            let now = line
                .quantity
                .value()
                .trim()
                .parse::<i64>()
                .unwrap_or(line.offer.min_quantity);
            let n = (now + delta).clamp(line.offer.min_quantity, line.offer.max_quantity);
            line.quantity = Input::new(n.to_string());
            line.selected = true;
            line.fresh = false;
        }
    }

    /// Digits typed on a line set its licenses (and select it).
    pub fn edit_quantity(&mut self, request: InputRequest) {
        let accept = match request {
            InputRequest::InsertChar(c) => c.is_ascii_digit(),
            InputRequest::DeletePrevChar
            | InputRequest::DeleteNextChar
            | InputRequest::DeleteLine => true,
            _ => false,
        };
        if let Some(line) = self.current().filter(|_| accept) {
            if line.fresh {
                // The first digit replaces the default.
                line.quantity = Input::default();
                line.fresh = false;
            }
            line.selected = true;
            line.quantity.handle(request);
        }
    }

    /// `t`: the next term; the billing cycle falls back to monthly if it no longer fits.
    pub fn cycle_term(&mut self) {
        if let Some(line) = self.current() {
            line.term = (line.term + 1) % line.offer.terms.len().max(1);
            if !cycle_fits(line.term(), line.billing_cycle()) {
                line.billing_cycle = 0;
            }
            line.selected = true;
        }
    }

    /// `b`: the next billing cycle that fits the term.
    pub fn cycle_billing(&mut self) {
        if let Some(line) = self.current() {
            let n = line.offer.billing_cycles.len().max(1);
            for _ in 0..n {
                line.billing_cycle = (line.billing_cycle + 1) % n;
                if cycle_fits(line.term(), line.billing_cycle()) {
                    break;
                }
            }
            line.selected = true;
        }
    }

    pub fn selected(&self) -> impl Iterator<Item = &OfferLine> {
        self.lines.iter().filter(|l| l.selected)
    }

    /// Next: Review is refused, with the reason, unless the order can be placed.
    pub fn check(&mut self) -> Result<(), String> {
        if self.selected().next().is_none() {
            return Err(
                "Select at least one subscription (Space), and enter its number of licenses."
                    .into(),
            );
        }
        if let Some((index, problem)) = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.selected)
            .find_map(|(i, l)| l.quantity_problem().map(|p| (i, p)))
        {
            if let Some(at) = self.visible().iter().position(|v| *v == index) {
                self.cursor = at;
            }
            return Err(problem);
        }
        if let Some(r) = &self.partner_of_record
            && let Some(why) = r.compliance.failure()
        {
            return Err(format!(
                "{} can't be the partner of record: {why}. Choose another reseller or none (p).",
                r.name
            ));
        }
        Ok(())
    }

    /// The partner of record's MPA or POR is unknown: said on the step and asked on Submit.
    pub fn unknown_warning(&self) -> Option<String> {
        let r = self.partner_of_record.as_ref()?;
        r.compliance.unknown_warning(&r.name)
    }

    pub fn order(&self, attestation_accepted: bool) -> NewOrder {
        NewOrder {
            lines: self
                .selected()
                .map(|l| OrderLine {
                    offer_id: l.offer.id.clone(),
                    quantity: l
                        .quantity
                        .value()
                        .trim()
                        .parse()
                        .unwrap_or(l.offer.min_quantity),
                    term: l.term().to_owned(),
                    billing_cycle: l.billing_cycle().to_owned(),
                })
                .collect(),
            partner_of_record: self.partner_of_record.as_ref().map(|r| r.id),
            attestation_accepted,
        }
    }
}
