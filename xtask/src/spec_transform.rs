//! The one rewrite of a spec between reading it and handing it to progenitor.
//!
//! The specs are written so that every OpenAPI 3.0.3 tool reads them the same way (a strict
//! JSON Schema validator, redocly, a mock server, another language's generator). Two of those
//! portable forms are not what typify needs to produce the Rust types the clients expose, so
//! [`for_typify`] rewrites them, on the parsed document, before generation:
//!
//! - **Open enum.** A component `Foo: {type: string, x-extensible-enum: [a, b]}` (the
//!   Zalando convention: any string is valid, the listed values are known) becomes
//!   `FooKnown: {type: string, enum: [a, b]}` plus
//!   `Foo: {oneOf: [{$ref: FooKnown}, {type: string}]}`: an untagged Rust enum that decodes a
//!   known value into `FooKnown` and keeps any other as `Foo::String`. `FooKnown` carries
//!   `Foo`'s description and example and is placed before `Foo`, so that both get `Display`. A `oneOf` branch `{type: string, x-extensible-enum}` of a
//!   component (an open enum beside other types, such as a boolean) becomes the same
//!   `{$ref: FooKnown}` first and a `{type: string}` fallback last.
//! - **Nullable composition.** A branch that accepts only null (`{nullable: true, enum: [null]}`,
//!   with any `type`) in an `anyOf`/`oneOf` is removed and `nullable: true` set beside the
//!   rest: a single remaining branch becomes `allOf: [branch]`. Typify turns that into
//!   `Option<…>`; under OpenAPI 3.0.3 the written form is the one that really admits null.
//!
//! The rewrite never edits generated code, and the Rust API is the same as for the typify
//! forms written by hand.

use anyhow::{Result, bail};
use serde_yaml::{Mapping, Value};

/// The annotation that marks an open enum.
const EXTENSIBLE: &str = "x-extensible-enum";

/// Rewrites the portable forms of `doc` (a whole OpenAPI document) into the forms typify needs.
pub fn for_typify(doc: &mut Value) -> Result<()> {
    nullable_compositions(doc);
    open_enums(doc)?;
    if let Some(pointer) = find_key(doc, EXTENSIBLE, "") {
        bail!(
            "`{EXTENSIBLE}` at {pointer}: an open enum must be a schema of its own under \
             components/schemas (its Rust type needs a name), or a `oneOf` branch of one"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Open enums.

fn open_enums(doc: &mut Value) -> Result<()> {
    let Some(schemas) = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
    else {
        return Ok(());
    };
    let mut rewritten = Mapping::with_capacity(schemas.len());
    let taken = std::mem::take(schemas);
    for (name, schema) in &taken {
        let text = name.as_str().unwrap_or_default();
        let Some((typify_form, known)) = open_enum(text, schema)? else {
            rewritten.insert(name.clone(), schema.clone());
            continue;
        };
        let known_name = format!("{text}Known");
        if taken.contains_key(known_name.as_str()) {
            bail!(
                "components/schemas/{text} is an open enum, whose values this rewrite names \
                 `{known_name}`, but a schema of that name exists already"
            );
        }
        // Known first: typify then sees a string enum in every branch and gives the open
        // enum a `Display` impl.
        rewritten.insert(Value::from(known_name), known);
        rewritten.insert(name.clone(), typify_form);
    }
    *schemas = rewritten;
    Ok(())
}

/// For an open-enum component `name`, its typify form and its `<name>Known` schema.
fn open_enum(name: &str, schema: &Value) -> Result<Option<(Value, Value)>> {
    let Some(map) = schema.as_mapping() else {
        return Ok(None);
    };
    if map.contains_key(EXTENSIBLE) {
        let mut outer = map.clone();
        let known = known_values(name, &mut outer)?;
        let mut typify_form = Mapping::new();
        for (key, value) in outer {
            if key.as_str() == Some("type") {
                let branches = vec![reference(name), fallback()];
                typify_form.insert("oneOf".into(), Value::Sequence(branches));
            } else {
                typify_form.insert(key, value);
            }
        }
        return Ok(Some((
            Value::Mapping(typify_form),
            known_schema(map, known),
        )));
    }
    let Some(branches) = map.get("oneOf").and_then(Value::as_sequence) else {
        return Ok(None);
    };
    let open: Vec<_> = branches
        .iter()
        .filter(|b| b.get(EXTENSIBLE).is_some())
        .collect();
    match open.as_slice() {
        [] => Ok(None),
        [branch] => {
            let mut branch = branch.as_mapping().cloned().unwrap_or_default();
            let known = known_values(name, &mut branch)?;
            let mut list = vec![reference(name)];
            list.extend(
                branches
                    .iter()
                    .filter(|b| b.get(EXTENSIBLE).is_none())
                    .cloned(),
            );
            list.push(fallback());
            let mut typify_form = map.clone();
            typify_form.insert("oneOf".into(), Value::Sequence(list));
            Ok(Some((
                Value::Mapping(typify_form),
                known_schema(map, known),
            )))
        }
        _ => bail!("components/schemas/{name}: more than one `oneOf` branch is an open enum"),
    }
}

/// Takes the values out of an open-enum schema object, checking that it is `type: string`.
fn known_values(name: &str, schema: &mut Mapping) -> Result<Value> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        bail!(
            "components/schemas/{name}: `{EXTENSIBLE}` needs `type: string` beside it (a \
             strict validator then accepts any string)"
        );
    }
    if schema.contains_key("enum") {
        bail!("components/schemas/{name}: `{EXTENSIBLE}` and `enum` exclude each other");
    }
    let values = schema.remove(EXTENSIBLE).unwrap_or_default();
    let all_strings = values
        .as_sequence()
        .is_some_and(|v| !v.is_empty() && v.iter().all(Value::is_string));
    if !all_strings {
        bail!("components/schemas/{name}: `{EXTENSIBLE}` must be a non-empty list of strings");
    }
    Ok(values)
}

/// `<name>Known`: the closed enum of the known values, with the open enum's description and
/// example.
fn known_schema(open: &Mapping, values: Value) -> Value {
    let mut known = Mapping::new();
    known.insert("type".into(), "string".into());
    for key in ["description", "example"] {
        if let Some(value) = open.get(key) {
            known.insert(key.into(), value.clone());
        }
    }
    known.insert("enum".into(), values);
    Value::Mapping(known)
}

fn reference(name: &str) -> Value {
    let mut map = Mapping::new();
    map.insert(
        "$ref".into(),
        format!("#/components/schemas/{name}Known").into(),
    );
    Value::Mapping(map)
}

/// The branch that keeps a value the client does not know.
fn fallback() -> Value {
    let mut map = Mapping::new();
    map.insert("type".into(), "string".into());
    map.insert(
        "description".into(),
        "A value this client does not know yet, kept as text.".into(),
    );
    Value::Mapping(map)
}

// ---------------------------------------------------------------------------------------------
// Nullable compositions.

/// Rewrites, anywhere in the document, an `anyOf`/`oneOf` with a null-only branch.
fn nullable_compositions(value: &mut Value) {
    match value {
        Value::Mapping(map) => {
            for keyword in ["anyOf", "oneOf"] {
                drop_null_branch(map, keyword);
            }
            for (key, inner) in map.iter_mut() {
                // Examples are data, not schemas.
                if !matches!(key.as_str(), Some("example" | "examples")) {
                    nullable_compositions(inner);
                }
            }
        }
        Value::Sequence(list) => list.iter_mut().for_each(nullable_compositions),
        _ => {}
    }
}

fn drop_null_branch(map: &mut Mapping, keyword: &str) {
    let Some(Value::Sequence(branches)) = map.get_mut(keyword) else {
        return;
    };
    let before = branches.len();
    branches.retain(|branch| !is_null_only(branch));
    if branches.len() == before || branches.is_empty() {
        return;
    }
    if let [single] = branches.as_slice() {
        let single = single.clone();
        map.remove(keyword);
        map.insert("allOf".into(), Value::Sequence(vec![single]));
    }
    map.insert("nullable".into(), true.into());
}

/// `{nullable: true, enum: [null]}`, with any `type` and `description`: the schema that admits
/// null and nothing else under OpenAPI 3.0.3.
fn is_null_only(schema: &Value) -> bool {
    let Some(map) = schema.as_mapping() else {
        return false;
    };
    map.get("nullable") == Some(&Value::Bool(true))
        && map
            .get("enum")
            .and_then(Value::as_sequence)
            .is_some_and(|values| values.as_slice() == [Value::Null])
        && map.keys().all(|key| {
            matches!(
                key.as_str(),
                Some("nullable" | "enum" | "type" | "description")
            )
        })
}

/// The JSON pointer of the first mapping key `key` under `value`, examples excluded.
fn find_key(value: &Value, key: &str, pointer: &str) -> Option<String> {
    match value {
        Value::Mapping(map) => map.iter().find_map(|(k, inner)| {
            let name = k.as_str()?;
            if name == key {
                return Some(format!("{pointer}/{name}"));
            }
            if matches!(name, "example" | "examples") {
                return None;
            }
            let escaped = name.replace('~', "~0").replace('/', "~1");
            find_key(inner, key, &format!("{pointer}/{escaped}"))
        }),
        Value::Sequence(list) => list
            .iter()
            .enumerate()
            .find_map(|(i, inner)| find_key(inner, key, &format!("{pointer}/{i}"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).expect("test YAML parses")
    }

    fn transformed(text: &str) -> Value {
        let mut doc = yaml(text);
        for_typify(&mut doc).expect("rewrites");
        doc
    }

    fn schemas(text: &str) -> String {
        let schemas = format!("components:\n  schemas:\n{text}");
        let doc = transformed(&schemas);
        serde_yaml::to_string(&doc["components"]["schemas"]).expect("serialises")
    }

    #[test]
    fn open_enum_becomes_known_enum_plus_string() {
        let out = schemas(
            "    Mode:
      type: string
      description: Access mode (open enum).
      x-extensible-enum: [LOCAL, REMOTE]
      example: LOCAL
    Other: {type: integer, description: untouched}",
        );
        let expected = "\
ModeKnown:
  type: string
  description: Access mode (open enum).
  example: LOCAL
  enum:
  - LOCAL
  - REMOTE
Mode:
  oneOf:
  - $ref: '#/components/schemas/ModeKnown'
  - type: string
    description: A value this client does not know yet, kept as text.
  description: Access mode (open enum).
  example: LOCAL
Other:
  type: integer
  description: untouched
";
        assert_eq!(out, expected);
    }

    #[test]
    fn open_enum_branch_keeps_other_branches_between_known_and_fallback() {
        let out = schemas(
            "    Health:
      description: Health, or the seed's boolean.
      oneOf:
        - {type: string, x-extensible-enum: [passing, critical]}
        - {type: boolean, description: seed form}",
        );
        let expected = "\
HealthKnown:
  type: string
  description: Health, or the seed's boolean.
  enum:
  - passing
  - critical
Health:
  description: Health, or the seed's boolean.
  oneOf:
  - $ref: '#/components/schemas/HealthKnown'
  - type: boolean
    description: seed form
  - type: string
    description: A value this client does not know yet, kept as text.
";
        assert_eq!(out, expected);
    }

    #[test]
    fn open_enum_errors_name_the_schema() {
        for (text, needle) in [
            ("    A: {x-extensible-enum: [a]}", "needs `type: string`"),
            (
                "    A: {type: integer, x-extensible-enum: [1]}",
                "needs `type: string`",
            ),
            (
                "    A: {type: string, x-extensible-enum: []}",
                "non-empty list",
            ),
            (
                "    A: {type: string, enum: [a], x-extensible-enum: [a]}",
                "exclude",
            ),
            (
                "    A: {type: string, x-extensible-enum: [a]}\n    AKnown: {type: string}",
                "exists already",
            ),
            (
                "    B: {type: object, properties: {p: {type: string, x-extensible-enum: [a]}}}",
                "/components/schemas/B/properties/p/x-extensible-enum",
            ),
        ] {
            let mut doc = yaml(&format!("components:\n  schemas:\n{text}"));
            let error = for_typify(&mut doc).expect_err(text).to_string();
            assert!(error.contains(needle), "{text}: {error}");
        }
    }

    #[test]
    fn nullable_reference_becomes_nullable_all_of() {
        let doc = transformed(
            "properties:
  cfg:
    description: Configuration, or null.
    anyOf:
      - $ref: '#/components/schemas/Cfg'
      - {type: object, nullable: true, enum: [null]}",
        );
        let expected = yaml(
            "description: Configuration, or null.
allOf: [{$ref: '#/components/schemas/Cfg'}]
nullable: true",
        );
        assert_eq!(doc["properties"]["cfg"], expected);
    }

    #[test]
    fn nullable_one_of_keeps_its_other_branches() {
        let doc = transformed(
            "asn:
  description: A number, a string or null.
  oneOf:
    - {type: integer, format: int64}
    - {type: string}
    - {type: string, nullable: true, enum: [null], description: JSON null.}",
        );
        let expected = yaml(
            "description: A number, a string or null.
oneOf: [{type: integer, format: int64}, {type: string}]
nullable: true",
        );
        assert_eq!(doc["asn"], expected);
    }

    #[test]
    fn other_compositions_and_examples_are_left_alone() {
        let text = "a:
  oneOf: [{type: string}, {type: string, nullable: true}, {nullable: true, enum: [null], format: x}]
  example: {anyOf: [{nullable: true, enum: [null]}, {}]}";
        assert_eq!(transformed(text), yaml(text));
    }
}
