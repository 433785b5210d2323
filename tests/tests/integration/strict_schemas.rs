//! Every fixture and every spec example validates strictly against the schema it is for.
//!
//! "Strictly" means JSON Schema semantics with OpenAPI 3.0.3's reading of its own keywords
//! (`oneOf` is exactly-one, `nullable` takes effect only beside a `type`, `x-*` keys are
//! annotations, formats asserted): see the `spec-schema` crate. The generated clients
//! decode more leniently (typify tries `oneOf` branches in order); a validating proxy, a mock
//! server or another language's client reads the spec as written, and that is what is checked
//! here. The specs are read as written, before `cargo xtask codegen`'s transform.
//!
//! Each fixture of `tests/fixtures/<api>/` is mapped to its operation's response or request, or
//! to a component schema, in [`FIXTURES`]; fixtures no schema of the spec describes are named in
//! [`SKIPPED`] with the reason, and [`every_fixture_is_mapped_or_skipped`] keeps the tables
//! complete.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use spec_schema::StrictValidator;
use workspace_tests::spec_document::{SpecDocument, Target};
use workspace_tests::{fixture_files, fixture_path};

use Target::{ListOf, Request, Response, Schema};

const APIS: [&str; 3] = ["harmony-sase", "saas-rules", "cipherscale-policy"];

/// (api, fixture file under `tests/fixtures/<api>/`, the schema it must validate against).
#[rustfmt::skip]
const FIXTURES: &[(&str, &str, Target)] = &[
    // Harmony SASE
    ("harmony-sase", "async_operation_accepted_202.json", Schema("AsyncOperationAccepted")),
    ("harmony-sase", "async_status_completed_bare.json", Schema("AsyncOperationStatus")),
    ("harmony-sase", "async_status_completed_created.json", Schema("AsyncOperationStatus")),
    ("harmony-sase", "async_status_completed_failed.json", Schema("AsyncOperationStatus")),
    ("harmony-sase", "async_status_completed_tunnel_update.json", Schema("AsyncOperationStatus")),
    ("harmony-sase", "async_status_pending.json", Schema("AsyncOperationStatus")),
    ("harmony-sase", "auth_authorize_request.json", Request("authorize")),
    ("harmony-sase", "auth_authorize_response_expire_epoch_millis.json", Response("authorize", "200")),
    ("harmony-sase", "auth_authorize_response_expire_epoch_seconds.json", Response("authorize", "200")),
    ("harmony-sase", "auth_authorize_response_expire_rfc3339.json", Response("authorize", "200")),
    ("harmony-sase", "auth_authorize_response_expire_string_number.json", Response("authorize", "200")),
    ("harmony-sase", "error_404_id_message_envelope.json", Schema("Error")),
    ("harmony-sase", "error_409_id_message_envelope.json", Schema("Error")),
    ("harmony-sase", "error_409_split_tunneling_unsupported_updatable_object.json", Schema("Error")),
    ("harmony-sase", "error_409_split_tunneling_updatable_object_not_found.json", Schema("Error")),
    ("harmony-sase", "user_create_v1_vendor_doc_example.json", Response("createUser", "201")),
    ("harmony-sase", "users_list_real_tenant_export_redacted_subset.json", Response("listUsers", "200")),
    ("harmony-sase", "users_list_v1_vendor_doc_example.json", Response("listUsers", "200")),
    ("harmony-sase", "users_list_v3_empty.json", Response("listUsers", "200")),
    ("harmony-sase", "group_add_member_v1_vendor_doc_example.json", Response("addGroupMember", "201")),
    ("harmony-sase", "group_create_v1_vendor_doc_example.json", Response("createGroup", "201")),
    ("harmony-sase", "groups_list_real_tenant_export.json", Response("listGroups", "200")),
    ("harmony-sase", "groups_list_v1_vendor_doc_example.json", Response("listGroups", "200")),
    ("harmony-sase", "networks_list_real_tenant_export_redacted.json", Response("listNetworks", "200")),
    ("harmony-sase", "network_get_real_tenant_export_redacted.json", Schema("Network")),
    ("harmony-sase", "network_get_after_ipsec_tunnel_add_real_export_redacted.json", Schema("Network")),
    ("harmony-sase", "region_get_client_test.json", Schema("NetworkRegion")),
    ("harmony-sase", "instance_get_client_test.json", Schema("NetworkInstance")),
    ("harmony-sase", "wireguard_tunnel_get_client_test.json", Schema("NetworkTunnel")),
    ("harmony-sase", "harmony_sase_regions_enhanced_client_test.json", ListOf("HarmonySaseRegion")),
    ("harmony-sase", "harmony_sase_regions_standard_client_test.json", ListOf("HarmonySaseRegion")),
    // The v3 updatable-objects list has no seed operation; like harmony_fixtures.rs, it is
    // checked as the unpaged `{data}` envelope of listNetworks.
    ("harmony-sase", "updatable_objects_v3_empty.json", Response("listNetworks", "200")),
    // SaaS IP/Geo Access: Akamai error bodies of other APIs, as the one error schema.
    ("saas-rules", "cloudlets-v3-docs__policy-400-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-403-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-404-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-409-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-activation-400-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-activation-403-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-activation-404-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-version-400-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-version-403-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-version-404-problem-response.json", Schema("ApiError")),
    ("saas-rules", "cloudlets-v3-docs__policy-version-409-problem-response.json", Schema("ApiError")),
    ("saas-rules", "edgegrid-gateway__400-invalid-timestamp__issue.json", Schema("ApiError")),
    ("saas-rules", "edgegrid-gateway__401-inactive-client-token.json", Schema("ApiError")),
    ("saas-rules", "edgegrid-gateway__401-signature-does-not-match-contract-api.json", Schema("ApiError")),
    ("saas-rules", "edgegrid-gateway__401-signature-does-not-match.json", Schema("ApiError")),
    ("saas-rules", "edgegrid-gateway__401-signature-does-not-match__issue.json", Schema("ApiError")),
    ("saas-rules", "ratelimit__ccu-v3-request-429.json", Response("createPolicy", "429")),
    ("saas-rules", "ratelimit__edge-diagnostics-429.json", Response("createPolicy", "429")),
    ("saas-rules", "ratelimit__gtm-load-data-429.json", Response("createPolicy", "429")),
    ("saas-rules", "ratelimit__papi-429-limit-exceeded.json", Response("createPolicy", "429")),
    // SaaS IP/Geo Access: the seed's example bodies.
    ("saas-rules", "seed-examples/create-policy-request.json", Request("createPolicy")),
    ("saas-rules", "seed-examples/create-policy-200.json", Response("createPolicy", "200")),
    ("saas-rules", "seed-examples/create-policy-409-existing-policy.json", Response("createPolicy", "409")),
    ("saas-rules", "seed-examples/list-policy-maps-200.json", Response("listPolicyMaps", "200")),
    ("saas-rules", "seed-examples/get-policy-200.json", Response("getPolicy", "200")),
    ("saas-rules", "seed-examples/modify-policy-request.json", Request("modifyPolicy")),
    ("saas-rules", "seed-examples/modify-policy-200.json", Response("modifyPolicy", "200")),
    ("saas-rules", "seed-examples/list-policy-information-200.json", Response("listPolicyInformation", "200")),
    ("saas-rules", "seed-examples/list-activations-200.json", Response("listActivations", "200")),
    // Cipherscale policy model
    ("cipherscale-policy", "admission_rule_doc_example.json", Schema("PolicyAdmissionRule")),
    ("cipherscale-policy", "gateway_resource_doc_example.json", Schema("PolicyGatewayResource")),
];

/// (api, fixture file, why no schema of the spec describes it).
#[rustfmt::skip]
const SKIPPED: &[(&str, &str, &str)] = &[
    ("harmony-sase", "network_create_request_v2_script.json", "request of POST /v2/networks, outside the seed"),
    ("harmony-sase", "network_instances_remove_request_v2_3_client_test.json", "request of the v2.3 instance removal, outside the seed"),
    ("harmony-sase", "network_region_add_request_v2_3_client_test.json", "request of the v2.3 add-region operation, outside the seed"),
    ("cipherscale-policy", "admission_rule_create_request_doc_example.json", "admission-rules API request, outside the policy model"),
    ("cipherscale-policy", "gateway_create_request_doc_example.json", "gateways API request, outside the policy model"),
    ("cipherscale-policy", "gateway_test_configuration_response_doc_example.json", "gateways API response, outside the policy model"),
    ("cipherscale-policy", "protocol_create_request_doc_example.json", "network-protocols API request, outside the policy model"),
    ("cipherscale-policy", "protocol_doc_example.json", "network-protocols API response, outside the policy model"),
    ("cipherscale-policy", "user_update_request_doc_example.json", "users API request, outside the policy model"),
    ("cipherscale-policy", "user_update_roles_request_doc_example.json", "users API request, outside the policy model"),
];

fn load(api: &str) -> SpecDocument {
    SpecDocument::load(api).unwrap_or_else(|e| panic!("specs/{api}.yaml: {e}"))
}

/// One failure line per violation: `<what>: <schema>: at <pointer>: <message> [schema <path>]`.
fn failures_of(
    validator: &StrictValidator,
    what: &str,
    schema_name: &str,
    schema: &Value,
    value: &Value,
) -> Vec<String> {
    match validator.validate(schema, value) {
        Ok(()) => Vec::new(),
        Err(violations) => violations
            .iter()
            .map(|v| format!("{what}: against {schema_name}: {v}"))
            .collect(),
    }
}

fn report(kind: &str, checked: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} violation(s) in {checked} {kind} (strict JSON Schema: oneOf is exactly-one, nullable \
         only beside type):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_validates_strictly() {
    let mut failures = Vec::new();
    for api in APIS {
        let spec = load(api);
        let validator = StrictValidator::new(&spec.root);
        for (_, file, target) in FIXTURES.iter().filter(|(a, _, _)| *a == api) {
            let what = format!("tests/fixtures/{api}/{file}");
            let path = fixture_path(api, file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
            let (at, schema) = spec
                .schema_of(*target)
                .unwrap_or_else(|e| panic!("{what}: the schema of {target}: {e}"));
            let name = format!("{target} (specs/{api}.yaml#{at})");
            failures.extend(failures_of(&validator, &what, &name, &schema, &value));
        }
    }
    report("fixtures", FIXTURES.len(), &failures);
}

#[test]
fn every_spec_example_validates_strictly() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for api in APIS {
        let spec = load(api);
        let validator = StrictValidator::new(&spec.root);
        let examples = spec.examples();
        assert!(!examples.is_empty(), "specs/{api}.yaml: no examples found");
        checked += examples.len();
        for example in examples {
            let what = format!("specs/{api}.yaml#{}", example.location);
            let name = format!("#{}", example.schema_location);
            failures.extend(failures_of(
                &validator,
                &what,
                &name,
                &example.schema,
                &example.value,
            ));
        }
    }
    report("spec examples", checked, &failures);
}

/// Every `*.json` under `tests/fixtures/<api>/`, one directory deep, relative to it.
fn fixtures_on_disk(api: &str) -> BTreeSet<String> {
    let root = fixture_path(api, "");
    let mut found = BTreeSet::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                found.insert(relative(&root, &path));
            }
        }
    }
    assert!(
        fixture_files(api)
            .iter()
            .all(|p| found.contains(&relative(&root, p))),
        "fixture_files and this walk disagree"
    );
    found
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .expect("under the fixture root")
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn every_fixture_is_mapped_or_skipped() {
    for api in APIS {
        let mapped: Vec<&str> = FIXTURES
            .iter()
            .filter(|f| f.0 == api)
            .map(|f| f.1)
            .collect();
        let skipped: Vec<&str> = SKIPPED.iter().filter(|s| s.0 == api).map(|s| s.1).collect();
        let listed: BTreeSet<String> = mapped
            .iter()
            .chain(&skipped)
            .map(|f| f.to_string())
            .collect();
        assert_eq!(
            listed.len(),
            mapped.len() + skipped.len(),
            "{api}: a fixture is listed twice"
        );
        let on_disk = fixtures_on_disk(api);
        let unlisted: Vec<_> = on_disk.difference(&listed).collect();
        assert!(
            unlisted.is_empty(),
            "{api}: fixtures neither mapped to a schema nor skipped (add them to FIXTURES or \
             SKIPPED in strict_schemas.rs): {unlisted:?}"
        );
        let missing: Vec<_> = listed.difference(&on_disk).collect();
        assert!(
            missing.is_empty(),
            "{api}: listed fixtures that do not exist: {missing:?}"
        );
    }
    assert!(
        SKIPPED.iter().all(|s| !s.2.trim().is_empty()),
        "a skip without a reason"
    );
}
