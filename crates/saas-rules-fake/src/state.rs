//! The fake's in-memory account: policy versions and activations.

use serde_json::{Value, json};

/// A policy created in the fake: its version id (`id`) and policy id (`policyId`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeededPolicy {
    /// The version identifier (`id`), for `getPolicy`, `modifyPolicy` and activations.
    pub id: i64,
    /// The policy identifier shared by its versions (`policyId`), for `listPolicyInformation`.
    pub policy_id: i64,
}

/// One stored policy version: the full policy JSON and the contract and group it belongs to.
pub(crate) struct Version {
    pub(crate) policy: Value,
    pub(crate) contract_id: Option<String>,
    pub(crate) group_id: Option<String>,
}

impl Version {
    pub(crate) fn id(&self) -> i64 {
        self.policy["id"].as_i64().unwrap_or_default()
    }

    pub(crate) fn policy_id(&self) -> i64 {
        self.policy["policyId"].as_i64().unwrap_or_default()
    }

    pub(crate) fn name(&self) -> &str {
        self.policy["policyName"].as_str().unwrap_or_default()
    }

    pub(crate) fn number(&self) -> i64 {
        self.policy["version"].as_i64().unwrap_or_default()
    }
}

/// One activation of a policy version on a network.
pub(crate) struct Activation {
    pub(crate) id: i64,
    pub(crate) network: String,
    pub(crate) version_id: i64,
    pub(crate) at_millis: i64,
}

pub(crate) struct State {
    pub(crate) versions: Vec<Version>,
    pub(crate) activations: Vec<Activation>,
    next_id: i64,
    next_policy_id: i64,
}

/// The cloudlet configuration the API reports for SaaS Access policies (seed examples).
pub(crate) fn cloudlet_config() -> Value {
    json!({
        "id": 0,
        "key": "SA",
        "name": "SAASACCESS",
        "featureKey": "saasdefinitions",
        "engProduct": "Multiple",
        "policyFileNamePrefix": "nimbus_",
        "openAPIContextRoot": "/config-saas-rules",
        "isInternal": true,
        "stagingLocation": "tapioca_staging_ump_files",
        "productionLocation": "tapioca_ump_files",
        "logsLocation": null
    })
}

/// Milliseconds since the epoch, as the API writes timestamps.
pub(crate) fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The user the fake records as author.
pub(crate) const USER: &str = "fake-user";

/// The access control group of every policy.
const ACG_ID: &str = "3-10TQKCS";

/// What a new policy is made of.
pub(crate) struct NewPolicy<'a> {
    pub(crate) name: &'a str,
    pub(crate) description: Value,
    pub(crate) match_rules: Value,
    pub(crate) contract_id: Option<String>,
    pub(crate) group_id: Option<String>,
}

impl State {
    pub(crate) fn new() -> Self {
        State {
            versions: Vec::new(),
            activations: Vec::new(),
            next_id: 1130,
            next_policy_id: 680,
        }
    }

    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// The latest version of the policy named `name`, if any.
    pub(crate) fn by_name(&self, name: &str) -> Option<&Version> {
        self.versions.iter().rev().find(|v| v.name() == name)
    }

    /// The version with this `id`.
    pub(crate) fn version(&self, id: i64) -> Option<&Version> {
        self.versions.iter().find(|v| v.id() == id)
    }

    /// The latest version of each policy, in creation order.
    pub(crate) fn latest_versions(&self) -> Vec<&Version> {
        let mut latest: Vec<&Version> = Vec::new();
        for version in &self.versions {
            match latest
                .iter_mut()
                .find(|v| v.policy_id() == version.policy_id())
            {
                Some(slot) if slot.number() < version.number() => *slot = version,
                Some(_) => {}
                None => latest.push(version),
            }
        }
        latest
    }

    /// Creates a policy at version 1 and returns its JSON.
    pub(crate) fn create(&mut self, new: NewPolicy<'_>) -> Value {
        let id = self.id();
        self.next_policy_id += 1;
        let now = now_millis();
        let policy = json!({
            "id": id,
            "policyId": self.next_policy_id,
            "createdBy": USER,
            "createDate": now,
            "acgId": ACG_ID,
            "version": 1,
            "immutable": false,
            "activatedProduction": 0,
            "activatedStaging": 0,
            "activatedTest": 0,
            "description": null,
            "policyName": new.name,
            "assetId": 0,
            "cloudletId": 2,
            "cloudletConfig": cloudlet_config(),
            "policyDescription": new.description,
            "policyCreatedBy": USER,
            "policyLastModifiedBy": USER,
            "policyCreateDate": now,
            "policyLastModifiedDate": now,
            "matchRules": new.match_rules,
        });
        self.versions.push(Version {
            policy: policy.clone(),
            contract_id: new.contract_id,
            group_id: new.group_id,
        });
        policy
    }

    /// Saves a new version of the policy of version `base` from an `update` object and
    /// returns its JSON: fields the update gives replace the base's; `matchRules` replace the
    /// base's rules when `overwriteRules` is true, and are appended to them otherwise.
    pub(crate) fn modify(&mut self, base: i64, update: &Value) -> Option<Value> {
        let (mut policy, contract_id, group_id) = {
            let base = self.version(base)?;
            (
                base.policy.clone(),
                base.contract_id.clone(),
                base.group_id.clone(),
            )
        };
        let policy_id = policy["policyId"].as_i64().unwrap_or_default();
        let number = self
            .versions
            .iter()
            .filter(|v| v.policy_id() == policy_id)
            .map(Version::number)
            .max()
            .unwrap_or_default()
            + 1;
        for field in ["description", "policyDescription", "policyName"] {
            if let Some(value) = update.get(field) {
                policy[field] = value.clone();
            }
        }
        let given = update.get("matchRules").filter(|r| !r.is_null());
        if update["overwriteRules"].as_bool() == Some(true) {
            policy["matchRules"] = given.cloned().unwrap_or_else(|| json!([]));
        } else if let Some(Value::Array(given)) = given {
            let mut rules = policy["matchRules"].as_array().cloned().unwrap_or_default();
            rules.extend(given.iter().cloned());
            policy["matchRules"] = Value::Array(rules);
        }
        let now = now_millis();
        policy["id"] = json!(self.id());
        policy["version"] = json!(number);
        policy["createdBy"] = json!(USER);
        policy["createDate"] = json!(now);
        policy["activatedProduction"] = json!(0);
        policy["activatedStaging"] = json!(0);
        policy["policyLastModifiedBy"] = json!(USER);
        policy["policyLastModifiedDate"] = json!(now);
        self.versions.push(Version {
            policy: policy.clone(),
            contract_id,
            group_id,
        });
        Some(policy)
    }

    /// Activates versions on a network (all of them exist).
    pub(crate) fn activate(&mut self, network: &str, version_ids: &[i64]) {
        let now = now_millis();
        let field = if network == "production" {
            "activatedProduction"
        } else {
            "activatedStaging"
        };
        for &version_id in version_ids {
            let id = self.id();
            if let Some(version) = self.versions.iter_mut().find(|v| v.id() == version_id) {
                version.policy[field] = json!(now);
            }
            self.activations.push(Activation {
                id,
                network: network.to_owned(),
                version_id,
                at_millis: now,
            });
        }
    }
}
