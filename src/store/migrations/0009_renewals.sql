-- Renewals: the present subscriptions that still renew or expire (active, pending, suspended),
-- by commitment end date. Each page of the Renewals list walks one of these partial indexes
-- from its key and stops at the page size, at any size of book; the reseller filter walks the
-- second. A query uses them only when its WHERE repeats this one (store/renewals.rs: SCOPE).
CREATE INDEX subscriptions_renewing ON subscriptions (commitment_end_date, id)
    WHERE removed_at IS NULL AND status IN ('active', 'pending', 'suspended');
CREATE INDEX subscriptions_renewing_by_reseller ON subscriptions (reseller_id, commitment_end_date, id)
    WHERE removed_at IS NULL AND status IN ('active', 'pending', 'suspended');
