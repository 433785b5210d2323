//! `cargo xtask diff [BASE]` and `cargo xtask diff --base OLD --head NEW`: what a change to a
//! spec does to the generated clients, as Markdown for a pull-request comment.
//!
//! Compares each spec at a git ref with the working tree, or two spec files: operations added,
//! removed, moved or changed (parameters, request body, responses, media types), types
//! (component schemas: fields, enum values, field types, bounds), each change classified as
//! breaking or not for callers of the generated crate, then the unified diff of the API
//! surface (`cargo xtask surface`). Open enums compare equal in either written form
//! (`x-extensible-enum`, or the legacy `oneOf` of `<Name>Known` and a string), and so do the
//! nullable-reference forms (`allOf` with `nullable`, `anyOf` with a null-only branch).
//!
//! Classification. A change is breaking when code written against the old crate may stop
//! compiling or behave differently:
//! - removed operation, renamed `operationId` (the Rust method is renamed), removed parameter,
//!   removed request body, removed documented status or media type, changed success or error
//!   body type;
//! - new required parameter, request body or request field; parameter or request field that
//!   becomes required;
//! - removed type, removed field, removed enum value (closed or open: the variant goes);
//! - a type change of something sent (parameter, request field) unless it widens (int32 →
//!   int64, integer → number, a format or enum dropped, nullable added, a `oneOf` branch
//!   added); any type change of something received (its Rust type changes), including a
//!   field becoming optional or required;
//! - a bound or pattern that narrows what is sent, or widens what is received (typify's
//!   constrained types check values as they decode);
//!
//! and not breaking: added operation, type, optional parameter, optional field, enum value,
//! media type or documented status; a moved path with the same operationId; widened inputs;
//! descriptions and examples (shown only in the surface's hash line). An added enum value is
//! not breaking (unknown values already decode into the open enums' catch-all), though an
//! exhaustive `match` on a closed enum needs a new arm. specs/README.md compares these rules
//! with oasdiff's, check by check.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use heck::ToSnakeCase;
use serde_json::Value;

use crate::{apis, codegen, surface};

/// First line of every report: the workflow finds its own comment by it.
pub const MARKER: &str = "<!-- cargo-xtask-diff -->";

/// Longest surface diff shown per API, in characters (a PR comment holds 65,536).
const SURFACE_DIFF_LIMIT: usize = 20_000;

/// The rendered report and how many breaking changes it lists.
pub struct Report {
    pub markdown: String,
    pub breaking: usize,
}

/// Compares `specs/` at `base` (default `origin/main`, else `main`) with the working tree of
/// the repository at `root`.
pub fn run(root: &Path, base: Option<&str>) -> Result<Report> {
    let (base_name, sha) = resolve_base(root, base)?;
    let old = base_specs(root, &sha)?;
    let new = head_specs(root)?;
    let short = &sha[..sha.len().min(10)];
    Ok(report(
        &format!("`{base_name}` (`{short}`) → this change"),
        "`specs/`",
        &old,
        &new,
    ))
}

/// Compares two spec files, `base` (old) and `head` (new), as one API named after the head's
/// file stem: its generated surface uses that API's settings in xtask/src/apis.rs, or
/// [`apis::STANDALONE`] for a spec that has no entry.
pub fn run_files(base: &Path, head: &Path) -> Result<Report> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let name = head
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".into());
    let old = BTreeMap::from([(name.clone(), read(base)?)]);
    let new = BTreeMap::from([(name, read(head)?)]);
    Ok(report(
        &format!("`{}` → `{}`", base.display(), head.display()),
        "the spec",
        &old,
        &new,
    ))
}

/// The Markdown report for specs by API name, old and new; `what` names the compared files in
/// the "no change" line.
fn report(
    title: &str,
    what: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Report {
    let mut names: BTreeSet<&String> = old.keys().collect();
    names.extend(new.keys());

    let mut body = String::new();
    let mut unchanged = Vec::new();
    let mut breaking = 0;
    for name in names {
        let (old, new) = (old.get(name), new.get(name));
        if old == new {
            unchanged.push(format!("`{name}`"));
            continue;
        }
        let section = api_section(name, old.map(String::as_str), new.map(String::as_str));
        breaking += section.breaking;
        body.push_str(&section.markdown);
    }

    let mut markdown = format!("{MARKER}\n## API changes: {title}\n\n");
    if body.is_empty() {
        let _ = writeln!(markdown, "No change to {what}.");
        return Report {
            markdown,
            breaking: 0,
        };
    }
    match breaking {
        0 => markdown.push_str("No breaking change for callers of the generated crates.\n\n"),
        1 => markdown.push_str("**1 breaking change** for callers of the generated crates.\n\n"),
        n => {
            let _ = writeln!(
                markdown,
                "**{n} breaking changes** for callers of the generated crates.\n"
            );
        }
    }
    markdown.push_str(&body);
    if !unchanged.is_empty() {
        let _ = writeln!(markdown, "Unchanged: {}.", unchanged.join(", "));
    }
    Report { markdown, breaking }
}

// ---------------------------------------------------------------------------------------------
// git

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .context("running git")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// The base's display name and commit id.
fn resolve_base(root: &Path, base: Option<&str>) -> Result<(String, String)> {
    let candidates = match base {
        Some(base) => vec![base],
        None => vec!["origin/main", "main"],
    };
    for candidate in &candidates {
        if let Ok(sha) = git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{candidate}^{{commit}}"),
            ],
        ) {
            return Ok((candidate.to_string(), sha.trim().to_string()));
        }
    }
    bail!(
        "no git ref {}; pass the base to compare with",
        candidates.join(" or ")
    )
}

/// `specs/*.yaml` at a commit, by file stem.
fn base_specs(root: &Path, sha: &str) -> Result<BTreeMap<String, String>> {
    let mut specs = BTreeMap::new();
    for file in git(root, &["ls-tree", "--name-only", sha, "specs/"])?.lines() {
        let Some(stem) = file
            .strip_prefix("specs/")
            .and_then(|f| f.strip_suffix(".yaml"))
        else {
            continue;
        };
        let text = git(root, &["show", &format!("{sha}:./{file}")])?;
        specs.insert(stem.to_string(), text);
    }
    Ok(specs)
}

/// `specs/*.yaml` in the working tree, by file stem.
fn head_specs(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut specs = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("specs")).context("reading specs/")? {
        let path = entry?.path();
        let Some(stem) = path
            .file_name()
            .and_then(|f| f.to_str())
            .and_then(|f| f.strip_suffix(".yaml"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        specs.insert(stem.to_string(), text);
    }
    Ok(specs)
}

// ---------------------------------------------------------------------------------------------
// Report sections

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `operation` or `type`.
    pub group: Group,
    /// What changed, in Markdown: "`listUsers` (`GET /users`): parameter `page` removed".
    pub text: String,
    pub breaking: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Operation,
    Type,
}

struct Section {
    markdown: String,
    breaking: usize,
}

fn api_section(name: &str, old: Option<&str>, new: Option<&str>) -> Section {
    let mut out = format!("### `{name}`\n\n");
    let parse = |text: Option<&str>| -> Result<Value, String> {
        serde_yaml::from_str(text.unwrap_or("{}")).map_err(|e| e.to_string())
    };
    let (old_doc, new_doc) = match (parse(old), parse(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for (side, result) in [("base", old), ("head", new)] {
                if let Err(error) = result {
                    let _ = writeln!(out, "The {side} spec is not YAML: {error}\n");
                }
            }
            return Section {
                markdown: out,
                breaking: 0,
            };
        }
    };
    let changes = match (old, new) {
        (None, _) => vec![Change {
            group: Group::Operation,
            text: format!("new API with {} operation(s)", operations(&new_doc).len()),
            breaking: false,
        }],
        (_, None) => vec![Change {
            group: Group::Operation,
            text: "API removed (its spec is gone)".into(),
            breaking: true,
        }],
        _ => compare(&old_doc, &new_doc),
    };
    let breaking = changes.iter().filter(|c| c.breaking).count();
    if changes.is_empty() {
        out.push_str("The spec changed (descriptions, examples, notes) but its API did not.\n\n");
    }
    for (group, title) in [(Group::Operation, "Operations"), (Group::Type, "Types")] {
        let mut lines = changes.iter().filter(|c| c.group == group).peekable();
        if lines.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "#### {title}\n");
        for change in lines {
            let mark = if change.breaking { "**breaking** " } else { "" };
            let _ = writeln!(out, "- {mark}{}", change.text);
        }
        out.push('\n');
    }
    out.push_str(&surface_diff(name, old, new));
    Section {
        markdown: out,
        breaking,
    }
}

/// The unified diff of the generated API surface, in a collapsed block.
fn surface_diff(name: &str, old: Option<&str>, new: Option<&str>) -> String {
    let api = apis::APIS
        .iter()
        .find(|api| api.name == name)
        .unwrap_or(&apis::STANDALONE);
    let render = |text: Option<&str>| -> Result<String> {
        let Some(text) = text else {
            return Ok(String::new());
        };
        let spec = codegen::parse_spec(text)?;
        surface::render(name, &codegen::generate(api, &spec)?)
    };
    let (old, new) = match (render(old), render(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let mut out = String::new();
            for (side, result) in [("base", old), ("head", new)] {
                if let Err(error) = result {
                    let _ = writeln!(out, "_The {side} spec does not generate: {error:#}_\n");
                }
            }
            return out;
        }
    };
    if old == new {
        return String::new();
    }
    // The first line holds the hash of generated.rs: documentation changes show only there.
    let rest = |s: &str| s.split_once('\n').map(|(_, rest)| rest.to_string());
    if rest(&old) == rest(&new) {
        return "Generated code changed (documentation only); the API surface did not.\n\n".into();
    }
    let mut diff = similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(1)
        .header(&format!("base/{name}"), &format!("head/{name}"))
        .to_string();
    if diff.len() > SURFACE_DIFF_LIMIT {
        let cut = (0..=SURFACE_DIFF_LIMIT)
            .rev()
            .find(|&i| diff.is_char_boundary(i))
            .unwrap_or(0);
        diff.truncate(cut);
        diff.push_str("\n… (cut; run `cargo xtask diff` for the whole diff)\n");
    }
    let fence = if diff.contains("```") { "````" } else { "```" };
    format!(
        "<details><summary>Generated API surface (<code>cargo xtask surface --api {name}</code>)</summary>\n\n\
         {fence}diff\n{diff}{fence}\n\n</details>\n\n"
    )
}

// ---------------------------------------------------------------------------------------------
// The comparison

/// How a schema is used: sent by callers, received by them, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Use {
    input: bool,
    output: bool,
}

const INPUT: Use = Use {
    input: true,
    output: false,
};
const OUTPUT: Use = Use {
    input: false,
    output: true,
};
const BOTH: Use = Use {
    input: true,
    output: true,
};

/// Every change between two parsed specs.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let (old, new) = (open_enums_as_extensible(old), open_enums_as_extensible(new));
    let mut changes = Vec::new();
    compare_operations(&old, &new, &mut changes);
    compare_types(&old, &new, &mut changes);
    changes
}

/// The document with every open enum in the legacy form, `oneOf: [{$ref: <Name>Known}, {type:
/// string}]`, rewritten as `{type: string, x-extensible-enum: [...]}` (and each `<Name>Known`
/// no longer referenced dropped), so that the two forms compare equal: both generate the same
/// Rust types, and a spec moving from one to the other changes nothing for callers. Beside
/// other branches (`oneOf: [<Name>Known, {type: boolean}, {type: string}]`) the known values
/// and the string fallback become one open-enum branch.
fn open_enums_as_extensible(doc: &Value) -> Value {
    let closed: BTreeMap<String, Value> = entries(doc.pointer("/components/schemas"))
        .filter(|(_, schema)| {
            matches!(str_at(schema, "type"), "" | "string")
                && schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.iter().all(Value::is_string))
        })
        .map(|(name, schema)| (name.clone(), schema["enum"].clone()))
        .collect();
    let mut out = doc.clone();
    let mut rewritten = BTreeSet::new();
    rewrite_legacy_open_enums(&mut out, &closed, &mut rewritten);
    let mut still_used = Vec::new();
    schema_refs(&out, &mut still_used);
    if let Some(schemas) = out
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in rewritten.iter().filter(|n| !still_used.contains(n)) {
            schemas.remove(name);
        }
    }
    out
}

fn rewrite_legacy_open_enums(
    value: &mut Value,
    closed: &BTreeMap<String, Value>,
    rewritten: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            for key in ["oneOf", "anyOf"] {
                let Some(branches) = map.get(key).and_then(Value::as_array) else {
                    continue;
                };
                let plain_string = |s: &Value| {
                    str_at(s, "type") == "string"
                        && s.get("enum").is_none()
                        && s.get("format").is_none()
                };
                let known = |s: &Value| {
                    s.get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .filter(|name| closed.contains_key(*name))
                        .map(String::from)
                };
                let (Some((at, found)), Some(fallback)) = (
                    branches
                        .iter()
                        .enumerate()
                        .find_map(|(i, b)| known(b).map(|name| (i, name))),
                    branches.iter().position(plain_string),
                ) else {
                    continue;
                };
                let open =
                    serde_json::json!({"type": "string", "x-extensible-enum": closed[&found]});
                rewritten.insert(found);
                if branches.len() == 2 {
                    // The whole schema is the open enum.
                    map.remove(key);
                    if let Value::Object(fields) = open {
                        map.extend(fields);
                    }
                } else {
                    // An open enum beside other types: one branch in place of the two.
                    let mut branches = branches.clone();
                    branches[at] = open;
                    branches.remove(fallback);
                    map.insert(key.into(), Value::Array(branches));
                }
            }
            for inner in map.values_mut() {
                rewrite_legacy_open_enums(inner, closed, rewritten);
            }
        }
        Value::Array(list) => {
            for inner in list {
                rewrite_legacy_open_enums(inner, closed, rewritten);
            }
        }
        _ => {}
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct Operation<'a> {
    id: String,
    method: String,
    path: String,
    /// Resolved parameters by (location, name).
    params: BTreeMap<(String, String), &'a Value>,
    body: Option<&'a Value>,
    /// Resolved responses by status.
    responses: BTreeMap<String, &'a Value>,
}

impl Operation<'_> {
    fn label(&self) -> String {
        format!(
            "`{}` (`{} {}`)",
            self.id,
            self.method.to_uppercase(),
            self.path
        )
    }
}

fn deref<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(target) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| doc.pointer(pointer))
        else {
            break;
        };
        value = target;
    }
    value
}

fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn str_at<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Operations by (path, METHOD).
fn operations(doc: &Value) -> BTreeMap<(String, String), Operation<'_>> {
    let mut ops = BTreeMap::new();
    for (path, item) in entries(doc.get("paths")) {
        let item = deref(doc, item);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut params = BTreeMap::new();
            for holder in [item, op] {
                let list = holder.get("parameters").and_then(Value::as_array);
                for param in list.into_iter().flatten() {
                    let param = deref(doc, param);
                    let key = (
                        str_at(param, "in").to_string(),
                        str_at(param, "name").to_string(),
                    );
                    params.insert(key, param);
                }
            }
            let responses = entries(op.get("responses"))
                .map(|(status, r)| (status.clone(), deref(doc, r)))
                .collect();
            ops.insert(
                (path.clone(), method.to_uppercase()),
                Operation {
                    id: str_at(op, "operationId").to_string(),
                    method: method.to_string(),
                    path: path.clone(),
                    params,
                    body: op.get("requestBody").map(|b| deref(doc, b)),
                    responses,
                },
            );
        }
    }
    ops
}

fn compare_operations(old_doc: &Value, new_doc: &Value, out: &mut Vec<Change>) {
    let mut old = operations(old_doc);
    let mut new = operations(new_doc);
    let mut pairs = Vec::new();
    let same_place: Vec<_> = old
        .keys()
        .filter(|k| new.contains_key(*k))
        .cloned()
        .collect();
    for key in same_place {
        pairs.push((old.remove(&key).unwrap(), new.remove(&key).unwrap()));
    }
    // An operation whose path or method changed keeps its operationId.
    let moved: Vec<_> = old
        .iter()
        .filter_map(|(ok, o)| {
            new.iter()
                .find(|(_, n)| !o.id.is_empty() && n.id == o.id)
                .map(|(nk, _)| (ok.clone(), nk.clone()))
        })
        .collect();
    for (ok, nk) in moved {
        let (o, n) = (old.remove(&ok).unwrap(), new.remove(&nk).unwrap());
        out.push(Change {
            group: Group::Operation,
            text: format!(
                "{}: moved from `{} {}`",
                n.label(),
                o.method.to_uppercase(),
                o.path
            ),
            breaking: false,
        });
        pairs.push((o, n));
    }
    for o in old.values() {
        out.push(Change {
            group: Group::Operation,
            text: format!("{}: removed", o.label()),
            breaking: true,
        });
    }
    for n in new.values() {
        out.push(Change {
            group: Group::Operation,
            text: format!("{}: added", n.label()),
            breaking: false,
        });
    }
    for (o, n) in &pairs {
        compare_operation(o, n, out);
    }
}

fn compare_operation(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let mut local = Vec::new();
    let mut push = |text: String, breaking: bool| local.push((text, breaking));
    if old.id != new.id {
        let renamed = old.id.to_snake_case() != new.id.to_snake_case();
        push(
            format!(
                "operationId renamed from `{}` (Rust method `{}`)",
                old.id,
                old.id.to_snake_case()
            ),
            renamed,
        );
    }

    // Parameters.
    let keys: BTreeSet<_> = old.params.keys().chain(new.params.keys()).collect();
    for key in keys {
        let what = format!("parameter `{}` ({})", key.1, key.0);
        match (old.params.get(key), new.params.get(key)) {
            (Some(_), None) => push(format!("{what} removed"), true),
            (None, Some(p)) if flag(p, "required") => push(format!("new required {what}"), true),
            (None, Some(_)) => push(format!("new optional {what}"), false),
            (Some(o), Some(n)) => {
                match (flag(o, "required"), flag(n, "required")) {
                    (false, true) => push(format!("{what} is now required"), true),
                    (true, false) => push(format!("{what} is now optional"), false),
                    _ => {}
                }
                let null = Value::Null;
                let (os, ns) = (
                    o.get("schema").unwrap_or(&null),
                    n.get("schema").unwrap_or(&null),
                );
                let mut found = Vec::new();
                diff_schema(&what, os, ns, INPUT, &mut found);
                for (text, breaking) in found {
                    push(text, breaking);
                }
            }
            (None, None) => {}
        }
    }

    // Request body.
    match (old.body, new.body) {
        (Some(_), None) => push("request body removed".into(), true),
        (None, Some(b)) => push("request body added".into(), flag(b, "required")),
        (Some(o), Some(n)) => {
            if !flag(o, "required") && flag(n, "required") {
                push("request body is now required".into(), true);
            }
            for (text, breaking) in media_type_changes("request body", o, n) {
                push(text, breaking);
            }
            let (os, ns) = (media_schema(o), media_schema(n));
            let mut found = Vec::new();
            match (os, ns) {
                (Some(os), Some(ns)) => diff_schema("request body", os, ns, INPUT, &mut found),
                (None, None) => {}
                _ => found.push(("request body schema added or removed".into(), true)),
            }
            for (text, breaking) in found {
                push(text, breaking);
            }
        }
        (None, None) => {}
    }

    // Responses.
    let statuses: BTreeSet<_> = old.responses.keys().chain(new.responses.keys()).collect();
    for status in statuses {
        match (
            old.responses.contains_key(status),
            new.responses.contains_key(status),
        ) {
            (true, false) => push(
                format!(
                    "response `{status}` no longer documented (it now arrives as `Error::UnexpectedResponse`)"
                ),
                true,
            ),
            (false, true) => push(format!("response `{status}` documented"), false),
            _ => {
                let what = format!("response `{status}`");
                let (o, n) = (&old.responses[status], &new.responses[status]);
                for (text, breaking) in media_type_changes(&what, o, n) {
                    push(text, breaking);
                }
            }
        }
    }
    for (what, success) in [("success body", true), ("error body", false)] {
        let (o, n) = (body_of(old, success), body_of(new, success));
        let mut found = Vec::new();
        match (o, n) {
            (Some(o), Some(n)) => diff_schema(what, o, n, OUTPUT, &mut found),
            (None, None) => {}
            // The Rust type of `send()`'s result changes.
            (o, _) => found.push((
                format!("{what} {}", if o.is_none() { "added" } else { "removed" }),
                true,
            )),
        }
        for (text, breaking) in found {
            push(text, breaking);
        }
    }
    for (text, breaking) in local {
        out.push(Change {
            group: Group::Operation,
            text: format!("{}: {text}", new.label()),
            breaking,
        });
    }
}

/// Media types removed from (breaking: the generated method reads or sends another body) or
/// added to a request body or response.
fn media_type_changes(what: &str, old: &Value, new: &Value) -> Vec<(String, bool)> {
    let kinds = |holder: &Value| -> BTreeSet<String> {
        entries(holder.get("content"))
            .map(|(k, _)| k.clone())
            .collect()
    };
    let (old, new) = (kinds(old), kinds(new));
    let removed = old
        .difference(&new)
        .map(|kind| (format!("{what}: media type `{kind}` removed"), true));
    let added = new
        .difference(&old)
        .map(|kind| (format!("{what}: media type `{kind}` added"), false));
    removed.chain(added).collect()
}

/// The JSON schema of a request body or response.
fn media_schema(holder: &Value) -> Option<&Value> {
    let content = holder.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.starts_with("application/json"))
        .or_else(|| content.iter().next())
        .and_then(|(_, media)| media.get("schema"))
}

/// The body schema of the first success (or error) response.
fn body_of<'a>(op: &Operation<'a>, success: bool) -> Option<&'a Value> {
    op.responses
        .iter()
        .filter(|(status, _)| {
            if success {
                status.starts_with('2')
            } else {
                status.starts_with('4') || status.starts_with('5') || *status == "default"
            }
        })
        .find_map(|(_, response)| media_schema(response))
}

/// Every component schema a use reaches, through `$ref`s.
fn uses(doc: &Value) -> BTreeMap<String, Use> {
    let mut roots: Vec<(String, Use)> = Vec::new();
    for op in operations(doc).values() {
        let mut add = |value: &Value, how: Use| {
            let mut refs = Vec::new();
            schema_refs(value, &mut refs);
            roots.extend(refs.into_iter().map(|r| (r, how)));
        };
        for param in op.params.values() {
            add(param, INPUT);
        }
        if let Some(body) = op.body {
            add(body, INPUT);
        }
        for response in op.responses.values() {
            add(response, OUTPUT);
        }
    }
    let mut seen: BTreeMap<String, Use> = BTreeMap::new();
    while let Some((name, how)) = roots.pop() {
        let entry = seen.entry(name.clone()).or_default();
        let before = *entry;
        entry.input |= how.input;
        entry.output |= how.output;
        if *entry == before && before != Use::default() {
            continue;
        }
        if let Some(schema) = doc.pointer(&format!("/components/schemas/{name}")) {
            let mut refs = Vec::new();
            schema_refs(schema, &mut refs);
            roots.extend(refs.into_iter().map(|r| (r, how)));
        }
    }
    seen
}

/// Names of the component schemas a value references.
fn schema_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_string());
            }
            map.values().for_each(|v| schema_refs(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| schema_refs(v, out)),
        _ => {}
    }
}

fn compare_types(old_doc: &Value, new_doc: &Value, out: &mut Vec<Change>) {
    let schemas = |doc: &Value| -> BTreeMap<String, Value> {
        entries(doc.pointer("/components/schemas"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let (old, new) = (schemas(old_doc), schemas(new_doc));
    let (old_uses, new_uses) = (uses(old_doc), uses(new_doc));
    let names: BTreeSet<_> = old.keys().chain(new.keys()).collect();
    for name in names {
        match (old.get(name), new.get(name)) {
            (Some(_), None) => out.push(Change {
                group: Group::Type,
                text: format!("`{name}`: removed"),
                breaking: true,
            }),
            (None, Some(_)) => out.push(Change {
                group: Group::Type,
                text: format!("`{name}`: added"),
                breaking: false,
            }),
            (Some(o), Some(n)) => {
                let how = match (old_uses.get(name), new_uses.get(name)) {
                    (None, None) => BOTH,
                    (a, b) => {
                        let (a, b) = (
                            a.copied().unwrap_or_default(),
                            b.copied().unwrap_or_default(),
                        );
                        Use {
                            input: a.input || b.input,
                            output: a.output || b.output,
                        }
                    }
                };
                let mut found = Vec::new();
                diff_schema(&format!("`{name}`"), o, n, how, &mut found);
                out.extend(found.into_iter().map(|(text, breaking)| Change {
                    group: Group::Type,
                    text,
                    breaking,
                }));
            }
            (None, None) => {}
        }
    }
}

/// Compares two schemas at `label`; component schemas behind `$ref`s are compared on their own.
fn diff_schema(label: &str, old: &Value, new: &Value, how: Use, out: &mut Vec<(String, bool)>) {
    let (old_shape, new_shape) = (Shape::of(old), Shape::of(new));
    if old_shape != new_shape {
        let (verdict, breaking) = if old_shape.fits_in(&new_shape) {
            ("widened", how.output)
        } else if new_shape.fits_in(&old_shape) {
            ("narrowed", true)
        } else {
            ("changed", true)
        };
        out.push((
            format!("{label}: type {verdict} from {old_shape} to {new_shape}"),
            breaking,
        ));
        return;
    }
    let (old, new) = (essence(old), essence(new));
    if old.get("$ref").is_some() {
        return;
    }
    diff_constraints(label, old, new, how, out);

    // Enum values.
    let values = |s: &Value| -> Vec<Value> {
        s.get("enum")
            .or_else(|| s.get("x-extensible-enum"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (old_values, new_values) = (values(old), values(new));
    for value in old_values.iter().filter(|v| !new_values.contains(v)) {
        out.push((format!("{label}: enum value {} removed", show(value)), true));
    }
    for value in new_values.iter().filter(|v| !old_values.contains(v)) {
        out.push((format!("{label}: enum value {} added", show(value)), false));
    }

    // Fields.
    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    let (old_props, new_props) = (old.get("properties"), new.get("properties"));
    let fields: BTreeSet<&String> = entries(old_props)
        .chain(entries(new_props))
        .map(|(k, _)| k)
        .collect();
    for field in fields {
        let at = format!("{label}.`{field}`");
        let (o, n) = (
            old_props.and_then(|p| p.get(field)),
            new_props.and_then(|p| p.get(field)),
        );
        let (was, is) = (old_required.contains(field), new_required.contains(field));
        match (o, n) {
            (Some(_), None) => out.push((format!("{at}: field removed"), true)),
            (None, Some(_)) if is => out.push((format!("{at}: new required field"), how.input)),
            (None, Some(_)) => out.push((format!("{at}: new optional field"), false)),
            (Some(o), Some(n)) => {
                // The Rust field is `Option<T>` when it is optional or nullable.
                let optional = |required: bool, s: &Value| !required || Shape::of(s).nullable;
                let rust_type_changes = optional(was, o) != optional(is, n);
                if was != is {
                    let becomes = if is { "required" } else { "optional" };
                    let breaking = (is && how.input) || (rust_type_changes && how.output);
                    out.push((format!("{at}: now {becomes}"), breaking));
                }
                diff_schema(&at, o, n, how, out);
            }
            (None, None) => {}
        }
    }

    // Nested schemas.
    for (key, suffix) in [("items", "[]"), ("additionalProperties", "{}")] {
        if let (Some(o), Some(n)) = (old.get(key), new.get(key))
            && o.is_object()
            && n.is_object()
        {
            diff_schema(&format!("{label}{suffix}"), o, n, how, out);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        let branches = |s: &Value| s.get(key).and_then(Value::as_array).cloned();
        if let (Some(o), Some(n)) = (branches(old), branches(new)) {
            for (i, (o, n)) in o.iter().zip(&n).enumerate() {
                diff_schema(&format!("{label} ({key} {i})"), o, n, how, out);
            }
        }
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// `allOf: [X]` is how the specs describe or null a reference; it is `X`.
fn unwrap_single_all_of(schema: &Value) -> &Value {
    match schema.get("allOf").and_then(Value::as_array) {
        Some(list) if list.len() == 1 && schema.get("properties").is_none() => &list[0],
        _ => schema,
    }
}

/// A branch that admits only `null`: `{nullable: true, enum: [null]}` (OpenAPI 3.0.3's way to
/// make a reference nullable inside `anyOf`/`oneOf`) or `{type: 'null'}`.
fn is_null_only(schema: &Value) -> bool {
    str_at(schema, "type") == "null"
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The schema that carries the content: `X` for `allOf: [X]` and for `anyOf`/`oneOf: [X,
/// <null only>]`, the schema itself otherwise (nullability is compared by [`Shape`]).
fn essence(schema: &Value) -> &Value {
    let inner = unwrap_single_all_of(schema);
    if !std::ptr::eq(inner, schema) {
        return essence(inner);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let mut rest = branches.iter().filter(|b| !is_null_only(b));
            if let (Some(only), None) = (rest.next(), rest.next())
                && branches.len() > 1
            {
                return essence(only);
            }
        }
    }
    schema
}

/// Bounds compared by [`diff_constraints`]: (keyword, whether a larger value narrows).
const BOUNDS: [(&str, bool); 6] = [
    ("maxLength", false),
    ("maxItems", false),
    ("maximum", false),
    ("minLength", true),
    ("minItems", true),
    ("minimum", true),
];

/// Changed bounds and patterns. A narrower constraint breaks callers who send the value (the
/// server, or the generated constrained type, refuses what it accepted); a wider one breaks
/// callers who receive it (typify's constrained types check values when they decode, so an old
/// client refuses what the server now sends), as in oasdiff's `request-*-max-length-decreased`
/// and `response-*-max-length-increased` families.
fn diff_constraints(
    label: &str,
    old: &Value,
    new: &Value,
    how: Use,
    out: &mut Vec<(String, bool)>,
) {
    for (key, larger_narrows) in BOUNDS {
        let (o, n) = (old.get(key), new.get(key));
        let number = |v: Option<&Value>| v.and_then(Value::as_f64);
        let (text, narrows) = match (number(o), number(n)) {
            (None, None) => continue,
            (Some(a), Some(b)) if a == b => continue,
            (None, Some(_)) => (
                format!("`{key}: {}` added", n.unwrap_or(&Value::Null)),
                true,
            ),
            (Some(_), None) => (
                format!("`{key}: {}` removed", o.unwrap_or(&Value::Null)),
                false,
            ),
            (Some(a), Some(b)) => (
                format!(
                    "`{key}` changed from {} to {}",
                    o.unwrap_or(&Value::Null),
                    n.unwrap_or(&Value::Null)
                ),
                (b > a) == larger_narrows,
            ),
        };
        let (verdict, breaking) = if narrows {
            ("narrows", how.input)
        } else {
            ("widens", how.output)
        };
        out.push((format!("{label}: {text} ({verdict})"), breaking));
    }
    let pattern = |s: &Value| s.get("pattern").and_then(Value::as_str).map(String::from);
    match (pattern(old), pattern(new)) {
        (None, Some(p)) => out.push((
            format!("{label}: `pattern` `{p}` added (narrows)"),
            how.input,
        )),
        (Some(p), None) => out.push((
            format!("{label}: `pattern` `{p}` removed (widens)"),
            how.output,
        )),
        (Some(a), Some(b)) if a != b => out.push((
            format!("{label}: `pattern` changed from `{a}` to `{b}`"),
            true,
        )),
        _ => {}
    }
}

/// What values a schema admits, coarsely: enough to say widened, narrowed or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    kind: Kind,
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Any,
    Boolean,
    Integer(Option<String>),
    Number(Option<String>),
    String(Option<String>),
    /// A string enum, closed (`enum`) or open (`x-extensible-enum`, or the legacy `oneOf` of a
    /// closed enum and a string); its values are compared on their own.
    Enum {
        open: bool,
    },
    Array(Box<Shape>),
    Object,
    Ref(String),
    OneOf(Vec<Shape>),
    AllOf(Vec<Shape>),
}

impl Shape {
    fn of(schema: &Value) -> Shape {
        let mut nullable = flag(schema, "nullable");
        let inner = unwrap_single_all_of(schema);
        if !std::ptr::eq(inner, schema) {
            let mut shape = Shape::of(inner);
            shape.nullable |= nullable;
            return shape;
        }
        let format = schema
            .get("format")
            .and_then(Value::as_str)
            .map(String::from);
        // Null-only branches of `anyOf`/`oneOf` make the rest nullable.
        let mut list = |key: &str| -> Option<Vec<Shape>> {
            let branches = schema.get(key).and_then(Value::as_array)?;
            nullable |= branches.iter().any(is_null_only);
            Some(
                branches
                    .iter()
                    .filter(|b| !is_null_only(b))
                    .map(Shape::of)
                    .collect(),
            )
        };
        let kind = if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            Kind::Ref(
                reference
                    .rsplit('/')
                    .next()
                    .unwrap_or(reference)
                    .to_string(),
            )
        } else if schema.get("x-extensible-enum").is_some() {
            Kind::Enum { open: true }
        } else if let Some(mut branches) = list("oneOf").or_else(|| list("anyOf")) {
            if branches.len() == 1 {
                let only = branches.remove(0);
                return Shape {
                    kind: only.kind,
                    nullable: nullable || only.nullable,
                };
            }
            Kind::OneOf(branches)
        } else if let Some(parts) = list("allOf") {
            Kind::AllOf(parts)
        } else {
            match str_at(schema, "type") {
                "boolean" => Kind::Boolean,
                "integer" => Kind::Integer(format),
                "number" => Kind::Number(format),
                "string" | "" if schema.get("enum").is_some() => Kind::Enum { open: false },
                "string" => Kind::String(format),
                "array" => Kind::Array(Box::new(Shape::of(
                    schema.get("items").unwrap_or(&Value::Null),
                ))),
                "object" => Kind::Object,
                _ if schema.get("properties").is_some() => Kind::Object,
                _ => Kind::Any,
            }
        };
        Shape { kind, nullable }
    }

    /// Every value this shape admits, `other` admits too.
    fn fits_in(&self, other: &Shape) -> bool {
        if self.nullable && !other.nullable {
            return false;
        }
        let plain = |kind: &Kind| Shape {
            kind: kind.clone(),
            nullable: false,
        };
        match (&self.kind, &other.kind) {
            (a, b) if a == b => true,
            (_, Kind::Any) => true,
            (Kind::OneOf(mine), _) => mine.iter().all(|m| m.fits_in(other)),
            (_, Kind::OneOf(theirs)) => theirs.iter().any(|t| plain(&self.kind).fits_in(t)),
            (Kind::Integer(a), Kind::Integer(b)) => {
                b.is_none() || (a.as_deref() == Some("int32") && b.as_deref() == Some("int64"))
            }
            (Kind::Integer(_), Kind::Number(b)) => b.as_deref() != Some("float"),
            (Kind::Number(a), Kind::Number(b)) => {
                b.is_none() || (a.as_deref() == Some("float") && b.as_deref() == Some("double"))
            }
            (Kind::String(Some(_)) | Kind::Enum { .. }, Kind::String(None)) => true,
            (Kind::Enum { open: false }, Kind::Enum { open: true }) => true,
            (Kind::String(None), Kind::Enum { open: true }) => true,
            (Kind::Array(a), Kind::Array(b)) => a.fits_in(b),
            _ => false,
        }
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |list: &[Shape], sep: &str| {
            list.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(sep)
        };
        match &self.kind {
            Kind::Any => f.write_str("any")?,
            Kind::Boolean => f.write_str("boolean")?,
            Kind::Integer(format) => write!(f, "integer{}", paren(format))?,
            Kind::Number(format) => write!(f, "number{}", paren(format))?,
            Kind::String(format) => write!(f, "string{}", paren(format))?,
            Kind::Enum { open: false } => f.write_str("closed string enum")?,
            Kind::Enum { open: true } => f.write_str("open string enum")?,
            Kind::Array(items) => write!(f, "array of {items}")?,
            Kind::Object => f.write_str("object")?,
            Kind::Ref(name) => write!(f, "`{name}`")?,
            Kind::OneOf(list) => write!(f, "oneOf({})", join(list, " | "))?,
            Kind::AllOf(list) => write!(f, "allOf({})", join(list, " & "))?,
        }
        if self.nullable {
            f.write_str(" or null")?;
        }
        Ok(())
    }
}

fn paren(format: &Option<String>) -> String {
    format
        .as_ref()
        .map(|f| format!("({f})"))
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    fn shape(value: Value) -> Shape {
        Shape::of(&value)
    }

    #[test]
    fn widening_and_narrowing() {
        let int32 = shape(json!({"type": "integer", "format": "int32"}));
        let int64 = shape(json!({"type": "integer", "format": "int64"}));
        let number = shape(json!({"type": "number"}));
        let text = shape(json!({"type": "string"}));
        let uuid = shape(json!({"type": "string", "format": "uuid"}));
        let either =
            shape(json!({"oneOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]}));
        let nullable = shape(json!({"type": "string", "nullable": true}));
        assert!(int32.fits_in(&int64) && !int64.fits_in(&int32));
        assert!(int64.fits_in(&number));
        assert!(uuid.fits_in(&text) && !text.fits_in(&uuid));
        assert!(int64.fits_in(&either) && text.fits_in(&either) && !either.fits_in(&text));
        assert!(text.fits_in(&nullable) && !nullable.fits_in(&text));
        assert!(!text.fits_in(&int64));
        let wrapped =
            shape(json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}));
        assert_eq!(wrapped.to_string(), "`A` or null");
    }

    fn doc(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).expect("test spec is YAML")
    }

    fn texts(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{}{}", if c.breaking { "BREAKING " } else { "" }, c.text))
            .collect()
    }

    #[test]
    fn request_and_response_fields_are_classified_by_use() {
        let base = doc(
            "
paths:
  /things:
    post:
      operationId: createThing
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}}
      responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}
components:
  schemas:
    NewThing: {type: object, required: [name], properties: {name: {type: string}, size: {type: integer, format: int32}}}
    Thing: {type: object, required: [id], properties: {id: {type: string}, size: {type: integer, format: int32}}}",
        );
        let head = doc(
            "
paths:
  /things:
    post:
      operationId: createThing
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}}
      responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}
components:
  schemas:
    NewThing: {type: object, required: [name, kind], properties: {name: {type: string}, size: {type: integer, format: int64}, kind: {type: string}}}
    Thing: {type: object, properties: {id: {type: string}, size: {type: integer, format: int64}, colour: {type: string}}}",
        );
        let found = texts(&compare(&base, &head));
        assert_eq!(
            found,
            [
                "BREAKING `NewThing`.`kind`: new required field",
                "`NewThing`.`size`: type widened from integer(int32) to integer(int64)",
                "`Thing`.`colour`: new optional field",
                "BREAKING `Thing`.`id`: now optional",
                "BREAKING `Thing`.`size`: type widened from integer(int32) to integer(int64)",
            ],
            "{found:#?}"
        );
    }

    /// A small spec: `GET /things?page&filter` returns a `Thing` with an open enum `status`;
    /// `POST /things` sends a `NewThing`. Also the input of xtask's end-to-end diff test.
    pub(crate) const SMALL: &str = r##"
openapi: 3.0.3
info: {title: Things, version: "1", description: Things.}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: page, in: query, schema: {type: integer, format: int32}}
        - {name: filter, in: query, schema: {type: string, maxLength: 30}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
    post:
      operationId: createThing
      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/NewThing"}}}}
      responses:
        "204": {description: created}
components:
  schemas:
    Status: {type: string, description: Status., x-extensible-enum: [active, retired]}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer, format: int64}
        status: {$ref: "#/components/schemas/Status"}
        parent:
          anyOf:
            - {$ref: "#/components/schemas/NewThing"}
            - {type: object, nullable: true, enum: [null]}
    NewThing:
      type: object
      properties:
        name: {type: string, maxLength: 30}
        mode: {type: string, enum: [fast, slow]}
"##;

    fn small_changes(head: &str) -> Vec<String> {
        texts(&compare(&doc(SMALL), &doc(head)))
    }

    #[test]
    fn the_three_breaking_edits_of_issue_13() {
        assert_eq!(
            small_changes(&SMALL.replace("[active, retired]", "[active]")),
            ["BREAKING `Status`: enum value `retired` removed"]
        );
        assert_eq!(
            small_changes(&SMALL.replace(
                "{name: page, in: query, schema",
                "{name: page, in: query, required: true, schema"
            )),
            ["BREAKING `listThings` (`GET /things`): parameter `page` (query) is now required"]
        );
        assert_eq!(
            small_changes(&SMALL.replace(
                "size: {type: integer, format: int64}",
                "size: {type: string}"
            )),
            ["BREAKING `Thing`.`size`: type changed from integer(int64) to string"]
        );
    }

    #[test]
    fn open_enums_in_either_form() {
        // Adding a value to an open enum is not breaking: old clients keep it as a string.
        assert_eq!(
            small_changes(&SMALL.replace("[active, retired]", "[active, retired, lost]")),
            ["`Status`: enum value `lost` added"]
        );
        // The legacy form and the extensible form are the same API.
        let legacy = SMALL.replace(
            "Status: {type: string, description: Status., x-extensible-enum: [active, retired]}",
            "Status: {description: Status., oneOf: [{$ref: '#/components/schemas/StatusKnown'}, {type: string}]}\n    \
             StatusKnown: {type: string, enum: [active, retired]}",
        );
        assert_eq!(small_changes(&legacy), Vec::<String>::new());
        // …also beside other types.
        let status =
            "Status: {type: string, description: Status., x-extensible-enum: [active, retired]}";
        let legacy_beside = SMALL.replace(
            status,
            "Status: {description: Status., oneOf: [{$ref: '#/components/schemas/StatusKnown'}, \
             {type: boolean}, {type: string}]}\n    \
             StatusKnown: {type: string, enum: [active, retired]}",
        );
        let extensible_beside = SMALL.replace(
            status,
            "Status: {description: Status., oneOf: [{type: string, x-extensible-enum: [active, \
             retired]}, {type: boolean}]}",
        );
        assert_eq!(
            texts(&compare(&doc(&legacy_beside), &doc(&extensible_beside))),
            Vec::<String>::new()
        );
        assert_eq!(
            texts(&compare(
                &doc(&legacy),
                &doc(&SMALL.replace("[active, retired]", "[active]"))
            )),
            ["BREAKING `Status`: enum value `retired` removed"]
        );
        // A closed enum becoming open changes the Rust type callers receive.
        let closed = SMALL.replace(
            "x-extensible-enum: [active, retired]",
            "enum: [active, retired]",
        );
        assert_eq!(
            texts(&compare(&doc(&closed), &doc(SMALL))),
            ["BREAKING `Status`: type widened from closed string enum to open string enum"]
        );
    }

    #[test]
    fn nullable_forms_compare_equal() {
        let all_of = SMALL.replace(
            "anyOf:\n            - {$ref: \"#/components/schemas/NewThing\"}\n            - {type: object, nullable: true, enum: [null]}",
            "nullable: true\n          allOf: [{$ref: \"#/components/schemas/NewThing\"}]",
        );
        assert_ne!(all_of, SMALL);
        assert_eq!(small_changes(&all_of), Vec::<String>::new());
        let not_null = SMALL.replace(
            "anyOf:\n            - {$ref: \"#/components/schemas/NewThing\"}\n            - {type: object, nullable: true, enum: [null]}",
            "allOf: [{$ref: \"#/components/schemas/NewThing\"}]",
        );
        assert_eq!(
            small_changes(&not_null),
            ["BREAKING `Thing`.`parent`: type narrowed from `NewThing` or null to `NewThing`"]
        );
    }

    #[test]
    fn constraints_and_media_types() {
        assert_eq!(
            small_changes(&SMALL.replace(
                "{name: filter, in: query, schema: {type: string, maxLength: 30}}",
                "{name: filter, in: query, schema: {type: string, maxLength: 20, pattern: '^[a-z]+$'}}"
            )),
            [
                "BREAKING `listThings` (`GET /things`): parameter `filter` (query): `maxLength` changed from 30 to 20 (narrows)",
                "BREAKING `listThings` (`GET /things`): parameter `filter` (query): `pattern` `^[a-z]+$` added (narrows)",
            ]
        );
        assert_eq!(
            small_changes(&SMALL.replace(
                "{name: filter, in: query, schema: {type: string, maxLength: 30}}",
                "{name: filter, in: query, schema: {type: string}}"
            )),
            [
                "`listThings` (`GET /things`): parameter `filter` (query): `maxLength: 30` removed (widens)"
            ]
        );
        // `NewThing` is sent and, as `Thing.parent`, received: a wider bound breaks decoding.
        assert_eq!(
            small_changes(&SMALL.replace(
                "name: {type: string, maxLength: 30}",
                "name: {type: string, maxLength: 40}"
            )),
            ["BREAKING `NewThing`.`name`: `maxLength` changed from 30 to 40 (widens)"]
        );
        assert_eq!(
            small_changes(&SMALL.replace(
                "content: {application/json: {schema: {$ref: \"#/components/schemas/Thing\"}}}",
                "content: {application/yaml: {schema: {$ref: \"#/components/schemas/Thing\"}}}"
            )),
            [
                "BREAKING `listThings` (`GET /things`): response `200`: media type `application/json` removed",
                "`listThings` (`GET /things`): response `200`: media type `application/yaml` added",
            ]
        );
    }

    #[test]
    fn two_files() {
        let dir = std::env::temp_dir().join(format!("xtask-diff-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let (base, head) = (dir.join("old.yaml"), dir.join("things.yaml"));
        std::fs::write(&base, SMALL).expect("write");
        std::fs::write(&head, SMALL.replace("[active, retired]", "[active]")).expect("write");
        let report = run_files(&base, &head).expect("diff runs");
        let _ = std::fs::remove_dir_all(&dir);
        let md = &report.markdown;
        assert_eq!(report.breaking, 1, "{md}");
        assert!(md.contains("### `things`"), "{md}");
        assert!(
            md.contains("- **breaking** `Status`: enum value `retired` removed"),
            "{md}"
        );
        // A spec with no entry in apis.rs still shows its generated surface.
        assert!(md.contains("--- base/things\n+++ head/things"), "{md}");
        assert!(run_files(&dir.join("missing.yaml"), &head).is_err());
    }

    /// A throw-away git repository with a `specs/` directory; removed on drop.
    struct Repo {
        dir: std::path::PathBuf,
    }

    impl Repo {
        fn new(name: &str) -> Repo {
            let dir =
                std::env::temp_dir().join(format!("xtask-diff-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("specs")).expect("temp dir");
            let repo = Repo { dir };
            repo.git(&["init", "--quiet"]);
            repo.git(&["symbolic-ref", "HEAD", "refs/heads/main"]);
            repo.git(&["config", "user.name", "xtask test"]);
            repo.git(&["config", "user.email", "xtask@example.invalid"]);
            repo.git(&["config", "commit.gpgsign", "false"]);
            repo
        }

        fn git(&self, args: &[&str]) {
            git(&self.dir, args).expect("git runs");
        }

        fn write(&self, name: &str, text: &str) {
            std::fs::write(self.dir.join("specs").join(format!("{name}.yaml")), text)
                .expect("write");
        }

        fn commit(&self) {
            self.git(&["add", "-A"]);
            self.git(&["commit", "--quiet", "-m", "specs"]);
        }
    }

    impl Drop for Repo {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Named after a real API so that the report includes its generated surface.
    const API: &str = "harmony-sase";

    const V1: &str = r##"
openapi: 3.0.3
info: {title: Things, version: "1", description: Things.}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: page, in: query, schema: {type: integer, format: int32}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}}}}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /things/{id}:
    delete:
      operationId: deleteThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: gone}
        "404": {description: unknown, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Error: {type: object, description: An error., properties: {message: {type: string}}}
    Colour: {type: string, enum: [red, green]}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        colour: {$ref: "#/components/schemas/Colour"}
        size: {type: integer, format: int64}
"##;

    fn v2() -> String {
        V1.replace("operationId: listThings", "operationId: getThings")
            .replace(
                "{name: page, in: query, schema: {type: integer, format: int32}}",
                "{name: page, in: query, schema: {type: integer, format: int64}}\n        - {name: filter, in: query, required: true, schema: {type: string}}",
            )
            .replace("  /things/{id}:\n    delete:\n      operationId: deleteThing", "  /things/{id}:\n    put:\n      operationId: replaceThing")
            .replace("enum: [red, green]", "enum: [red, blue]")
            .replace("size: {type: integer, format: int64}", "size: {type: string}\n        label: {type: string}")
    }

    #[test]
    fn report_classifies_changes_and_shows_the_surface() {
        let repo = Repo::new("classify");
        repo.write(API, V1);
        repo.write("other", V1);
        repo.commit();
        repo.write(API, &v2());
        let report = run(&repo.dir, Some("main")).expect("diff runs");
        let md = &report.markdown;
        assert!(md.starts_with(MARKER), "{md}");
        for line in [
            "- **breaking** `getThings` (`GET /things`): operationId renamed from `listThings` (Rust method `list_things`)",
            "- **breaking** `getThings` (`GET /things`): new required parameter `filter` (query)",
            "- `getThings` (`GET /things`): parameter `page` (query): type widened from integer(int32) to integer(int64)",
            "- **breaking** `deleteThing` (`DELETE /things/{id}`): removed",
            "- `replaceThing` (`PUT /things/{id}`): added",
            "- **breaking** `Colour`: enum value `green` removed",
            "- `Colour`: enum value `blue` added",
            "- `Thing`.`label`: new optional field",
            "- **breaking** `Thing`.`size`: type changed from integer(int64) to string",
            "Unchanged: `other`.",
        ] {
            assert!(md.contains(line), "missing `{line}` in\n{md}");
        }
        assert_eq!(report.breaking, 5, "{md}");
        assert!(md.contains("**5 breaking changes**"), "{md}");
        // The surface diff shows the Rust side of the same changes.
        assert!(
            md.contains("```diff\n--- base/harmony-sase\n+++ head/harmony-sase"),
            "{md}"
        );
        assert!(md.contains("-  DELETE /things/{id}  delete_thing("), "{md}");
        assert!(md.contains("+  PUT /things/{id}  replace_thing("), "{md}");
    }

    #[test]
    fn unchanged_and_documentation_only() {
        let repo = Repo::new("quiet");
        repo.write(API, V1);
        repo.commit();
        // No origin/main in this repository: the default base falls back to main.
        let report = run(&repo.dir, None).expect("diff runs");
        assert!(report.markdown.contains("`main`"), "{}", report.markdown);
        assert!(
            report.markdown.ends_with("No change to `specs/`.\n"),
            "{}",
            report.markdown
        );

        repo.write(
            API,
            &V1.replace("description: An error.", "description: What went wrong."),
        );
        let report = run(&repo.dir, None).expect("diff runs");
        assert_eq!(report.breaking, 0);
        assert!(
            report.markdown.contains("No breaking change"),
            "{}",
            report.markdown
        );
        assert!(
            report.markdown.contains("but its API did not"),
            "{}",
            report.markdown
        );
        assert!(
            report
                .markdown
                .contains("Generated code changed (documentation only)"),
            "{}",
            report.markdown
        );

        let error = run(&repo.dir, Some("no-such-ref"))
            .err()
            .expect("unknown ref fails");
        assert!(error.to_string().contains("no-such-ref"), "{error}");
    }
}
