//! (filled in by the saas_rules_errors work)
