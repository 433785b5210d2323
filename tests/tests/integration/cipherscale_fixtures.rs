//! Cipherscale policy model: the documented example payloads decode into the generated types.
//!
//! Fixtures live in `tests/fixtures/cipherscale-policy/` (a copy of the shared reference
//! folder; see its SOURCES.md). The folder holds examples of the whole Cipherscale API: the
//! ones that belong to the policy model are decoded by [`DECODED`], every other one is named in
//! [`SKIPPED`] with the reason, and [`every_fixture_is_decoded_or_skipped`] keeps both lists
//! complete.

use std::collections::BTreeSet;

use cipherscale_policy::types::{
    Error as ApiError, ErrorMessage, IdList, Policy, PolicyAdmissionRule, PolicyAdmissionRuleType,
    PolicyAdmissionRuleTypeKnown, PolicyDeviceStatus, PolicyGateway, PolicyGatewayResource,
    PolicyGatewayStatus, PolicyGatewayStatusKnown, PolicyMode, PolicyModeKnown, PolicyResourceType,
    PolicyType, PolicyUserStatus, UpdatePolicy,
};
use serde_json::{Value, json};
use workspace_tests::{fixture_files, fixture_path};

const API: &str = "cipherscale-policy";

/// A `fn(&str) -> Result<(), String>` that decodes the text as `$ty`, then checks that
/// re-encoding loses nothing but nulls. (A macro, not a generic function: the tests crate does
/// not depend on serde, so its traits cannot be named here.)
macro_rules! decode_lossless {
    ($ty:ty) => {{
        fn decode(text: &str) -> Result<(), String> {
            let original: Value =
                serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
            let decoded: $ty =
                serde_json::from_str(text).map_err(|e| format!("does not decode: {e}"))?;
            let reencoded =
                serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
            if without_nulls(&reencoded) != without_nulls(&original) {
                return Err(format!(
                    "re-encoding changed the payload:\n{original:#}\n->\n{reencoded:#}"
                ));
            }
            Ok(())
        }
        decode as fn(&str) -> Result<(), String>
    }};
}

/// `value` with every `null` object member removed (an absent and a null field are the same
/// `None` once decoded).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Fixtures of the policy model, each with the generated type it decodes into.
const DECODED: &[workspace_tests::Decoded] = &[
    (
        "admission_rule_doc_example.json",
        "PolicyAdmissionRule (Policy.rule; the seed's rule example is this same payload)",
        decode_lossless!(PolicyAdmissionRule),
    ),
    (
        "gateway_resource_doc_example.json",
        "PolicyGatewayResource (Policy.gateways[].resources[])",
        decode_lossless!(PolicyGatewayResource),
    ),
];

/// Fixtures of other parts of the Cipherscale API, with the reason they are not decoded here.
const SKIPPED: &[(&str, &str)] = &[
    (
        "admission_rule_create_request_doc_example.json",
        "CreateAdmissionRule: request body of POST /tenants/admission-rules (admission-rules API)",
    ),
    (
        "gateway_create_request_doc_example.json",
        "CreateGateway: request body of POST /tenants/gateways (gateways API)",
    ),
    (
        "gateway_test_configuration_response_doc_example.json",
        "TestConfiguration: response of POST /tenants/gateways/{id}/test-configuration (gateways API)",
    ),
    (
        "protocol_create_request_doc_example.json",
        "CreateProtocol: request body of the network-protocols API",
    ),
    (
        "protocol_doc_example.json",
        "Protocol: response of the network-protocols API",
    ),
    (
        "user_update_request_doc_example.json",
        "UpdateUser: request body of the users API",
    ),
    (
        "user_update_roles_request_doc_example.json",
        "UpdateUserRoles: request body of the users API",
    ),
];

/// The seed's Policy example with its placeholder values (`"id"`, `"createdAt"`, `"name"`,
/// gateway `"token"`, sourceIps `["[]"]`, …) replaced by realistic ones; the same payload is
/// the `Policy` example in specs/cipherscale-policy.yaml.
const SEED_POLICY_EXAMPLE: &str = r#"{
  "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  "createdAt": "2023-01-15T14:30:00Z",
  "updatedAt": "2023-02-01T09:15:00Z",
  "name": "Engineering Web Server Deny",
  "action": false,
  "order": 0,
  "isDefault": false,
  "type": "PRIVATE",
  "mode": "LOCAL",
  "allGroups": false,
  "allUsers": false,
  "allDevices": false,
  "allResources": false,
  "groups": [
    {
      "id": "550e8400-e29b-41d4-a716-446655440000",
      "createdAt": "2023-01-15T14:30:00Z",
      "updatedAt": "2023-01-15T14:30:00Z",
      "name": "Engineering Team",
      "description": "Team responsible for software development and engineering",
      "maxDevices": 10,
      "isSamlDefaultGroup": false,
      "idpMapping": ["engineering-team", "dev-team"]
    }
  ],
  "users": [
    {
      "id": "550e8400-e29b-41d4-a716-446655440000",
      "createdAt": "2023-01-15T14:30:00Z",
      "updatedAt": "2023-01-15T14:30:00Z",
      "lastConnection": "2023-01-15T14:30:00Z",
      "email": "jane.smith@company.com",
      "status": "ACTIVE",
      "firstName": "Jane",
      "lastName": "Smith",
      "isOwner": false,
      "maxDevices": 5,
      "image": "https://example.com/avatars/jane-smith.jpg"
    }
  ],
  "devices": [
    {
      "id": "550e8400-e29b-41d4-a716-446655440000",
      "createdAt": "2023-01-15T14:30:00Z",
      "updatedAt": "2023-01-15T14:30:00Z",
      "name": "John's MacBook Pro",
      "active": true,
      "lastConnection": "2023-01-15T14:30:00Z",
      "status": "Online",
      "hardwareId": "MAC-001122334455",
      "posture": {"compliant": true, "lastCheck": "2023-01-15T14:30:00Z"},
      "appVersion": "1.2.3"
    }
  ],
  "resources": [
    {
      "id": "550e8400-e29b-41d4-a716-446655440000",
      "createdAt": "2023-01-15T14:30:00Z",
      "updatedAt": "2023-01-15T14:30:00Z",
      "name": "Internal Web Server",
      "type": "PRIVATE",
      "loadBalancingMode": "MANUAL",
      "description": "Internal web server for company applications"
    }
  ],
  "gateways": [
    {
      "id": "9b2d7f3a-1c4e-4f6b-8a0d-3e5f7a9c1b2d",
      "createdAt": "2023-01-10T08:00:00Z",
      "updatedAt": "2023-01-15T14:30:00Z",
      "name": "US-East Gateway",
      "description": "Primary gateway for US East region data center",
      "wireguardPort": "51820",
      "status": "PENDING",
      "error": null,
      "token": "gw_5f3c9a1e7b2d4f60a8c1e3b5d7f9a2c4",
      "lastOnline": null,
      "relayEnabled": false,
      "endpoint": "gateway-us-east.company.com",
      "autoDiscoverEndpoint": false,
      "resources": [
        {"id": "550e8400-e29b-41d4-a716-446655440000", "name": "Internal Web Server"}
      ]
    }
  ],
  "sourceIps": ["192.168.1.0/24", "10.0.0.0/8"],
  "rule": {
    "id": "550e8400-e29b-41d4-a716-446655440000",
    "name": "Engineering Department Access",
    "type": "ALLOW",
    "rule": "user.department == 'Engineering'",
    "hasTimeConstraint": false,
    "createdAt": "2023-01-15T10:30:00Z",
    "updatedAt": "2023-01-15T10:30:00Z"
  },
  "description": "Denies the engineering team access to the internal web server from outside the office"
}"#;

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .expect("fixture has a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn policy_model_fixtures_decode() {
    let mut failures = Vec::new();
    for (file, target, decode) in DECODED {
        let path = fixture_path(API, file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        if let Err(why) = decode(&text) {
            failures.push(format!("{file} as {target}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures that do not decode:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_is_decoded_or_skipped() {
    let on_disk: BTreeSet<String> = fixture_files(API).iter().map(|p| file_name(p)).collect();
    let decoded: BTreeSet<String> = DECODED.iter().map(|(f, _, _)| f.to_string()).collect();
    let skipped: BTreeSet<String> = SKIPPED.iter().map(|(f, _)| f.to_string()).collect();

    assert_eq!(
        decoded.len(),
        DECODED.len(),
        "a file is listed twice in DECODED"
    );
    assert_eq!(
        skipped.len(),
        SKIPPED.len(),
        "a file is listed twice in SKIPPED"
    );
    let both: Vec<_> = decoded.intersection(&skipped).collect();
    assert!(both.is_empty(), "files both decoded and skipped: {both:?}");

    let listed: BTreeSet<String> = decoded.union(&skipped).cloned().collect();
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "fixtures neither decoded nor skipped: {unlisted:?}"
    );
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "listed fixtures that do not exist: {missing:?}"
    );
    for (file, reason) in SKIPPED {
        assert!(
            !reason.trim().is_empty(),
            "{file} is skipped without a reason"
        );
    }
}

#[test]
fn seed_policy_example_decodes() {
    decode_lossless!(Policy)(SEED_POLICY_EXAMPLE).expect("seed Policy example");

    let policy: Policy = serde_json::from_str(SEED_POLICY_EXAMPLE).expect("seed Policy example");
    assert_eq!(policy.name, "Engineering Web Server Deny");
    assert_eq!(
        policy.mode,
        Some(PolicyMode::PolicyModeKnown(PolicyModeKnown::Local))
    );
    assert_eq!(policy.order, Some(0));
    assert!(!policy.all_groups);
    let gateways: &[PolicyGateway] = policy.gateways.as_deref().expect("gateways");
    assert_eq!(
        gateways[0].status,
        Some(PolicyGatewayStatus::PolicyGatewayStatusKnown(
            PolicyGatewayStatusKnown::Pending
        ))
    );
    assert_eq!(gateways[0].error, None, "null decodes as None");
    assert_eq!(gateways[0].last_online, None, "null decodes as None");
    let rule = policy.rule.as_ref().expect("rule");
    assert_eq!(
        rule.type_,
        Some(PolicyAdmissionRuleType::PolicyAdmissionRuleTypeKnown(
            PolicyAdmissionRuleTypeKnown::Allow
        ))
    );
}

#[test]
fn minimal_policy_decodes() {
    // Only `id` and `name` are required; everything else may be absent or null.
    let policy: Policy = serde_json::from_value(json!({
        "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "name": "Default Internet Access Policy",
        "mode": null,
        "rule": null,
        "groups": null,
        "description": null,
        "someFieldFromANewerVersion": {"nested": true}
    }))
    .expect("minimal policy");
    assert_eq!(policy.mode, None);
    assert_eq!(policy.rule, None);
    assert_eq!(policy.groups, None);
}

#[test]
fn unknown_mode_decodes_and_round_trips() {
    let mut payload: Value = serde_json::from_str(SEED_POLICY_EXAMPLE).unwrap();
    payload["mode"] = json!("ZERO_TRUST_EDGE");
    let policy: Policy = serde_json::from_value(payload).expect("unknown mode decodes");
    assert_eq!(
        policy.mode,
        Some(PolicyMode::String("ZERO_TRUST_EDGE".into()))
    );
    let reencoded = serde_json::to_value(&policy).unwrap();
    assert_eq!(reencoded["mode"], json!("ZERO_TRUST_EDGE"));

    // A value that only the older `PolicyDto` rendering lists is known.
    let mode: PolicyMode = serde_json::from_value(json!("INTERNET_ACCESS_POINT")).unwrap();
    assert_eq!(
        mode,
        PolicyMode::PolicyModeKnown(PolicyModeKnown::InternetAccessPoint)
    );
    assert_eq!(
        serde_json::to_value(&mode).unwrap(),
        json!("INTERNET_ACCESS_POINT")
    );
}

#[test]
fn other_open_enums_keep_unknown_values() {
    macro_rules! round_trips {
        ($ty:ty, $value:literal) => {{
            let decoded: $ty = serde_json::from_value(json!($value)).expect("open enum decodes");
            serde_json::to_value(&decoded).unwrap() == json!($value)
        }};
    }
    // Values from other doc versions or pages of the vendor's reference.
    assert!(round_trips!(PolicyUserStatus, "active"));
    assert!(round_trips!(PolicyUserStatus, "Invited"));
    assert!(round_trips!(PolicyDeviceStatus, "Quarantined"));
    assert!(round_trips!(PolicyResourceType, "SITETOSITE"));
    assert!(round_trips!(PolicyType, "BRANCH"));
    assert!(round_trips!(PolicyGatewayStatus, "NOT_REACHABLE"));
    assert!(round_trips!(PolicyAdmissionRuleType, "SCHEDULED"));
}

#[test]
fn update_policy_sends_only_the_fields_set() {
    let update = UpdatePolicy {
        name: Some("Engineering Team Access".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"name": "Engineering Team Access"})
    );

    let built: UpdatePolicy = UpdatePolicy::builder()
        .name("Engineering Team Access".to_string())
        .try_into()
        .expect("builder");
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"name": "Engineering Team Access"})
    );

    // An empty list is sent (it removes every entry); an unset list is not.
    let clear = UpdatePolicy {
        groups: Some(IdList(Vec::new())),
        ..Default::default()
    };
    assert_eq!(serde_json::to_value(&clear).unwrap(), json!({"groups": []}));
    assert_eq!(
        serde_json::to_value(UpdatePolicy::default()).unwrap(),
        json!({})
    );
}

#[test]
fn error_bodies_decode() {
    let validation: ApiError = serde_json::from_value(json!({
        "statusCode": 400,
        "message": ["name must be a string", "type must be a valid enum value"],
        "error": "Bad Request"
    }))
    .expect("validation error");
    assert!(matches!(validation.message, Some(ErrorMessage::Array(ref m)) if m.len() == 2));

    let not_found: ApiError = serde_json::from_value(json!({
        "statusCode": 404, "message": "Policy not found", "error": "Not Found"
    }))
    .expect("not found");
    assert_eq!(
        not_found.message,
        Some(ErrorMessage::String("Policy not found".into()))
    );

    let bare: ApiError = serde_json::from_value(json!({"message": "Unauthorized"})).expect("bare");
    assert_eq!(bare.status_code, None);
}
