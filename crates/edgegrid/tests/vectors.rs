//! Table tests over Akamai's published EdgeGrid vectors (`tests/vectors/`, see SOURCES.md).
//!
//! Every case of `python/testcases.json` and `saas-rules-reference.json` is applied twice:
//! through the pure [`Credentials::authorization`] / [`Credentials::data_to_sign`] and through
//! [`Credentials::sign_request_at`] on a real `reqwest::Request`. Cases that cannot be applied
//! to one of the paths are listed in the skip lists below with the reason.

use std::path::PathBuf;

use edgegrid::Credentials;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

/// Cases of python/testcases.json that are not applied, with the reason. Empty: the pure
/// function takes header values as given, so even "Header with leading and interior spaces"
/// (which the `requests` library refuses to send, see its `failsWithMessage`) is reproduced,
/// and `http` accepts that value too.
const PYTHON_SKIPPED: &[(&str, &str)] = &[];

/// Cases of saas-rules-reference.json that are not applied, with the reason. Empty.
const SAAS_SKIPPED: &[(&str, &str)] = &[];

fn vector(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_field<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key} is not a string in {value}"))
}

/// One signing case, normalised from either file.
struct Case {
    name: String,
    credentials: Credentials,
    method: String,
    url: Url,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    timestamp: String,
    nonce: String,
    expected_authorization: String,
    /// The full string to sign, including the authorization prefix.
    expected_data_to_sign: Option<String>,
}

fn auth_prefix(client_token: &str, access_token: &str, timestamp: &str, nonce: &str) -> String {
    format!(
        "EG1-HMAC-SHA256 client_token={client_token};access_token={access_token};\
         timestamp={timestamp};nonce={nonce};"
    )
}

fn python_cases() -> Vec<Case> {
    let data = vector("python/testdata.json");
    let cases = vector("python/testcases.json");
    let base_url = Url::parse(str_field(&data, "base_url")).expect("base_url");
    let (client_token, access_token) = (
        str_field(&data, "client_token"),
        str_field(&data, "access_token"),
    );
    let (timestamp, nonce) = (str_field(&data, "timestamp"), str_field(&data, "nonce"));
    let headers_to_sign: Vec<&str> = data["headers_to_sign"]
        .as_array()
        .expect("headers_to_sign")
        .iter()
        .map(|h| h.as_str().expect("header name"))
        .collect();
    let credentials = Credentials::new(
        base_url.as_str(),
        client_token,
        str_field(&data, "client_secret"),
        access_token,
    )
    .expect("credentials")
    .with_max_body(data["max_body"].as_u64().expect("max_body") as usize)
    .with_headers_to_sign(&headers_to_sign);

    cases
        .as_array()
        .expect("testcases.json is an array")
        .iter()
        .map(|case| {
            let name = str_field(case, "testName").to_owned();
            let request = &case["request"];
            let headers = request["headers"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .flat_map(|h| h.as_object().expect("header object"))
                        .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let expected_data_to_sign = case["expectedDataToSign"].as_str().map(|d| {
                // The quirk: these strings end with an empty authorization prefix.
                assert!(
                    d.ends_with('\t'),
                    "{name}: expectedDataToSign should end in a tab"
                );
                format!(
                    "{d}{}",
                    auth_prefix(client_token, access_token, timestamp, nonce)
                )
            });
            Case {
                url: base_url
                    .join(str_field(request, "path"))
                    .expect("path joins"),
                method: str_field(request, "method").to_owned(),
                headers,
                body: request["data"]
                    .as_str()
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec(),
                credentials: credentials.clone(),
                timestamp: timestamp.to_owned(),
                nonce: nonce.to_owned(),
                expected_authorization: str_field(case, "expectedAuthorization").to_owned(),
                expected_data_to_sign,
                name,
            }
        })
        .collect()
}

fn saas_cases() -> Vec<Case> {
    let reference = vector("saas-rules-reference.json");
    let creds = &reference["credentials"];
    reference["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| {
            let headers_to_sign: Vec<&str> = case["headers_to_sign"]
                .as_array()
                .expect("headers_to_sign")
                .iter()
                .map(|h| h.as_str().expect("header name"))
                .collect();
            let credentials = Credentials::new(
                str_field(creds, "host"),
                str_field(creds, "client_token"),
                str_field(creds, "client_secret"),
                str_field(creds, "access_token"),
            )
            .expect("credentials")
            .with_max_body(case["max_body"].as_u64().expect("max_body") as usize)
            .with_headers_to_sign(&headers_to_sign);
            Case {
                name: str_field(case, "name").to_owned(),
                credentials,
                method: str_field(case, "method").to_owned(),
                url: Url::parse(str_field(case, "url")).expect("url"),
                headers: case["headers"]
                    .as_object()
                    .expect("headers")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
                    .collect(),
                body: case["body"]
                    .as_str()
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec(),
                timestamp: str_field(creds, "timestamp").to_owned(),
                nonce: str_field(creds, "nonce").to_owned(),
                expected_authorization: str_field(case, "expectedAuthorization").to_owned(),
                expected_data_to_sign: Some(str_field(case, "expectedDataToSign").to_owned()),
            }
        })
        .collect()
}

/// Signs every case with the pure function; returns a description of each mismatch.
fn check_pure(case: &Case) -> Vec<String> {
    let mut failures = Vec::new();
    let headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (creds, method, url, body) = (&case.credentials, &case.method, &case.url, &case.body);
    let (timestamp, nonce) = (&case.timestamp, &case.nonce);
    match creds.authorization(method, url, &headers, body, timestamp, nonce) {
        Ok(got) if got == case.expected_authorization => {}
        other => failures.push(format!(
            "{}: authorization\n  got      {other:?}\n  expected {}",
            case.name, case.expected_authorization
        )),
    }
    if let Some(expected) = &case.expected_data_to_sign {
        match creds.data_to_sign(method, url, &headers, body, timestamp, nonce) {
            Ok(got) if &got == expected => {}
            other => failures.push(format!(
                "{}: data to sign\n  got      {other:?}\n  expected {expected:?}",
                case.name
            )),
        }
    }
    failures
}

/// Signs the case through a real `reqwest::Request`; returns a description of a mismatch.
fn check_request(case: &Case) -> Option<String> {
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("method");
    let mut request = reqwest::Request::new(method, case.url.clone());
    for (name, value) in &case.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("header name");
        let value = HeaderValue::from_str(value).expect("header value");
        request.headers_mut().append(name, value);
    }
    if !case.body.is_empty() {
        *request.body_mut() = Some(case.body.clone().into());
    }
    let result = case
        .credentials
        .sign_request_at(&mut request, &case.timestamp, &case.nonce)
        .map(|()| request.headers().get(AUTHORIZATION).cloned());
    match result {
        Ok(Some(value)) if value.as_bytes() == case.expected_authorization.as_bytes() => None,
        other => Some(format!(
            "{} (reqwest::Request): got {other:?}, expected {}",
            case.name, case.expected_authorization
        )),
    }
}

fn run(cases: &[Case], skipped: &[(&str, &str)]) -> usize {
    for (name, reason) in skipped {
        assert!(
            cases.iter().any(|c| c.name == *name),
            "skip list names a case that does not exist: {name} ({reason})"
        );
    }
    let mut failures = Vec::new();
    let mut applied = 0;
    for case in cases {
        if skipped.iter().any(|(name, _)| *name == case.name) {
            continue;
        }
        applied += 1;
        failures.extend(check_pure(case));
        failures.extend(check_request(case));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    applied
}

#[test]
fn python_testcases() {
    let cases = python_cases();
    let applied = run(&cases, PYTHON_SKIPPED);
    assert_eq!(applied + PYTHON_SKIPPED.len(), cases.len());
    assert_eq!(cases.len(), 15, "python/testcases.json changed size");
}

#[test]
fn saas_rules_reference() {
    let cases = saas_cases();
    let applied = run(&cases, SAAS_SKIPPED);
    assert_eq!(applied + SAAS_SKIPPED.len(), cases.len());
    assert_eq!(cases.len(), 8, "saas-rules-reference.json changed size");
}

/// The account switch key vector, reproduced by letting `sign_request` add the key.
#[test]
fn account_key_is_added_before_signing() {
    let cases = saas_cases();
    let case = cases
        .iter()
        .find(|c| c.name == "GET with accountSwitchKey")
        .expect("the accountSwitchKey case");
    let url = Url::parse(
        "https://akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net\
         /config-saas-rules/v2/policyInfoList/243",
    )
    .expect("url");
    let credentials = case
        .credentials
        .clone()
        .with_account_key(Some("1-ABCD:1-2345".to_owned()));
    let mut request = reqwest::Request::new(reqwest::Method::GET, url);
    credentials
        .sign_request_at(&mut request, &case.timestamp, &case.nonce)
        .expect("signs");
    assert_eq!(request.url(), &case.url);
    assert_eq!(
        request.headers()[AUTHORIZATION].as_bytes(),
        case.expected_authorization.as_bytes()
    );
    // Signing the same request again (a retry) does not add the key twice.
    credentials
        .sign_request_at(&mut request, &case.timestamp, &case.nonce)
        .expect("signs again");
    assert_eq!(request.url(), &case.url);
}
