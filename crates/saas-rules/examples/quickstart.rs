//! Lists the SaaS Access policies of a contract and group, then the versions and the
//! activations of the first one.
//!
//! With Akamai credentials available (`AKAMAI_*` variables, `AKAMAI_EDGERC` or `~/.edgerc`,
//! section `AKAMAI_SECTION` or `default`) it reads the real account and changes nothing.
//! Without them it starts an in-process fake server, creates and activates a demo policy there,
//! and runs the same workflow against it.
//!
//! ```text
//! cargo run -p saas-rules --example quickstart
//! cargo run -p saas-rules --example quickstart -- --contract 1-1TJZH5 --group 15225
//! ```

use std::path::PathBuf;

use saas_rules::{Client, types};
use saas_rules_fake::FakeServer;

/// Contract and group of the fake's demo policy (the seed document's examples).
const DEMO_CONTRACT: &str = "1-1TJZH5";
const DEMO_GROUP: &str = "15225";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut contract = flag("--contract");
    let mut group = flag("--group");

    // Kept alive until the end: the fake stops when dropped.
    let mut fake = None;
    let client = if credentials_configured() {
        let client = Client::from_env()?;
        println!("using Akamai credentials for {}", client.base_url());
        client
    } else {
        let server = FakeServer::start().await;
        println!(
            "no Akamai credentials (AKAMAI_* variables or ~/.edgerc): using an in-process fake \
             at {}",
            server.origin()
        );
        let client = Client::new(server.credentials())?;
        let contract = contract.get_or_insert_with(|| DEMO_CONTRACT.to_owned());
        let group = group.get_or_insert_with(|| DEMO_GROUP.to_owned());
        seed(&client, contract, group).await?;
        fake = Some(server);
        client
    };

    let mut maps = client.list_policy_maps();
    if let Some(contract) = &contract {
        maps = maps.contract_id(contract.as_str());
    }
    if let Some(group) = &group {
        maps = maps.group_id(group.as_str());
    }
    println!(
        "listing policies (contract {}, group {})",
        contract.as_deref().unwrap_or("any"),
        group.as_deref().unwrap_or("any")
    );
    let policies = maps.send().await?.into_inner().response;
    println!("{} policies", policies.len());
    for policy in &policies {
        println!(
            "  policy {} (version id {}): {}, version {}",
            policy.policy_id,
            policy.id,
            policy.policy_name.as_deref().unwrap_or("?"),
            policy.version.as_ref().map_or("?".into(), text),
        );
    }
    let Some(first) = policies.first() else {
        println!("no policy to look into");
        return Ok(());
    };

    println!("versions of policy {}", first.policy_id);
    let versions = client
        .list_policy_information()
        .policy_id(first.policy_id)
        .send()
        .await?
        .into_inner()
        .response;
    for version in &versions {
        println!(
            "  version {} (id {}), last modified by {}",
            version.version.as_ref().map_or("?".into(), text),
            version.id,
            version.policy_last_modified_by.as_deref().unwrap_or("?"),
        );
    }

    println!("activations of policy {}", first.policy_id);
    let activations = client
        .list_activations()
        .ids(first.policy_id.to_string())
        .send()
        .await?
        .into_inner();
    for property in &activations {
        for record in property.activated_policy_versions.iter().flatten() {
            let network = if record.production_status.is_some() {
                "production"
            } else {
                "staging"
            };
            let versions: Vec<String> = record
                .policies
                .iter()
                .flatten()
                .flat_map(|p| p.versions.iter().flatten())
                .filter_map(|v| v.policy_version_id.map(|id| id.to_string()))
                .collect();
            println!(
                "  {} on {network}: policy version id {}",
                property.name.as_deref().unwrap_or("?"),
                versions.join(", ")
            );
        }
    }
    if activations.is_empty() {
        println!("  none");
    }

    if let Some(fake) = fake {
        println!(
            "the fake verified the EdgeGrid signature of {} of {} requests",
            fake.verified_count(),
            fake.requests().len()
        );
    }
    Ok(())
}

/// Against the fake only: creates a demo policy in `contract`/`group` and activates it on
/// staging.
async fn seed(client: &Client, contract: &str, group: &str) -> Result<(), saas_rules::Error> {
    let body: types::CreatePolicyRequest = serde_json::from_value(serde_json::json!({
        "policyManagerRequest": {
            "command": "create",
            "create": {
                "cloudletId": "2",
                "policyName": "quickstart-demo",
                "policyDescription": "Allows the documentation network and the US.",
                "matchRules": [{
                    "type": "saMatchRule", "name": "rule 1", "start": 0, "end": 0, "id": 0,
                    "matches": [
                        {"matchType": "clientip", "matchOperator": "contains",
                         "matchValue": "192.0.2.0/24", "caseSensitive": false, "negate": false},
                        {"matchType": "country", "matchOperator": "contains",
                         "matchValue": "US", "caseSensitive": false, "negate": false}
                    ]
                }]
            }
        }
    }))
    .expect("a valid create request");
    let created = client
        .create_policy()
        .contract_id(contract)
        .group_id(group)
        .body(body)
        .send()
        .await?
        .into_inner();
    let policy = &created.response[0];
    println!(
        "seeded the fake: created policy {} (version id {})",
        policy.policy_id, policy.id
    );
    client
        .activate_policy()
        .network(types::Network::Staging)
        .ids(policy.id.to_string())
        .send()
        .await?;
    println!(
        "seeded the fake: activated version id {} on staging",
        policy.id
    );
    Ok(())
}

/// The value following `name` on the command line (`--contract 1-1TJZH5` or
/// `--contract=1-1TJZH5`).
fn flag(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == name {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix(name).and_then(|v| v.strip_prefix('=')) {
            return Some(value.to_owned());
        }
    }
    None
}

/// Whether Akamai credentials are configured: an `AKAMAI_*` credential variable, or an
/// `.edgerc` file where the edgegrid crate looks for one. A configuration that exists but is
/// broken is then reported by `Client::from_env`, rather than silently replaced by the fake.
fn credentials_configured() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let section = std::env::var("AKAMAI_SECTION")
        .ok()
        .filter(|s| !s.is_empty() && s != "default");
    let prefix = section.map_or("AKAMAI_".to_owned(), |s| {
        format!("AKAMAI_{}_", s.to_uppercase())
    });
    if ["HOST", "CLIENT_TOKEN", "CLIENT_SECRET", "ACCESS_TOKEN"]
        .iter()
        .any(|key| set(&format!("{prefix}{key}")))
    {
        return true;
    }
    if set("AKAMAI_EDGERC") {
        return true;
    }
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .is_some_and(|home| PathBuf::from(home).join(".edgerc").is_file())
}

/// An `IntegerOrString` as text.
fn text(value: &types::IntegerOrString) -> String {
    match value {
        types::IntegerOrString::Int64(n) => n.to_string(),
        types::IntegerOrString::String(s) => s.clone(),
    }
}
