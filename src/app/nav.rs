//! Where things are: the screens of the menu, and the address a store reply goes back to.
//! A leaf: it names no model, so every model can name a screen.

/// The screens: the Partner Center menu, and pages reached from it. Each one's words (label,
/// menu digit, parent) are declared by its model (`ScreenModel`); `app::screens` lists the models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The book at a glance: the screen the console opens on.
    Dashboard,
    Resellers,
    Customers,
    CompanyProfile,
    ActivityLog,
    Users,
    /// What renews or expires soon: subscriptions by commitment end date.
    Renewals,
    /// The ledger of partnership requests, reached from Indirect resellers.
    Invitations,
    /// Follow-up after Remove partnership: the subscriptions still naming a removed reseller.
    FollowUp,
}

/// Who asked the store, so its reply goes back there without a central match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum To {
    /// The model that returned the effect; `update` writes the real address before it leaves.
    Asker,
    /// `update` itself: the provider's profile and the catalog.
    App,
    Screen(Screen),
    /// The modal at this depth of the stack (0 is the bottom one).
    Modal(usize),
}
