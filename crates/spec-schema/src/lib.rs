//! Strict validation of JSON values against OpenAPI 3.0.3 Schema Objects: the one converter
//! that `cargo xtask lint` (spec examples) and the workspace tests (fixtures) share.
//!
//! A schema is converted to JSON Schema 2020-12 and checked with the `jsonschema` crate, keeping
//! the meaning OpenAPI 3.0.3 gives each keyword, with no leniency for what a code generator
//! happens to accept:
//! - `oneOf` stays `oneOf`: a value must match exactly one branch (typify's first-match decoding
//!   is `anyOf`, and is not what the document says);
//! - `nullable: true` adds `null` to `type` only when the same Schema Object has a `type`
//!   (3.0.3: "This keyword only takes effect if `type` is explicitly defined within the same
//!   Schema Object"); every other keyword of that object (`enum`, `allOf`, …) still applies to
//!   `null`, as in the OpenAPI "clarify nullable" proposal that 3.0.3 adopted;
//! - a `$ref`'s siblings are ignored, as OpenAPI 3.0 says; `#/components/schemas/X` becomes
//!   `#/$defs/X`;
//! - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4) become numeric bounds;
//! - annotations (`example`, `discriminator`, `xml`, `externalDocs`, `x-*` such as
//!   `x-extensible-enum`) are dropped: `x-extensible-enum` beside `type: string` accepts any
//!   string;
//! - formats JSON Schema defines (`date-time`, `uuid`, `email`, …) are asserted; OpenAPI's own
//!   integer formats assert their range (`int32`, `int64`); other formats (`double`, `byte`,
//!   `password`, …) are not checked.

#![deny(missing_docs)]

use serde_json::{Map, Value, json};

/// One reason a value does not validate: where in the value, which schema keyword, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the validated value (empty for the whole value).
    pub instance_path: String,
    /// JSON pointer of the failing keyword in the converted schema.
    pub schema_path: String,
    /// The validator's message.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "(the whole value)"
        } else {
            &self.instance_path
        };
        write!(f, "at {at}: {} [schema {}]", self.message, self.schema_path)
    }
}

/// Validates values against the Schema Objects of one OpenAPI 3.0.3 document.
pub struct StrictValidator {
    /// `components.schemas`, converted: the `$defs` of every validated schema.
    defs: Value,
}

impl StrictValidator {
    /// A validator for the document `root` (its `components.schemas` resolve `$ref`s).
    pub fn new(root: &Value) -> Self {
        let defs = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        StrictValidator {
            defs: Value::Object(defs),
        }
    }

    /// `Ok` when `value` is valid under the OpenAPI `schema`; otherwise every violation.
    pub fn validate(&self, schema: &Value, value: &Value) -> Result<(), Vec<Violation>> {
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": self.defs,
            "allOf": [to_json_schema(schema)],
        });
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| {
                vec![Violation {
                    instance_path: String::new(),
                    schema_path: String::new(),
                    message: format!("the schema does not compile as JSON Schema: {e}"),
                }]
            })?;
        let violations: Vec<Violation> = validator
            .iter_errors(value)
            .map(|error| Violation::of(&error))
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }
}

impl Violation {
    /// The violation an error reports, looking through `anyOf`/`oneOf` into the branch that
    /// got furthest into the value: "not valid under any of the schemas" says too little.
    fn of(error: &jsonschema::ValidationError<'_>) -> Self {
        use jsonschema::error::ValidationErrorKind as Kind;
        let branches = match error.kind() {
            Kind::AnyOf { context } | Kind::OneOfNotValid { context } => Some(context),
            _ => None,
        };
        let deepest = |branch: &&Vec<jsonschema::ValidationError<'static>>| {
            branch
                .iter()
                .map(|e| e.instance_path().to_string().len())
                .max()
        };
        if let Some(inner) = branches
            .and_then(|context| context.iter().max_by_key(deepest))
            .and_then(|branch| branch.first())
        {
            return Self::of(inner);
        }
        Violation {
            instance_path: error.instance_path().to_string(),
            schema_path: error.schema_path().to_string(),
            message: shortened(error.to_string()),
        }
    }
}

/// The message, cut to 200 characters (messages quote the whole failing value).
fn shortened(message: String) -> String {
    if message.chars().count() > 200 {
        message.chars().take(200).collect::<String>() + "…"
    } else {
        message
    }
}

/// Converts one OpenAPI 3.0.3 Schema Object into JSON Schema 2020-12 with the same meaning.
pub fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return json!({ "$ref": reference.replace("#/components/schemas/", "#/$defs/") });
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
                    .map(|all| all.iter().map(to_json_schema).collect())
                    .unwrap_or_default();
                out.insert(key.to_string(), Value::Array(branches));
            }
            "properties" => {
                let properties = value
                    .as_object()
                    .map(|all| {
                        all.iter()
                            .map(|(k, v)| (k.clone(), to_json_schema(v)))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(key.to_string(), Value::Object(properties));
            }
            "items" | "not" | "additionalProperties" => {
                out.insert(key.to_string(), to_json_schema(value));
            }
            _ => {
                out.insert(key.to_string(), value.clone());
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
            out.insert(exclusive.to_string(), limit);
        }
    }
    match map.get("format").and_then(Value::as_str) {
        Some("int32") => {
            out.entry("minimum").or_insert(json!(i32::MIN));
            out.entry("maximum").or_insert(json!(i32::MAX));
        }
        Some("int64") => {
            out.entry("minimum").or_insert(json!(i64::MIN));
            out.entry("maximum").or_insert(json!(i64::MAX));
        }
        _ => {}
    }
    if map.get("nullable") == Some(&Value::Bool(true))
        && let Some(Value::String(ty)) = map.get("type")
    {
        out.insert("type".into(), json!([ty, "null"]));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Validates `value` against `schema` in a document whose only component is `Thing`
    /// (an object with a required string `name`).
    fn check(schema: Value, value: Value) -> Result<(), Vec<Violation>> {
        let root = json!({"components": {"schemas": {
            "Thing": {"type": "object", "required": ["name"],
                      "properties": {"name": {"type": "string"}}},
        }}});
        StrictValidator::new(&root).validate(&schema, &value)
    }

    #[test]
    fn one_of_rejects_a_value_that_matches_two_branches() {
        let open_enum =
            json!({"oneOf": [{"type": "string", "enum": ["bearer"]}, {"type": "string"}]});
        let errors = check(open_enum.clone(), json!("bearer")).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("more than one"), "{errors:?}");
        assert!(errors[0].schema_path.ends_with("/oneOf"), "{errors:?}");
        assert_eq!(check(open_enum, json!("Bearer")), Ok(()), "one branch only");
    }

    #[test]
    fn extensible_enum_is_an_annotation() {
        let schema = json!({"type": "string", "x-extensible-enum": ["bearer"]});
        assert_eq!(check(schema.clone(), json!("bearer")), Ok(()));
        assert_eq!(check(schema.clone(), json!("anything")), Ok(()));
        assert!(check(schema, json!(1)).is_err());
    }

    #[test]
    fn nullable_without_type_rejects_null() {
        let schema = json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Thing"}]});
        assert!(check(schema.clone(), json!(null)).is_err());
        assert_eq!(check(schema, json!({"name": "x"})), Ok(()));
    }

    #[test]
    fn nullable_with_type_accepts_null() {
        let schema = json!({"type": "string", "nullable": true, "format": "uuid"});
        assert_eq!(check(schema.clone(), json!(null)), Ok(()));
        assert!(check(schema, json!(1)).is_err());
        assert!(check(json!({"type": "string"}), json!(null)).is_err());
    }

    #[test]
    fn nullable_with_type_still_applies_the_other_keywords_to_null() {
        // `type` allows null, the `allOf` does not: OpenAPI 3.0.3 rejects null here.
        let wrapped = json!({"type": "object", "nullable": true,
                             "allOf": [{"$ref": "#/components/schemas/Thing"}]});
        assert!(check(wrapped, json!(null)).is_err());
        // A nullable enum accepts null only when null is one of its values.
        let closed = json!({"type": "string", "nullable": true, "enum": ["a"]});
        assert!(check(closed, json!(null)).is_err());
        let with_null = json!({"type": "string", "nullable": true, "enum": ["a", null]});
        assert_eq!(check(with_null, json!(null)), Ok(()));
        // The anyOf form accepts both.
        let any_of = json!({"anyOf": [{"$ref": "#/components/schemas/Thing"},
                                      {"type": "object", "nullable": true, "enum": [null]}]});
        assert_eq!(check(any_of.clone(), json!(null)), Ok(()));
        assert_eq!(check(any_of, json!({"name": "x"})), Ok(()));
    }

    #[test]
    fn one_of_with_a_null_only_branch_is_exclusive() {
        // The specs' nullable number-or-string: each value matches exactly one branch.
        let schema = json!({"oneOf": [{"type": "integer"}, {"type": "string"},
                                      {"type": "string", "nullable": true, "enum": [null]}]});
        for value in [json!(64512), json!("64512"), json!(null)] {
            assert_eq!(check(schema.clone(), value.clone()), Ok(()), "{value}");
        }
        assert!(check(schema, json!(true)).is_err());
    }

    #[test]
    fn ref_siblings_are_ignored() {
        let schema =
            json!({"$ref": "#/components/schemas/Thing", "nullable": true, "type": "object"});
        assert!(check(schema, json!(null)).is_err());
    }

    #[test]
    fn formats_are_asserted() {
        let errors = check(
            json!({"type": "string", "format": "date-time"}),
            json!("yesterday"),
        )
        .unwrap_err();
        assert!(errors[0].message.contains("date-time"), "{errors:?}");
        assert!(check(json!({"type": "string", "format": "uuid"}), json!("x")).is_err());
        assert!(
            check(
                json!({"type": "integer", "format": "int32"}),
                json!(1u64 << 31)
            )
            .is_err()
        );
        assert!(
            check(
                json!({"type": "integer", "format": "int64"}),
                json!(u64::MAX)
            )
            .is_err()
        );
        assert_eq!(
            check(json!({"type": "number", "format": "double"}), json!(1.5)),
            Ok(())
        );
    }

    #[test]
    fn violations_name_the_json_pointer() {
        let schema = json!({"type": "object", "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}});
        let errors = check(schema, json!({"items": [{"name": "a"}, {"name": 2}]})).unwrap_err();
        assert_eq!(errors[0].instance_path, "/items/1/name", "{errors:?}");
        assert!(errors[0].to_string().starts_with("at /items/1/name: "));
    }

    #[test]
    fn draft4_exclusive_bounds_become_numeric() {
        let schema = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert!(check(schema.clone(), json!(0)).is_err());
        assert_eq!(check(schema, json!(1)), Ok(()));
    }
}
