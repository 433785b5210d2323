//! Workspace integration tests: one binary, one module per concern.

mod cipherscale_client;
mod cipherscale_fixtures;
mod cipherscale_mock;
mod client_faults;
mod decode_props;
mod harmony_client;
mod harmony_faults;
mod harmony_fixtures;
mod harmony_mock;
mod harmony_settings;
mod progenitor_errors;
mod saas_rules_client;
mod saas_rules_errors;
mod saas_rules_mock;
mod secrets;
mod strict_schemas;

/// A `reqwest::Client` of the caller's own, told apart by its user agent.
fn own_http_client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .build()
        .expect("reqwest client")
}
