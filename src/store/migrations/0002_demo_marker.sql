-- A demo book says so in the database itself, so it is never taken for a real one (and a real
-- one is never replaced by `twotier demo`). Books made before this step by the demo seed are the
-- Northwind demo provider: they are marked from its company name and PartnerID.
ALTER TABLE provider ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
UPDATE provider SET is_demo = 1
 WHERE company_name = 'Northwind Cloud Distribution' AND partner_id = '4120357';
