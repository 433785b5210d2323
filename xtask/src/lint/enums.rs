//! Enum rules: open enums wherever a server sends the value, and enum values that typify can
//! name as distinct Rust variants.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use serde_json::Value;

use super::{Doc, Finding, all_refs, component_of, join, ref_of, str_at};

/// A schema that admits only `null` (`{type: object, nullable: true, enum: [null]}`): the
/// nullable branch of a reference, not an enum.
fn is_null_only(values: &[Value]) -> bool {
    !values.is_empty() && values.iter().all(Value::is_null)
}

/// The legacy open-enum form `oneOf: [{$ref: <Name>Known}, {type: string}]` (possibly beside
/// other branches): the name of the known-values schema when `schema` is one.
fn legacy_open_enum(doc: &Doc, schema: &Value) -> Option<String> {
    let branches = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_array()?;
    let plain_string = |s: &Value| str_at(s, "type") == "string" && s.get("enum").is_none();
    let known = |s: &Value| {
        let reference = ref_of(s)?;
        doc.deref(s).get("enum")?;
        component_of(reference).map(|(_, name)| name)
    };
    if !branches.iter().any(plain_string) {
        return None;
    }
    branches.iter().find_map(known)
}

/// Component schemas a response reaches, through `$ref`s.
fn response_schemas(doc: &Doc) -> BTreeSet<String> {
    let mut refs = Vec::new();
    for op in doc.operations() {
        if let Some(responses) = op.op.get("responses") {
            all_refs(responses, "", &mut refs);
        }
    }
    if let Some(responses) = doc.at("/components/responses") {
        all_refs(responses, "", &mut refs);
    }
    let mut stack: Vec<String> = refs
        .iter()
        .filter_map(|(_, r)| r.as_str().and_then(component_of))
        .filter(|(kind, _)| kind == "schemas")
        .map(|(_, name)| name)
        .collect();
    let mut reached = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let mut inner = Vec::new();
        if let Some(schema) = doc.at(&join("/components/schemas", &name)) {
            all_refs(schema, "", &mut inner);
        }
        stack.extend(
            inner
                .iter()
                .filter_map(|(_, r)| r.as_str().and_then(component_of))
                .filter(|(kind, _)| kind == "schemas")
                .map(|(_, name)| name),
        );
    }
    reached
}

/// Whether the schema at `pointer` is part of what a server sends: inside a response, or
/// inside a component schema a response reaches.
fn in_response(pointer: &str, reached: &BTreeSet<String>) -> bool {
    let tokens: Vec<&str> = pointer.split('/').collect();
    match tokens[..] {
        [_, "paths", _, _, "responses", ..] | [_, "components", "responses", ..] => true,
        [_, "components", "schemas", name, ..] => reached.contains(&super::unescape(name)),
        _ => false,
    }
}

/// Every enum a server sends is open, written `{type: string, x-extensible-enum: [...]}`: a
/// strict validator then accepts every value, and `cargo xtask codegen` turns it into a Rust
/// enum with a fallback for values it does not know. A closed `enum` is allowed only in
/// request-only schemas; the legacy `oneOf: [<Name>Known, {type: string}]` is refused because
/// under JSON Schema a known value matches both branches and `oneOf` rejects it.
pub(super) fn open_enums(doc: &Doc, out: &mut Vec<Finding>) {
    let reached = response_schemas(doc);
    let sites = doc.schemas();
    let mut legacy_known = BTreeSet::new();
    for site in &sites {
        if let Some(known) = legacy_open_enum(doc, site.schema) {
            out.push(Finding::new(
                &site.pointer,
                "open-enum",
                format!(
                    "`oneOf: [{known}, {{type: string}}]` rejects every known value under JSON \
                     Schema (it matches both branches); write `type: string` with \
                     `x-extensible-enum: [...]`"
                ),
            ));
            legacy_known.insert(known);
        }
    }
    for site in &sites {
        if let Some(extensible) = site.schema.get("x-extensible-enum") {
            let at = join(&site.pointer, "x-extensible-enum");
            if !extensible
                .as_array()
                .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_string))
            {
                out.push(Finding::new(
                    at,
                    "open-enum",
                    "`x-extensible-enum` is a non-empty list of strings",
                ));
            } else if str_at(site.schema, "type") != "string" || site.schema.get("enum").is_some() {
                out.push(Finding::new(
                    at,
                    "open-enum",
                    "`x-extensible-enum` goes with `type: string` and no `enum`",
                ));
            }
        }
        let Some(values) = site.schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let legacy = site
            .pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|name| legacy_known.contains(&super::unescape(name)));
        if is_null_only(values) || legacy || !in_response(&site.pointer, &reached) {
            continue;
        }
        out.push(Finding::new(
            join(&site.pointer, "enum"),
            "open-enum",
            "closed `enum` in what a server sends: a value added later fails decoding; write \
             `type: string` with `x-extensible-enum: [...]` (closed enums are for request-only \
             schemas)",
        ));
    }
}

/// Typify's variant name for an enum value (`typify_impl::util::sanitize`, Pascal case).
fn variant_name(value: &str) -> String {
    let spaced: String = value
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = match value {
        "+1" => "Plus1".to_string(),
        "-1" => "Minus1".to_string(),
        _ => spaced.to_pascal_case(),
    };
    match name.chars().next() {
        None => "X".into(),
        Some(c) if c.is_alphabetic() => name,
        Some(_) => format!("X{name}"),
    }
}

/// Typify's second try when the first names collide: `_` and other non-identifier characters
/// become `X` before Pascal-casing.
fn fallback_variant_name(value: &str) -> String {
    let marked: String = value
        .chars()
        .map(|c| {
            if c == '_' || !(c.is_alphanumeric()) {
                'X'
            } else {
                c
            }
        })
        .collect();
    variant_name(&marked)
}

/// The values of `values` that share a Rust variant name under `name`, grouped.
fn collisions(values: &[&str], name: fn(&str) -> String) -> Vec<Vec<String>> {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for value in values {
        by_name
            .entry(name(value))
            .or_default()
            .push((*value).to_string());
    }
    by_name
        .into_values()
        .filter(|group| group.len() > 1)
        .collect()
}

/// Enum values that typify cannot name as distinct Rust variants (`Foo` and `foo`, `a-b` and
/// `a_b`): generation panics with "Failed to make unique variant names".
pub(super) fn enum_variants(doc: &Doc, out: &mut Vec<Finding>) {
    for site in doc.schemas() {
        for key in ["enum", "x-extensible-enum"] {
            let values: Vec<&str> = site
                .schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if collisions(&values, variant_name).is_empty() {
                continue;
            }
            for group in collisions(&values, fallback_variant_name) {
                out.push(Finding::new(
                    join(&site.pointer, key),
                    "enum-variants",
                    format!(
                        "values {} become the same Rust variant `{}`; progenitor cannot \
                         generate this enum (keep one spelling, or describe the values as a \
                         plain string)",
                        group
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        fallback_variant_name(&group[0]),
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_clean, assert_finds, check};
    use super::*;

    const SPEC: &str = "
paths:
  /a:
    get:
      parameters: [{name: order, in: query, schema: {type: string, enum: [asc, desc]}}]
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        colour: {$ref: '#/components/schemas/Colour'}
        shape: {type: string, x-extensible-enum: [round, square]}
        parent: {anyOf: [{$ref: '#/components/schemas/Thing'}, {type: object, nullable: true, enum: [null]}]}
    Colour: COLOUR
    NewThing: {type: object, properties: {mode: {type: string, enum: [fast, slow]}}}";

    #[test]
    fn responses_reach_components() {
        let doc = Doc {
            root: serde_yaml::from_str(&SPEC.replace("COLOUR", "{type: string}")).unwrap(),
        };
        let reached: Vec<String> = response_schemas(&doc).into_iter().collect();
        assert_eq!(reached, ["Colour", "Thing"]);
    }

    #[test]
    fn closed_enums_only_in_requests() {
        assert_finds(
            open_enums,
            &SPEC.replace("COLOUR", "{type: string, enum: [red, green]}"),
            "/components/schemas/Colour/enum",
            "closed `enum` in what a server sends",
        );
        let found = check(
            open_enums,
            &SPEC.replace("COLOUR", "{type: string, enum: [red, green]}"),
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_clean(
            open_enums,
            &SPEC.replace("COLOUR", "{type: string, x-extensible-enum: [red, green]}"),
        );
    }

    #[test]
    fn legacy_open_enums_are_refused_once() {
        let legacy = SPEC.replace(
            "COLOUR",
            "{oneOf: [{$ref: '#/components/schemas/ColourKnown'}, {type: boolean}, {type: string}]}\n    \
             ColourKnown: {type: string, enum: [red, green]}",
        );
        let found = check(open_enums, &legacy);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_finds(
            open_enums,
            &legacy,
            "/components/schemas/Colour",
            "rejects every known value",
        );
    }

    #[test]
    fn extensible_enums_are_typed_strings() {
        assert_finds(
            open_enums,
            &SPEC.replace("COLOUR", "{x-extensible-enum: [red]}"),
            "/components/schemas/Colour/x-extensible-enum",
            "goes with `type: string`",
        );
        assert_finds(
            open_enums,
            &SPEC.replace("COLOUR", "{type: string, x-extensible-enum: []}"),
            "/components/schemas/Colour/x-extensible-enum",
            "non-empty list of strings",
        );
    }

    #[test]
    fn variant_names_follow_typify() {
        assert_eq!(variant_name("clientip"), "Clientip");
        assert_eq!(variant_name("EU-west"), "EuWest");
        assert_eq!(variant_name("2fa"), "X2fa");
        assert_eq!(fallback_variant_name("a_b"), "AXb");
    }

    #[test]
    fn colliding_enum_values() {
        let spec = |values: &str| {
            format!(
                "components: {{schemas: {{A: {{type: string, x-extensible-enum: [{values}]}}}}}}"
            )
        };
        assert_finds(
            enum_variants,
            &spec("Foo, foo, bar"),
            "/components/schemas/A/x-extensible-enum",
            "values `Foo`, `foo` become the same Rust variant `Foo`",
        );
        assert_finds(
            enum_variants,
            &spec("a-b, a_b"),
            "/components/schemas/A/x-extensible-enum",
            "`a-b`, `a_b`",
        );
        // `AB` twice at first, then typify tells them apart as `AXb` and `AXXb`.
        assert_clean(enum_variants, &spec("a-b, a--b"));
        assert_clean(enum_variants, &spec("a-b, ab, Ab2"));
    }
}
