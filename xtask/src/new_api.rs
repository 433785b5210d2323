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
    /// No credentials (`client_runtime::NoAuth`).
    None,
}

impl AuthKind {
    /// Parses `--auth`'s value; the kinds the scaffold cannot make yet say why.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "header-key" => Ok(AuthKind::HeaderKey),
            "none" => Ok(AuthKind::None),
            "bearer-exchange" | "edgegrid" => bail!(
                "--auth {text} is not scaffolded yet: its Auth implementation lives in its API \
                 crate (harmony-sase's token exchange, saas-rules' EdgeGrid signing); use \
                 header-key or none"
            ),
            other => bail!("unknown --auth `{other}`: header-key, none"),
        }
    }
}

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
    const USAGE: &str = "usage: cargo xtask new-api NAME --auth header-key|none [--spec FILE]";
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
        "---\nsource: xtask/src/main.rs\nexpression: surface\n---\n{}\n",
        surface::render(api.name, &code)?
    );

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
    let auth = match request.auth {
        AuthKind::HeaderKey => HEADER_KEY_AUTH,
        AuthKind::None => NO_AUTH,
    };
    let url_path = match base_path.is_empty() {
        true => "UrlPath::None",
        false => "UrlPath::Required",
    };
    let lib = names.fill(
        &CLIENT_LIB
            .replace("{{auth}}", auth)
            .replace("{{auth_type}}", auth_type(request.auth))
            .replace("{{server}}", &server)
            .replace("{{url_path}}", url_path),
    );
    write(crate_dir.join("Cargo.toml"), names.fill(CLIENT_MANIFEST))?;
    write(crate_dir.join("src/lib.rs"), lib)?;
    write(
        crate_dir.join("tests/fake.rs"),
        names.fill(
            &CLIENT_TEST
                .replace("{{client}}", client_line(request.auth))
                .replace("{{call}}", &probe.call())
                .replace("{{method}}", &probe.method)
                .replace("{{path}}", &format!("{base_path}{}", probe.path))
                .replace("{{credentials}}", credentials_check(request.auth)),
        ),
    )?;
    write(fake_dir.join("Cargo.toml"), names.fill(FAKE_MANIFEST))?;
    write(
        fake_dir.join("src/lib.rs"),
        names.fill(
            &FAKE_LIB
                .replace("{{base_path}}", &base_path)
                .replace("{{gateway}}", fake_gateway(request.auth))
                .replace("{{key_items}}", fake_key_items(request.auth)),
        ),
    )?;
    add_members(root, &names)?;
    add_api_entry(root, &names, request.auth, &base_path)?;

    write(root.join(api.output), code)?;
    write(
        root.join(format!(
            "xtask/src/snapshots/xtask__tests__{}.snap",
            api.name
        )),
        snapshot,
    )?;
    format_rust(&written)?;
    Ok(written)
}

/// The template spec, with the security its auth kind calls for.
fn template_spec(auth: AuthKind) -> String {
    let (operation, schemes) = match auth {
        AuthKind::HeaderKey => (
            "      security:\n        - apiKey: []\n",
            "  securitySchemes:\n    apiKey:\n      type: apiKey\n      in: header\n      \
             name: x-api-key\n      description: The API key.\n",
        ),
        AuthKind::None => ("      security: []\n", ""),
    };
    TEMPLATE_SPEC
        .replace("{{operation_security}}", operation)
        .replace("{{security_schemes}}", schemes)
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

/// The `client_runtime::Auth` implementation of an auth kind.
fn auth_type(auth: AuthKind) -> &'static str {
    match auth {
        AuthKind::HeaderKey => "client_runtime::HeaderKey",
        AuthKind::None => "client_runtime::NoAuth",
    }
}

/// The generated client's inner type for an auth kind.
fn inner_type(auth: AuthKind) -> String {
    format!("std::sync::Arc<client_runtime::Inner<{}>>", auth_type(auth))
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

/// Adds the two crates to the workspace members.
fn add_members(root: &Path, names: &Names) -> Result<()> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).context("reading Cargo.toml")?;
    let anchor = "members = [\n";
    let Some(at) = text.find(anchor) else {
        bail!("Cargo.toml has no `members = [` list to add the crates to");
    };
    let at = at + anchor.len();
    let lines = format!(
        "    \"crates/{0}\",\n    \"crates/{0}-fake\",\n",
        names.kebab
    );
    let text = format!("{}{lines}{}", &text[..at], &text[at..]);
    std::fs::write(&path, text).context("writing Cargo.toml")
}

/// Appends the API to the table in xtask/src/apis.rs.
fn add_api_entry(root: &Path, names: &Names, auth: AuthKind, base_path: &str) -> Result<()> {
    let path = root.join("xtask/src/apis.rs");
    let text = std::fs::read_to_string(&path).context("reading xtask/src/apis.rs")?;
    let table = "pub const APIS: &[Api] = &[\n";
    let Some(start) = text.find(table) else {
        bail!("xtask/src/apis.rs has no `{}`", table.trim());
    };
    let Some(end) = text[start..].find("\n];").map(|at| start + at + 1) else {
        bail!("xtask/src/apis.rs: the APIS table does not end with `];`");
    };
    let entry = format!(
        "    Api {{\n        name: \"{0}\",\n        output: \"crates/{0}/src/generated.rs\",\n        \
         inner_type: \"{1}\",\n        mock: false,\n        base_path: \"{2}\",\n        \
         cli_output: \"\",\n    }},\n",
        names.kebab,
        inner_type(auth),
        base_path
    );
    let text = format!("{}{entry}{}", &text[..end], &text[end..]);
    std::fs::write(&path, text).context("writing xtask/src/apis.rs")
}

fn client_line(auth: AuthKind) -> &'static str {
    match auth {
        AuthKind::HeaderKey => "{{snake}}::Client::new(fake.api_key(), fake.base_url())",
        AuthKind::None => "{{snake}}::Client::new(fake.base_url())",
    }
}

fn credentials_check(auth: AuthKind) -> &'static str {
    match auth {
        AuthKind::HeaderKey => {
            "    let key = fake.redacted(fake.api_key());\n    \
             assert_eq!(log[0].header(\"x-api-key\"), Some(key.as_str()), \"the key, redacted in the log\");\n"
        }
        AuthKind::None => "",
    }
}

fn fake_key_items(auth: AuthKind) -> &'static str {
    match auth {
        AuthKind::HeaderKey => FAKE_KEY_ITEMS,
        AuthKind::None => "",
    }
}

fn fake_gateway(auth: AuthKind) -> &'static str {
    match auth {
        AuthKind::HeaderKey => FAKE_KEY_GATEWAY,
        AuthKind::None => "",
    }
}

const TEMPLATE_SPEC: &str = include_str!("new_api/spec.yaml");
const CLIENT_MANIFEST: &str = include_str!("new_api/client.Cargo.toml");
const CLIENT_LIB: &str = include_str!("new_api/client.lib.rs.txt");
const HEADER_KEY_AUTH: &str = include_str!("new_api/auth.header-key.rs.txt");
const NO_AUTH: &str = include_str!("new_api/auth.none.rs.txt");
const CLIENT_TEST: &str = include_str!("new_api/client.test.rs.txt");
const FAKE_MANIFEST: &str = include_str!("new_api/fake.Cargo.toml");
const FAKE_LIB: &str = include_str!("new_api/fake.lib.rs.txt");
const FAKE_KEY_GATEWAY: &str = include_str!("new_api/fake.gateway.header-key.rs.txt");
const FAKE_KEY_ITEMS: &str = include_str!("new_api/fake.key.rs.txt");

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
        assert!(AuthKind::parse("edgegrid").is_err());
        assert_eq!(AuthKind::parse("header-key").unwrap(), AuthKind::HeaderKey);
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
