//! Harmony SASE: real payloads decode into the generated types.
//!
//! Fixtures live in `tests/fixtures/harmony-sase/` (a copy of the shared reference folder; see
//! its SOURCES.md). Every response payload that one of the spec's types describes is decoded by
//! [`DECODED`]; every other fixture is named in [`SKIPPED`] with the reason, and
//! [`every_fixture_is_decoded_or_skipped`] keeps both lists complete, so a new fixture cannot be
//! silently ignored.
//!
//! Decoding is checked to be lossless: re-encoding the decoded value must give back the payload
//! (up to nulls and empty lists, which decode to the same `None` / empty `Vec` as an absent
//! field). A field the spec does not declare would be dropped by serde and fail that check, so
//! the table also proves the spec names every field these payloads carry.

use std::collections::BTreeSet;

use harmony_sase::types::{
    AccessTokenExpire, AsyncOperationAccepted, AsyncOperationStatus, AuthorizeRequest,
    AuthorizeResponse, Error as ApiError, GrantType, Group, GroupList, HarmonySaseRegion,
    HealthStatus, HealthStatusKnown, Network, NetworkHealth, NetworkInstance, NetworkList,
    NetworkRegion, NetworkTunnel, TokenType, TokenTypeKnown, User, UserList, UserProfileDtoPhone,
};
use serde_json::{Value, json};
use workspace_tests::{fixture_files, fixture_path};

const API: &str = "harmony-sase";

/// A `fn(&str) -> Result<(), String>` that decodes the text as `$ty`, then checks that
/// re-encoding loses nothing but nulls and empty lists. (A macro, not a generic function: the
/// tests crate does not depend on serde, so its traits cannot be named here.)
macro_rules! decode_lossless {
    ($ty:ty) => {{
        fn decode(text: &str) -> Result<(), String> {
            let original: Value =
                serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
            let decoded: $ty =
                serde_json::from_str(text).map_err(|e| format!("does not decode: {e}"))?;
            let reencoded =
                serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
            if normalized(&reencoded) != normalized(&original) {
                return Err(format!(
                    "re-encoding changed the payload (a field the spec does not declare?):\n\
                     {original:#}\n->\n{reencoded:#}"
                ));
            }
            Ok(())
        }
        decode as fn(&str) -> Result<(), String>
    }};
}

/// `value` with every object member that is `null` or `[]` removed: an absent, a null and an
/// empty-list field decode the same, and optional lists are not re-encoded when empty.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

/// Fixtures described by the spec: (file, the generated type and where it sits, decoder).
const DECODED: &[workspace_tests::Decoded] = &[
    // asynchronous (v2.x) operations: standalone schemas, no seed operation
    (
        "async_operation_accepted_202.json",
        "AsyncOperationAccepted (202 body of the v2.x asynchronous network mutations)",
        decode_lossless!(AsyncOperationAccepted),
    ),
    (
        "async_status_completed_bare.json",
        "AsyncOperationStatus (GET statusUrl of a v2.x asynchronous operation)",
        decode_lossless!(AsyncOperationStatus),
    ),
    (
        "async_status_completed_created.json",
        "AsyncOperationStatus (GET statusUrl of a v2.x asynchronous operation)",
        decode_lossless!(AsyncOperationStatus),
    ),
    (
        "async_status_completed_failed.json",
        "AsyncOperationStatus (GET statusUrl of a v2.x asynchronous operation)",
        decode_lossless!(AsyncOperationStatus),
    ),
    (
        "async_status_completed_tunnel_update.json",
        "AsyncOperationStatus (GET statusUrl of a v2.x asynchronous operation)",
        decode_lossless!(AsyncOperationStatus),
    ),
    (
        "async_status_pending.json",
        "AsyncOperationStatus (GET statusUrl of a v2.x asynchronous operation)",
        decode_lossless!(AsyncOperationStatus),
    ),
    // authorize
    (
        "auth_authorize_request.json",
        "AuthorizeRequest (request body of authorize)",
        decode_lossless!(AuthorizeRequest),
    ),
    (
        "auth_authorize_response_expire_epoch_millis.json",
        "AuthorizeResponse (authorize 200; accessTokenExpire in epoch milliseconds)",
        decode_lossless!(AuthorizeResponse),
    ),
    (
        "auth_authorize_response_expire_epoch_seconds.json",
        "AuthorizeResponse (authorize 200; accessTokenExpire in epoch seconds)",
        decode_lossless!(AuthorizeResponse),
    ),
    (
        "auth_authorize_response_expire_rfc3339.json",
        "AuthorizeResponse (authorize 200; accessTokenExpire as RFC 3339 text)",
        decode_lossless!(AuthorizeResponse),
    ),
    (
        "auth_authorize_response_expire_string_number.json",
        "AuthorizeResponse (authorize 200; accessTokenExpire as a numeric string)",
        decode_lossless!(AuthorizeResponse),
    ),
    // errors
    (
        "error_404_id_message_envelope.json",
        "Error (every error status)",
        decode_lossless!(ApiError),
    ),
    (
        "error_409_id_message_envelope.json",
        "Error (every error status)",
        decode_lossless!(ApiError),
    ),
    (
        "error_409_split_tunneling_unsupported_updatable_object.json",
        "Error (v3 variant with status, messageCode and data)",
        decode_lossless!(ApiError),
    ),
    (
        "error_409_split_tunneling_updatable_object_not_found.json",
        "Error (v3 variant with status, messageCode and data)",
        decode_lossless!(ApiError),
    ),
    // users
    (
        "user_create_v1_vendor_doc_example.json",
        "User (createUser 201)",
        decode_lossless!(User),
    ),
    (
        "users_list_real_tenant_export_redacted_subset.json",
        "UserList (listUsers 200)",
        decode_lossless!(UserList),
    ),
    (
        "users_list_v1_vendor_doc_example.json",
        "UserList (listUsers 200)",
        decode_lossless!(UserList),
    ),
    (
        "users_list_v3_empty.json",
        "UserList (listUsers 200, empty page)",
        decode_lossless!(UserList),
    ),
    // groups
    (
        "group_add_member_v1_vendor_doc_example.json",
        "Group (addGroupMember 201)",
        decode_lossless!(Group),
    ),
    (
        "group_create_v1_vendor_doc_example.json",
        "Group (createGroup 201)",
        decode_lossless!(Group),
    ),
    (
        "groups_list_real_tenant_export.json",
        "GroupList (listGroups 200)",
        decode_lossless!(GroupList),
    ),
    (
        "groups_list_v1_vendor_doc_example.json",
        "GroupList (listGroups 200)",
        decode_lossless!(GroupList),
    ),
    // networks
    (
        "networks_list_real_tenant_export_redacted.json",
        "NetworkList (listNetworks 200)",
        decode_lossless!(NetworkList),
    ),
    (
        "network_get_real_tenant_export_redacted.json",
        "Network (item of NetworkList.data)",
        decode_lossless!(Network),
    ),
    (
        "network_get_after_ipsec_tunnel_add_real_export_redacted.json",
        "Network (item of NetworkList.data)",
        decode_lossless!(Network),
    ),
    (
        "region_get_client_test.json",
        "NetworkRegion (item of Network.regions)",
        decode_lossless!(NetworkRegion),
    ),
    (
        "instance_get_client_test.json",
        "NetworkInstance (item of NetworkRegion.instances)",
        decode_lossless!(NetworkInstance),
    ),
    (
        "wireguard_tunnel_get_client_test.json",
        "NetworkTunnel (item of NetworkInstance.tunnels; WireGuard fields)",
        decode_lossless!(NetworkTunnel),
    ),
    (
        "harmony_sase_regions_enhanced_client_test.json",
        "[HarmonySaseRegion] (the region catalogue; one entry is NetworkRegion.cpregion)",
        decode_lossless!(Vec<HarmonySaseRegion>),
    ),
    (
        "harmony_sase_regions_standard_client_test.json",
        "[HarmonySaseRegion] (the region catalogue; one entry is NetworkRegion.cpregion)",
        decode_lossless!(Vec<HarmonySaseRegion>),
    ),
    (
        "updatable_objects_v3_empty.json",
        "NetworkList (the v3 updatable-objects list has no seed operation; it is decoded as the \
         spec's unpaged {data} envelope, pinning that an empty unpaged list decodes)",
        decode_lossless!(NetworkList),
    ),
];

/// Fixtures no operation of the spec sends or returns, with the reason.
const SKIPPED: &[(&str, &str)] = &[
    (
        "network_create_request_v2_script.json",
        "request body of the v2 network creation (POST /v2/networks); outside the seed",
    ),
    (
        "network_instances_remove_request_v2_3_client_test.json",
        "request body of the v2.3 instance removal; outside the seed",
    ),
    (
        "network_region_add_request_v2_3_client_test.json",
        "request body of the v2.3 add-region-to-network operation; outside the seed",
    ),
];

fn read(file: &str) -> String {
    let path = fixture_path(API, file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Decodes one fixture as `$ty`, panicking with the file name and the serde error.
macro_rules! load {
    ($ty:ty, $file:expr) => {{
        let file: &str = $file;
        serde_json::from_str::<$ty>(&read(file))
            .unwrap_or_else(|e| panic!("{file}: does not decode as {}: {e}", stringify!($ty)))
    }};
}

#[test]
fn every_decoded_fixture_decodes_losslessly() {
    let failures: Vec<String> = DECODED
        .iter()
        .filter_map(|(file, ty, decode)| {
            decode(&read(file))
                .err()
                .map(|e| format!("{file} as {ty}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_fixture_is_decoded_or_skipped() {
    let on_disk: BTreeSet<String> = fixture_files(API)
        .iter()
        .map(|path| {
            path.file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let decoded: Vec<&str> = DECODED.iter().map(|(file, _, _)| *file).collect();
    let skipped: Vec<&str> = SKIPPED.iter().map(|(file, _)| *file).collect();
    let listed: BTreeSet<String> = decoded
        .iter()
        .chain(&skipped)
        .map(|f| f.to_string())
        .collect();

    assert_eq!(
        listed.len(),
        decoded.len() + skipped.len(),
        "a fixture is listed twice"
    );
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "fixtures in tests/fixtures/{API}/ neither decoded nor skipped (add them to DECODED or \
         SKIPPED with a reason): {unlisted:?}"
    );
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "listed fixtures that do not exist: {missing:?}"
    );
    assert!(
        SKIPPED.iter().all(|(_, reason)| !reason.trim().is_empty()),
        "every skipped fixture needs a reason"
    );
}

#[test]
fn access_token_expire_decodes_in_all_four_forms() {
    let cases = [
        (
            "auth_authorize_response_expire_epoch_seconds.json",
            AccessTokenExpire::Int64(1_809_771_195),
        ),
        (
            "auth_authorize_response_expire_epoch_millis.json",
            AccessTokenExpire::Int64(1_809_771_195_000),
        ),
        (
            "auth_authorize_response_expire_rfc3339.json",
            AccessTokenExpire::String("2026-04-22T11:33:15Z".into()),
        ),
        (
            "auth_authorize_response_expire_string_number.json",
            AccessTokenExpire::String("1809771195".into()),
        ),
    ];
    for (file, expected) in cases {
        let response = load!(AuthorizeResponse, file);
        assert_eq!(response.data.access_token, "tok", "{file}");
        assert_eq!(
            response.data.token_type,
            Some(TokenType::TokenTypeKnown(TokenTypeKnown::Bearer)),
            "{file}"
        );
        assert_eq!(response.data.access_token_expire, Some(expected), "{file}");
    }
}

#[test]
fn authorize_request_fixture_is_the_request_body() {
    let request = load!(AuthorizeRequest, "auth_authorize_request.json");
    assert_eq!(request.grant_type, GrantType::ApiKey);
    assert_eq!(request.api_key, "<API_KEY>");
}

#[test]
fn unknown_enum_values_are_kept() {
    let health: NetworkHealth = serde_json::from_value(json!({"data": [
        {"type": "gateway", "meta": {"networkId": "n1", "instanceId": "i1"}, "status": "passing"},
        {"type": "tunnel", "meta": {"networkId": "n1", "tunnelId": "t1"}, "status": "degraded"},
        {"type": "gateway", "meta": {"networkId": "n1"}, "status": true},
    ]}))
    .expect("health with unknown values decodes");
    let statuses: Vec<_> = health
        .data
        .iter()
        .map(|check| check.status.clone())
        .collect();
    assert_eq!(
        statuses,
        [
            Some(HealthStatus::HealthStatusKnown(HealthStatusKnown::Passing)),
            Some(HealthStatus::String("degraded".into())),
            Some(HealthStatus::Boolean(true)),
        ]
    );
    assert_eq!(
        serde_json::to_value(&health.data[1]).expect("encodes")["type"],
        json!("tunnel"),
        "an unknown check type is re-encoded unchanged"
    );

    // The vendor's own SDK writes the token type capitalised.
    let response: AuthorizeResponse = serde_json::from_value(json!({"data": {
        "tokenType": "Bearer", "accessToken": "tok", "accessTokenExpire": 1809771195
    }}))
    .expect("authorize response decodes");
    assert_eq!(
        response.data.token_type,
        Some(TokenType::String("Bearer".into()))
    );
}

#[test]
fn real_payloads_keep_their_values() {
    let users = load!(
        UserList,
        "users_list_real_tenant_export_redacted_subset.json"
    );
    assert_eq!(
        (users.page, users.total_page, users.items_total),
        (Some(1), Some(2), Some(398))
    );
    let first = &users.data[0];
    assert_eq!(first.first_name.as_deref(), Some("first-39"));
    let saml = &first.id_providers.as_ref().expect("idProviders")["saml"];
    assert_eq!(saml.idp_conn_name.as_deref(), Some("example-oc"));
    assert_eq!(
        first.id_providers.as_ref().expect("idProviders")["database"].user_id,
        None
    );

    let groups = load!(GroupList, "groups_list_real_tenant_export.json");
    assert_eq!(groups.data.len(), 21);
    assert_eq!(groups.items_total, Some(21));
    assert_eq!(
        groups
            .data
            .iter()
            .filter(|g| g.is_default == Some(true))
            .count(),
        1
    );

    let before = load!(Network, "network_get_real_tenant_export_redacted.json");
    let after = load!(
        Network,
        "network_get_after_ipsec_tunnel_add_real_export_redacted.json"
    );
    let tunnels = |network: &Network| -> usize {
        network
            .regions
            .iter()
            .flat_map(|r| &r.instances)
            .map(|i| i.tunnels.len())
            .sum()
    };
    assert_eq!(
        tunnels(&after),
        tunnels(&before) + 1,
        "tunnels is an array of tunnels"
    );
    let geo = before.geo_point.as_ref().expect("geoPoint");
    assert_eq!(
        geo.type_, None,
        "geoPoint.__type is absent in real payloads"
    );
    assert_eq!(geo.latitude, Some(40.712776));
    let cpregion = before.regions[0].cpregion.as_ref().expect("cpregion");
    assert_eq!(cpregion.class_name.as_deref(), Some("CPRegion"));

    let error = load!(
        ApiError,
        "error_409_split_tunneling_updatable_object_not_found.json"
    );
    assert_eq!(error.id, None);
    assert_eq!(error.message.as_deref(), Some("UPDATABLE_OBJECT_NOT_FOUND"));
    assert_eq!(error.status, Some(409));
    let not_found = load!(ApiError, "error_404_id_message_envelope.json");
    assert_eq!(not_found.id.as_deref(), Some("NOT_FOUND"));
}

#[test]
fn corrected_phone_pattern_accepts_international_numbers() {
    assert!(UserProfileDtoPhone::try_from("+972541234567").is_ok());
    assert!(UserProfileDtoPhone::try_from("12025550123").is_ok());
    assert!(UserProfileDtoPhone::try_from("+ 972541234567").is_err());
    assert!(UserProfileDtoPhone::try_from("+1234").is_err());
}

#[test]
fn lossless_check_catches_an_undeclared_field() {
    let decode = decode_lossless!(ApiError);
    assert!(decode(r#"{"id": "X", "message": "m", "data": null}"#).is_ok());
    assert!(decode(r#"{"id": "X", "message": "m", "surprise": 1}"#).is_err());
}
