//! The activation list, shaped like the seed's example: one property configuration with the
//! policies available on it and its history of activated policy versions.

use serde_json::{Value, json};

use crate::routes::ActivationQuery;
use crate::state::{State, USER, Version};

/// The property configuration every activation of the fake lands on.
const PROPERTY: &str = "fake.example.com";
const ASSET_ID: i64 = 7_750_603;
const FILE_ID: i64 = 180_234;

/// `{policyName, cloudletId, versions: [{version, acgId, policyVersionId}], id}` of one
/// policy with the given versions.
fn policy_entry(first: &Version, versions: &[&Version]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({
                "version": v.number().to_string(),
                "acgId": v.policy["acgId"],
                "policyVersionId": v.id(),
            })
        })
        .collect();
    json!({
        "policyName": first.name(),
        "cloudletId": 2,
        "versions": versions,
        "id": first.policy_id(),
    })
}

/// The `GET /activations/` answer: `[]` until something is activated, then one property
/// configuration. `network` keeps only that network's history, `ids` (policy ids) only those
/// policies', and `historyOnly=true` leaves out the policies available for activation.
pub(crate) fn list(state: &State, query: &ActivationQuery) -> Value {
    let wanted = |version: &Version| {
        query
            .ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&version.policy_id()))
    };
    let history: Vec<Value> = state
        .activations
        .iter()
        .rev()
        .filter(|a| query.network.as_deref().is_none_or(|n| n == a.network))
        .filter_map(|a| {
            let version = state.version(a.version_id).filter(|v| wanted(v))?;
            let production = a.network == "production";
            let on = |yes: bool, value: Value| if yes { value } else { Value::Null };
            Some(json!({
                "policies": [policy_entry(version, &[version])],
                "productionStatus": on(production, json!("4000")),
                "fileId": FILE_ID,
                "assetId": ASSET_ID,
                "createdBy": USER,
                "productionLastUpdated": on(production, json!(a.at_millis)),
                "stageLastUpdated": on(!production, json!(a.at_millis)),
                "stageStatus": on(!production, json!("4000")),
                "propertyName": PROPERTY,
                "id": a.id,
                "type": "ump",
            }))
        })
        .collect();
    if state.activations.is_empty() {
        return json!([]);
    }

    let mut policy_ids: Vec<i64> = Vec::new();
    for activation in &state.activations {
        if let Some(version) = state.version(activation.version_id)
            && wanted(version)
            && !policy_ids.contains(&version.policy_id())
        {
            policy_ids.push(version.policy_id());
        }
    }
    let available: Vec<Value> = policy_ids
        .iter()
        .filter_map(|policy_id| {
            let versions: Vec<&Version> = state
                .versions
                .iter()
                .filter(|v| v.policy_id() == *policy_id)
                .collect();
            Some(policy_entry(versions.first()?, &versions))
        })
        .collect();
    let tokens: Vec<Value> = available.iter().map(|p| p["policyName"].clone()).collect();
    let status = |network: &str| {
        if state.activations.iter().any(|a| a.network == network) {
            "ACTIVE"
        } else {
            "DEACTIVATED"
        }
    };
    json!([{
        "version": "1",
        "userData": "",
        "propertyVersionId": "1876276",
        "stagingStatus": status("staging"),
        "policies": if query.history_only { Value::Null } else { Value::Array(available) },
        "productionStatus": status("production"),
        "fileId": FILE_ID,
        "assetId": ASSET_ID,
        "activatedPolicyVersions": history,
        "tokens": tokens,
        "featureKey": "saasdefinitions",
        "name": PROPERTY,
    }])
}
