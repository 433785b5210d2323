//! `.edgerc` and environment loading, against Akamai's sample files (`tests/vectors/`) and this
//! crate's malformed fixtures (`tests/fixtures/`). The environment is injected, never mutated.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use edgegrid::{Credentials, EdgercError, ExposeSecret};

/// Every secret-looking value in the sample files: none may appear in an error message.
const SECRETS: &[&str] = &[
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=",
    "xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx",
    "secret-value",
    "akab-client-token",
    "akab-access-token",
    "sectionClientSecret",
];

fn file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(relative)
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn load(path: &str, section: &str) -> Result<Credentials, EdgercError> {
    Credentials::from_edgerc_with_env(Some(&file(path)), Some(section), &no_env)
}

fn load_err(path: &str, section: &str) -> EdgercError {
    let error = load(path, section).expect_err("loading should fail");
    assert_no_secret(&error);
    error
}

fn assert_no_secret(error: &EdgercError) {
    let shown = format!("{error} {error:?}");
    for secret in SECRETS {
        assert!(!shown.contains(secret), "error shows a secret: {shown}");
    }
}

fn assert_names(error: &EdgercError, parts: &[&str]) {
    let message = error.to_string();
    for part in parts {
        assert!(
            message.contains(part),
            "`{message}` should mention `{part}`"
        );
    }
}

fn secrets(c: &Credentials) -> (&str, &str, &str) {
    (
        c.client_token().expose_secret(),
        c.client_secret().expose_secret(),
        c.access_token().expose_secret(),
    )
}

#[test]
fn python_sample_default() {
    let c = load("vectors/python/sample_edgerc", "default").expect("loads");
    assert_eq!(
        c.host(),
        "xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net/"
    );
    assert_eq!(
        c.base_url().as_str(),
        "https://xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net/"
    );
    assert_eq!(
        secrets(&c),
        (
            "xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=",
            "xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx"
        )
    );
    assert_eq!(c.max_body(), 131_072);
    assert!(c.headers_to_sign().is_empty());
    assert_eq!(c.account_key(), None);
}

#[test]
fn python_sample_broken_section_has_quoted_host_with_scheme() {
    let c = load("vectors/python/sample_edgerc", "broken").expect("loads");
    assert_eq!(
        c.base_url().as_str(),
        "https://xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net/"
    );
    assert_eq!(c.max_body(), edgegrid::DEFAULT_MAX_BODY);
}

#[test]
fn python_sample_headers_and_dashes() {
    let c = load("vectors/python/sample_edgerc", "headers").expect("loads");
    assert_eq!(c.headers_to_sign(), ["x-mything1", "x-mything2"]);

    let dashes = load("vectors/python/sample_edgerc", "dashes").expect("loads");
    let default = load("vectors/python/sample_edgerc", "default").expect("loads");
    assert_eq!(secrets(&dashes), secrets(&default));
    assert_eq!(dashes.max_body(), 131_072);
}

#[test]
fn golang_samples() {
    let c = load("vectors/golang/sample_edgerc", "test").expect("loads");
    assert_eq!(
        c.base_url().host_str(),
        Some("test-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net")
    );
    assert_eq!(
        c.client_secret().expose_secret(),
        "testxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx="
    );
    for section in ["default", "broken", "dashes"] {
        load("vectors/golang/sample_edgerc", section).expect(section);
    }

    // nodefault_edgerc has no trailing newline and no [default] section.
    let nodefault = load("vectors/golang/nodefault_edgerc", "nodefault").expect("loads");
    assert_eq!(nodefault.max_body(), 131_072);
    let error = load_err("vectors/golang/nodefault_edgerc", "default");
    assert!(matches!(
        &error,
        EdgercError::MissingSection { section, available, .. }
            if section == "default" && available == &["nodefault"]
    ));
    assert_names(&error, &["nodefault_edgerc", "[default]", "nodefault"]);
}

#[test]
fn node_sample_quotes_comments_and_max_body() {
    let c = load("vectors/node/test_edgerc", "default").expect("loads");
    assert_eq!(c.client_secret().expose_secret(), "clientSecret");
    assert_eq!(c.max_body(), 131_072);

    let c = load("vectors/node/test_edgerc", "comment-test").expect("loads");
    assert_eq!(c.host(), "sectionexample.luna.akamaiapis.net");
    assert_eq!(
        secrets(&c),
        ("client token", "client;secret", "access; token")
    );

    let c = load("vectors/node/test_edgerc", "custom:max_body").expect("loads");
    assert_eq!(c.max_body(), 8192);
    let c = load("vectors/node/test_edgerc", "no-max-body").expect("loads");
    assert_eq!(c.max_body(), 131_072);
    let c = load("vectors/node/test_edgerc", "https").expect("loads");
    assert_eq!(
        c.base_url().as_str(),
        "https://example.luna.akamaiapis.net/"
    );

    let error = load_err("vectors/node/test_edgerc", "custom:max_body_NAN");
    assert!(matches!(error, EdgercError::InvalidMaxBody { .. }));
    assert_names(
        &error,
        &["test_edgerc", "[custom:max_body_NAN]", "max_body"],
    );
}

#[test]
fn python_edgerc_that_doesnt_parse() {
    let error = load_err("vectors/python/edgerc_that_doesnt_parse", "default");
    assert!(matches!(
        &error,
        EdgercError::MissingKeys { keys, .. } if keys == &["host", "client_secret"]
    ));
    assert_names(
        &error,
        &[
            "edgerc_that_doesnt_parse",
            "[default]",
            "host",
            "client_secret",
        ],
    );
}

#[test]
fn golang_edgerc_that_doesnt_parse() {
    let error = load_err("vectors/golang/edgerc_that_doesnt_parse", "default");
    assert!(matches!(
        &error,
        EdgercError::MissingKeys { keys, .. } if keys == &["host", "client_secret"]
    ));
    assert_names(&error, &["golang/edgerc_that_doesnt_parse", "[default]"]);
}

#[test]
fn bad_max_body_is_reported_once_keys_are_complete() {
    let error = load_err("fixtures/local_edgerc", "zero_max_body");
    assert!(matches!(error, EdgercError::InvalidMaxBody { .. }));
    assert_names(&error, &["local_edgerc", "[zero_max_body]", "max_body"]);
}

#[test]
fn local_server_section_with_every_option() {
    let c = load("fixtures/local_edgerc", "local").expect("loads");
    assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9000/");
    assert_eq!(c.client_secret().expose_secret(), "local-secret-value=");
    assert_eq!(c.max_body(), 4096);
    assert_eq!(c.headers_to_sign(), ["x-test1", "x-test2"]);
    assert_eq!(c.account_key(), Some("1-ABCD:1-2345"));
}

#[test]
fn invalid_sections() {
    let error = load_err("fixtures/local_edgerc", "bad_headers");
    assert!(matches!(&error, EdgercError::InvalidHeaderName { name, .. } if name == "X Bad"));
    assert_names(&error, &["[bad_headers]", "headers_to_sign"]);

    let error = load_err("fixtures/local_edgerc", "bad_host");
    assert!(matches!(error, EdgercError::InvalidHost { .. }));
    assert_names(&error, &["local_edgerc", "[bad_host]", "/some/path"]);

    let error = load_err("fixtures/local_edgerc", "empty_secret");
    assert!(matches!(&error, EdgercError::MissingKeys { keys, .. } if keys == &["client_secret"]));
    assert_names(&error, &["[empty_secret]", "client_secret"]);

    let error = load_err("fixtures/local_edgerc", "duplicate_key");
    assert!(matches!(&error, EdgercError::DuplicateKey { key, .. } if key == "client_token"));
    assert_names(&error, &["[duplicate_key]", "client_token"]);

    let error = load_err("fixtures/local_edgerc", "twice");
    assert!(matches!(error, EdgercError::DuplicateSection { .. }));
    assert_names(&error, &["local_edgerc", "[twice]"]);
}

#[test]
fn syntax_errors_name_the_line_but_not_its_content() {
    for (fixture, line) in [
        ("fixtures/stray_line_edgerc", 4),
        ("fixtures/unclosed_section_edgerc", 3),
        ("fixtures/unclosed_quote_edgerc", 3),
        ("fixtures/value_without_key_edgerc", 3),
    ] {
        let error = load_err(fixture, "default");
        assert!(
            matches!(&error, EdgercError::Syntax { line: l, .. } if *l == line),
            "{fixture}: {error:?}"
        );
        let file_name = fixture.trim_start_matches("fixtures/");
        assert_names(&error, &[&format!("{file_name}:{line}:")]);
    }
}

#[test]
fn missing_file() {
    let error = load_err("fixtures/no_such_edgerc", "default");
    assert!(matches!(error, EdgercError::Read { .. }));
    assert_names(&error, &["no_such_edgerc"]);
}

const FULL_DEFAULT_ENV: &[(&str, &str)] = &[
    ("AKAMAI_HOST", "env-host.luna.akamaiapis.net"),
    ("AKAMAI_CLIENT_TOKEN", "env-client-token"),
    ("AKAMAI_CLIENT_SECRET", "env-secret"),
    ("AKAMAI_ACCESS_TOKEN", "env-access-token"),
];

#[test]
fn complete_environment_wins_over_the_file() {
    let mut vars = FULL_DEFAULT_ENV.to_vec();
    vars.extend([("AKAMAI_MAX_BODY", "2048"), ("AKAMAI_ACCOUNT_KEY", "1-ABC")]);
    // The file does not exist: with a complete environment it is not read.
    let c = Credentials::from_edgerc_with_env(
        Some(Path::new("/nonexistent/.edgerc")),
        None,
        &env_of(&vars),
    )
    .expect("loads from env");
    assert_eq!(c.host(), "env-host.luna.akamaiapis.net");
    assert_eq!(
        secrets(&c),
        ("env-client-token", "env-secret", "env-access-token")
    );
    assert_eq!(c.max_body(), 2048);
    assert_eq!(c.account_key(), Some("1-ABC"));
}

#[test]
fn section_specific_environment() {
    let vars = [
        ("AKAMAI_TEST_HOST", "http://127.0.0.1:9000"),
        ("AKAMAI_TEST_CLIENT_TOKEN", "t-client"),
        ("AKAMAI_TEST_CLIENT_SECRET", "t-secret"),
        ("AKAMAI_TEST_ACCESS_TOKEN", "t-access"),
        ("AKAMAI_HOST", "ignored.example"),
    ];
    let c = Credentials::from_edgerc_with_env(None, Some("test"), &env_of(&vars))
        .expect("loads from env");
    assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9000/");
    assert_eq!(c.max_body(), 131_072);

    // A non-default section does not use the unprefixed variables: the file is read.
    let c = Credentials::from_edgerc_with_env(
        Some(&file("vectors/golang/sample_edgerc")),
        Some("test"),
        &env_of(FULL_DEFAULT_ENV),
    )
    .expect("loads from file");
    assert!(c.host().starts_with("test-"));

    // AKAMAI_SECTION picks the section, and so the variable prefix.
    let mut vars = vars.to_vec();
    vars.push(("AKAMAI_SECTION", "test"));
    let c = Credentials::from_edgerc_with_env(None, None, &env_of(&vars)).expect("loads");
    assert_eq!(c.client_token().expose_secret(), "t-client");
}

#[test]
fn bad_environment_values() {
    let mut vars = FULL_DEFAULT_ENV.to_vec();
    vars.push(("AKAMAI_MAX_BODY", "12kb"));
    let error = Credentials::from_edgerc_with_env(None, None, &env_of(&vars)).expect_err("bad");
    assert!(matches!(&error, EdgercError::InvalidEnv { var, .. } if var == "AKAMAI_MAX_BODY"));

    let mut vars = FULL_DEFAULT_ENV.to_vec();
    vars[0] = ("AKAMAI_HOST", "ftp://example.com");
    let error = Credentials::from_edgerc_with_env(None, None, &env_of(&vars)).expect_err("bad");
    assert!(matches!(&error, EdgercError::InvalidEnv { var, .. } if var == "AKAMAI_HOST"));
    assert!(!error.to_string().contains("env-secret"));
}

#[test]
fn incomplete_environment_falls_back_to_the_file() {
    let vars = [
        ("AKAMAI_HOST", "env-host.example"),
        ("AKAMAI_CLIENT_TOKEN", "x"),
    ];
    let c = Credentials::from_edgerc_with_env(
        Some(&file("vectors/python/sample_edgerc")),
        None,
        &env_of(&vars),
    )
    .expect("loads from file");
    assert!(c.host().starts_with("xxxx-"));

    let error = Credentials::from_edgerc_with_env(
        Some(&file("fixtures/no_such_edgerc")),
        None,
        &env_of(&vars),
    )
    .expect_err("neither source is complete");
    assert!(matches!(
        &error,
        EdgercError::IncompleteEnvironment { missing, .. }
            if missing == &["AKAMAI_CLIENT_SECRET", "AKAMAI_ACCESS_TOKEN"]
    ));
    assert_names(&error, &["AKAMAI_CLIENT_SECRET", "no_such_edgerc"]);
}

#[test]
fn file_lookup_order() {
    let home = file("fixtures/home");
    let home = home.to_str().expect("utf-8 path");
    let python = file("vectors/python/sample_edgerc");
    let python = python.to_str().expect("utf-8 path");

    // ~/.edgerc from HOME (then USERPROFILE).
    for var in ["HOME", "USERPROFILE"] {
        let c = Credentials::from_edgerc_with_env(None, None, &env_of(&[(var, home)]))
            .expect("loads ~/.edgerc");
        assert_eq!(c.host(), "home-default.luna.akamaiapis.net");
    }
    // AKAMAI_EDGERC beats ~/.edgerc; an explicit path beats AKAMAI_EDGERC.
    let env = env_of(&[("HOME", home), ("AKAMAI_EDGERC", python)]);
    let c = Credentials::from_edgerc_with_env(None, None, &env).expect("loads");
    assert!(c.host().starts_with("xxxx-"));
    let explicit = file("fixtures/home/.edgerc");
    let c = Credentials::from_edgerc_with_env(Some(&explicit), None, &env).expect("loads");
    assert_eq!(c.host(), "home-default.luna.akamaiapis.net");
    // `~/` is expanded; AKAMAI_SECTION applies; an explicit section beats it.
    let env = env_of(&[("HOME", home), ("AKAMAI_SECTION", "other")]);
    let tilde = Path::new("~/.edgerc");
    let c = Credentials::from_edgerc_with_env(Some(tilde), None, &env).expect("loads");
    assert_eq!(c.host(), "home-other.luna.akamaiapis.net");
    let c = Credentials::from_edgerc_with_env(Some(tilde), Some("default"), &env).expect("loads");
    assert_eq!(c.host(), "home-default.luna.akamaiapis.net");
    // Without any way to find the home directory.
    let error = Credentials::from_edgerc_with_env(None, None, &no_env).expect_err("no home");
    assert!(matches!(error, EdgercError::NoHomeDirectory));
}
