//! Compliance of one reseller: MPA signed for its region, PartnerID valid as partner of record.
//! Orders refuse to credit a reseller that fails either.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceForm {
    pub reseller_id: i64,
    pub name: String,
    pub mpa_signed: bool,
    pub por_valid: bool,
    /// 0: MPA, 1: POR.
    pub focus: usize,
}

impl ComplianceForm {
    pub fn toggle(&mut self) {
        if self.focus == 0 {
            self.mpa_signed = !self.mpa_signed;
        } else {
            self.por_valid = !self.por_valid;
        }
    }
}
