//! `cargo xtask lint [SPEC...]`: checks every spec in `specs/` (or the given files) against
//! the rules of specs/README.md and the limits of progenitor 0.15, one line per finding:
//! `specs/<file>: <json-pointer>: <rule>: <message>`.
//!
//! The rules read the YAML as a JSON tree, so that every finding names the element at fault.
//! Each rule is one small function of [`RULES`] with its own test: a snippet that must produce
//! the finding and one that must not. Generation itself is a check too ([`lint_spec`]); the
//! rules in front of it name what would make it fail, element by element (`lint/enums.rs`
//! has the enum rules). specs/README.md maps each of its rules to a lint rule or to a
//! reviewer's check.

mod enums;
mod examples;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::{apis, codegen};

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// JSON pointer of the element at fault (`/` for the whole document).
    pub pointer: String,
    pub rule: &'static str,
    pub message: String,
}

impl Finding {
    fn new(pointer: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        let pointer = pointer.into();
        Finding {
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer
            },
            rule,
            message: message.into(),
        }
    }
}

/// A rule: reads the document, appends its findings.
type Rule = fn(&Doc, &mut Vec<Finding>);

/// Every rule, in the order of specs/README.md.
const RULES: &[Rule] = &[
    info_and_servers,
    refs_resolve,
    no_unused_components,
    operation_ids,
    operation_summaries,
    operation_tags,
    error_responses,
    one_success_and_json_errors,
    security_requirements,
    descriptions,
    path_parameters,
    examples_validate,
    no_closed_objects,
    nullable_has_type,
    enums::open_enums,
    enums::enum_variants,
    codegen_path_items,
    codegen_parameters,
    codegen_request_bodies,
    codegen_responses,
    codegen_schemas,
];

/// Lints every `specs/*.yaml` below `root`; prints the findings and returns how many there were.
pub fn run(root: &Path) -> Result<usize> {
    let mut files: Vec<_> = std::fs::read_dir(root.join("specs"))
        .context("reading specs/")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    let mut count = 0;
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        count += lint_file(path, &format!("specs/{name}"))?;
    }
    Ok(count)
}

/// Lints the given spec files (YAML or JSON), wherever they are; prints the findings and
/// returns how many there were.
pub fn run_files(files: &[PathBuf]) -> Result<usize> {
    let mut count = 0;
    for path in files {
        count += lint_file(path, &path.display().to_string())?;
    }
    Ok(count)
}

/// Lints one file, printing each finding after `shown` (the file's name in the report); the
/// generator settings are its API's when the file stem names one, else [`apis::STANDALONE`].
fn lint_file(path: &Path, shown: &str) -> Result<usize> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {shown}"))?;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let api = apis::APIS
        .iter()
        .find(|api| api.name == stem)
        .unwrap_or(&apis::STANDALONE);
    let findings = lint_spec(&text, api);
    for finding in &findings {
        println!(
            "{shown}: {}: {}: {}",
            finding.pointer, finding.rule, finding.message
        );
    }
    Ok(findings.len())
}

/// All findings for one spec. Generation itself is one of the checks: the spec goes through
/// the same parsing and generation as `cargo xtask codegen` with `api`'s settings, and a
/// failure is a `codegen` finding naming the operation, so that lint never passes a spec
/// codegen fails on and one report lists everything.
pub fn lint_spec(text: &str, api: &apis::Api) -> Vec<Finding> {
    let root: Value = match serde_yaml::from_str(text) {
        Ok(root) => root,
        Err(error) => return vec![Finding::new("/", "parse", format!("not YAML: {error}"))],
    };
    let doc = Doc { root };
    let mut findings = Vec::new();
    let as_written = serde_yaml::from_str::<openapiv3::OpenAPI>(text);
    match (as_written, codegen::parse_spec(text)) {
        (Err(error), _) => findings.push(Finding::new(
            "/",
            "parse",
            format!("not an OpenAPI 3.0 document for openapiv3: {error}"),
        )),
        // The version check or the spec transform refuses what openapiv3 reads.
        (Ok(_), Err(error)) => {
            findings.push(Finding::new("/", "codegen", format!("{error:#}")));
        }
        (Ok(_), Ok(spec)) => {
            if let Err(error) = codegen::generate(api, &spec) {
                let message = format!("{error:#}");
                let prefix = format!("{}: ", api.spec());
                let message = message.strip_prefix(&prefix).unwrap_or(&message);
                findings.push(Finding::new("/paths", "codegen", message));
            }
        }
    }
    if let Some(version) = doc.root.get("openapi").and_then(Value::as_str)
        && version != "3.0.3"
    {
        findings.push(Finding::new(
            "/openapi",
            "parse",
            format!("`openapi: {version}`; the specs are OpenAPI 3.0.3"),
        ));
    }
    for rule in RULES {
        rule(&doc, &mut findings);
    }
    findings.sort();
    findings.dedup();
    findings
}

// ---------------------------------------------------------------------------------------------
// The document as a JSON tree.

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct Doc {
    root: Value,
}

/// One operation with where it lives.
struct Operation<'a> {
    pointer: String,
    path: &'a str,
    method: &'a str,
    op: &'a Value,
    /// The path item's pointer and value (for path-level parameters).
    item_pointer: String,
    item: &'a Value,
}

impl Operation<'_> {
    fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

impl Doc {
    fn at(&self, pointer: &str) -> Option<&Value> {
        self.root.pointer(pointer)
    }

    /// Follows local `$ref`s (a few levels) to the referenced object.
    fn deref<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..8 {
            match ref_of(value).and_then(|r| r.strip_prefix('#')) {
                Some(pointer) => match self.at(pointer) {
                    Some(target) => value = target,
                    None => break,
                },
                None => break,
            }
        }
        value
    }

    fn operations(&self) -> Vec<Operation<'_>> {
        let mut ops = Vec::new();
        for (path, item) in entries(self.root.get("paths")) {
            if path.starts_with("x-") {
                continue;
            }
            let item_pointer = join("/paths", path);
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    ops.push(Operation {
                        pointer: join(&item_pointer, method),
                        path,
                        method,
                        op,
                        item_pointer: item_pointer.clone(),
                        item,
                    });
                }
            }
        }
        ops
    }

    /// The operation's parameters, path-level ones first, resolved, with their pointers;
    /// an operation-level parameter overrides a path-level one of the same name and location.
    fn parameters<'a>(&'a self, op: &Operation<'a>) -> Vec<(String, &'a Value)> {
        let mut params: Vec<(String, &Value)> = Vec::new();
        for (base, holder) in [(&op.item_pointer, op.item), (&op.pointer, op.op)] {
            let list = holder.get("parameters").and_then(Value::as_array);
            for (i, param) in list.into_iter().flatten().enumerate() {
                let pointer = format!("{base}/parameters/{i}");
                let param = self.deref(param);
                let key = (str_at(param, "name"), str_at(param, "in"));
                params.retain(|(_, p)| (str_at(p, "name"), str_at(p, "in")) != key);
                params.push((pointer, param));
            }
        }
        params
    }

    /// Parameter, header and media type objects: everything with `schema` and `example`s.
    /// `$ref`s are left out: their targets are listed where they are declared.
    fn holders(&self) -> Vec<(String, &Value)> {
        let mut out = Vec::new();
        let c = "/components";
        for (name, value) in entries(self.at(c).and_then(|c| c.get("parameters"))) {
            holder_parameter(&mut out, join(&format!("{c}/parameters"), name), value);
        }
        for (name, value) in entries(self.at(c).and_then(|c| c.get("headers"))) {
            holder_parameter(&mut out, join(&format!("{c}/headers"), name), value);
        }
        for (name, value) in entries(self.at(c).and_then(|c| c.get("requestBodies"))) {
            holder_media(&mut out, &join(&format!("{c}/requestBodies"), name), value);
        }
        for (name, value) in entries(self.at(c).and_then(|c| c.get("responses"))) {
            holder_response(&mut out, &join(&format!("{c}/responses"), name), value);
        }
        let mut seen_items = BTreeSet::new();
        for op in self.operations() {
            if seen_items.insert(op.item_pointer.clone()) {
                let list = op.item.get("parameters").and_then(Value::as_array);
                for (i, param) in list.into_iter().flatten().enumerate() {
                    holder_parameter(
                        &mut out,
                        format!("{}/parameters/{i}", op.item_pointer),
                        param,
                    );
                }
            }
            let list = op.op.get("parameters").and_then(Value::as_array);
            for (i, param) in list.into_iter().flatten().enumerate() {
                holder_parameter(&mut out, format!("{}/parameters/{i}", op.pointer), param);
            }
            if let Some(body) = op.op.get("requestBody").filter(|b| !is_ref(b)) {
                holder_media(&mut out, &join(&op.pointer, "requestBody"), body);
            }
            for (status, resp) in entries(op.op.get("responses")) {
                holder_response(
                    &mut out,
                    &join(&join(&op.pointer, "responses"), status),
                    resp,
                );
            }
        }
        out
    }

    /// Every schema of the document with its pointer and role, nested ones included;
    /// `$ref` schemas are listed but not entered.
    fn schemas(&self) -> Vec<SchemaSite<'_>> {
        let mut out = Vec::new();
        for (name, schema) in entries(self.at("/components/schemas")) {
            walk_schema(
                join("/components/schemas", name),
                schema,
                Role::Component,
                &mut out,
            );
        }
        for (pointer, holder) in self.holders() {
            if let Some(schema) = holder.get("schema") {
                walk_schema(join(&pointer, "schema"), schema, Role::Nested, &mut out);
            }
        }
        out
    }
}

type Holders<'a> = Vec<(String, &'a Value)>;

fn holder_media<'a>(out: &mut Holders<'a>, base: &str, owner: &'a Value) {
    for (kind, value) in entries(owner.get("content")) {
        out.push((join(&join(base, "content"), kind), value));
    }
}

fn holder_response<'a>(out: &mut Holders<'a>, base: &str, response: &'a Value) {
    if is_ref(response) {
        return;
    }
    holder_media(out, base, response);
    for (name, header) in entries(response.get("headers")) {
        if !is_ref(header) {
            out.push((join(&join(base, "headers"), name), header));
        }
    }
}

fn holder_parameter<'a>(out: &mut Holders<'a>, pointer: String, param: &'a Value) {
    if !is_ref(param) {
        holder_media(out, &pointer, param);
        out.push((pointer, param));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `components/schemas/<name>`: a named type.
    Component,
    /// `properties/<name>` of an object schema.
    Property,
    /// Any other schema: of a parameter or body, items, branches.
    Nested,
}

struct SchemaSite<'a> {
    pointer: String,
    schema: &'a Value,
    role: Role,
}

fn walk_schema<'a>(pointer: String, schema: &'a Value, role: Role, out: &mut Vec<SchemaSite<'a>>) {
    out.push(SchemaSite {
        pointer: pointer.clone(),
        schema,
        role,
    });
    if !schema.is_object() || is_ref(schema) {
        return;
    }
    for (name, property) in entries(schema.get("properties")) {
        walk_schema(
            join(&join(&pointer, "properties"), name),
            property,
            Role::Property,
            out,
        );
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(inner) = schema.get(key).filter(|s| s.is_object()) {
            walk_schema(join(&pointer, key), inner, Role::Nested, out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        let list = schema.get(key).and_then(Value::as_array);
        for (i, branch) in list.into_iter().flatten().enumerate() {
            walk_schema(format!("{pointer}/{key}/{i}"), branch, Role::Nested, out);
        }
    }
}

/// The entries of an object value (none for anything else).
fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn str_at<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

/// Appends one reference token to a JSON pointer (RFC 6901 escaping).
fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Every `$ref` of the document: (pointer of the object holding it, the reference).
fn all_refs(value: &Value, pointer: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                out.push((pointer.to_string(), reference.clone()));
            }
            for (key, inner) in map {
                all_refs(inner, &join(pointer, key), out);
            }
        }
        Value::Array(list) => {
            for (i, inner) in list.iter().enumerate() {
                all_refs(inner, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `#/components/<kind>/<name>…` → (kind, name).
fn component_of(reference: &str) -> Option<(String, String)> {
    let mut tokens = reference.strip_prefix("#/components/")?.split('/');
    Some((unescape(tokens.next()?), unescape(tokens.next()?)))
}

fn ref_name(reference: &str) -> String {
    component_of(reference)
        .map(|(_, name)| name)
        .unwrap_or_else(|| reference.to_string())
}

// ---------------------------------------------------------------------------------------------
// Document rules.

/// `info` has a title, a version and a description; `servers` lists at least one server, and
/// every `{variable}` of a server URL is declared in its `variables` with a `default`.
fn info_and_servers(doc: &Doc, out: &mut Vec<Finding>) {
    let info = doc.root.get("info").unwrap_or(&Value::Null);
    for key in ["title", "version", "description"] {
        if str_at(info, key).trim().is_empty() {
            out.push(Finding::new(
                "/info",
                "info",
                format!("`info.{key}` is missing"),
            ));
        }
    }
    let servers = doc.root.get("servers").and_then(Value::as_array);
    if servers.is_none_or(|list| list.is_empty()) {
        out.push(Finding::new(
            "/",
            "info",
            "no `servers`: say where the API lives",
        ));
    }
    for (i, server) in servers.into_iter().flatten().enumerate() {
        let pointer = format!("/servers/{i}");
        for name in template_names(str_at(server, "url")) {
            let declared = server.get("variables").and_then(|v| v.get(name));
            if declared.and_then(|v| v.get("default")).is_none() {
                out.push(Finding::new(
                    &pointer,
                    "info",
                    format!("`{{{name}}}` in the URL has no variable with a `default`"),
                ));
            }
        }
    }
}

/// Every `$ref` is a local reference that resolves.
fn refs_resolve(doc: &Doc, out: &mut Vec<Finding>) {
    let mut refs = Vec::new();
    all_refs(&doc.root, "", &mut refs);
    for (pointer, reference) in refs {
        let at = join(&pointer, "$ref");
        match reference.as_str() {
            None => out.push(Finding::new(at, "ref", "`$ref` is not a string")),
            Some(r) if !r.starts_with("#/") => out.push(Finding::new(
                at,
                "ref",
                format!("`{r}` is not a local reference; specs are self-contained"),
            )),
            Some(r) if doc.at(&r[1..]).is_none() => {
                out.push(Finding::new(at, "ref", format!("`{r}` does not resolve")))
            }
            Some(_) => {}
        }
    }
}

/// Every component is used, directly or through other components, by the paths; a component
/// with an `x-standalone` note is exempt (and so is what it references), and a note on a
/// component the paths do use is stale.
fn no_unused_components(doc: &Doc, out: &mut Vec<Finding>) {
    let Some(components) = doc.at("/components").and_then(Value::as_object) else {
        return;
    };
    let mut edges: HashMap<(String, String), Vec<(String, String)>> = HashMap::new();
    let mut roots = Vec::new();
    let mut refs = Vec::new();
    all_refs(&doc.root, "", &mut refs);
    for (pointer, reference) in &refs {
        let Some(target) = reference.as_str().and_then(component_of) else {
            continue;
        };
        match component_of(&format!("#{pointer}")) {
            Some(source) => edges.entry(source).or_default().push(target),
            None => roots.push(target),
        }
    }
    // Security schemes are used by name, not by `$ref`.
    let mut requirements: Vec<&Value> = doc.root.get("security").into_iter().collect();
    for op in doc.operations() {
        requirements.extend(op.op.get("security"));
    }
    for list in requirements.iter().filter_map(|s| s.as_array()) {
        for (name, _) in list.iter().flat_map(|r| entries(Some(r))) {
            roots.push(("securitySchemes".into(), name.clone()));
        }
    }
    let reach = |start: Vec<(String, String)>, seen: &mut BTreeSet<(String, String)>| {
        let mut stack = start;
        while let Some(node) = stack.pop() {
            if seen.insert(node.clone()) {
                stack.extend(edges.get(&node).into_iter().flatten().cloned());
            }
        }
    };
    let standalone = |kind: &str, name: &str| {
        components
            .get(kind)
            .and_then(|k| k.get(name))
            .is_some_and(|c| c.get("x-standalone").is_some())
    };
    let mut used = BTreeSet::new();
    reach(roots, &mut used);
    let mut standalone_roots = Vec::new();
    for (kind, members) in components {
        for (name, _) in entries(Some(members)) {
            let key = (kind.clone(), name.clone());
            let pointer = join(&join("/components", kind), name);
            if standalone(kind, name) {
                if used.contains(&key) {
                    out.push(Finding::new(
                        join(&pointer, "x-standalone"),
                        "unused-component",
                        "stale `x-standalone` note: an operation uses this component",
                    ));
                }
                standalone_roots.push(key);
            }
        }
    }
    reach(standalone_roots, &mut used);
    for (kind, members) in components {
        if kind.starts_with("x-") {
            continue;
        }
        for (name, _) in entries(Some(members)) {
            if !used.contains(&(kind.clone(), name.clone())) {
                out.push(Finding::new(
                    join(&join("/components", kind), name),
                    "unused-component",
                    "no operation uses it; remove it, or say why it exists in an `x-standalone` note",
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Operation rules.

fn is_camel_case(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Every operation has a unique camelCase `operationId` (it becomes the Rust method's name).
fn operation_ids(doc: &Doc, out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for op in doc.operations() {
        let Some(id) = op.op.get("operationId").and_then(Value::as_str) else {
            out.push(Finding::new(
                &op.pointer,
                "operation-id",
                format!("{} has no `operationId`", op.label()),
            ));
            continue;
        };
        let at = join(&op.pointer, "operationId");
        if !is_camel_case(id) {
            out.push(Finding::new(
                &at,
                "operation-id",
                format!("`{id}` is not camelCase"),
            ));
        }
        if let Some(first) = seen.get(id) {
            out.push(Finding::new(
                &at,
                "operation-id",
                format!("`{id}` is also the operationId of {first}"),
            ));
        } else {
            seen.insert(id, op.label());
        }
    }
}

/// Every operation has a `summary` (the first line of the Rust method's documentation).
fn operation_summaries(doc: &Doc, out: &mut Vec<Finding>) {
    for op in doc.operations() {
        if str_at(op.op, "summary").trim().is_empty() {
            out.push(Finding::new(
                &op.pointer,
                "summary",
                format!("{} has no `summary`", op.label()),
            ));
        }
    }
}

/// Every operation has exactly one tag, declared in the document's `tags`.
fn operation_tags(doc: &Doc, out: &mut Vec<Finding>) {
    let declared: BTreeSet<&str> = doc
        .root
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|tag| str_at(tag, "name"))
        .collect();
    for op in doc.operations() {
        let tags: Vec<&str> = op
            .op
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match tags[..] {
            [tag] if !declared.contains(tag) => out.push(Finding::new(
                join(&op.pointer, "tags"),
                "tag",
                format!("tag `{tag}` is not declared in the document's `tags`"),
            )),
            [_] => {}
            _ => out.push(Finding::new(
                &op.pointer,
                "tag",
                format!(
                    "{} has {} tags; give it exactly one",
                    op.label(),
                    tags.len()
                ),
            )),
        }
    }
}

fn is_error_status(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

fn is_success_status(status: &str) -> bool {
    status.starts_with('2')
}

/// Every operation documents its error responses (4xx/5xx, or `default`).
fn error_responses(doc: &Doc, out: &mut Vec<Finding>) {
    for op in doc.operations() {
        if !entries(op.op.get("responses")).any(|(status, _)| is_error_status(status)) {
            out.push(Finding::new(
                join(&op.pointer, "responses"),
                "error-responses",
                format!("{} documents no error response (4xx/5xx)", op.label()),
            ));
        }
    }
}

/// Every operation has exactly one 2xx response, every error response (4xx, 5xx, `default`)
/// has an `application/json` body, and all error bodies of the API are the same schema.
fn one_success_and_json_errors(doc: &Doc, out: &mut Vec<Finding>) {
    // The first error body type seen: (identity, how to say it, where).
    let mut first_error: Option<(String, String, String)> = None;
    for op in doc.operations() {
        let pointer = join(&op.pointer, "responses");
        let responses: Vec<_> = entries(op.op.get("responses")).collect();
        let successes = responses
            .iter()
            .filter(|(status, _)| is_success_status(status))
            .count();
        if successes != 1 {
            out.push(Finding::new(
                &pointer,
                "responses",
                format!(
                    "{} has {successes} 2xx responses; give it exactly one",
                    op.label()
                ),
            ));
        }
        for (status, response) in responses {
            if !is_error_status(status) {
                continue;
            }
            let at = join(&pointer, status);
            let json = entries(doc.deref(response).get("content")).any(|(kind, _)| {
                kind == "application/json" || kind.starts_with("application/json;")
            });
            if !json {
                out.push(Finding::new(
                    at,
                    "responses",
                    "error response without an `application/json` body (the error schema)",
                ));
                continue;
            }
            let (identity, say) = response_body(doc, response);
            match &first_error {
                None => first_error = Some((identity, say, at)),
                Some((first, first_say, first_at)) if *first != identity => out.push(Finding::new(
                    at,
                    "responses",
                    format!(
                        "error body is {say}, but {first_at} has {first_say}; one error \
                             schema for the whole API"
                    ),
                )),
                Some(_) => {}
            }
        }
    }
}

/// Every operation declares its security requirement (`security: []` where none applies), and
/// every requirement names a declared security scheme.
fn security_requirements(doc: &Doc, out: &mut Vec<Finding>) {
    let schemes = doc.at("/components/securitySchemes");
    let check = |pointer: String, security: &Value, out: &mut Vec<Finding>| {
        let Some(list) = security.as_array() else {
            out.push(Finding::new(
                pointer,
                "security",
                "`security` is not a list",
            ));
            return;
        };
        for (i, requirement) in list.iter().enumerate() {
            for (name, _) in entries(Some(requirement)) {
                if schemes.and_then(|s| s.get(name)).is_none() {
                    out.push(Finding::new(
                        format!("{pointer}/{i}"),
                        "security",
                        format!("security scheme `{name}` is not declared in components"),
                    ));
                }
            }
        }
    };
    if let Some(security) = doc.root.get("security") {
        check("/security".into(), security, out);
    }
    for op in doc.operations() {
        match op.op.get("security") {
            Some(security) => check(join(&op.pointer, "security"), security, out),
            None => out.push(Finding::new(
                &op.pointer,
                "security",
                format!(
                    "{} declares no `security`; name its requirement, or `security: []` if none",
                    op.label()
                ),
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schema and parameter rules.

/// Every named schema and every property has a description (it becomes the Rust doc comment).
/// OpenAPI 3.0 ignores a `$ref`'s siblings, so a property that is a bare `$ref` cannot have one:
/// it is written `allOf: [{$ref: …}]` with a `description` (the Rust type stays the same).
fn descriptions(doc: &Doc, out: &mut Vec<Finding>) {
    for site in doc.schemas() {
        let what = match site.role {
            Role::Component if is_ref(site.schema) => continue,
            Role::Component => "schema",
            Role::Property => "property",
            Role::Nested => continue,
        };
        if let Some(reference) = ref_of(site.schema) {
            out.push(Finding::new(
                site.pointer,
                "description",
                format!(
                    "property is a bare `$ref`, which cannot carry a description; write \
                     `allOf: [{{$ref: '{reference}'}}]` and a `description`"
                ),
            ));
        } else if str_at(site.schema, "description").trim().is_empty() {
            out.push(Finding::new(
                site.pointer,
                "description",
                format!("{what} has no `description`"),
            ));
        }
    }
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Every `{name}` of a path is declared as a path parameter, every path parameter is
/// `required: true` and appears in the path.
fn path_parameters(doc: &Doc, out: &mut Vec<Finding>) {
    for op in doc.operations() {
        let names = template_names(op.path);
        let params = doc.parameters(&op);
        let declared: Vec<_> = params
            .iter()
            .filter(|(_, p)| str_at(p, "in") == "path")
            .collect();
        for name in &names {
            if !declared.iter().any(|(_, p)| str_at(p, "name") == *name) {
                out.push(Finding::new(
                    &op.pointer,
                    "path-params",
                    format!(
                        "{}: `{{{name}}}` is not declared as a path parameter",
                        op.label()
                    ),
                ));
            }
        }
        for (pointer, param) in declared {
            let name = str_at(param, "name");
            if param.get("required") != Some(&Value::Bool(true)) {
                out.push(Finding::new(
                    pointer,
                    "path-params",
                    format!("path parameter `{name}` must be `required: true`"),
                ));
            }
            if !names.contains(&name) {
                out.push(Finding::new(
                    pointer,
                    "path-params",
                    format!("path parameter `{name}` does not appear in {}", op.path),
                ));
            }
        }
    }
}

/// Never `additionalProperties: false`: typify turns it into `deny_unknown_fields`, and a
/// response that grows a field would then fail to decode.
fn no_closed_objects(doc: &Doc, out: &mut Vec<Finding>) {
    for site in doc.schemas() {
        if site.schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            out.push(Finding::new(
                join(&site.pointer, "additionalProperties"),
                "additional-properties",
                "`additionalProperties: false` makes the generated type refuse unknown fields; \
                 responses grow fields, so leave it out",
            ));
        }
    }
}

/// `nullable: true` takes effect only beside a `type` in the same schema object (OpenAPI
/// 3.0.3; redocly's `nullable-type-sibling`): beside a bare `allOf`/`oneOf`/`$ref` it is
/// ignored and the schema rejects `null`.
fn nullable_has_type(doc: &Doc, out: &mut Vec<Finding>) {
    for site in doc.schemas() {
        if site.schema.get("nullable") == Some(&Value::Bool(true))
            && site.schema.get("type").is_none()
        {
            out.push(Finding::new(
                join(&site.pointer, "nullable"),
                "nullable",
                "`nullable: true` without a sibling `type` has no effect in OpenAPI 3.0.3; \
                 give the schema a `type` (see specs/README.md for a nullable reference)",
            ));
        }
    }
}

/// The first placeholder string (`"string"`, as editors fill in) inside an example value.
fn placeholder(example: &Value, at: &str) -> Option<String> {
    match example {
        Value::String(text) if text == "string" => Some(at.to_string()),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .find_map(|(i, v)| placeholder(v, &format!("{at}/{i}"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| placeholder(v, &join(at, k))),
        _ => None,
    }
}

/// Every `example` and `examples` value validates against its schema (see `lint/examples.rs`)
/// and holds no placeholder value such as `"string"`.
fn examples_validate(doc: &Doc, out: &mut Vec<Finding>) {
    let checker = examples::ExampleChecker::new(&doc.root);
    let mut check = |pointer: String, schema: &Value, example: &Value| {
        if let Some(at) = placeholder(example, "") {
            let at = if at.is_empty() { "/" } else { &at };
            out.push(Finding::new(
                &pointer,
                "example",
                format!("placeholder value `\"string\"` at `{at}`; show a real value"),
            ));
        }
        if let Err(reason) = checker.check(schema, example) {
            out.push(Finding::new(
                pointer,
                "example",
                format!("does not match its schema: {reason}"),
            ));
        }
    };
    for site in doc.schemas() {
        if let Some(example) = site.schema.get("example").filter(|_| !is_ref(site.schema)) {
            check(join(&site.pointer, "example"), site.schema, example);
        }
    }
    for (pointer, holder) in doc.holders() {
        let Some(schema) = holder.get("schema") else {
            continue;
        };
        if let Some(example) = holder.get("example") {
            check(join(&pointer, "example"), schema, example);
        }
        for (name, example) in entries(holder.get("examples")) {
            if let Some(value) = doc.deref(example).get("value") {
                check(join(&join(&pointer, "examples"), name), schema, value);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What progenitor 0.15 cannot generate (each would panic or fail in `cargo xtask codegen`).

/// Path items are inline: progenitor refuses `$ref` path items.
fn codegen_path_items(doc: &Doc, out: &mut Vec<Finding>) {
    for (path, item) in entries(doc.root.get("paths")) {
        if is_ref(item) {
            out.push(Finding::new(
                join("/paths", path),
                "codegen",
                "progenitor does not support `$ref` path items; write the operations inline",
            ));
        }
    }
}

/// Parameters progenitor can send: path (simple style), query (form style, scalar values),
/// header (simple style); never cookie, never `content` instead of `schema`.
fn codegen_parameters(doc: &Doc, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for op in doc.operations() {
        for (pointer, param) in doc.parameters(&op) {
            if !seen.insert(pointer.clone()) {
                continue;
            }
            let name = str_at(param, "name");
            let location = str_at(param, "in");
            let style = param.get("style").and_then(Value::as_str);
            let reason = match (location, style) {
                ("cookie", _) => Some("progenitor 0.15 does not support cookie parameters".into()),
                ("query", Some(style)) if style != "form" => Some(format!(
                    "query parameter `{name}` has style `{style}`; progenitor only sends `form` \
                     (for a map such as `sort[field]=asc`, declare one parameter per key, \
                     `name: \"sort[createdAt]\"`)"
                )),
                ("path" | "header", Some(style)) if style != "simple" => Some(format!(
                    "{location} parameter `{name}` has style `{style}`; progenitor only sends `simple`"
                )),
                _ if param.get("content").is_some() => Some(format!(
                    "parameter `{name}` uses `content`; progenitor needs a `schema`"
                )),
                _ => None,
            };
            if let Some(reason) = reason {
                out.push(Finding::new(&pointer, "codegen", reason));
                continue;
            }
            if location == "query"
                && let Some(schema) = param.get("schema")
                && !is_scalar_query(doc, schema)
            {
                out.push(Finding::new(
                    join(&pointer, "schema"),
                    "codegen",
                    format!(
                        "query parameter `{name}` is an object (or array of objects); query \
                         parameters are scalar, enum or array-of-scalar"
                    ),
                ));
            }
        }
    }
}

fn is_object_schema(doc: &Doc, schema: &Value) -> bool {
    let schema = doc.deref(schema);
    str_at(schema, "type") == "object"
        || schema.get("properties").is_some()
        || schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
}

fn is_scalar_query(doc: &Doc, schema: &Value) -> bool {
    let schema = doc.deref(schema);
    match schema.get("items") {
        Some(items) if str_at(schema, "type") == "array" => !is_object_schema(doc, items),
        _ => !is_object_schema(doc, schema),
    }
}

/// Media types progenitor 0.15 can encode as a request body.
const PROGENITOR_BODY_TYPES: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// A request body has exactly one media type, `application/json`, with a schema and no
/// `encoding`.
fn codegen_request_bodies(doc: &Doc, out: &mut Vec<Finding>) {
    for op in doc.operations() {
        let Some(body) = op.op.get("requestBody") else {
            continue;
        };
        let pointer = join(&op.pointer, "requestBody");
        let content: Vec<_> = entries(doc.deref(body).get("content")).collect();
        let [(media_type, media)] = content[..] else {
            out.push(Finding::new(
                pointer,
                "codegen",
                format!(
                    "request body has {} media types; progenitor handles exactly one",
                    content.len()
                ),
            ));
            continue;
        };
        let at = join(&join(&pointer, "content"), media_type);
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        if !PROGENITOR_BODY_TYPES.contains(&essence) {
            out.push(Finding::new(
                at,
                "codegen",
                format!("progenitor cannot send a `{media_type}` body"),
            ));
        } else if essence != "application/json" {
            out.push(Finding::new(
                at,
                "codegen",
                format!("`{media_type}` body: specs/README.md allows only `application/json`"),
            ));
        } else if media.get("schema").is_none() {
            out.push(Finding::new(
                at,
                "codegen",
                "request body has no schema; progenitor needs one",
            ));
        } else if entries(media.get("encoding")).next().is_some() {
            out.push(Finding::new(
                join(&at, "encoding"),
                "codegen",
                "progenitor does not support `encoding` on a request body",
            ));
        }
    }
}

/// The Rust type a response becomes: (identity, how to say it).
fn response_body(doc: &Doc, response: &Value) -> (String, String) {
    let response = doc.deref(response);
    let content: Vec<_> = entries(response.get("content")).collect();
    let json = content.iter().find(|(media_type, _)| {
        *media_type == "application/json" || media_type.starts_with("application/json;")
    });
    match json {
        Some((_, media)) => match media.get("schema") {
            Some(schema) => match ref_of(schema) {
                Some(reference) => (reference.to_string(), format!("`{}`", ref_name(reference))),
                None => (schema.to_string(), "an inline schema".into()),
            },
            None => ("?".into(), "JSON without a schema".into()),
        },
        None if content.is_empty() => (String::new(), "no body".into()),
        None => ("raw".into(), "a non-JSON body".into()),
    }
}

/// All success responses of an operation share one body type, and so do all its error
/// responses (progenitor asserts both); JSON responses have a schema and no `encoding`.
fn codegen_responses(doc: &Doc, out: &mut Vec<Finding>) {
    for op in doc.operations() {
        let pointer = join(&op.pointer, "responses");
        let responses: Vec<_> = entries(op.op.get("responses")).collect();
        // `default` counts as an error and, unless a `2XX` covers success, as a success too.
        let has_success_range = responses.iter().any(|(s, _)| s.eq_ignore_ascii_case("2XX"));
        for (class, member) in [
            (
                "success",
                &(|s: &str| is_success_status(s) || (s == "default" && !has_success_range))
                    as &dyn Fn(&str) -> bool,
            ),
            ("error", &is_error_status),
        ] {
            // (identity, how to say it, statuses), in status order.
            let mut types: Vec<(String, String, Vec<String>)> = Vec::new();
            for (status, response) in &responses {
                if member(status) {
                    let (identity, say) = response_body(doc, response);
                    match types.iter_mut().find(|(id, _, _)| *id == identity) {
                        Some((_, _, statuses)) => statuses.push(status.to_string()),
                        None => types.push((identity, say, vec![status.to_string()])),
                    }
                }
            }
            if types.len() > 1 {
                let list: Vec<_> = types
                    .iter()
                    .map(|(_, say, statuses)| format!("{} → {say}", statuses.join(", ")))
                    .collect();
                out.push(Finding::new(
                    &pointer,
                    "codegen",
                    format!(
                        "{}: {class} responses have different body types ({}); progenitor \
                         needs one",
                        op.label(),
                        list.join("; ")
                    ),
                ));
            }
        }
        for (status, response) in &responses {
            let response = doc.deref(response);
            for (media_type, media) in entries(response.get("content")) {
                if !(media_type == "application/json"
                    || media_type.starts_with("application/json;"))
                {
                    continue;
                }
                let at = join(&join(&join(&pointer, status), "content"), media_type);
                if media.get("schema").is_none() {
                    out.push(Finding::new(
                        at,
                        "codegen",
                        "JSON response without a schema: progenitor panics with \"not yet implemented\"",
                    ));
                } else if entries(media.get("encoding")).next().is_some() {
                    out.push(Finding::new(
                        join(&at, "encoding"),
                        "codegen",
                        "progenitor asserts that a JSON response has no `encoding`",
                    ));
                }
            }
        }
    }
}

const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Schema keywords progenitor's schema conversion stops on: an unknown `type`, an exclusive
/// bound without its bound.
fn codegen_schemas(doc: &Doc, out: &mut Vec<Finding>) {
    for site in doc.schemas() {
        if is_ref(site.schema) {
            continue;
        }
        if let Some(kind) = site.schema.get("type")
            && !kind.as_str().is_some_and(|k| SCHEMA_TYPES.contains(&k))
        {
            out.push(Finding::new(
                join(&site.pointer, "type"),
                "codegen",
                format!("`type: {kind}` is not an OpenAPI 3.0 type (one of {SCHEMA_TYPES:?})"),
            ));
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if site.schema.get(exclusive) == Some(&Value::Bool(true))
                && site.schema.get(bound).is_none()
            {
                out.push(Finding::new(
                    join(&site.pointer, exclusive),
                    "codegen",
                    format!("`{exclusive}: true` without `{bound}`: progenitor panics with \"not yet implemented\""),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one rule on a YAML snippet.
    pub(super) fn check(rule: Rule, yaml: &str) -> Vec<Finding> {
        let doc = Doc {
            root: serde_yaml::from_str(yaml).expect("test snippet is YAML"),
        };
        let mut out = Vec::new();
        rule(&doc, &mut out);
        out
    }

    #[track_caller]
    pub(super) fn assert_finds(rule: Rule, yaml: &str, pointer: &str, needle: &str) {
        let found = check(rule, yaml);
        assert!(
            found
                .iter()
                .any(|f| f.pointer == pointer && f.message.contains(needle)),
            "expected `{needle}` at {pointer}, got {found:#?}"
        );
    }

    #[track_caller]
    pub(super) fn assert_clean(rule: Rule, yaml: &str) {
        let found = check(rule, yaml);
        assert!(found.is_empty(), "expected no finding, got {found:#?}");
    }

    #[test]
    fn refs_must_resolve() {
        let bad = "
paths: {/a: {get: {responses: {'200': {$ref: '#/components/responses/Nope'}}}}}
components: {schemas: {A: {$ref: 'other.yaml#/A'}}}";
        assert_finds(
            refs_resolve,
            bad,
            "/paths/~1a/get/responses/200/$ref",
            "does not resolve",
        );
        assert_finds(
            refs_resolve,
            bad,
            "/components/schemas/A/$ref",
            "not a local reference",
        );
        assert_clean(
            refs_resolve,
            "
paths: {/a: {get: {responses: {'200': {$ref: '#/components/responses/Ok'}}}}}
components: {responses: {Ok: {description: ok}}}",
        );
    }

    #[test]
    fn unused_components_unless_standalone() {
        let spec = |extra: &str| {
            format!(
                "
security: [{{key: []}}]
paths: {{/a: {{get: {{responses: {{'200': {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}}}}}}}}}}}}}
components:
  securitySchemes: {{key: {{type: apiKey, in: header, name: apikey}}}}
  schemas:
    A: {{type: object, properties: {{b: {{$ref: '#/components/schemas/B'}}}}}}
    B: {{type: string}}
    {extra}"
            )
        };
        assert_finds(
            no_unused_components,
            &spec("Lonely: {type: string}"),
            "/components/schemas/Lonely",
            "no operation uses it",
        );
        assert_finds(
            no_unused_components,
            &spec(
                "B2: {type: string, x-standalone: used}\n    Async: {$ref: '#/components/schemas/A'}",
            ),
            "/components/schemas/Async",
            "no operation uses it",
        );
        assert_clean(
            no_unused_components,
            &spec(
                "Async: {type: object, x-standalone: real payloads, properties: {c: {$ref: '#/components/schemas/C'}}}\n    C: {type: string}",
            ),
        );
        let stale = spec("").replace("B: {type: string}", "B: {type: string, x-standalone: x}");
        assert_finds(
            no_unused_components,
            &stale,
            "/components/schemas/B/x-standalone",
            "stale",
        );
    }

    #[test]
    fn operation_ids_are_unique_camel_case() {
        assert_finds(
            operation_ids,
            "paths: {/a: {get: {operationId: list_things}}}",
            "/paths/~1a/get/operationId",
            "not camelCase",
        );
        assert_finds(
            operation_ids,
            "paths: {/a: {get: {operationId: listA}, post: {operationId: listA}}}",
            "/paths/~1a/post/operationId",
            "also the operationId of GET /a",
        );
        assert_finds(
            operation_ids,
            "paths: {/a: {get: {}}}",
            "/paths/~1a/get",
            "no `operationId`",
        );
        assert_clean(
            operation_ids,
            "paths: {/a: {get: {operationId: listA}, post: {operationId: createA2}}}",
        );
    }

    #[test]
    fn operations_have_summaries() {
        assert_finds(
            operation_summaries,
            "paths: {/a: {get: {summary: ' '}}}",
            "/paths/~1a/get",
            "no `summary`",
        );
        assert_clean(operation_summaries, "paths: {/a: {get: {summary: List}}}");
    }

    #[test]
    fn operations_have_one_declared_tag() {
        assert_finds(
            operation_tags,
            "tags: [{name: A}, {name: B}]\npaths: {/a: {get: {tags: [A, B]}}}",
            "/paths/~1a/get",
            "2 tags",
        );
        assert_finds(
            operation_tags,
            "paths: {/a: {get: {}}}",
            "/paths/~1a/get",
            "0 tags",
        );
        assert_finds(
            operation_tags,
            "tags: [{name: A}]\npaths: {/a: {get: {tags: [C]}}}",
            "/paths/~1a/get/tags",
            "not declared",
        );
        assert_clean(
            operation_tags,
            "tags: [{name: A}]\npaths: {/a: {get: {tags: [A]}}}",
        );
    }

    #[test]
    fn operations_document_errors() {
        assert_finds(
            error_responses,
            "paths: {/a: {get: {responses: {'200': {description: ok}}}}}",
            "/paths/~1a/get/responses",
            "no error response",
        );
        assert_clean(
            error_responses,
            "paths: {/a: {get: {responses: {'200': {description: ok}, 4XX: {description: no}}}}}",
        );
    }

    #[test]
    fn operations_declare_security() {
        let schemes = "components: {securitySchemes: {key: {type: apiKey, in: header, name: k}}}";
        assert_finds(
            security_requirements,
            &format!("security: [{{key: []}}]\npaths: {{/a: {{get: {{}}}}}}\n{schemes}"),
            "/paths/~1a/get",
            "declares no `security`",
        );
        assert_finds(
            security_requirements,
            &format!("paths: {{/a: {{get: {{security: [{{token: []}}]}}}}}}\n{schemes}"),
            "/paths/~1a/get/security/0",
            "`token` is not declared",
        );
        assert_clean(
            security_requirements,
            &format!(
                "paths: {{/a: {{get: {{security: [{{key: []}}]}}, post: {{security: []}}}}}}\n{schemes}"
            ),
        );
    }

    #[test]
    fn schemas_and_properties_are_described() {
        let bad = "
components:
  schemas:
    A: {type: object, properties: {b: {type: string}, c: {$ref: '#/components/schemas/C'}}}
    C: {type: string, description: a C}";
        assert_finds(descriptions, bad, "/components/schemas/A", "schema has no");
        assert_finds(
            descriptions,
            bad,
            "/components/schemas/A/properties/b",
            "property has no",
        );
        assert_finds(
            descriptions,
            bad,
            "/components/schemas/A/properties/c",
            "bare `$ref`",
        );
        assert_eq!(check(descriptions, bad).len(), 3);
        assert_clean(
            descriptions,
            "
paths: {/a: {get: {responses: {'200': {content: {application/json: {schema: {type: array, items: {type: string}}}}}}}}}
components:
  schemas:
    A:
      type: object
      description: an A
      properties:
        b: {type: string, description: a b}
        c: {allOf: [{$ref: '#/components/schemas/C'}], description: the A's C}
        d: {type: array, description: Cs, items: {$ref: '#/components/schemas/C'}}
    C: {type: string, description: a C}",
        );
    }

    #[test]
    fn path_parameters_declared_and_required() {
        assert_finds(
            path_parameters,
            "paths: {'/a/{id}': {get: {}}}",
            "/paths/~1a~1{id}/get",
            "`{id}` is not declared",
        );
        assert_finds(
            path_parameters,
            "paths: {'/a/{id}': {get: {parameters: [{name: id, in: path, schema: {type: string}}]}}}",
            "/paths/~1a~1{id}/get/parameters/0",
            "must be `required: true`",
        );
        assert_finds(
            path_parameters,
            "paths: {/a: {parameters: [{name: id, in: path, required: true}], get: {}}}",
            "/paths/~1a/parameters/0",
            "does not appear",
        );
        assert_clean(
            path_parameters,
            "
paths: {'/a/{id}': {parameters: [{$ref: '#/components/parameters/Id'}], get: {}}}
components: {parameters: {Id: {name: id, in: path, required: true, schema: {type: string}}}}",
        );
    }

    #[test]
    fn examples_match_schemas() {
        let spec = |example: &str| {
            format!(
                "
paths:
  /a:
    get:
      parameters: [{{name: n, in: query, schema: {{type: integer}}, example: {example}}}]
      responses:
        '200':
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Status'}}
              examples: {{one: {{value: {example}}}}}
components:
  schemas:
    Status: {{type: string, x-extensible-enum: ['1', '2'], example: '{example}'}}
    Thing: {{type: object, properties: {{at: {{type: string, format: date-time, nullable: true, example: {example}}}}}}}"
            )
        };
        let found = check(examples_validate, &spec("1"));
        let pointers: Vec<_> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Thing/properties/at/example",
                "/paths/~1a/get/responses/200/content/application~1json/examples/one",
            ],
            "{found:#?}"
        );
        assert_clean(
            examples_validate,
            &spec("null")
                .replace("example: null}]", "example: 2}]")
                .replace("value: null", "value: '2'"),
        );
    }

    #[test]
    fn codegen_refuses_ref_path_items() {
        assert_finds(
            codegen_path_items,
            "paths: {/a: {$ref: '#/x'}}",
            "/paths/~1a",
            "`$ref` path items",
        );
        assert_clean(codegen_path_items, "paths: {/a: {get: {}}}");
    }

    #[test]
    fn codegen_parameter_styles() {
        let spec = |params: &str| format!("paths: {{/a: {{get: {{parameters: [{params}]}}}}}}");
        assert_finds(
            codegen_parameters,
            &spec("{name: sort, in: query, style: deepObject, schema: {type: object}}"),
            "/paths/~1a/get/parameters/0",
            "style `deepObject`",
        );
        assert_finds(
            codegen_parameters,
            &spec("{name: s, in: cookie, schema: {type: string}}"),
            "/paths/~1a/get/parameters/0",
            "cookie",
        );
        assert_finds(
            codegen_parameters,
            &spec("{name: f, in: query, schema: {type: array, items: {type: object}}}"),
            "/paths/~1a/get/parameters/0/schema",
            "scalar",
        );
        assert_clean(
            codegen_parameters,
            &spec(
                "{name: 'sort[createdAt]', in: query, style: form, schema: {type: string, enum: [asc]}},
                 {name: ids, in: query, schema: {type: array, items: {type: string}}},
                 {name: X-Id, in: header, schema: {type: string}}",
            ),
        );
    }

    #[test]
    fn codegen_request_body_is_one_json_media_type() {
        let spec = |content: &str| {
            format!("paths: {{/a: {{post: {{requestBody: {{content: {{{content}}}}}}}}}}}")
        };
        assert_finds(
            codegen_request_bodies,
            &spec(
                "application/json: {schema: {type: string}}, text/plain: {schema: {type: string}}",
            ),
            "/paths/~1a/post/requestBody",
            "2 media types",
        );
        assert_finds(
            codegen_request_bodies,
            &spec("application/xml: {schema: {type: string}}"),
            "/paths/~1a/post/requestBody/content/application~1xml",
            "cannot send",
        );
        assert_finds(
            codegen_request_bodies,
            &spec("application/json: {}"),
            "/paths/~1a/post/requestBody/content/application~1json",
            "no schema",
        );
        assert_clean(
            codegen_request_bodies,
            &spec("application/json: {schema: {type: string}}"),
        );
    }

    #[test]
    fn codegen_one_success_and_one_error_type() {
        let spec =
            |responses: &str| format!("paths: {{/a: {{get: {{responses: {{{responses}}}}}}}}}");
        let json = |name: &str| {
            format!(
                "{{content: {{application/json: {{schema: {{$ref: '#/components/schemas/{name}'}}}}}}}}"
            )
        };
        assert_finds(
            codegen_responses,
            &spec(&format!(
                "'200': {}, '201': {{description: empty}}",
                json("A")
            )),
            "/paths/~1a/get/responses",
            "success responses have different body types (200 → `A`; 201 → no body)",
        );
        assert_finds(
            codegen_responses,
            &spec(&format!(
                "'200': {}, '400': {}, '404': {}",
                json("A"),
                json("E"),
                json("F")
            )),
            "/paths/~1a/get/responses",
            "error responses have different body types",
        );
        assert_finds(
            codegen_responses,
            &spec("'200': {content: {application/json: {}}}"),
            "/paths/~1a/get/responses/200/content/application~1json",
            "without a schema",
        );
        assert_clean(
            codegen_responses,
            &spec(&format!(
                "'200': {}, '2XX': {}, '400': {}, '5XX': {}",
                json("A"),
                json("A"),
                json("E"),
                json("E")
            )),
        );
    }

    #[test]
    fn codegen_schema_keywords() {
        assert_finds(
            codegen_schemas,
            "components: {schemas: {A: {type: number, exclusiveMinimum: true}}}",
            "/components/schemas/A/exclusiveMinimum",
            "without `minimum`",
        );
        assert_finds(
            codegen_schemas,
            "components: {schemas: {A: {type: object, properties: {b: {type: 'null'}}}}}",
            "/components/schemas/A/properties/b/type",
            "not an OpenAPI 3.0 type",
        );
        assert_clean(
            codegen_schemas,
            "components: {schemas: {A: {type: number, minimum: 0, exclusiveMinimum: true}}}",
        );
    }

    #[test]
    fn info_and_servers_are_complete() {
        assert_finds(
            info_and_servers,
            "info: {title: T, version: '1'}",
            "/info",
            "`info.description`",
        );
        assert_finds(
            info_and_servers,
            "info: {title: T, version: '1'}",
            "/",
            "no `servers`",
        );
        assert_finds(
            info_and_servers,
            "servers: [{url: 'https://{host}/{stage}', variables: {host: {default: a.example}}}]",
            "/servers/0",
            "`{stage}` in the URL",
        );
        assert_clean(
            info_and_servers,
            "info: {title: T, version: '1', description: D}\n\
             servers: [{url: 'https://{host}', variables: {host: {default: a.example}}}]",
        );
    }

    #[test]
    fn one_success_and_json_error_bodies() {
        let spec =
            |responses: &str| format!("paths: {{/a: {{get: {{responses: {{{responses}}}}}}}}}");
        let json = "{content: {application/json: {schema: {type: object}}}}";
        assert_finds(
            one_success_and_json_errors,
            &spec(&format!("'200': {json}, '201': {json}, '400': {json}")),
            "/paths/~1a/get/responses",
            "2 2xx responses",
        );
        assert_finds(
            one_success_and_json_errors,
            &spec(&format!("'200': {json}, '404': {{description: gone}}")),
            "/paths/~1a/get/responses/404",
            "without an `application/json` body",
        );
        assert_finds(
            one_success_and_json_errors,
            "paths: {/a: {get: {responses: {'200': {description: ok}, '400': {content: \
             {application/json: {schema: {$ref: '#/components/schemas/E'}}}}}}},
                     /b: {get: {responses: {'200': {description: ok}, '400': {content: \
             {application/json: {schema: {$ref: '#/components/schemas/F'}}}}}}}}",
            "/paths/~1b/get/responses/400",
            "error body is `F`, but /paths/~1a/get/responses/400 has `E`",
        );
        assert_clean(
            one_success_and_json_errors,
            &format!(
                "{}\ncomponents: {{responses: {{Err: {json}}}}}",
                spec("'204': {description: ok}, 4XX: {$ref: '#/components/responses/Err'}")
            ),
        );
    }

    #[test]
    fn additional_properties_false_is_refused() {
        assert_finds(
            no_closed_objects,
            "paths: {/a: {get: {responses: {'200': {content: {application/json: {schema: {type: object, additionalProperties: false}}}}}}}}",
            "/paths/~1a/get/responses/200/content/application~1json/schema/additionalProperties",
            "refuse unknown fields",
        );
        assert_finds(
            no_closed_objects,
            "components: {schemas: {A: {type: object, properties: {b: {type: object, additionalProperties: false}}}}}",
            "/components/schemas/A/properties/b/additionalProperties",
            "refuse unknown fields",
        );
        assert_clean(
            no_closed_objects,
            "components: {schemas: {A: {type: object, additionalProperties: {type: string}}, B: {type: object, additionalProperties: true}}}",
        );
    }

    #[test]
    fn nullable_needs_a_type() {
        let bad = "components: {schemas: {A: {type: object, properties: {
            b: {nullable: true, allOf: [{$ref: '#/components/schemas/B'}]},
            c: {nullable: true, oneOf: [{type: integer}, {type: string}]}}}, B: {type: string}}}";
        assert_finds(
            nullable_has_type,
            bad,
            "/components/schemas/A/properties/b/nullable",
            "without a sibling `type`",
        );
        assert_eq!(check(nullable_has_type, bad).len(), 2);
        assert_clean(
            nullable_has_type,
            "components: {schemas: {A: {type: object, properties: {
            b: {anyOf: [{$ref: '#/components/schemas/B'}, {type: object, nullable: true, enum: [null]}]},
            c: {type: string, nullable: true}}}, B: {type: string}}}",
        );
    }

    #[test]
    fn placeholder_examples() {
        assert_finds(
            examples_validate,
            "components: {schemas: {A: {type: object, example: {name: string, tags: [ok, string]}}}}",
            "/components/schemas/A/example",
            "at `/name`",
        );
        assert_clean(
            examples_validate,
            "components: {schemas: {A: {type: object, example: {name: strings}}}}",
        );
    }

    /// What the spec transform refuses (an open enum that is not a component) is a `codegen`
    /// finding, not a parse error.
    #[test]
    fn transform_refusals_are_codegen_findings() {
        let found = lint_spec(
            "openapi: 3.0.3\ninfo: {title: T, version: '1', description: D}\n\
             servers: [{url: 'https://api.example'}]\npaths: {}\ncomponents: {schemas: {A: \
             {type: object, description: An A., x-standalone: test, properties: {b: {type: \
             string, description: A b., x-extensible-enum: [x]}}}}}\n",
            &apis::STANDALONE,
        );
        assert_eq!(
            found.iter().map(|f| f.rule).collect::<Vec<_>>(),
            ["codegen"],
            "{found:#?}"
        );
        assert!(found[0].message.contains("x-extensible-enum"), "{found:#?}");
    }

    /// Generation is a check of its own, and a case-colliding enum has its own finding first.
    #[test]
    fn generation_failures_are_findings() {
        let spec = "openapi: 3.0.3
info: {title: T, version: '1', description: D}
servers: [{url: 'https://api.example'}]
tags: [{name: Things}]
security: []
paths:
  /things:
    get:
      operationId: listThings
      summary: List things.
      tags: [Things]
      security: []
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Mode'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Mode'}}}}
components:
  schemas:
    Mode: {type: string, description: A mode., x-extensible-enum: [Fast, fast]}
";
        let found = lint_spec(spec, &apis::STANDALONE);
        let rules: Vec<_> = found.iter().map(|f| (f.pointer.as_str(), f.rule)).collect();
        assert_eq!(
            rules,
            [
                (
                    "/components/schemas/Mode/x-extensible-enum",
                    "enum-variants"
                ),
                ("/paths", "codegen"),
            ],
            "{found:#?}"
        );
        assert!(
            found[1].message.contains("`listThings` (GET /things)")
                && !found[1].message.starts_with("specs/"),
            "{found:#?}"
        );
        assert!(lint_spec(&spec.replace("Fast, fast", "fast, slow"), &apis::STANDALONE).is_empty());
    }

    #[test]
    fn whole_spec_parse_and_version() {
        let found = lint_spec(
            "openapi: 3.0.1\ninfo: {title: T, version: '1', description: D}\n\
             servers: [{url: 'https://api.example'}]\npaths: {}\n",
            &apis::STANDALONE,
        );
        assert_eq!(
            found,
            [Finding::new(
                "/openapi",
                "parse",
                "`openapi: 3.0.1`; the specs are OpenAPI 3.0.3"
            )]
        );
        let found = lint_spec(
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
            &apis::STANDALONE,
        );
        assert!(
            found.iter().any(|f| f.message.contains("3.0.x")),
            "{found:#?}"
        );
        assert_eq!(lint_spec("a: [", &apis::STANDALONE)[0].rule, "parse");
    }

    /// The repository's own specs are clean.
    #[test]
    fn repository_specs_are_clean() {
        let root = crate::workspace_root();
        for api in apis::APIS {
            let text = std::fs::read_to_string(root.join(api.spec())).expect("spec reads");
            let found = lint_spec(&text, api);
            assert!(found.is_empty(), "{}: {found:#?}", api.spec());
        }
    }
}
