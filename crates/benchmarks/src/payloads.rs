//! Fixed response bodies (Harmony SASE users, Cipherscale policies) and the EdgeGrid signing
//! inputs shared with the Python comparison.

use serde_json::{Value, json};

/// `totalPage` of every users page the minimal server answers.
pub const TOTAL_PAGES: u64 = 100;

/// One Harmony SASE user shaped like the vendor's documented example (nested identity
/// providers, timestamps, a score), about 700 bytes of JSON.
pub fn user(n: usize) -> Value {
    json!({
        "id": format!("usr-{n:06}"),
        "tenantId": "bench-tenant",
        "email": format!("user{n}@example.com"),
        "username": format!("user{n}@example.com"),
        "emailVerified": true,
        "firstName": "User",
        "lastName": format!("Number {n}"),
        "fullName": format!("User Number {n}"),
        "initials": "UN",
        "initialsColor": "#6BB9D7",
        "roleName": "Engineering",
        "terminated": false,
        "invitationAttempts": 0,
        "inviteMessage": "",
        "idProviders": {"okta": {
            "enrolledMfa": ["guardian"], "idpConnName": "okta-main", "groups": ["engineering"],
            "userId": format!("00u{n:08}")
        }},
        "icon": {"__type": "File", "name": format!("avatar-{n}.png"),
                 "url": format!("https://static.example.com/api/files/avatar-{n}.png")},
        "lastVPNSuccessLoginAt": "2021-04-06T06:28:06.093Z",
        "score": 3.1,
        "createdAt": "2020-03-04T09:17:47.500Z",
        "updatedAt": "2021-09-29T08:09:45.392Z"
    })
}

/// A Harmony SASE users page of `count` users (`{data, page, totalPage, itemsTotal}`).
pub fn users_page(count: usize) -> Vec<u8> {
    let data: Vec<Value> = (1..=count).map(user).collect();
    let body = json!({
        "data": data,
        "page": 1,
        "totalPage": TOTAL_PAGES,
        "itemsTotal": TOTAL_PAGES as usize * count,
    });
    serde_json::to_vec(&body).expect("JSON serialises")
}

/// A deterministic UUID (version 4 layout) for item `n` of a kind.
fn uuid(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// One Cipherscale policy referencing a user, a group and a resource.
pub fn policy(n: usize) -> Value {
    json!({
        "id": uuid(1, n),
        "name": format!("policy-{n}"),
        "description": format!("Engineering access to resource {n}"),
        "action": true,
        "allUsers": false,
        "allDevices": true,
        "allGroups": false,
        "allResources": false,
        "users": [{"id": uuid(2, n), "email": format!("user{n}@example.com"), "firstName": "User"}],
        "groups": [{"id": uuid(3, n), "name": "engineering"}],
        "resources": [{"id": uuid(4, n), "name": format!("db-{n}"), "description": "database"}],
        "sourceIps": ["10.0.0.0/8", "192.0.2.0/24"],
        "mode": "REMOTE",
        "type": "PRIVATE",
        "order": n,
        "isDefault": false,
        "createdAt": "2025-01-05T10:00:00.000Z",
        "updatedAt": "2025-02-05T10:00:00.000Z"
    })
}

/// A Cipherscale policy list (a bare JSON array) of `count` policies.
pub fn policies(count: usize) -> Vec<u8> {
    let data: Vec<Value> = (1..=count).map(policy).collect();
    serde_json::to_vec(&data).expect("JSON serialises")
}

/// The Harmony SASE token exchange's answer: a token valid until 2100.
pub fn token_response() -> Vec<u8> {
    serde_json::to_vec(&json!({"data": {
        "accessToken": "bench-token",
        "accessTokenExpire": "2100-01-01T00:00:00Z",
        "tokenType": "Bearer"
    }}))
    .expect("JSON serialises")
}

/// EdgeGrid signing inputs, identical for the Rust benchmark and the Python signer.
pub mod edgegrid {
    /// API host of the credential.
    pub const HOST: &str = "akab-bench0000000000-0000000000000000.luna.akamaiapis.net";
    /// Client token.
    pub const CLIENT_TOKEN: &str = "akab-client-token-xxx-xxxxxxxxxxxxxxxx";
    /// Client secret.
    pub const CLIENT_SECRET: &str = "SOMESECRET/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=";
    /// Access token.
    pub const ACCESS_TOKEN: &str = "akab-access-token-xxx-xxxxxxxxxxxxxxxx";
    /// Fixed timestamp for the reproducible (pure) signatures.
    pub const TIMESTAMP: &str = "20260101T12:00:00+0000";
    /// Fixed nonce for the reproducible (pure) signatures.
    pub const NONCE: &str = "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    /// `Content-Type` of the POST bodies (sent, not signed).
    pub const CONTENT_TYPE: &str = "application/json";

    /// One request to sign: name, method, URL and body length.
    pub struct Case {
        /// Name used in the results.
        pub name: &'static str,
        /// HTTP method.
        pub method: &'static str,
        /// Absolute URL.
        pub url: &'static str,
        /// Body length in bytes (0: no body).
        pub body_len: usize,
    }

    /// The three sizes of the issue: a GET, a 1 KiB POST and a 128 KiB POST (exactly
    /// `max_body`, so the whole body is hashed).
    pub const CASES: &[Case] = &[
        Case {
            name: "get",
            method: "GET",
            url: "https://akab-bench0000000000-0000000000000000.luna.akamaiapis.net/config-saas-rules/v2/policies/1133/versions?limit=100&offset=0",
            body_len: 0,
        },
        Case {
            name: "post_1k",
            method: "POST",
            url: "https://akab-bench0000000000-0000000000000000.luna.akamaiapis.net/config-saas-rules/v2/policies/1133/versions",
            body_len: 1024,
        },
        Case {
            name: "post_128k",
            method: "POST",
            url: "https://akab-bench0000000000-0000000000000000.luna.akamaiapis.net/config-saas-rules/v2/policies/1133/versions",
            body_len: 128 * 1024,
        },
    ];

    /// A deterministic ASCII body of `len` bytes (`abc…z` repeated).
    pub fn body(len: usize) -> Vec<u8> {
        (0..len).map(|i| b'a' + (i % 26) as u8).collect()
    }
}
