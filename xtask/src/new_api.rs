//! `cargo xtask new-api NAME --auth KIND [--spec FILE]`: scaffolds a fourth (fifth, …) API
//! client — the spec, the `apis.rs` entry, the client crate on `client-runtime`'s core, a fake
//! on `fake-kit` and one integration test — and generates its code, so that
//! `cargo xtask codegen && cargo test --workspace` passes right after.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use heck::{ToShoutySnakeCase, ToSnakeCase};
use openapiv3::{OpenAPI, ReferenceOr};

use crate::apis::Api;
use crate::{codegen, surface};

/// How a scaffolded client authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// An API key in a header on every attempt (`client_runtime::HeaderKey`).
    HeaderKey,
    /// An API key exchanged for bearer tokens (`client_runtime::BearerExchange`), by the
    /// convention `POST <base URL>/auth/token` with `{"api_key"}` → `{"access_token",
    /// "expires_in"}`.
    BearerExchange,
    /// Akamai EdgeGrid signing with `.edgerc` credentials (`edgegrid::EdgeGrid`).
    EdgeGrid,
    /// No credentials (`client_runtime::NoAuth`).
    None,
}

impl AuthKind {
    /// Parses `--auth`'s value.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "header-key" => Ok(AuthKind::HeaderKey),
            "bearer-exchange" => Ok(AuthKind::BearerExchange),
            "edgegrid" => Ok(AuthKind::EdgeGrid),
            "none" => Ok(AuthKind::None),
            other => bail!("unknown --auth `{other}`: {KINDS}"),
        }
    }

    /// The `client_runtime::Auth` implementation, as the generated code names it.
    fn auth_type(self) -> &'static str {
        match self {
            AuthKind::HeaderKey => "client_runtime::HeaderKey",
            AuthKind::BearerExchange => "crate::TokenCache",
            AuthKind::EdgeGrid => "edgegrid::EdgeGrid",
            AuthKind::None => "client_runtime::NoAuth",
        }
    }

    /// The kind's parts of the templates.
    fn templates(self) -> &'static Templates {
        match self {
            AuthKind::HeaderKey => &HEADER_KEY,
            AuthKind::BearerExchange => &BEARER_EXCHANGE,
            AuthKind::EdgeGrid => &EDGEGRID,
            AuthKind::None => &NONE,
        }
    }
}

/// The values `--auth` takes.
const KINDS: &str = "header-key|bearer-exchange|edgegrid|none";

/// What `new-api` was asked for.
#[derive(Debug)]
pub struct Request {
    /// The API's name: the spec's file stem, the crate's name (kebab case).
    pub name: String,
    /// Its authentication.
    pub auth: AuthKind,
    /// A spec to copy instead of the template.
    pub spec: Option<PathBuf>,
}

/// Parses `new-api`'s arguments.
pub fn parse_args(args: &[String]) -> Result<Request> {
    const USAGE: &str = "usage: cargo xtask new-api NAME --auth header-key|bearer-exchange|edgegrid|none [--spec FILE]";
    let mut name = None;
    let mut auth = None;
    let mut spec = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--auth" => match args.next() {
                Some(kind) => auth = Some(AuthKind::parse(kind)?),
                None => bail!("--auth needs a kind\n\n{USAGE}"),
            },
            "--spec" => match args.next() {
                Some(file) => spec = Some(PathBuf::from(file)),
                None => bail!("--spec needs a file\n\n{USAGE}"),
            },
            flag if flag.starts_with('-') => bail!("unknown new-api option `{flag}`\n\n{USAGE}"),
            _ if name.is_none() => name = Some(arg.clone()),
            _ => bail!("{USAGE}"),
        }
    }
    let Some(name) = name else { bail!("{USAGE}") };
    let Some(auth) = auth else {
        bail!("--auth is required\n\n{USAGE}")
    };
    check_name(&name)?;
    Ok(Request { name, auth, spec })
}

/// A name is lowercase kebab case starting with a letter: it becomes a file stem, a crate and
/// an environment-variable prefix.
fn check_name(name: &str) -> Result<()> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--");
    if !valid {
        bail!("`{name}` is not a lowercase kebab-case name (e.g. `petstore`, `acme-audit`)");
    }
    if matches!(
        name,
        "cli" | "tests" | "xtask" | "fake-kit" | "client-runtime" | "edgegrid"
    ) || name.ends_with("-fake")
    {
        bail!("`{name}` is taken by a workspace crate");
    }
    Ok(())
}

/// Names derived from the API's name.
struct Names {
    /// `acme-audit`.
    kebab: String,
    /// `acme_audit`.
    snake: String,
    /// `ACME_AUDIT`.
    shouty: String,
}

impl Names {
    fn new(name: &str) -> Self {
        Self {
            kebab: name.to_string(),
            snake: name.to_snake_case(),
            shouty: name.to_shouty_snake_case(),
        }
    }

    /// Fills a template's `{{kebab}}`, `{{snake}}` and `{{SHOUTY}}`.
    fn fill(&self, template: &str) -> String {
        template
            .replace("{{kebab}}", &self.kebab)
            .replace("{{snake}}", &self.snake)
            .replace("{{SHOUTY}}", &self.shouty)
    }
}

/// Writes every file of the new API and generates its code; returns the files written.
pub fn run(root: &Path, request: &Request) -> Result<Vec<PathBuf>> {
    let names = Names::new(&request.name);
    let spec_path = root.join(format!("specs/{}.yaml", names.kebab));
    let crate_dir = root.join("crates").join(&names.kebab);
    let fake_dir = root.join("crates").join(format!("{}-fake", names.kebab));
    for taken in [&spec_path, &crate_dir, &fake_dir] {
        if taken.exists() {
            bail!(
                "{} exists already: `{}` is taken",
                taken.display(),
                names.kebab
            );
        }
    }
    let spec_text = match &request.spec {
        Some(file) => {
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
        }
        None => names.fill(&template_spec(request.auth)),
    };
    let spec = codegen::parse_spec(&spec_text)
        .with_context(|| format!("{} is not a spec progenitor can read", display(request)))?;
    let server = server_url(&spec)?;
    let base_path = base_path(&server);
    let probe = Probe::of(&spec)?;

    // Generate first, so that a spec progenitor cannot generate leaves nothing behind. The
    // table's fields are `&'static str`; this one-shot command leaks its few strings.
    let api = Api {
        name: Box::leak(names.kebab.clone().into_boxed_str()),
        output: Box::leak(format!("crates/{}/src/generated.rs", names.kebab).into_boxed_str()),
        inner_type: Box::leak(inner_type(request.auth).into_boxed_str()),
        mock: false,
        base_path: Box::leak(base_path.clone().into_boxed_str()),
        cli_output: "",
    };
    let code = codegen::generate(&api, &spec)?;
    // The API-surface snapshot the xtask test compares with, as `cargo insta accept` writes it.
    let snapshot = format!(
        "---\nsource: xtask/src/lib.rs\nexpression: surface\n---\n{}\n",
        surface::render(api.name, &code)?
    );

    // The workspace files' new texts, before anything is written: a file without its anchor
    // leaves the workspace as it was.
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).with_context(|| format!("reading {path}"))
    };
    let members = with_members(&read("Cargo.toml")?, &names)?;
    let api_table = with_api_entry(&read(APIS_FILE)?, &api)?;

    let mut written = Vec::new();
    let mut write = |path: PathBuf, text: String| -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
        Ok(())
    };
    write(spec_path, spec_text)?;
    let kind = request.auth.templates();
    let url_path = match base_path.is_empty() {
        true => "UrlPath::None",
        false => "UrlPath::Required",
    };
    let lib = CLIENT_LIB
        .replace("{{base_url}}", kind.base_url)
        .replace("{{auth}}", kind.client)
        .replace("{{auth_type}}", request.auth.auth_type())
        .replace("{{server}}", &server)
        .replace("{{url_path}}", url_path)
        .replace("{{base_path}}", &base_path)
        .replace("{{call}}", &probe.call());
    let client_manifest = CLIENT_MANIFEST.replace("{{client_deps}}", kind.client_deps);
    write(crate_dir.join("Cargo.toml"), names.fill(&client_manifest))?;
    write(crate_dir.join("src/lib.rs"), names.fill(&lib))?;
    let test = CLIENT_TEST
        .replace("{{auth_tests}}", kind.tests)
        .replace("{{credentials}}", kind.credentials_check)
        .replace("{{client}}", kind.client_line)
        .replace("{{call}}", &probe.call())
        .replace("{{method}}", &probe.method)
        .replace("{{path}}", &format!("{base_path}{}", probe.path));
    write(crate_dir.join("tests/fake.rs"), names.fill(&test))?;
    let fake_manifest = FAKE_MANIFEST.replace("{{fake_deps}}", kind.fake_deps);
    write(fake_dir.join("Cargo.toml"), names.fill(&fake_manifest))?;
    let fake = FAKE_LIB
        .replace("{{fake}}", kind.fake)
        .replace("{{base_path}}", &base_path);
    write(fake_dir.join("src/lib.rs"), names.fill(&fake))?;
    write(root.join("Cargo.toml"), members)?;
    write(root.join(APIS_FILE), api_table)?;

    write(root.join(api.output), code)?;
    write(
        root.join(format!(
            "xtask/src/snapshots/xtask__tests__{}.snap",
            api.name
        )),
        snapshot,
    )?;
    format_rust(&written).with_context(|| {
        let list: Vec<_> = written.iter().map(|p| p.display().to_string()).collect();
        format!(
            "the scaffold is written ({}) but not formatted",
            list.join(", ")
        )
    })?;
    Ok(written)
}

/// The template spec, with the security (and for a bearer exchange, the exchange operation)
/// its auth kind calls for.
fn template_spec(auth: AuthKind) -> String {
    let kind = auth.templates();
    TEMPLATE_SPEC
        .replace("{{operation_security}}", kind.spec_security)
        .replace("{{security_schemes}}", kind.spec_schemes)
        .replace("{{auth_tags}}", kind.spec_tags)
        .replace("{{auth_paths}}", kind.spec_paths)
        .replace("{{auth_schemas}}", kind.spec_schemas)
}

/// Formats the hand-written Rust files written (the generated one is formatted already), so
/// that the scaffold passes `cargo fmt --check` as it is.
fn format_rust(written: &[PathBuf]) -> Result<()> {
    let files: Vec<_> = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("generated.rs"))
        .collect();
    let status = std::process::Command::new("rustfmt")
        .args(["--edition", "2024"])
        .args(&files)
        .status()
        .context("running rustfmt on the scaffolded files")?;
    if !status.success() {
        bail!("rustfmt failed on the scaffolded files ({status})");
    }
    Ok(())
}

fn display(request: &Request) -> String {
    request
        .spec
        .as_ref()
        .map_or("the template spec".into(), |p| p.display().to_string())
}

/// The generated client's inner type for an auth kind.
fn inner_type(auth: AuthKind) -> String {
    format!(
        "std::sync::Arc<client_runtime::Inner<{}>>",
        auth.auth_type()
    )
}

/// The first server's URL with its variables at their defaults, without a trailing slash.
fn server_url(spec: &OpenAPI) -> Result<String> {
    let Some(server) = spec.servers.first() else {
        bail!("the spec has no `servers`: the client needs a default base URL");
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The path of a server URL (`/v1` of `https://api.example.com/v1`).
fn base_path(server_url: &str) -> String {
    let after_scheme = server_url
        .split_once("://")
        .map_or(server_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |at| &after_scheme[at..])
        .to_string()
}

/// The operation the scaffolded test calls: the first GET (else any operation) with no
/// required parameter and no request body.
struct Probe {
    method_name: String,
    method: String,
    path: String,
}

impl Probe {
    fn of(spec: &OpenAPI) -> Result<Self> {
        let mut candidates = Vec::new();
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                let required_param = op.parameters.iter().chain(&item.parameters).any(|p| {
                    matches!(p, ReferenceOr::Reference { .. })
                        || p.as_item().is_some_and(|p| p.parameter_data_ref().required)
                });
                if required_param || op.request_body.is_some() {
                    continue;
                }
                let Some(id) = &op.operation_id else { continue };
                candidates.push((method != "get", id.to_snake_case(), method, path.clone()));
            }
        }
        candidates.sort_by_key(|(not_get, ..)| *not_get);
        let Some((_, method_name, method, path)) = candidates.into_iter().next() else {
            bail!(
                "the spec has no operation without required parameters or a body for the \
                 scaffolded test to call"
            );
        };
        Ok(Self {
            method_name,
            method: method.to_uppercase(),
            path,
        })
    }

    fn call(&self) -> String {
        format!("client.{}().send().await", self.method_name)
    }
}

/// The root `Cargo.toml` text with the two crates added to the workspace members.
fn with_members(text: &str, names: &Names) -> Result<String> {
    let anchor = "members = [\n";
    let Some(at) = text.find(anchor) else {
        bail!("Cargo.toml has no `members = [` list to add the crates to");
    };
    let at = at + anchor.len();
    let lines = format!(
        "    \"crates/{0}\",\n    \"crates/{0}-fake\",\n",
        names.kebab
    );
    Ok(format!("{}{lines}{}", &text[..at], &text[at..]))
}

/// The `xtask/src/apis.rs` text with `api` appended to the table.
fn with_api_entry(text: &str, api: &Api) -> Result<String> {
    let table = "pub const APIS: &[Api] = &[\n";
    let Some(start) = text.find(table) else {
        bail!("xtask/src/apis.rs has no `{}`", table.trim());
    };
    let Some(end) = text[start..].find("\n];").map(|at| start + at + 1) else {
        bail!("xtask/src/apis.rs: the APIS table does not end with `];`");
    };
    let Api {
        name,
        output,
        inner_type,
        mock,
        base_path,
        cli_output,
    } = api;
    let entry = format!(
        "    Api {{\n        name: \"{name}\",\n        output: \"{output}\",\n        \
         inner_type: \"{inner_type}\",\n        mock: {mock},\n        base_path: \"{base_path}\",\n        \
         cli_output: \"{cli_output}\",\n    }},\n"
    );
    Ok(format!("{}{entry}{}", &text[..end], &text[end..]))
}

/// What one auth kind puts into the templates.
struct Templates {
    /// The operations' `security` lines.
    spec_security: &'static str,
    /// `components.securitySchemes`.
    spec_schemes: &'static str,
    /// Tags, paths and schemas the kind adds to the spec (the token exchange).
    spec_tags: &'static str,
    spec_paths: &'static str,
    spec_schemas: &'static str,
    /// The client's base-URL items (`URL_ENV`, `DEFAULT_BASE_URL`; EdgeGrid's come from the
    /// credentials), its authentication, and the dependencies they need.
    base_url: &'static str,
    client: &'static str,
    client_deps: &'static str,
    /// The fake's `FakeServer` and its credentials check, and their dependencies.
    fake: &'static str,
    fake_deps: &'static str,
    /// The test's client, its check of the logged credentials, and the kind's own tests.
    client_line: &'static str,
    credentials_check: &'static str,
    tests: &'static str,
}

const FAKE_KIT: &str = "fake-kit = { path = \"../fake-kit\" }\n";

const HEADER_KEY: Templates = Templates {
    spec_security: "      security:\n        - apiKey: []\n",
    spec_schemes: "  securitySchemes:\n    apiKey:\n      type: apiKey\n      in: header\n      \
                   name: x-api-key\n      description: The API key.\n",
    spec_tags: "",
    spec_paths: "",
    spec_schemas: "",
    base_url: BASE_URL,
    client: include_str!("new_api/auth.header-key.rs.txt"),
    client_deps: "",
    fake: include_str!("new_api/fake.header-key.rs.txt"),
    fake_deps: FAKE_KIT,
    client_line: "{{snake}}::Client::new(fake.api_key(), fake.base_url())",
    credentials_check: "    assert_eq!(log.len(), 1, \"{log:#?}\");\n    \
                        let key = fake.redacted(fake.api_key());\n    \
                        assert_eq!(call.header(\"x-api-key\"), Some(key.as_str()), \"the key, redacted\");\n",
    tests: include_str!("new_api/test.header-key.rs.txt"),
};

const BEARER_EXCHANGE: Templates = Templates {
    spec_security: "      security:\n        - bearer: []\n",
    spec_schemes: "  securitySchemes:\n    bearer:\n      type: http\n      scheme: bearer\n      \
                   description: \"A token from `issueToken`, as `Authorization: Bearer <token>`.\"\n",
    spec_tags: "  - name: auth\n    description: The exchange of the API key for bearer tokens.\n",
    spec_paths: include_str!("new_api/spec.token.paths.yaml"),
    spec_schemas: include_str!("new_api/spec.token.schemas.yaml"),
    base_url: BASE_URL,
    client: include_str!("new_api/auth.bearer-exchange.rs.txt"),
    client_deps: "",
    fake: include_str!("new_api/fake.bearer-exchange.rs.txt"),
    fake_deps: "fake-kit = { path = \"../fake-kit\" }\nserde_json.workspace = true\n",
    client_line: "{{snake}}::Client::new(fake.api_key(), fake.base_url())",
    credentials_check: "    assert_eq!(log.len(), 2, \"the exchange, then the call: {log:#?}\");\n    \
                        assert_eq!(log[0].path, {{snake}}_fake::TOKEN_PATH);\n    \
                        let bearer = format!(\"Bearer {}\", fake.redacted(&fake.issued_tokens()[0]));\n    \
                        assert_eq!(call.header(\"authorization\"), Some(bearer.as_str()));\n",
    tests: include_str!("new_api/test.bearer-exchange.rs.txt"),
};

const EDGEGRID: Templates = Templates {
    spec_security: "      security:\n        - edgegrid: []\n",
    spec_schemes: "  securitySchemes:\n    edgegrid:\n      type: apiKey\n      in: header\n      \
                   name: Authorization\n      description: >-\n        Akamai EdgeGrid \
                   (`EG1-HMAC-SHA256`), computed for every request from an API credential;\n        \
                   OpenAPI 3.0 has no type for it.\n",
    spec_tags: "",
    spec_paths: "",
    spec_schemas: "",
    base_url: "",
    client: include_str!("new_api/auth.edgegrid.rs.txt"),
    client_deps: "edgegrid = { workspace = true, features = [\"client-runtime\"] }\n",
    fake: include_str!("new_api/fake.edgegrid.rs.txt"),
    fake_deps: "edgegrid.workspace = true\n\
                fake-kit = { path = \"../fake-kit\", features = [\"edgegrid\"] }\n\
                serde_json.workspace = true\n",
    client_line: "{{snake}}::Client::new(fake.credentials())",
    credentials_check: "    assert_eq!(log.len(), 1, \"{log:#?}\");\n    \
                        assert_eq!(fake.verified_count(), 1);\n    \
                        let signed = call.header(\"authorization\").unwrap_or_default();\n    \
                        assert!(signed.starts_with(\"EG1-HMAC-SHA256 \"), \"{signed}\");\n",
    tests: include_str!("new_api/test.edgegrid.rs.txt"),
};

const NONE: Templates = Templates {
    spec_security: "      security: []\n",
    spec_schemes: "",
    spec_tags: "",
    spec_paths: "",
    spec_schemas: "",
    base_url: BASE_URL,
    client: include_str!("new_api/auth.none.rs.txt"),
    client_deps: "",
    fake: include_str!("new_api/fake.none.rs.txt"),
    fake_deps: FAKE_KIT,
    client_line: "{{snake}}::Client::new(fake.base_url())",
    credentials_check: "    assert_eq!(log.len(), 1, \"{log:#?}\");\n",
    tests: include_str!("new_api/test.none.rs.txt"),
};

/// The API table `new-api` appends to.
const APIS_FILE: &str = "xtask/src/apis.rs";

const TEMPLATE_SPEC: &str = include_str!("new_api/spec.yaml");
const CLIENT_MANIFEST: &str = include_str!("new_api/client.Cargo.toml");
const CLIENT_LIB: &str = include_str!("new_api/client.lib.rs.txt");
const BASE_URL: &str = include_str!("new_api/base_url.rs.txt");
const CLIENT_TEST: &str = include_str!("new_api/client.test.rs.txt");
const FAKE_MANIFEST: &str = include_str!("new_api/fake.Cargo.toml");
const FAKE_LIB: &str = include_str!("new_api/fake.lib.rs.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for bad in [
            "Petstore",
            "pet_store",
            "-pet",
            "pet-",
            "pet--store",
            "9pets",
            "cli",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        check_name("acme-audit2").expect("valid");
        assert_eq!(AuthKind::parse("edgegrid").unwrap(), AuthKind::EdgeGrid);
        assert_eq!(
            AuthKind::parse("bearer-exchange").unwrap(),
            AuthKind::BearerExchange
        );
        assert!(AuthKind::parse("oauth").is_err());
    }

    const ALL: [AuthKind; 4] = [
        AuthKind::HeaderKey,
        AuthKind::BearerExchange,
        AuthKind::EdgeGrid,
        AuthKind::None,
    ];

    #[test]
    fn every_template_spec_passes_lint() {
        for auth in ALL {
            let text = Names::new("acme").fill(&template_spec(auth));
            let api = Api {
                name: "acme",
                output: "crates/acme/src/generated.rs",
                inner_type: Box::leak(inner_type(auth).into_boxed_str()),
                mock: false,
                base_path: "/v1",
                cli_output: "",
            };
            let findings = crate::lint::lint_spec(&text, &api);
            assert!(findings.is_empty(), "{auth:?}: {findings:#?}");
        }
    }

    /// Scaffolds each kind into an empty workspace skeleton: every placeholder is filled.
    #[test]
    fn every_kind_fills_every_placeholder() {
        let root = std::env::temp_dir().join(format!("new-api-{}", std::process::id()));
        for auth in ALL {
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("xtask/src")).unwrap();
            std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = [\n]\n").unwrap();
            let table = "pub const APIS: &[Api] = &[\n];\n";
            std::fs::write(root.join("xtask/src/apis.rs"), table).unwrap();
            let request = Request {
                name: "acme-audit".into(),
                auth,
                spec: None,
            };
            let written = run(&root, &request).expect("scaffolds");
            for file in written.iter().filter(|f| !f.ends_with("generated.rs")) {
                let text = std::fs::read_to_string(file).unwrap();
                assert!(
                    !text.contains("{{"),
                    "{auth:?}: {}:\n{text}",
                    file.display()
                );
            }
            let lib = std::fs::read_to_string(root.join("crates/acme-audit/src/lib.rs")).unwrap();
            assert!(lib.contains(auth.auth_type().trim_start_matches("crate::")));
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn base_paths_and_probes_come_from_the_spec() {
        let spec = codegen::parse_spec(&Names::new("acme").fill(&template_spec(AuthKind::None)))
            .expect("parses");
        let server = server_url(&spec).expect("a server");
        assert_eq!(server, "https://api.example.com/v1");
        assert_eq!(base_path(&server), "/v1");
        assert_eq!(base_path("http://127.0.0.1:8080"), "");
        let probe = Probe::of(&spec).expect("an operation to call");
        assert_eq!(
            (probe.method.as_str(), probe.path.as_str()),
            ("GET", "/status")
        );
        assert_eq!(probe.call(), "client.get_status().send().await");
    }
}
