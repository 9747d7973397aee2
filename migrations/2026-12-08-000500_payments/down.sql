DROP TABLE stripe_events;
DROP TABLE payments;
DROP TABLE invoices;
DROP FUNCTION igny8_next_invoice_number(integer);
DROP TABLE invoice_counters;
DROP TABLE credit_packages;
