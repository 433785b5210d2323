//! Example validation: OpenAPI 3.0 Schema Objects converted to JSON Schema 2020-12 and checked
//! with the `jsonschema` crate.
//!
//! OpenAPI 3.0 schemas are an extended subset of JSON Schema draft 4/5; the conversion keeps
//! every validation keyword and rewrites the dialect's own:
//! - `nullable: true` beside a `type` becomes `anyOf: [<schema>, {type: null}]` (also right for
//!   `enum`s, where adding `"null"` to `type` is not); without a `type` it has no effect, as
//!   OpenAPI 3.0.3 says (lint's `nullable` rule reports it);
//! - `oneOf` stays `oneOf`: exactly one branch must match, as every strict validator checks;
//! - `x-extensible-enum` is an annotation: an open enum is the string it is declared as;
//! - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4) become numeric bounds;
//! - annotations JSON Schema does not know (`example`, `discriminator`, `xml`, `externalDocs`,
//!   `x-*`) are dropped; `$ref: '#/components/schemas/X'` becomes `#/$defs/X`;
//! - `format: int32` adds its range (JSON Schema's format vocabulary applies to strings only).
//!
//! Formats are asserted (`uuid`, `date-time`, `email`, …); OpenAPI-only formats (`int64`,
//! `double`, `byte`, `binary`, `password`) are unknown to JSON Schema and ignored.

use serde_json::{Map, Value, json};

/// Validates example values against schemas of one document.
pub struct ExampleChecker {
    /// `components.schemas`, converted, as the `$defs` of every validated schema.
    defs: Value,
}

impl ExampleChecker {
    pub fn new(root: &Value) -> Self {
        let defs = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(name, schema)| (name.clone(), convert(schema)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        ExampleChecker {
            defs: Value::Object(defs),
        }
    }

    /// `Ok` when `example` validates against the OpenAPI `schema`; otherwise up to three
    /// reasons, each with the location inside the example.
    pub fn check(&self, schema: &Value, example: &Value) -> Result<(), String> {
        let root = json!({ "$defs": self.defs, "allOf": [convert(schema)] });
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("the schema does not compile as JSON Schema: {e}"))?;
        let reasons: Vec<String> = validator
            .iter_errors(example)
            .take(3)
            .map(|error| {
                let (at, message) = explain(&error);
                if at.is_empty() {
                    message
                } else {
                    format!("at {at}: {message}")
                }
            })
            .collect();
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(reasons.join("; "))
        }
    }
}

/// Where and why, looking through `anyOf` (nullable wrappers, open enums) into the branch that
/// got furthest into the example: "not valid under any of the schemas" says too little.
fn explain(error: &jsonschema::ValidationError<'_>) -> (String, String) {
    if let jsonschema::error::ValidationErrorKind::AnyOf { context } = error.kind() {
        let depth = |branch: &&Vec<jsonschema::ValidationError<'static>>| {
            branch
                .iter()
                .map(|e| e.instance_path().to_string().len())
                .max()
        };
        if let Some(inner) = context.iter().max_by_key(depth).and_then(|b| b.first()) {
            return explain(inner);
        }
    }
    let mut message = error.to_string();
    if message.chars().count() > 160 {
        message = message.chars().take(160).collect::<String>() + "…";
    }
    (error.instance_path().to_string(), message)
}

/// Converts one OpenAPI 3.0 Schema Object into JSON Schema 2020-12.
pub fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        // OpenAPI 3.0 ignores a `$ref`'s siblings.
        return json!({ "$ref": rewrite_ref(reference) });
    }
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" => {}
            "exclusiveMinimum" | "exclusiveMaximum" => {}
            key if key.starts_with("x-") => {}
            "oneOf" | "anyOf" | "allOf" => {
                let branches = value
                    .as_array()
                    .map(|all| all.iter().map(convert).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Array(branches));
            }
            "properties" => {
                let properties = value
                    .as_object()
                    .map(|all| all.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" | "not" | "additionalProperties" => {
                out.insert(key.clone(), convert(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(exclusive) == Some(&Value::Bool(true))
            && let Some(limit) = out.remove(bound)
        {
            out.insert(exclusive.into(), limit);
        }
    }
    if map.get("format").and_then(Value::as_str) == Some("int32") {
        out.entry("minimum").or_insert(json!(i32::MIN));
        out.entry("maximum").or_insert(json!(i32::MAX));
    }
    let converted = Value::Object(out);
    if map.get("nullable") == Some(&Value::Bool(true)) && map.contains_key("type") {
        json!({ "anyOf": [converted, { "type": "null" }] })
    } else {
        converted
    }
}

fn rewrite_ref(reference: &str) -> String {
    match reference.strip_prefix("#/components/schemas/") {
        Some(name) => format!("#/$defs/{name}"),
        None => reference.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(components: Value) -> ExampleChecker {
        ExampleChecker::new(&json!({ "components": { "schemas": components } }))
    }

    #[test]
    fn open_enums_strictly() {
        let checker = checker(json!({
            "Status": { "type": "string", "x-extensible-enum": ["ACTIVE"] },
            "LegacyKnown": { "type": "string", "enum": ["ACTIVE"] },
            "Legacy": { "oneOf": [{ "$ref": "#/components/schemas/LegacyKnown" }, { "type": "string" }] },
        }));
        let status = json!({ "$ref": "#/components/schemas/Status" });
        assert_eq!(checker.check(&status, &json!("ACTIVE")), Ok(()));
        assert_eq!(checker.check(&status, &json!("NEW")), Ok(()));
        assert!(checker.check(&status, &json!(3)).is_err());
        // A known value matches both branches of the legacy form: `oneOf` rejects it.
        let legacy = json!({ "$ref": "#/components/schemas/Legacy" });
        assert!(checker.check(&legacy, &json!("ACTIVE")).is_err());
        assert_eq!(checker.check(&legacy, &json!("NEW")), Ok(()));
    }

    #[test]
    fn nullable_only_beside_a_type() {
        let checker = checker(json!({ "A": { "type": "object" } }));
        let ignored = json!({ "nullable": true, "allOf": [{ "$ref": "#/components/schemas/A" }] });
        assert!(checker.check(&ignored, &Value::Null).is_err());
        let branch = json!({ "anyOf": [
            { "$ref": "#/components/schemas/A" },
            { "type": "object", "nullable": true, "enum": [null] },
        ] });
        assert_eq!(checker.check(&branch, &Value::Null), Ok(()));
        assert_eq!(checker.check(&branch, &json!({})), Ok(()));
    }

    #[test]
    fn nullable_formats_and_bounds() {
        let checker = checker(json!({}));
        let id = json!({ "type": "string", "format": "uuid", "nullable": true, "x-note": "n" });
        assert_eq!(checker.check(&id, &Value::Null), Ok(()));
        let error = checker.check(&id, &json!("not-a-uuid")).unwrap_err();
        assert!(error.contains("uuid"), "{error}");
        let small = json!({ "type": "integer", "format": "int32" });
        assert!(checker.check(&small, &json!(1_i64 << 40)).is_err());
        let positive = json!({ "type": "number", "minimum": 0, "exclusiveMinimum": true });
        assert!(checker.check(&positive, &json!(0)).is_err());
        assert_eq!(checker.check(&positive, &json!(0.5)), Ok(()));
    }

    #[test]
    fn reports_where_in_the_example() {
        let checker = checker(json!({
            "Thing": { "type": "object", "properties": { "n": { "type": "integer" } } },
        }));
        let list = json!({ "type": "array", "items": { "$ref": "#/components/schemas/Thing" } });
        let error = checker
            .check(&list, &json!([{ "n": 1 }, { "n": "x" }]))
            .unwrap_err();
        assert!(error.starts_with("at /1/n: "), "{error}");
    }
}
