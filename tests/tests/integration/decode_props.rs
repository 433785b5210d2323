//! Decoders never panic: at least 10,000 arbitrary bodies per API — random bytes, random JSON
//! and cut or corrupted real payloads — go through every response type and through the
//! runtime's error path (decode, Display, Debug).

use bytes::Bytes;
use client_runtime::RawResponse;
use proptest::prelude::*;
use serde_json::Value;
use workspace_tests::fixture_files;

const CASES: u32 = 10_000;

/// Random JSON up to a few levels deep, with the shapes and values payloads use.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-zA-Z0-9 :_./-]{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        let keys = prop_oneof![
            "[a-z]{1,12}",
            Just("data".to_string()),
            Just("id".to_string()),
            Just("status".to_string()),
            Just("response".to_string()),
            Just("message".to_string()),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies: random bytes, random JSON, and real payloads cut short or with a byte changed.
fn body(api: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let payloads: Vec<Vec<u8>> = fixture_files(api)
        .iter()
        .map(|p| std::fs::read(p).expect("fixture"))
        .collect();
    let corrupted = (
        0..payloads.len(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
    )
        .prop_map(move |(which, at, byte, cut)| {
            let mut payload = payloads[which].clone();
            let at = at.index(payload.len().max(1));
            if cut {
                payload.truncate(at);
            } else if let Some(b) = payload.get_mut(at) {
                *b = byte;
            }
            payload
        });
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| serde_json::to_vec(&v).expect("JSON encodes")),
        corrupted,
    ]
}

/// Decodes `body` as each listed type, and runs it through the runtime's error path as `E`.
macro_rules! exercise {
    ($body:expr, error = $error:ty, types = [$($ty:ty),* $(,)?]) => {{
        let body: &[u8] = $body;
        $( let _ = serde_json::from_slice::<$ty>(body); )*
        for status in [200u16, 400, 409, 429, 502] {
            let raw = RawResponse {
                operation: "op",
                method: reqwest::Method::GET,
                url: "https://api.example.com/p".parse().expect("valid URL"),
                status: reqwest::StatusCode::from_u16(status).expect("valid status"),
                headers: Default::default(),
                body: Bytes::copy_from_slice(body),
                oversized: false,
            };
            let error = client_runtime::Error::<$error>::from_response(raw);
            let _ = (error.to_string(), format!("{error:?}"), error.status(), error.api_error());
        }
    }};
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn harmony_decoders_never_panic(body in body("harmony-sase")) {
        use harmony_sase::types::*;
        exercise!(&body, error = Error, types = [
            AuthorizeResponse, UserList, User, GroupList, Group, AddonList, Subscription,
            NetworkList, Network, NetworkHealth, AsyncOperationStatus, Error,
        ]);
    }

    #[test]
    fn saas_rules_decoders_never_panic(body in body("saas-rules")) {
        use saas_rules::types::*;
        exercise!(&body, error = ApiError, types = [
            PolicyEnvelope, PolicyListEnvelope, Vec<PropertyActivation>, ApiError,
        ]);
    }

    #[test]
    fn cipherscale_decoders_never_panic(body in body("cipherscale-policy")) {
        use cipherscale_policy::types::*;
        exercise!(&body, error = Error, types = [Policy, Vec<Policy>, Error]);
    }
}
