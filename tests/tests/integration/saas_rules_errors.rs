//! SaaS-rules error and example decoding.
//!
//! Every real Akamai error body in `tests/fixtures/saas-rules/` (RFC 7807 problem+json, EdgeGrid
//! gateway 400/401, 429 rate-limit bodies) must decode into the one error type of the client,
//! `saas_rules::types::ApiError`, without losing a field; the documented 409 of `createPolicy`
//! must carry the existing policy typed; and the seed's example bodies must decode into the
//! envelope and request types of the spec.

use std::path::Path;

use saas_rules::types::{
    ActivationRecordStatus, ActivationRecordStatusKnown, ApiError, CreatePolicyRequest,
    ExistingPolicy, IntegerOrString, MatchOperator, MatchOperatorKnown, MatchRuleType,
    MatchRuleTypeKnown, MatchType, MatchTypeKnown, ModifyPolicyRequest, Policy, PolicyEnvelope,
    PolicyListEnvelope, PolicyManagerCommand, PropertyActivation, PropertyActivationStatus,
    PropertyActivationStatusKnown,
};
use serde_json::Value;
use workspace_tests::{fixture_files, fixture_path};

const API: &str = "saas-rules";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Decodes `text` as `$ty`, naming `$name` (the fixture) in the panic message.
macro_rules! decode {
    ($ty:ty, $name:expr, $text:expr) => {
        serde_json::from_str::<$ty>($text)
            .unwrap_or_else(|e| panic!("{}: does not decode into {}: {e}", $name, stringify!($ty)))
    };
}

/// Decodes `$text` as `$ty`, then checks that encoding it again gives back every non-null field
/// of the body: no field of the payload was dropped or changed by the typed model.
macro_rules! decode_lossless {
    ($ty:ty, $name:expr, $text:expr) => {{
        let name = $name;
        let text = $text;
        let value = decode!($ty, name, text);
        let raw: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let again = serde_json::to_value(&value)
            .unwrap_or_else(|e| panic!("{name}: re-encoding {}: {e}", stringify!($ty)));
        assert_eq!(
            without_nulls(again),
            without_nulls(raw),
            "{name}: {} lost or changed fields",
            stringify!($ty)
        );
        value
    }};
}

/// The value with every `null` object member removed (the generated types skip `None`).
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The shapes of Akamai error bodies the client recognises.
#[derive(Debug, PartialEq)]
enum Shape {
    /// RFC 7807 problem details (API and EdgeGrid gateway).
    Problem,
    /// The legacy `{errorMessage, errorCode}` shape.
    Legacy,
    /// A 429 rate-limit body.
    RateLimit,
}

fn shape_of(raw: &Value) -> Shape {
    let status = raw
        .get("status")
        .or_else(|| raw.get("httpStatus"))
        .and_then(Value::as_i64);
    if raw.get("errorMessage").is_some() {
        Shape::Legacy
    } else if status == Some(429) {
        Shape::RateLimit
    } else {
        Shape::Problem
    }
}

/// Decodes one error body into `ApiError` and checks the fields of its shape; returns the shape.
fn check_error_body(name: &str, text: &str) -> Shape {
    let error = decode_lossless!(ApiError, name, text);
    let raw: Value = serde_json::from_str(text).expect("checked by decode_lossless");
    let shape = shape_of(&raw);
    match shape {
        Shape::Problem => {
            assert!(
                error.title.as_deref().is_some_and(|t| !t.is_empty()),
                "{name}: no title"
            );
            let status = error.status.unwrap_or_else(|| panic!("{name}: no status"));
            assert!(
                (400..600).contains(&status),
                "{name}: status {status} is not an error"
            );
            assert!(error.type_.is_some(), "{name}: no problem type");
            assert!(
                error.detail.is_some() || error.errors.is_some(),
                "{name}: no detail"
            );
            for (i, item) in error.errors.iter().flatten().enumerate() {
                assert!(item.title.is_some(), "{name}: errors[{i}] has no title");
                assert!(item.detail.is_some(), "{name}: errors[{i}] has no detail");
            }
        }
        Shape::Legacy => {
            assert!(error.error_message.is_some(), "{name}: no errorMessage");
        }
        Shape::RateLimit => {
            assert!(error.title.is_some(), "{name}: no title");
            assert_eq!(
                error.status.or(error.http_status),
                Some(429),
                "{name}: not a 429"
            );
            if raw.get("rateLimit").is_some() {
                assert!(error.rate_limit.is_some(), "{name}: rateLimit lost");
                assert!(
                    error.rate_limit_remaining.is_some(),
                    "{name}: rateLimitRemaining lost"
                );
            }
            if raw.get("limitKey").is_some() {
                assert!(error.limit_key.is_some(), "{name}: limitKey lost");
                assert!(
                    error.limit.is_some() && error.remaining.is_some(),
                    "{name}: limit lost"
                );
            }
        }
    }
    shape
}

#[test]
fn every_akamai_error_fixture_decodes_into_api_error() {
    let files = fixture_files(API);
    assert!(
        files.len() >= 20,
        "expected the 20 akamai-errors fixtures, found {}",
        files.len()
    );
    let mut problems = 0;
    let mut rate_limits = 0;
    for path in &files {
        let name = file_name(path);
        let shape = check_error_body(&name, &read(path));
        // The file names of the shared fixtures say which kind of body each is.
        let expected = if name.starts_with("ratelimit__") {
            Shape::RateLimit
        } else if name.starts_with("cloudlets-v3-docs__") || name.starts_with("edgegrid-gateway__")
        {
            Shape::Problem
        } else {
            panic!("{name}: unknown fixture; classify it in this test");
        };
        assert_eq!(shape, expected, "{name}: decoded as the wrong shape");
        match shape {
            Shape::Problem => problems += 1,
            Shape::RateLimit => rate_limits += 1,
            Shape::Legacy => {}
        }
        if name.starts_with("edgegrid-gateway__") {
            let error = decode!(ApiError, name, &read(path));
            assert!(
                error.type_.as_deref().is_some_and(
                    |t| t.starts_with("https://problems.luna.akamaiapis.net/-/pep-authn/")
                ),
                "{name}: not an EdgeGrid gateway problem type"
            );
            assert!(error.instance.is_some(), "{name}: no instance");
        }
    }
    assert_eq!((problems, rate_limits), (16, 4), "fixture kinds changed");
}

#[test]
fn gateway_and_rate_limit_specific_fields_are_typed() {
    let name = "edgegrid-gateway__401-signature-does-not-match.json";
    let error = decode!(ApiError, name, &read(&fixture_path(API, name)));
    assert_eq!(error.status, Some(401));
    assert_eq!(
        error.detail.as_deref(),
        Some("The signature does not match")
    );
    assert_eq!(error.method.as_deref(), Some("GET"));
    assert_eq!(error.request_id.as_deref(), Some("933ed8a4"));
    assert_eq!(error.request_time.as_deref(), Some("2023-07-06T08:11:36Z"));

    let name = "cloudlets-v3-docs__policy-400-problem-response.json";
    let error = decode!(ApiError, name, &read(&fixture_path(API, name)));
    let item = &error.errors.as_deref().unwrap_or_default()[0];
    assert_eq!(item.invalid_field.as_deref(), Some("groupId"));
    assert_eq!(item.invalid_value, Some(serde_json::json!(-120)));

    let name = "ratelimit__ccu-v3-request-429.json";
    let error = decode!(ApiError, name, &read(&fixture_path(API, name)));
    assert_eq!(error.http_status, Some(429));
    assert_eq!(error.status, None);
    assert_eq!(error.rate_limit, Some(100));
    assert_eq!(error.rate_limit_current_request_size, Some(1));
    assert_eq!(error.rate_limit_remaining, Some(0));
    assert_eq!(
        error.support_id.as_deref(),
        Some("edcp-NZbXzFpHBjcJeryhw6PVgG")
    );
    assert_eq!(error.detail.as_deref(), Some(""));

    let name = "ratelimit__papi-429-limit-exceeded.json";
    let error = decode!(ApiError, name, &read(&fixture_path(API, name)));
    assert_eq!(error.limit_key.as_deref(), Some("INCLUDES_PER_CONTRACT"));
    assert_eq!(error.instance_key.as_deref(), Some("1-12345"));
    assert_eq!((error.limit, error.remaining), (Some(500), Some(0)));
}

#[test]
fn legacy_error_shape_decodes_into_api_error() {
    // No public fixture of the legacy shape exists; these bodies follow its documented fields,
    // with errorCode both as text and as a number.
    let text = r#"{"errorMessage": "Policy not found", "errorCode": "ERR_NOT_FOUND"}"#;
    assert_eq!(
        check_error_body("legacy (string code)", text),
        Shape::Legacy
    );
    let error = decode!(ApiError, "legacy (string code)", text);
    assert_eq!(error.error_message.as_deref(), Some("Policy not found"));
    assert_eq!(
        error.error_code,
        Some(IntegerOrString::String("ERR_NOT_FOUND".into()))
    );

    let text = r#"{"errorMessage": "Internal error", "errorCode": 500, "extra": [1, 2]}"#;
    let error = decode!(ApiError, "legacy (numeric code, unknown field)", text);
    assert_eq!(error.error_code, Some(IntegerOrString::Int64(500)));
}

#[test]
fn create_conflict_carries_the_existing_policy_typed() {
    // The documented 409 of createPolicy: the envelope with the existing policy.
    let name = "seed-examples/create-policy-409-existing-policy.json";
    let error = decode_lossless!(ApiError, name, &read(&fixture_path(API, name)));
    let Some(ExistingPolicy::Policy(policy)) = &error.response else {
        panic!(
            "{name}: the existing policy is not typed: {:?}",
            error.response
        );
    };
    assert_eq!(policy.id, 436);
    assert_eq!(policy.policy_id, 1001);
    assert_eq!(policy.policy_name.as_deref(), Some("UniquePolicyName"));
    assert_eq!(policy.cloudlet_id, Some(IntegerOrString::Int64(2)));
    assert_eq!(error.response_code, Some(0));
    assert_eq!(error.status, None);

    // The same envelope with the policy as a one-element list (the shape of create's 200).
    let name = "seed-examples/create-policy-200.json";
    let error = decode_lossless!(ApiError, name, &read(&fixture_path(API, name)));
    let Some(ExistingPolicy::Array(policies)) = &error.response else {
        panic!(
            "{name}: the existing policy list is not typed: {:?}",
            error.response
        );
    };
    assert_eq!(policies.iter().map(|p| p.id).collect::<Vec<_>>(), [436]);

    // A problem+json conflict decodes through the problem fields, with no policy.
    let name = "cloudlets-v3-docs__policy-409-problem-response.json";
    let error = decode!(ApiError, name, &read(&fixture_path(API, name)));
    assert_eq!(error.status, Some(409));
    assert_eq!(error.title.as_deref(), Some("Data Update Conflict"));
    assert!(error.response.is_none());
}

fn seed_example(file: &str) -> (String, String) {
    let name = format!("seed-examples/{file}");
    let text = read(&fixture_path(API, &name));
    (name, text)
}

fn known_match_rule(policy: &Policy) {
    let rules = policy.match_rules.as_deref().expect("match rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(
        rules[0].type_,
        Some(MatchRuleType::MatchRuleTypeKnown(
            MatchRuleTypeKnown::SaMatchRule
        ))
    );
    let matches = rules[0].matches.as_deref().expect("matches");
    assert_eq!(
        matches[0].match_type,
        Some(MatchType::MatchTypeKnown(MatchTypeKnown::Clientip))
    );
    assert_eq!(
        matches[1].match_type,
        Some(MatchType::MatchTypeKnown(MatchTypeKnown::Country))
    );
    assert_eq!(
        matches[0].match_operator,
        Some(MatchOperator::MatchOperatorKnown(
            MatchOperatorKnown::Contains
        ))
    );
}

#[test]
fn seed_success_examples_decode_into_the_envelope_types() {
    // createPolicy, listPolicyMaps, listPolicyInformation: PolicyListEnvelope.
    for (file, id, policy_id) in [
        ("create-policy-200.json", 436, 1001),
        ("list-policy-maps-200.json", 102, 101),
        ("list-policy-information-200.json", 351, 243),
    ] {
        let (name, text) = seed_example(file);
        let envelope = decode_lossless!(PolicyListEnvelope, &name, &text);
        assert_eq!(envelope.response_code, Some(0), "{name}");
        assert_eq!(envelope.i18n_code, Some(0), "{name}");
        assert_eq!(envelope.english_message, None, "{name}");
        assert_eq!(envelope.response.len(), 1, "{name}");
        let policy = &envelope.response[0];
        assert_eq!((policy.id, policy.policy_id), (id, policy_id), "{name}");
        assert_eq!(
            policy.match_rules, None,
            "{name}: lists carry no match rules"
        );
        assert!(
            policy.create_date.is_some_and(|ms| ms > 1_000_000_000_000),
            "{name}: epoch ms"
        );
    }

    // getPolicy and modifyPolicy: PolicyEnvelope with match rules.
    for (file, id) in [
        ("get-policy-200.json", 1133),
        ("modify-policy-200.json", 436),
    ] {
        let (name, text) = seed_example(file);
        let envelope = decode_lossless!(PolicyEnvelope, &name, &text);
        assert_eq!(envelope.response.id, id, "{name}");
        known_match_rule(&envelope.response);
    }
    let (name, text) = seed_example("get-policy-200.json");
    let envelope = decode!(PolicyEnvelope, name, &text);
    let config = envelope.response.cloudlet_config.expect("cloudletConfig");
    assert_eq!(config.key.as_deref(), Some("SA"));
    assert_eq!(config.logs_location, None);

    // listActivations: a bare array of PropertyActivation.
    let (name, text) = seed_example("list-activations-200.json");
    let activations = decode_lossless!(Vec<PropertyActivation>, &name, &text);
    assert_eq!(activations.len(), 1);
    let activation = &activations[0];
    assert_eq!(
        activation.version,
        Some(IntegerOrString::String("2".into()))
    );
    assert_eq!(
        activation.property_version_id,
        Some(IntegerOrString::String("1876276".into()))
    );
    assert_eq!(
        activation.staging_status,
        Some(PropertyActivationStatus::PropertyActivationStatusKnown(
            PropertyActivationStatusKnown::Active
        ))
    );
    assert_eq!(
        activation.production_status,
        Some(PropertyActivationStatus::PropertyActivationStatusKnown(
            PropertyActivationStatusKnown::Deactivated
        ))
    );
    let history = activation
        .activated_policy_versions
        .as_deref()
        .expect("history");
    assert_eq!(
        history.iter().map(|r| r.id).collect::<Vec<_>>(),
        [161, 121, 42, 2, 1].map(Some)
    );
    assert_eq!(
        history[0].stage_status,
        Some(ActivationRecordStatus::ActivationRecordStatusKnown(
            ActivationRecordStatusKnown::X4000
        ))
    );
    assert_eq!(history[0].production_status, None);
    assert_eq!(history[0].production_last_updated, None);
    assert_eq!(history[0].stage_last_updated, Some(1_400_615_879_000));
    assert_eq!(history[3].stage_status, None);
}

#[test]
fn seed_request_examples_decode_into_the_request_types() {
    let (name, text) = seed_example("create-policy-request.json");
    let request = decode_lossless!(CreatePolicyRequest, &name, &text);
    let create = &request.policy_manager_request;
    assert_eq!(create.command, PolicyManagerCommand::Create);
    assert_eq!(create.create.policy_name, "UniquePolicyName");
    assert_eq!(
        create.create.cloudlet_id,
        Some(IntegerOrString::String("2".into()))
    );

    let (name, text) = seed_example("modify-policy-request.json");
    let request = decode_lossless!(ModifyPolicyRequest, &name, &text);
    let update = &request.policy_manager_request;
    assert_eq!(update.command, PolicyManagerCommand::Update);
    assert_eq!(update.update.overwrite_rules, Some(true));
    let rules = update.update.match_rules.as_deref().expect("match rules");
    assert_eq!(
        rules[0].matches, None,
        "{name}: the seed's update rule has no matches"
    );
}

#[test]
fn unknown_enum_values_and_fields_are_kept() {
    let text = r#"{
        "version": 7, "stagingStatus": "PENDING", "newField": true,
        "activatedPolicyVersions": [{"id": 1, "stageStatus": "5000", "type": "other"}]
    }"#;
    let activation = decode!(PropertyActivation, "unknown values", text);
    assert_eq!(activation.version, Some(IntegerOrString::Int64(7)));
    assert_eq!(
        activation.staging_status,
        Some(PropertyActivationStatus::String("PENDING".into()))
    );
    let record = &activation
        .activated_policy_versions
        .as_deref()
        .expect("history")[0];
    assert_eq!(
        record.stage_status,
        Some(ActivationRecordStatus::String("5000".into()))
    );
}
