//! Each store command's task, in words, for the error modal and the log (an inherent method,
//! so the worker calls it without importing this module).

use super::worker::{DbCmd, ListId};

impl DbCmd {
    /// The task, in words, for messages.
    pub(super) fn task(&self) -> String {
        match self {
            DbCmd::LoadProvider => "Loading the company profile".into(),
            DbCmd::Page { list, .. } => format!(
                "Loading the {}",
                match list {
                    ListId::Resellers => "indirect resellers",
                    ListId::Customers => "customers",
                    ListId::Activity => "activity log",
                    ListId::Users => "users",
                    ListId::Invitations => "partnership requests",
                    ListId::Subscriptions => "subscriptions",
                    ListId::ResellerPicker => "indirect resellers",
                    ListId::FollowUp => "follow-up worklist",
                    ListId::Renewals => "renewals",
                }
            ),
            DbCmd::PrepareInvitation { .. } | DbCmd::LoadInvitationDraft { .. } => {
                "Drafting the partnership request".into()
            }
            DbCmd::RecordInvitation { .. } => "Recording the partnership request".into(),
            DbCmd::RevokeInvitation { .. } => "Revoking the partnership request".into(),
            DbCmd::AcceptInvitation { .. } => "Recording the acceptance".into(),
            DbCmd::CheckPartnerId { .. } => "Checking the PartnerID".into(),
            DbCmd::RemovalImpact { .. } => "Counting what the reseller keeps".into(),
            DbCmd::RemovePartnership { .. } => "Removing the partnership".into(),
            DbCmd::SetCompliance { .. } => "Saving compliance".into(),
            DbCmd::LoadOffers => "Loading the offer catalog".into(),
            DbCmd::AddOperator { .. } => "Adding the user".into(),
            DbCmd::SetOperatorDisabled { .. } => "Changing the user".into(),
            DbCmd::SetOperatorRole { .. } => "Changing the role".into(),
            DbCmd::CheckDomain { .. } => "Checking the domain".into(),
            DbCmd::CreateCustomer { .. } => "Submitting the new customer".into(),
            DbCmd::AddSubscriptions { .. } => "Adding the subscriptions".into(),
            DbCmd::LoadSubscription { .. } => "Loading the subscription".into(),
            DbCmd::UpdateSubscription { .. } => "Saving the subscription".into(),
            DbCmd::LoadCustomerAccount { .. } => "Loading the customer's account".into(),
            DbCmd::LoadRecord(..) => "Loading the record".into(),
            DbCmd::VerifyPartnerId { .. } => "Verifying the PartnerID".into(),
            DbCmd::DiscardInvitation { .. } => "Recording the discarded request".into(),
            DbCmd::LoadRemovedReseller { .. } => "Loading the follow-up worklist".into(),
            DbCmd::CreateBook { .. } => "Setting up your own book".into(),
            DbCmd::ActAs { .. } => "Acting as the signed-in account".into(),
            DbCmd::LoadDashboard(_) => "Loading the dashboard".into(),
        }
    }
}
